import { formatArn, kmsResourceOf, parseArn } from '../arn';
import { wildcardToRegExp } from '../catalog';
import type { Statement } from '../model';
import type { Fix } from '../types';
import { describeList, documentRule, isAllow, type RuleContext } from '../ruleSupport/context';
import { coveredActions } from '../actions';
import { ALIAS_ACTIONS } from '../kms/actions';
import { aliasArnItems, isExternalManagedAlias } from '../ruleSupport/kms';
import { keyResourceOf, wholeReference } from '../parts';
import type { PolicyNode } from '../tree';

/** KMS actions the statement allows or denies, expanded; alias operations set apart. */
function kmsActionsOf(context: RuleContext, statement: Statement): { keyActions: string[]; aliasActions: string[] } {
  const covered = [...coveredActions(context.catalog, statement, 'kms')];
  const aliasActions = covered.filter((a) => ALIAS_ACTIONS.includes(a));
  return { keyActions: covered.filter((a) => !ALIAS_ACTIONS.includes(a)), aliasActions };
}

/** A Resource that matches keys: "*", a key ARN, or an ARN pattern whose resource part matches key/<id>. */
function matchesKeys(value: string): boolean {
  if (value === '*') return true;
  const arn = parseArn(value);
  if (!arn || (arn.service !== 'kms' && !/[*?]/.test(arn.service))) return false;
  return kmsResourceOf(arn).type === 'key' || wildcardToRegExp(arn.resource).test('key/1234abcd-12ab-34cd-56ef-1234567890ab');
}

/** key/* in the alias's account and region, plus ForAnyValue:StringLike on kms:ResourceAliases. */
function aliasFix(context: RuleContext, statement: Statement, mixesAliasOperations: boolean): Fix[] {
  if (mixesAliasOperations || !statement.resources || statement.resources.negated) return [];
  const items = statement.resources.items;
  const parsed = items.map((item) => parseArn(item.value));
  if (parsed.some((arn) => !arn || arn.service !== 'kms' || kmsResourceOf(arn).type !== 'alias')) return [];
  const first = parsed[0]!;
  if (parsed.some((arn) => arn!.partition !== first.partition || arn!.region !== first.region || arn!.account !== first.account)) return [];
  if (statement.conditions.some((c) => c.lowerKey === 'kms:resourcealiases')) return [];
  const aliasNames = parsed.map((arn) => arn!.resource);
  const keyPattern = formatArn({ ...first, resource: 'key/*' });
  const aliasValue = aliasNames.length === 1 ? aliasNames[0] : aliasNames;
  const { edits } = context;
  const edit = [edits.replaceValue(statement.resources.element.value, keyPattern)];
  const condition = statement.condition?.value;
  if (!condition) {
    edit.push(edits.addProperty(statement.node, 'Condition', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': aliasValue } }));
  } else if (condition.type === 'object') {
    const existing = condition.children?.find((p) => p.children?.[0]?.value === 'ForAnyValue:StringLike');
    const block = existing?.children?.[1];
    if (block && block.type === 'object') edit.push(edits.addProperty(block, 'kms:ResourceAliases', aliasValue));
    else if (!existing) edit.push(edits.addProperty(condition, 'ForAnyValue:StringLike', { 'kms:ResourceAliases': aliasValue }));
    else return [];
  } else {
    return [];
  }
  return [{ title: `Use ${keyPattern} with a kms:ResourceAliases condition`, edits: edit, safe: true }];
}

export default documentRule({
  meta: { id: 'alias-arn-as-resource', severity: 'error', category: 'kms', summary: 'An alias ARN as Resource for key operations: it grants nothing on the key.', security: false, appliesTo: ['identity-policy', 'resource-policy', 'scp'] },
  check(context) {
    if (context.model.kind === 'key-policy') return; // key-policy-resource covers key policies
    for (const statement of context.model.statements) {
      const written = aliasArnItems(statement).filter(({ arn }) => !isExternalManagedAlias(context, arn));
      // An alias's ARN as the template names it (`aws_kms_alias.data.arn`).
      const referenced = (statement.resources?.negated ? [] : (statement.resources?.items ?? [])).filter((item) => wholeReference(item.node as PolicyNode)?.meaning === 'alias-arn');
      const aliases = [...written, ...referenced.map((item) => ({ item }))];
      if (aliases.length === 0) continue;
      const { keyActions, aliasActions } = kmsActionsOf(context, statement);
      // Beside a key ARN (or key/*, or "*"), the key actions take effect through it, and the alias ARN serves the alias operations.
      if (keyActions.length === 0 || statement.resources!.items.some((item) => matchesKeys(item.value) || keyResourceOf(item.node as PolicyNode) !== undefined)) continue;
      const names = keyActions.map((a) => a);
      const fixes = aliasFix(context, statement, aliasActions.length > 0);
      // With only alias ARNs and no alias operations, the statement does nothing at all.
      const dead = aliasActions.length === 0 && aliases.length === (statement.resources?.items.length ?? 0);
      for (const { item } of aliases) {
        const verb = isAllow(statement) ? 'grants' : 'denies';
        const reference = wholeReference(item.node as PolicyNode);
        const instead = reference?.keyArn ? `Use the key ARN (${reference.keyArn})` : 'Use the key ARN, or key/* with a kms:ResourceAliases condition';
        context.report(
          item,
          `An alias ARN as Resource matches only the alias itself (CreateAlias, UpdateAlias, DeleteAlias); it ${verb} nothing on the key behind it, so ${describeList(names)} here ${isAllow(statement) ? (names.length > 1 ? 'have no effect' : 'has no effect') : names.length > 1 ? 'are not denied' : 'is not denied'}. ${instead}.`,
          { fixes: reference ? [] : fixes, unnecessary: dead },
        );
      }
    }
  },
});
