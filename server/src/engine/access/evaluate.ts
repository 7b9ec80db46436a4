/**
 * Explaining one request: can this principal call this KMS action on this key? IAM's evaluation
 * for KMS, offline ("Policy evaluation logic", IAM User Guide; "Allowing users in other accounts
 * to use a KMS key", KMS Developer Guide):
 *
 * 1. an explicit Deny in the key policy or in the caller's identity policies decides (denied);
 * 2. the key policy must allow, either the caller itself (its ARN, its role for a session, "*", a
 *    service) or the caller's account through its root, which hands the decision to that
 *    account's IAM policies;
 * 3. a caller of the key's own account then needs the key policy alone when it names the caller,
 *    else an identity policy allowing it; a caller of another account always needs both halves
 *    (the root user of an account, and a service principal, need no identity policy), and only
 *    for the actions that take effect across accounts.
 *
 * Each statement is matched by the evaluator (evaluator.ts) against the request as that policy
 * sees it (request.ts): what the answer depends on is named, never assumed. Pure: the project
 * layer finds the policies and says where they are.
 */
import { parseArn, REGION } from '../arn';
import { type Catalog } from '../catalog';
import { actionsMatching } from '../actions';
import { isAliasAction, MANAGED_KEY_ENDPOINTS, takesEffectAcrossAccounts } from '../kms/actions';
import type { Statement } from '../model';
import { aliasResource, anyResource, identityResource, keyResource } from './resources';
import { matchStatement, type ResourceReading, type StatementMatch } from './evaluator';
import { accessModel, type AccessModel } from './index';
import { isRoleOfSession, structuralAbsence, suppliedContext, type AccessRequest, type Caller } from './request';
import type { ActionAnswer, Decider, Explanation, ExplainRequest, GrantFact, KeyFacts, PolicyInput, Verdict } from './explainTypes';

export { callerOf, isRoleOfSession, sessionRole, type Caller, type OrganizationFacts } from './request';

export type { ActionAnswer, Decider, Explanation, ExplainRequest, GrantFact, KeyFacts, PolicyInput, Verdict } from './explainTypes';

/** The KMS actions an action pattern matches (as the catalog spells them). */
export function kmsActionsMatching(catalog: Catalog, pattern: string): readonly string[] {
  return actionsMatching(catalog, pattern, 'kms');
}

/** Whether the Service Authorization Reference lists the key resource type for the action (ListAliases, CreateKey: none). */
function actsOnKey(catalog: Catalog, action: string): boolean {
  const info = catalog.service('kms')?.actions.get(action.slice(action.indexOf(':') + 1).toLowerCase());
  return !info || info.resourceTypes.includes('key');
}

/** Answers the request. */
export function explain(request: ExplainRequest, catalog: Catalog): Explanation {
  let actions = kmsActionsMatching(catalog, request.action);
  // A pattern (kms:*) asks about the key: the actions that act on no key (ListAliases, CreateKey) are left out unless only they match.
  const onKey = actions.filter((a) => actsOnKey(catalog, a));
  if (onKey.length > 0 && onKey.length < actions.length) actions = onKey;
  if (actions.length === 0) {
    return { verdict: 'denied', actions: [], because: [], grants: [], depends: [], notes: [], summary: `denied: "${request.action}" matches no KMS action` };
  }
  const keyAccess = request.key.policy ? accessModel(request.key.policy.model, catalog, request.key.arn) : undefined;
  const identity = request.identity?.map((policy) => ({ policy, access: accessModel(policy.model, catalog) }));
  const boundary = request.boundary?.map((policy) => ({ policy, access: accessModel(policy.model, catalog) }));
  const answers = actions.map((action) => withinBoundary(answer(action, request, catalog, keyAccess, identity), request, catalog, boundary));
  return combine(request, answers);
}

