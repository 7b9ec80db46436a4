import { isUnknownPart } from '../arn';
import { documentRule } from '../ruleSupport/context';
import { arnFieldsFix, resourceArnItems } from '../ruleSupport/policyChecks';

export default documentRule({
  meta: { id: 'arn-service-case', awsChecks: ['INVALID_ARN_SERVICE_CASE'], severity: 'error', category: 'grammar', summary: 'A Resource ARN whose service name is not all lowercase.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    for (const found of resourceArnItems(context.model)) {
      const { item } = found;
      const service = found.arn.service;
      if (service === service.toLowerCase() || isUnknownPart(service) || service.includes('${')) continue;
      const lower = service.toLowerCase();
      const { fixes } = arnFieldsFix(context, found, { 2: lower }, true);
      context.report(item, `The service "${service}" in "${item.value}" must be lowercase ("${lower}"): ARNs are compared case-sensitively, so this one matches nothing.`, { fixes });
    }
  },
});
