import { FEDERATED_PROVIDERS } from '../arn';
import type { Fix } from '../types';
import { describeList, documentRule, isAllow } from '../ruleSupport/context';
import { ACTION_OF, actionsFilledIn, assumeActionOf, markedValue, PRINCIPAL_KIND_NAMES, type TrustPrincipal, type TrustPrincipalKind, trustPrincipals } from '../ruleSupport/trust';

/** How each kind of principal comes to assume a role, for messages. */
const HOW: Record<TrustPrincipalKind, string> = {
  aws: 'which calls sts:AssumeRole',
  service: 'which calls sts:AssumeRole',
  saml: 'whose users call sts:AssumeRoleWithSAML',
  oidc: 'whose users call sts:AssumeRoleWithWebIdentity',
};

/** A value under AWS or Service that names an identity provider: it belongs under Federated. */
function looksLikeProvider(principal: TrustPrincipal): boolean {
  if (principal.kind !== 'aws' && principal.kind !== 'service') return false;
  const value = markedValue(principal.item).trim();
  return FEDERATED_PROVIDERS.includes(value) || /:(saml|oidc)-provider\//.test(value);
}

/** "X is a SAML provider, whose users call sts:AssumeRoleWithSAML; Y is ...". */
function whoIsWho(principals: TrustPrincipal[]): string {
  const byKind = new Map<TrustPrincipalKind, string[]>();
  for (const principal of principals) {
    if (!principal.kind) continue;
    const values = byKind.get(principal.kind) ?? [];
    values.push(principal.item.value);
    byKind.set(principal.kind, values);
  }
  return [...byKind].map(([kind, values]) => `${describeList(values)} ${values.length === 1 ? 'is' : 'are each'} ${PRINCIPAL_KIND_NAMES[kind]}, ${HOW[kind]}`).join('; ');
}

export default documentRule({
  meta: {
    id: 'assume-action-mismatch',
    awsChecks: ['MISMATCHED_ACTION_FOR_PRINCIPAL'],
    severity: 'error',
    category: 'grammar',
    summary: 'A trust policy action its principals never call: sts:AssumeRole for an identity provider, sts:AssumeRoleWithSAML for an OIDC provider, ...',
    security: false,
    appliesTo: ['trust-policy'],
  },
  check(context) {
    for (const statement of context.model.statements) {
      const actions = statement.actions;
      if (!actions || actions.negated || actions.items.length === 0 || actionsFilledIn(statement)) continue;
      const principals = trustPrincipals(statement);
      // A principal the value does not tell (a template fills it in) may call any of them.
      if (!principals || principals.length === 0 || principals.some((principal) => !principal.kind)) continue;
      const kinds = new Set(principals.map((principal) => principal.kind!));
      const judged = actions.items.map((item) => ({ item, assume: assumeActionOf(item) }));
      const mismatched = judged.filter((action) => action.assume && !action.assume.callers.some((kind) => kinds.has(kind)));
      const needed = [...new Set([...kinds].map((kind) => ACTION_OF[kind]))];
      const misplaced = principals.filter(looksLikeProvider).map((principal) => principal.item.value);
      const hint = misplaced.length > 0 ? ` If ${describeList(misplaced)} is meant as an identity provider, name it under "Federated".` : '';
      const outcome = isAllow(statement) ? 'lets none of them assume the role' : 'denies none of them';
      for (const { item, assume } of mismatched) {
        const present = needed.filter((name) => actions.items.some((other) => other.value.trim().toLowerCase() === name.toLowerCase()));
        const fixes: Fix[] =
          needed.length === 1 && present.length === 0 && mismatched.length === 1 ? [{ title: `Change to ${needed[0]}`, edits: [context.edits.replaceString(item, needed[0])], safe: false }] : [];
        const instead = present.length === needed.length ? `Remove it (${describeList(present)} is already there).` : `Use ${describeList(needed.filter((name) => !present.includes(name)))}.`;
        context.report(item, `${assume!.name} is never called by this statement's principals: ${whoIsWho(principals)}. So this action ${outcome}. ${instead}${hint}`, { fixes });
      }
      // A principal no action of the statement is for, while other actions are: that principal is left out.
      if (mismatched.length === judged.length) continue;
      for (const principal of principals) {
        const kind = principal.kind!;
        if (!judged.every((action) => action.assume && !action.assume.callers.includes(kind))) continue;
        const action = ACTION_OF[kind];
        const fixes: Fix[] = [{ title: `Add ${action}`, edits: [context.edits.addToList(actions.element.value, actions.items, [action])], safe: false }];
        const hintHere = looksLikeProvider(principal) ? ` If it is meant as an identity provider, name it under "Federated".` : '';
        context.report(principal.item, `No action of this statement is one ${principal.item.value} calls: it is ${PRINCIPAL_KIND_NAMES[kind]}, ${HOW[kind]}, so this statement ${isAllow(statement) ? 'never lets it assume the role' : 'never denies it'}. Add ${action}, or move the principal to a statement with that action.${hintHere}`, { fixes });
      }
    }
  },
});
