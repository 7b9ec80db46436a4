/**
 * The project: what the language server and the CLI share. Which keyshare.json governs a file,
 * the options for checking it, one cross-file index per keyshare.json, checking a file with its
 * cross-file and keyshare.json findings, and which other files a change touches. The two front
 * ends only drive it: they decide when to check and how to show the findings.
 */
import * as path from 'path';
import { getHeapStatistics } from 'v8';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { sharedCatalog } from '../catalog/iamData';
import { LineIndex } from '../engine/text';
import type { Finding, VariableValue } from '../engine/types';
import { applySuppressions, unusedSuppressions } from '../engine/suppressions';
import { accountFromPath, CONFIG_FILE, configFindings, parseConfig, type IgnoreConfig, type LoadedConfig } from '../workspace/config';
import { summarize } from '../workspace/handshake';
import { entryFile, WorkspaceIndex } from '../workspace/index';
import { fileUri } from '../workspace/uris';
import { analyseText, applySeverities } from './analyse';
import { analysisOf, fileOf, INVALID_UTF8_MESSAGE, isConfigFile, type Analysis, type AnalyseOptions } from './analysis';
import { ConfigCache } from './configs';
import { appendConfigEntry } from './configEdits';
import { EditorBuffers } from './buffers';
import { formatSize, isNamedPolicyFile, mayHoldPolicies, needsGrammar, readPolicyFile, relativePath, walkHostFiles, type ReadResult } from './files';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { ExplainError, explainAccess } from './explain';
import { withoutStatementIgnores } from './statementIgnores';
import { loadGrammars } from './grammars';
import type { DocumentCheckOptions, Grammars } from '../hosts';

/** The rule id of an expect entry of keyshare.json that the policies do not meet. */
export const EXPECTATION_RULE = 'access-expectation';

export interface ProjectOptions {
  /** One keyshare.json for every file (the CLI's --config). */
  config?: string;
  /** A rule threw and was skipped (the other rules still ran). */
  onRuleError?(ruleId: string, error: unknown): void;
  /** Something the user should know that is no finding (indexing stopped early). */
  log?(message: string): void;
  /** CloudFormation parameter values for every template checked (the CLI's --parameters). */
  parameters?: Record<string, string>;
  /** Terraform input variable values for every module checked (the CLI's --var-file). */
  variables?: Record<string, VariableValue>;
  /** Loads the parsers some hosts need (Terraform's grammar); `loadGrammars` in project/grammars.ts unless given. */
  loadGrammars?(): Promise<Grammars>;
  /** The parsers could not be loaded: the files that need them read as holding no policy. */
  onGrammarError?(error: unknown): void;
}

export { analysisOf, fileOf, INVALID_UTF8_MESSAGE, isConfigFile, isJsonText, type Analysis, type AnalyseOptions } from './analysis';

export class Project {
  readonly configs: ConfigCache;
  private readonly indexes = new Map<string, WorkspaceIndex>();
  /** The index entries of each template's policies (`<uri>#<resource or address>`). */
  private readonly entries = new Map<string, string[]>();
  /** Which files are in some index (a policy, model known). */
  private readonly indexed = new Set<string>();
  private excludeGlobs: string[] = [];
  private excludeMatcher: ((path: string) => boolean) | undefined;

  /** The text of a file open in an editor (its unsaved buffer), if it is open: what explain reads first. */
  openText: (uri: string) => string | undefined = () => undefined;

  /** Rules that threw, told to `onRuleError` once per project (each file would tell it again). */
  private readonly failedRules = new Set<string>();
  private readonly ruleFailed = (ruleId: string, error: unknown): void => {
    if (this.failedRules.has(ruleId)) return;
    this.failedRules.add(ruleId);
    this.options.onRuleError?.(ruleId, error);
  };

  /** The parsers the hosts read with, once loaded (`grammarsReady`): handed to every read, never kept in a module. */
  readonly grammars: Grammars = {};
  private grammarsLoading: Promise<void> | undefined;

  constructor(private readonly options: ProjectOptions = {}) {
    this.configs = new ConfigCache(options.config);
  }

  /** Resolves once the parsers are loaded (or failed to load, told to `onGrammarError`); await before reading a file that needs one. */
  grammarsReady(): Promise<void> {
    this.grammarsLoading ??= (this.options.loadGrammars ?? loadGrammars)().then(
      (loaded) => void Object.assign(this.grammars, loaded),
      (error) => this.options.onGrammarError?.(error),
    );
    return this.grammarsLoading;
  }

