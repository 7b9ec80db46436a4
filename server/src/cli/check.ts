/** `keyshare check`: the editor's checks over files and folders, for CI and pre-commit. */
import * as fs from 'fs';
import * as path from 'path';
import { sharedCatalog } from '../catalog/iamData';
import { applySeverities } from '../engine/check';
import { checkText } from '../hosts';
import type { CheckOptions, Finding } from '../engine/types';
import { URI } from 'vscode-uri';
import { accountFromPath, CONFIG_FILE, configFindings, loadConfigFile, type ResolvedConfig } from '../workspace/config';
import { summarize } from '../workspace/handshake';
import { WorkspaceIndex } from '../workspace/index';
import { findConfigFile, isNamedPolicyFile, readPolicyFile, relativePath, walkJsonFiles } from '../workspace/files';
import { toReports, type Report } from './output';

export interface CheckRun {
  /** Findings, a file's together: keyshare.json problems first, then the policies in walk order. */
  reports: Report[];
  filesChecked: number;
  /** JSON files that turned out not to be policies (left alone). */
  notPolicies: number;
  /** One line each: unreadable files and configurations, internal errors. */
  problems: string[];
  ioError: boolean;
}

export interface CheckArguments {
  paths: string[];
  config?: string;
  cwd: string;
  onProgress?(done: number, total: number): void;
}

/** Each keyshare.json read once; what is wrong in it becomes `keyshare-json` findings, as in the editor. */
class ConfigCache {
  private readonly byFile = new Map<string, ResolvedConfig | undefined>();
  readonly texts = new Map<string, string>();
  readonly reports: Report[] = [];
  constructor(private readonly run: CheckRun, private readonly cwd: string) {}

  load(file: string): ResolvedConfig | undefined {
    if (this.byFile.has(file)) return this.byFile.get(file);
    let resolved: ResolvedConfig | undefined;
    try {
      const loaded = loadConfigFile(file);
      this.texts.set(file, loaded.text);
      resolved = loaded.resolved;
      this.reports.push(...toReports(relativePath(this.cwd, file) || path.basename(file), loaded.text, configFindings(resolved.config, loaded.problems)));
    } catch (error) {
      this.run.problems.push(`${relativePath(this.cwd, file) || file}: cannot read configuration (${(error as Error).message})`);
      this.run.ioError = true;
    }
    this.byFile.set(file, resolved);
    return resolved;
  }
}

