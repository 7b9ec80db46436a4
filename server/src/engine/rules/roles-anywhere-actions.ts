import { statementCovers } from '../actions';
import type { StringItem } from '../model';
import type { Fix } from '../types';
import { documentRule, isAllow } from '../ruleSupport/context';
import { actionsFilledIn, markedValue } from '../ruleSupport/trust';

const ROLES_ANYWHERE = 'rolesanywhere.amazonaws.com';
/** What the trust policy must allow the IAM Roles Anywhere service principal (Roles Anywhere User Guide, "Trust model", #role-trusts). */
const REQUIRED = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

export default documentRule({
  meta: {
    id: 'roles-anywhere-actions',
    awsChecks: ['MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY'],
    severity: 'error',
    category: 'grammar',
    summary: 'A trust policy for IAM Roles Anywhere that does not allow it sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity.',
    security: false,
    appliesTo: ['trust-policy'],
    wholePolicy: true,
  },
  check(context) {
    // Every Allow statement naming the service, and what they allow it together.
    let first: { item: StringItem; statement: (typeof context.model.statements)[number] } | undefined;
    const allowed = new Set<string>();
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.actions) continue;
      const principals = statement.principals;
      if (!principals || principals.negated || principals.wildcard) continue;
      const item = principals.entries.filter((entry) => entry.type === 'Service').flatMap((entry) => entry.items).find((candidate) => markedValue(candidate).trim().toLowerCase() === ROLES_ANYWHERE);
      if (!item) continue;
      // Actions a template fills in may be any of them: nothing to judge.
      if (actionsFilledIn(statement)) return;
      first ??= { item, statement };
      for (const action of REQUIRED) if (statementCovers(statement, action)) allowed.add(action);
    }
    if (!first) return;
    const missing = REQUIRED.filter((action) => !allowed.has(action));
    if (missing.length === 0) return;
    const actions = first.statement.actions!;
    const fixes: Fix[] = actions.negated ? [] : [{ title: `Add ${missing.join(', ')}`, edits: [context.edits.addToList(actions.element.value, actions.items, missing)], safe: false }];
    context.report(
      first.item,
      `IAM Roles Anywhere assumes a role with sts:AssumeRole, sets the session's source identity (sts:SetSourceIdentity) and tags it (sts:TagSession): the trust policy must allow it all three. This one does not allow ${missing.join(' or ')}, so Roles Anywhere cannot issue credentials for this role. Add ${missing.length === 1 ? 'it' : 'them'} to the statement's actions.`,
      { fixes },
    );
  },
});
