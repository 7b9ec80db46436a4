/**
 * Explaining one request: can this principal call this KMS action on this key? IAM's evaluation
 * for KMS, offline, on the access model:
 *
 * 1. an explicit Deny in the key policy or in the caller's identity policies decides (denied);
 * 2. the key policy must allow, either the caller itself (its ARN, "*", a service) or the
 *    caller's account through its root statement, which hands the decision to that account's IAM;
 * 3. a caller of the key's own account then needs the key policy alone when it names the caller,
 *    else an identity policy allowing it; a caller of another account always needs both halves
 *    (the root user of an account, and a service principal, need no identity policy).
 *
 * Conditions are evaluated against the request facts given and those the request itself implies
 * (aws:PrincipalArn, aws:PrincipalAccount, kms:CallerAccount, the organization from keyshare.json);
 * a condition on a fact that is not known leaves the answer depending on it. Pure: the project
 * layer finds the policies and says where they are.
 */
import { parseArn } from '../arn';
import { wildcardToRegExp, type Catalog } from '../catalog';
import { actionsMatching } from '../actions';
import { takesEffectAcrossAccounts } from '../kms/actions';
import type { ConditionEntry, PolicyModel, Statement } from '../model';
import { accessModel, type StatementAccess } from './index';
import { readOperator, type Constraint } from './conditions';

export type Verdict = 'allowed' | 'denied' | 'depends';

/** The caller as the request names it. */
export interface Caller {
  /** A role, user or account root ARN, or a service principal (`logs.amazonaws.com`). */
  principal: string;
  account?: string;
  kind: 'root' | 'role' | 'user' | 'session' | 'service' | 'other';
}

export function callerOf(principal: string): Caller {
  const value = principal.trim();
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value)) return { principal: value, kind: 'service' };
  if (/^\d{12}$/.test(value)) return { principal: `arn:aws:iam::${value}:root`, account: value, kind: 'root' };
  const arn = parseArn(value);
  const account = arn?.account && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
  if (!arn) return { principal: value, kind: 'other' };
  const resource = value.split(':').slice(5).join(':');
  if (arn.service === 'iam' && resource === 'root') return { principal: value, account, kind: 'root' };
  if (arn.service === 'iam' && resource.startsWith('role/')) return { principal: value, account, kind: 'role' };
  if (arn.service === 'iam' && resource.startsWith('user/')) return { principal: value, account, kind: 'user' };
  if (arn.service === 'sts' && resource.startsWith('assumed-role/')) return { principal: value, account, kind: 'session' };
  return { principal: value, account, kind: 'other' };
}

/** What is known of the organization (keyshare.json `organization`, `accounts`). */
export interface OrganizationFacts {
  id?: string;
  units: { id: string; path?: string; accounts: string[] }[];
  /** Accounts known to be members (declared accounts, and those of the units). */
  members: string[];
}

/** A policy taking part in the answer, and where it is (`file`: as the caller wants it named). */
export interface PolicyInput {
  file: string;
  model: PolicyModel;
}

export interface KeyFacts {
  arn: string;
  aliases: string[];
  managed: 'customer' | 'aws';
  /** The key policy, when the workspace holds it. */
  policy?: PolicyInput;
  /** A key a template defines: the file, and how the template's own policies name its ARN there. */
  template?: { file: string; references: string[] };
}

export interface ExplainRequest {
  caller: Caller;
  /** An action or a pattern (`kms:*`, `kms:Generate*`). */
  action: string;
  key: KeyFacts;
  /** The caller's identity policies; undefined when unknown. */
  identity?: PolicyInput[];
  /** Request facts: condition key to value (`kms:ViaService=s3.us-east-1.amazonaws.com`). */
  context: Record<string, string>;
  organization?: OrganizationFacts;
}

/** A statement that decides the answer. */
export interface Decider {
  policy: PolicyInput;
  statement: Statement;
  effect: 'Allow' | 'Deny';
  half: 'key' | 'identity';
}

