/** Insert Cross-Account Statement: a guided quick pick for either side of the handshake. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  InsertStatementChoicesRequest,
  InsertStatementRequest,
  type InsertStatementChoices,
  type InsertStatementChoicesParams,
  type InsertStatementParams,
  type InsertStatementResult,
} from '../../server/src/protocol';

const PRESETS: { label: string; detail: string; actions: string[]; grants?: boolean }[] = [
  { label: 'Use the key (encrypt and decrypt)', detail: 'Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'] },
  { label: 'Decrypt only', detail: 'Decrypt, DescribeKey', actions: ['kms:Decrypt', 'kms:DescribeKey'] },
  { label: 'Encrypt only', detail: 'Encrypt, GenerateDataKey*, DescribeKey', actions: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'] },
  { label: 'Persistent resources (grants for AWS services)', detail: 'CreateGrant, ListGrants, RevokeGrant with kms:GrantIsForAWSResource', actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], grants: true },
];

const ACCOUNT_ID = /^\d{12}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Runs one question titled with its step; `same`: the same question again (typed instead of picked), the same number. */
type Step = <T>(run: (title: string) => Thenable<T | undefined>, same?: boolean) => Promise<T | undefined>;

/** "Insert Cross-Account Statement (2/4)": each question its own number, counted over the questions this run asks. */
function steps(total: number): Step {
  let step = 0;
  return (run, same = false) => Promise.resolve(run(`Insert Cross-Account Statement (${same ? step : ++step}/${total})`));
}

const MANUAL = '$(edit) Enter another…';

/** An account of keyshare.json, or one typed in. */
async function pickAccount(step: Step, choices: InsertStatementChoices, prompt: string): Promise<string | undefined> {
  if (choices.accounts.length) {
    const picked = await step((title) => vscode.window.showQuickPick(
      [...choices.accounts.map((a) => ({ label: a.id, description: a.name, id: a.id })), { label: MANUAL, description: 'an account ID', id: '' }],
      { title, placeHolder: prompt },
    ));
    if (!picked) return undefined;
    if (picked.id) return picked.id;
  }
  const typed = await step((title) => vscode.window.showInputBox({
    title,
    prompt: `${prompt} (12 digits)`,
    placeHolder: '444455556666',
    validateInput: (v) => (ACCOUNT_ID.test(v.trim()) ? undefined : 'An AWS account ID is exactly 12 digits.'),
  }), choices.accounts.length > 0);
  return typed?.trim() || undefined;
}

/** A key of keyshare.json, or a key ARN typed in. */
async function pickKey(step: Step, choices: InsertStatementChoices): Promise<string | undefined> {
  if (choices.keys.length) {
    const picked = await step((title) => vscode.window.showQuickPick(
      [...choices.keys.map((k) => ({ label: k.aliases[0] ?? k.arn.split('/').pop()!, description: k.arn, arn: k.arn })), { label: MANUAL, description: 'a key ARN', arn: '' }],
      { title, placeHolder: 'Which key of the owner account?' },
    ));
    if (!picked) return undefined;
    if (picked.arn) return picked.arn;
  }
  const typed = await step((title) => vscode.window.showInputBox({
    title,
    prompt: 'The ARN of the key in the owner account (key ARN, not alias ARN)',
    placeHolder: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    validateInput: (v) => (KEY_ARN.test(v.trim()) ? undefined : v.includes(':alias/') ? 'An alias ARN grants nothing on the key: use the key ARN.' : 'A key ARN looks like arn:aws:kms:<region>:<12-digit account>:key/<key-id>.'),
  }), choices.keys.length > 0);
  return typed?.trim() || undefined;
}

export async function insertCrossAccountStatement(client: LanguageClient): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Keyshare: open a key policy or an IAM policy first.');
    return false;
  }
  const uri = editor.document.uri.toString();
  let choices: InsertStatementChoices;
  try {
    choices = await client.sendRequest<InsertStatementChoices>(InsertStatementChoicesRequest, { uri } satisfies InsertStatementChoicesParams);
  } catch (error) {
    void vscode.window.showErrorMessage(`Keyshare: ${(error as Error).message}`);
    return false;
  }
  // Questions: [side], actions, then the owner side's account and role (or the user side's key). Typing
  // an account or key instead of picking one from keyshare.json is the same step.
  const total = (choices.side ? 0 : 1) + 1 + (choices.side === 'user' ? 1 : 2);
  const step = steps(total);
  let side = choices.side;
  if (!side) {
    const picked = await step((title) => vscode.window.showQuickPick(
      [
        { label: 'Key owner side', description: 'key policy', detail: 'Allow another account (or a role in it) to use this key', side: 'owner' as const },
        { label: 'Key user side', description: 'IAM policy', detail: 'Allow this role to use a key owned by another account', side: 'user' as const },
      ],
      { title, placeHolder: 'Which half of the handshake is this file?' },
    ));
    if (!picked) return false;
    side = picked.side;
  }
  const preset = await step((title) => vscode.window.showQuickPick(PRESETS, {
    title,
    placeHolder: side === 'owner' ? 'Allow account B to use this key: which actions?' : 'Use a key of account A: which actions?',
  }));
  if (!preset) return false;

  let statement: Record<string, unknown>;
  if (side === 'owner') {
    const account = await pickAccount(step, choices, 'The account that will use the key');
    if (!account) return false;
    const role = await step((title) => vscode.window.showInputBox({
      title,
      prompt: 'A role name in that account, or leave empty to let the whole account decide (its root)',
      placeHolder: 'AppRole',
      validateInput: (v) => (v === '' || /^[\w+=,.@/-]+$/.test(v) ? undefined : 'Role names use letters, digits and + = , . @ _ - /'),
    }));
    if (role === undefined) return false;
    const principal = role ? `arn:aws:iam::${account}:role/${role}` : `arn:aws:iam::${account}:root`;
    statement = {
      Sid: preset.grants ? `Allow attachment of persistent resources for ${account}` : `Allow use of the key by ${account}`,
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: preset.actions,
      Resource: '*',
    };
  } else {
    const keyArn = await pickKey(step, choices);
    if (!keyArn) return false;
    statement = { Sid: preset.grants ? 'UseSharedKeyGrants' : 'UseSharedKey', Effect: 'Allow', Action: preset.actions, Resource: keyArn };
  }
  if (preset.grants) statement.Condition = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

  try {
    const edit = await client.sendRequest<InsertStatementResult>(InsertStatementRequest, { uri, statement } satisfies InsertStatementParams);
    const range = client.protocol2CodeConverter.asRange(edit.range);
    if (!(await editor.edit((builder) => builder.replace(range, edit.newText)))) return false;
    if (edit.inserted) {
      // Show what was inserted, selected.
      const inserted = client.protocol2CodeConverter.asRange(edit.inserted);
      editor.selection = new vscode.Selection(inserted.start, inserted.end);
      editor.revealRange(inserted, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(`Keyshare: ${(error as Error).message}`);
    return false;
  }
}
