/**
 * The workspace index: one per keyshare.json (or one for files without any), holding a small
 * summary of every policy file, so that each half of a handshake can be checked against the
 * other. Updating a file replaces its summary; nothing else is re-read.
 */
import * as path from 'path';
import { URI } from 'vscode-uri';
import { LineIndex } from '../engine/text';
import type { Fix, TextEdit } from '../engine/types';
import { emptyConfig, type KeyshareConfig } from './config';
import { handshakeFindings, useMatchesKey, type FileSummary, type KeyInfo, type WorkspaceView } from './handshake';

export class WorkspaceIndex implements WorkspaceView {
  private readonly files = new Map<string, FileSummary>();
  private readonly declaredKeys: KeyInfo[];

  constructor(
    readonly config: KeyshareConfig = emptyConfig(),
    /** The folder holding keyshare.json, if any. */
    readonly folder?: string,
    readonly configText?: string,
  ) {
    this.declaredKeys = config.keys.map((k) => ({
      arn: k.arn,
      aliases: k.aliases,
      managed: k.managed,
      policyUri: k.policy && folder ? URI.file(path.resolve(folder, k.policy)).toString() : undefined,
    }));
  }

  get size(): number {
    return this.files.size;
  }

  get summaries(): Iterable<FileSummary> {
    return this.files.values();
  }

  summary(uri: string): FileSummary | undefined {
    return this.files.get(uri);
  }

  key(arn: string): KeyInfo | undefined {
    return this.declaredKeys.find((k) => k.arn === arn);
  }

  keys(): Iterable<KeyInfo> {
    return this.declaredKeys;
  }

  /** Replaces a file's summary (undefined removes it); returns the files whose findings may change. */
  update(uri: string, summary: FileSummary | undefined): string[] {
    const before = this.files.get(uri);
    if (summary) this.files.set(uri, summary);
    else this.files.delete(uri);
    const affected = new Set<string>([...this.dependents(before), ...this.dependents(summary)]);
    affected.delete(uri);
    return [...affected];
  }

  /** Files on the other side of a handshake with `summary`. */
  private dependents(summary: FileSummary | undefined): string[] {
    if (!summary) return [];
    const result: string[] = [];
    if (summary.kind === 'key-policy' && summary.keyArn) {
      const key = this.key(summary.keyArn);
      for (const other of this.files.values()) {
        if (other.kind === 'identity-policy' && key && other.uses.some((u) => useMatchesKey(u, key))) result.push(other.uri);
      }
    } else if (summary.kind === 'identity-policy') {
      for (const key of this.declaredKeys) {
        if (key.policyUri && summary.uses.some((u) => useMatchesKey(u, key))) result.push(key.policyUri);
      }
      for (const other of this.files.values()) {
        if (other.kind === 'key-policy' && summary.account && other.grants.some((g) => g.account === summary.account)) result.push(other.uri);
      }
    }
    return result;
  }

  findings(uri: string) {
    return handshakeFindings(uri, this);
  }

  declareKeyFix(arn: string): Fix | undefined {
    if (!this.folder || this.configText === undefined) return undefined;
    const configUri = URI.file(path.join(this.folder, 'keyshare.json')).toString();
    const text = this.configText;
    // Append to "keys" when present, else add it after the opening brace.
    const keysMatch = /"keys"\s*:\s*\[/.exec(text);
    const entry = JSON.stringify({ arn, aliases: [], managed: 'customer' });
    let edit: TextEdit;
    if (keysMatch) {
      const at = keysMatch.index + keysMatch[0].length;
      const empty = /^\s*\]/.test(text.slice(at));
      edit = { start: at, end: at, newText: `\n    ${entry}${empty ? '\n  ' : ','}` };
    } else {
      const brace = text.indexOf('{');
      if (brace < 0) return undefined;
      const empty = /^\s*\}/.test(text.slice(brace + 1));
      edit = { start: brace + 1, end: brace + 1, newText: `\n  "keys": [\n    ${entry}\n  ]${empty ? '\n' : ','}` };
    }
    const lines = new LineIndex(text);
    return { title: `Declare ${arn} in keyshare.json`, edits: [edit], safe: false, uri: configUri, ranges: [lines.rangeOf(edit)] };
  }
}
