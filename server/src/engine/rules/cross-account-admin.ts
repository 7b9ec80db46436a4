import { principalAccount } from '../arn';
import type { Fix } from '../types';
import { awsPrincipalItems, describeList, documentRule, isAllow, itemsCovering, MANAGEMENT_ACTIONS, restrictingCondition, statementCovers, USAGE_ACTIONS } from './context';

export default documentRule({
  meta: { id: 'cross-account-admin', severity: 'warning', category: 'kms', summary: 'Management rights on a key for principals outside its account.', security: true, appliesTo: ['key-policy'] },
  check(context) {
    const { model } = context;
    if (model.kind !== 'key-policy') return;
    for (const statement of model.statements) {
      if (!isAllow(statement) || !statement.actions || statement.actions.negated) continue;
      const principals = awsPrincipalItems(statement);
      const outsiders = principals.filter((p) => p.value === '*' ? restrictingCondition(statement) : !!model.ownerAccount && principalAccount(p.value) !== undefined && principalAccount(p.value) !== model.ownerAccount);
      if (outsiders.length === 0) continue;
      const granted = MANAGEMENT_ACTIONS.filter((a) => statementCovers(statement, a));
      if (granted.length === 0) continue;
      const offending = new Set(granted.flatMap((a) => itemsCovering(statement, a)));
      const allOutside = outsiders.length === principals.length;
      const fixes: Fix[] = allOutside
        ? [{ title: 'Reduce to the standard key usage actions', edits: [context.edits.replaceValue(statement.actions.element.value, USAGE_ACTIONS)], safe: false }]
        : [];
      const who = outsiders.map((p) => p.value);
      for (const item of offending) {
        context.report(item, `This gives ${describeList(who, 2)}, outside the key's owner account${model.ownerAccount ? ` ${model.ownerAccount}` : ''}, management rights (${describeList(granted.map((a) => a.slice(4)))}): they could change the key policy, disable or delete the key. Share usage, keep management home.`, {
          fixes,
          related: outsiders.map((p) => ({ start: p.start, end: p.end, message: 'principal outside the owner account' })),
        });
      }
    }
  },
});
