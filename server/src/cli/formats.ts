/**
 * The CLI's pipeline formats: JUnit XML for test report viewers, GitHub workflow commands for
 * annotations on a pull request, GitLab code quality JSON for merge request widgets.
 */
import { createHash } from 'crypto';
import type { Severity } from '../engine/types';
import { RULES } from '../engine/ruleSupport/registry';
import type { CheckedFile } from './check';
import type { Report } from './output';

/** Severities from the least to the most severe. */
const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Whether a finding's severity is `level` or above it (an error is above a warning). */
export function atOrAbove(severity: Severity, level: Severity): boolean {
  return RANK[severity] >= RANK[level];
}

const where = (r: { file: string; range: Report['range'] }) => `${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}`;

/** A report as the text output prints it: `file:line:col: severity message [rule]`, then the other files it names. */
function reportLines(r: Report): string {
  const hidden = r.suppressed ? ` (suppressed${r.suppressed.reason ? `: ${r.suppressed.reason}` : ''})` : '';
  const policy = r.policy ? `[${r.policy}${r.statement ? `, statement ${r.statement}` : ''}] ` : '';
  const others = (r.related ?? []).filter((x) => x.file !== r.file).map((x) => `\n  \u21b3 ${where(x)}: ${x.message}`);
  return `${where(r)}: ${r.severity} ${policy}${r.message} [${r.ruleId}]${hidden}${others.join('')}`;
}

// --- JUnit XML -------------------------------------------------------------------------------

/** Text XML 1.0 can hold: no control characters but tab, line feed and carriage return, no lone surrogates. */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; line breaks and tabs as references, which a parser keeps (a literal one becomes a space). */
function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

interface XmlElement {
  name: string;
  attributes: Record<string, string | number>;
  children?: XmlElement[];
  text?: string;
}

const element = (name: string, attributes: Record<string, string | number>, children?: XmlElement[], text?: string): XmlElement => ({ name, attributes, children, text });

/** Elements indented two spaces a level; text content as it is (a finding's lines keep their own indentation). */
function serialize({ name, attributes, children, text }: XmlElement, depth = 0): string {
  const indent = '  '.repeat(depth);
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`).join('');
  if (text !== undefined) return `${indent}<${name}${attrs}>${xmlText(text)}</${name}>`;
  if (!children?.length) return `${indent}<${name}${attrs}/>`;
  return `${indent}<${name}${attrs}>\n${children.map((c) => serialize(c, depth + 1)).join('\n')}\n${indent}</${name}>`;
}

export interface JunitInput {
  reports: readonly Report[];
  /** Every file checked, in order: a testsuite each, also when it has no findings. */
  checked: readonly CheckedFile[];
  /** Paths that could not be read, with why: a testsuite each, with an error. */
  unreadable?: readonly { file: string; message: string }[];
  /** Findings at or above it are failures; the others, and suppressed ones, go to the test case's output. */
  failOn: Severity;
}

/**
 * JUnit XML: one testsuite per file, one testcase per policy of a template or module (by its
 * address) or per file, one failure per finding at or above the fail level (type: the rule id;
 * message: the finding's message; text: file:line:col, severity, message and rule id).
 */
export function formatJunit({ reports, checked, unreadable = [], failOn }: JunitInput): string {
  const byFile = new Map<string, Report[]>();
  for (const r of reports) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const files = [...checked];
  for (const file of byFile.keys()) if (!files.some((f) => f.file === file)) files.push({ file, policies: [] });

  let tests = 0;
  let failures = 0;
  const suites = files.map(({ file, policies }) => {
    const own = byFile.get(file) ?? [];
    // One case per policy the file holds by address, and one for the file itself when it is one
    // policy (no address) or has findings outside the addressed ones.
    const names = [...policies];
    for (const r of own) if (r.policy && !names.includes(r.policy)) names.push(r.policy);
    const cases: { name: string; reports: Report[] }[] = names.map((name) => ({ name, reports: own.filter((r) => r.policy === name) }));
    const loose = own.filter((r) => !r.policy || !names.includes(r.policy));
    if (names.length === 0 || loose.length > 0) cases.unshift({ name: file, reports: loose });
    let suiteFailures = 0;
    const testcases = cases.map(({ name, reports: found }) => {
      const failing = found.filter((r) => !r.suppressed && atOrAbove(r.severity, failOn));
      const other = found.filter((r) => !failing.includes(r));
      suiteFailures += failing.length;
      const children = failing.map((r) => element('failure', { message: r.message, type: r.ruleId }, undefined, reportLines(r)));
      if (other.length) children.push(element('system-out', {}, undefined, other.map(reportLines).join('\n')));
      return element('testcase', { name, classname: file, file }, children);
    });
    tests += testcases.length;
    failures += suiteFailures;
    return element('testsuite', { name: file, tests: testcases.length, failures: suiteFailures, errors: 0, skipped: 0 }, testcases);
  });
  for (const { file, message } of unreadable) {
    tests++;
    suites.push(element('testsuite', { name: file, tests: 1, failures: 0, errors: 1, skipped: 0 }, [element('testcase', { name: file, classname: file, file }, [element('error', { message, type: 'io-error' }, undefined, `${file}: ${message}`)])]));
  }
  const root = element('testsuites', { name: 'keyshare', tests, failures, errors: unreadable.length }, suites);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root)}`;
}

