/** Show Cross-Account Access: a table per key of who may do what, and whether both halves exist. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AccessMapRequest, IndexChangedNotification, type AccessMapResult, type KeyAccess } from '../../server/src/protocol';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function relative(uri: string): string {
  const file = vscode.Uri.parse(uri);
  return vscode.workspace.asRelativePath(file, false) || path.basename(file.fsPath);
}

function link(uri: string, label: string, line = 0, character = 0): string {
  return `<a href="#" data-uri="${escape(uri)}" data-line="${line}" data-character="${character}">${escape(label)}</a>`;
}

export function renderAccess(keys: KeyAccess[], nonce: string): string {
  const badge = { complete: 'ok', 'key policy only': 'half', 'IAM policy only': 'half' } as const;
  const sections = keys.map((key) => {
    const title = `${escape(key.arn)}${key.aliases.length ? ` <span class="muted">${escape(key.aliases.join(', '))}</span>` : ''}${key.managed === 'aws' ? ' <span class="tag bad">AWS managed: cannot be shared</span>' : ''}`;
    const policy = key.policyUri ? link(key.policyUri, relative(key.policyUri)) : '<span class="muted">key policy not in the workspace</span>';
    const rows = key.rows.length
      ? key.rows.map((row) => `<tr>
          <td>${escape(row.account)}</td>
          <td>${row.principal ? (row.keyPolicy ? link(row.keyPolicy.uri, row.principal, row.keyPolicy.range.start.line, row.keyPolicy.range.start.character) : escape(row.principal)) : '<span class="muted">—</span>'}</td>
          <td class="actions">${row.actions.map((a) => escape(a.replace(/^kms:/i, ''))).join(', ')}</td>
          <td><span class="tag ${badge[row.status]}">${escape(row.status)}</span></td>
          <td>${row.identityPolicies.map((uri) => link(uri, relative(uri))).join('<br>') || '<span class="muted">none</span>'}</td>
        </tr>`).join('')
      : '<tr><td colspan="5" class="muted">No other account may use this key.</td></tr>';
    return `<section><h2>${title}</h2><p>Key policy: ${policy}</p>
      <table><thead><tr><th>Account</th><th>Key policy allows</th><th>Actions</th><th>Handshake</th><th>IAM policies using the key</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  });
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px; }
  h1 { font-size: 1.3em; } h2 { font-size: 1.05em; font-family: var(--vscode-editor-font-family); word-break: break-all; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 24px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
  th { color: var(--vscode-descriptionForeground); font-weight: normal; }
  .actions { font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
  .muted { color: var(--vscode-descriptionForeground); }
  .tag { border-radius: 10px; padding: 1px 8px; font-size: 0.85em; white-space: nowrap; }
  .tag.ok { background: var(--vscode-testing-iconPassed, #388a34); color: #fff; }
  .tag.half { background: var(--vscode-editorWarning-foreground, #cca700); color: #000; }
  .tag.bad { background: var(--vscode-editorError-foreground, #f14c4c); color: #fff; }
  a { color: var(--vscode-textLink-foreground); }
</style></head><body>
<h1>Cross-account access</h1>
<p class="muted">Complete: the key policy allows the account and an IAM policy there uses the key. Half: one side is missing, and the access does not work.</p>
${sections.join('') || '<p>No keys are declared. List your keys in <code>keyshare.json</code> ("keys": [{ "arn": ..., "policy": ... }]).</p>'}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const target = event.target.closest('a[data-uri]');
    if (!target) return;
    event.preventDefault();
    vscode.postMessage({ uri: target.dataset.uri, line: Number(target.dataset.line), character: Number(target.dataset.character) });
  });
</script></body></html>`;
}

/** Open access views: each re-renders when the server says the index changed. */
const openViews = new Set<() => Promise<void>>();

/** Listens for the server's index-changed notification (call once, after the client started). */
export function watchIndex(client: LanguageClient): vscode.Disposable {
  return client.onNotification(IndexChangedNotification, () => {
    for (const refresh of openViews) void refresh();
  });
}

export async function showCrossAccountAccess(client: LanguageClient): Promise<vscode.WebviewPanel> {
  const fetch = () => client.sendRequest<AccessMapResult>(AccessMapRequest);
  const keys = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Keyshare: reading the workspace index' }, fetch);
  const panel = vscode.window.createWebviewPanel('keyshare.access', 'Cross-Account Access', vscode.ViewColumn.Active, { enableScripts: true });
  const nonce = Math.random().toString(36).slice(2) + Date.now().toString(36);
  panel.webview.html = renderAccess(keys, nonce);
  let disposed = false;
  const refresh = async () => {
    try {
      const latest = await fetch();
      if (!disposed) panel.webview.html = renderAccess(latest, nonce);
    } catch {
      // the server is restarting: the next notification refreshes
    }
  };
  openViews.add(refresh);
  panel.onDidDispose(() => {
    disposed = true;
    openViews.delete(refresh);
  });
  panel.webview.onDidReceiveMessage(async (message: { uri: string; line: number; character: number }) => {
    const position = new vscode.Position(message.line || 0, message.character || 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.Beside });
  });
  return panel;
}