  /** The editor's files.exclude globs (compiled once, not per file). */
  set excludes(globs: string[]) {
    this.excludeGlobs = globs;
    this.excludeMatcher = globs.length ? picomatch(globs, { dot: true }) : undefined;
  }

  get excludes(): string[] {
    return this.excludeGlobs;
  }

  isExcluded(folder: string, file: string): boolean {
    return this.excludeMatcher ? this.excludeMatcher(relativePath(folder, file)) : false;
  }

  /** Drops every index (and, with `configs`, every keyshare.json read). */
  clear(configs = true): void {
    this.indexes.clear();
    this.entries.clear();
    this.indexed.clear();
    if (configs) this.configs.invalidate();
  }

  get fileCount(): number {
    return this.indexed.size;
  }

  /** The keyshare.json governing a document, when it is on disk and the file could be read. */
  configFor(uri: string): { file: string; loaded: LoadedConfig } | undefined {
    const file = fileOf(uri);
    if (!file) return undefined;
    const configFile = this.configs.nearest(file);
    const loaded = configFile ? this.configs.load(configFile) : undefined;
    return loaded && configFile ? { file: configFile, loaded } : undefined;
  }

  /** The principals keyshare.json `principals` attaches this policy file (or template resource) to; undefined when none names it. */
  attachedPrincipals(uri: string, address?: string): string[] | undefined {
    const config = this.configFor(uri);
    const file = fileOf(uri);
    if (!config || !file) return undefined;
    const folder = path.dirname(config.file);
    const result = config.loaded.resolved.config.principals.filter((p) =>
      p.policies.some((ref) => {
        const hash = ref.indexOf('#');
        const target = path.resolve(folder, hash < 0 ? ref : ref.slice(0, hash));
        return target === file && (hash < 0 || !address || ref.slice(hash + 1) === address);
      }),
    );
    return result.length ? result.map((p) => p.arn) : undefined;
  }

  /** The index a document belongs to: one per keyshare.json, one for files under none. */
  indexFor(uri: string): WorkspaceIndex {
    const config = this.configFor(uri);
    const key = config?.file ?? '';
    let index = this.indexes.get(key);
    if (!index) {
      index = new WorkspaceIndex(config?.loaded.resolved.config, config ? path.dirname(config.file) : undefined, config?.loaded.text);
      this.indexes.set(key, index);
    }
    return index;
  }

  /** Every index, with the keyshare.json it stands for ('' for files under none). */
  allIndexes(): Iterable<[string, WorkspaceIndex]> {
    return this.indexes.entries();
  }

  /** The check options for a document: keyshare.json (accounts, keys, rules, ignores), else its path; then the settings. */
  optionsFor(uri: string, settings: Settings = DEFAULT_SETTINGS, ignores = true): { options: DocumentCheckOptions; accountSource?: string; configFile?: string; ignored?: IgnoreConfig[] } {
    const options: DocumentCheckOptions = {};
    let accountSource: string | undefined;
    let ignored: IgnoreConfig[] | undefined;
    const config = this.configFor(uri);
    if (config) {
      const context = config.loaded.resolved.contextFor(relativePath(config.loaded.resolved.folder, fileOf(uri)!), ignores);
      Object.assign(options, context.options);
      accountSource = context.accountSource;
      if (context.ignored.length) ignored = context.ignored;
    } else {
      const account = accountFromPath(fileOf(uri) ?? URI.parse(uri).path);
      if (account) {
        options.account = account;
        accountSource = `path segment ${account}/`;
      }
    }
    options.rules = { ...options.rules, ...settings.rules };
    if (this.options.parameters) options.parameters = this.options.parameters;
    if (this.options.variables) options.variables = this.options.variables;
    if (isNamedPolicyFile(uri)) options.expectPolicy = true;
    options.fileName = fileOf(uri) ?? URI.parse(uri).path;
    options.grammars = this.grammars;
    return { options, accountSource, configFile: config?.file, ignored };
  }

  /** What the hosts keep of open editors' buffers between versions. */
  readonly buffers = new EditorBuffers();

