import { documentRule } from '../ruleSupport/context';
import { formatNetwork, hasHostBits, literalText, parseIpRange } from '../ruleSupport/policyChecks';

export default documentRule({
  meta: { id: 'ip-range-host-bits', awsChecks: ['IMPROVE_IP_RANGE'], severity: 'info', category: 'condition', summary: 'An IP range with bits set after its prefix (203.0.113.5/24), which IAM ignores.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (entry.parsed?.family !== 'Ip') continue;
        for (const value of entry.values) {
          const text = literalText(value);
          if (text === undefined || !text.includes('/')) continue;
          const range = parseIpRange(text);
          if (!range || !hasHostBits(range)) continue;
          const network = formatNetwork(range);
          context.report(value, `"${text}" has bits set after its /${range.prefix} prefix, which IAM ignores: it is the range ${network}. Write "${network}" (or a longer prefix, if you meant a smaller range).`, {
            fixes: [{ title: `Change to "${network}"`, edits: [context.edits.replaceString(value, network)], safe: true }],
          });
        }
      }
    }
  },
});
