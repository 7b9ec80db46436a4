/** The CLI's output formats: text for people, JSON and SARIF 2.1.0 for machines. */
import { LineIndex, type LineRange } from '../engine/text';
import type { Severity } from '../engine/types';
import type { Finding } from '../engine/types';
import { modelAt, type CheckResult } from '../engine/check';
import { REPOSITORY_URL, RULE_DOCS_URL as DOCS_BASE_URL, RULES, type RuleInfo } from '../engine/ruleSupport/registry';

/** A place a finding points to besides its own: the other half of a handshake, or a span of the same file. */
export interface RelatedReport {
  file: string;
  range: LineRange;
  message: string;
}

export interface Report {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  range: LineRange;
  related?: RelatedReport[];
  /** In a template or module: the policy's address (`DataKey KeyPolicy`, a Terraform address) and the statement (1-based). */
  policy?: string;
  statement?: number;
  /** Hidden by a keyshare.json ignore entry (reported with --show-suppressed only), with its reason. */
  suppressed?: { reason?: string };
}

const NO_RANGE: LineRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Findings of one file as reports. `displayOf` names another file (a related span's `uri`) the
 * way `file` names this one; without it, related spans of other files are left out.
 */
export function toReports(file: string, text: string, findings: Pick<Finding, 'ruleId' | 'severity' | 'message' | 'start' | 'end' | 'related'>[], displayOf?: (uri: string) => string | undefined, result?: CheckResult): Report[] {
  if (findings.length === 0) return [];
  const index = new LineIndex(text);
  return findings.map((f) => {
    const report: Report = { file, ruleId: f.ruleId, severity: f.severity, message: f.message, range: index.rangeOf(f) };
    const where = result && policyAt(result, f.start);
    if (where) Object.assign(report, where);
    const related: RelatedReport[] = [];
    for (const r of f.related ?? []) {
      if (r.uri === undefined) related.push({ file, range: index.rangeOf(r), message: r.message });
      else {
        const other = displayOf?.(r.uri);
        if (other !== undefined) related.push({ file: other, range: r.range ?? NO_RANGE, message: r.message });
      }
    }
    if (related.length) report.related = related;
    return report;
  });
}

/** The template policy (its address) and statement a finding lies in; undefined outside them and for files that are one policy. */
function policyAt(result: CheckResult, offset: number): { policy: string; statement?: number } | undefined {
  const model = modelAt(result, offset);
  if (!model?.address || offset < model.root.offset || offset > model.root.offset + model.root.length) return undefined;
  const statement = model.statements.find((s) => offset >= s.node.offset && offset <= s.node.offset + s.node.length);
  return statement ? { policy: model.address, statement: statement.index + 1 } : { policy: model.address };
}

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' };

export function formatText(reports: Report[], colour: boolean): string {
  const lines = reports.map((r) => {
    const where = `${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}`;
    const severity = colour ? `${COLOURS[r.severity]}${r.severity}\x1b[0m` : r.severity;
    const rule = colour ? `\x1b[2m${r.ruleId}\x1b[0m` : r.ruleId;
    const hidden = r.suppressed ? ` (suppressed${r.suppressed.reason ? `: ${r.suppressed.reason}` : ''})` : '';
    const policy = r.policy ? `[${r.policy}${r.statement ? `, statement ${r.statement}` : ''}] ` : '';
    const line = `${where}: ${severity} ${policy}${r.message} [${rule}]${hidden}`;
    // The other half of a cross-file finding is named, so a reader (or a CI log) can open it.
    const others = (r.related ?? []).filter((x) => x.file !== r.file);
    return [line, ...others.map((x) => `  \u21b3 ${x.file}:${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.message}`)].join('\n');
  });
  return lines.join('\n');
}

export function formatJson(reports: Report[]): string {
  return JSON.stringify(
    reports.map(({ file, ruleId, severity, message, range, policy, suppressed }) => ({ file, ruleId, severity, message, range, ...(policy ? { policy } : {}), ...(suppressed ? { suppressed: true, reason: suppressed.reason ?? null } : {}) })),
    null,
    2,
  );
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * GitHub code scanning ranks security alerts by `security-severity` (0.0 to 10.0, as a string):
 * 9.0 and above critical, 7.0 high, 4.0 medium, 0.1 low. A security rule's default severity picks it.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '3.0', hint: '1.0' };

function ruleProperties(rule: RuleInfo): Record<string, unknown> {
  if (!rule.security) return { category: rule.category, tags: [rule.category] };
  return { category: rule.category, tags: ['security', rule.category], precision: 'high', 'security-severity': SECURITY_SEVERITY[rule.severity] };
}

/** The message, with a link to each other file it names (SARIF's `[text](id)` links to relatedLocations). */
function sarifMessage(r: Report): string {
  const links = (r.related ?? []).flatMap((x, id) => (x.file === r.file ? [] : [`[${x.file.replace(/[[\]]/g, '\\$&')}:${x.range.start.line + 1}](${id})`]));
  return links.length ? `${r.message.replace(/[[\]]/g, '\\$&')} See ${links.join(', ')}.` : r.message;
}

function sarifRegion(range: LineRange) {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function sarifLocation(file: string, range: LineRange) {
  return { physicalLocation: { artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' }, region: sarifRegion(range) } };
}

export function formatSarif(reports: Report[], version: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyshare',
            version,
            informationUri: REPOSITORY_URL,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.summary },
              fullDescription: { text: r.summary },
              helpUri: `${DOCS_BASE_URL}${r.id}.md`,
              help: {
                text: `${r.summary} See ${DOCS_BASE_URL}${r.id}.md`,
                markdown: `**${r.id}**: ${r.summary}\n\nDefault severity: \`${r.severity}\`${r.security ? ' (a security rule)' : ''}. [Rule documentation, with a bad and a good example](${DOCS_BASE_URL}${r.id}.md)`,
              },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: ruleProperties(r),
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: reports.map((r) => ({
          ruleId: r.ruleId,
          ...(ruleIndex.has(r.ruleId) ? { ruleIndex: ruleIndex.get(r.ruleId) } : {}),
          level: SARIF_LEVEL[r.severity],
          message: { text: sarifMessage(r) },
          locations: [sarifLocation(r.file, r.range)],
          // Hidden by keyshare.json, not by a comment in the file: an external suppression.
          ...(r.suppressed ? { suppressions: [{ kind: 'external', status: 'accepted', ...(r.suppressed.reason ? { justification: r.suppressed.reason } : {}) }] } : {}),
          ...(r.related?.length
            ? { relatedLocations: r.related.map((x, id) => ({ id, ...sarifLocation(x.file, x.range), message: { text: x.file === r.file ? x.message : `${x.file}: ${x.message}` } })) }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
