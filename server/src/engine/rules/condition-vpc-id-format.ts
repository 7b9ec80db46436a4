import { documentRule } from '../ruleSupport/context';
import { literalText } from '../ruleSupport/policyChecks';

const FORMATS: Record<string, { prefix: string; pattern: RegExp; example: string }> = {
  'aws:sourcevpc': { prefix: 'vpc-', pattern: /^vpc-([a-zA-Z0-9]{8}|[a-zA-Z0-9]{17})$/, example: 'vpc-1a2b3c4d5e6f7a8b9' },
  'aws:sourcevpce': { prefix: 'vpce-', pattern: /^vpce-([a-zA-Z0-9]{8}|[a-zA-Z0-9]{17})$/, example: 'vpce-1a2b3c4d5e6f7a8b9' },
};

export default documentRule({
  meta: { id: 'condition-vpc-id-format', awsChecks: ['INVALID_VPC_FORMAT', 'INVALID_VPCE_FORMAT'], severity: 'error', category: 'condition', summary: 'An aws:SourceVpc or aws:SourceVpce value that is not a VPC or VPC endpoint ID.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const format = FORMATS[entry.lowerKey];
        const parsed = format && entry.parsed;
        if (!parsed || parsed.family !== 'String') continue;
        for (const value of entry.values) {
          const text = literalText(value);
          // A pattern (vpce-*) under a Like operator stands for IDs; a policy variable is filled in by IAM.
          if (text === undefined || format.pattern.test(text) || text.includes('${') || (parsed.wildcards && /[*?]/.test(text))) continue;
          const what = format.prefix === 'vpc-' ? 'a VPC ID' : 'a VPC endpoint ID';
          context.report(value, `"${text}" is not ${what}: ${entry.key} values are "${format.prefix}" and 8 or 17 letters or digits (${format.example}). This value never matches.`);
        }
      }
    }
  },
});
