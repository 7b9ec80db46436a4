/**
 * What a check of many files found, counted one way for every front end: the CLI's summary line
 * and the editor's Validate Workspace both tally their files here, so the same workspace gives
 * the same numbers in both.
 */
import type { Finding, Severity } from '../engine/types';
import type { ValidationSummary } from '../protocol';
import type { Analysis } from './project';

/** What one checked file turned out to be. */
export type FileClass = 'policy' | 'fragment' | 'template' | 'config' | 'notPolicy';

/** What a check of many files found: the numbers of the protocol's ValidationSummary, without its words. */
export type CheckSummary = Omit<ValidationSummary, 'text'>;

export function emptySummary(): CheckSummary {
  return { files: 0, policies: 0, fragments: 0, templates: 0, templatePolicies: 0, configs: 0, notPolicies: 0, unread: 0, counts: { error: 0, warning: 0, info: 0, hint: 0 } };
}

/** A file's class: a template first, then a file of fragments only, then a policy. */
export function classify(analysis: Analysis): FileClass {
  if (analysis.isConfig) return 'config';
  const { result } = analysis;
  if (!result.isPolicy) return 'notPolicy';
  if (result.source?.template) return 'template';
  if (result.models.length > 0 && result.models.every((m) => m.fragment)) return 'fragment';
  return 'policy';
}

/** Counts files and findings as they are checked. */
export class Tally {
  readonly summary: CheckSummary = emptySummary();

  /** One file checked, with everything reported on it (its own and its cross-file findings). */
  add(analysis: Analysis, findings: readonly { severity: Severity }[]): FileClass {
    const kind = classify(analysis);
    const s = this.summary;
    s.files++;
    if (kind === 'config') s.configs++;
    else if (kind === 'notPolicy') s.notPolicies++;
    else if (kind === 'template') {
      const held = Math.max(1, analysis.result.models.length);
      s.templates++;
      s.templatePolicies += held;
      s.policies += held;
    } else {
      s.policies++;
      if (kind === 'fragment') s.fragments++;
    }
    this.count(findings);
    return kind;
  }

  /** More findings of a file already added: its cross-file ones, known once every file is indexed (the CLI). */
  count(findings: readonly { severity: Severity }[]): void {
    for (const finding of findings) this.summary.counts[finding.severity]++;
  }

  /** A file that could not be read as text. */
  unreadable(): void {
    this.summary.files++;
    this.summary.unread++;
  }
}

/** Tallies checked files at once. */
export function summarizeChecks(checked: readonly { analysis: Analysis; findings: readonly Finding[] }[]): CheckSummary {
  const tally = new Tally();
  for (const { analysis, findings } of checked) tally.add(analysis, findings);
  return tally.summary;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 errors, 1 warning, 0 infos, 1 hint": every severity, hints counted apart. */
export function describeCounts(counts: Record<Severity, number>): string {
  return [
    plural(counts.error, 'error', 'errors'),
    plural(counts.warning, 'warning', 'warnings'),
    plural(counts.info, 'info', 'infos'),
    plural(counts.hint, 'hint', 'hints'),
  ].join(', ');
}

/**
 * One line for people: "1 error, 2 warnings, 0 infos, 1 hint in 5 policies checked (1 statement
 * fragment, 3 in 1 template); 2 files are not policies (left alone)".
 */
export function describeSummary(summary: CheckSummary): string {
  const kinds: string[] = [];
  if (summary.fragments) kinds.push(plural(summary.fragments, 'statement fragment', 'statement fragments'));
  if (summary.templates) kinds.push(`${summary.templatePolicies} in ${plural(summary.templates, 'template', 'templates')}`);
  let line = `${describeCounts(summary.counts)} in ${plural(summary.policies, 'policy', 'policies')} checked${kinds.length ? ` (${kinds.join(', ')})` : ''}`;
  if (summary.notPolicies) line += `; ${summary.notPolicies === 1 ? '1 file is not a policy' : `${summary.notPolicies} files are not policies`} (left alone)`;
  return line;
}
