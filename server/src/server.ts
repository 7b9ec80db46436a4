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
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { FIX_ALL_KIND } from './features/codeActions';
import { diagnosticsContext, DEFAULT_DIAGNOSTICS } from './features/diagnostics';
import { needsGrammar } from './project/files';
import { fileOf, isConfigFile, Project } from './project';
import type { InitializationOptions } from './protocol';
import { DocumentChecker } from './lsp/documentChecker';
import { registerFeatureHandlers, registerRequests, workspaceFolderOf } from './lsp/handlers';
import { SettingsStore } from './lsp/settingsStore';

export type { ValidationSummary } from './protocol';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  new KeyshareServer(connection).listen();
  return connection;
}

const CAPABILITIES: InitializeResult['capabilities'] = {
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
};

/** The server's state and its lifecycle handlers; the feature handlers live in lsp/handlers.ts. */
class KeyshareServer {
  private readonly loggedOnce = new Set<string>();
  private readonly documents = new TextDocuments(TextDocument);
  private readonly project: Project;
  private readonly settings: SettingsStore;
  private readonly checker: DocumentChecker;
  private readonly diagnostics = { ...DEFAULT_DIAGNOSTICS };
  private workspaceFolders: string[] = [];
  // Requests that need the whole index wait for the first build (or for knowing there is none).
  private firstIndexDone!: () => void;
  private indexReady: Promise<void> = new Promise((resolve) => (this.firstIndexDone = resolve));
  private indexWorkspace = true;
  private canResolveCodeActions = false;

  constructor(private readonly connection: Connection) {
    this.project = new Project({ onRuleError: (ruleId, error) => this.log(`Rule ${ruleId} failed and was skipped: ${(error as Error).stack ?? error}`), log: this.log, onGrammarError: this.grammarFailed });
    // Explain (and the expect entries) read what the user sees: open buffers before the disk.
    this.project.openText = (uri) => this.documents.get(uri)?.getText();
    this.settings = new SettingsStore(connection);
    this.checker = new DocumentChecker({
      connection,
      documents: this.documents,
      project: this.project,
      settings: this.settings,
      guard: this.guard,
      diagnostics: this.diagnostics,
      // Terraform's grammar (WebAssembly) loads on the first .tf the server meets; JSON and YAML never wait for it.
      hostsReady: (uri) => (needsGrammar(uri) ? this.project.grammarsReady() : Promise.resolve()),
      closedFileScope: (uri) => {
        const file = fileOf(uri);
        const folder = file ? workspaceFolderOf(this.workspaceFolders, file) : undefined;
        return folder ? URI.file(folder).toString() : uri;
      },
    });
  }

  private readonly log = (message: string): void => {
    if (this.loggedOnce.has(message)) return;
    this.loggedOnce.add(message);
    this.connection.console.error(message);
  };