/**
 * A permissions boundary sets the most a role's or user's identity-based policies can grant
 * (IAM User Guide, "Permissions boundaries for IAM entities"); for a role, a key policy that names
 * the role is limited by it too (the same page, resource-based policies). An answer it does not
 * allow is denied; where it only may, the answer depends on what it depends on.
 */
function withinBoundary(result: ActionAnswer, request: ExplainRequest, catalog: Catalog, boundary: IdentityAccess[] | undefined): ActionAnswer {
  if (!boundary?.length || result.verdict === 'denied') return result;
  const e = actionEvaluation(result.action, request, catalog);
  const half = identityHalfOf(e, boundary);
  if (!half) return result;
  if (half.denies.length) return { action: result.action, verdict: 'denied', because: half.denies, depends: [] };
  if (half.allows.length) return result;
  if (half.maybeAllows.length) {
    for (const m of half.maybeAllows) dependOn(e, m, ' (the permissions boundary)');
    return { ...result, verdict: 'depends', because: unique([...result.because, ...e.because]), depends: [...new Set([...result.depends, ...e.depends])] };
  }
  const names = [...new Set(boundary.map((b) => b.policy.file))].join(', ');
  return { action: result.action, verdict: 'denied', because: [], depends: [], notes: [`the permissions boundary of ${request.caller.principal} (${names}) does not allow ${result.action} on the key: a boundary sets the most its identity-based policies can grant`] };
}

function combine(request: ExplainRequest, answers: ActionAnswer[]): Explanation {
  const allowed = answers.filter((a) => a.verdict === 'allowed');
  const depends = answers.filter((a) => a.verdict === 'depends');
  const denied = answers.filter((a) => a.verdict === 'denied');
  const verdict: Verdict = depends.length > 0 ? 'depends' : allowed.length > 0 ? 'allowed' : 'denied';
  const pick = verdict === 'allowed' ? allowed : verdict === 'depends' ? depends : denied;
  const because = unique(pick.flatMap((a) => a.because));
  const grants = [...new Set(pick.flatMap((a) => a.grants ?? []))];
  const dependsOn = [...new Set(pick.flatMap((a) => a.depends))];
  const notes = verdict === 'denied' ? [...new Set(pick.flatMap((a) => a.notes ?? []))] : [];
  const names = (list: ActionAnswer[]) => (list.length <= 4 ? list.map((a) => a.action).join(', ') : `${list.slice(0, 4).map((a) => a.action).join(', ')} and ${list.length - 4} more`);
  let summary: string;
  const who = request.caller.principal;
  if (answers.length === 1) summary = `${verdict}: ${who} ${verdict === 'allowed' ? 'can' : verdict === 'denied' ? 'cannot' : 'may'} call ${answers[0].action} on ${keyName(request.key)}`;
  else if (verdict === 'allowed' && denied.length === 0) summary = `allowed: ${who} can call all ${answers.length} actions ${request.action} matches on ${keyName(request.key)}`;
  else if (verdict === 'allowed') summary = `allowed: ${who} can call ${names(allowed)} on ${keyName(request.key)} (of the ${answers.length} actions ${request.action} matches; the others are denied)`;
  else if (verdict === 'depends') summary = `depends: ${names(depends)} on ${keyName(request.key)} depend on what is not known here${allowed.length ? `; allowed: ${names(allowed)}` : ''}`;
  else summary = `denied: ${who} cannot call any of the ${answers.length} actions ${request.action} matches on ${keyName(request.key)}`;
  if (dependsOn.length) summary += ` (depends on ${dependsOn.join('; ')})`;
  if (notes.length && answers.length === 1) summary += `: ${notes.join('; ')}`;
  return { verdict, actions: answers, because, grants, depends: dependsOn, notes, summary };
}

function unique(list: Decider[]): Decider[] {
  const seen = new Set<Statement>();
  return list.filter((d) => (seen.has(d.statement) ? false : (seen.add(d.statement), true)));
}

// ---- one action ----

