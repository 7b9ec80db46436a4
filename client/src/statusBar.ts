/** The status bar item of a policy document: kind, account and handshake state; a click opens the access view. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DocumentStatusRequest, type DocumentStatusParams, type DocumentStatusResult } from '../../server/src/protocol';

const LANGUAGES = new Set(['iam-policy', 'json', 'jsonc']);

export function statusBar(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('keyshare.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Keyshare';
  item.command = 'keyshare.showCrossAccountAccess';
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  const update = async () => {
    const mine = ++generation;
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !LANGUAGES.has(document.languageId)) {
      item.hide();
      return;
    }
    let status: DocumentStatusResult = null;
    try {
      status = await client.sendRequest<DocumentStatusResult>(DocumentStatusRequest, { uri: document.uri.toString() } satisfies DocumentStatusParams);
    } catch {
      status = null;
    }
    if (mine !== generation) return;
    if (!status) {
      item.hide();
      return;
    }
    item.text = `$(key) ${status.text}`;
    item.tooltip = status.tooltip;
    item.show();
  };
  // Diagnostics arrive after each check of the file: an edit here, or a change elsewhere that touches it
  // (the access view has the index-changed notification).
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 100);
  };
  void update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(soon),
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (event.uris.some((u) => u.toString() === active)) soon();
    }),
    { dispose: () => clearTimeout(timer) },
  );
}
