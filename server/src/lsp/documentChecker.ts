/**
 * Checking documents for the language server: the open documents' analyses, debouncing, recording
 * checks in the project's index, re-checking the files a change affects, and publishing
 * diagnostics for open buffers and for the closed files the server owns (after Validate
 * Workspace). The one owner of those caches; the handlers only ask it.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic, type DiagnosticsContext } from '../features/diagnostics';
import { fileOf, Project, type Analysis, type Settings } from '../project';
import type { Finding } from '../engine/types';
import { CONFIG_SYNTAX_MESSAGE } from '../workspace/config';
import { IndexChangedNotification } from '../protocol';
import type { SettingsStore } from './settingsStore';

export interface CheckerOptions {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  project: Project;
  settings: SettingsStore;
  /** Waits for what a file's host needs (the Terraform grammar). */
  hostsReady(uri: string): Promise<void>;
  /** Runs `fn`, logging and answering `fallback` when it throws: one document never takes the server down. */
  guard<T>(what: string, fallback: T, fn: () => T): T;
  /** A closed file's settings scope: its workspace folder. */
  closedFileScope(uri: string): string;
  diagnostics: DiagnosticsContext;
}

export class DocumentChecker {
  /** Open documents' latest analyses. Reads (hover, completion, ...) may fill it; only checks record them in the index. */
  private readonly analyses = new Map<string, Analysis>();
  private readonly recorded = new WeakSet<Analysis>();
  private readonly settingsUsed = new WeakMap<Analysis, Settings>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The version each open document was last scheduled for (opening fires a change too). */
  private readonly scheduled = new Map<string, number>();
  /** Closed files whose diagnostics the server owns, with how many it last published. */
  private readonly publishedFromDisk = new Map<string, number>();
  private indexNotice: NodeJS.Timeout | undefined;
  debounceMs = 150;
  /** The client shows keyshare.json syntax errors itself (VS Code's JSON support). */
  configSyntaxReported = false;
  canRefreshCodeLenses = false;

  constructor(private readonly options: CheckerOptions) {}

  /** A read: the open document's analysis, computed if stale. Never touches the index. */
  analysisOf(uri: string): Analysis | undefined {
    const { documents, project, settings } = this.options;
    const document = documents.get(uri);
    if (!document) return undefined;
    const cached = this.analyses.get(uri);
    if (cached && cached.version === document.version) return cached;
    const used = settings.settingsOf(uri);
    const fresh = project.analyse(uri, document.getText(), used, { version: document.version });
    this.settingsUsed.set(fresh, used);
    this.analyses.set(uri, fresh);
    return fresh;
  }

