import { documentRule, grantsToEveryone, isAllow, itemsCovering, statementCovers } from './context';

export default documentRule({
  meta: { id: 'lockout-risk', severity: 'warning', category: 'kms', summary: 'A key policy nobody could change again.', security: true, wholePolicy: true },
  check(context) {
    const { model } = context;
    if (model.kind !== 'key-policy' || model.statements.length === 0) return;
    for (const statement of model.statements) {
      if (statement.effect?.value !== 'Deny' || statement.conditions.length > 0) continue;
      const star = grantsToEveryone(statement);
      const items = itemsCovering(statement, 'kms:PutKeyPolicy');
      if (star && items.length > 0) {
        context.report(items[0], 'This denies kms:PutKeyPolicy to everyone, with no condition: nobody, not even the account root, could ever change this key policy again. KMS refuses such a policy unless the lockout safety check is bypassed.', { severity: 'error' });
      }
    }
    const canChange = model.statements.some((s) => isAllow(s) && s.principals && !s.principals.negated && statementCovers(s, 'kms:PutKeyPolicy'));
    if (canChange) return;
    const anchor = model.statementElement?.keySpan ?? { start: model.root.offset, end: model.root.offset + 1 };
    context.report(anchor, 'No statement lets anyone call kms:PutKeyPolicy (no owner-root statement, no key administrator): once set, this policy could never be changed. KMS\'s lockout safety check refuses it unless bypassed. Keep the "Enable IAM User Permissions" statement for the owner account\'s root.');
  },
});
