import type { ConditionEntry } from '../model';
import { conditionPrefixKnown, findConditionKey } from '../catalog';
import { closestMatch } from '../text';
import { documentRule } from '../ruleSupport/context';

/** A key whose service part the template fills in (`condition.value.variable`, `${local.oidc_provider}:sub`): nothing to judge. */
function serviceFilledIn(entry: ConditionEntry): boolean {
  const key = entry.keyProperty.children?.[0];
  if (!key?.parts) return false;
  const colon = entry.key.indexOf(':');
  const unknown = entry.key.indexOf('${');
  return unknown >= 0 && (colon < 0 || unknown < colon);
}

export default documentRule({
  meta: { id: 'condition-key-unknown', awsChecks: ['INVALID_GLOBAL_CONDITION_KEY', 'INVALID_SERVICE_CONDITION_KEY', 'INVALID_CONDITION_KEY_FORMAT', 'INVALID_SERVICE', 'UNSUPPORTED_GLOBAL_CONDITION_KEY', 'DEPRECATED_GLOBAL_CONDITION_KEY', 'MISSING_TAG_KEY_IN_CONDITION'], severity: 'warning', category: 'condition', summary: 'A condition key no AWS service defines.', security: true, conditionsOnly: true },
  check(context) {
    const { catalog } = context;
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (serviceFilledIn(entry)) continue;
        if (findConditionKey(catalog, entry.key)) continue;
        const colon = entry.key.indexOf(':');
        if (colon <= 0) {
          context.report(entry.keySpan, `"${entry.key}" is not a condition key; keys look like service:Name (for example aws:PrincipalOrgID).`, { severity: 'error' });
          continue;
        }
        if (entry.lowerKey === 'aws:arn') {
          // Access Analyzer: "Unsupported global condition key" (an error) and "Deprecated global condition key".
          context.report(entry.keySpan, `"${entry.key}" is not a supported global condition key: AWS documents no key by that name and Access Analyzer reports it as unsupported and deprecated, so what this condition compares cannot be relied on. Use aws:PrincipalArn (the caller's ARN) or aws:SourceArn (the resource a service acts for).`, {
            severity: 'error',
            fixes: [{ title: 'Change to "aws:PrincipalArn"', edits: [context.edits.renameKey(entry.keySpan, 'aws:PrincipalArn')], safe: false }],
          });
          continue;
        }
        const prefix = entry.key.slice(0, colon).toLowerCase();
        // An OIDC provider's own keys (token.actions.githubusercontent.com:sub, accounts.google.com:aud) are defined by the provider.
        if (prefix.includes('.')) continue;
        if (!conditionPrefixKnown(catalog, entry.key)) {
          context.report(entry.keySpan, `"${prefix}" is not a service with condition keys, so "${entry.key}" is never present and the condition never matches.`, { severity: 'error' });
          continue;
        }
        const candidates =
          prefix === 'aws'
            ? catalog.globalConditionKeys().map((g) => g.key)
            : [...(catalog.service(prefix)?.conditionKeys.values() ?? [])].map((k) => k.key).filter((k) => !k.includes('${'));
        const suggestion = closestMatch(entry.key, candidates, 3);
        // Certain where the key is a global one (AWS documents them all), a tag key without its tag name, or a near miss of a
        // known key (a typo); a key of a known service with no near miss may be newer than the catalog.
        const certain = prefix === 'aws' || !!suggestion || /^[a-z0-9-]+:(resourcetag|requesttag)$/i.test(entry.key);
        context.report(entry.keySpan, `"${entry.key}" is not a known condition key, so it is never present in requests and this condition ${entry.operator.includes('Not') ? 'always matches' : 'never matches'}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, {
          fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [context.edits.renameKey(entry.keySpan, suggestion)], safe: suggestion.toLowerCase() === entry.lowerKey }] : [],
          ...(certain ? { severity: 'error' as const } : {}),
        });
      }
    }
  },
});
