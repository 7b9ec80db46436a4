/** `keyshare check`: the editor's checks over files and folders, for CI and pre-commit. A driver of the project layer. */
import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceIndex } from '../workspace/index';
import { fileUri, uriFile } from '../workspace/uris';
import { ioMessage, mayHoldPolicies, needsGrammar, readRegularFile, relativePath, readPolicyFile, walkHostFiles } from '../project/files';
import { isConfigFile, Project, type Analysis } from '../project';
import { DEFAULT_SETTINGS, type Settings } from '../project/settings';
import { Tally, type CheckSummary } from '../project/summary';
import { toReports, type Report } from './output';
import { suppressionOf } from '../engine/suppressions';
import { closestMatch } from '../engine/text';
import type { Finding, VariableValue } from '../engine/types';

export interface CheckRun {
  /** Findings, a file's together: keyshare.json problems first, then the policies in walk order. */
  reports: Report[];
  /** Policy files checked (whole policies, fragments and templates). */
  filesChecked: number;
  /** Files of a host that turned out not to hold policies (left alone). */
  notPolicies: number;
  /** What was checked and found, counted as the editor's Validate Workspace counts it. */
  summary: CheckSummary;
  /** One line each: unreadable files and configurations, internal errors. */
  problems: string[];
  /** One line each: a path given that holds no policy (not an error, but not silence either). */
  notes: string[];
  ioError: boolean;
  /** What could not be read (named relative to the working folder), and why: paths given, folders, files named, configurations. */
  unreadable: { file: string; message: string }[];
  /** Every policy file and keyshare.json checked, named as its reports name it, in the order of the reports, with the addresses of the policies it holds (a template's, a module's; none for a file that is one policy). */
  checked: CheckedFile[];
}

export interface CheckedFile {
  file: string;
  policies: string[];
}

export interface CheckArguments {
  paths: string[];
  config?: string;
  cwd: string;
  /** Also report the findings keyshare.json ignore entries hide, marked suppressed (not counted, never failing). */
  showSuppressed?: boolean;
  /** CloudFormation parameter values (from --parameters files). */
  parameters?: Record<string, string>;
  /** Terraform input variable values (from --var-file files). */
  variables?: Record<string, VariableValue>;
  /** Files larger than this many bytes are not checked (--max-file-size; default the editor's). */
  maxFileSize?: number;
  onProgress?(done: number, total: number): void;
}

export async function runCheck(args: CheckArguments): Promise<CheckRun> {
  return new CheckCommand(args).run();
}

interface FileToCheck {
  file: string;
  /** Named on the command line (not found by walking a folder). */
  explicit: boolean;
  /** Index of the path given that it came from. */
  given: number;
}

interface CheckedEntry {
  analysis: Analysis;
  display: string;
  index: WorkspaceIndex;
  /** Where this file's reports start in the run's (or the configurations') reports. */
  reportsFrom: number;
  invalidUtf8: boolean;
}

/** One `keyshare check`: walks the paths given, checks each file, then adds what needs the whole index. */
class CheckCommand {
  private readonly tally = new Tally();
  private readonly result: CheckRun = { reports: [], filesChecked: 0, notPolicies: 0, summary: this.tally.summary, problems: [], notes: [], ioError: false, unreadable: [], checked: [] };
  private readonly settings: Settings;
  private project!: Project;
  private readonly files: FileToCheck[] = [];
  private readonly walkedFolders: string[] = [];
  private readonly givenPaths: string[];
  /** Per path given: files of a host found, how many held a policy, how many could not be read. */
  private readonly found: { files: number; policies: number; unread: number; file: boolean }[];
  private readonly declaredParameters = new Set<string>();
  private readonly declaredVariables = new Set<string>();
  private readonly checked: CheckedEntry[] = [];
  // Each keyshare.json is read once (by the project); what is wrong in it is reported once, first.
  private readonly configReports: Report[] = [];
  private readonly configFiles: CheckedFile[] = [];
  private readonly reportedConfigs = new Set<string>();
  private readonly configAnalyses: Omit<CheckedEntry, 'index' | 'invalidUtf8'>[] = [];

  constructor(private readonly args: CheckArguments) {
    this.settings = args.maxFileSize ? { ...DEFAULT_SETTINGS, maxFileSize: args.maxFileSize } : DEFAULT_SETTINGS;
    this.givenPaths = args.paths.length ? [...args.paths] : ['.'];
    this.found = this.givenPaths.map(() => ({ files: 0, policies: 0, unread: 0, file: false }));
  }

