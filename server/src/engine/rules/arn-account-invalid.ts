import { ACCOUNT_ID, arnFields, isUnknownPart } from '../arn';
import type { Fix } from '../types';
import { documentRule } from './context';
import { resourceArn } from './policyChecks';

/** Account fields AWS itself writes: its managed policies and templates (`arn:aws:iam::aws:policy/...`), CloudFront's legacy identities. */
const AWS_OWNED = new Set(['aws', 'cloudfront']);

export default documentRule({
  meta: { id: 'arn-account-invalid', awsChecks: ['INVALID_ARN_ACCOUNT'], severity: 'error', category: 'grammar', summary: 'A Resource ARN whose account is not a 12-digit account ID.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) {
        const found = resourceArn(item);
        if (!found) continue;
        const { arn } = found;
        // KMS ARNs are arn-invalid's; a wildcard, a policy variable or a template's value may stand for any account.
        if (arn.service === 'kms' || arn.account === '' || ACCOUNT_ID.test(arn.account) || AWS_OWNED.has(arn.account) || /[*?]|\$\{/.test(arn.account) || isUnknownPart(arn.account)) continue;
        const digits = arn.account.replace(/-/g, '');
        let fixes: Fix[] = [];
        let hint = ' Account IDs have exactly 12 digits.';
        if (ACCOUNT_ID.test(digits)) {
          hint = ` Write it without hyphens: "${digits}".`;
          if (!found.templated) {
            const fields = arnFields(item.value);
            fields[4] = digits;
            const fixed = fields.join(':');
            fixes = [{ title: `Change to "${fixed}"`, edits: [context.edits.replaceString(item, fixed)], safe: true }];
          }
        }
        context.report(item, `"${arn.account}" in "${item.value}" is not an account ID, so the ARN matches nothing.${hint}`, { fixes });
      }
    }
  },
});
