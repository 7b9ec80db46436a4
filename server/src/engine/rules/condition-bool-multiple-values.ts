import { spanOf } from '../model';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'condition-bool-multiple-values', awsChecks: ['INVALID_CONDITION_MULTIPLE_BOOLEAN'], severity: 'error', category: 'condition', summary: 'A Bool condition with more than one value.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        if (parsed?.family !== 'Bool' || entry.valueNode.type !== 'array' || entry.values.length < 2) continue;
        if (entry.values.some((v) => v.node.parts)) continue;
        const distinct = new Set(entry.values.map((v) => String(v.value).toLowerCase()));
        const fixes: Fix[] = distinct.size === 1
          ? [{ title: `Use the single value ${JSON.stringify(entry.values[0].value)}`, edits: [context.edits.replaceValue(entry.valueNode, entry.values[0].value)], safe: true }]
          : [];
        const why = distinct.has('true') && distinct.has('false') ? ' With both true and false it tests nothing but whether the key is present: use Null for that.' : '';
        context.report(spanOf(entry.valueNode), `${entry.key} is a single Boolean: Bool takes one value, true or false, not a list.${why}`, { fixes });
      }
    }
  },
});