  async run(): Promise<CheckRun> {
    const { args, result } = this;
    const explicitConfig = args.config ? path.resolve(args.cwd, args.config) : undefined;
    if (explicitConfig && !fs.existsSync(explicitConfig)) {
      this.ioProblem(this.shown(explicitConfig), 'configuration file not found');
      return result;
    }
    this.project = new Project({
      config: explicitConfig,
      parameters: args.parameters,
      variables: args.variables,
      onRuleError: (ruleId, error) => result.problems.push(`internal error in rule ${ruleId}: ${(error as Error).message} (other rules still ran)`),
    });
    this.collectFiles();
    // Terraform's grammar (WebAssembly) loads only when there is a module to read.
    if (this.files.some(({ file }) => needsGrammar(file))) await this.project.grammarsReady();
    this.files.forEach((entry, i) => {
      args.onProgress?.(i, this.files.length);
      this.checkFile(entry);
    });
    // A value given for a parameter or variable that no template or module checked declares is a typo, or meant for other files.
    result.notes.push(...undeclaredInputs('--parameters', args.parameters, this.declaredParameters, 'template'), ...undeclaredInputs('--var-file', args.variables, this.declaredVariables, 'module'));
    this.noteQuietPaths();
    this.indexRestOfWorkspaces();
    this.addCrossFileFindings();
    this.addExpectFindings();
    result.reports.unshift(...this.configReports);
    result.checked.unshift(...this.configFiles);
    args.onProgress?.(this.files.length, this.files.length);
    return result;
  }

  /** A path as messages name it: relative to the working folder, however it was given. */
  private shown(file: string): string {
    return relativePath(this.args.cwd, path.resolve(this.args.cwd, file)) || '.';
  }

  /** A file checked, named as reports name it. */
  private display(file: string): string {
    return relativePath(this.args.cwd, file) || path.basename(file);
  }

  /** Another file a finding points to, named as the files checked are: relative to the working folder. */
  private readonly displayOf = (uri: string) => this.display(uriFile(uri) ?? uri);

  private ioProblem(display: string, message: string): void {
    this.result.problems.push(`${display}: ${message}`);
    this.result.unreadable.push({ file: display, message });
    this.result.ioError = true;
  }

  /** The files of a host under each path given, each once, in walk order. */
  private collectFiles(): void {
    const listed = new Set<string>();
    this.givenPaths.forEach((given, g) => {
      const absolute = path.resolve(this.args.cwd, given);
      let isFile: boolean;
      try {
        isFile = fs.statSync(absolute).isFile();
      } catch (error) {
        this.ioProblem(this.shown(absolute), ioMessage(error));
        this.givenPaths[g] = ''; // reported already: not "no policies found" too
        return;
      }
      if (!isFile) this.walkedFolders.push(absolute);
      const onError = (dir: string, error: unknown) => this.ioProblem(this.shown(dir), ioMessage(error));
      for (const file of walkHostFiles(absolute, onError)) {
        if (listed.has(file)) continue; // named twice, or inside a folder also named: checked once
        listed.add(file);
        this.files.push({ file, explicit: isFile, given: g });
      }
      this.found[g].file = isFile;
    });
  }

  /** Checks a keyshare.json once: its own findings now, those across files (the expect entries) once every policy is indexed. */
  private useConfig(file: string): void {
    if (this.reportedConfigs.has(file)) return;
    this.reportedConfigs.add(file);
    const entry = this.project.configs.entry(file);
    if (!entry.ok) {
      this.ioProblem(this.shown(file), `cannot read configuration (${configError(entry.error)})`);
      return;
    }
    const analysis = this.project.analyse(fileUri(file), entry.loaded.text);
    const findings = analysis.result.findings;
    this.tally.add(analysis, findings);
    const display = this.display(file);
    this.configAnalyses.push({ analysis, display, reportsFrom: this.configReports.length });
    this.configFiles.push({ file: display, policies: [] });
    this.configReports.push(...toReports(display, entry.loaded.text, findings));
  }

