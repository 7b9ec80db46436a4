import { documentRule, isAllow } from '../ruleSupport/context';

/**
 * Keys that are safe only beside another (the check's documented pair): aws:VpcSourceIp is an
 * address inside some VPC, and private ranges repeat across VPCs and accounts, so it wants the VPC
 * (aws:SourceVpc) or the endpoint (aws:SourceVpce, which belongs to one VPC) too.
 */
const PAIRS: Record<string, { key: string; partners: readonly string[]; suggest: string }> = {
  'aws:vpcsourceip': { key: 'aws:VpcSourceIp', partners: ['aws:sourcevpc', 'aws:sourcevpce'], suggest: 'aws:SourceVpc' },
};

export default documentRule({
  meta: { id: 'condition-paired-keys', awsChecks: ['MISSING_PAIRED_CONDITION_KEYS'], severity: 'warning', category: 'condition', summary: 'aws:VpcSourceIp without aws:SourceVpc (or aws:SourceVpce) beside it.', security: true, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      // In a Deny, a narrower condition denies less: the pairing is about what an Allow lets in.
      if (!isAllow(statement) || statement.filledInConditions.length > 0 || !statement.conditions.some((entry) => PAIRS[entry.lowerKey])) continue;
      const keys = new Set(statement.conditions.map((entry) => entry.lowerKey));
      for (const entry of statement.conditions) {
        const pair = PAIRS[entry.lowerKey];
        if (!pair || pair.partners.some((partner) => keys.has(partner))) continue;
        context.report(entry.keySpan, `${pair.key} alone matches that address in any VPC: private address ranges repeat across VPCs and accounts. Add ${pair.suggest} (the VPC the requests must come from) to the same Condition.`);
      }
    }
  },
});
