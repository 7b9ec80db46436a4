/** Insert Cross-Account Statement: a guided quick pick for either side of the handshake. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { InsertStatementRequest, type InsertStatementParams, type InsertStatementResult } from '../../server/src/protocol';

const PRESETS: { label: string; detail: string; actions: string[]; grants?: boolean }[] = [
  { label: 'Use the key (encrypt and decrypt)', detail: 'Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'] },
  { label: 'Decrypt only', detail: 'Decrypt, DescribeKey', actions: ['kms:Decrypt', 'kms:DescribeKey'] },
  { label: 'Encrypt only', detail: 'Encrypt, GenerateDataKey*, DescribeKey', actions: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'] },
  { label: 'Persistent resources (grants for AWS services)', detail: 'CreateGrant, ListGrants, RevokeGrant with kms:GrantIsForAWSResource', actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], grants: true },
];

const ACCOUNT_ID = /^\d{12}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export async function insertCrossAccountStatement(client: LanguageClient): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Keyshare: open a key policy or an IAM policy first.');
    return false;
  }
  const side = await vscode.window.showQuickPick(
    [
      { label: 'Key owner side', description: 'key policy', detail: 'Allow another account (or a role in it) to use this key', side: 'owner' as const },
      { label: 'Key user side', description: 'IAM policy', detail: 'Allow this role to use a key owned by another account', side: 'user' as const },
    ],
    { title: 'Insert Cross-Account Statement (1/3)', placeHolder: 'Which half of the handshake is this file?' },
  );
  if (!side) return false;
  const preset = await vscode.window.showQuickPick(PRESETS, { title: 'Insert Cross-Account Statement (2/3)', placeHolder: 'Which actions?' });
  if (!preset) return false;

  let statement: Record<string, unknown>;
  if (side.side === 'owner') {
    const account = await vscode.window.showInputBox({
      title: 'Insert Cross-Account Statement (3/3)',
      prompt: 'The 12-digit ID of the account that will use the key',
      placeHolder: '444455556666',
      validateInput: (v) => (ACCOUNT_ID.test(v.trim()) ? undefined : 'An AWS account ID is exactly 12 digits.'),
    });
    if (!account) return false;
    const role = await vscode.window.showInputBox({
      title: 'Insert Cross-Account Statement (3/3)',
      prompt: 'A role name in that account, or leave empty to let the whole account decide (its root)',
      placeHolder: 'AppRole',
      validateInput: (v) => (v === '' || /^[\w+=,.@/-]+$/.test(v) ? undefined : 'Role names use letters, digits and + = , . @ _ - /'),
    });
    if (role === undefined) return false;
    const principal = role ? `arn:aws:iam::${account.trim()}:role/${role}` : `arn:aws:iam::${account.trim()}:root`;
    statement = {
      Sid: preset.grants ? `Allow attachment of persistent resources for ${account.trim()}` : `Allow use of the key by ${account.trim()}`,
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: preset.actions,
      Resource: '*',
    };
  } else {
    const keyArn = await vscode.window.showInputBox({
      title: 'Insert Cross-Account Statement (3/3)',
      prompt: 'The ARN of the key in the owner account (key ARN, not alias ARN)',
      placeHolder: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      validateInput: (v) => (KEY_ARN.test(v.trim()) ? undefined : v.includes(':alias/') ? 'An alias ARN grants nothing on the key: use the key ARN.' : 'A key ARN looks like arn:aws:kms:<region>:<12-digit account>:key/<key-id>.'),
    });
    if (!keyArn) return false;
    statement = { Sid: preset.grants ? 'UseSharedKeyGrants' : 'UseSharedKey', Effect: 'Allow', Action: preset.actions, Resource: keyArn.trim() };
  }
  if (preset.grants) statement.Condition = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

  try {
    const edit = await client.sendRequest<InsertStatementResult>(InsertStatementRequest, {
      uri: editor.document.uri.toString(),
      statement,
    } satisfies InsertStatementParams);
    const range = client.protocol2CodeConverter.asRange(edit.range);
    return editor.edit((builder) => builder.replace(range, edit.newText));
  } catch (error) {
    void vscode.window.showErrorMessage(`Keyshare: ${(error as Error).message}`);
    return false;
  }
}
