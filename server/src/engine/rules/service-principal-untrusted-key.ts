import { readOperator } from '../access/operators';
import { describeList, documentRule } from '../ruleSupport/context';
import { servicePrincipalsOnly } from '../ruleSupport/policyChecks';

/** Keys whose value the caller writes into its own request: they say nothing of the resource a service acts for. */
const CALLER_SET: Record<string, string> = { 'aws:referer': 'aws:Referer', 'aws:useragent': 'aws:UserAgent' };

export default documentRule({
  meta: {
    id: 'service-principal-untrusted-key',
    awsChecks: ['RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL'],
    severity: 'info',
    category: 'kms',
    summary: 'A service principal scoped by aws:Referer or aws:UserAgent, which the caller sets, instead of aws:SourceArn or aws:SourceAccount.',
    security: true,
    appliesTo: ['key-policy', 'resource-policy'],
    conditionsOnly: true,
  },
  check(context) {
    for (const statement of context.model.statements) {
      if (statement.conditions.length === 0 || statement.effect?.value !== 'Allow' || !servicePrincipalsOnly(statement)) continue;
      for (const entry of statement.conditions) {
        const key = CALLER_SET[entry.key.toLowerCase()];
        const operator = key ? readOperator(entry.operator) : undefined;
        if (!operator || operator.family === 'Null') continue;
        const services = statement.principals!.entries.flatMap((e) => e.items.filter((i) => !i.node.parts).map((i) => i.value));
        const who = services.length ? describeList(services, 2) : 'the service principal';
        context.report(
          entry.keySpan,
          `To restrict ${who} acting on your behalf, use aws:SourceArn or aws:SourceAccount instead of ${key}: the caller writes ${key} into its own request, so it does not say for which resource or account the service acts (the confused deputy).`,
        );
      }
    }
  },
});
