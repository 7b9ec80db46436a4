/**
 * The language server: LSP wiring only. Analysis lives in the engine; the features/ adapters
 * turn its results into LSP answers. Started by the VS Code client or by `keyshare lsp --stdio`.
 */
import * as path from 'path';
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyse, ConfigStore, DEFAULT_SETTINGS, type Analysis, type ServerSettings } from './features/analysis';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { completion } from './features/completion';
import { diagnosticsFor, setDocsBase, toDiagnostic } from './features/diagnostics';
import { hover } from './features/hover';
import { insertStatementEdit } from './features/insertStatement';
import { crossFileActions } from './features/crossFileFixes';
import { WorkspaceIndexes } from './features/indexes';
import { documentSymbols, foldingRanges, formatDocument, selectionRanges } from './features/structure';
import { CONFIG_FILE, configFindings, parseConfig } from './workspace/config';
import { readPolicyFile, walkJsonFiles } from './workspace/files';
import { applySeverities } from './engine/check';
import { LineIndex } from './engine/text';
import type { Severity } from './engine/types';

export interface ValidationSummary {
  files: number;
  policies: number;
  counts: Record<Severity, number>;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  const timers = new Map<string, NodeJS.Timeout>();
  const configs = new ConfigStore();
  const indexes = new WorkspaceIndexes(configs);
  // Requests that need the whole index wait for the first build (or for knowing there is none).
  let firstIndexDone!: () => void;
  let indexReady: Promise<void> = new Promise((resolve) => (firstIndexDone = resolve));
  const loggedOnce = new Set<string>();
  let settings: ServerSettings = { ...DEFAULT_SETTINGS };
  let debounceMs = 150;
  let canPullConfiguration = false;
  let workspaceFolders: string[] = [];
  let indexWorkspace = true;
  /** Files outside the editor that Validate Workspace published diagnostics for. */
  const publishedFromDisk = new Set<string>();

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

