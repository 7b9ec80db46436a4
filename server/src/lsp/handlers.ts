/**
 * The language server's handlers, one per LSP method or Keyshare request: each reads the open
 * document's analysis (or the index) and hands it to a features/ adapter. No handler owns state:
 * the DocumentChecker holds the analyses, the Project the index, the SettingsStore the settings.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CodeAction, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { codeActions, resolveFixAll } from '../features/codeActions';
import { completion } from '../features/completion';
import { hover } from '../features/hover';
import { insertStatement } from '../features/insertStatement';
import { documentStatus, insertStatementChoices } from '../features/status';
import { crossFileActions } from '../features/crossFileFixes';
import { configActions, type ConfigFixContext } from '../features/configFixes';
import { documentSymbols, foldingRanges, formatDocument, selectionRanges } from '../features/structure';
import { handshakeLenses } from '../features/codeLens';
import { walkHostFiles } from '../project/files';
import { describeSummary, summarizeChecks, Tally, type CheckSummary } from '../project/summary';
import { ExplainError, explainAccess, explainChoices } from '../project/explain';
import { fileOf, isJsonText, type Analysis, type Project } from '../project';
import { LineIndex } from '../engine/text';
import {
  AccessMapRequest,
  DocumentStatusRequest,
  ExplainChoicesRequest,
  ExplainRequest,
  InsertStatementChoicesRequest,
  InsertStatementRequest,
  ValidateFileRequest,
  ValidateWorkspaceRequest,
  type AccessMapResult,
  type DocumentStatusParams,
  type DocumentStatusResult,
  type ExplainChoices,
  type ExplainChoicesParams,
  type ExplainParams,
  type ExplainResult,
  type FixAllData,
  type InsertStatementChoices,
  type InsertStatementChoicesParams,
  type InsertStatementParams,
  type InsertStatementResult,
  type ValidateFileParams,
  type ValidateFileResult,
  type ValidateWorkspaceResult,
  type ValidationSummary,
} from '../protocol';
import type { DocumentChecker } from './documentChecker';
import type { SettingsStore } from './settingsStore';

export interface HandlerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  project: Project;
  checker: DocumentChecker;
  settings: SettingsStore;
  guard<T>(what: string, fallback: T, fn: () => T): T;
  log(message: string): void;
  /** Resolves once the first index build is done (or known not to happen). */
  indexReady(): Promise<void>;
  workspaceFolders(): readonly string[];
  canResolveCodeActions(): boolean;
}

/** The workspace folder that holds a file, if any. */
export function workspaceFolderOf(folders: readonly string[], file: string): string | undefined {
  return folders.find((f) => file.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
}

const withText = (summary: CheckSummary): ValidationSummary => ({ ...summary, text: describeSummary(summary) });

/** Hover, completion, code actions, outline, folding, selection ranges, formatting and lenses. */
export function registerFeatureHandlers(context: HandlerContext): void {
  const { connection, documents, project, checker, settings, guard } = context;
  const analysisOf = (uri: string) => checker.analysisOf(uri);
  const jsonOnly = (uri: string): Analysis | undefined => {
    const analysis = analysisOf(uri);
    return analysis && isJsonText(analysis) ? analysis : undefined;
  };

  connection.onHover((params) => guard('Hover', null, () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? hover(analysis, params.position) : null;
  }));
  connection.onCompletion((params) => guard('Completion', [], () => {
    const analysis = jsonOnly(params.textDocument.uri);
    return analysis && (analysis.result.isPolicy || analysis.text.trim() === '') ? completion(analysis, params.position) : [];
  }));
  connection.onCodeAction((params) => guard('Code actions', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    return [
      ...codeActions(analysis, params, project.crossFileFindings(analysis), context.canResolveCodeActions()),
      ...crossFileActions(analysis, params, {
        index: project.indexFor(analysis.uri),
        textOf: (uri) => documents.get(uri)?.getText() ?? readText(project, uri),
        analyseOther: (uri, text) => project.analyse(uri, text, settings.settingsOf(uri)),
        exists: (file) => fs.existsSync(file),
      }),
      ...configActions(analysis, params, configFixContext(context, analysis.uri)),
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
    const analysis = jsonOnly(params.textDocument.uri);
    return analysis ? foldingRanges(analysis) : [];
  }));
  connection.onSelectionRanges((params) => guard('Selection ranges', [], () => {
    const analysis = jsonOnly(params.textDocument.uri);
    return analysis ? selectionRanges(analysis, params.positions) : [];
  }));
  connection.onDocumentFormatting((params) => guard('Formatting', [], () => {
    const analysis = jsonOnly(params.textDocument.uri);
    return analysis ? formatDocument(analysis, params.options) : [];
  }));
  connection.onDocumentRangeFormatting((params) => guard('Formatting', [], () => {
    const analysis = jsonOnly(params.textDocument.uri);
    return analysis ? formatDocument(analysis, params.options, params.range) : [];
  }));
  connection.onCodeLens(async (params) => {
    await context.indexReady();
    return guard('Code lenses', [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      if (!analysis || analysis.isConfig || !analysis.result.isPolicy) return [];
      return handshakeLenses(analysis, project.indexFor(analysis.uri)).map((lens) => ({
        range: { start: lens.range.start, end: lens.range.start },
        command: lens.target ? { title: lens.title, command: 'keyshare.openFile', arguments: [lens.target] } : { title: lens.title, command: '' },
      }));
    });
  });
}