interface IdentityAccess {
  policy: PolicyInput;
  access: AccessModel;
}

interface Maybe {
  decider: Decider;
  on: string[];
}

interface HalfResult {
  /** Allow statements that match for certain (for the key policy: those naming the caller itself). */
  allows: Decider[];
  /** Key policy only: Allow statements that admit the caller's account (its IAM decides). */
  delegates: Decider[];
  denies: Decider[];
  /** Statements whose match depends on unknown facts, with what they depend on. */
  maybeAllows: Maybe[];
  /** Of maybeAllows (key policy): those that would admit the caller itself, not only its account. */
  maybeDirect: Maybe[];
  maybeDenies: Maybe[];
}

function emptyHalf(): HalfResult {
  return { allows: [], delegates: [], denies: [], maybeAllows: [], maybeDirect: [], maybeDenies: [] };
}

/**
 * One action: the policies' answer, then the key's grants (KMS guide, "Grants in AWS KMS": a grant
 * allows its grantee the operations it lists, with no policy needed, and an explicit Deny in a key
 * policy or IAM policy still wins).
 */
function answer(action: string, request: ExplainRequest, catalog: Catalog, keyAccess: AccessModel | undefined, identity: IdentityAccess[] | undefined): ActionAnswer {
  // An action on no key (ListAliases, CreateKey): only IAM policies decide, on "*".
  if (!actsOnKey(catalog, action)) return identityAlone(actionEvaluation(action, request, catalog), identity, anyResource(), `${action} acts on no key: key policies and grants do not control it, only IAM policies with "Resource": "*" do`);
  const seen: HalvesSeen = {};
  const byPolicies = answerByPolicies(action, request, catalog, keyAccess, identity, seen);
  // The alias operations need the action on the alias too, which only an IAM policy can allow (aliases have no policy).
  if (isAliasAction(action) && byPolicies.verdict !== 'denied') {
    const onAlias = identityAlone(actionEvaluation(action, request, catalog), identity, aliasResource(), `${action} needs permission on the alias as well as on the key, and only an IAM policy can give it`);
    if (onAlias.verdict === 'denied') return onAlias;
    if (onAlias.verdict === 'depends') return { ...byPolicies, verdict: 'depends', because: [...byPolicies.because, ...onAlias.because], depends: [...byPolicies.depends, ...onAlias.depends] };
    return { ...byPolicies, because: [...byPolicies.because, ...onAlias.because] };
  }
  if (byPolicies.verdict === 'allowed' || !request.key.grants?.length) return byPolicies;
  // A Deny that certainly applies wins over any grant.
  if (seen.keyHalf?.denies.length || seen.idHalf?.denies.length) return byPolicies;
  const { caller, key } = request;
  const name = action.slice(action.indexOf(':') + 1);
  // Grant constraints apply only to operations that take an encryption context, not to DescribeKey
  // or RetireGrant (KMS API, GrantConstraints); on CreateGrant they bind the grant made, which stays a depends.
  const takesContext = name !== 'RetireGrant' && !structuralAbsence('kms:encryptioncontextkeys', 'key-policy', [action], catalog);
  let unmet = 0; // grants to the caller whose encryption-context constraint the context given does not meet
  const matching = key.grants!
    .map((g): GrantFact | undefined => {
      // RetireGrant: "can be called by the retiring principal for a grant" (KMS API, RetireGrant), whatever the grant allows.
      if (name === 'RetireGrant' && g.retiring && (!g.retiring.known || granteeIs(g.retiring.principal, caller))) {
        return { ...g, grantee: g.retiring.principal, granteeKnown: g.retiring.known, operations: [name], operationsKnown: true, constrained: false };
      }
      if ((g.operationsKnown && !g.operations.includes(name)) || (g.granteeKnown && !granteeIs(g.grantee, caller))) return undefined;
      if (!g.constrained || !takesContext) return { ...g, constrained: false };
      const met = name === 'CreateGrant' ? undefined : constraintMet(g, request.context);
      if (met === false) unmet++;
      return met === false ? undefined : met === true ? { ...g, constrained: false } : g;
    })
    .filter((g): g is GrantFact => g !== undefined);
  if (matching.length === 0) {
    if (unmet === 0 || byPolicies.verdict !== 'denied') return byPolicies;
    return { ...byPolicies, notes: [...(byPolicies.notes ?? []), `${unmet === 1 ? 'a grant allows it' : `${unmet} grants allow it`} only with an encryption context that the one given (--context) does not meet`] };
  }
  // What may still stop a grant: a Deny under a condition, a key policy not at hand (a Deny there would win).
  const maybeDenies = [...(seen.keyHalf?.maybeDenies ?? []), ...(seen.idHalf?.maybeDenies ?? [])];
  const on = maybeDenies.flatMap((m) => m.on.map((fact) => `${fact} (a Deny)`));
  if (seen.keyPolicyMissing) on.push(`the key policy of ${keyName(key)}, which is not in this workspace (an explicit Deny there would override the grant)`);
  const certain = matching.find((g) => g.granteeKnown && g.operationsKnown && !g.constrained);
  const because = maybeDenies.map((m) => m.decider);
  if (certain && on.length === 0) return { action, verdict: 'allowed', because: [], depends: [], grants: [certain] };
  if (!certain) {
    for (const g of matching) {
      if (!g.granteeKnown) on.push(`whether the grantee ${g.grantee} is ${caller.principal}`);
      if (!g.operationsKnown) on.push(`the operations of a grant the template fills in (whether they include ${name})`);
      if (g.constrained) on.push(`the encryption context of the request, which the grant's constraint must match (pass --context kms:EncryptionContext:<key>=<value>)`);
    }
  }
  return { action, verdict: 'depends', because, depends: [...new Set(on)], grants: certain ? [certain] : matching, notes: byPolicies.notes };
}