  const analysisOf = (uri: string): Analysis | undefined => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const cached = analyses.get(uri);
    if (cached && cached.version === document.version) return cached;
    const fresh = analyse(uri, document.version, document.getText(), settings, configs, log);
    analyses.set(uri, fresh);
    // The other halves of this file's handshakes see the change too.
    if (fresh.result.isPolicy || cached?.result.isPolicy) {
      for (const other of guard('Indexing', [] as string[], () => indexes.record(fresh))) if (documents.get(other)) schedule(other, 0);
    }
    return fresh;
  };

  /** Single-file findings plus the cross-file handshake findings of the workspace index. */
  const diagnosticsOf = (analysis: Analysis) => {
    const cross = applySeverities(guard('Cross-file checks', [], () => indexes.findings(analysis.uri)), analysis.options);
    return [...diagnosticsFor(analysis), ...cross.map((finding) => toDiagnostic(analysis, finding))];
  };

  const validate = (uri: string) => {
    guard(`Checking ${uri}`, undefined, () => {
      const document = documents.get(uri);
      if (!document) return;
      if (path.basename(URI.parse(uri).path) === CONFIG_FILE) {
        validateConfig(uri, document.version, document.getText());
        return;
      }
      const analysis = analysisOf(uri);
      if (!analysis) return;
      void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: diagnosticsOf(analysis) });
    });
  };

  const validateConfig = (uri: string, version: number, text: string) => {
    const { config, problems } = parseConfig(text);
    const document = { uri, lines: new LineIndex(text) };
    void connection.sendDiagnostics({ uri, version, diagnostics: configFindings(config, problems).map((f) => toDiagnostic(document, f)) });
  };

  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    if (delay <= 0) {
      timers.delete(uri);
      validate(uri);
      return;
    }
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      validate(uri);
    }, delay));
  };

  const revalidateAll = () => {
    analyses.clear();
    for (const document of documents.all()) schedule(document.uri, 0);
  };

  /** (Re)builds the cross-file index from the workspace folders, in the background. */
  const rebuildIndex = () => {
    indexes.clear();
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
        const total = await indexes.build(workspaceFolders, settings, (uri) => !!documents.get(uri), log, (done, count) => progress?.report(count ? Math.round((done / count) * 100) : 100, `${done}/${count} files`));
        connection.console.log(`Keyshare indexed ${total} JSON files (${indexes.fileCount} policies) in ${Date.now() - started} ms.`);
      } catch (error) {
        log(`Indexing the workspace failed: ${(error as Error).stack ?? error}`);
      } finally {
        progress?.done();
      }
      revalidateAll();
      firstIndexDone();
    })();
  };

  const pullSettings = async () => {
    if (!canPullConfiguration) return;
    const [value = {}, excludes = {}] = (await connection.workspace.getConfiguration([{ section: 'keyshare' }, { section: 'files.exclude' }])) ?? [];
    indexes.excludes = Object.entries(excludes ?? {}).filter(([, on]) => on === true).map(([glob]) => glob);
    settings = {
      rules: typeof value.rules === 'object' && value.rules ? value.rules : {},
      maxFileSize: typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0 ? value.maxFileSizeMB * 1024 * 1024 : DEFAULT_SETTINGS.maxFileSize,
    };
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { docsBase?: string; debounceMs?: number; indexWorkspace?: boolean };
    indexWorkspace = options.indexWorkspace !== false;
    if (options.docsBase) setDocsBase(options.docsBase);
    if (typeof options.debounceMs === 'number') debounceMs = options.debounceMs;
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
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
    if (canPullConfiguration) await pullSettings().catch(() => undefined);
    else if (change.settings?.keyshare) settings = { ...settings, ...change.settings.keyshare };
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((change) => {
    if (change.changes.some((c) => c.uri.endsWith(CONFIG_FILE))) {
      configs.invalidate();
      if (indexWorkspace) rebuildIndex();
      else revalidateAll();
      return;
    }
    const affected = new Set<string>();
    for (const event of change.changes) {
      if (documents.get(event.uri) || URI.parse(event.uri).scheme !== 'file') continue; // open files speak for themselves
      const others = guard('Indexing', [] as string[], () =>
        event.type === 3 /* deleted */ ? indexes.forget(event.uri) : indexes.loadFromDisk(URI.parse(event.uri).fsPath, settings, log));
      for (const other of others) affected.add(other);
    }
    for (const uri of affected) if (documents.get(uri)) schedule(uri, 0);
  });

  documents.onDidOpen((event) => schedule(event.document.uri, 0));
  documents.onDidChangeContent((event) => {
    // Opening a document fires this too: the open handler has already checked that version.
    if (analyses.get(event.document.uri)?.version === event.document.version) return;
    schedule(event.document.uri, debounceMs);
  });
  documents.onDidSave((event) => {
    if (event.document.uri.endsWith(CONFIG_FILE)) {
      configs.invalidate();
      revalidateAll();
    }
  });
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    analyses.delete(event.document.uri);
    // The index goes back to the file on disk (the buffer may have held unsaved edits).
    const file = URI.parse(event.document.uri);
    if (file.scheme === 'file') {
      const affected = guard('Indexing', [] as string[], () => indexes.loadFromDisk(file.fsPath, settings, log));
      for (const uri of affected) if (documents.get(uri)) schedule(uri, 0);
    }
    if (!publishedFromDisk.has(event.document.uri)) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover((params) => guard('Hover', null, () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? hover(analysis, params.position) : null;
  }));
  connection.onCompletion((params) => guard('Completion', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis && (analysis.result.isPolicy || analysis.text.trim() === '') ? completion(analysis, params.position) : [];
  }));
  connection.onCodeAction((params) => guard('Code actions', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    const index = indexes.indexFor(analysis.uri);
    const cross = indexes.findings(analysis.uri);
    return [
      ...codeActions(analysis, params, cross),
      ...crossFileActions(analysis, params, {
        index,
        textOf: (uri) => documents.get(uri)?.getText() ?? readText(uri),
        analyseOther: (uri, text) => analyse(uri, 0, text, settings, configs, log),
      }),
    ];
  }));
  connection.onDocumentSymbol((params) => guard('Outline', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? documentSymbols(analysis) : [];
  }));
  connection.onFoldingRanges((params) => guard('Folding', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? foldingRanges(analysis) : [];
  }));
  connection.onSelectionRanges((params) => guard('Selection ranges', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? selectionRanges(analysis, params.positions) : [];
  }));
  connection.onDocumentFormatting((params) => guard('Formatting', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? formatDocument(analysis, params.options) : [];
  }));
  connection.onDocumentRangeFormatting((params) => guard('Formatting', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? formatDocument(analysis, params.options, params.range) : [];
  }));

  connection.onRequest('keyshare/validateFile', (params: { uri: string }) => guard('Validate file', null, () => {
    analyses.delete(params.uri);
    validate(params.uri);
    const analysis = analysisOf(params.uri);
    return analysis ? summarize([analysis]) : null;
  }));

  connection.onRequest('keyshare/validateWorkspace', async () => {
    await indexReady;
    return guard('Validate workspace', null, () => validateWorkspace());
  });

  const validateWorkspace = () => {
    const seen: Analysis[] = [];
    let files = 0;
    for (const folder of workspaceFolders) {
      for (const file of walkJsonFiles(folder)) {
        if (path.basename(file) === CONFIG_FILE) continue;
        files++;
        const uri = URI.file(file).toString();
        const open = documents.get(uri);
        let analysis: Analysis | undefined;
        if (open) analysis = analysisOf(uri);
        else {
          const read = readPolicyFile(file, settings.maxFileSize);
          if (!read.ok) continue;
          analysis = analyse(uri, 0, read.text, settings, configs, log);
          indexes.record(analysis);
        }
        if (!analysis?.result.isPolicy) continue;
        seen.push(analysis);
        if (!open) {
          const diagnostics = diagnosticsOf(analysis);
          if (diagnostics.length || publishedFromDisk.has(uri)) void connection.sendDiagnostics({ uri, diagnostics });
          if (diagnostics.length) publishedFromDisk.add(uri);
          else publishedFromDisk.delete(uri);
        } else {
          validate(uri);
        }
      }
    }
    const summary = summarize(seen);
    for (const analysis of seen) {
      for (const finding of indexes.findings(analysis.uri)) summary.counts[finding.severity]++;
    }
    return { ...summary, files };
  };

  connection.onRequest('keyshare/accessMap', async () => {
    await indexReady;
    return guard('Access map', [], () => indexes.accessMaps());
  });

  connection.onRequest('keyshare/insertStatement', (params: { uri: string; statement: Record<string, unknown> }) => {
    const analysis = analysisOf(params.uri);
    if (!analysis) throw new Error('The document is not open.');
    const edit = insertStatementEdit(analysis, params.statement);
    return { range: analysis.lines.rangeOf(edit), newText: edit.newText };
  });

  connection.onRequest('keyshare/documentInfo', (params: { uri: string }) => {
    const analysis = analysisOf(params.uri);
    const model = analysis?.result.model;
    return model ? { kind: model.kind, account: model.ownerAccount, accountSource: model.ownerSource === 'configuration' ? analysis!.accountSource : model.ownerSource } : null;
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

function readText(uri: string): string | undefined {
  const read = readPolicyFile(URI.parse(uri).fsPath);
  return read.ok ? read.text : undefined;
}

function summarize(analyses: Analysis[]): ValidationSummary {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const analysis of analyses) for (const finding of analysis.result.findings) counts[finding.severity]++;
  return { files: analyses.length, policies: analyses.filter((a) => a.result.isPolicy).length, counts };
}

if (require.main === module) startServer();