export interface ActionAnswer {
  action: string;
  verdict: Verdict;
  because: Decider[];
  depends: string[];
  /** Why it is denied when no statement says so (nothing allows it). */
  notes?: string[];
}

export interface Explanation {
  verdict: Verdict;
  /** The KMS actions the request's action matches, each answered. */
  actions: ActionAnswer[];
  because: Decider[];
  depends: string[];
  /** Why it is denied when no statement says so. */
  notes: string[];
  /** One line for people: "allowed: the key policy allows ... and ... allows it". */
  summary: string;
}

type Tri = true | false | undefined;

/** The KMS actions an action pattern matches (as the catalog spells them). */
export function kmsActionsMatching(catalog: Catalog, pattern: string): readonly string[] {
  return actionsMatching(catalog, pattern, 'kms');
}

/** Answers the request. */
export function explain(request: ExplainRequest, catalog: Catalog): Explanation {
  const actions = kmsActionsMatching(catalog, request.action);
  if (actions.length === 0) {
    return { verdict: 'denied', actions: [], because: [], depends: [], notes: [], summary: `denied: "${request.action}" matches no KMS action` };
  }
  const facts = factsOf(request);
  const keyAccess = request.key.policy ? accessModel(request.key.policy.model, catalog, request.key.arn) : undefined;
  const identity = request.identity?.map((policy) => ({ policy, access: accessModel(policy.model, catalog) }));
  const answers = actions.map((action) => answer(action, request, facts, keyAccess, identity));
  return combine(request, answers);
}

function combine(request: ExplainRequest, answers: ActionAnswer[]): Explanation {
  const allowed = answers.filter((a) => a.verdict === 'allowed');
  const depends = answers.filter((a) => a.verdict === 'depends');
  const denied = answers.filter((a) => a.verdict === 'denied');
  const verdict: Verdict = depends.length > 0 ? 'depends' : allowed.length > 0 ? 'allowed' : 'denied';
  const pick = verdict === 'allowed' ? allowed : verdict === 'depends' ? depends : denied;
  const because = unique(pick.flatMap((a) => a.because));
  const dependsOn = [...new Set(pick.flatMap((a) => a.depends))];
  const notes = verdict === 'denied' ? [...new Set(pick.flatMap((a) => a.notes ?? []))] : [];
  const names = (list: ActionAnswer[]) => (list.length <= 4 ? list.map((a) => a.action).join(', ') : `${list.slice(0, 4).map((a) => a.action).join(', ')} and ${list.length - 4} more`);
  let summary: string;
  const who = request.caller.principal;
  if (answers.length === 1) summary = `${verdict}: ${who} ${verdict === 'allowed' ? 'can' : verdict === 'denied' ? 'cannot' : 'may'} call ${answers[0].action} on ${request.key.arn}`;
  else if (verdict === 'allowed' && denied.length === 0) summary = `allowed: ${who} can call all ${answers.length} actions ${request.action} matches on ${request.key.arn}`;
  else if (verdict === 'allowed') summary = `allowed: ${who} can call ${names(allowed)} on ${request.key.arn} (of the ${answers.length} actions ${request.action} matches; the others are denied)`;
  else if (verdict === 'depends') summary = `depends: ${names(depends)} on ${request.key.arn} depend on what is not known here${allowed.length ? `; allowed: ${names(allowed)}` : ''}`;
  else summary = `denied: ${who} cannot call any of the ${answers.length} actions ${request.action} matches on ${request.key.arn}`;
  if (dependsOn.length) summary += ` (depends on ${dependsOn.join('; ')})`;
  if (notes.length && answers.length === 1) summary += `: ${notes.join('; ')}`;
  return { verdict, actions: answers, because, depends: dependsOn, notes, summary };
}

