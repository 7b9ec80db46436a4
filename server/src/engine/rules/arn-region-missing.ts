import { isUnknownPart } from '../arn';
import { documentRule } from '../ruleSupport/context';
import { REGIONLESS_SERVICES, resourceArn } from '../ruleSupport/policyChecks';
import { CatalogCache, type Catalog } from '../catalog';

/**
 * Services with some resource ARNs without a Region (ec2's IPAM pools, DynamoDB global tables, S3
 * buckets, ...), from the same iam-data ARN formats: an empty Region is right for some of their ARNs.
 */
const SOME_REGIONLESS = new Set([
  'artifact', 'aws-marketplace', 'bedrock', 'cloudwatch', 'codecatalyst', 'directconnect', 'dynamodb', 'ec2', 'eks', 'elasticache', 'forecast',
  'guardduty', 'internetmonitor', 'license-manager', 'memorydb', 'notifications', 'partnercentral', 'personalize', 'quicksight', 'ram', 'rds',
  's3', 'signin', 'verifiedpermissions',
  // Reference entries without a Region (see arn-region-account-not-allowed), and KMS (arn-invalid reports its ARNs).
  'swf', 'opsworks-cm', 'kms',
]);

/** Per catalog: whether a service defines resource types (so its ARNs are the reference's). */
const hasResourceTypes = new CatalogCache((catalog: Catalog, prefix: string) => {
  const service = catalog.service(prefix);
  return !!service && [...service.actions.values()].some((action) => action.resourceTypes.length > 0);
}, 1000);

export default documentRule({
  meta: { id: 'arn-region-missing', awsChecks: ['MISSING_ARN_REGION'], severity: 'error', category: 'grammar', summary: 'A Resource ARN without a Region, of a service whose ARNs all have one.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    const { catalog } = context;
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) {
        const arn = resourceArn(item)?.arn;
        // An uppercase service is arn-service-case's; a service the template names is unknown.
        if (!arn || arn.region !== '' || isUnknownPart(arn.service) || arn.service !== arn.service.toLowerCase() || REGIONLESS_SERVICES.has(arn.service) || SOME_REGIONLESS.has(arn.service)) continue;
        // Only services the catalog knows to have resource types: their ARNs are the reference's.
        if (!hasResourceTypes.get(catalog, arn.service, undefined)) continue;
        context.report(item, `"${item.value}" has no Region, but every ${catalog.service(arn.service)!.name} ARN has one, so it matches nothing. Name the Region, or write "*" for any Region (arn:${arn.partition}:${arn.service}:*:${arn.account}:${arn.resource}).`);
      }
    }
  },
});
