import { formatOperator, readOperator } from '../access/operators';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { operatorBlocks, siblingOperatorExists } from '../ruleSupport/conditions';

export default documentRule({
  meta: { id: 'condition-null-with-set-operator', awsChecks: ['NULL_WITH_QUALIFIER'], severity: 'info', category: 'condition', summary: 'Null with ForAllValues or ForAnyValue, which makes it always true or always false.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      const blocks = operatorBlocks(statement);
      for (const [property, entries] of blocks) {
        const key = property.children?.[0];
        if (!key || typeof key.value !== 'string' || key.parts) continue;
        const parsed = readOperator(key.value);
        if (!parsed || parsed.base !== 'Null' || !parsed.set) continue;
        const target = formatOperator({ ...parsed, set: undefined });
        const always = parsed.set === 'ForAllValues' ? 'true' : 'false';
        const fixes: Fix[] = !siblingOperatorExists(statement, target)
          ? [{ title: `Change "${key.value}" to "${target}"`, edits: [context.edits.renameKey({ start: key.offset, end: key.offset + key.length }, target)], safe: false }]
          : [];
        const keys = entries.length ? ` (${entries.map((e) => e.key).join(', ')})` : '';
        context.report({ start: key.offset, end: key.offset + key.length }, `"${key.value}" is always ${always}${keys}, whatever the request: Null tests whether a key is present and takes no set operator. Use "${target}".`, { fixes });
      }
    }
  },
});
