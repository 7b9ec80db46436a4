import { isWhollyUnknown } from '../tree';
import { checkAwsPrincipal, checkCanonicalUser, checkFederatedPrincipal, checkServicePrincipal } from '../arn';
import { closestMatch } from '../text';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { renameFix } from '../ruleSupport/grammar';

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

export default documentRule({
  meta: { id: 'principal-invalid', awsChecks: ['INVALID_PRINCIPAL_FORMAT', 'INVALID_PRINCIPAL_KEY', 'INVALID_SERVICE_PRINCIPAL_FORMAT', 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', 'INVALID_ROLE_REFERENCE', 'INVALID_USER_REFERENCE', 'VARIABLE_UNSUPPORTED_IN_ELEMENT', 'INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY'], severity: 'error', category: 'grammar', summary: 'A malformed principal: placeholder, whitespace, wrong ARN.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      const principals = statement.principals;
      if (!principals) continue;
      for (const entry of principals.entries) {
        if (isWhollyUnknown(entry.typeNode)) continue; // the template fills the type in: nothing to judge
        if (!PRINCIPAL_TYPES.includes(entry.type)) {
          const suggestion = closestMatch(entry.type, PRINCIPAL_TYPES, 2);
          context.report(entry.typeSpan, `"${entry.type}" is not a principal type; use one of ${PRINCIPAL_TYPES.join(', ')}.`, {
            fixes: suggestion ? [renameFix(context, entry.typeSpan, entry.type, suggestion)] : [],
          });
          continue;
        }
        const checker = entry.type === 'AWS' ? checkAwsPrincipal : entry.type === 'Service' ? checkServicePrincipal : entry.type === 'Federated' ? checkFederatedPrincipal : checkCanonicalUser;
        for (const item of entry.items) {
          const result = checker(item.value);
          if (result.ok) continue;
          const fixes: Fix[] = result.fix ? [{ title: `Change to "${result.fix}"`, edits: [context.edits.replaceString(item, result.fix)], safe: true }] : [];
          if (result.uniqueId) {
            // Access Analyzer's "Invalid role reference" / "Invalid user reference" are warnings: AWS itself writes these IDs in place of a deleted role or user.
            context.report(item, `Principal "${item.value}" ${result.reason}. Name the role or user by its ARN (if it was re-created, by its new ARN), or remove it.`, { severity: 'warning', fixes });
            continue;
          }
          context.report(item, `Principal "${item.value}" ${result.reason}. AWS rejects a policy with an invalid principal.`, { fixes });
        }
      }
    }
  },
});