function unique(list: Decider[]): Decider[] {
  const seen = new Set<Statement>();
  return list.filter((d) => (seen.has(d.statement) ? false : (seen.add(d.statement), true)));
}

// ---- request facts ----

interface Facts {
  /** Lower-cased key to values; a key mapped to undefined is known to be absent. */
  known: Map<string, string[] | undefined>;
}

function factsOf(request: ExplainRequest): Facts {
  const known = new Map<string, string[] | undefined>();
  const { caller } = request;
  const set = (key: string, value: string[] | undefined) => known.set(key.toLowerCase(), value);
  if (caller.kind === 'service') {
    set('aws:PrincipalIsAWSService', ['true']);
    set('aws:PrincipalServiceName', [caller.principal]);
    for (const key of ['aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'kms:CallerAccount']) set(key, undefined);
  } else {
    set('aws:PrincipalIsAWSService', ['false']);
    set('aws:PrincipalServiceName', undefined);
    set('aws:PrincipalArn', [caller.principal]);
    for (const key of ['aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths']) set(key, undefined);
    if (caller.kind === 'root' || caller.kind === 'user') set('aws:PrincipalType', [caller.kind === 'root' ? 'Account' : 'User']);
    if (caller.account) {
      set('aws:PrincipalAccount', [caller.account]);
      set('kms:CallerAccount', [caller.account]);
      const org = request.organization;
      if (org?.id && org.members.includes(caller.account)) {
        set('aws:PrincipalOrgID', [org.id]);
        const paths = org.units.filter((u) => u.path && u.accounts.includes(caller.account!)).map((u) => u.path!);
        // The declared units are taken as all of the account's: in none of them, it sits outside every one.
        set('aws:PrincipalOrgPaths', paths.length ? paths : [`${org.id}/`]);
      }
    }
  }
  if (request.key.aliases.length) set('kms:ResourceAliases', request.key.aliases);
  for (const [key, value] of Object.entries(request.context)) set(key, value.split(',').map((v) => v.trim()));
  return { known };
}

// ---- one action ----

interface IdentityAccess {
  policy: PolicyInput;
  access: ReturnType<typeof accessModel>;
}

interface HalfResult {
  /** Allow statements that match for certain (for the key policy: those naming the caller itself). */
  allows: Decider[];
  /** Key policy only: Allow statements that admit the caller's account (its IAM decides). */
  delegates: Decider[];
  denies: Decider[];
  /** Statements whose match depends on unknown facts, with what they depend on. */
  maybeAllows: { decider: Decider; on: string[] }[];
  maybeDenies: { decider: Decider; on: string[] }[];
}

function answer(action: string, request: ExplainRequest, facts: Facts, keyAccess: ReturnType<typeof accessModel> | undefined, identity: IdentityAccess[] | undefined): ActionAnswer {
  const { caller, key } = request;
  const crossAccount = caller.kind !== 'service' && !!caller.account && caller.account !== keyAccount(key);
  const depends: string[] = [];

  // The key policy half.
  let keyHalf: HalfResult | undefined;
  if (keyAccess && key.policy) keyHalf = evaluateHalf('key', key.policy, keyAccess.statements, action, request, facts);
  else if (key.managed === 'aws') {
    // An AWS managed key's policy: principals of its own account, through an AWS service (kms:ViaService), for use actions.
    if (crossAccount || caller.kind === 'service') return { action, verdict: 'denied', because: [], depends: [], notes: [`an AWS managed key (${key.arn}) can be used only by principals of its own account`] };
    if (!facts.known.has('kms:viaservice')) depends.push('kms:ViaService: an AWS managed key is used only through the AWS service that created it');
  } else {
    depends.push(`the key policy of ${key.arn}, which is not in this workspace`);
  }

  // The identity half (only for callers that have identity policies).
  const needsIdentity = caller.kind !== 'service' && caller.kind !== 'root';
  let idHalf: HalfResult | undefined;
  if (needsIdentity && identity) {
    idHalf = { allows: [], delegates: [], denies: [], maybeAllows: [], maybeDenies: [] };
    for (const { policy, access } of identity) {
      const half = evaluateHalf('identity', policy, access.statements, action, request, facts);
      idHalf.allows.push(...half.allows);
      idHalf.denies.push(...half.denies);
      idHalf.maybeAllows.push(...half.maybeAllows);
      idHalf.maybeDenies.push(...half.maybeDenies);
    }
  }

  // 1. An explicit Deny.
  const denies = [...(keyHalf?.denies ?? []), ...(idHalf?.denies ?? [])];
  if (denies.length) return { action, verdict: 'denied', because: denies, depends: [] };

  // 2. The key policy.
  const crossOk = !crossAccount || takesEffectAcrossAccounts(action);
  if (!crossOk) {
    return { action, verdict: 'denied', because: [], depends: [], notes: [`${action} has no effect across accounts: only principals of account ${keyAccount(key)} can call it`] };
  }
  const because: Decider[] = [];
  type Route = 'direct' | 'delegated' | 'none' | 'maybe';
  let route: Route;
  if (keyHalf) {
    if (keyHalf.allows.length) {
      route = 'direct';
      // Across accounts the grants to the caller's account decide as much as those to the caller.
      because.push(...keyHalf.allows, ...(crossAccount ? keyHalf.delegates : []));
    } else if (keyHalf.delegates.length) {
      route = 'delegated';
      because.push(...keyHalf.delegates);
    } else if (keyHalf.maybeAllows.length) {
      route = 'maybe';
      for (const m of keyHalf.maybeAllows) {
        because.push(m.decider);
        depends.push(...m.on);
      }
    } else {
      return { action, verdict: 'denied', because: [], depends: [], notes: [`no statement of the key policy (${key.policy!.file}) allows ${action} to ${caller.principal}`] };
    }
  } else {
    route = key.managed === 'aws' ? 'delegated' : 'maybe';
  }
  for (const m of keyHalf?.maybeDenies ?? []) {
    because.push(m.decider);
    depends.push(...m.on.map((on) => `${on} (a Deny)`));
  }

  // 3. The identity half, when the key policy leaves it to the account's IAM or the caller is of another account.
  const identityDecides = needsIdentity && (crossAccount || route === 'delegated' || route === 'maybe');
  if (identityDecides) {
    if (!idHalf) {
      depends.push(`the identity policies of ${caller.principal}`);
    } else {
      for (const m of idHalf.maybeDenies) {
        because.push(m.decider);
        depends.push(...m.on.map((on) => `${on} (a Deny)`));
      }
      if (idHalf.allows.length) because.push(...idHalf.allows);
      else if (idHalf.maybeAllows.length) {
        for (const m of idHalf.maybeAllows) {
          because.push(m.decider);
          depends.push(...m.on);
        }
      } else if (route !== 'direct' || crossAccount) {
        return { action, verdict: 'denied', because: keyHalf?.allows.length || keyHalf?.delegates.length ? because : [], depends: [], notes: [`no identity policy of ${caller.principal}${identity!.length ? '' : ' (none given)'} allows ${action} on this key`] };
      }
    }
  }
  const verdict: Verdict = depends.length ? 'depends' : 'allowed';
  return { action, verdict, because: unique(because), depends: [...new Set(depends)] };
}

function keyAccount(key: KeyFacts): string | undefined {
  return parseArn(key.arn)?.account || undefined;
}

function evaluateHalf(half: 'key' | 'identity', policy: PolicyInput, statements: StatementAccess[], action: string, request: ExplainRequest, facts: Facts): HalfResult {
  const result: HalfResult = { allows: [], delegates: [], denies: [], maybeAllows: [], maybeDenies: [] };
  const lower = action.toLowerCase();
  for (const access of statements) {
    const effect = access.effect;
    if (!effect) continue;
    if (!access.actions.kms.some((a) => a.toLowerCase() === lower)) continue;
    const on: string[] = [];
    // Resource.
    if (half === 'key') {
      if (access.resources.appliesToKey === 'no') continue;
    } else {
      const applies = identityResourceMatches(access.statement, request.key, policy);
      if (applies === false) continue;
      if (applies === undefined) on.push(`whether the Resource of statement ${label(access.statement)} is this key`);
    }
    // Principal.
    let viaAccount = false;
    if (half === 'key') {
      const match = principalMatch(access, request.caller, policy.model.ownerAccount);
      if (match === 'no') continue;
      viaAccount = match === 'account';
    }
    // Conditions.
    let conditionsHold: Tri = true;
    if (access.statement.filledInConditions.length > 0) {
      conditionsHold = undefined;
      on.push('the condition the template fills in');
    }
    for (const entry of access.statement.conditions) {
      const value = evaluateCondition(entry, facts, effect);
      if (value === false) {
        conditionsHold = false;
        break;
      }
      if (value === undefined) {
        conditionsHold = undefined;
        on.push(entry.key);
      }
    }
    if (conditionsHold === false) continue;
    const decider: Decider = { policy, statement: access.statement, effect, half };
    const certain = on.length === 0;
    if (effect === 'Deny') (certain ? result.denies.push(decider) : result.maybeDenies.push({ decider, on }));
    else if (!certain) result.maybeAllows.push({ decider, on });
    else (viaAccount ? result.delegates : result.allows).push(decider);
  }
  return result;
}

function label(statement: Statement): string {
  return statement.sid ? `"${statement.sid.value}"` : `#${statement.index + 1}`;
}

/** Whether a key policy statement's principals take in the caller: itself, or through its account's root. */
function principalMatch(access: StatementAccess, caller: Caller, owner: string | undefined): 'self' | 'account' | 'no' {
  // A template's own account (!Sub "arn:aws:iam::${AWS::AccountId}:root") is the policy's owner.
  const own = (value: string) => (owner ? value.split('${AWS::AccountId}').join(owner) : value);
  const matches = (written: Constraint): 'self' | 'account' | 'no' => {
    const c: Constraint = written.kind === 'account' ? { ...written, account: own(written.account) } : written.kind === 'principal' ? { ...written, arn: own(written.arn) } : written;
    switch (c.kind) {
      case 'anyone':
        return 'self';
      case 'account':
        if (!caller.account || caller.kind === 'service') return 'no';
        if (c.account !== caller.account) return 'no';
        return caller.kind === 'root' ? 'self' : 'account';
      case 'principal':
        if (caller.kind === 'service') return 'no';
        if (wildcardToRegExp(c.arn).test(caller.principal)) return 'self';
        if (caller.kind === 'session' && sessionRole(caller.principal) && wildcardToRegExp(c.arn).test(sessionRole(caller.principal)!)) return 'self';
        return 'no';
      case 'service':
        return caller.kind === 'service' && c.service.toLowerCase() === caller.principal.toLowerCase() ? 'self' : 'no';
      default:
        return 'no';
    }
  };
  const written = access.principals.map((p) => matches(p.constraint));
  let best: 'self' | 'account' | 'no' = written.includes('self') ? 'self' : written.includes('account') ? 'account' : 'no';
  if (best !== 'no' && access.except.some((c) => matches(c) !== 'no')) best = 'no';
  // "*" to the caller's own principals still needs no IAM policy in the key's account; to others, it does (handled by the caller).
  return best;
}

/** The role ARN of an assumed-role session ARN. */
function sessionRole(arn: string): string | undefined {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

/** Whether an identity policy statement's Resource covers the key (alias ARNs do not: IAM reads the key ARN). */
function identityResourceMatches(statement: Statement, key: KeyFacts, policy: PolicyInput): Tri {
  const list = statement.resources;
  if (!list) return undefined;
  let any: Tri = false;
  // The key as a template beside it names it: !GetAtt Key.Arn (CloudFormation), aws_kms_key.x.arn (Terraform).
  const sameFile = key.template && key.template.file === policy.file;
  for (const item of list.items) {
    const value = item.value.trim();
    if (sameFile && key.template!.references.includes(value)) {
      any = true;
      break;
    }
    if (value.includes('${')) {
      if (any === false) any = undefined;
      continue;
    }
    if (wildcardToRegExp(value).test(key.arn)) {
      any = true;
      break;
    }
  }
  if (list.negated) return any === true ? false : any === false ? true : undefined;
  return any;
}

// ---- conditions ----

/** One condition entry against the facts: true, false, or undefined when it depends on an unknown fact. */
export function evaluateCondition(entry: ConditionEntry, facts: Facts, _effect: 'Allow' | 'Deny'): Tri {
  const op = readOperator(entry.operator);
  if (!op) return false;
  const key = entry.key.toLowerCase();
  const values = entry.values.map((v) => String(v.value));
  if (!facts.known.has(key)) return undefined;
  const present = facts.known.get(key);
  if (op.family === 'Null') {
    const wantsAbsent = values.some((v) => v.toLowerCase() === 'true');
    return present === undefined ? wantsAbsent : !wantsAbsent;
  }
  if (present === undefined) {
    if (op.ifExists) return true;
    if (op.set === 'ForAllValues') return true;
    return op.negated && !op.set ? true : false;
  }
  const one = (actual: string, expected: string): Tri => {
    switch (op.family) {
      case 'String':
      case 'Arn':
        if (expected.includes('${')) return undefined;
        if (op.wildcards) return wildcardToRegExp(expected).test(actual);
        return op.base.endsWith('IgnoreCase') ? actual.toLowerCase() === expected.toLowerCase() : actual === expected;
      case 'Bool':
        return actual.toLowerCase() === expected.toLowerCase();
      case 'Numeric': {
        const a = Number(actual);
        const e = Number(expected);
        if (Number.isNaN(a) || Number.isNaN(e)) return undefined;
        if (op.base.includes('LessThanEquals')) return a <= e;
        if (op.base.includes('LessThan')) return a < e;
        if (op.base.includes('GreaterThanEquals')) return a >= e;
        if (op.base.includes('GreaterThan')) return a > e;
        return a === e;
      }
      case 'Date': {
        const a = Date.parse(actual);
        const e = Date.parse(expected);
        if (Number.isNaN(a) || Number.isNaN(e)) return undefined;
        if (op.base.includes('LessThanEquals')) return a <= e;
        if (op.base.includes('LessThan')) return a < e;
        if (op.base.includes('GreaterThanEquals')) return a >= e;
        if (op.base.includes('GreaterThan')) return a > e;
        return a === e;
      }
      default:
        return undefined;
    }
  };
  /** The plain operator's answer for one request value: any expected value matches. */
  const matchesAny = (actual: string): Tri => {
    let result: Tri = false;
    for (const expected of values) {
      const r = one(actual, expected);
      if (r === true) return true;
      if (r === undefined) result = undefined;
    }
    return result;
  };
  const positive = (actual: string): Tri => {
    const r = matchesAny(actual);
    return op.negated ? (r === undefined ? undefined : !r) : r;
  };
  if (op.set === 'ForAllValues') return all(present.map(positive));
  if (op.set === 'ForAnyValue') return anyOf(present.map(positive));
  // A single-valued key: one request value.
  return anyOf(present.map(positive));
}

function all(list: Tri[]): Tri {
  if (list.includes(false)) return false;
  return list.includes(undefined) ? undefined : true;
}

function anyOf(list: Tri[]): Tri {
  if (list.includes(true)) return true;
  return list.includes(undefined) ? undefined : false;
}