  /** An editor closed: what the hosts kept of its buffer goes. */
  bufferClosed(uri: string): void {
    this.buffers.forget(fileOf(uri) ?? URI.parse(uri).path);
  }

  /** Checks one text as the file `uri` (no index update). A keyshare.json gets its own findings. */
  analyse(uri: string, text: string, settings: Settings = DEFAULT_SETTINGS, how: AnalyseOptions = {}): Analysis {
    const version = how.version ?? 0;
    const lines = new LineIndex(text);
    if (isConfigFile(uri)) {
      const { config, problems } = parseConfig(text);
      return analysisOf({ uri, version, text, lines, options: {}, isConfig: true, result: { findings: configFindings(config, problems), isPolicy: false, models: [] } });
    }
    const { options, accountSource, configFile, ignored } = this.optionsFor(uri, settings, !how.unsuppressed);
    if (text.length > settings.maxFileSize) {
      const looksLikePolicy = mayHoldPolicies(options.fileName ?? '', text.slice(0, 65536));
      const message = `This file is ${formatSize(text.length)}, above the keyshare.maxFileSizeMB setting (${formatSize(settings.maxFileSize)}): it is not analysed. Raise the setting (keyshare check --max-file-size) to check it.`;
      const findings: Finding[] = looksLikePolicy ? [{ ruleId: 'policy-size', severity: 'warning', start: 0, end: Math.min(1, text.length), message }] : [];
      return analysisOf({ uri, version, text, lines, options, accountSource, configFile, ignored, tooLarge: true, result: { findings, isPolicy: looksLikePolicy, models: [] } });
    }
    if (how.unsuppressed) options.unsuppressed = true;
    // A versioned text is an open editor's buffer.
    if (how.version !== undefined) options.buffers = this.buffers;
    const result = analyseText(text, options, { modelOnly: how.modelOnly, onRuleError: this.ruleFailed });
    if (ignored) result.findings = withoutStatementIgnores(result.findings, ignored, result);
    if (how.invalidUtf8 && result.isPolicy) {
      result.findings = [{ ruleId: 'json-syntax', severity: 'error', start: 0, end: 0, message: INVALID_UTF8_MESSAGE }, ...result.findings];
    }
    return analysisOf({ uri, version, text, lines, options, accountSource, configFile, ignored, result });
  }

  /**
   * Records a file's latest analysis in its index; returns the other files whose cross-file
   * findings may change (none when `quiet`: a cold build, where nobody waits for them).
   */
  record(analysis: Analysis, quiet = false): string[] {
    if (analysis.isConfig) return [];
    const model = analysis.result.model;
    if (!model || analysis.tooLarge) return this.forget(analysis.uri, quiet);
    const uri = analysis.uri;
    const index = this.indexFor(uri);
    this.indexed.add(uri);
    const host = analysis.result.source?.host;
    if (!host || host === 'json') {
      const affected = this.dropEntries(uri, index, quiet);
      const summary = summarize(uri, model, analysis.lines, sharedCatalog(), analysis.options.keyArn);
      if (model.kind === 'identity-policy') summary.attachedTo = this.attachedPrincipals(uri);
      return this.withExpectations(index, files(uri, affected.concat(index.update(uri, summary, quiet))), quiet);
    }
    // A template or module: one entry per policy, so that its key policies and the identity
    // policies that reference their keys (`!GetAtt DataKey.Arn`) meet like two files.
    const declared = analysis.options.keysByResource ?? {};
    const templateKey = (resource: string) => declared[resource] ?? `${uri}#${resource}`;
    const entries: string[] = [];
    const named = new Set<string>();
    const affected: string[] = [];
    analysis.result.models.forEach((m, i) => {
      const keyPolicy = m.kind === 'key-policy' && m.resource !== undefined;
      let entry = `${uri}#${keyPolicy ? m.resource : (m.address ?? i)}`;
      if (named.has(entry)) entry = `${entry}[${i}]`;
      entries.push(entry);
      named.add(entry);
      const keyArn = keyPolicy ? declared[m.resource!] : undefined;
      const summary = summarize(entry, m, analysis.lines, sharedCatalog(), keyArn, templateKey);
      summary.resource = m.resource;
      if (m.kind === 'identity-policy') summary.attachedTo = this.attachedPrincipals(uri, m.resource ?? m.address);
      if (keyPolicy && !keyArn) summary.keyArn = templateKey(m.resource!);
      affected.push(...index.update(entry, summary, quiet));
    });
    for (const old of this.entries.get(uri) ?? []) if (!named.has(old)) affected.push(...index.update(old, undefined, quiet));
    this.entries.set(uri, entries);
    return this.withExpectations(index, files(uri, affected), quiet);
  }

