import { isWhollyUnknown } from '../tree';
import { propertiesOf, spanOf } from '../model';
import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'condition-empty', awsChecks: ['EMPTY_OBJECT_CONDITION'], severity: 'info', category: 'condition', summary: 'A Condition, or a condition operator block, that is an empty object.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      const condition = statement.condition?.value;
      if (!condition || condition.type !== 'object' || isWhollyUnknown(condition)) continue;
      if ((condition.children ?? []).length === 0) {
        context.report(spanOf(condition), 'Condition is an empty object: it tests nothing. Write the condition you meant, or remove the element.');
        continue;
      }
      for (const operator of propertiesOf(condition)) {
        if (operator.value.type !== 'object' || (operator.value.children ?? []).length > 0) continue;
        context.report(operator.keySpan, `The "${operator.name}" block is empty: it tests nothing. Add the condition keys you meant, or remove the block.`);
      }
    }
  },
});
