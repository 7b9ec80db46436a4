/** The server's view of one open document: its text, its options and the engine's latest result. */
import * as path from 'path';
import { URI } from 'vscode-uri';
import { sharedCatalog } from '../catalog/iamData';
import type { CheckResult } from '../engine/check';
import { applyEdits, LineIndex } from '../engine/text';
import { checkText } from '../hosts';
import type { CheckOptions, Finding, Fix, SeveritySetting } from '../engine/types';
import { accountFromPath, loadConfigFile, type LoadedConfig, type ResolvedConfig } from '../workspace/config';
import { findConfigFile, isNamedPolicyFile } from '../workspace/files';

export interface Analysis {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  result: CheckResult;
  options: CheckOptions;
  /** How the account was known, for hover. */
  accountSource?: string;
  configFile?: string;
  tooLarge?: boolean;
}

export interface ServerSettings {
  rules: Record<string, SeveritySetting>;
  maxFileSize: number;
}

export const DEFAULT_SETTINGS: ServerSettings = { rules: {}, maxFileSize: 5 * 1024 * 1024 };

/** keyshare.json files, parsed once and dropped when they change on disk. */
export class ConfigStore {
  private readonly cache = new Map<string, LoadedConfig>();
  private readonly nearest = new Map<string, string | undefined>();

  invalidate(file?: string): void {
    this.nearest.clear();
    if (file) this.cache.delete(file);
    else this.cache.clear();
  }

  get(file: string): LoadedConfig | undefined {
    let entry = this.cache.get(file);
    if (!entry) {
      try {
        entry = loadConfigFile(file);
      } catch {
        return undefined;
      }
      this.cache.set(file, entry);
    }
    return entry;
  }

  /** The configuration for a document, if it lives on disk below a keyshare.json. */
  forDocument(uri: string): { resolved: ResolvedConfig; file: string } | undefined {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return undefined;
    const dir = path.dirname(parsed.fsPath);
    if (!this.nearest.has(dir)) this.nearest.set(dir, findConfigFile(dir));
    const file = this.nearest.get(dir);
    const entry = file ? this.get(file) : undefined;
    return entry && file ? { resolved: entry.resolved, file } : undefined;
  }
}

export function analyse(
  uri: string,
  version: number,
  text: string,
  settings: ServerSettings,
  configs: ConfigStore,
  log: (message: string) => void,
  modelOnly = false,
): Analysis {
  const options: CheckOptions = {};
  let accountSource: string | undefined;
  const config = configs.forDocument(uri);
  if (config) {
    const fsPath = URI.parse(uri).fsPath;
    const context = config.resolved.contextFor(path.relative(config.resolved.folder, fsPath));
    Object.assign(options, context.options);
    accountSource = context.accountSource;
  } else {
    const account = accountFromPath(URI.parse(uri).path);
    if (account) {
      options.account = account;
      accountSource = `path segment ${account}/`;
    }
  }
  options.rules = { ...options.rules, ...settings.rules };
  if (isNamedPolicyFile(uri)) options.expectPolicy = true;
  const lines = new LineIndex(text);
  if (text.length > settings.maxFileSize) {
    const looksLikePolicy = /"Statement"\s*:/.test(text.slice(0, 65536));
    const findings: Finding[] = looksLikePolicy
      ? [{ ruleId: 'policy-size', severity: 'warning', start: 0, end: Math.min(1, text.length), message: `This file is ${(text.length / 1024 / 1024).toFixed(1)} MB, above the keyshare.maxFileSize setting; it is not analysed.` }]
      : [];
    return { uri, version, text, lines, options, accountSource, configFile: config?.file, tooLarge: true, result: { findings, isPolicy: looksLikePolicy, models: [] } };
  }
  const result = checkText(text, sharedCatalog(), options, { modelOnly, onRuleError: (ruleId, error) => log(`Rule ${ruleId} failed and was skipped: ${(error as Error).stack ?? error}`) });
  return { uri, version, text, lines, options, accountSource, configFile: config?.file, result };
}

/**
 * Applies safe fixes one at a time, re-checking in between, so that fixes computed on the same
 * text never collide. Returns the final text, or undefined when nothing changed.
 */
export function applyFixesRepeatedly(analysis: Analysis, accept: (finding: Finding, fix: Fix) => boolean, limit = 200): string | undefined {
  let text = analysis.text;
  let result = analysis.result;
  for (let round = 0; round < limit; round++) {
    let chosen: Fix | undefined;
    for (const finding of result.findings) {
      chosen = finding.fixes?.find((fix) => fix.safe && accept(finding, fix));
      if (chosen) break;
    }
    if (!chosen) break;
    const next = applyEdits(text, chosen.edits);
    if (next === text) break;
    text = next;
    result = checkText(text, sharedCatalog(), analysis.options);
  }
  return text === analysis.text ? undefined : text;
}