export function runCheck(args: CheckArguments): CheckRun {
  const run: CheckRun = { reports: [], filesChecked: 0, notPolicies: 0, problems: [], ioError: false };
  const configs = new ConfigCache(run, args.cwd);
  const explicitConfig = args.config ? path.resolve(args.cwd, args.config) : undefined;
  if (explicitConfig && !fs.existsSync(explicitConfig)) {
    run.problems.push(`${args.config}: configuration file not found`);
    run.ioError = true;
    return run;
  }

  const files: { file: string; explicit: boolean }[] = [];
  const walkedFolders: string[] = [];
  for (const given of args.paths.length ? args.paths : ['.']) {
    const absolute = path.resolve(args.cwd, given);
    if (!fs.existsSync(absolute)) {
      run.problems.push(`${given}: no such file or directory`);
      run.ioError = true;
      continue;
    }
    const isFile = fs.statSync(absolute).isFile();
    if (!isFile) walkedFolders.push(absolute);
    for (const file of walkJsonFiles(absolute)) files.push({ file, explicit: isFile });
  }

  const catalog = sharedCatalog();
  const configByDirectory = new Map<string, string | undefined>();
  const configFor = (file: string) => {
    const dir = path.dirname(file);
    if (!configByDirectory.has(dir)) configByDirectory.set(dir, findConfigFile(dir));
    return configByDirectory.get(dir);
  };
  // One index per keyshare.json (and one for files under none): the cross-file handshake.
  const indexes = new Map<string, WorkspaceIndex>();
  const checked: { file: string; uri: string; display: string; text: string; index: WorkspaceIndex; reportsFrom: number; options: CheckOptions }[] = [];
  const indexFor = (configFile: string | undefined, config: ResolvedConfig | undefined) => {
    const key = configFile ?? '';
    let index = indexes.get(key);
    if (!index) {
      index = new WorkspaceIndex(config?.config, config?.folder, configFile ? configs.texts.get(configFile) : undefined);
      indexes.set(key, index);
    }
    return index;
  };
  const optionsFor = (file: string, config: ResolvedConfig | undefined): CheckOptions =>
    config ? config.contextFor(relativePath(config.folder, file)).options : { account: accountFromPath(file) };
  files.forEach(({ file, explicit }, i) => {
    args.onProgress?.(i, files.length);
    const display = relativePath(args.cwd, file) || path.basename(file);
    if (path.basename(file) === CONFIG_FILE) {
      configs.load(file); // checked like any named file, even with no policy beside it
      return;
    }
    const read = readPolicyFile(file);
    if (!read.ok) {
      if (read.reason === 'binary' && !explicit) return;
      run.problems.push(`${display}: ${read.message}`);
      if (read.reason === 'unreadable') run.ioError = true;
      return;
    }
    const configFile = explicitConfig ?? configFor(file);
    const config = configFile ? configs.load(configFile) : undefined;
    const options = optionsFor(file, config);
    if (isNamedPolicyFile(file)) options.expectPolicy = true;
    const result = checkText(read.text, catalog, options, {
      onRuleError: (ruleId, error) => run.problems.push(`internal error in rule ${ruleId}: ${(error as Error).message} (other rules still ran)`),
    });
    if (!result.isPolicy) {
      run.notPolicies++;
      return;
    }
    run.filesChecked++;
    const findings: Finding[] = result.findings;
    if (read.invalidUtf8) {
      findings.unshift({ ruleId: 'json-syntax', severity: 'error', start: 0, end: 0, message: 'The file is not valid UTF-8; AWS requires UTF-8 policy text. Invalid bytes are shown as \uFFFD.' });
    }
    const index = indexFor(configFile, config);
    const uri = URI.file(file).toString();
    if (result.model) index.update(uri, summarize(uri, result.model, read.text, catalog, options.keyArn), true);
    checked.push({ file, uri, display, text: read.text, index, reportsFrom: run.reports.length, options });
    run.reports.push(...toReports(display, read.text, findings));
  });
  // The other half of a handshake may be in a file nobody named (a pre-commit hook passes only
  // the changed files): the rest of each keyshare.json's folder is indexed, not reported on.
  const seen = new Set(files.map((f) => f.file));
  for (const [configFile, index] of indexes) {
    if (!configFile || index.folder === undefined) continue;
    const folder = index.folder;
    // Walked already, or (a --config from elsewhere) not the workspace of any file checked.
    if (walkedFolders.some((walked) => folder === walked || folder.startsWith(walked + path.sep))) continue;
    if (!checked.some((entry) => entry.index === index && entry.file.startsWith(folder + path.sep))) continue;
    const config = configs.load(configFile);
    for (const file of walkJsonFiles(folder)) {
      if (seen.has(file) || path.basename(file) === CONFIG_FILE || (!explicitConfig && configFor(file) !== configFile)) continue;
      const read = readPolicyFile(file);
      if (!read.ok) continue;
      const options = optionsFor(file, config);
      const result = checkText(read.text, catalog, options, { modelOnly: true });
      if (!result.model) continue;
      const uri = URI.file(file).toString();
      index.update(uri, summarize(uri, result.model, read.text, catalog, options.keyArn), true);
    }
  }

  // Cross-file findings, once every file is indexed; each file's reports stay together, in order.
  for (let i = checked.length - 1; i >= 0; i--) {
    const entry = checked[i];
    const cross = applySeverities(entry.index.findings(entry.uri), entry.options);
    if (cross.length === 0) continue;
    const end = i + 1 < checked.length ? checked[i + 1].reportsFrom : run.reports.length;
    const merged = [...run.reports.slice(entry.reportsFrom, end), ...toReports(entry.display, entry.text, cross)];
    merged.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    run.reports.splice(entry.reportsFrom, end - entry.reportsFrom, ...merged);
  }

  run.reports.unshift(...configs.reports);
  args.onProgress?.(files.length, files.length);
  return run;
}
