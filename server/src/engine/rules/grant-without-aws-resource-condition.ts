import type { Statement, StringItem } from '../model';
import { documentRule, isAllow, itemsCovering } from './context';

/** Wildcards like kms:* or kms:Create* belong to admin and root statements; only explicit grants are checked. */
function grantItems(statement: Statement): StringItem[] {
  return itemsCovering(statement, 'kms:CreateGrant').filter((item) => !['*', 'kms:*', 'kms:create*'].includes(item.value.toLowerCase()));
}

export default documentRule({
  meta: { id: 'grant-without-aws-resource-condition', severity: 'warning', category: 'kms', summary: 'CreateGrant without kms:GrantIsForAWSResource.', security: true, appliesTo: ['key-policy'] },
  check(context) {
    for (const statement of context.model.statements) {
      if (!isAllow(statement)) continue;
      const items = grantItems(statement);
      if (items.length === 0) continue;
      const constrained = statement.conditions.some(
        (c) => c.key.toLowerCase() === 'kms:grantisforawsresource' && c.values.some((v) => String(v.value).toLowerCase() === 'true'),
      );
      if (constrained) continue;
      const { edits } = context;
      const condition = statement.condition?.value;
      let fixEdit;
      const existing = statement.conditions.find((c) => c.key.toLowerCase() === 'kms:grantisforawsresource' && c.operator === 'Bool');
      if (existing) fixEdit = edits.replaceValue(existing.valueNode, 'true');
      else if (!condition) fixEdit = edits.addProperty(statement.node, 'Condition', { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
      else if (condition.type === 'object') {
        const bool = condition.children?.find((p) => p.children?.[0]?.value === 'Bool')?.children?.[1];
        if (bool?.type === 'object') fixEdit = edits.addProperty(bool, 'kms:GrantIsForAWSResource', 'true');
        else if (!bool) fixEdit = edits.addProperty(condition, 'Bool', { 'kms:GrantIsForAWSResource': 'true' });
      }
      for (const item of items) {
        context.report(item, 'CreateGrant without "kms:GrantIsForAWSResource": "true" lets the principal create grants for anyone, handing on its rights to the key. Restrict it to grants that integrated AWS services create for you.', {
          fixes: fixEdit ? [{ title: 'Add "Bool": { "kms:GrantIsForAWSResource": "true" }', edits: [fixEdit], safe: false }] : [],
        });
      }
    }
  },
});
