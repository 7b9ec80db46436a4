import { findConditionKey } from '../catalog';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { operatorBlocks, siblingOperatorExists } from '../ruleSupport/conditions';
import { formatOperator } from '../access/operators';

function isMultiValued(type: string | undefined): boolean {
  return !!type && type.startsWith('ArrayOf');
}

/**
 * An OIDC provider's audience key, `<provider host>:aud` (`token.actions.githubusercontent.com:aud`,
 * `oidc.eks.<region>.amazonaws.com/id/<id>:aud`), which the catalog does not list: single-valued, as
 * Access Analyzer's "ForAnyValue with audience claim type" says.
 */
const AUDIENCE_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^:\s]*)?:aud$/i;

function audienceKey(key: string): { key: string; type: string } | undefined {
  return AUDIENCE_KEY.test(key) ? { key, type: 'String' } : undefined;
}

/**
 * Token claims an identity provider issues as arrays, where the catalog says otherwise. Amazon
 * Cognito's `amr` claim lists how the identity signed in, and AWS's own trust policies compare it
 * with `ForAnyValue:StringLike` (Amazon Cognito Developer Guide, "Role trust and permissions":
 * "the multi-valued amr claim").
 */
const MULTI_VALUED_CLAIMS = new Map([['cognito-identity.amazonaws.com:amr', 'ArrayOfString']]);

function claimKey(key: string): { key: string; type: string } | undefined {
  const type = MULTI_VALUED_CLAIMS.get(key.toLowerCase());
  return type ? { key, type } : undefined;
}

export default documentRule({
  meta: { id: 'condition-set-operator', awsChecks: ['MISSING_QUALIFIER', 'FORALLVALUES_WITH_SINGLE_VALUED_KEY', 'FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE'], severity: 'warning', category: 'condition', summary: 'A multi-valued key without ForAnyValue/ForAllValues, or the reverse.', security: true, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      const blocks = operatorBlocks(statement);
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        if (!parsed || parsed.base === 'Null') continue;
        const info = claimKey(entry.key) ?? findConditionKey(context.catalog, entry.key) ?? audienceKey(entry.key);
        if (!info) continue;
        const alone = (blocks.get(entry.operatorProperty) ?? []).length === 1;
        if (isMultiValued(info.type) && !parsed.set) {
          const target = formatOperator({ ...parsed, set: 'ForAnyValue' });
          const fixes: Fix[] = alone && !siblingOperatorExists(statement, target)
            ? [{ title: `Change to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: true }]
            : [];
          // Access Analyzer's MISSING_QUALIFIER is an ERROR for a key the catalog says is multi-valued.
          const catalogKey = !claimKey(entry.key) && !!findConditionKey(context.catalog, entry.key);
          context.report(entry.keySpan, `${info.key} is multi-valued (${info.type}): compare it with ForAnyValue: (any value matches) or ForAllValues:, e.g. "${target}". A plain ${parsed.base} on a multi-valued key does not behave as intended.`, { fixes, ...(catalogKey ? { severity: 'error' as const } : {}) });
        } else if (!isMultiValued(info.type) && parsed.set) {
          const target = formatOperator({ ...parsed, set: undefined });
          const risk = parsed.set === 'ForAllValues' ? ' ForAllValues also matches when the key is missing, which can allow more than intended.' : '';
          const fixes: Fix[] = alone && !siblingOperatorExists(statement, target)
            ? [{ title: `Change to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: parsed.set === 'ForAnyValue' }]
            : [];
          context.report(entry.keySpan, `${info.key} is single-valued: use ${target} without ${parsed.set}:.${risk}`, { fixes });
        }
      }
    }
  },
});
