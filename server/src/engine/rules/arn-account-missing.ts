import { arnFields, isUnknownPart } from '../arn';
import { CatalogCache, type Catalog } from '../catalog';
import { documentRule } from '../ruleSupport/context';
import { resourceArn } from '../ruleSupport/policyChecks';

/**
 * Per catalog: whether every resource type of a service has an account in its ARN format (the
 * Service Authorization Reference's, as the catalog gives it). A service with any ARN without one
 * (S3 buckets, EC2's public images), or with no resource types, is not judged.
 */
const everyArnHasAccount = new CatalogCache((catalog: Catalog, prefix: string): boolean => {
  const types = catalog.service(prefix)?.resourceTypes;
  if (!types || types.size === 0) return false;
  for (const type of types.values()) {
    const fields = type.arn.split(':');
    if (fields.length < 6 || fields[0] !== 'arn' || fields[4] === '') return false;
  }
  return true;
}, 1000);

export default documentRule({
  meta: { id: 'arn-account-missing', awsChecks: ['MISSING_ARN_ACCOUNT'], severity: 'error', category: 'grammar', summary: 'A Resource ARN without an account, of a service whose ARNs all have one.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'trust-policy', 'scp'] },
  check(context) {
    const { catalog } = context;
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) {
        // Cheap first: only an ARN with "::" can lack a field.
        if (!item.value.includes('::')) continue;
        const arn = resourceArn(item)?.arn;
        // An uppercase service is arn-service-case's, KMS ARNs are arn-invalid's; a service the template names is unknown.
        if (!arn || arn.account !== '' || arn.service === 'kms' || isUnknownPart(arn.service) || arn.service !== arn.service.toLowerCase()) continue;
        if (!everyArnHasAccount.get(catalog, arn.service, undefined)) continue;
        const fields = arnFields(item.value);
        fields[4] = '*';
        context.report(item, `"${item.value}" has no account, but every ${catalog.service(arn.service)!.name} ARN has one, so it matches nothing. Name the account, or write "*" for any account (${fields.join(':')}).`);
      }
    }
  },
});
