import type { ConditionEntry } from '../model';
import { documentRule } from '../ruleSupport/context';
import { operatorBlocks } from '../ruleSupport/conditions';

export default documentRule({
  meta: { id: 'condition-key-case-duplicate', awsChecks: ['DUPLICATE_KEYS_WITH_DIFFERENT_CASE'], severity: 'error', category: 'condition', summary: 'The same condition key twice in one operator block, spelled with different case.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entries of operatorBlocks(statement).values()) {
        if (entries.length < 2) continue;
        const seen = new Map<string, ConditionEntry>();
        for (const entry of entries) {
          if (entry.keyProperty.children?.[0]?.parts) continue; // a key the template names is unknown
          const lower = entry.lowerKey;
          const first = seen.get(lower);
          if (!first) {
            seen.set(lower, entry);
            continue;
          }
          // The same spelling twice is duplicate-key's finding.
          if (first.key === entry.key) continue;
          context.report(entry.keySpan, `"${entry.key}" repeats "${first.key}" in this ${entry.operator} block: condition key names ignore case, so IAM sees one key twice and AWS rejects the policy. Merge their values under one spelling.`, {
            related: [{ ...first.keySpan, message: `"${first.key}" is here` }],
          });
        }
      }
    }
  },
});
