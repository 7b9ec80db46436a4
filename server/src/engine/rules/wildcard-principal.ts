import { documentRule, grantsToEveryone, isAllow, restrictingCondition } from './context';

export default documentRule({
  meta: { id: 'wildcard-principal', severity: 'error', category: 'kms', summary: 'A "*" principal with no condition restricting it to your accounts.', security: true, appliesTo: ['key-policy', 'resource-policy'] },
  check(context) {
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.principals) continue;
      if (statement.principals.negated) {
        context.report(statement.principals.element.keySpan, 'Allow with NotPrincipal grants access to every principal in every AWS account except those listed. Name the principals you mean in Principal instead.');
        continue;
      }
      const star = grantsToEveryone(statement);
      if (!star || restrictingCondition(statement)) continue;
      const what = context.model.kind === 'key-policy' ? 'this key' : 'this resource';
      context.report(star, `"*" as principal with no restricting condition lets any AWS account use ${what}. Add a condition such as "StringEquals": { "aws:PrincipalOrgID": "o-..." } (your organization) or kms:CallerAccount, or name the accounts.`);
    }
  },
});