/**
 * Whether the request's encryption context (the `kms:EncryptionContext:<key>` pairs given, the
 * whole context) meets a grant's constraint: `EncryptionContextEquals` the same pairs,
 * `EncryptionContextSubset` at least its pairs (KMS API, GrantConstraints). Undefined when the
 * constraint's pairs or the request's context are not known.
 */
function constraintMet(grant: GrantFact, context: Record<string, string>): boolean | undefined {
  const pairs = Object.entries(context).filter(([key]) => /^kms:encryptioncontext:./i.test(key)).map(([key, value]) => [key.slice('kms:EncryptionContext:'.length), value] as const);
  if (!grant.constraint || pairs.length === 0) return undefined;
  // "In a grant constraint, the key in each key-value pair is not case sensitive, but the value is case sensitive."
  const request = new Map(pairs.map(([key, value]) => [key.toLowerCase(), value]));
  const { equals, subset } = grant.constraint;
  const includes = (wanted: Record<string, string>) => Object.entries(wanted).every(([key, value]) => request.get(key.toLowerCase()) === value);
  if (equals && !(includes(equals) && request.size === Object.keys(equals).length)) return false;
  if (subset && !includes(subset)) return false;
  return true;
}

/** What the policies' answer saw of each half, for the grants after it. */
interface HalvesSeen {
  keyHalf?: HalfResult;
  idHalf?: HalfResult;
  keyPolicyMissing?: boolean;
}

/**
 * Whether a grant's grantee is the caller: its ARN, or, for an assumed-role session, its role
 * (a session ARN names the role without its path: the account and the role name decide).
 */
function granteeIs(grantee: string, caller: Caller): boolean {
  return grantee === caller.principal || (caller.kind === 'session' && isRoleOfSession(grantee, caller.principal));
}

