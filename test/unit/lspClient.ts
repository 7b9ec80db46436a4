/** A minimal LSP client over stdio for tests and the bench: spawns the bundled server. */
import { spawn, type ChildProcess } from 'child_process';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, LineIndex } from '../../server/src/engine';

/** Applies LSP text edits (line/character ranges) to a text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

export class LspClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  readonly logs: string[] = [];
  /** What the client answers to workspace/configuration, by section (e.g. 'files.exclude'). */
  settings: Record<string, unknown> = {};
  /** Answers for one scope (a document or folder URI) first, when set: scopeUri -> section -> value. */
  scopedSettings: Record<string, Record<string, unknown>> = {};
  /** Every workspace/configuration item the server asked for. */
  readonly configurationRequests: { section?: string; scopeUri?: string }[] = [];
  /** How many times each custom notification (e.g. keyshare/indexChanged) arrived. */
  readonly notifications = new Map<string, number>();
  private logWaiters: { pattern: RegExp; resolve: () => void }[] = [];

  /** Resolves when the server logs a line matching `pattern` (or already has). */
  waitForLog(pattern: RegExp, timeoutMs = 20000): Promise<void> {
    if (this.logs.some((l) => pattern.test(l))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      this.logWaiters.push({ pattern, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  constructor(serverScript: string, args: string[] = ['--stdio']) {
    // With the Node options VS Code starts it with, so tests and the bench see what users get.
    this.process = spawn(process.execPath, [...SERVER_EXEC_ARGV, serverScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk) => this.logs.push(String(chunk)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const waiter = this.waiters[i];
        if (waiter.uri === params.uri && (waiter.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(i, 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      for (const waiter of this.logWaiters.splice(0)) {
        if (waiter.pattern.test(params.message)) waiter.resolve();
        else this.logWaiters.push(waiter);
      }
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) => params.items.map((item) => {
      this.configurationRequests.push(item);
      const scoped = item.scopeUri ? this.scopedSettings[item.scopeUri]?.[item.section ?? ''] : undefined;
      return scoped ?? this.settings[item.section ?? ''] ?? {};
    }));
    this.connection.onNotification((method: string) => {
      this.notifications.set(method, (this.notifications.get(method) ?? 0) + 1);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /** `capabilities`: the client's, when a test needs other than the default (pull settings, versioned diagnostics). */
  async initialize(rootPath?: string, initializationOptions: Record<string, unknown> = {}, capabilities?: Record<string, unknown>): Promise<unknown> {
    const rootUri = rootPath ? `file://${path.resolve(rootPath)}` : null;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      capabilities: capabilities ?? { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The diagnostics last published for `uri`, if any. */
  latest(uri: string): Diagnostic[] | undefined {
    return this.diagnostics.get(uri)?.diagnostics;
  }

  /** Resolves with the next diagnostics for `uri` (and `version`, if given). */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 10000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (d) => { clearTimeout(timer); resolve(d); } });
    });
  }

  async open(uri: string, text: string, languageId = 'json', version = 1): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return next;
  }

  async change(uri: string, version: number, text: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return next;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const timer = setTimeout(() => { this.process.kill('SIGKILL'); resolve(); }, 2000);
      this.process.once('exit', () => { clearTimeout(timer); resolve(); });
    });
  }
}
