/** `keyshare check --rule` and `--skip-rule`: which rules' findings are reported, by glob over rule ids. */
import picomatch from 'picomatch';
import { RULES } from '../engine/ruleSupport/registry';

/** A glob that names no rule: most likely a typo, which would otherwise silently report nothing (or skip nothing). */
export function unmatchedGlob(globs: readonly string[]): string | undefined {
  return globs.find((glob) => !RULES.some((rule) => picomatch.isMatch(rule.id, glob)));
}

/**
 * Whether a rule's findings are reported: it matches one of `include` (when any is given) and
 * none of `exclude`. Globs as keyshare.json's: picomatch (`kms-*`, `condition-{empty,set-operator}`).
 */
export function ruleSelector(include: readonly string[], exclude: readonly string[]): (ruleId: string) => boolean {
  const included = include.length ? picomatch([...include]) : () => true;
  const excluded = exclude.length ? picomatch([...exclude]) : () => false;
  return (ruleId) => included(ruleId) && !excluded(ruleId);
}
