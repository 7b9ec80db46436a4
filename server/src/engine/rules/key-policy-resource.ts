import { isWhollyUnknown } from '../tree';
import { wholeReference } from '../parts';
import type { StringItem } from '../model';
import { hasTemplatePlaceholder, kmsResourceOf, parseArn } from '../arn';
import { wildcardToRegExp } from '../catalog';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';

/**
 * A Resource the template fills in whole (`var.resources`, `cond ? [...] : [...]`), judged where
 * it is written; or the key's own ARN by reference (`aws_kms_key.this.arn` in its
 * aws_kms_key_policy). An alias, or another key of the template, is still reported.
 */
function filledInForThisKey(item: StringItem, resource: string | undefined): boolean {
  if (!isWhollyUnknown(item.node)) return false;
  const part = item.node.parts![0];
  if (!('unknown' in part) || part.meaning === 'alias-arn' || part.meaning === 'resource-arn') return false;
  return part.meaning !== 'key-arn' || !resource || part.resource === resource;
}

export default documentRule({
  meta: { id: 'key-policy-resource', awsChecks: ['UNSUPPORTED_RESOURCE_ARN_IN_POLICY'], severity: 'warning', category: 'kms', summary: 'A key policy Resource other than "*".', security: false, appliesTo: ['key-policy'] },
  check(context) {
    if (context.model.kind !== 'key-policy') return;
    for (const statement of context.model.statements) {
      const resources = statement.resources;
      if (!resources) continue;
      // Most key policies already say "*": the fix is built only for a finding that offers it.
      const toStar = (): Fix[] => (resources.items.length === 1 ? [{ title: 'Use "Resource": "*" (this key)', edits: [context.edits.replaceValue(resources.element.value, '*')], safe: true }] : []);
      if (resources.negated) {
        context.report(resources.element.keySpan, 'In a key policy, NotResource has no use: the policy only ever applies to this key. Use "Resource": "*".', {
          fixes: [{ title: 'Use "Resource": "*" (this key)', edits: [context.edits.renameKey(resources.element.keySpan, 'Resource'), context.edits.replaceValue(resources.element.value, '*')], safe: false }],
        });
        continue;
      }
      for (const item of resources.items) {
        if (item.value === '*') continue;
        if (filledInForThisKey(item, context.model.resource)) continue;
        const reference = wholeReference(item.node);
        if (reference?.meaning === 'resource-arn') {
          context.report(item, `Resource ${reference.unknown} is the ARN of ${reference.resource ?? 'another resource'}, not of this key: a key policy applies only to its own key, so this statement applies to nothing. Use "*".`, { severity: 'error', fixes: toStar() });
          continue;
        }
        const arn = parseArn(item.value);
        const resource = arn?.service === 'kms' ? kmsResourceOf(arn) : undefined;
        if (arn && arn.service !== 'kms' && !/[*?]/.test(arn.service) && !hasTemplatePlaceholder(arn.service)) {
          context.report(item, `Resource "${item.value}" is an ARN of service "${arn.service}", not a KMS key: a key policy applies only to its own key, so this statement applies to nothing. Use "*".`, { severity: 'error', fixes: toStar() });
        } else if (resource?.type === 'alias') {
          context.report(item, 'A key policy cannot name an alias as Resource: the policy applies to its own key only, and an alias ARN matches nothing here. Use "*".', { severity: 'error', fixes: toStar() });
        } else if (context.options.keyArn && !wildcardToRegExp(item.value).test(context.options.keyArn) && !hasTemplatePlaceholder(item.value)) {
          context.report(item, `This key policy belongs to ${context.options.keyArn}; a key policy can only grant on its own key, so this Resource matches nothing. Use "*".`, { severity: 'error', fixes: toStar() });
        } else if (context.options.keyArn ? item.value !== context.options.keyArn : resource?.type === 'key' && /[*?]/.test(resource.id)) {
          // A pattern that covers this key (`key/*` of its account) works: "*" says the same, plainly.
          context.report(item, 'This Resource covers this key, so the statement applies; in a key policy "*" already means this key, and says it plainly. Use "*".', { severity: 'info', fixes: toStar() });
        } else if (!context.options.keyArn) {
          // AWS's service guides write the key's own ARN here (CloudTrail, GuardDuty): right if it is this key, which is not known here. Advice.
          context.report(item, 'In a key policy "Resource": "*" means this key. A specific ARN works only if it is exactly this key\'s own ARN, and breaks silently when copied to another key. Use "*".', { fixes: toStar(), severity: 'info' });
        }
      }
    }
  },
});