/** What one action's evaluation works from, and what it gathers: the statements that decide, and the facts it depends on. */
interface ActionEvaluation {
  action: string;
  request: ExplainRequest;
  catalog: Catalog;
  owner: string | undefined;
  crossAccount: boolean;
  supplied: Map<string, string[]>;
  needsIdentity: boolean;
  requestFor(policy: AccessRequest['policy']): AccessRequest;
  because: Decider[];
  depends: string[];
}

type KeyRoute = 'direct' | 'delegated' | 'maybe';

function answerByPolicies(action: string, request: ExplainRequest, catalog: Catalog, keyAccess: AccessModel | undefined, identity: IdentityAccess[] | undefined, seen: HalvesSeen = {}): ActionAnswer {
  const e = actionEvaluation(action, request, catalog);
  const keyHalf = keyHalfOf(e, keyAccess, seen);
  if ('verdict' in keyHalf) return keyHalf;
  const idHalf = identityHalfOf(e, identity);
  seen.idHalf = idHalf;
  // 1. An explicit Deny.
  const denies = [...(keyHalf.half?.denies ?? []), ...(idHalf?.denies ?? [])];
  if (denies.length) return { action, verdict: 'denied', because: denies, depends: [] };
  // 2. The key policy.
  const route = keyPolicyRoute(e, keyHalf.half);
  if (typeof route !== 'string') return route;
  for (const m of keyHalf.half?.maybeDenies ?? []) dependOn(e, m, ' (a Deny)');
  if (route === 'direct') ownerUnknownDepends(e, idHalf);
  // 3. The identity half, when the key policy leaves it to the account's IAM or the caller is of another account.
  // With no statement for the key's own account, its IAM policies decide nothing (same account): only the key policy's own statements count.
  const identityCounts = e.crossAccount || route === 'delegated' || (route === 'maybe' && !keyHalf.half?.noRoot);
  if (e.needsIdentity && identityCounts) {
    const denied = identityDecision(e, route, keyHalf.half, idHalf, identity);
    if (denied) return denied;
  }
  const verdict: Verdict = e.depends.length ? 'depends' : 'allowed';
  return { action, verdict, because: unique(e.because), depends: [...new Set(e.depends)] };
}

function actionEvaluation(action: string, request: ExplainRequest, catalog: Catalog): ActionEvaluation {
  const { caller, key } = request;
  const owner = keyAccount(key);
  const supplied = suppliedContext(request.context);
  // What the key's template says of it (KeySpec, MultiRegion...): what the question gives wins.
  for (const [name, value] of Object.entries(key.properties ?? {})) if (!supplied.has(name)) supplied.set(name, [value]);
  const keyArn = parseArn(key.arn);
  const keyPlace = { 'owner-account': owner, region: keyArn && REGION.test(keyArn.region) ? keyArn.region : undefined, partition: keyArn?.partition };
  return {
    action,
    request,
    catalog,
    owner,
    crossAccount: caller.kind !== 'service' && !!caller.account && !!owner && caller.account !== owner,
    supplied,
    // Only callers that have identity policies.
    needsIdentity: caller.kind !== 'service' && caller.kind !== 'root',
    requestFor: (policy) => ({
      caller,
      action,
      keyArn: key.arn,
      keyAliases: key.aliasesDeclared ? key.aliases : undefined,
      knownAliases: key.aliasesDeclared ? undefined : key.knownAliases,
      policy,
      supplied,
      organization: request.organization,
      // The key policy lives where the key does; an identity policy in the caller's account.
      where: policy === 'key-policy' ? keyPlace : { 'owner-account': caller.account, partition: keyPlace.partition },
    }),
    because: [],
    depends: [],
  };
}

/**
 * A key policy that allows the caller itself, on a key whose account only deployment tells (a
 * template's or module's): in the key's account that is enough, from another account the
 * caller's identity policies must allow too, and only some actions work across accounts.
 */
