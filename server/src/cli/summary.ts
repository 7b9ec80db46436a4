/** The last line of `keyshare check`'s text output, on stderr. */
import { describeSummary, type CheckSummary } from '../project/summary';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The editor's summary ("1 error, … in 5 policies checked (…); …"), and what was not checked:
 * the paths that could not be read, named (the first three). When nothing was checked and nothing
 * found, it does not count zeros as if all were well: "no policies checked: 1 file could not be read (nope.json)".
 */
export function checkSummaryLine(summary: CheckSummary, unreadable: readonly string[], suppressed = 0): string {
  const parts: string[] = [];
  const found = summary.counts.error + summary.counts.warning + summary.counts.info + summary.counts.hint;
  let unread = '';
  if (unreadable.length) {
    const names = unreadable.slice(0, 3).join(', ') + (unreadable.length > 3 ? ', …' : '');
    unread = `${plural(unreadable.length, 'file', 'files')} could not be read (${names})`;
  }
  if (unread && summary.policies === 0 && found === 0) {
    parts.push(`no policies checked: ${unread}`);
    if (summary.notPolicies) parts.push(`${summary.notPolicies === 1 ? '1 file is not a policy' : `${summary.notPolicies} files are not policies`} (left alone)`);
  } else {
    parts.push(describeSummary(summary));
    if (unread) parts.push(unread);
  }
  if (suppressed) parts.push(`${suppressed} suppressed (shown)`);
  return parts.join('; ');
}
