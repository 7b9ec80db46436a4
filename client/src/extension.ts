/**
 * The VS Code side: starts the bundled language server and registers commands. Thin by design:
 * no analysis and no file reading happen here.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { HOST_FILE_GLOB, HOST_LANGUAGES, SERVER_EXEC_ARGV, ValidateFileRequest, ValidateWorkspaceRequest, type InitializationOptions, type ValidateFileParams, type ValidateFileResult, type ValidateWorkspaceResult, type ValidationSummary } from '../../server/src/protocol';
import { showCrossAccountAccess, watchIndex } from './accessView';
import { insertCrossAccountStatement } from './insertStatement';
import { explainAccessCommand } from './explainAccess';
import { statusBar } from './statusBar';

let client: LanguageClient | undefined;

function describe(summary: ValidationSummary | null, what: string): string {
  if (!summary) return `Keyshare: ${what} is not a policy.`;
  const { error, warning, info, hint } = summary.counts;
  return `Keyshare: ${what}: ${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}, ${info + hint} info (${summary.policies} polic${summary.policies === 1 ? 'y' : 'ies'}).`;
}

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient }> {
  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Beside the extensions that own these languages (Red Hat YAML, AWS Toolkit, HashiCorp
    // Terraform): the server reports only on the policies a file holds, and on nothing else.
    // The hosts' registry says which languages and files (protocol.ts): a file without a language of
    // its own (a .tf without the HashiCorp extension, a .json.tpl) is sent by its name.
    documentSelector: [...HOST_LANGUAGES.map((language) => ({ language })), { scheme: 'file', pattern: HOST_FILE_GLOB }],
    // Policies on disk feed the cross-file index; keyshare.json changes rebuild it.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(HOST_FILE_GLOB) },
    // Rule links (a diagnostic's code) open the rendered page on GitHub: VS Code opens a
    // codeDescription link as is, where a file: URI would show the Markdown source and a command:
    // URI is not run. The pages ship in the extension too: the "Read about" action below opens
    // them in the Markdown preview, offline.
    // VS Code's JSON support reports keyshare.json's syntax errors; the schema it validates with
    // checks nothing (it offers fields and values), and Keyshare reports the rest: one message each.
    initializationOptions: { configSyntaxReported: true } satisfies InitializationOptions,
    diagnosticCollectionName: 'keyshare',
  };
  client = new LanguageClient('keyshare', 'Keyshare', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('keyshare.validateFile', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) {
        void vscode.window.showWarningMessage('Keyshare: open a policy file first.');
        return undefined;
      }
      const summary = await client.sendRequest<ValidateFileResult>(ValidateFileRequest, { uri: editor.document.uri.toString() } satisfies ValidateFileParams);
      void vscode.window.showInformationMessage(describe(summary, path.basename(editor.document.fileName)));
      return summary;
    }),
    vscode.commands.registerCommand('keyshare.validateWorkspace', async () => {
      if (!client) return undefined;
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Keyshare: validating workspace policies…' },
        () => client!.sendRequest<ValidateWorkspaceResult>(ValidateWorkspaceRequest),
      );
      const choice = await Promise.race([
        vscode.window.showInformationMessage(describe(summary, 'workspace'), 'Show Problems'),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50)),
      ]);
      if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
      return summary;
    }),
    vscode.commands.registerCommand('keyshare.showCrossAccountAccess', () => (client ? showCrossAccountAccess(client) : undefined)),
    vscode.commands.registerCommand('keyshare.explainAccess', (args?: Parameters<typeof explainAccessCommand>[1]) => (client ? explainAccessCommand(client, args) : undefined)),
    vscode.commands.registerCommand('keyshare.insertCrossAccountStatement', () => (client ? insertCrossAccountStatement(client) : undefined)),
    // Run after quick fixes that create or edit another file, so the user sees the change.
    vscode.commands.registerCommand('keyshare.openFile', (uri: string) => vscode.window.showTextDocument(vscode.Uri.parse(uri), { preview: false })),
    vscode.commands.registerCommand('keyshare.openRuleDocs', (ruleId: string) =>
      vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(context.asAbsolutePath(path.join('docs', 'rules', `${ruleId}.md`))))),
  );

  // "Keyshare: read about <rule>" on each Keyshare diagnostic: the shipped page in the Markdown preview.
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider([{ language: 'iam-policy' }, { language: 'json' }, { language: 'jsonc' }], {
    provideCodeActions(_document, _range, codeActionContext) {
      const ids = new Set(codeActionContext.diagnostics.filter((d) => d.source === 'keyshare').map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)));
      return [...ids].map((id) => {
        const action = new vscode.CodeAction(`Keyshare: read about ${id}`, vscode.CodeActionKind.Empty);
        action.command = { title: action.title, command: 'keyshare.openRuleDocs', arguments: [id] };
        return action;
      });
    },
  }, { providedCodeActionKinds: [vscode.CodeActionKind.Empty] }));

  await client.start();
  context.subscriptions.push(watchIndex(client), statusBar(client));
  return { client };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
