/**
 * Every rule with its metadata, derived from the rule files (one rule per file, its metadata
 * beside its check), in the fixed order of all.ts (which `npm run generate` writes). Docs,
 * SARIF, settings, the keyshare.json schema and the README's rule table all come from here.
 */
import type { DocumentRule, ReportedElsewhereRule, RuleMeta } from './context';
import type { WorkspaceRule } from './workspaceContext';
import { RULE_MODULES } from './all';

export { RULE_MODULES };

/** The project's home; rule pages live under docs/rules/ there. */
export const REPOSITORY_URL = 'https://github.com/keyshare-dev/keyshare';
export const RULE_DOCS_URL = `${REPOSITORY_URL}/blob/main/docs/rules/`;

export type AnyRule = DocumentRule | WorkspaceRule | ReportedElsewhereRule;

export type RuleInfo = RuleMeta & { kind: AnyRule['kind'] };

export const RULES: readonly RuleInfo[] = RULE_MODULES.map((rule) => ({ ...rule.meta, kind: rule.kind }));

/** The rules the engine runs on each policy document. */
export const DOCUMENT_RULES: readonly DocumentRule[] = RULE_MODULES.filter((rule): rule is DocumentRule => rule.kind === 'document');

/** The rules the workspace index runs across files (a document rule may look across files too). */
export const WORKSPACE_RULES: readonly (DocumentRule | WorkspaceRule)[] = RULE_MODULES.filter(
  (rule): rule is DocumentRule | WorkspaceRule => rule.kind === 'workspace' || (rule.kind === 'document' && !!rule.workspace),
);

const RULES_BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return RULES_BY_ID.get(id);
}