  private checkFile({ file, explicit, given }: FileToCheck): void {
    const { result, project, found } = this;
    const display = this.display(file);
    if (isConfigFile(file)) {
      this.useConfig(file); // checked like any named file, even with no policy beside it
      return;
    }
    found[given].files++;
    const read = readPolicyFile(file, this.settings.maxFileSize);
    if (!read.ok) {
      this.tally.unreadable();
      if (read.reason === 'binary' && !explicit) return;
      result.problems.push(`${display}: ${read.message}${read.reason === 'too-large' ? ' (raise the limit with --max-file-size)' : ''}`);
      // A file that cannot be read as text, or one over the size limit that may hold policies, is
      // not checked: as much a failure as one that cannot be opened (a policy must not pass CI unseen).
      if (read.reason === 'unreadable' || read.reason === 'binary' || (read.reason === 'too-large' && (explicit || largeFileMayHoldPolicies(file)))) {
        result.unreadable.push({ file: display, message: read.message });
        result.ioError = true;
      }
      found[given].unread++;
      return;
    }
    const configFile = project.configs.nearest(file);
    if (configFile) this.useConfig(configFile);
    const analysis = project.analyse(fileUri(file), read.text, this.settings, { invalidUtf8: read.invalidUtf8 });
    const source = analysis.result.source;
    if (source?.declaredInputs) for (const name of source.declaredInputs) (source.host === 'terraform' || source.host === 'terraform-json' ? this.declaredVariables : this.declaredParameters).add(name);
    this.tally.add(analysis, analysis.result.isPolicy ? analysis.result.findings : []);
    if (!analysis.result.isPolicy) {
      result.notPolicies++;
      return;
    }
    result.filesChecked++;
    found[given].policies++;
    result.checked.push({ file: display, policies: [...new Set(analysis.result.models.flatMap((m) => (m.address ? [m.address] : [])))] });
    project.record(analysis, true);
    // --show-suppressed compares with the file's own findings later, so it keeps them.
    const kept = this.args.showSuppressed ? analysis : project.keptForCrossFile(analysis);
    this.checked.push({ analysis: kept, display, index: project.indexFor(analysis.uri), reportsFrom: result.reports.length, invalidUtf8: read.invalidUtf8 });
    result.reports.push(...toReports(display, read.text, analysis.result.findings, this.displayOf, analysis.result));
  }

  /** A folder that holds no policy says so; named files (a pre-commit hook passes many) only when none of them does. */
  private noteQuietPaths(): void {
    const { found, result } = this;
    const anyPolicy = found.some((f) => f.policies > 0);
    const quietFiles: string[] = [];
    this.givenPaths.forEach((given, g) => {
      const { files: n, policies, unread, file } = found[g];
      // Nothing to say: it held a policy, it is a keyshare.json, or what it held was reported unreadable.
      if (given === '' || policies > 0 || isConfigFile(given) || (unread > 0 && unread === n)) return;
      if (file) quietFiles.push(given);
      else result.notes.push(`no policies found in ${this.shown(given)}: ${n === 0 ? 'no files Keyshare reads (JSON, YAML, templates, Terraform)' : n === 1 ? '1 file, not a policy' : `${n} files, none a policy`}`);
    });
    if (!anyPolicy && quietFiles.length === 1) result.notes.push(`no policies found in ${this.shown(quietFiles[0])}: a file that holds no policy`);
    else if (!anyPolicy && quietFiles.length > 1) result.notes.push(`no policies found in the ${quietFiles.length} files given: none holds a policy`);
  }

  /**
   * The other half of a handshake may be in a file nobody named (a pre-commit hook passes only
   * the changed files): the rest of each keyshare.json's folder is indexed, not reported on.
   */
  private indexRestOfWorkspaces(): void {
    const { project } = this;
    const seen = new Set(this.files.map((f) => f.file));
    for (const [configFile, index] of [...project.allIndexes()]) {
      if (!configFile || index.folder === undefined) continue;
      const folder = index.folder;
      // Walked already, or (a --config from elsewhere) not the workspace of any file checked.
      if (this.walkedFolders.some((walked) => folder === walked || folder.startsWith(walked + path.sep))) continue;
      if (!this.checked.some((entry) => entry.index === index && (uriFile(entry.analysis.uri) ?? '').startsWith(folder + path.sep))) continue;
      for (const file of walkHostFiles(folder)) {
        if (seen.has(file) || isConfigFile(file) || project.configs.nearest(file) !== configFile) continue;
        project.fileChanged(file, undefined, true);
      }
    }
  }

