import { documentRule } from '../ruleSupport/context';
import { isPrivateRange, literalText, parseIpRange } from '../ruleSupport/policyChecks';

export default documentRule({
  meta: { id: 'source-ip-private-subset', awsChecks: ['PRIVATE_IP_ADDRESS_SUBSET', 'PRIVATE_NOT_IP_ADDRESS_SUBSET'], severity: 'info', category: 'condition', summary: 'Private addresses among public ones in an aws:SourceIp condition, where they never match.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (entry.lowerKey !== 'aws:sourceip') continue;
        const parsed = entry.parsed;
        if (parsed?.family !== 'Ip') continue;
        const privates = entry.values.filter((value) => {
          const text = literalText(value);
          const range = text === undefined ? undefined : parseIpRange(text);
          return !!range && isPrivateRange(range);
        });
        // All private: source-ip-private reports the whole condition.
        if (privates.length === 0 || privates.length === entry.values.length) continue;
        for (const value of privates) {
          context.report(value, `"${value.value}" is a private range, and aws:SourceIp holds public addresses only: this value never matches, only the public ones count. Use aws:VpcSourceIp (with aws:SourceVpc) for addresses inside a VPC.`, { unnecessary: true });
        }
      }
    }
  },
});
