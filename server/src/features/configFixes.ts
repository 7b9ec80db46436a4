/**
 * Quick fixes that edit keyshare.json, or read it: ignore a finding (creating keyshare.json at
 * the workspace folder's root when there is none), and replace an alias ARN with the key ARN
 * that keyshare.json maps the alias to.
 */
import * as path from 'path';
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LineIndex } from '../engine/text';
import { appendConfigEntry, newConfigText } from '../project/configEdits';
import { fileOf, type Analysis } from '../project';
import { CONFIG_RULE, type KeyConfig } from '../workspace/config';

export interface ConfigFixContext {
  /** The keyshare.json that governs the document, with its text and keys. */
  config?: { file: string; text: string; keys: KeyConfig[] };
  /** The workspace folder of the document (where a new keyshare.json goes). */
  folder?: string;
}

const ALIAS_ARN = /arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(alias\/[A-Za-z0-9/_-]+)/;

/** The key keyshare.json maps an alias ARN to: same partition, region and account, the alias in its `aliases`. */
export function keyForAlias(aliasArn: string, keys: readonly KeyConfig[]): KeyConfig | undefined {
  const match = ALIAS_ARN.exec(aliasArn);
  if (!match) return undefined;
  const [, partition, region, account, alias] = match;
  return keys.find((key) => {
    const [, keyPartition, , keyRegion, keyAccount] = key.arn.split(':');
    return key.aliases.includes(alias) && keyPartition === partition && keyRegion === region && keyAccount === account;
  });
}

export function configActions(analysis: Analysis, params: CodeActionParams, context: ConfigFixContext): CodeAction[] {
  const file = fileOf(analysis.uri);
  const actions: CodeAction[] = [];
  const ignored = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'keyshare' || typeof diagnostic.code !== 'string') continue;
    const rule = diagnostic.code;
    if (rule === 'alias-arn-as-resource' && context.config) {
      const start = analysis.lines.offsetAt(diagnostic.range.start);
      const end = analysis.lines.offsetAt(diagnostic.range.end);
      const written = analysis.text.slice(start, end);
      const match = ALIAS_ARN.exec(written);
      const key = match ? keyForAlias(match[0], context.config.keys) : undefined;
      if (match && key) {
        const at = start + match.index;
        actions.push({
          title: `Replace the alias ARN with the key ARN (${key.arn})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [analysis.uri]: [{ range: analysis.lines.rangeOf({ start: at, end: at + match[0].length }), newText: key.arn }] } },
        });
      }
    }
    if (rule === CONFIG_RULE || !file || ignored.has(rule)) continue;
    const action = ignoreAction(file, rule, context);
    if (action) {
      action.diagnostics = [diagnostic];
      actions.push(action);
      ignored.add(rule);
    }
  }
  return actions;
}

/** `{ "rule": id, "files": [this file], "reason": "" }` in keyshare.json: the rule is off for this file. */
function ignoreAction(file: string, rule: string, context: ConfigFixContext): CodeAction | undefined {
  const configFile = context.config?.file ?? path.join(context.folder ?? path.dirname(file), 'keyshare.json');
  const entry = { rule, files: [path.relative(path.dirname(configFile), file).split(path.sep).join('/')], reason: '' };
  const uri = URI.file(configFile).toString();
  const title = `Ignore ${rule} in this file (keyshare.json)`;
  const command = { title: 'Open keyshare.json', command: 'keyshare.openFile', arguments: [uri] };
  if (context.config) {
    const edit = appendConfigEntry(context.config.text, 'ignore', entry);
    if (!edit) return undefined;
    const change: LspTextEdit = { range: new LineIndex(context.config.text).rangeOf(edit), newText: edit.newText };
    return { title, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: [change] } }, command };
  }
  return {
    title,
    kind: CodeActionKind.QuickFix,
    edit: {
      documentChanges: [
        { kind: 'create', uri, options: { ignoreIfExists: false, overwrite: false } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: newConfigText('ignore', entry) }] },
      ],
    },
    command,
  };
}
