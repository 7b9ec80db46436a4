import { isOtherAccount } from '../arn';
import { AWS_MANAGED_ALIAS } from '../arn';
import { documentRule, isAllow } from '../ruleSupport/context';
import { aliasArnItems, aliasValueItems, isExternalManagedAlias, kmsArnItems } from '../ruleSupport/kms';

export default documentRule({
  meta: { id: 'aws-managed-key-shared', severity: 'error', category: 'kms', summary: 'An attempt to use an AWS managed key (alias/aws/...) across accounts.', security: true, appliesTo: ['identity-policy', 'resource-policy'] },
  check(context) {
    if (context.model.kind === 'key-policy') return;
    const message =
      'AWS managed keys (alias/aws/...) cannot be shared: their key policies allow use only through the owning service from the owning account. Use a customer managed key, and share that.';
    for (const statement of context.model.statements) {
      if (!isAllow(statement)) continue;
      for (const { item, arn } of aliasArnItems(statement)) {
        if (isExternalManagedAlias(context, arn)) context.report(item, message);
      }
      const keyAccounts = kmsArnItems(statement).map(({ arn }) => arn.account);
      const external = keyAccounts.some((a) => a !== '*' && isOtherAccount(a, context.model.ownerAccount));
      if (!external) continue;
      for (const { item } of aliasValueItems(statement)) {
        if (AWS_MANAGED_ALIAS.test(item.value)) context.report(item, message);
      }
    }
  },
  workspace: {
    // Across files: a key that keyshare.json declares AWS managed ("managed": "aws").
    keyUse(context, { use, key, sameAccount }) {
      // In the key's own account an AWS managed key is used through its service: nothing is shared (explain decides that use).
      if (key.managed !== 'aws' || sameAccount) return;
      context.report(use.span, `${key.arn} is declared as an AWS managed key: it cannot be used from another account. Share a customer managed key instead.`);
    },
  },
});