function ownerUnknownDepends(e: ActionEvaluation, idHalf: HalfResult | undefined): void {
  const { caller, key } = e.request;
  if (e.owner || !e.needsIdentity || !caller.account) return;
  const across = takesEffectAcrossAccounts(e.action);
  if (across && idHalf?.allows.length && !idHalf.maybeDenies.length) return; // allowed from either side
  const otherwise = across ? `an identity policy of ${caller.principal} must allow ${e.action} on the key too` : `${e.action} has no effect across accounts`;
  e.depends.push(`the key's account, which ${keyName(key)} leaves to deployment: if it is not ${caller.account}, ${otherwise} (give the key's ARN in keyshare.json "keys" to decide)`);
}

/** A statement that matches only if facts hold: it decides, and the answer depends on them. */
function dependOn(e: ActionEvaluation, maybe: Maybe, suffix = ''): void {
  e.because.push(maybe.decider);
  e.depends.push(...maybe.on.map((on) => on + suffix));
}

/** The key policy half, or an answer already when the key is an AWS managed key used from outside its account. */
function keyHalfOf(e: ActionEvaluation, keyAccess: AccessModel | undefined, seen: HalvesSeen): { half?: HalfResult & { noRoot?: boolean } } | ActionAnswer {
  const { key, caller } = e.request;
  let half: (HalfResult & { noRoot?: boolean }) | undefined;
  if (keyAccess && key.policy) {
    half = evaluateHalf('key', key.policy, keyAccess, e.requestFor('key-policy'), e.catalog, keyResource(), e.owner);
  } else if (key.managed === 'aws') {
    // An AWS managed key's policy: principals of its own account, through an AWS service (kms:ViaService), for use actions.
    if (e.crossAccount || caller.kind === 'service') return { action: e.action, verdict: 'denied', because: [], depends: [], notes: [`an AWS managed key (${keyName(key)}) can be used only by principals of its own account`] };
    const through = managedKeyService(e);
    if (through.denied) return { action: e.action, verdict: 'denied', because: [], depends: [], notes: [through.denied] };
    if (through.depends) e.depends.push(through.depends);
  } else if (!key.defaultPolicy) {
    e.depends.push(`the key policy of ${keyName(key)}, which is not in this workspace`);
    seen.keyPolicyMissing = true;
  }
  seen.keyHalf = half;
  return { half };
}

/**
 * The service an AWS managed key serves, from its alias (`alias/aws/s3`), against the request's
 * kms:ViaService: "All AWS managed keys use a kms:ViaService condition key in their key policy
 * document. This condition allows the KMS key to be used only for requests that come from the
 * service that created the KMS key" (KMS guide, kms:ViaService), in the key's own Region.
 */
function managedKeyService(e: ActionEvaluation): { denied?: string; depends?: string } {
  const { key } = e.request;
  const via = e.supplied.get('kms:viaservice');
  const alias = key.aliases.find((a) => a.startsWith('alias/aws/'));
  const service = alias ? MANAGED_KEY_ENDPOINTS[alias.slice('alias/aws/'.length)] : undefined;
  if (!via?.length) return { depends: `kms:ViaService: an AWS managed key is used only through the AWS service that created it (pass --context kms:ViaService=${service ?? '<service>'}.<region>.amazonaws.com)` };
  if (!service) return { depends: `which AWS service created ${keyName(key)}: only requests through it may use the key (declare the key's alias, alias/aws/<service>, in keyshare.json)` };
  const region = parseArn(key.arn)?.region;
  const expected = region && REGION.test(region) ? `${service}.${region}.amazonaws.com` : undefined;
  const [endpoint] = via;
  if (expected ? endpoint === expected : endpoint.startsWith(`${service}.`)) return {};
  return { denied: `an AWS managed key (${keyName(key)}) is used only through the service that created it, ${expected ?? `${service}.<region>.amazonaws.com`}, not ${endpoint}` };
}

