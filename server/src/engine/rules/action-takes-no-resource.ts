import { hasWildcard, matchActions } from '../catalog';
import { hasTemplatePlaceholder } from '../arn';
import { isWhollyUnknown } from '../tree';
import { statementCovers } from '../actions';
import type { Statement, StringItem } from '../model';
import { describeList, documentRule } from '../ruleSupport/context';

/**
 * Actions that take no resource (the Service Authorization Reference lists no resource type for
 * them: kms:CreateKey, kms:ListAliases, s3:PutAccountPublicAccessBlock) match only `"*"`. Named
 * beside ARNs alone, they are left out of the statement: a Deny that never denies them (a guardrail
 * with a hole), an Allow that never allows them.
 */
/** A value the template fills in whole that the host knows to be an ARN: never `"*"`. */
function namesAnArn(item: StringItem): boolean {
  const part = item.node.parts?.[0];
  const meaning = part && 'unknown' in part ? part.meaning : undefined;
  return meaning === 'key-arn' || meaning === 'alias-arn' || meaning === 'resource-arn';
}

export default documentRule({
  meta: { id: 'action-takes-no-resource', severity: 'warning', category: 'grammar', summary: 'An action that takes no resource, in a statement whose Resource names only ARNs: it never applies to that action.', security: true, appliesTo: ['identity-policy', 'resource-policy', 'scp'] },
  check(context) {
    const statements = context.model.statements;
    for (const statement of statements) {
      if (!namesOnlyArns(statement)) continue;
      const actions = statement.actions!;
      const deny = statement.effect?.value === 'Deny';
      const global: { item: StringItem; listing: boolean }[] = [];
      for (const item of actions.items) {
        const value = item.value.trim();
        if (item.node.parts || hasTemplatePlaceholder(value) || hasWildcard(value)) continue;
        const [action] = matchActions(context.catalog, value).actions;
        if (!action || action.resourceTypes.length > 0) continue;
        // Another statement of the same effect on "*" applies it after all: nothing is missing.
        if (statements.some((other) => other !== statement && other.effect?.value === statement.effect?.value && mayNameEverything(other) && statementCovers(other, value))) continue;
        global.push({ item, listing: action.accessLevel === 'List' || action.accessLevel === 'Read' });
      }
      if (global.length === 0) continue;
      const names = describeList(global.map(({ item }) => item.value.trim()), 3);
      for (const { item, listing } of global) {
        const effect = deny ? 'this Deny never denies it' : 'this Allow never allows it';
        context.report(item, `${item.value.trim()} takes no resource (AWS lists no resource type for it), so only Resource "*" matches it; with ARNs alone in Resource, ${effect}. Move ${names} to a statement with Resource "*".`, {
          // An Allow of a list or read action beside ARNs is mostly a harmless leftover; of a write (kms:GenerateRandom, kms:CreateKey), a call that fails.
          severity: !deny && listing ? 'info' : 'warning',
        });
      }
    }
  },
});

/** A statement whose Resource names ARNs only: no "*", nothing a template fills in that may be "*". */
function namesOnlyArns(statement: Statement): boolean {
  const { resources, actions } = statement;
  if (!resources || resources.negated || !actions || actions.negated || resources.items.length === 0) return false;
  return !resources.items.some((item) => item.value.trim() === '*' || (isWhollyUnknown(item.node) ? !namesAnArn(item) : !item.value.startsWith('arn:')));
}

/** A statement that may apply to every resource: Resource "*" (or a value that may be), NotResource, or none written. */
function mayNameEverything(statement: Statement): boolean {
  const { resources } = statement;
  return !resources || resources.negated || resources.items.some((item) => item.value.trim() === '*' || (isWhollyUnknown(item.node) && !namesAnArn(item)));
}
