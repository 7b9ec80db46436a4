import { arnFields, isUnknownPart } from '../arn';
import type { Fix } from '../types';
import { documentRule } from './context';
import { resourceArn } from './policyChecks';

export default documentRule({
  meta: { id: 'arn-service-case', awsChecks: ['INVALID_ARN_SERVICE_CASE'], severity: 'error', category: 'grammar', summary: 'A Resource ARN whose service name is not all lowercase.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) {
        const found = resourceArn(item);
        if (!found) continue;
        const service = found.arn.service;
        if (service === service.toLowerCase() || isUnknownPart(service) || service.includes('${')) continue;
        const lower = service.toLowerCase();
        let fixes: Fix[] = [];
        if (!found.templated) {
          const fields = arnFields(item.value);
          fields[2] = lower;
          const fixed = fields.join(':');
          fixes = [{ title: `Change to "${fixed}"`, edits: [context.edits.replaceString(item, fixed)], safe: true }];
        }
        context.report(item, `The service "${service}" in "${item.value}" must be lowercase ("${lower}"): ARNs are compared case-sensitively, so this one matches nothing.`, { fixes });
      }
    }
  },
});
