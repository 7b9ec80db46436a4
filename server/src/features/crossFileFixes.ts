/**
 * Quick fixes that edit or create another file: the missing half of a handshake. Built in the
 * server (they need the index and other files' text), offered next to the engine's own fixes.
 */
import * as path from 'path';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { USAGE_ACTIONS } from '../engine/kms/actions';
import { LineIndex } from '../engine/text';
import type { FileSummary } from '../workspace/handshake';
import type { WorkspaceIndex } from '../workspace/index';
import type { Analysis } from '../project';
import { insertStatementEdit } from './insertStatement';

export interface CrossFileContext {
  index: WorkspaceIndex;
  /** The text of another document: the editor's buffer if open, else the file on disk. */
  textOf(uri: string): string | undefined;
  /** A fresh analysis of another document's text (for edits that must respect its layout). */
  analyseOther(uri: string, text: string): Analysis;
  /** Whether a file exists on disk (new files get a free name). */
  exists(file: string): boolean;
}

const ADMIN_PATTERN = /^(\*|kms:\*)$/i;

function folderForAccount(index: WorkspaceIndex, account: string, near: string): string {
  const declared = index.config.accounts.find((a) => a.id === account)?.paths[0];
  if (declared && index.folder) {
    const literal = declared.split('/').filter((part) => !/[*?[{]/.test(part)).join('/');
    return path.join(index.folder, literal);
  }
  for (const summary of index.summaries) {
    if (summary.account === account) return path.dirname(URI.parse(summary.uri).fsPath);
  }
  return path.join(index.folder ?? path.dirname(path.dirname(near)), account);
}

function freeName(dir: string, base: string, exists: (file: string) => boolean): string {
  let candidate = path.join(dir, `${base}.iam.json`);
  for (let i = 2; exists(candidate); i++) candidate = path.join(dir, `${base}-${i}.iam.json`);
  return candidate;
}

function createIdentityPolicy(analysis: Analysis, diagnostic: Diagnostic, context: CrossFileContext): CodeAction | undefined {
  const summary: FileSummary | undefined = context.index.summary(analysis.uri);
  const keyArn = summary?.keyArn;
  if (!summary || !keyArn) return undefined;
  const offset = analysis.lines.offsetAt(diagnostic.range.start);
  const grant = summary.grants.find((g) => g.span.start === offset);
  if (!grant?.account) return undefined;
  const actions = grant.written.some((a) => ADMIN_PATTERN.test(a)) ? USAGE_ACTIONS : grant.written;
  const key = context.index.key(keyArn);
  const base = `use-${(key?.aliases[0]?.replace(/^alias\//, '') ?? keyArn.split('/').pop()!.slice(0, 8)).replace(/[^\w-]/g, '-')}`;
  const file = freeName(folderForAccount(context.index, grant.account, URI.parse(analysis.uri).fsPath), base, context.exists);
  const uri = URI.file(file).toString();
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'UseSharedKey', Effect: 'Allow', Action: actions, Resource: keyArn }] }, null, 2) + '\n';
  return {
    title: `Create the IAM policy for account ${grant.account} (${path.basename(file)})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: {
      documentChanges: [
        { kind: 'create', uri, options: { ignoreIfExists: false, overwrite: false } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] },
      ],
    },
    command: { title: 'Open the new policy', command: 'keyshare.openFile', arguments: [uri] },
  };
}

function allowInKeyPolicy(analysis: Analysis, diagnostic: Diagnostic, context: CrossFileContext): CodeAction | undefined {
  const summary = context.index.summary(analysis.uri);
  const account = summary?.account;
  if (!summary || !account) return undefined;
  const offset = analysis.lines.offsetAt(diagnostic.range.start);
  const use = summary.uses.find((u) => u.span.start === offset);
  const key = use ? context.index.key(use.resource) : undefined;
  if (!use || !key?.policyUri) return undefined;
  const text = context.textOf(key.policyUri);
  if (text === undefined) return undefined;
  const other = context.analyseOther(key.policyUri, text);
  if (!other.result.model) return undefined;
  const actions = use.written.some((a) => ADMIN_PATTERN.test(a)) ? USAGE_ACTIONS : use.written;
  const edit = insertStatementEdit(other, {
    Sid: `Allow use of the key by ${account}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: actions,
    Resource: '*',
  });
  const lines = new LineIndex(text);
  return {
    title: `Allow account ${account} in the key policy (${path.basename(URI.parse(key.policyUri).fsPath)})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [key.policyUri]: [{ range: lines.rangeOf(edit), newText: edit.newText }] } },
    command: { title: 'Open the key policy', command: 'keyshare.openFile', arguments: [key.policyUri] },
  };
}

export function crossFileActions(analysis: Analysis, params: CodeActionParams, context: CrossFileContext): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'keyshare') continue;
    const action =
      diagnostic.code === 'counterpart-identity-policy-missing' ? createIdentityPolicy(analysis, diagnostic, context)
        : diagnostic.code === 'counterpart-key-policy-missing' ? allowInKeyPolicy(analysis, diagnostic, context)
          : undefined;
    if (action) actions.push(action);
  }
  return actions;
}

