import { accessOf, describeConstraint, outsiders, type Constraint, type StatementAccess } from '../access';
import { hasTemplatePlaceholder } from '../arn';
import type { StringItem } from '../model';
import type { Fix, Span } from '../types';
import { describeList, documentRule } from '../ruleSupport/context';
import { itemsCovering } from '../actions';
import { MANAGEMENT_ACTIONS, USAGE_ACTIONS } from '../kms/actions';

const short = (actions: readonly string[]) => actions.map((a) => a.slice(4));

/** What the statement does carry across accounts, in words. */
function carried(statement: StatementAccess): string {
  const across = statement.actions.acrossAccounts;
  if (across.length === 0) return 'Nothing else here takes effect across accounts either.';
  const grant = statement.createGrant;
  const handsOn =
    grant && across.includes('kms:CreateGrant') && grant.verdict === 'unrestricted'
      ? ' Above all kms:CreateGrant with no condition limiting the grantee: they can hand the key on to anyone.'
      : '';
  return `What does take effect across accounts: ${describeList(short(across), 6)}.${handsOn}`;
}

export default documentRule({
  meta: { id: 'cross-account-admin', severity: 'warning', category: 'kms', summary: 'Management rights on a key for principals outside its account: KMS ignores them, and the broad grant carries what it does not ignore.', security: true, appliesTo: ['key-policy'] },
  check(context) {
    const access = accessOf(context);
    const owner = access.ownerAccount;
    const ownerByLockout = ownerByLockoutCheck(access.statements, owner);
    for (const statement of access.statements) {
      if (statement.effect !== 'Allow' || statement.resources.appliesToKey === 'no') continue;
      // An unrestricted "*" is wildcard-principal's finding; here: other accounts, organizations.
      if (statement.audience.admits !== 'restricted') continue;
      const certain = outsiders(statement.audience).filter((p) => p.reach === 'outside' || ['org', 'org-path'].includes(p.constraint.kind));
      // An account the template fills in (a parameter, a variable) may be another account: said as "if".
      // So may an owner the template fills in (`${ACCOUNT_ID}`), beside an account written out.
      const unknown = certain.length ? [] : outsiders(statement.audience).filter((p) => p.reach === 'maybe' && ![undefined, ownerByLockout].includes(undecidedAccount(p.constraint, owner)));
      const outside = certain.length ? certain : unknown;
      if (outside.length === 0) continue;
      const management = MANAGEMENT_ACTIONS.filter((a) => statement.actions.ownerOnly.includes(a));
      if (management.length === 0) continue;
      const actions = statement.statement.actions!;
      const spans: Span[] = actions.negated
        ? [actions.element.keySpan]
        : [...new Set(management.flatMap((a) => itemsCovering(statement.statement, a)))].sort((a, b) => a.start - b.start);
      const allOutside = outside.length === statement.audience.to.length;
      const fixes: Fix[] = allOutside && !actions.negated
        ? [{ title: 'Reduce to the standard key usage actions', edits: [context.edits.replaceValue(actions.element.value, USAGE_ACTIONS)], safe: false }]
        : [];
      const who = describeList([...new Set(outside.map((p) => describeConstraint(p.constraint)))], 2);
      const home = owner ? ` ${owner}` : '';
      const intro = certain.length
        ? `This grants ${who}, outside the key's owner account${home}, management permissions`
        : `If ${describeList([...new Set(unknown.map((p) => undecidedAccount(p.constraint, owner)!))], 2)} is not the key's owner account${home}, this grants another account management permissions`;
      const message =
        `${intro} (${describeList(short(management), 4)}) that KMS ignores across accounts: ` +
        `their calls to change the key policy, disable or delete the key fail. ${carried(statement)} Share only the operations they need, keep management home.`;
      const related = outside.filter((p): p is typeof p & { item: StringItem } => !!p.item).map((p) => ({ start: p.item.start, end: p.item.end, message: certain.length ? 'principal outside the owner account' : 'principal whose account the template fills in' }));
      // One finding per statement, on its first management action; the others are related places.
      const [first, ...others] = spans;
      const otherActions = others.map((span) => ({ start: span.start, end: span.end, message: 'management action outside the owner account' }));
      // An account written out beside an owner only deployment tells is as likely the owner itself (a module's, a stack's own admins): advice.
      const ownerOnlyUnknown = !certain.length && unknown.every((p) => !hasTemplatePlaceholder(undecidedAccount(p.constraint, owner)!));
      context.report(first, message, { fixes, related: [...otherActions, ...related], ...(ownerOnlyUnknown ? { severity: 'info' as const } : {}) });
    }
  },
});

/**
 * The account of a principal when whether it is the owner's is up to the template: the template
 * fills it in (`${TrustedAccountId}`), or it is written out and the template fills in the owner.
 */
function undecidedAccount(c: Constraint, owner: string | undefined): string | undefined {
  const account = c.kind === 'account' || c.kind === 'principal' ? c.account : undefined;
  if (!account || /[*?]/.test(account)) return undefined;
  return hasTemplatePlaceholder(account) || (owner !== undefined && hasTemplatePlaceholder(owner)) ? account : undefined;
}

/**
 * The account the template fills in that must be the owner's: every principal the policy lets call
 * kms:PutKeyPolicy is of that one account. KMS refuses a key policy that would not let the
 * principal setting it call PutKeyPolicy again (the lockout safety check of CreateKey and
 * PutKeyPolicy), and that principal is of the key's own account. Undefined when someone provably
 * of the owner holds PutKeyPolicy, or anyone, or two such accounts do.
 */
function ownerByLockoutCheck(statements: readonly StatementAccess[], owner: string | undefined): string | undefined {
  let account: string | undefined;
  for (const statement of statements) {
    if (statement.effect !== 'Allow' || statement.resources.appliesToKey === 'no' || !statement.actions.ownerOnly.includes('kms:PutKeyPolicy')) continue;
    if (statement.audience.admits !== 'restricted') return undefined;
    for (const principal of statement.audience.to) {
      if (principal.reach === 'service') continue;
      const undecided = principal.reach === 'maybe' ? undecidedAccount(principal.constraint, owner) : undefined;
      if (!undecided || (account !== undefined && undecided !== account)) return undefined;
      account = undecided;
    }
  }
  return account;
}
