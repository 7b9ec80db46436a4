/**
 * The workspace index: one per keyshare.json (or one for files without any), holding a small
 * summary of every policy file, so that each half of a handshake can be checked against the
 * other. Updating a file replaces its summary; nothing else is re-read.
 */
import * as path from 'path';
import { URI } from 'vscode-uri';
import { LineIndex, type LineRange } from '../engine/text';
import type { Fix, TextEdit } from '../engine/types';
import { emptyConfig, type KeyshareConfig } from './config';
import { hasWildcard } from '../engine/catalog';
import { fileUri } from './uris';
import { accessMap, handshakeFindings, useMatchesKey, type FileSummary, type KeyInfo, type WorkspaceView } from './handshake';

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/**
 * The index entry of a policy keyshare.json names: a file's URI, or for a policy inside a
 * template (`security/stack.yaml#DataKey`) the file's URI and the resource after `#`.
 */
export function policyEntry(folder: string, policy: string): string {
  const hash = policy.indexOf('#');
  const file = hash < 0 ? policy : policy.slice(0, hash);
  return fileUri(path.resolve(folder, file)) + (hash < 0 ? '' : policy.slice(hash));
}

/** The file an index entry belongs to (entries of a template's policies are `<file URI>#<resource or address>`). */
export function entryFile(entry: string): string {
  const hash = entry.indexOf('#');
  return hash < 0 ? entry : entry.slice(0, hash);
}

export class WorkspaceIndex implements WorkspaceView {
  private readonly files = new Map<string, FileSummary>();
  private readonly declaredKeys: KeyInfo[];
  private readonly keysByArn = new Map<string, KeyInfo>();
  /** Keys of templates that keyshare.json does not declare, by the name their file's summary gives them. */
  private readonly templateKeys = new Map<string, KeyInfo>();
  /** Look-ups that keep each update and each file's cross-file check independent of workspace size. */
  private readonly identityByAccount = new Map<string, Set<string>>();
  private readonly exactUsers = new Map<string, Set<string>>();
  private readonly patternUsers = new Set<string>();
  private readonly keyPoliciesByGrantee = new Map<string, Set<string>>();
  private readonly filesByAccount = new Map<string, number>();

  constructor(
    readonly config: KeyshareConfig = emptyConfig(),
    /** The folder holding keyshare.json, if any. */
    readonly folder?: string,
    readonly configText?: string,
  ) {
    // A key without an ARN (a template's key, "stack.yaml#DataKey") is known by its file's summary instead.
    this.declaredKeys = config.keys.filter((k) => k.arn).map((k) => ({
      arn: k.arn,
      aliases: k.aliases,
      managed: k.managed,
      policyUri: k.policy && folder ? policyEntry(folder, k.policy) : undefined,
    }));
    for (const key of this.declaredKeys) this.keysByArn.set(key.arn, key);
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
    return this.keysByArn.get(arn) ?? this.templateKeys.get(arn);
  }

  keys(): Iterable<KeyInfo> {
    return this.declaredKeys;
  }

  accountKnown(account: string): boolean {
    return this.config.accounts.some((a) => a.id === account) || (this.filesByAccount.get(account) ?? 0) > 0;
  }

  accountUsesKey(account: string, key: KeyInfo): boolean {
    const inAccount = this.identityByAccount.get(account);
    if (!inAccount) return false;
    for (const uri of this.exactUsers.get(key.arn) ?? []) if (inAccount.has(uri)) return true;
    for (const uri of this.patternUsers) {
      if (inAccount.has(uri) && this.files.get(uri)!.uses.some((u) => useMatchesKey(u, key))) return true;
    }
    return false;
  }

  aliasUsersOf(account: string, key: KeyInfo): { uri: string; range: LineRange }[] {
    const owner = key.arn.split(':')[4];
    const result: { uri: string; range: LineRange }[] = [];
    for (const uri of this.identityByAccount.get(account) ?? []) {
      for (const use of this.files.get(uri)?.aliasUses ?? []) {
        if (use.account === owner && key.aliases.includes(use.alias)) result.push({ uri, range: use.range });
      }
    }
    return result;
  }

  /** Identity policies (of any account) that use this key. */
  usersOfKey(key: KeyInfo): FileSummary[] {
    const result: FileSummary[] = [];
    for (const uri of this.exactUsers.get(key.arn) ?? []) result.push(this.files.get(uri)!);
    for (const uri of this.patternUsers) {
      const file = this.files.get(uri)!;
      if (file.uses.some((u) => useMatchesKey(u, key))) result.push(file);
    }
    return result;
  }

