/** `keyshare rules`: every rule, its default severity and the IAM Access Analyzer checks it follows. */
import { RULES, type Severity } from '../engine';

/** One rule as `keyshare rules` lists it (the shape of `--format json`). */
export interface RuleListing {
  id: string;
  severity: Severity;
  /** The Access Analyzer issue codes the rule follows (`meta.awsChecks`); empty when none. */
  awsChecks: string[];
}

/** Every rule, in the registry's order (the order of the settings and the README table). */
export function listRules(): RuleListing[] {
  return RULES.map((rule) => ({ id: rule.id, severity: rule.severity, awsChecks: [...(rule.awsChecks ?? [])] }));
}

/** One line per rule: id, default severity and its issue codes, in aligned columns. */
export function formatRulesText(rules: readonly RuleListing[]): string {
  const idWidth = Math.max(0, ...rules.map((rule) => rule.id.length));
  const severityWidth = Math.max(0, ...rules.map((rule) => rule.severity.length));
  return rules.map((rule) => `${rule.id.padEnd(idWidth)}  ${rule.severity.padEnd(severityWidth)}  ${rule.awsChecks.join(', ')}`.trimEnd()).join('\n');
}

export function formatRulesJson(rules: readonly RuleListing[]): string {
  return JSON.stringify(rules, null, 2);
}
