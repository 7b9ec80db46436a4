import { hasTemplatePlaceholder } from '../arn';
import { documentRule } from '../ruleSupport/context';

/** Above this many items a list is not compared pairwise (the comparison is quadratic). */
const MAX_ITEMS = 300;

const patterns = new Map<string, RegExp>();

/**
 * Whether the Resource pattern `by` matches everything `value` matches. ARNs compare
 * case-sensitively; a "*" of `by` may stand for anything in `value`, wildcards included, and a "?"
 * of `by` for one character that is no "*" (so "a?c" does not cover "a*c").
 */
function coversResource(by: string, value: string): boolean {
  if (by === '*') return true;
  if (!by.includes('*') && !by.includes('?')) return by === value;
  let regex = patterns.get(by);
  if (!regex) {
    const source = by.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[^*]');
    regex = new RegExp(`^${source}$`);
    if (patterns.size > 5000) patterns.clear();
    patterns.set(by, regex);
  }
  return regex.test(value);
}

export default documentRule({
  meta: { id: 'resource-redundant', awsChecks: ['REDUNDANT_RESOURCE'], severity: 'info', category: 'grammar', summary: 'A resource already covered by another entry of the same Resource list.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      const list = statement.resources;
      if (!list || list.items.length < 2 || list.items.length > MAX_ITEMS) continue;
      const items = list.items.filter((item) => !item.node.parts && !hasTemplatePlaceholder(item.value));
      for (let i = 0; i < items.length; i++) {
        for (let j = 0; j < items.length; j++) {
          if (j === i || !coversResource(items[j].value, items[i].value)) continue;
          // Two entries that cover each other (the same ARN twice): the later one is the redundant one.
          if (j > i && coversResource(items[i].value, items[j].value)) continue;
          const same = items[i].value === items[j].value;
          const what = same ? `"${items[i].value}" is listed twice in this ${list.element.name}` : `"${items[i].value}" is already covered by "${items[j].value}" in this ${list.element.name}`;
          const advice = same ? 'Remove it.' : 'Remove it, or, if only the listed resources were meant, remove the wildcard entry instead.';
          context.report(items[i], `${what}: it adds nothing. ${advice}`, {
            unnecessary: true,
            related: [{ start: items[j].start, end: items[j].end, message: same ? 'listed here too' : 'covered by this entry' }],
          });
          break;
        }
      }
    }
  },
});
