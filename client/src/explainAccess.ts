/** Explain Access: pick a principal, an action and a key the workspace knows; the server answers with the deciding statements. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainChoicesRequest, ExplainRequest, type ExplainChoices, type ExplainChoicesParams, type ExplainParams, type ExplainResult } from '../../server/src/protocol';

const MANUAL = '$(edit) Enter another…';

async function pick(title: string, items: { label: string; description?: string }[], placeHolder: string, prompt: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick([...items, { label: MANUAL }], { title, placeHolder, matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.label !== MANUAL) return picked.label;
  return vscode.window.showInputBox({ title, prompt });
}

/**
 * Runs the command. With `args` (principal, action, key) it asks no questions; either way it
 * shows the verdict with links to the deciding statements, and returns the server's answer.
 */
export async function explainAccessCommand(client: LanguageClient, args?: Partial<ExplainParams>): Promise<ExplainResult | undefined> {
  const uri = args?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  let { principal, action, key } = args ?? {};
  if (!principal || !action || !key) {
    const choices = await client.sendRequest<ExplainChoices>(ExplainChoicesRequest, { uri } satisfies ExplainChoicesParams);
    principal ??= await pick('Explain Access (1/3)', choices.principals.map((p) => ({ label: p.arn, description: p.detail })), 'Who calls?', 'A role, user or account root ARN, or a service principal');
    if (!principal) return undefined;
    action ??= await pick('Explain Access (2/3)', choices.actions.map((a) => ({ label: a })), 'Which KMS action?', 'A KMS action, wildcards allowed');
    if (!action) return undefined;
    key ??= await pick('Explain Access (3/3)', choices.keys.map((k) => ({ label: k.key, description: k.detail })), 'On which key?', 'A key ARN, an alias of keyshare.json, or a key policy reference');
    if (!key) return undefined;
  }
  const result = await client.sendRequest<ExplainResult>(ExplainRequest, { uri, principal, action, key, policies: args?.policies, context: args?.context } satisfies ExplainParams);
  if (!args?.principal) void show(result);
  return result;
}

async function show(result: ExplainResult): Promise<void> {
  const items: (vscode.QuickPickItem & { citation?: ExplainResult['because'][number] })[] = [
    { label: `$(${result.verdict === 'allowed' ? 'check' : result.verdict === 'denied' ? 'circle-slash' : 'question'}) ${result.verdict.toUpperCase()}`, detail: result.summary },
    ...result.because.map((c) => ({
      label: `$(go-to-file) ${c.effect}${c.sid ? ` "${c.sid}"` : ''}`,
      description: `${c.half === 'key' ? 'key policy' : c.half === 'grant' ? 'grant' : 'identity policy'} · ${vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri))}:${c.range.start.line + 1}${c.policy ? ` (${c.policy})` : ''}`,
      citation: c,
    })),
    ...result.depends.map((d) => ({ label: '$(info) depends on', detail: d })),
    ...result.notes.map((n) => ({ label: '$(info)', detail: n })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Keyshare: Explain Access', placeHolder: `${result.principal} · ${result.action} · ${result.key}`, matchOnDetail: true });
  if (!picked?.citation) return;
  const { start, end } = picked.citation.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(picked.citation.uri), { selection: new vscode.Range(start.line, start.character, end.line, end.character), preview: false });
}
