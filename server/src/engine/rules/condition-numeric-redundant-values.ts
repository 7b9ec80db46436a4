import { spanOf } from '../model';
import { documentRule } from '../ruleSupport/context';

const NUMBER = /^-?\d+(\.\d+)?$/;

export default documentRule({
  meta: { id: 'condition-numeric-redundant-values', awsChecks: ['REDUNDANT_CONDITION_VALUE_NUM'], severity: 'info', category: 'condition', summary: 'Several thresholds for one NumericLessThan/GreaterThan key, where only one counts.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        if (!parsed || parsed.set || !/^Numeric(Less|Greater)Than(Equals)?$/.test(parsed.base) || entry.values.length < 2) continue;
        if (entry.values.some((v) => v.node.parts || !NUMBER.test(String(v.value)))) continue;
        // Any value may match: the loosest threshold decides (the greatest for LessThan, the least for GreaterThan).
        const less = parsed.base.startsWith('NumericLess');
        const keep = entry.values.reduce((best, v) => ((less ? Number(v.value) > Number(best.value) : Number(v.value) < Number(best.value)) ? v : best));
        context.report(spanOf(entry.valueNode), `Only ${JSON.stringify(keep.value)} counts here: ${parsed.base} matches when any value does, so the ${less ? 'greatest' : 'least'} threshold decides and the others are redundant.`, {
          fixes: [{ title: `Keep only ${JSON.stringify(keep.value)}`, edits: [context.edits.replaceValue(entry.valueNode, keep.value)], safe: true }],
        });
      }
    }
  },
});
