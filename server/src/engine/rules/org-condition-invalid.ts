import { documentRule } from '../ruleSupport/context';

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
/** What a * in an organization-ID pattern may stand for, to see whether any real ID fits it. */
const FILLERS = ['', 'a1b2c3d4e5', 'o-a1b2c3d4e5'];
const ORG_PATH = /^o-[a-z0-9]{10,32}\/(r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*\/?)?\*?$/;

export default documentRule({
  meta: { id: 'org-condition-invalid', severity: 'error', category: 'kms', summary: 'A malformed organization ID or organization path.', security: true, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const key = entry.lowerKey;
        const isId = ['aws:principalorgid', 'aws:resourceorgid', 'aws:sourceorgid'].includes(key);
        const isPath = ['aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:sourceorgpaths'].includes(key);
        if (!isId && !isPath) continue;
        // Null and Bool test presence or truth: "true"/"false" there are no organization IDs.
        const op = entry.parsed;
        if (!op || (op.family !== 'String' && op.family !== 'Arn')) continue;
        const like = op.wildcards;
        for (const value of entry.values) {
          if (typeof value.value !== 'string' || value.value.includes('${')) continue;
          const text = value.value;
          if (isId) {
            // A pattern is fine when some organization ID fits it ("o-*" fits them all: wildcard-principal says what that admits).
            if (like && /[*?]/.test(text) ? !FILLERS.some((f) => ORG_ID.test(text.replace(/\*/g, f).replace(/\?/g, 'a'))) : !ORG_ID.test(text)) {
              const negated = op.negated;
              const effect = negated
                ? 'With this value the condition is true for every caller: it excludes nobody.'
                : 'With this value the condition never matches any organization, so this statement never applies.';
              context.report(value, `"${text}" is not an organization ID: they look like o- followed by 10 to 32 lowercase letters or digits (o-a1b2c3d4e5). ${effect}`);
            }
          } else {
            const bare = like ? text.replace(/\*$/, '*').replace(/(?<!\/)[*?]/g, 'a') : text;
            if (!ORG_PATH.test(bare)) {
              context.report(value, `"${text}" is not an organization path: they look like o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (OUs come from the organization tree, not from account ID ranges).`);
            }
          }
        }
      }
    }
  },
});