  /** Never let one document take the server down. */
  private readonly guard = <T>(what: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      this.log(`${what} failed: ${(error as Error).stack ?? error}`);
      return fallback;
    }
  };

  private readonly grammarFailed = (error: unknown): void => this.log(`Keyshare could not load the Terraform grammar, so .tf files are not checked: ${(error as Error).message}`);

  listen(): void {
    const { connection, documents, checker, project } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration((change) => this.configurationChanged(change.settings));
    connection.onDidChangeWatchedFiles((change) => this.watchedFilesChanged(change.changes));
    documents.onDidOpen((event) => void checker.schedule(event.document.uri, 0));
    // Opening a document fires a change too: the open handler has already scheduled that version.
    documents.onDidChangeContent((event) => checker.changed(event.document.uri, event.document.version));
    documents.onDidSave((event) => {
      if (!isConfigFile(URI.parse(event.document.uri).path)) return;
      project.configs.invalidate();
      checker.revalidateAll();
    });
    documents.onDidClose((event) => checker.closed(event.document.uri));
    const context = {
      connection,
      documents,
      project,
      checker,
      settings: this.settings,
      guard: this.guard,
      log: this.log,
      indexReady: () => this.indexReady,
      workspaceFolders: () => this.workspaceFolders,
      canResolveCodeActions: () => this.canResolveCodeActions,
    };
    registerFeatureHandlers(context);
    registerRequests(context);
    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const { checker } = this;
    this.indexWorkspace = options.indexWorkspace !== false;
    checker.configSyntaxReported = options.configSyntaxReported === true;
    Object.assign(this.diagnostics, diagnosticsContext(options.docsBase));
    if (typeof options.debounceMs === 'number') checker.debounceMs = options.debounceMs;
    this.settings.canPull = !!params.capabilities.workspace?.configuration;
    this.canResolveCodeActions = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    checker.canRefreshCodeLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    this.workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    if (this.workspaceFolders.length === 0 && params.rootUri) this.workspaceFolders = [URI.parse(params.rootUri).fsPath];
    return { capabilities: CAPABILITIES, serverInfo: { name: 'keyshare' } };
  }

  private async initialized(): Promise<void> {
    if (this.settings.canPull) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'keyshare' }).catch(() => undefined);
      await this.pullSettings().catch(() => undefined);
    }
    if (this.indexWorkspace && this.workspaceFolders.length) this.rebuildIndex();
    else {
      this.checker.revalidateAll();
      this.firstIndexDone();
    }
  }

  private async pullSettings(): Promise<void> {
    await this.settings.pullWindow();
    this.project.excludes = this.settings.excludes;
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    this.settings.forgetScopes();
    if (this.settings.canPull) await this.pullSettings().catch(() => undefined);
    else this.settings.pushed(pushed);
    this.checker.revalidateAll();
  }

  private watchedFilesChanged(changes: FileEvent[]): void {
    const { project, checker } = this;
    if (changes.some((c) => isConfigFile(URI.parse(c.uri).path))) {
      project.clear();
      if (this.indexWorkspace) this.rebuildIndex();
      else checker.revalidateAll();
      return;
    }
    const affected = new Set<string>();
    for (const event of changes) {
      const file = fileOf(event.uri);
      if (!file || this.documents.get(event.uri)) continue; // open files speak for themselves
      const uri = URI.file(file).toString();
      const others = this.guard('Indexing', [] as string[], () =>
        event.type === FileChangeType.Deleted ? project.fileDeleted(uri) : project.fileChanged(file, this.settings.windowSettings));
      for (const other of others) affected.add(other);
      affected.add(uri); // its own diagnostics, if the server published them
    }
    for (const uri of affected) checker.recheck(uri);
    checker.indexChanged();
  }

  /** (Re)builds the cross-file index from the workspace folders, in the background. */
  private rebuildIndex(): void {
    this.project.clear();
    this.checker.forgetAnalyses();
    this.indexReady = this.buildIndex();
  }

  private async buildIndex(): Promise<void> {
    const { connection, project, checker } = this;
    let progress: Awaited<ReturnType<typeof connection.window.createWorkDoneProgress>> | undefined;
    try {
      progress = await connection.window.createWorkDoneProgress();
      progress.begin('Keyshare: indexing policies', 0, undefined, false);
    } catch {
      progress = undefined;
    }
    try {
      const started = Date.now();
      const total = await project.build(this.workspaceFolders, this.settings.windowSettings, (uri) => !!this.documents.get(uri), (done, count) => progress?.report(count ? Math.round((done / count) * 100) : 100, `${done}/${count} files`));
      connection.console.log(`Keyshare indexed ${total} JSON files (${project.fileCount} policies) in ${Date.now() - started} ms.`);
    } catch (error) {
      this.log(`Indexing the workspace failed: ${(error as Error).stack ?? error}`);
    } finally {
      progress?.done();
    }
    checker.revalidateAll();
    checker.indexChanged();
    this.firstIndexDone();
  }
}

if (require.main === module) startServer();
