import { absentResult, nullTestsAbsence, readOperator } from '../access/operators';
import { actionKnown, actionSupportsKey, structuralAbsence } from '../access/request';
import { CatalogCache, findConditionKey, hasWildcard, type Catalog } from '../catalog';
import type { ConditionEntry, Statement, StringItem } from '../model';
import type { Fix } from '../types';
import { describeList, documentRule, type RuleContext } from '../ruleSupport/context';

/** Per catalog and lower-cased key: the actions of the key's own service that support it, as the catalog spells them. */
const supportingActions = new CatalogCache((catalog: Catalog, lowerKey: string): readonly string[] => {
  const prefix = lowerKey.slice(0, lowerKey.indexOf(':'));
  const services = catalog.service(prefix) ? [prefix] : catalog.servicesForConditionPrefix(prefix);
  const found: string[] = [];
  for (const name of services) {
    const service = catalog.service(name);
    if (!service) continue;
    for (const action of service.actions.values()) {
      const qualified = `${service.prefix}:${action.name}`;
      if (actionSupportsKey(catalog, qualified, lowerKey)) found.push(qualified);
    }
  }
  return Object.freeze(found);
}, 2000);

/**
 * The statement's actions as Access Analyzer judges them: each written out in full, known to the
 * catalog, not a template's. `undefined` when the statement has none to judge.
 */
function plainActions(context: RuleContext, statement: Statement): { plain: StringItem[]; partial: boolean } | undefined {
  const actions = statement.actions;
  if (!actions || actions.negated || actions.items.length === 0) return undefined;
  let plain: StringItem[] | undefined;
  let partial = false;
  for (const item of actions.items) {
    // "*", wildcards, values a template fills in and actions the catalog does not know (action-unknown's) are not judged.
    if (item.node.parts || hasWildcard(item.value) || item.value.includes('$') || !actionKnown(context.catalog, item.value)) {
      partial = true;
      continue;
    }
    (plain ??= []).push(item);
  }
  return plain ? { plain, partial } : undefined;
}

/** Another service's key, known to the catalog and supported by some of its actions; neither a global key nor KMS's (condition-never-matches reads those). */
function judgedKey(context: RuleContext, entry: ConditionEntry): string | undefined {
  const lower = entry.key.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon <= 0 || entry.keyProperty.children?.[0]?.parts) return undefined;
  const prefix = lower.slice(0, colon);
  if (prefix === 'aws' || prefix === 'kms' || prefix.includes('.') || !findConditionKey(context.catalog, lower)) return undefined;
  // A key no action of its service lists is a gap in the catalog, not in the policy.
  return supportingActions.get(context.catalog, lower, undefined).length > 0 ? lower : undefined;
}

export default documentRule({
  meta: {
    id: 'condition-key-action-unsupported',
    awsChecks: ['UNSUPPORTED_ACTION_FOR_CONDITION_KEY', 'MISSING_ACTION_FOR_CONDITION_KEY'],
    severity: 'error',
    category: 'condition',
    summary: "A service's condition key that some or all of the statement's actions never carry: the condition is not evaluated for those actions.",
    security: true,
    conditionsOnly: true,
  },
  check(context) {
    for (const statement of context.model.statements) {
      if (statement.conditions.length === 0) continue;
      let actions: ReturnType<typeof plainActions> | null = null;
      for (const entry of statement.conditions) {
        const lower = judgedKey(context, entry);
        if (!lower) continue;
        const operator = readOperator(entry.operator);
        if (!operator) continue;
        if (actions === null) actions = plainActions(context, statement);
        if (!actions) break;
        const unsupported = actions.plain.filter((item) => !actionSupportsKey(context.catalog, item.value, lower));
        if (unsupported.length === 0) continue;
        // In a key policy, or with KMS actions alone, another service's key is condition-never-matches's.
        if (structuralAbsence(entry.key, context.model.kind, actions.plain.map((item) => item.value), context.catalog)) continue;
        const verb = statement.effect?.value === 'Deny' ? 'denies' : 'allows';
        // Null: "true" holds exactly when the key is absent (IAM User Guide, Null condition operator).
        const always = operator.family === 'Null' ? nullTestsAbsence(entry.values) : absentResult(operator);
        // A negated operator, ...IfExists or ForAllValues still applies the statement to those actions: a warning, not an error.
        // Null stays an error, as Access Analyzer reports it: its condition names the key on purpose, and it decides the statement.
        const severity = always && operator.family !== 'Null' ? 'warning' : undefined;
        const names = unsupported.map((item) => item.value);
        if (unsupported.length === actions.plain.length && !actions.partial) {
          const supporting = supportingActions.get(context.catalog, lower, undefined);
          const fixes: Fix[] = supporting.length === 1
            ? [{ title: `Add "${supporting[0]}"`, edits: [context.edits.addToList(statement.actions!.element.value, statement.actions!.items, [supporting[0]])], safe: false }]
            : [];
          const outcome = always ? `so the condition is always true and restricts nothing` : `so the condition is never true and this statement never ${verb} anything`;
          const which = supporting.length === 1 ? `${supporting[0]} is the action whose requests carry it` : `The actions whose requests carry it are ${describeList([...supporting], 3)}`;
          context.report(entry.keySpan, `No action of this statement (${describeList(names, 3)}) supports ${entry.key}, ${outcome}. ${which}: add it to this statement, or remove the condition.`, { fixes, severity });
        } else {
          const them = names.length === 1 ? 'it' : 'them';
          const outcome = always ? `the condition is always true for ${them}, so this statement ${verb} ${them} whatever the condition says` : `the condition is never true for ${them}, so this statement never ${verb} ${them}`;
          // Beside actions the key does restrict, an always-true reading for the others is what `...IfExists` is for: AWS's
          // S3 replication policy writes ReplicateDelete beside ReplicateObject under StringLikeIfExists. Advice only.
          context.report(entry.keySpan, `${describeList(names, 3)} ${names.length === 1 ? 'does' : 'do'} not support ${entry.key}: ${outcome}. Move ${them} to a statement without this condition key.`, { severity: always && operator.ifExists && statement.effect?.value !== 'Deny' ? 'info' : severity });
        }
      }
    }
  },
});
