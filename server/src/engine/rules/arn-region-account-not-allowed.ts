import { isUnknownPart } from '../arn';
import { documentRule } from '../ruleSupport/context';
import { arnFieldsFix, REGIONLESS_SERVICES, resourceArnItems } from '../ruleSupport/policyChecks';

/** Services none of whose resource ARNs has an account (same source as REGIONLESS_SERVICES). */
const ACCOUNTLESS_SERVICES: ReadonlySet<string> = new Set(['controlcatalog', 'geo-maps', 'geo-places', 'geo-routes', 'health', 'iq', 'iq-permission', 'mapcredits', 'route53', 'vendor-insights']);
/** S3's resources with a Region and an account: the others are buckets and objects (arn:aws:s3:::bucket/key). */
const S3_REGIONAL = /^(accesspoint|access-grants|async-request|job|storage-lens|storage-lens-group)\//;

export default documentRule({
  meta: { id: 'arn-region-account-not-allowed', awsChecks: ['ARN_REGION_NOT_ALLOWED', 'ARN_ACCOUNT_NOT_ALLOWED'], severity: 'error', category: 'grammar', summary: 'A Resource ARN with a Region or account where its service has none (IAM, S3 buckets, Route 53, ...).', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    for (const found of resourceArnItems(context.model)) {
      const { item, arn } = found;
      const service = arn.service;
      const bucket = service === 's3' && !isUnknownPart(arn.resource) && !S3_REGIONAL.test(arn.resource);
      // "*" stands for "whatever is there", including nothing: only a written value is out of place.
      const region = arn.region !== '' && arn.region !== '*' && !isUnknownPart(arn.region) && (REGIONLESS_SERVICES.has(service) || bucket);
      const account = arn.account !== '' && arn.account !== '*' && !isUnknownPart(arn.account) && (ACCOUNTLESS_SERVICES.has(service) || bucket);
      if (!region && !account) continue;
      const { fixed, fixes } = arnFieldsFix(context, found, region && account ? { 3: '', 4: '' } : region ? { 3: '' } : { 4: '' }, false);
      const what = bucket ? 'S3 bucket and object ARNs' : `${service} ARNs`;
      const has = region && account ? `a Region ("${arn.region}") and an account ("${arn.account}")` : region ? `a Region ("${arn.region}")` : `an account ("${arn.account}")`;
      const none = region && account ? 'neither' : region ? 'no Region' : 'no account';
      context.report(item, `"${item.value}" has ${has}, but ${what} have ${none}, so it matches nothing. Write "${fixed}".`, { fixes });
    }
  },
});