// --- GitHub workflow commands ----------------------------------------------------------------

/** A workflow command's message, as @actions/core escapes it: %, CR and LF. */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as a message, and its separators, ':' and ','. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * One `::error`, `::warning` or `::notice` workflow command per finding: GitHub shows it as an
 * annotation on the file and line. Columns (1-based, the end one past the last character, as in
 * the SARIF output) go with a range on one line only, as GitHub asks; the other half of a cross-file finding follows the message on its own line.
 */
export function formatGithub(reports: readonly Report[], unreadable: readonly { file: string; message: string }[] = []): string {
  const findings = reports.map((r) => {
    const { start, end } = r.range;
    const properties: [string, string | number][] = [['file', r.file], ['line', start.line + 1]];
    if (start.line === end.line) properties.push(['col', start.character + 1]);
    properties.push(['endLine', end.line + 1]);
    if (start.line === end.line) properties.push(['endColumn', end.character + 1]);
    properties.push(['title', r.suppressed ? `${r.ruleId} (suppressed)` : r.ruleId]);
    const policy = r.policy ? `[${r.policy}${r.statement ? `, statement ${r.statement}` : ''}] ` : '';
    const reason = r.suppressed ? ` (suppressed${r.suppressed.reason ? `: ${r.suppressed.reason}` : ''})` : '';
    const others = (r.related ?? []).filter((x) => x.file !== r.file).map((x) => `\n\u21b3 ${where(x)}: ${x.message}`);
    const command = r.suppressed ? 'notice' : GITHUB_COMMAND[r.severity];
    return `::${command} ${properties.map(([k, v]) => `${k}=${escapeGithubProperty(String(v))}`).join(',')}::${escapeGithubData(`${policy}${r.message}${reason}${others.join('')}`)}`;
  });
  // What could not be read is an error annotation too: a line on stderr is easy to miss in a log.
  const problems = unreadable.map(({ file, message }) => `::error file=${escapeGithubProperty(file)},title=keyshare::${escapeGithubData(`${file} was not checked: ${message}`)}`);
  return [...findings, ...problems].join('\n');
}

// --- GitLab code quality ---------------------------------------------------------------------

/** GitLab's code quality severities, most severe first. */
export type GitlabSeverity = 'blocker' | 'critical' | 'major' | 'minor' | 'info';

const SECURITY_RULES = new Set(RULES.filter((r) => r.security).map((r) => r.id));

/** An error of a security rule is critical, any other error major; a warning minor; an info or hint info. */
export function gitlabSeverity(r: Pick<Report, 'severity' | 'ruleId'>): GitlabSeverity {
  switch (r.severity) {
    case 'error':
      return SECURITY_RULES.has(r.ruleId) ? 'critical' : 'major';
    case 'warning':
      return 'minor';
    default:
      return 'info';
  }
}

export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number } };
}

/**
 * GitLab code quality (a subset of Code Climate's issue format): one issue per finding, keyshare.json
 * ignore entries' hidden findings left out. The fingerprint names the finding without its line, so
 * an unrelated edit above it does not make it new: the rule, file, policy and message, and which
 * of identical ones it is.
 */
export function formatGitlab(reports: readonly Report[]): string {
  const seen = new Map<string, number>();
  const issues: GitlabIssue[] = reports
    .filter((r) => !r.suppressed)
    .map((r) => {
      const key = [r.ruleId, r.file, r.policy ?? '', r.statement ?? '', r.message].join('\0');
      const nth = seen.get(key) ?? 0;
      seen.set(key, nth + 1);
      const others = (r.related ?? []).filter((x) => x.file !== r.file).map((x) => ` (${where(x)}: ${x.message})`);
      const policy = r.policy ? `[${r.policy}${r.statement ? `, statement ${r.statement}` : ''}] ` : '';
      return {
        description: `${policy}${r.message}${others.join('')}`,
        check_name: r.ruleId,
        fingerprint: createHash('sha256').update(`${key}\0${nth}`).digest('hex'),
        severity: gitlabSeverity(r),
        location: { path: r.file, lines: { begin: r.range.start.line + 1 } },
      };
    });
  return JSON.stringify(issues, null, 2);
}
