import { accessOf, describeConstraint } from '../access';
import { describeList, documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'wildcard-principal', awsChecks: ['ALLOW_WITH_NOT_PRINCIPAL'], severity: 'error', category: 'kms', summary: 'A "*" principal with no condition restricting it to your accounts.', security: true, appliesTo: ['key-policy', 'resource-policy'] },
  check(context) {
    const access = accessOf(context);
    const what = context.model.kind === 'key-policy' ? 'this key' : 'this resource';
    for (const statement of access.statements) {
      if (statement.effect !== 'Allow' || statement.audience.admits !== 'anyone' || statement.resources.appliesToKey === 'no') continue;
      const actions = statement.actions.kms.length > 0 ? ` (${describeList(statement.actions.effective.map((a) => a.slice(4)), 4)})` : '';
      // Why the conditions do not restrict it, when there are some that try.
      const tried = statement.audience.because.filter((c) => c.verdict === 'open');
      const because = tried.length > 0 ? ` The condition does not restrict it: ${tried.map((c) => c.why).join('; ')}.` : '';
      const fix = ' Pin it with a condition such as "StringEquals": { "aws:PrincipalOrgID": "o-..." } (your organization) or kms:CallerAccount, or name the accounts.';
      const element = statement.statement.principals!;
      if (element.negated) {
        const except = statement.except.map(describeConstraint);
        context.report(element.element.keySpan, `Allow with NotPrincipal grants ${what}${actions} to every principal in every AWS account except ${except.length ? describeList(except, 2) : 'those listed'}.${because} Name the principals you mean in Principal instead.`);
        continue;
      }
      // Another service's resource policy (a public-read bucket) is that service's business: without KMS actions, only grammar and the catalog judge it.
      if (context.model.kind !== 'key-policy' && statement.actions.kms.length === 0) continue;
      for (const p of statement.audience.to) {
        if (p.constraint.kind !== 'anyone' || !p.item) continue;
        context.report(p.item, `"*" as principal lets any AWS account use ${what}${actions}.${because || ' No condition restricts it.'}${fix}`);
      }
    }
  },
});