/** The answer of the caller's identity policies alone, for a resource other than the key: `why` says why nothing else counts. */
function identityAlone(e: ActionEvaluation, identity: IdentityAccess[] | undefined, resource: ResourceReading, why: string): ActionAnswer {
  const { caller } = e.request;
  if (!e.needsIdentity) return { action: e.action, verdict: 'depends', because: [], depends: [`the identity policies that apply to ${caller.principal} (${why})`] };
  const half = identityHalfOf(e, identity, () => resource);
  if (!identity || !half) return { action: e.action, verdict: 'depends', because: [], depends: [`the identity policies of ${caller.principal} (${why})`] };
  if (half.denies.length) return { action: e.action, verdict: 'denied', because: half.denies, depends: [] };
  for (const m of half.maybeDenies) dependOn(e, m, ' (a Deny)');
  if (half.allows.length) e.because.push(...half.allows);
  else if (half.maybeAllows.length) for (const m of half.maybeAllows) dependOn(e, m);
  else return { action: e.action, verdict: 'denied', because: [], depends: [], notes: [`no identity policy of ${caller.principal}${identity.length ? '' : ' (none given)'} allows it: ${why}`] };
  return { action: e.action, verdict: e.depends.length ? 'depends' : 'allowed', because: unique(e.because), depends: [...new Set(e.depends)] };
}

/** The caller's identity policies, evaluated together on the key (or `resourceOf` each); undefined when the caller has none or none were given. */
function identityHalfOf(e: ActionEvaluation, identity: IdentityAccess[] | undefined, resourceOf = (policy: PolicyInput) => identityResource(e.request.key, policy, e.request.caller.account)): HalfResult | undefined {
  if (!e.needsIdentity || !identity) return undefined;
  const half = emptyHalf();
  const request = e.requestFor('identity-policy');
  for (const { policy, access } of identity) {
    const one = evaluateHalf('identity', policy, access, request, e.catalog, resourceOf(policy), e.request.caller.account);
    half.allows.push(...one.allows);
    half.denies.push(...one.denies);
    half.maybeAllows.push(...one.maybeAllows);
    half.maybeDenies.push(...one.maybeDenies);
  }
  return half;
}

/** How the key policy lets the caller in (itself, through its account's IAM, or only if facts hold), or the denial when it does not. */
function keyPolicyRoute(e: ActionEvaluation, keyHalf: (HalfResult & { noRoot?: boolean }) | undefined): KeyRoute | ActionAnswer {
  const { action, owner, crossAccount } = e;
  const { caller, key } = e.request;
  if (crossAccount && !takesEffectAcrossAccounts(action)) {
    return { action, verdict: 'denied', because: [], depends: [], notes: [`${action} has no effect across accounts: only principals of account ${owner} can call it`] };
  }
  if (!keyHalf) {
    // No key policy at hand: a default key policy (or an AWS managed key's) hands the decision to the account's IAM.
    if (key.defaultPolicy && crossAccount) {
      return { action, verdict: 'denied', because: [], depends: [], notes: [`${keyName(key)} has the default key policy, which allows only account ${owner}: another account's principals need a statement that names them`] };
    }
    // The default key policy names the account alone; a service principal has no IAM policy of that account (KMS guide, "Default key policy").
    if (key.defaultPolicy && caller.kind === 'service') {
      return { action, verdict: 'denied', because: [], depends: [], notes: [`${keyName(key)} has the default key policy, which allows only the principals of its account through their IAM policies: a service principal needs a statement that names it`] };
    }
    return key.managed === 'aws' || key.defaultPolicy ? 'delegated' : 'maybe';
  }
  if (keyHalf.allows.length) {
    // Across accounts the grants to the caller's account decide as much as those to the caller.
    e.because.push(...keyHalf.allows, ...(crossAccount ? keyHalf.delegates : []));
    return 'direct';
  }
  if (keyHalf.delegates.length) {
    e.because.push(...keyHalf.delegates);
    return 'delegated';
  }
  if (keyHalf.maybeAllows.length) {
    for (const m of keyHalf.maybeAllows) dependOn(e, m);
    return 'maybe';
  }
  const note = keyHalf.noRoot && e.needsIdentity
    ? `no statement of the key policy (${key.policy!.shown ?? key.policy!.file}) allows ${action} to ${caller.principal}, and it has no statement for ${owner ? `account ${owner}` : "the key's own account"} itself, so no IAM policy can allow it`
    : `no statement of the key policy (${key.policy!.shown ?? key.policy!.file}) allows ${action} to ${caller.principal}`;
  return { action, verdict: 'denied', because: [], depends: [], notes: [note] };
}