  /** Who may do what with each declared key; a template's policies are named by their file. */
  accessMap() {
    return accessMap(this).map((key) => ({
      ...key,
      policyUri: key.policyUri && entryFile(key.policyUri),
      rows: key.rows.map((row) => ({
        ...row,
        keyPolicy: row.keyPolicy && { ...row.keyPolicy, uri: entryFile(row.keyPolicy.uri) },
        identityPolicies: [...new Set(row.identityPolicies.map(entryFile))],
      })),
    }));
  }

  /**
   * Replaces a file's summary (undefined removes it). Returns the files whose findings may
   * change, unless `quiet` (a cold build, where nobody is waiting for them).
   */
  update(uri: string, summary: FileSummary | undefined, quiet = false): string[] {
    const before = this.files.get(uri);
    if (before) this.unlink(before);
    if (summary) {
      this.files.set(uri, summary);
      this.link(summary);
    } else {
      this.files.delete(uri);
    }
    if (quiet) return [];
    const affected = new Set<string>([...this.dependents(before), ...this.dependents(summary)]);
    affected.delete(uri);
    return [...affected];
  }

  private link(summary: FileSummary): void {
    const account = summary.account;
    if (account) this.filesByAccount.set(account, (this.filesByAccount.get(account) ?? 0) + 1);
    if (summary.kind === 'identity-policy') {
      if (account) addTo(this.identityByAccount, account, summary.uri);
      for (const use of summary.uses) {
        if (hasWildcard(use.resource)) this.patternUsers.add(summary.uri);
        else addTo(this.exactUsers, use.resource, summary.uri);
      }
    } else if (summary.kind === 'key-policy') {
      for (const grant of summary.grants) if (grant.account) addTo(this.keyPoliciesByGrantee, grant.account, summary.uri);
      // A template's key that keyshare.json does not declare: known by its name in the file.
      if (summary.keyArn && !this.keysByArn.has(summary.keyArn)) {
        const name = summary.resource ? `${summary.resource} in ${path.posix.basename(URI.parse(entryFile(summary.uri)).path)}` : undefined;
        this.templateKeys.set(summary.keyArn, { arn: summary.keyArn, aliases: [], managed: 'customer', policyUri: summary.uri, name });
      }
    }
  }

  private unlink(summary: FileSummary): void {
    const account = summary.account;
    if (account) this.filesByAccount.set(account, (this.filesByAccount.get(account) ?? 1) - 1);
    if (account) removeFrom(this.identityByAccount, account, summary.uri);
    for (const use of summary.uses) removeFrom(this.exactUsers, use.resource, summary.uri);
    this.patternUsers.delete(summary.uri);
    for (const grant of summary.grants) if (grant.account) removeFrom(this.keyPoliciesByGrantee, grant.account, summary.uri);
    if (summary.keyArn && this.templateKeys.get(summary.keyArn)?.policyUri === summary.uri) this.templateKeys.delete(summary.keyArn);
  }

  /** Files on the other side of a handshake with `summary`. */
  private dependents(summary: FileSummary | undefined): string[] {
    if (!summary) return [];
    const result = new Set<string>();
    if (summary.kind === 'key-policy' && summary.keyArn) {
      const key = this.key(summary.keyArn);
      for (const uri of this.exactUsers.get(summary.keyArn) ?? []) result.add(uri);
      for (const uri of this.patternUsers) if (key && this.files.get(uri)!.uses.some((u) => useMatchesKey(u, key))) result.add(uri);
    } else if (summary.kind === 'identity-policy') {
      for (const use of summary.uses) {
        const keys = hasWildcard(use.resource) ? this.declaredKeys.filter((k) => useMatchesKey(use, k)) : [this.keysByArn.get(use.resource)];
        for (const key of keys) if (key?.policyUri) result.add(key.policyUri);
      }
      if (summary.account) for (const uri of this.keyPoliciesByGrantee.get(summary.account) ?? []) result.add(uri);
    }
    return [...result];
  }

  findings(uri: string) {
    return handshakeFindings(uri, this);
  }

  declareKeyFix(arn: string): Fix | undefined {
    if (!this.folder || this.configText === undefined) return undefined;
    const configUri = fileUri(path.join(this.folder, 'keyshare.json'));
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