  /** Cross-file findings, once every file is indexed; each file's reports stay together, in order. */
  private addCrossFileFindings(): void {
    const { checked, result } = this;
    for (let i = checked.length - 1; i >= 0; i--) {
      const entry = checked[i];
      const cross = this.project.crossFileFindings(entry.analysis);
      const suppressed = this.args.showSuppressed ? suppressedReports(this.project, entry, this.displayOf, this.settings) : [];
      if (cross.length === 0 && suppressed.length === 0) continue;
      const end = i + 1 < checked.length ? checked[i + 1].reportsFrom : result.reports.length;
      this.tally.count(cross);
      const added = [...toReports(entry.display, entry.analysis.text, cross, this.displayOf, entry.analysis.result), ...suppressed];
      spliceInOrder(result.reports, entry.reportsFrom, end, added);
    }
  }

  /** The expect entries of each keyshare.json, checked against the whole index. */
  private addExpectFindings(): void {
    const { configAnalyses, configReports } = this;
    for (let i = configAnalyses.length - 1; i >= 0; i--) {
      const entry = configAnalyses[i];
      const cross = this.project.crossFileFindings(entry.analysis);
      if (cross.length === 0) continue;
      const end = i + 1 < configAnalyses.length ? configAnalyses[i + 1].reportsFrom : configReports.length;
      this.tally.count(cross);
      spliceInOrder(configReports, entry.reportsFrom, end, toReports(entry.display, entry.analysis.text, cross, this.displayOf));
    }
  }
}

/** Merges reports into one file's run of reports (`reports[from, end)`), keeping it in line order. */
function spliceInOrder(reports: Report[], from: number, end: number, added: Report[]): void {
  const merged = [...reports.slice(from, end), ...added];
  merged.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  reports.splice(from, end - from, ...merged);
}

/** A configuration's read error in one line, without the absolute path Node puts in its messages. */
function configError(message: string): string {
  const code = /^(E[A-Z]+):/.exec(message)?.[1];
  return code ? ioMessage(Object.assign(new Error(message), { code })) : message;
}

/**
 * What the suppressions hide in a checked file (keyshare.json's ignore entries, and the file's
 * own `# keyshare:ignore` comments and Metadata): the file checked again without them, keeping
 * the findings they hid, each marked with its suppression's reason.
 */
function suppressedReports(project: Project, entry: { analysis: Analysis; display: string; invalidUtf8: boolean }, displayOf: (uri: string) => string | undefined, settings: Settings): Report[] {
  const configured = project.suppressionsFor(entry.analysis.uri);
  const inline = entry.analysis.result.source?.suppressions ?? [];
  if (configured.length === 0 && inline.length === 0) return [];
  const { analysis } = entry;
  const reasonOf = (finding: Finding): { reason?: string } | undefined => configured.find((s) => s.rule === finding.ruleId || s.rule === '*') ?? suppressionOf(finding, inline);
  const kept = new Set(project.findings(analysis).map((f) => `${f.ruleId}:${f.start}:${f.end}`));
  const all = project.analyse(analysis.uri, analysis.text, settings, { invalidUtf8: entry.invalidUtf8, unsuppressed: true });
  const hidden = project.findings(all).filter((f) => !kept.has(`${f.ruleId}:${f.start}:${f.end}`) && reasonOf(f));
  return toReports(entry.display, analysis.text, hidden, displayOf, analysis.result).map((report, i) => ({ ...report, suppressed: { reason: reasonOf(hidden[i])!.reason } }));
}

/** Whether a file too large to check may hold policies, from its name and its first 64 KB. */
function largeFileMayHoldPolicies(file: string): boolean {
  const head = readRegularFile(file, 64 * 1024);
  return head.ok && mayHoldPolicies(file, head.bytes.toString('utf8'));
}

/** Notes for the names a flag gives values to that no file checked declares, with the declared name meant where one is close. */
function undeclaredInputs(flag: string, given: Record<string, unknown> | undefined, declared: ReadonlySet<string>, what: string): string[] {
  return Object.keys(given ?? {})
    .filter((name) => !declared.has(name))
    .map((name) => {
      const near = closestMatch(name, declared, 3);
      return `${flag} gives ${name} a value, but no ${what} checked declares it${near ? `: did you mean ${near}?` : ''}`;
    });
}