/** The identity half's say, where it decides: undefined when it allows (or may), the denial when it does not. */
function identityDecision(e: ActionEvaluation, route: KeyRoute, keyHalf: HalfResult | undefined, idHalf: HalfResult | undefined, identity: IdentityAccess[] | undefined): ActionAnswer | undefined {
  const { caller } = e.request;
  if (!idHalf) {
    e.depends.push(`the identity policies of ${caller.principal}`);
    // A key-policy statement that names the caller itself under conditions may allow it without them.
    if (!e.crossAccount) for (const m of keyHalf?.maybeDirect ?? []) dependOn(e, m);
    return undefined;
  }
  for (const m of idHalf.maybeDenies) dependOn(e, m, ' (a Deny)');
  if (idHalf.allows.length) e.because.push(...idHalf.allows);
  else if (idHalf.maybeAllows.length) for (const m of idHalf.maybeAllows) dependOn(e, m);
  else if (route !== 'direct' || e.crossAccount) {
    // A key-policy statement that names the caller itself under conditions may still allow it alone.
    if (!e.crossAccount && keyHalf?.maybeDirect.length) for (const m of keyHalf.maybeDirect) dependOn(e, m);
    else {
      const keyDeciders = keyHalf?.allows.length || keyHalf?.delegates.length ? e.because.filter((d) => d.half === 'key') : [];
      return { action: e.action, verdict: 'denied', because: keyDeciders, depends: [], notes: [`no identity policy of ${caller.principal}${identity!.length ? '' : ' (none given)'} allows ${e.action} on this key`] };
    }
  }
  return undefined;
}

function keyAccount(key: KeyFacts): string | undefined {
  const account = parseArn(key.arn)?.account;
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function evaluateHalf(half: 'key' | 'identity', policy: PolicyInput, access: AccessModel, request: AccessRequest, catalog: Catalog, resource: ResourceReading, owner: string | undefined): HalfResult & { noRoot?: boolean } {
  const result: HalfResult & { noRoot?: boolean } = emptyHalf();
  for (const statement of access.statements) {
    const match: StatementMatch = matchStatement(statement, request, catalog, resource, owner);
    if (match.result === 'no') continue;
    const decider: Decider = { policy, statement: statement.statement, effect: statement.effect!, half };
    if (match.result === 'depends') {
      const maybe = { decider, on: match.on };
      if (statement.effect === 'Deny') result.maybeDenies.push(maybe);
      else {
        result.maybeAllows.push(maybe);
        if (!match.viaAccount) result.maybeDirect.push(maybe);
      }
    } else if (statement.effect === 'Deny') result.denies.push(decider);
    else (match.viaAccount ? result.delegates : result.allows).push(decider);
  }
  // The template's own account (`${AWS::AccountId}:root`) is the key's, known or not.
  if (half === 'key') result.noRoot = !access.statements.some((s) => s.effect === 'Allow' && s.principals.some((p) => p.constraint.kind === 'account' && (p.constraint.own || p.constraint.account === owner)));
  return result;
}

/** The key as people name it: its label (`stack.yaml#DataKey`) where its ARN is only a pattern. */
export function keyName(key: KeyFacts): string {
  return key.label ?? key.arn;
}
