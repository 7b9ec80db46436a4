import { hasWildcard, matchActions } from '../catalog';
import { hasTemplatePlaceholder } from '../arn';
import { isWhollyUnknown } from '../tree';
import type { StringItem } from '../model';
import { describeList, documentRule } from './context';

/**
 * Actions that take no resource (the Service Authorization Reference lists no resource type for
 * them: kms:CreateKey, kms:ListAliases, s3:PutAccountPublicAccessBlock) match only `"*"`. Named
 * beside ARNs alone, they are left out of the statement: a Deny that never denies them (a guardrail
 * with a hole), an Allow that never allows them.
 */
export default documentRule({
  meta: { id: 'action-takes-no-resource', severity: 'warning', category: 'grammar', summary: 'An action that takes no resource, in a statement whose Resource names only ARNs: it never applies to that action.', security: true, appliesTo: ['identity-policy', 'resource-policy', 'scp'] },
  check(context) {
    for (const statement of context.model.statements) {
      const resources = statement.resources;
      const actions = statement.actions;
      if (!resources || resources.negated || !actions || actions.negated || resources.items.length === 0) continue;
      // "*" matches them; so may anything a template fills in whole.
      if (resources.items.some((item) => item.value.trim() === '*' || isWhollyUnknown(item.node) || !item.value.startsWith('arn:'))) continue;
      const global: StringItem[] = [];
      for (const item of actions.items) {
        const value = item.value.trim();
        if (item.node.parts || hasTemplatePlaceholder(value) || hasWildcard(value)) continue;
        const [action] = matchActions(context.catalog, value).actions;
        if (action && action.resourceTypes.length === 0) global.push(item);
      }
      if (global.length === 0) continue;
      const deny = statement.effect?.value === 'Deny';
      const names = describeList(global.map((item) => item.value.trim()), 3);
      for (const item of global) {
        const effect = deny ? 'this Deny never denies it' : 'this Allow never allows it';
        context.report(item, `${item.value.trim()} takes no resource (AWS lists no resource type for it), so only Resource "*" matches it; with ARNs alone in Resource, ${effect}. Move ${names} to a statement with Resource "*".`, {
          severity: deny ? 'warning' : 'info',
        });
      }
    }
  },
});