  /** Removes a template's entries from its index (it holds no policy now, or is read as one file). */
  private dropEntries(uri: string, index: WorkspaceIndex, quiet: boolean): string[] {
    const entries = this.entries.get(uri);
    if (!entries) return [];
    this.entries.delete(uri);
    return entries.flatMap((entry) => index.update(entry, undefined, quiet));
  }

  /** Removes a file from its index (deleted, or no longer a policy); returns the files that depended on it. */
  forget(uri: string, quiet = false): string[] {
    if (!this.indexed.delete(uri)) return [];
    const index = this.indexFor(uri);
    return this.withExpectations(index, files(uri, [...this.dropEntries(uri, index, quiet), ...index.update(uri, undefined, quiet)]), quiet);
  }

  /** A keyshare.json with expect entries depends on every policy under it. */
  private withExpectations(index: WorkspaceIndex, affected: string[], quiet: boolean): string[] {
    if (quiet || !index.folder || index.config.expect.length === 0) return affected;
    return [...affected, fileUri(path.join(index.folder, CONFIG_FILE))];
  }

  /**
   * keyshare.json's expect entries that the policies of its workspace do not meet, each on its
   * entry, with the statements that decide it as related information. A read.
   */
  expectationFindings(analysis: Analysis): Finding[] {
    const file = fileOf(analysis.uri);
    if (!file || !analysis.isConfig) return [];
    const { config } = parseConfig(analysis.text);
    if (config.expect.length === 0) return [];
    const findings: Finding[] = [];
    for (const entry of config.expect) {
      const what = `${entry.principal} ${entry.action} on ${entry.key}`;
      let message: string | undefined;
      let related: Finding['related'];
      try {
        const answer = explainAccess(this, analysis.uri, { principal: entry.principal, action: entry.action, key: entry.key, context: entry.context });
        const allowed = answer.actions.filter((a) => a.verdict === 'allowed').map((a) => a.action);
        const met = entry.allowed ? answer.actions.length > 0 && allowed.length === answer.actions.length : answer.actions.every((a) => a.verdict === 'denied');
        if (!met) {
          const depends = answer.depends.length ? ` It depends on ${answer.depends.join('; ')}.` : answer.notes.length && answer.verdict === 'denied' ? ` Denied because ${answer.notes.join('; ')}.` : '';
          if (entry.allowed) message = `Expected ${what} to be allowed, but it is ${answer.verdict === 'depends' ? 'not certain' : answer.verdict === 'allowed' ? `allowed only for ${allowed.join(', ')}` : 'denied'}.${depends}`;
          else message = `Expected ${what} to be denied, but ${answer.verdict === 'depends' && allowed.length === 0 ? 'it may be allowed' : `${allowed.join(', ') || 'it'} ${allowed.length > 1 ? 'are' : 'is'} allowed`}.${depends}`;
          related = answer.because.map((c) => ({ start: 0, end: 0, uri: c.uri, range: c.range, message: `${c.effect}${c.sid ? ` "${c.sid}"` : ''}${c.policy ? ` (${c.policy})` : ''}: ${c.half === 'key' ? 'the key policy' : c.half === 'grant' ? 'a grant' : 'an identity policy'} decides it` }));
        }
      } catch (error) {
        if (!(error instanceof ExplainError)) throw error;
        message = `This expectation cannot be checked: ${error.message}.`;
      }
      if (message) findings.push({ ruleId: EXPECTATION_RULE, severity: 'error', message, start: entry.span.start, end: entry.span.end, ...(related?.length ? { related } : {}) });
    }
    return applySeverities(findings, { rules: config.rules });
  }

