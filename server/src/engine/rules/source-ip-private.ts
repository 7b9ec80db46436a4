import { spanOf } from '../model';
import { documentRule } from '../ruleSupport/context';
import { isPrivateRange, literalText, parseIpRange } from '../ruleSupport/policyChecks';

export default documentRule({
  meta: { id: 'source-ip-private', awsChecks: ['PRIVATE_IP_ADDRESS', 'PRIVATE_NOT_IP_ADDRESS'], severity: 'error', category: 'condition', summary: 'aws:SourceIp compared with private addresses only, which it never holds.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (entry.lowerKey !== 'aws:sourceip') continue;
        const parsed = entry.parsed;
        if (parsed?.family !== 'Ip' || entry.values.length === 0) continue;
        const ranges = entry.values.map((value) => {
          const text = literalText(value);
          return text === undefined ? undefined : parseIpRange(text);
        });
        if (!ranges.every((range) => range && isPrivateRange(range))) continue;
        const effect = parsed.negated
          ? `${entry.operator} is true for every request, so this condition has no effect`
          : `${entry.operator} never matches, so ${statement.effect?.value === 'Deny' ? 'this Deny never applies' : 'this statement never grants anything'}`;
        context.report(spanOf(entry.valueNode), `aws:SourceIp holds public addresses only (a request through a VPC endpoint carries none): with only private ranges here, ${effect}. Use aws:VpcSourceIp for addresses inside a VPC.`);
      }
    }
  },
});
