import { absentResult } from '../access/operators';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { servicePrincipalsOnly } from '../ruleSupport/policyChecks';

/**
 * Keys about the calling IAM principal, which a service principal's request never carries (IAM
 * User Guide, "AWS global condition context keys"), with the key that scopes a service instead.
 */
const CALLER_KEYS: Record<string, { key: string; instead?: string }> = {
  'aws:principalorgid': { key: 'aws:PrincipalOrgID', instead: 'aws:SourceOrgID' },
  'aws:principalorgpaths': { key: 'aws:PrincipalOrgPaths', instead: 'aws:SourceOrgPaths' },
  'aws:principalaccount': { key: 'aws:PrincipalAccount', instead: 'aws:SourceAccount' },
  'aws:principalarn': { key: 'aws:PrincipalArn', instead: 'aws:SourceArn' },
  'aws:username': { key: 'aws:username' },
  'aws:userid': { key: 'aws:userid' },
};

export default documentRule({
  meta: { id: 'service-principal-condition-key', awsChecks: ['UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL'], severity: 'error', category: 'kms', summary: 'A condition on the calling principal (aws:PrincipalOrgID, ...) in a statement for service principals only.', security: true, appliesTo: ['key-policy', 'resource-policy', 'trust-policy'], conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      if (statement.conditions.length === 0 || !servicePrincipalsOnly(statement)) continue;
      for (const entry of statement.conditions) {
        const lower = entry.lowerKey;
        const known = CALLER_KEYS[lower] ?? (lower.startsWith('aws:principaltag/') ? { key: entry.key } : undefined);
        const parsed = entry.parsed;
        if (!known || !parsed || parsed.family === 'Null') continue;
        const present = statement.conditions.some((other) => other !== entry && known.instead && other.lowerKey === known.instead.toLowerCase());
        const fixes: Fix[] = known.instead && !present
          ? [{ title: `Use ${known.instead}`, edits: [context.edits.renameKey(entry.keySpan, known.instead)], safe: false }]
          : [];
        const instead = known.instead ? ` To scope a service acting for your resources, use ${known.instead}.` : ' Scope a service with aws:SourceArn or aws:SourceAccount.';
        const outcome = absentResult(parsed) ? 'this condition is always true and restricts nothing' : 'this condition is never true';
        context.report(entry.keySpan, `${known.key} describes the calling IAM principal, and this statement's principals are AWS services, whose requests never carry it: ${outcome}. IAM Access Analyzer reports it as an error.${instead}`, { fixes });
      }
    }
  },
});