  /**
   * What `crossFileFindings` (and a report's place in its file) still reads of an analysis once
   * its own findings are reported: a standalone policy's tree, models and findings are let go,
   * which is most of a large check's memory (a key policy's undeclared-key finding, which reads
   * its tree but no other file, is found first). Templates are kept whole, and so is a file
   * whose ignore entries name statements (`sids`).
   */
  keptForCrossFile(analysis: Analysis): Analysis {
    const model = analysis.result.model;
    if (analysis.isConfig || analysis.result.source?.host !== 'json' || !model || analysis.ignored?.some((entry) => entry.sids)) return analysis;
    const kept = analysisOf({ ...analysis, result: { isPolicy: analysis.result.isPolicy, models: [], findings: [] } });
    if (model.kind === 'key-policy') kept.undeclaredKey = this.undeclaredKeyFinding(analysis) ?? null;
    return kept;
  }

  /** The cross-file findings of a checked file, at the severities its options give. A read: nothing changes. */
  crossFileFindings(analysis: Analysis): Finding[] {
    if (analysis.isConfig) return this.expectationFindings(analysis);
    if (!analysis.result.isPolicy) return [];
    const index = this.indexFor(analysis.uri);
    const entries = this.entries.get(analysis.uri);
    const findings = entries ? entries.flatMap((entry) => index.findings(entry).map(inFile)) : index.findings(analysis.uri);
    const undeclared = analysis.undeclaredKey !== undefined ? (analysis.undeclaredKey ?? undefined) : this.undeclaredKeyFinding(analysis);
    const all = undeclared ? [...findings, undeclared] : findings;
    const reported = applySeverities(analysis.ignored ? withoutStatementIgnores(all, analysis.ignored, analysis.result) : all, analysis.options);
    return this.withInlineSuppressions(analysis, reported);
  }

  /**
   * The file's own suppressions applied to its cross-file findings too; then a hint on each that
   * hid nothing, of its own findings or of these (which only now are all known).
   */
  private withInlineSuppressions(analysis: Analysis, cross: Finding[]): Finding[] {
    const suppressions = analysis.result.source?.suppressions;
    const ownUse = analysis.result.suppressionUse;
    if (!suppressions?.length || !ownUse || analysis.options.unsuppressed) return cross;
    const used = ownUse.slice();
    const kept = applySuppressions(cross, suppressions, used);
    const unused = applySeverities(unusedSuppressions(analysis.text, suppressions, used), analysis.options);
    return unused.length ? [...kept, ...unused] : kept;
  }

  /**
   * A key policy under a keyshare.json whose keys name no policy file for it: which key it governs
   * is unknown, so no identity policy can be matched to it. Said once (info, on "Statement"),
   * with a fix that declares the key with what is known: the policy file, and an ARN holding the
   * owner account (from keyshare.json, the path or the root statement) whose region and key ID
   * are left empty for the user to fill in. That ARN is incomplete on purpose: keyshare-json then
   * points at it until it is a real key ARN, rather than a made-up one looking valid.
   */
  private undeclaredKeyFinding(analysis: Analysis): Finding | undefined {
    const model = analysis.result.model;
    if (!model || model.kind !== 'key-policy' || analysis.options.keyArn || analysis.tooLarge) return undefined;
    const file = fileOf(analysis.uri);
    const config = this.configFor(analysis.uri);
    // A template's keys are declared per resource (`stack.json#DataKey`, `main.tf.json#aws_kms_key.data`), as for YAML and HCL.
    if (!file || !config || !/\.json$/i.test(file) || analysis.result.source?.template) return undefined;
    const span = model.statementElement?.keySpan ?? model.statements[0]?.node ?? model.root;
    const start = 'offset' in span ? span.offset : span.start;
    const end = 'offset' in span ? span.offset + span.length : span.end;
    const account = model.ownerAccount;
    const relative = relativePath(path.dirname(config.file), file);
    const arn = `arn:aws:kms::${account ?? ''}:key/`;
    const edit = appendConfigEntry(config.loaded.text, 'keys', { policy: relative, arn });
    const configUri = fileUri(config.file);
    const lines = new LineIndex(config.loaded.text);
    return {
      ruleId: 'unknown-key-reference',
      severity: 'info',
      start,
      end,
      message: `No key in keyshare.json names this key policy (keys[].policy), so its key ARN is unknown: identity policies that use the key cannot be matched to it. Declare the key${account ? ` of account ${account}` : ''} with its ARN.`,
      fixes: edit ? [{ title: `Declare this key in keyshare.json (then fill in its region and key ID)`, edits: [edit], uri: configUri, ranges: [lines.rangeOf(edit)], safe: false }] : undefined,
    };
  }

