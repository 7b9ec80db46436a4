/** Helpers the KMS rules share: the KMS ARNs and alias values a statement names. */
import { AWS_MANAGED_ALIAS, kmsResourceOf, parseArn, type Arn, isOtherAccount } from '../arn';
import type { Statement, StringItem } from '../model';
import type { RuleContext } from './context';

interface KmsArnItem {
  item: StringItem;
  arn: Arn;
}

export function kmsArnItems(statement: Statement): KmsArnItem[] {
  if (!statement.resources || statement.resources.negated) return [];
  const result: KmsArnItem[] = [];
  for (const item of statement.resources.items) {
    const arn = parseArn(item.value);
    if (arn && arn.service === 'kms') result.push({ item, arn });
  }
  return result;
}

export function aliasArnItems(statement: Statement): KmsArnItem[] {
  return kmsArnItems(statement).filter(({ arn }) => kmsResourceOf(arn).type === 'alias');
}

export function isExternalManagedAlias(context: RuleContext, arn: Arn): boolean {
  const resource = kmsResourceOf(arn);
  if (resource.type !== 'alias' || !AWS_MANAGED_ALIAS.test(resource.name)) return false;
  return isOtherAccount(arn.account, context.model.ownerAccount);
}

export function aliasValueItems(statement: Statement): { item: StringItem; key: string; operator: string }[] {
  const result: { item: StringItem; key: string; operator: string }[] = [];
  for (const entry of statement.conditions) {
    const key = entry.lowerKey;
    if (key !== 'kms:resourcealiases' && key !== 'kms:requestalias') continue;
    for (const value of entry.values) {
      if (typeof value.value === 'string') result.push({ item: value as StringItem, key: entry.key, operator: entry.operator });
    }
  }
  return result;
}
