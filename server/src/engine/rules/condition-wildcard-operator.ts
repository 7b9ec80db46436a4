import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { siblingOperatorExists } from '../ruleSupport/conditions';
import { formatOperator } from '../access/operators';
import { POLICY_VARIABLE } from '../arn';

function hasLiteralWildcard(value: unknown): boolean {
  return typeof value === 'string' && /[*?]/.test(value.replace(POLICY_VARIABLE, ''));
}

const LIKE_FOR: Record<string, string> = { StringEquals: 'StringLike', StringNotEquals: 'StringNotLike' };

export default documentRule({
  meta: { id: 'condition-wildcard-operator', awsChecks: ['WILDCARD_WITHOUT_LIKE_OPERATOR'], severity: 'warning', category: 'condition', summary: 'Wildcards with StringEquals, where they are literal.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        if (!parsed || !['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'].includes(parsed.base)) continue;
        const wild = entry.values.find((v) => hasLiteralWildcard(v.value));
        if (!wild) continue;
        const like = LIKE_FOR[parsed.base];
        const target = like ? formatOperator({ ...parsed, base: like }) : undefined;
        const fixes: Fix[] =
          target && !siblingOperatorExists(statement, target)
            ? [{ title: `Change "${entry.operator}" to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: true }]
            : [];
        context.report(wild, `${parsed.base} compares "${wild.value}" literally: "*" and "?" are wildcards only with ${like ?? 'StringLike'}.`, { fixes });
      }
    }
  },
});