  /** The keyshare.json ignore entries that apply to a file (rule id or "*", and the reason given). */
  suppressionsFor(uri: string): { rule: string; reason?: string }[] {
    const config = this.configFor(uri);
    return config ? config.loaded.resolved.suppressionsFor(relativePath(config.loaded.resolved.folder, fileOf(uri)!)) : [];
  }

  /** Everything to report on a checked file: its own findings, then the cross-file ones. A read. */
  findings(analysis: Analysis): Finding[] {
    const cross = this.crossFileFindings(analysis);
    return cross.length ? [...analysis.result.findings, ...cross] : analysis.result.findings;
  }

  /**
   * Checking a file in its project: text and file in, every finding out (its own, the
   * cross-file ones, or a keyshare.json's problems), plus the other files the change touches.
   */
  check(uri: string, text: string, settings: Settings = DEFAULT_SETTINGS, how: AnalyseOptions = {}): { analysis: Analysis; findings: Finding[]; affected: string[] } {
    const analysis = this.analyse(uri, text, settings, how);
    const affected = this.record(analysis);
    return { analysis, findings: this.findings(analysis), affected };
  }

  /** Reads a file as the project does (the size limit of the settings). */
  read(file: string, settings: Settings = DEFAULT_SETTINGS): ReadResult {
    return readPolicyFile(file, Math.max(settings.maxFileSize, 0));
  }

  /** A file on disk, read and checked (full, or the model only for the index); undefined when unreadable. */
  analyseFile(file: string, settings: Settings = DEFAULT_SETTINGS, how: AnalyseOptions = {}): Analysis | undefined {
    const read = this.read(file, settings);
    if (!read.ok) return undefined;
    return this.analyse(fileUri(file), read.text, settings, { ...how, invalidUtf8: read.invalidUtf8 });
  }

  /**
   * A disk event for a file nobody has open (created, changed or deleted): its index entry
   * follows the disk. Returns the other files whose cross-file findings may change.
   */
  fileChanged(file: string, settings: Settings = DEFAULT_SETTINGS, quiet = false): string[] {
    const uri = fileUri(file);
    if (isConfigFile(file)) return [];
    const analysis = this.analyseFile(file, settings, { modelOnly: true });
    if (!analysis?.result.isPolicy) return this.forget(uri, quiet);
    return this.record(analysis, quiet);
  }

  fileDeleted(uri: string): string[] {
    return this.forget(uri);
  }

  /** Indexes every policy file under the folders (returns how many JSON files it walked), yielding to the event loop between batches. */
  async build(folders: string[], settings: Settings, skip: (uri: string) => boolean, progress?: (done: number, total: number) => void): Promise<number> {
    const files: string[] = [];
    for (const folder of folders) {
      for (const file of walkHostFiles(folder)) if (!this.isExcluded(folder, file)) files.push(file);
    }
    if (files.some(needsGrammar)) await this.grammarsReady();
    let done = 0;
    for (const file of files) {
      if (!skip(fileUri(file))) this.fileChanged(file, settings, true);
      done++;
      if (done % 100 === 0) {
        if (heapNearlyFull()) {
          this.options.log?.(`Keyshare stopped indexing after ${done} of ${files.length} files: the workspace is too large for the server's memory. Cross-file findings may be missing; exclude folders with files.exclude.`);
          break;
        }
        progress?.(done, files.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    progress?.(files.length, files.length);
    return files.length;
  }

  /** Every index's access map (one per keyshare.json). A read. */
  accessMaps() {
    return [...this.indexes.values()].flatMap((index) => index.accessMap());
  }
}

/** The files (not template entries) among `affected`, without `uri` itself. */
function files(uri: string, affected: string[]): string[] {
  const result = new Set(affected.map(entryFile));
  result.delete(uri);
  return [...result];
}

/** A cross-file finding whose related spans name index entries: they name their files. */
function inFile(finding: Finding): Finding {
  if (!finding.related?.some((r) => r.uri && r.uri !== entryFile(r.uri))) return finding;
  return { ...finding, related: finding.related.map((r) => (r.uri ? { ...r, uri: entryFile(r.uri) } : r)) };
}

/** Whether the heap is three quarters full: indexing more would risk the server itself. */
function heapNearlyFull(): boolean {
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  return used > limit * 0.75;
}
