/**
 * The language server: wiring only. It makes the project, the settings store and the document
 * checker, registers the handlers (lsp/handlers.ts, one per method) and follows the client's
 * lifecycle: initialize, settings, watched files, open, change and close. Started by the VS Code
 * client or by `keyshare lsp --stdio`.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { FIX_ALL_KIND } from './features/codeActions';
import { diagnosticsContext, DEFAULT_DIAGNOSTICS } from './features/diagnostics';
import { needsGrammar } from './project/files';
import { loadTerraformGrammar } from './terraformGrammar';
import { fileOf, isConfigFile, Project } from './project';
import type { InitializationOptions } from './protocol';
import { DocumentChecker } from './lsp/documentChecker';
import { registerFeatureHandlers, registerRequests, workspaceFolderOf } from './lsp/handlers';
import { SettingsStore } from './lsp/settingsStore';

export type { ValidationSummary } from './protocol';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const loggedOnce = new Set<string>();
  const log = (message: string) => {
    if (loggedOnce.has(message)) return;
    loggedOnce.add(message);
    connection.console.error(message);
  };
  /** Never let one document take the server down. */
  const guard = <T>(what: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      log(`${what} failed: ${(error as Error).stack ?? error}`);
      return fallback;
    }
  };
  // Terraform's grammar (WebAssembly) loads on the first .tf the server meets; JSON and YAML never wait for it.
  let terraformGrammar: Promise<void> | undefined;
  const terraformReady = (): Promise<void> =>
    (terraformGrammar ??= loadTerraformGrammar().then(
      () => undefined,
      (error) => log(`Keyshare could not load the Terraform grammar, so .tf files are not checked: ${(error as Error).message}`),
    ));

  const documents = new TextDocuments(TextDocument);
  const project = new Project({ onRuleError: (ruleId, error) => log(`Rule ${ruleId} failed and was skipped: ${(error as Error).stack ?? error}`), log, terraformReady });
  // Explain (and the expect entries) read what the user sees: open buffers before the disk.
  project.openText = (uri) => documents.get(uri)?.getText();
  const settings = new SettingsStore(connection);
  let workspaceFolders: string[] = [];
  const diagnostics = { ...DEFAULT_DIAGNOSTICS };
  const checker = new DocumentChecker({
    connection,
    documents,
    project,
    settings,
    guard,
    diagnostics,
    hostsReady: (uri) => (needsGrammar(uri) ? terraformReady() : Promise.resolve()),
    closedFileScope: (uri) => {
      const file = fileOf(uri);
      const folder = file ? workspaceFolderOf(workspaceFolders, file) : undefined;
      return folder ? URI.file(folder).toString() : uri;
    },
  });
  // Requests that need the whole index wait for the first build (or for knowing there is none).
  let firstIndexDone!: () => void;
  let indexReady: Promise<void> = new Promise((resolve) => (firstIndexDone = resolve));
  let indexWorkspace = true;
  let canResolveCodeActions = false;

  /** (Re)builds the cross-file index from the workspace folders, in the background. */
  const rebuildIndex = () => {
    project.clear();
    checker.forgetAnalyses();
    indexReady = (async () => {
      let progress: Awaited<ReturnType<typeof connection.window.createWorkDoneProgress>> | undefined;
      try {
        progress = await connection.window.createWorkDoneProgress();
        progress.begin('Keyshare: indexing policies', 0, undefined, false);
      } catch {
        progress = undefined;
      }
      try {
        const started = Date.now();
        const total = await project.build(workspaceFolders, settings.windowSettings, (uri) => !!documents.get(uri), (done, count) => progress?.report(count ? Math.round((done / count) * 100) : 100, `${done}/${count} files`));
        connection.console.log(`Keyshare indexed ${total} JSON files (${project.fileCount} policies) in ${Date.now() - started} ms.`);
      } catch (error) {
        log(`Indexing the workspace failed: ${(error as Error).stack ?? error}`);
      } finally {
        progress?.done();
      }
      checker.revalidateAll();
      checker.indexChanged();
      firstIndexDone();
    })();
  };

  const pullSettings = async () => {
    await settings.pullWindow();
    project.excludes = settings.excludes;
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    indexWorkspace = options.indexWorkspace !== false;
    checker.configSyntaxReported = options.configSyntaxReported === true;
    Object.assign(diagnostics, diagnosticsContext(options.docsBase));
    if (typeof options.debounceMs === 'number') checker.debounceMs = options.debounceMs;
    settings.canPull = !!params.capabilities.workspace?.configuration;
    canResolveCodeActions = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    checker.canRefreshCodeLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND], resolveProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'keyshare' },
    };
  });

  connection.onInitialized(async () => {
    if (settings.canPull) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'keyshare' }).catch(() => undefined);
      await pullSettings().catch(() => undefined);
    }
    if (indexWorkspace && workspaceFolders.length) rebuildIndex();
    else {
      checker.revalidateAll();
      firstIndexDone();
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    settings.forgetScopes();
    if (settings.canPull) await pullSettings().catch(() => undefined);
    else settings.pushed(change.settings);
    checker.revalidateAll();
  });

  connection.onDidChangeWatchedFiles((change) => {
    if (change.changes.some((c) => isConfigFile(URI.parse(c.uri).path))) {
      project.clear();
      if (indexWorkspace) rebuildIndex();
      else checker.revalidateAll();
      return;
    }
    const affected = new Set<string>();
    for (const event of change.changes) {
      const file = fileOf(event.uri);
      if (!file || documents.get(event.uri)) continue; // open files speak for themselves
      const uri = URI.file(file).toString();
      const others = guard('Indexing', [] as string[], () =>
        event.type === FileChangeType.Deleted ? project.fileDeleted(uri) : project.fileChanged(file, settings.windowSettings));
      for (const other of others) affected.add(other);
      affected.add(uri); // its own diagnostics, if the server published them
    }
    for (const uri of affected) checker.recheck(uri);
    checker.indexChanged();
  });

  documents.onDidOpen((event) => void checker.schedule(event.document.uri, 0));
  // Opening a document fires a change too: the open handler has already scheduled that version.
  documents.onDidChangeContent((event) => checker.changed(event.document.uri, event.document.version));
  documents.onDidSave((event) => {
    if (isConfigFile(URI.parse(event.document.uri).path)) {
      project.configs.invalidate();
      checker.revalidateAll();
    }
  });
  documents.onDidClose((event) => checker.closed(event.document.uri));

  const context = {
    connection,
    documents,
    project,
    checker,
    settings,
    guard,
    log,
    indexReady: () => indexReady,
    workspaceFolders: () => workspaceFolders,
    canResolveCodeActions: () => canResolveCodeActions,
  };
  registerFeatureHandlers(context);
  registerRequests(context);

  documents.listen(connection);
  connection.listen();
  return connection;
}

if (require.main === module) startServer();
