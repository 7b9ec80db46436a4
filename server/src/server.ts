/**
 * The language server: LSP wiring only (capabilities, routing, debouncing, settings). It drives
 * the project layer (project/), which checks files in their workspace; the features/ adapters
 * turn results into LSP answers. Started by the VS Code client or by `keyshare lsp --stdio`.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { codeActions, FIX_ALL_KIND, resolveFixAll } from './features/codeActions';
import { completion } from './features/completion';
import { setDocsBase, toDiagnostic } from './features/diagnostics';
import { hover } from './features/hover';
import { insertStatement } from './features/insertStatement';
import { documentStatus, insertStatementChoices } from './features/status';
import { crossFileActions } from './features/crossFileFixes';
import { configActions, type ConfigFixContext } from './features/configFixes';
import { documentSymbols, foldingRanges, formatDocument, selectionRanges } from './features/structure';
import { isTerraformFile, walkHostFiles } from './project/files';
import { describeSummary, summarizeChecks, Tally, type CheckSummary } from './project/summary';
import { loadTerraformGrammar } from './terraformGrammar';
import { DEFAULT_SETTINGS, fileOf, isConfigFile, isJsonText, parseSettings, Project, type Analysis, type Settings } from './project';
import {
  AccessMapRequest,
  DocumentStatusRequest,
  IndexChangedNotification,
  InsertStatementChoicesRequest,
  InsertStatementRequest,
  ValidateFileRequest,
  ValidateWorkspaceRequest,
  type AccessMapResult,
  type DocumentStatusParams,
  type DocumentStatusResult,
  type InsertStatementChoices,
  type InsertStatementChoicesParams,
  type FixAllData,
  type InitializationOptions,
  type InsertStatementParams,
  type InsertStatementResult,
  type ValidateFileParams,
  type ValidateFileResult,
  type ValidateWorkspaceResult,
  type ValidationSummary,
} from './protocol';
import type { Finding } from './engine/types';
import { LineIndex } from './engine/text';
import { CONFIG_SYNTAX_MESSAGE } from './workspace/config';
import { handshakeLenses } from './features/codeLens';
import { ExplainError, explainAccess } from './project/explain';
import { sharedCatalog } from './catalog/iamData';
import { kmsActionsMatching } from './engine/access/evaluate';
import { ExplainChoicesRequest, ExplainRequest, type ExplainChoices, type ExplainChoicesParams, type ExplainParams, type ExplainResult } from './protocol';

export type { ValidationSummary } from './protocol';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  // Terraform's grammar (WebAssembly) loads on the first .tf the server meets; JSON and YAML never wait for it.
  let terraformGrammar: Promise<void> | undefined;
  const terraformReady = (): Promise<void> =>
    (terraformGrammar ??= loadTerraformGrammar().then(
      () => undefined,
      (error) => log(`Keyshare could not load the Terraform grammar, so .tf files are not checked: ${(error as Error).message}`),
    ));
  const hostsReady = (uri: string): Promise<void> => (isTerraformFile(uri) ? terraformReady() : Promise.resolve());
  const documents = new TextDocuments(TextDocument);
  const loggedOnce = new Set<string>();
  const log = (message: string) => {
    if (loggedOnce.has(message)) return;
    loggedOnce.add(message);
    connection.console.error(message);
  };
  const project = new Project({ onRuleError: (ruleId, error) => log(`Rule ${ruleId} failed and was skipped: ${(error as Error).stack ?? error}`), log, terraformReady });
  // Explain (and the expect entries) read what the user sees: open buffers before the disk.
  project.openText = (uri) => documents.get(uri)?.getText();
  /** Open documents' latest analyses. Reads (hover, completion, ...) may fill it; only checks record them in the index. */
  const analyses = new Map<string, Analysis>();
  const recorded = new WeakSet<Analysis>();
  const settingsUsed = new WeakMap<Analysis, Settings>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** The version each open document was last scheduled for (opening fires a change too). */
  const scheduled = new Map<string, number>();
  // Requests that need the whole index wait for the first build (or for knowing there is none).
  let firstIndexDone!: () => void;
  let indexReady: Promise<void> = new Promise((resolve) => (firstIndexDone = resolve));
  /** Pushed settings, or pulled without a scope: for the index. */
  let windowSettings: Settings = DEFAULT_SETTINGS;
  /** Pulled per scope (a document, or the workspace folder of a closed file). */
  const scopedSettings = new Map<string, Settings>();
  const pendingSettings = new Map<string, Promise<Settings>>();
  let settingsGeneration = 0;
  let debounceMs = 150;
  let canPullConfiguration = false;
  let canResolveCodeActions = false;
  let canRefreshCodeLenses = false;
  let workspaceFolders: string[] = [];
  let indexWorkspace = true;
  let configSyntaxReported = false;
  /**
   * Closed files whose diagnostics the server owns (checked by Validate Workspace), with how
   * many it last published: disk events and edits elsewhere keep them current.
   */
  const publishedFromDisk = new Map<string, number>();

  /** Never let one document take the server down. */
  const guard = <T>(what: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      log(`${what} failed: ${(error as Error).stack ?? error}`);
      return fallback;
    }
  };

  /** The settings a document was last checked with (a read, for hover and the like). */
  const settingsOf = (uri: string): Settings => scopedSettings.get(uri) ?? windowSettings;

  /** The settings for a scope: pulled once per scope (workspace/configuration with scopeUri), else pushed. */
  const settingsFor = (scope: string): Promise<Settings> => {
    if (!canPullConfiguration) return Promise.resolve(windowSettings);
    const known = scopedSettings.get(scope);
    if (known) return Promise.resolve(known);
    let pending = pendingSettings.get(scope);
    if (!pending) {
      const generation = settingsGeneration;
      pending = connection.workspace.getConfiguration([{ scopeUri: scope, section: 'keyshare' }]).then(
        ([section]) => parseSettings(section),
        () => windowSettings,
      ).then((settings) => {
        if (generation === settingsGeneration) {
          scopedSettings.set(scope, settings);
          pendingSettings.delete(scope);
        }
        return settings;
      });
      pendingSettings.set(scope, pending);
    }
    return pending;
  };

  /** A closed file's settings: those of its workspace folder. */
  const closedFileScope = (uri: string): string => {
    const file = fileOf(uri);
    const folder = file ? workspaceFolders.find((f) => file.startsWith(f.endsWith(path.sep) ? f : f + path.sep)) : undefined;
    return folder ? URI.file(folder).toString() : uri;
  };

  /** A read: the open document's analysis, computed if stale. Never touches the index. */
  const analysisOf = (uri: string): Analysis | undefined => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const cached = analyses.get(uri);
    if (cached && cached.version === document.version) return cached;
    const settings = settingsOf(uri);
    const fresh = project.analyse(uri, document.getText(), settings, { version: document.version });
    settingsUsed.set(fresh, settings);
    analyses.set(uri, fresh);
    return fresh;
  };

  let indexNotice: NodeJS.Timeout | undefined;
  /** Tells the client the index changed (the access view refreshes), at most every 200 ms. */
  const indexChanged = () => {
    if (indexNotice) return;
    indexNotice = setTimeout(() => {
      indexNotice = undefined;
      void connection.sendNotification(IndexChangedNotification).catch(() => undefined);
      if (canRefreshCodeLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }, 200);
  };

  const diagnosticsOf = (analysis: Analysis, findings: Finding[]) => findings.map((finding) => toDiagnostic(analysis, finding));

  /** Checks an open document: records it in the index, re-checks the files it affects, publishes. */
  const validate = async (uri: string): Promise<void> => {
    if (!documents.get(uri)) return;
    await hostsReady(uri);
    const settings = await settingsFor(uri);
    guard(`Checking ${uri}`, undefined, () => {
      const document = documents.get(uri);
      if (!document) return;
      let analysis = analyses.get(uri);
      if (!analysis || analysis.version !== document.version || settingsUsed.get(analysis) !== settings) {
        analysis = project.analyse(uri, document.getText(), settings, { version: document.version });
        settingsUsed.set(analysis, settings);
        analyses.set(uri, analysis);
      }
      if (!recorded.has(analysis)) {
        recorded.add(analysis);
        const affected = guard('Indexing', [] as string[], () => project.record(analysis!));
        if (analysis.result.isPolicy || affected.length) indexChanged();
        for (const other of affected) recheck(other);
      }
      // A new, still empty buffer is not an error yet: it is reported once it holds something.
      let findings = analysis.text.trim() === '' ? [] : project.findings(analysis);
      if (analysis.isConfig && configSyntaxReported) findings = findings.filter((f) => f.message !== CONFIG_SYNTAX_MESSAGE);
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics: diagnosticsOf(analysis, findings) });
    });
  };

  const schedule = (uri: string, delay: number): Promise<void> => {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    const version = documents.get(uri)?.version;
    if (version !== undefined) scheduled.set(uri, version);
    if (delay <= 0) return validate(uri);
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      void validate(uri);
    }, delay));
    return Promise.resolve();
  };

  /**
   * Publishes a closed file's findings from disk (none when it is gone or no longer a policy),
   * unless nothing was and nothing is to be shown; `always` after its editor closed.
   */
  const publishClosed = (uri: string, analysis: Analysis | undefined, findings: Finding[], always = false) => {
    const diagnostics = analysis ? diagnosticsOf(analysis, findings) : [];
    if (always || diagnostics.length || (publishedFromDisk.get(uri) ?? 0) > 0) void connection.sendDiagnostics({ uri, diagnostics });
    if (analysis?.result.isPolicy || analysis?.isConfig) publishedFromDisk.set(uri, diagnostics.length);
    else publishedFromDisk.delete(uri);
  };

  const republishFromDisk = async (uri: string, always = false): Promise<void> => {
    await hostsReady(uri);
    const settings = await settingsFor(closedFileScope(uri));
    if (documents.get(uri)) return;
    guard(`Checking ${uri}`, undefined, () => {
      const file = fileOf(uri);
      const analysis = file ? project.analyseFile(file, settings) : undefined;
      publishClosed(uri, analysis, analysis?.result.isPolicy || analysis?.isConfig ? project.findings(analysis) : [], always);
    });
  };

  /** A file whose findings may have changed: open ones are re-checked, closed ones re-published if they were. */
  const recheck = (uri: string) => {
    if (documents.get(uri)) void schedule(uri, 0);
    else if (publishedFromDisk.has(uri)) void republishFromDisk(uri);
  };

  const revalidateAll = () => {
    analyses.clear();
    for (const document of documents.all()) void schedule(document.uri, 0);
    for (const uri of [...publishedFromDisk.keys()]) if (!documents.get(uri)) void republishFromDisk(uri);
  };

  /** (Re)builds the cross-file index from the workspace folders, in the background. */
  const rebuildIndex = () => {
    project.clear();
    analyses.clear();
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
        const total = await project.build(workspaceFolders, windowSettings, (uri) => !!documents.get(uri), (done, count) => progress?.report(count ? Math.round((done / count) * 100) : 100, `${done}/${count} files`));
        connection.console.log(`Keyshare indexed ${total} JSON files (${project.fileCount} policies) in ${Date.now() - started} ms.`);
      } catch (error) {
        log(`Indexing the workspace failed: ${(error as Error).stack ?? error}`);
      } finally {
        progress?.done();
      }
      revalidateAll();
      indexChanged();
      firstIndexDone();
    })();
  };

  /** Window-wide settings and files.exclude (pull clients); per-scope settings are pulled on use. */
  const pullSettings = async () => {
    if (!canPullConfiguration) return;
    const [value = {}, excludes = {}] = (await connection.workspace.getConfiguration([{ section: 'keyshare' }, { section: 'files.exclude' }])) ?? [];
    project.excludes = Object.entries(excludes ?? {}).filter(([, on]) => on === true).map(([glob]) => glob);
    windowSettings = parseSettings(value);
  };

  const forgetScopedSettings = () => {
    settingsGeneration++;
    scopedSettings.clear();
    pendingSettings.clear();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    indexWorkspace = options.indexWorkspace !== false;
    configSyntaxReported = options.configSyntaxReported === true;
    if (options.docsBase) setDocsBase(options.docsBase);
    if (typeof options.debounceMs === 'number') debounceMs = options.debounceMs;
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    canResolveCodeActions = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    canRefreshCodeLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
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
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'keyshare' }).catch(() => undefined);
      await pullSettings().catch(() => undefined);
    }
    if (indexWorkspace && workspaceFolders.length) rebuildIndex();
    else {
      revalidateAll();
      firstIndexDone();
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    forgetScopedSettings();
    if (canPullConfiguration) await pullSettings().catch(() => undefined);
    else {
      const pushed = change.settings as { keyshare?: unknown } | null | undefined;
      if (pushed && typeof pushed === 'object' && 'keyshare' in pushed) windowSettings = parseSettings(pushed.keyshare);
    }
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((change) => {
    if (change.changes.some((c) => isConfigFile(URI.parse(c.uri).path))) {
      project.clear();
      if (indexWorkspace) rebuildIndex();
      else revalidateAll();
      return;
    }
    const affected = new Set<string>();
    for (const event of change.changes) {
      const file = fileOf(event.uri);
      if (!file || documents.get(event.uri)) continue; // open files speak for themselves
      const uri = URI.file(file).toString();
      const others = guard('Indexing', [] as string[], () =>
        event.type === FileChangeType.Deleted ? project.fileDeleted(uri) : project.fileChanged(file, windowSettings));
      for (const other of others) affected.add(other);
      affected.add(uri); // its own diagnostics, if the server published them
    }
    for (const uri of affected) recheck(uri);
    indexChanged();
  });

  documents.onDidOpen((event) => void schedule(event.document.uri, 0));
  documents.onDidChangeContent((event) => {
    // Opening a document fires this too: the open handler has already scheduled that version.
    if (scheduled.get(event.document.uri) === event.document.version) return;
    void schedule(event.document.uri, debounceMs);
  });
  documents.onDidSave((event) => {
    if (isConfigFile(URI.parse(event.document.uri).path)) {
      project.configs.invalidate();
      revalidateAll();
    }
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    analyses.delete(uri);
    scheduled.delete(uri);
    scopedSettings.delete(uri);
    // The index goes back to the file on disk (the buffer may have held unsaved edits).
    const file = fileOf(uri);
    if (file) {
      const affected = guard('Indexing', [] as string[], () => project.fileChanged(file, windowSettings));
      for (const other of affected) recheck(other);
      indexChanged();
    }
    if (publishedFromDisk.has(uri)) void republishFromDisk(uri, true);
    else void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.onHover((params) => guard('Hover', null, () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? hover(analysis, params.position) : null;
  }));
  connection.onCompletion((params) => guard('Completion', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis && isJsonText(analysis) && (analysis.result.isPolicy || analysis.text.trim() === '') ? completion(analysis, params.position) : [];
  }));
  connection.onCodeAction((params) => guard('Code actions', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    return [
      ...codeActions(analysis, params, project.crossFileFindings(analysis), canResolveCodeActions),
      ...crossFileActions(analysis, params, {
        index: project.indexFor(analysis.uri),
        textOf: (uri) => documents.get(uri)?.getText() ?? readText(uri),
        analyseOther: (uri, text) => project.analyse(uri, text, settingsOf(uri)),
        exists: (file) => fs.existsSync(file),
      }),
      ...configActions(analysis, params, configFixContext(analysis.uri)),
    ];
  }));
  connection.onCodeActionResolve((action: CodeAction) => guard('Resolving a code action', action, () => {
    const data = action.data as FixAllData | undefined;
    return data?.uri ? resolveFixAll(action, analysisOf(data.uri)) : action;
  }));
  connection.onDocumentSymbol((params) => guard('Outline', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? documentSymbols(analysis) : [];
  }));
  connection.onFoldingRanges((params) => guard('Folding', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis && isJsonText(analysis) ? foldingRanges(analysis) : [];
  }));
  connection.onSelectionRanges((params) => guard('Selection ranges', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis && isJsonText(analysis) ? selectionRanges(analysis, params.positions) : [];
  }));
  connection.onDocumentFormatting((params) => guard('Formatting', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis && isJsonText(analysis) ? formatDocument(analysis, params.options) : [];
  }));
  connection.onDocumentRangeFormatting((params) => guard('Formatting', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis && isJsonText(analysis) ? formatDocument(analysis, params.options, params.range) : [];
  }));

  connection.onRequest(ValidateFileRequest, async (params: ValidateFileParams): Promise<ValidateFileResult> => {
    if (!documents.get(params.uri)) return null;
    await schedule(params.uri, 0); // an analysis already checked and recorded is reused
    return guard('Validate file', null, () => {
      const analysis = analysisOf(params.uri);
      return analysis ? withText(summarizeChecks([{ analysis, findings: analysis.result.isPolicy || analysis.isConfig ? project.findings(analysis) : [] }])) : null;
    });
  });

  connection.onRequest(ValidateWorkspaceRequest, async (): Promise<ValidateWorkspaceResult> => {
    await indexReady;
    try {
      return await validateWorkspace();
    } catch (error) {
      log(`Validate workspace failed: ${(error as Error).stack ?? error}`);
      return null;
    }
  });

  // Counted by the project's Tally, as `keyshare check` counts the same files (keyshare.json included).
  const validateWorkspace = async (): Promise<ValidationSummary> => {
    const tally = new Tally();
    for (const folder of workspaceFolders) {
      const settings = await settingsFor(URI.file(folder).toString());
      for (const file of walkHostFiles(folder)) {
        const uri = URI.file(file).toString();
        if (documents.get(uri)) {
          await validate(uri);
          const analysis = analysisOf(uri);
          if (analysis) tally.add(analysis, analysis.result.isPolicy || analysis.isConfig ? project.findings(analysis) : []);
          else tally.unreadable();
          continue;
        }
        guard(`Checking ${uri}`, undefined, () => {
          const analysis = project.analyseFile(file, settings);
          if (!analysis) return tally.unreadable();
          if (!analysis.result.isPolicy && !analysis.isConfig) return tally.add(analysis, []);
          project.record(analysis, true);
          const findings = project.findings(analysis);
          tally.add(analysis, findings);
          publishClosed(uri, analysis, findings);
        });
      }
    }
    return withText(tally.summary);
  };

  connection.onRequest(AccessMapRequest, async (): Promise<AccessMapResult> => {
    await indexReady;
    return guard('Access map', [], () => project.accessMaps());
  });

  connection.onRequest(InsertStatementRequest, (params: InsertStatementParams): InsertStatementResult => {
    const analysis = analysisOf(params.uri);
    if (!analysis) throw new Error('The document is not open.');
    const { edit, inserted, newText } = insertStatement(analysis, params.statement);
    return { range: analysis.lines.rangeOf(edit), newText: edit.newText, inserted: inserted ? new LineIndex(newText).rangeOf(inserted) : undefined };
  });

  connection.onRequest(InsertStatementChoicesRequest, (params: InsertStatementChoicesParams): InsertStatementChoices => {
    const analysis = analysisOf(params.uri);
    if (!analysis) throw new Error('The document is not open.');
    return insertStatementChoices(analysis, project.configFor(params.uri)?.loaded.resolved.config);
  });

  connection.onRequest(DocumentStatusRequest, async (params: DocumentStatusParams): Promise<DocumentStatusResult> => {
    await indexReady;
    return guard('Document status', null, () => {
      const analysis = analysisOf(params.uri);
      return analysis && !analysis.isConfig ? documentStatus(analysis, project.indexFor(params.uri).accessMap()) : null;
    });
  });

  /** The keyshare.json a document's quick fixes read or edit (its open buffer first), and its workspace folder. */
  const configFixContext = (uri: string): ConfigFixContext => {
    const file = fileOf(uri);
    const folder = file ? workspaceFolders.find((f) => file.startsWith(f.endsWith(path.sep) ? f : f + path.sep)) : undefined;
    const config = project.configFor(uri);
    if (!config) return { folder };
    const text = documents.get(URI.file(config.file).toString())?.getText() ?? config.loaded.text;
    return { folder, config: { file: config.file, text, keys: config.loaded.resolved.config.keys } };
  };

  const readText = (uri: string): string | undefined => {
    const file = fileOf(uri);
    const read = file ? project.read(file) : undefined;
    return read?.ok ? read.text : undefined;
  };

  connection.onCodeLens(async (params) => {
    await indexReady;
    return guard('Code lenses', [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      if (!analysis || analysis.isConfig || !analysis.result.isPolicy) return [];
      return handshakeLenses(analysis, project.indexFor(analysis.uri)).map((lens) => ({
        range: { start: lens.range.start, end: lens.range.start },
        command: lens.target ? { title: lens.title, command: 'keyshare.openFile', arguments: [lens.target] } : { title: lens.title, command: '' },
      }));
    });
  });

  /** The file or folder whose keyshare.json an explain request reads. */
  const explainAnchor = (uri: string | undefined): string => {
    if (uri) return uri;
    if (workspaceFolders.length) return URI.file(path.join(workspaceFolders[0], 'keyshare.json')).toString();
    throw new Error('Open a folder (with a keyshare.json) first.');
  };

  connection.onRequest(ExplainRequest, async (params: ExplainParams): Promise<ExplainResult> => {
    await indexReady;
    const base = { principal: params.principal, action: params.action, key: params.key };
    try {
      const answer = explainAccess(project, explainAnchor(params.uri), {
        ...base,
        policies: params.policies?.map((p) => fileOf(p) ?? p),
        context: params.context,
      });
      return {
        verdict: answer.verdict, principal: answer.principal, action: answer.action, key: answer.key, summary: answer.summary,
        because: answer.because.map((c) => ({ uri: c.uri, range: c.range, policy: c.policy, effect: c.effect, sid: c.sid, half: c.half })),
        depends: answer.depends, notes: answer.notes,
      };
    } catch (error) {
      if (!(error instanceof ExplainError)) throw error;
      return { ...base, verdict: 'depends', summary: error.message, because: [], depends: [], notes: [], error: error.message };
    }
  });

  connection.onRequest(ExplainChoicesRequest, async (params: ExplainChoicesParams): Promise<ExplainChoices> => {
    await indexReady;
    const index = project.indexFor(explainAnchor(params.uri));
    const principals = new Map<string, string | undefined>();
    for (const p of index.config.principals) principals.set(p.arn, `identity policies: ${p.policies.join(', ')}`);
    for (const summary of index.summaries) {
      for (const grant of summary.grants) if (!grant.wildcard && grant.principal.startsWith('arn:') && !principals.has(grant.principal)) principals.set(grant.principal, 'named in a key policy');
    }
    for (const account of index.config.accounts) {
      const root = `arn:aws:iam::${account.id}:root`;
      if (!principals.has(root)) principals.set(root, account.name ? `account ${account.name}` : 'account root');
    }
    const keys: ExplainChoices['keys'] = [];
    for (const key of index.config.keys) {
      keys.push({ key: key.aliases[0] ?? key.arn, detail: key.aliases[0] ? key.arn : key.policy });
    }
    return {
      principals: [...principals].map(([arn, detail]) => ({ arn, detail })),
      keys,
      actions: ['kms:*', ...[...kmsActionsMatching(sharedCatalog(), 'kms:*')].sort()],
    };
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

const withText = (summary: CheckSummary): ValidationSummary => ({ ...summary, text: describeSummary(summary) });

if (require.main === module) startServer();
