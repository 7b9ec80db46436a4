import { isWhollyUnknown } from '../tree';
import type { ConditionEntry } from '../model';
import { closestMatch } from '../text';
import { documentRule } from '../ruleSupport/context';
import { siblingOperatorExists } from '../ruleSupport/conditions';
import { allOperators, readOperator } from '../access/operators';

function operatorName(property: ConditionEntry['operatorProperty']): { name: string; span: { start: number; end: number } } | undefined {
  const key = property.children?.[0];
  // An operator the template fills in (`condition.value.test`) is judged where it is written.
  if (!key || typeof key.value !== 'string' || isWhollyUnknown(key)) return undefined;
  return { name: key.value, span: { start: key.offset, end: key.offset + key.length } };
}

export default documentRule({
  meta: { id: 'condition-operator-unknown', awsChecks: ['INVALID_CONDITION_OPERATOR', 'NULL_WITH_IF_EXISTS'], severity: 'error', category: 'condition', summary: 'A condition operator that does not exist.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      // Every operator block, keys or not (the same blocks operatorBlocks lists, without the map).
      for (const property of statement.condition?.value.children ?? []) {
        const operator = operatorName(property);
        if (!operator || readOperator(operator.name)) continue;
        if (/^((ForAllValues|ForAnyValue):)?NullIfExists$/i.test(operator.name)) {
          // Null tests whether the key is present; "if it exists" has no meaning for it.
          context.report(operator.span, `"${operator.name}": the Null operator takes no IfExists suffix, so AWS rejects the policy. Use "Null" to test whether the key is present.`, {
            fixes: !siblingOperatorExists(statement, 'Null') ? [{ title: 'Change to "Null"', edits: [context.edits.renameKey(operator.span, 'Null')], safe: false }] : [],
          });
          continue;
        }
        const prefixMatch = /^(ForAllValues:|ForAnyValue:)?(.*)$/i.exec(operator.name)!;
        const prefix = prefixMatch[1] ? (prefixMatch[1].toLowerCase().startsWith('forall') ? 'ForAllValues:' : 'ForAnyValue:') : '';
        const suggestion = closestMatch(prefixMatch[2], allOperators(), 3);
        const fixed = suggestion ? prefix + suggestion : undefined;
        context.report(operator.span, `"${operator.name}" is not a condition operator, so AWS rejects the policy.${fixed ? ` Did you mean "${fixed}"?` : ''}`, {
          fixes: fixed && !siblingOperatorExists(statement, fixed)
            ? [{ title: `Change to "${fixed}"`, edits: [context.edits.renameKey(operator.span, fixed)], safe: fixed.toLowerCase() === operator.name.toLowerCase() }]
            : [],
        });
      }
    }
  },
});
