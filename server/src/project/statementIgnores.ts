/** keyshare.json's ignore entries with `sids`: they hide findings inside the statements they name. */
import type { CheckResult } from './analyse';
import { modelAt } from '../engine/check';
import type { Finding, Span } from '../engine/types';
import type { IgnoreConfig } from '../workspace/config';

/** Drops the findings an ignore entry with `sids` hides: of its rule (or any, for "*"), inside a statement with one of those Sids. */
export function withoutStatementIgnores(findings: Finding[], ignored: IgnoreConfig[], result: CheckResult): Finding[] {
  const entries = ignored.filter((entry) => entry.sids);
  if (entries.length === 0 || findings.length === 0) return findings;
  return findings.filter((finding) => {
    const matching = entries.filter((entry) => entry.rule === '*' || entry.rule === finding.ruleId);
    if (matching.length === 0) return true;
    const sid = sidAt(result, finding);
    return sid === undefined || !matching.some((entry) => entry.sids!.includes(sid));
  });
}

/** The Sid of the statement that holds a span, if one does and has a Sid. */
function sidAt(result: CheckResult, span: Span): string | undefined {
  const statement = modelAt(result, span.start)?.statements.find((s) => span.start >= s.span.start && span.end <= s.span.end);
  return typeof statement?.sid?.value === 'string' ? statement.sid.value : undefined;
}
