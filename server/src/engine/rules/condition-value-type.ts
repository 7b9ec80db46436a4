import { documentRule } from '../ruleSupport/context';

/** Epoch seconds as IAM's Date operators read them (up to year 9999). */
const EPOCH = /^\d{1,12}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

function valueProblem(base: string, value: string | number | boolean | null): string | undefined {
  const text = typeof value === 'string' ? value : String(value);
  if (text.includes('${')) return undefined;
  switch (base) {
    case 'Bool':
    case 'Null':
      return /^(true|false)$/i.test(text) ? undefined : `${base} compares with true or false, not "${text}"`;
    case 'NumericEquals': case 'NumericNotEquals': case 'NumericLessThan': case 'NumericLessThanEquals': case 'NumericGreaterThan': case 'NumericGreaterThanEquals':
      return /^-?\d+(\.\d+)?$/.test(text) ? undefined : `${base} needs a number, not "${text}"`;
    case 'DateEquals': case 'DateNotEquals': case 'DateLessThan': case 'DateLessThanEquals': case 'DateGreaterThan': case 'DateGreaterThanEquals':
      return ISO_DATE.test(text) || /^\d+$/.test(text) ? undefined : `${base} needs an ISO 8601 date (2026-01-31T00:00:00Z) or epoch seconds, not "${text}"`;
    case 'IpAddress': case 'NotIpAddress':
      return IPV4_CIDR.test(text) || (text.includes(':') && IPV6_CIDR.test(text)) ? undefined : `${base} needs an IP address or CIDR range, not "${text}"`;
    case 'ArnEquals': case 'ArnLike': case 'ArnNotEquals': case 'ArnNotLike':
      return text === '*' || text.startsWith('arn:') ? undefined : `${base} needs an ARN, not "${text}"`;
    default:
      return undefined;
  }
}

export default documentRule({
  meta: { id: 'condition-value-type', awsChecks: ['TYPE_MISMATCH_BOOLEAN', 'TYPE_MISMATCH_NUMBER', 'TYPE_MISMATCH_DATE', 'TYPE_MISMATCH_IP_RANGE', 'INVALID_DATE_VALUE'], severity: 'error', category: 'condition', summary: 'A condition value of the wrong type for its operator.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        if (!parsed) continue;
        for (const item of entry.values) {
          const problem = valueProblem(parsed.base, item.value);
          if (problem) context.report(item, `${problem}: the condition can never match as intended.`);
          else if (parsed.family === 'Date' && EPOCH.test(String(item.value))) {
            // Valid, but Access Analyzer's "Invalid date value": epoch time might not resolve as expected.
            const iso = new Date(Number(item.value) * 1000).toISOString().replace('.000Z', 'Z');
            context.report(item, `"${item.value}" is epoch seconds, which might not resolve to the time you expect (${iso} if read as seconds since 1970). Write the date in ISO 8601: "${iso}".`, {
              severity: 'info',
              fixes: typeof item.value === 'string' && !item.node.parts ? [{ title: `Change to "${iso}"`, edits: [context.edits.replaceString(item, iso)], safe: false }] : [],
            });
          }
        }
      }
    }
  },
});
