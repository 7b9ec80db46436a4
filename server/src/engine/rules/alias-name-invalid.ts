import { ALIAS_MAX_LENGTH, ALIAS_NAME } from '../arn';
import type { StringItem } from '../model';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { aliasArnItems, aliasValueItems } from '../ruleSupport/kms';

export default documentRule({
  meta: { id: 'alias-name-invalid', severity: 'error', category: 'kms', summary: 'An alias name that KMS would never accept or match.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      const check = (item: StringItem, name: string, wildcardsAllowed: boolean, where: string) => {
        if (name.includes('${')) return;
        const bare = wildcardsAllowed ? name.replace(/[*?]/g, 'x') : name;
        if (!bare.startsWith('alias/')) {
          const fixed = `alias/${name}`;
          const fixes: Fix[] = where === 'condition' && ALIAS_NAME.test(fixed.replace(/[*?]/g, 'x'))
            ? [{ title: `Change to "${fixed}"`, edits: [context.edits.replaceString(item, fixed)], safe: true }]
            : [];
          context.report(item, `Alias names start with "alias/" (e.g. alias/${name}); "${name}" never matches any alias.`, { fixes });
        } else if (name.length > ALIAS_MAX_LENGTH) {
          context.report(item, `Alias names are at most ${ALIAS_MAX_LENGTH} characters; this one has ${name.length}.`);
        } else if (!ALIAS_NAME.test(bare)) {
          context.report(item, `"${name}" is not a valid alias name: after "alias/" only letters, digits, "/", "_" and "-" are allowed${wildcardsAllowed ? ' (and * ? as wildcards)' : ''}.`);
        }
      };
      for (const { item, arn } of aliasArnItems(statement)) check(item, arn.resource, true, 'resource');
      for (const { item, operator } of aliasValueItems(statement)) check(item, item.value, operator.includes('Like'), 'condition');
    }
  },
});