/** Keyshare's own requests (protocol.ts). */
export function registerRequests(context: HandlerContext): void {
  const { connection, documents, project, checker, guard } = context;

  connection.onRequest(ValidateFileRequest, async (params: ValidateFileParams): Promise<ValidateFileResult> => {
    if (!documents.get(params.uri)) return null;
    await checker.schedule(params.uri, 0); // an analysis already checked and recorded is reused
    return guard('Validate file', null, () => {
      const analysis = checker.analysisOf(params.uri);
      return analysis ? withText(summarizeChecks([{ analysis, findings: analysis.result.isPolicy || analysis.isConfig ? project.findings(analysis) : [] }])) : null;
    });
  });

  connection.onRequest(ValidateWorkspaceRequest, async (): Promise<ValidateWorkspaceResult> => {
    await context.indexReady();
    try {
      return await validateWorkspace(context);
    } catch (error) {
      context.log(`Validate workspace failed: ${(error as Error).stack ?? error}`);
      return null;
    }
  });

  connection.onRequest(AccessMapRequest, async (): Promise<AccessMapResult> => {
    await context.indexReady();
    return guard('Access map', [], () => project.accessMaps());
  });

  connection.onRequest(InsertStatementRequest, (params: InsertStatementParams): InsertStatementResult => {
    const analysis = checker.analysisOf(params.uri);
    if (!analysis) throw new Error('The document is not open.');
    const { edit, inserted, newText } = insertStatement(analysis, params.statement);
    return { range: analysis.lines.rangeOf(edit), newText: edit.newText, inserted: inserted ? new LineIndex(newText).rangeOf(inserted) : undefined };
  });

  connection.onRequest(InsertStatementChoicesRequest, (params: InsertStatementChoicesParams): InsertStatementChoices => {
    const analysis = checker.analysisOf(params.uri);
    if (!analysis) throw new Error('The document is not open.');
    return insertStatementChoices(analysis, project.configFor(params.uri)?.loaded.resolved.config);
  });

  connection.onRequest(DocumentStatusRequest, async (params: DocumentStatusParams): Promise<DocumentStatusResult> => {
    await context.indexReady();
    return guard('Document status', null, () => {
      const analysis = checker.analysisOf(params.uri);
      return analysis && !analysis.isConfig ? documentStatus(analysis, project.indexFor(params.uri).accessMap()) : null;
    });
  });

  connection.onRequest(ExplainRequest, async (params: ExplainParams): Promise<ExplainResult> => {
    await context.indexReady();
    const base = { principal: params.principal, action: params.action, key: params.key };
    try {
      const answer = explainAccess(project, explainAnchor(context, params.uri), {
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
    await context.indexReady();
    return explainChoices(project.indexFor(explainAnchor(context, params.uri)));
  });
}

// Counted by the project's Tally, as `keyshare check` counts the same files (keyshare.json included).
async function validateWorkspace(context: HandlerContext): Promise<ValidationSummary> {
  const { documents, project, checker, settings, guard } = context;
  const tally = new Tally();
  for (const folder of context.workspaceFolders()) {
    const used = await settings.settingsFor(URI.file(folder).toString());
    for (const file of walkHostFiles(folder)) {
      const uri = URI.file(file).toString();
      if (documents.get(uri)) {
        await checker.validate(uri);
        const analysis = checker.analysisOf(uri);
        if (analysis) tally.add(analysis, analysis.result.isPolicy || analysis.isConfig ? project.findings(analysis) : []);
        else tally.unreadable();
        continue;
      }
      guard(`Checking ${uri}`, undefined, () => {
        const analysis = project.analyseFile(file, used);
        if (!analysis) return tally.unreadable();
        if (!analysis.result.isPolicy && !analysis.isConfig) return tally.add(analysis, []);
        project.record(analysis, true);
        const findings = project.findings(analysis);
        tally.add(analysis, findings);
        checker.publishClosed(uri, analysis, findings);
      });
    }
  }
  return withText(tally.summary);
}

/** The keyshare.json a document's quick fixes read or edit (its open buffer first), and its workspace folder. */
function configFixContext(context: HandlerContext, uri: string): ConfigFixContext {
  const file = fileOf(uri);
  const folder = file ? workspaceFolderOf(context.workspaceFolders(), file) : undefined;
  const config = context.project.configFor(uri);
  if (!config) return { folder };
  const text = context.documents.get(URI.file(config.file).toString())?.getText() ?? config.loaded.text;
  return { folder, config: { file: config.file, text, keys: config.loaded.resolved.config.keys } };
}

function readText(project: Project, uri: string): string | undefined {
  const file = fileOf(uri);
  const read = file ? project.read(file) : undefined;
  return read?.ok ? read.text : undefined;
}

/** The file or folder whose keyshare.json an explain request reads. */
function explainAnchor(context: HandlerContext, uri: string | undefined): string {
  if (uri) return uri;
  const folders = context.workspaceFolders();
  if (folders.length) return URI.file(path.join(folders[0], 'keyshare.json')).toString();
  throw new Error('Open a folder (with a keyshare.json) first.');
}
