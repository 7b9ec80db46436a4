import { actionPatternCoversLower, type Catalog, CatalogCache, hasWildcard, matchActions } from '../catalog';
import { hasTemplatePlaceholder } from '../arn';
import type { StringItem } from '../model';
import { documentRule } from '../ruleSupport/context';

/** Per catalog: the actions an entry matches today (lower-cased service:name); null for "*" and service wildcards. */
const expansions = new CatalogCache((catalog: Catalog, value: string): readonly string[] | null => {
  if (value === '*') return null;
  const match = matchActions(catalog, value);
  if (match.allServices || match.unknownService) return null;
  return Object.freeze(match.actions.map((action) => `${action.service}:${action.name}`.toLowerCase()));
}, 5000);

/** Per catalog and list: each redundant entry with the entry that covers it (indexes into the list). */
const redundantPairs = new CatalogCache((catalog: Catalog, _key: string, values: readonly string[]): readonly [number, number][] => {
  const expanded = values.map((value) => expansions.get(catalog, value, undefined));
  const services = values.map((value) => value.split(':')[0].toLowerCase());
  const covers = (j: number, i: number): boolean => {
    const by = values[j];
    if (by === '*') return true;
    // Another service's entry covers nothing here (the common case, decided without a pattern).
    if (!hasWildcard(services[j]) && services[j] !== services[i]) return false;
    const names = expanded[i];
    return !!names && names.length > 0 && names.every((name) => actionPatternCoversLower(by, name));
  };
  const pairs: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    if (expanded[i]?.length === 0) continue; // matches nothing: action-unknown reports it
    for (let j = 0; j < values.length; j++) {
      if (j === i || !covers(j, i)) continue;
      // Two entries that cover each other (the same action twice): the later one is the redundant one.
      if (covers(i, j) && j > i) continue;
      pairs.push([i, j]);
      break;
    }
  }
  return pairs;
}, 2000);

/** Above this many items a list is not compared pairwise (the comparison is quadratic). */
const MAX_ITEMS = 300;

export default documentRule({
  meta: { id: 'action-redundant', awsChecks: ['REDUNDANT_ACTION'], severity: 'info', category: 'grammar', summary: 'An action already covered by another entry of the same Action list.', security: false },
  check(context) {
    const { catalog } = context;
    for (const statement of context.model.statements) {
      const list = statement.actions;
      if (!list || list.items.length < 2 || list.items.length > MAX_ITEMS) continue;
      const items = list.items.filter((item) => !item.node.parts && !hasTemplatePlaceholder(item.value));
      // Without a wildcard only a repeated entry can be redundant: found without comparing every pair.
      if (!items.some((item) => hasWildcard(item.value))) {
        const firstOf = new Map<string, StringItem>();
        for (const item of items) {
          const lower = item.value.trim().toLowerCase();
          const first = firstOf.get(lower);
          if (!first) {
            firstOf.set(lower, item);
            continue;
          }
          context.report(item, `"${item.value}" is listed twice in this ${list.element.name}: it adds nothing. Remove it.`, { unnecessary: true, related: [{ start: first.start, end: first.end, message: 'listed here too' }] });
        }
        continue;
      }
      // The same list (the same entries in the same order) gives the same pairs: found once per catalog.
      const values = items.map((item) => item.value.trim());
      for (const [i, j] of redundantPairs.get(catalog, values.join('\n'), values)) {
        const item: StringItem = items[i];
        const same = values[i].toLowerCase() === values[j].toLowerCase();
        const what = same ? `"${item.value}" is listed twice in this ${list.element.name}` : `"${item.value}" is already covered by "${items[j].value}" in this ${list.element.name}`;
        const note = !same && hasWildcard(item.value) ? ' (with the actions AWS defines today)' : '';
        context.report(item, `${what}${note}: it adds nothing. Remove it.`, { unnecessary: true, related: [{ start: items[j].start, end: items[j].end, message: same ? 'listed here too' : 'covered by this entry' }] });
      }
    }
  },
});
