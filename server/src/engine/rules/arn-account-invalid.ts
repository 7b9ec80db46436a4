import { ACCOUNT_ID, isUnknownPart } from '../arn';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { arnFieldsFix, resourceArnItems } from '../ruleSupport/policyChecks';

/** Account fields AWS itself writes: its managed policies and templates (`arn:aws:iam::aws:policy/...`), CloudFront's legacy identities. */
const AWS_OWNED = new Set(['aws', 'cloudfront']);

export default documentRule({
  meta: { id: 'arn-account-invalid', awsChecks: ['INVALID_ARN_ACCOUNT'], severity: 'error', category: 'grammar', summary: 'A Resource ARN whose account is not a 12-digit account ID.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    for (const found of resourceArnItems(context.model)) {
      const { item, arn } = found;
      // KMS ARNs are arn-invalid's; a wildcard, a policy variable or a template's value may stand for any account.
      if (arn.service === 'kms' || arn.account === '' || ACCOUNT_ID.test(arn.account) || AWS_OWNED.has(arn.account) || /[*?]|\$\{/.test(arn.account) || isUnknownPart(arn.account)) continue;
      const digits = arn.account.replace(/-/g, '');
      const hyphens = ACCOUNT_ID.test(digits);
      const fixes: Fix[] = hyphens ? arnFieldsFix(context, found, { 4: digits }, true).fixes : [];
      const hint = hyphens ? ` Write it without hyphens: "${digits}".` : ' Account IDs have exactly 12 digits.';
      context.report(item, `"${arn.account}" in "${item.value}" is not an account ID, so the ARN matches nothing.${hint}`, { fixes });
    }
  },
});
