/** `keyshare check`: the editor's checks over files and folders, for CI and pre-commit. A driver of the project layer. */
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { WorkspaceIndex } from '../workspace/index';
import { isTerraformFile, relativePath, readPolicyFile, walkHostFiles } from '../project/files';
import { loadTerraformGrammar } from '../terraformGrammar';
import { isConfigFile, Project, type Analysis } from '../project';
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

export async function runCheck(args: CheckArguments): Promise<CheckRun> {
  const run: CheckRun = { reports: [], filesChecked: 0, notPolicies: 0, problems: [], ioError: false };
  const explicitConfig = args.config ? path.resolve(args.cwd, args.config) : undefined;
  if (explicitConfig && !fs.existsSync(explicitConfig)) {
    run.problems.push(`${args.config}: configuration file not found`);
    run.ioError = true;
    return run;
  }
  const project = new Project({
    config: explicitConfig,
    onRuleError: (ruleId, error) => run.problems.push(`internal error in rule ${ruleId}: ${(error as Error).message} (other rules still ran)`),
  });

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
    for (const file of walkHostFiles(absolute)) files.push({ file, explicit: isFile });
  }

  // Terraform's grammar (WebAssembly) loads only when there is a module to read.
  if (files.some(({ file }) => isTerraformFile(file))) await loadTerraformGrammar();

  // Each keyshare.json is read once (by the project); what is wrong in it is reported once, first.
  const configReports: Report[] = [];
  const reportedConfigs = new Set<string>();
  const useConfig = (file: string) => {
    if (reportedConfigs.has(file)) return;
    reportedConfigs.add(file);
    const entry = project.configs.entry(file);
    if (!entry.ok) {
      run.problems.push(`${relativePath(args.cwd, file) || file}: cannot read configuration (${entry.error})`);
      run.ioError = true;
      return;
    }
    const analysis = project.analyse(URI.file(file).toString(), entry.loaded.text);
    configReports.push(...toReports(relativePath(args.cwd, file) || path.basename(file), entry.loaded.text, project.findings(analysis)));
  };

  const checked: { analysis: Analysis; display: string; index: WorkspaceIndex; reportsFrom: number }[] = [];
  files.forEach(({ file, explicit }, i) => {
    args.onProgress?.(i, files.length);
    const display = relativePath(args.cwd, file) || path.basename(file);
    if (isConfigFile(file)) {
      useConfig(file); // checked like any named file, even with no policy beside it
      return;
    }
    const read = readPolicyFile(file);
    if (!read.ok) {
      if (read.reason === 'binary' && !explicit) return;
      run.problems.push(`${display}: ${read.message}`);
      if (read.reason === 'unreadable') run.ioError = true;
      return;
    }
    const configFile = project.configs.nearest(file);
    if (configFile) useConfig(configFile);
    const analysis = project.analyse(URI.file(file).toString(), read.text, undefined, { invalidUtf8: read.invalidUtf8 });
    if (!analysis.result.isPolicy) {
      run.notPolicies++;
      return;
    }
    run.filesChecked++;
    project.record(analysis, true);
    checked.push({ analysis, display, index: project.indexFor(analysis.uri), reportsFrom: run.reports.length });
    run.reports.push(...toReports(display, read.text, analysis.result.findings));
  });
  // The other half of a handshake may be in a file nobody named (a pre-commit hook passes only
  // the changed files): the rest of each keyshare.json's folder is indexed, not reported on.
  const seen = new Set(files.map((f) => f.file));
  for (const [configFile, index] of [...project.allIndexes()]) {
    if (!configFile || index.folder === undefined) continue;
    const folder = index.folder;
    // Walked already, or (a --config from elsewhere) not the workspace of any file checked.
    if (walkedFolders.some((walked) => folder === walked || folder.startsWith(walked + path.sep))) continue;
    if (!checked.some((entry) => entry.index === index && URI.parse(entry.analysis.uri).fsPath.startsWith(folder + path.sep))) continue;
    for (const file of walkHostFiles(folder)) {
      if (seen.has(file) || isConfigFile(file) || project.configs.nearest(file) !== configFile) continue;
      project.fileChanged(file, undefined, true);
    }
  }

  // Cross-file findings, once every file is indexed; each file's reports stay together, in order.
  for (let i = checked.length - 1; i >= 0; i--) {
    const entry = checked[i];
    const cross = project.crossFileFindings(entry.analysis);
    if (cross.length === 0) continue;
    const end = i + 1 < checked.length ? checked[i + 1].reportsFrom : run.reports.length;
    const merged = [...run.reports.slice(entry.reportsFrom, end), ...toReports(entry.display, entry.analysis.text, cross)];
    merged.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    run.reports.splice(entry.reportsFrom, end - entry.reportsFrom, ...merged);
  }

  run.reports.unshift(...configReports);
  args.onProgress?.(files.length, files.length);
  return run;
}
