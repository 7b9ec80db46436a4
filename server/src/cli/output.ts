/** The CLI's output formats: text for people, JSON and SARIF 2.1.0 for machines. */
import { LineIndex, type LineRange } from '../engine/text';
import type { Severity } from '../engine/types';
import { REPOSITORY_URL, RULE_DOCS_URL as DOCS_BASE_URL, RULES } from '../engine/rules/registry';

export interface Report {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  range: LineRange;
}


export function toReports(file: string, text: string, findings: { ruleId: string; severity: Severity; message: string; start: number; end: number }[]): Report[] {
  if (findings.length === 0) return [];
  const index = new LineIndex(text);
  return findings.map((f) => ({ file, ruleId: f.ruleId, severity: f.severity, message: f.message, range: index.rangeOf(f) }));
}

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' };

export function formatText(reports: Report[], colour: boolean): string {
  const lines = reports.map((r) => {
    const where = `${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}`;
    const severity = colour ? `${COLOURS[r.severity]}${r.severity}\x1b[0m` : r.severity;
    const rule = colour ? `\x1b[2m${r.ruleId}\x1b[0m` : r.ruleId;
    return `${where}: ${severity} ${r.message} [${rule}]`;
  });
  return lines.join('\n');
}

export function summary(reports: Report[], files: number, notPolicies = 0): string {
  const count = (s: Severity) => reports.filter((r) => r.severity === s).length;
  const parts = [`${count('error')} error${count('error') === 1 ? '' : 's'}`, `${count('warning')} warning${count('warning') === 1 ? '' : 's'}`];
  const infos = count('info') + count('hint');
  if (infos) parts.push(`${infos} info`);
  const skipped = notPolicies ? ` (${notPolicies} JSON file${notPolicies === 1 ? ' is' : 's are'} not a polic${notPolicies === 1 ? 'y' : 'ies'}: left alone)` : '';
  return `${parts.join(', ')} in ${files} polic${files === 1 ? 'y' : 'ies'} checked${skipped}`;
}

export function formatJson(reports: Report[]): string {
  return JSON.stringify(reports.map(({ file, ruleId, severity, message, range }) => ({ file, ruleId, severity, message, range })), null, 2);
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

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
              help: { text: `${r.summary} See ${DOCS_BASE_URL}${r.id}.md`, markdown: `${r.summary} [Rule documentation](${DOCS_BASE_URL}${r.id}.md)` },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { category: r.category },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: reports.map((r) => ({
          ruleId: r.ruleId,
          ...(ruleIndex.has(r.ruleId) ? { ruleIndex: ruleIndex.get(r.ruleId) } : {}),
          level: SARIF_LEVEL[r.severity],
          message: { text: r.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(r.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: r.range.start.line + 1,
                  startColumn: r.range.start.character + 1,
                  endLine: r.range.end.line + 1,
                  endColumn: r.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
