import { accessOf, describeConstraint, outsiders } from '../access';
import { parseArn } from '../arn';

import type { Fix, Span, TextEdit } from '../types';
import { documentRule, type RuleContext } from '../ruleSupport/context';
import { GRANT_OPERATIONS } from '../kms/actions';
import { itemsCovering, statementCovers } from '../actions';
import type { StatementAccess } from '../access';

/** Wildcards like kms:* or kms:Create* belong to admin and root statements: they count only when granted to other accounts. */
const WILDCARD_GRANTS = ['*', 'kms:*', 'kms:create*'];

/** The Bool condition, added where it belongs: one answer only when the statement allows grant operations alone. */
function fixFor(context: RuleContext, statement: StatementAccess): Fix[] {
  if (!statement.actions.kms.every((a) => GRANT_OPERATIONS.has(a))) return [];
  const s = statement.statement;
  const { edits } = context;
  const condition = s.condition?.value;
  let edit: TextEdit | undefined;
  const existing = s.conditions.find((c) => c.lowerKey === 'kms:grantisforawsresource' && c.operator === 'Bool');
  if (existing) edit = edits.replaceValue(existing.valueNode, 'true');
  else if (!condition) edit = edits.addProperty(s.node, 'Condition', { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  else if (condition.type === 'object') {
    const bool = condition.children?.find((p) => p.children?.[0]?.value === 'Bool')?.children?.[1];
    if (bool?.type === 'object') edit = edits.addProperty(bool, 'kms:GrantIsForAWSResource', 'true');
    else if (!bool) edit = edits.addProperty(condition, 'Bool', { 'kms:GrantIsForAWSResource': 'true' });
  }
  return edit ? [{ title: 'Add "Bool": { "kms:GrantIsForAWSResource": "true" }', edits: [edit], safe: false }] : [];
}

export default documentRule({
  meta: { id: 'grant-without-aws-resource-condition', severity: 'warning', category: 'kms', summary: 'CreateGrant with no condition that keeps grants from handing the key on (kms:GrantIsForAWSResource, or kms:GranteePrincipal with kms:GrantOperations).', security: true, appliesTo: ['key-policy', 'identity-policy'] },
  check(context) {
    // Most identity policies never reach CreateGrant: decided from the action lists, before the access model is built.
    if (context.model.kind === 'identity-policy' && !context.model.statements.some((s) => statementCovers(s, 'kms:CreateGrant'))) return;
    const access = accessOf(context);
    for (const statement of access.statements) {
      if (statement.effect !== 'Allow' || statement.resources.appliesToKey === 'no' || statement.audience.admits === 'nobody') continue;
      if (!statement.createGrant || statement.createGrant.verdict !== 'unrestricted' || !statement.actions.effective.includes('kms:CreateGrant')) continue;
      // The owner account's root only hands the decision to the account's IAM policies (KMS guide, "Default key policy").
      if (statement.audience.to.every((p) => p.constraint.kind === 'account' && p.reach === 'owner')) continue;
      const outside = outsiders(statement.audience).filter((p) => p.reach === 'outside' || ['org', 'org-path'].includes(p.constraint.kind));
      const actions = statement.statement.actions!;
      const covering = itemsCovering(statement.statement, 'kms:CreateGrant');
      const explicit = covering.filter((item) => !WILDCARD_GRANTS.includes(item.value.trim().toLowerCase()));
      const spans: Span[] = explicit.length > 0 ? explicit : outside.length === 0 ? [] : actions.negated ? [actions.element.keySpan] : covering;
      if (spans.length === 0) continue;
      const identity = context.model.kind === 'identity-policy';
      const who = outside.length > 0 ? describeList(outside.map((p) => describeConstraint(p.constraint))) : identity ? 'the principals this policy is attached to' : 'the principal';
      const broad = explicit.length === 0 && statement.actions.broad ? ` (through ${statement.actions.broad})` : '';
      const message =
        `This lets ${who} call kms:CreateGrant${broad} unrestricted (${statement.createGrant.why}): grants can hand their use of ${identity ? 'each key it covers' : 'the key'} on to anyone. ` +
        'Restrict it with "Bool": { "kms:GrantIsForAWSResource": "true" } (grants that integrated AWS services create), or with kms:GranteePrincipal together with ForAllValues:StringEquals on kms:GrantOperations.';
      const fixes = explicit.length > 0 ? fixFor(context, statement) : [];
      // An identity policy that names its keys hands on only those: advice. Over every key ("*", key/*) it is a warning.
      // In a key policy, principals of the owner account only (the key users of AWS's default policy, without its condition): advice too.
      const ownersOnly = !identity && statement.audience.to.every((p) => p.reach === 'owner');
      const severity = (identity && !coversEveryKey(statement)) || ownersOnly ? 'info' : undefined;
      for (const span of spans) context.report(span, message, { fixes, severity });
    }
  },
});

/** Whether a Resource item is "*" or every key of an account (`arn:aws:kms:*:111122223333:key/*`). */
function coversEveryKey(statement: StatementAccess): boolean {
  const resources = statement.statement.resources;
  if (!resources || resources.negated) return true;
  return resources.items.some((item) => {
    const value = item.value.trim();
    if (value === '*') return true;
    const arn = parseArn(value);
    return !!arn && (arn.service === 'kms' || arn.service === '*') && /^(key\/)?\*$/.test(arn.resource);
  });
}

function describeList(values: string[]): string {
  const unique = [...new Set(values)];
  return unique.length <= 2 ? unique.join(' and ') : `${unique.slice(0, 2).join(', ')} and ${unique.length - 2} more`;
}

