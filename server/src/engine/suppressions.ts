/**
 * Suppressions written in the file itself: `# keyshare:ignore <rule-id>[,<rule-id>...] <reason>`
 * comments (YAML, HCL) and CloudFormation `Metadata: { keyshare: { ignore: [...] } }`. Hosts find
 * them and say what each covers; this module reads the directive, hides the findings it covers and
 * reports the directives that are wrong (no reason, an unknown rule) or hide nothing.
 */
import { ruleInfo, RULES } from './ruleSupport/registry';
import { closestMatch, removalOfComment } from './text';
import type { Finding, Span } from './types';

export interface Suppression {
  /** The rule ids it names, as written. */
  rules: string[];
  reason?: string;
  /** Where it is written (the comment, or the Metadata entry). */
  span: Span;
  /** Findings that start inside are hidden. */
  covers: Span;
  form: 'comment' | 'metadata';
  /** Why it hides nothing, when it is malformed (no rule id, no reason, an unknown rule). */
  problem?: string;
}

export const DIRECTIVE = 'keyshare:ignore';

/** The text of a comment without its markers (`#`, `//`, `/* *\/`), or undefined when it is no directive. */
export function readDirective(comment: string): Pick<Suppression, 'rules' | 'reason' | 'problem'> | undefined {
  const body = comment.replace(/^\s*(#|\/\/|\/\*)\s*/, '').replace(/\*\/\s*$/, '').trim();
  if (!body.startsWith(DIRECTIVE)) return undefined;
  const rest = body.slice(DIRECTIVE.length);
  // `keyshare:ignored` or `keyshare:ignore-me` is someone else's word.
  if (rest !== '' && !/^[\s:=]/.test(rest)) return undefined;
  const words = rest.replace(/^[:=]/, '').trim();
  const match = /^([A-Za-z0-9*-]+(?:\s*,\s*[A-Za-z0-9*-]+)*)\s*(.*)$/s.exec(words);
  if (!match || words === '') return { rules: [], problem: `"${DIRECTIVE}" names no rule: write "# ${DIRECTIVE} <rule-id> <reason>".` };
  const rules = match[1].split(/\s*,\s*/);
  const reason = match[2].replace(/^(--|:|-|—)\s*/, '').trim();
  return { rules, reason: reason || undefined, problem: problemOf(rules, reason) };
}

/** What makes a suppression hide nothing: a rule id that does not exist, or no reason given. */
export function problemOf(rules: readonly string[], reason: string | undefined, form: Suppression['form'] = 'comment'): string | undefined {
  for (const rule of rules) {
    if (ruleInfo(rule)) continue;
    const near = closestMatch(rule, RULES.map((r) => r.id), 3);
    return `"${rule}" is not a Keyshare rule${near ? `: did you mean "${near}"?` : ''} This suppression hides nothing.`;
  }
  if (!reason) {
    const how = form === 'metadata' ? 'a "reason" beside its "rule"' : `a reason after the rule id ("# ${DIRECTIVE} ${rules.join(',')} <why this is acceptable>")`;
    return `A suppression needs ${how}, so that the next reader knows why; this one hides nothing until it has one.`;
  }
  return undefined;
}

/**
 * What a comment directive covers. A comment after code covers its own line; a comment on a line
 * of its own covers the next line that is not a comment or blank. Either way, with the node
 * that starts on that line (a statement, a resource, a block) to its end.
 * `nodeEndFrom(lineStart, lineEnd)` gives the furthest end of the nodes that start on a line.
 */
export function commentCover(text: string, comment: Span, commentStarts: ReadonlySet<number>, nodeEndFrom: (lineStart: number, lineEnd: number) => number): Span {
  let lineStart = lineStartOf(text, comment.start);
  const trailing = text.slice(lineStart, comment.start).trim() !== '';
  if (!trailing) {
    // The next line that holds more than a comment or white space.
    let at = lineEndOf(text, comment.start);
    for (;;) {
      at = nextLine(text, at);
      if (at >= text.length) return { start: text.length, end: text.length };
      const first = firstNonSpace(text, at);
      if (first < lineEndOf(text, at) && !commentStarts.has(first)) break;
      at = lineEndOf(text, at);
    }
    lineStart = at;
  }
  const lineEnd = lineEndOf(text, lineStart);
  return { start: lineStart, end: Math.max(lineEnd, nodeEndFrom(lineStart, lineEnd)) };
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function nextLine(text: string, lineEnd: number): number {
  if (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n') return lineEnd + 2;
  return lineEnd + 1;
}

function firstNonSpace(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** Which of the suppressions hide a finding. */
function hiding(finding: Finding, suppressions: readonly Suppression[]): number {
  for (let i = 0; i < suppressions.length; i++) {
    const s = suppressions[i];
    if (s.problem || finding.start < s.covers.start || finding.start > s.covers.end) continue;
    if (s.rules.includes(finding.ruleId)) return i;
  }
  return -1;
}

/** The findings the suppressions leave, marking in `used` those that hid one. */
export function applySuppressions(findings: Finding[], suppressions: readonly Suppression[], used: boolean[]): Finding[] {
  if (suppressions.length === 0) return findings;
  return findings.filter((finding) => {
    const by = hiding(finding, suppressions);
    if (by < 0) return true;
    used[by] = true;
    return false;
  });
}

/** The suppression that hides a finding, when one does (for `--show-suppressed`). */
export function suppressionOf(finding: Finding, suppressions: readonly Suppression[]): Suppression | undefined {
  const by = hiding(finding, suppressions);
  return by < 0 ? undefined : suppressions[by];
}

/** Malformed suppressions: a warning on each, as they hide nothing. */
export function malformedSuppressions(suppressions: readonly Suppression[]): Finding[] {
  return suppressions.filter((s) => s.problem).map((s) => ({ ruleId: 'suppression-invalid', severity: 'warning', start: s.span.start, end: s.span.end, message: s.problem! }));
}

/** Well-formed suppressions that hid nothing: a hint on each, faded (stale suppressions hide the next real problem). */
export function unusedSuppressions(text: string, suppressions: readonly Suppression[], used: readonly boolean[]): Finding[] {
  const result: Finding[] = [];
  suppressions.forEach((s, i) => {
    if (s.problem || used[i]) return;
    const where = s.form === 'metadata' ? 'in this resource' : 'where it points';
    const fixes = s.form === 'comment' ? [{ title: 'Remove this suppression', edits: [removalOfComment(text, s.span.start, s.span.end)], safe: true }] : undefined;
    result.push({ ruleId: 'suppression-unused', severity: 'hint', start: s.span.start, end: s.span.end, unnecessary: true, message: `No ${s.rules.join(' or ')} finding ${where}: this suppression hides nothing. Remove it.`, fixes });
  });
  return result;
}