  /** Tells the client the index changed (the access view refreshes), at most every 200 ms. */
  indexChanged(): void {
    if (this.indexNotice) return;
    this.indexNotice = setTimeout(() => {
      this.indexNotice = undefined;
      const { connection } = this.options;
      void connection.sendNotification(IndexChangedNotification).catch(() => undefined);
      if (this.canRefreshCodeLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }, 200);
  }

  private diagnosticsOf(analysis: Analysis, findings: Finding[]) {
    return findings.map((finding) => toDiagnostic(analysis, finding, this.options.diagnostics));
  }

  /** Checks an open document: records it in the index, re-checks the files it affects, publishes. */
  async validate(uri: string): Promise<void> {
    const { documents, project, settings, guard, connection } = this.options;
    if (!documents.get(uri)) return;
    await this.options.hostsReady(uri);
    const used = await settings.settingsFor(uri);
    guard(`Checking ${uri}`, undefined, () => {
      const document = documents.get(uri);
      if (!document) return;
      let analysis = this.analyses.get(uri);
      if (!analysis || analysis.version !== document.version || this.settingsUsed.get(analysis) !== used) {
        analysis = project.analyse(uri, document.getText(), used, { version: document.version });
        this.settingsUsed.set(analysis, used);
        this.analyses.set(uri, analysis);
      }
      if (!this.recorded.has(analysis)) {
        this.recorded.add(analysis);
        const affected = guard('Indexing', [] as string[], () => project.record(analysis!));
        if (analysis.result.isPolicy || affected.length) this.indexChanged();
        for (const other of affected) this.recheck(other);
      }
      // A new, still empty buffer is not an error yet: it is reported once it holds something.
      let findings = analysis.text.trim() === '' ? [] : project.findings(analysis);
      if (analysis.isConfig && this.configSyntaxReported) findings = findings.filter((f) => f.message !== CONFIG_SYNTAX_MESSAGE);
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics: this.diagnosticsOf(analysis, findings) });
    });
  }

  /** Checks a document after `delay` ms (0: now); a newer call replaces a pending one. */
  schedule(uri: string, delay: number): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    const version = this.options.documents.get(uri)?.version;
    if (version !== undefined) this.scheduled.set(uri, version);
    if (delay <= 0) return this.validate(uri);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.validate(uri);
    }, delay));
    return Promise.resolve();
  }

  /** A changed document: checked after the debounce, unless its open already scheduled that version. */
  changed(uri: string, version: number): void {
    if (this.scheduled.get(uri) === version) return;
    void this.schedule(uri, this.debounceMs);
  }

  /**
   * Publishes a closed file's findings from disk (none when it is gone or no longer a policy),
   * unless nothing was and nothing is to be shown; `always` after its editor closed.
   */
  publishClosed(uri: string, analysis: Analysis | undefined, findings: Finding[], always = false): void {
    const diagnostics = analysis ? this.diagnosticsOf(analysis, findings) : [];
    if (always || diagnostics.length || (this.publishedFromDisk.get(uri) ?? 0) > 0) void this.options.connection.sendDiagnostics({ uri, diagnostics });
    if (analysis?.result.isPolicy || analysis?.isConfig) this.publishedFromDisk.set(uri, diagnostics.length);
    else this.publishedFromDisk.delete(uri);
  }

  private async republishFromDisk(uri: string, always = false): Promise<void> {
    const { documents, project, settings, guard } = this.options;
    await this.options.hostsReady(uri);
    const used = await settings.settingsFor(this.options.closedFileScope(uri));
    if (documents.get(uri)) return;
    guard(`Checking ${uri}`, undefined, () => {
      const file = fileOf(uri);
      const analysis = file ? project.analyseFile(file, used) : undefined;
      this.publishClosed(uri, analysis, analysis?.result.isPolicy || analysis?.isConfig ? project.findings(analysis) : [], always);
    });
  }

  /** A file whose findings may have changed: open ones are re-checked, closed ones re-published if they were. */
  recheck(uri: string): void {
    if (this.options.documents.get(uri)) void this.schedule(uri, 0);
    else if (this.publishedFromDisk.has(uri)) void this.republishFromDisk(uri);
  }

  /** Everything again: after the index or the settings changed. */
  revalidateAll(): void {
    this.analyses.clear();
    for (const document of this.options.documents.all()) void this.schedule(document.uri, 0);
    for (const uri of [...this.publishedFromDisk.keys()]) if (!this.options.documents.get(uri)) void this.republishFromDisk(uri);
  }

  /** Drops the analyses (the project's index is being rebuilt). */
  forgetAnalyses(): void {
    this.analyses.clear();
  }

  /** A document closed: the index goes back to the file on disk, and its diagnostics to what the disk says. */
  closed(uri: string): void {
    const { project, settings, guard, connection } = this.options;
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.analyses.delete(uri);
    this.scheduled.delete(uri);
    settings.forget(uri);
    project.bufferClosed(uri);
    // The buffer may have held unsaved edits.
    const file = fileOf(uri);
    if (file) {
      const affected = guard('Indexing', [] as string[], () => project.fileChanged(file, settings.windowSettings));
      for (const other of affected) this.recheck(other);
      this.indexChanged();
    }
    if (this.publishedFromDisk.has(uri)) void this.republishFromDisk(uri, true);
    else void connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
