/**
 * The access model: what each statement of a policy really grants, and to whom. Computed once
 * per policy model (lazily, cached) and read by every rule that judges access, so that they all
 * read Principal, Action, Resource and Condition the same way, with IAM semantics:
 *
 * - principals: accounts, roles and users, organizations and OU paths, service principals, or
 *   any AWS account, each with the conditions that still narrow it (NotPrincipal expanded);
 * - actions: Action and NotAction expanded with the catalog, split into what takes effect for the
 *   key's own account and what takes effect across accounts, minus what Deny statements take away;
 * - resources: whether a key-policy statement applies to this key at all;
 * - the audience: whom the statement admits (anyone, restricted to..., nobody), and because of
 *   which condition entries. What cannot be known offline stays symbolic.
 */
import { kmsResourceOf, parseArn } from '../arn';
import { wildcardToRegExp, type Catalog } from '../catalog';
import type { PolicyModel, Statement, StringItem } from '../model';
import { coveredActions } from '../actions';
import { takesEffectAcrossAccounts } from '../kms/actions';
import type { RuleContext } from '../ruleSupport/context';
import { describeConstraint, identityKey, readCondition, readOperator, type Constraint, type ConditionReading, type ReadingContext } from './conditions';
import type { ConditionEntry } from '../model';
import type { PolicyNode } from '../tree';
import { wholeReference } from '../parts';
import { grantReadingOf } from './queries';
import { entryHolds, type ProbeContext } from './probes';
import { principalsOf, reachOf } from './principals';

export * from './conditions';

export { CROSS_ACCOUNT_ACTIONS, takesEffectAcrossAccounts } from '../kms/actions';

/** Where a principal stands relative to the key's (or the policy's) own account. */
export type Reach = 'owner' | 'outside' | 'maybe' | 'service';

export interface EffectivePrincipal {
  constraint: Constraint;
  /** Where it is written (the principal value, or the condition value that narrowed "*"). */
  item?: StringItem;
  /** Restricting conditions that still apply to it. */
  conditions: ConditionReading[];
  reach: Reach;
}

export interface Audience {
  admits: 'anyone' | 'restricted' | 'nobody';
  /** Whom, after the conditions: a union. */
  to: EffectivePrincipal[];
  /** The condition entries that restrict, fail to restrict, or never match (irrelevant ones left out). */
  because: ConditionReading[];
}

export interface StatementActions {
  /** How the statement grants (nearly) every KMS action, if it does: `"*"`, `kms:*` or NotAction. */
  broad?: 'Action "*"' | 'kms:*' | 'NotAction';
  /** KMS actions the Action (or NotAction) element covers, as the catalog spells them. */
  kms: readonly string[];
  /** Those that remain after the Deny statements of the policy (for an Allow). */
  effective: readonly string[];
  /** Those a Deny statement takes away. */
  denied: readonly string[];
  /** Of `effective`: the ones that take effect for principals of other accounts. */
  acrossAccounts: readonly string[];
  /** Of `effective`: the ones that have no effect for principals of other accounts. */
  ownerOnly: readonly string[];
}

export interface ResourceScope {
  /** Key policies: whether the statement applies to this key. Other kinds: 'yes'. */
  appliesToKey: 'yes' | 'no' | 'unknown';
  why?: string;
}

export interface StatementAccess {
  statement: Statement;
  effect?: 'Allow' | 'Deny';
  /** The principals as written (NotPrincipal: anyone, with `except`). */
  principals: EffectivePrincipal[];
  except: Constraint[];
  conditions: ConditionReading[];
  audience: Audience;
  actions: StatementActions;
  resources: ResourceScope;
  /** Deny statements that narrow whom this Allow admits, or take actions away from it. */
  narrowedBy: StatementAccess[];
  /** When the statement allows kms:CreateGrant: whether its conditions keep the grants from handing the key on. */
  createGrant?: GrantReading;
}

/**
 * What a CreateGrant permission lets the caller hand on. `aws-services`: only grants an integrated
 * service creates (kms:GrantIsForAWSResource); `constrained`: one grantee and a closed list of
 * operations (kms:GranteePrincipal with ForAllValues on kms:GrantOperations); `via-service`: only
 * through a named service (kms:ViaService, as AWS managed keys do); `unrestricted`: grants to anyone.
 */
export interface GrantReading {
  verdict: 'aws-services' | 'constrained' | 'via-service' | 'filled-in' | 'denied-otherwise' | 'never' | 'unrestricted';
  why: string;
  /** The condition entries that decide it. */
  entries: ConditionEntry[];
}

export interface AccessModel {
  ownerAccount?: string;
  keyArn?: string;
  /** What the rules' probes of this policy know (its kind, its account, the catalog). */
  probes: ProbeContext;
  statements: StatementAccess[];
  of(statement: Statement): StatementAccess;
}

interface CacheEntry {
  catalog: Catalog;
  keyArn?: string;
  access: AccessModel;
}
// Kept on the objects themselves, not in WeakMaps: they die with the model in young-generation
// collections, and indexing measured faster that way.
const ACCESS = Symbol('access model');
const READINGS = Symbol('condition readings');
type WithAccess = PolicyModel & { [ACCESS]?: CacheEntry };
type WithReadings = Statement & { [READINGS]?: ConditionReading[] };

/** The access model of the document a rule is checking. */
export function accessOf(context: RuleContext): AccessModel {
  return accessModel(context.model, context.catalog, context.options.keyArn);
}

/** The access model of a policy model, computed on first use and kept with it. */
export function accessModel(model: PolicyModel, catalog: Catalog, keyArn?: string): AccessModel {
  const cached = (model as WithAccess)[ACCESS];
  if (cached && cached.catalog === catalog && cached.keyArn === keyArn) return cached.access;
  const access = build(model, catalog, keyArn);
  (model as WithAccess)[ACCESS] = { catalog, keyArn, access };
  return access;
}

/**
 * A statement's own condition entries, read once per statement. Rules that judge conditions alone
 * read these without building the whole access model. Shared: do not change the array.
 */
export function conditionReadings(model: PolicyModel, statement: Statement, catalog: Catalog): ConditionReading[] {
  let list = (statement as WithReadings)[READINGS];
  if (!list) {
    const context: ReadingContext = { kind: model.kind, ownerAccount: model.ownerAccount, actions: statementKmsActions(model, statement, catalog), catalog };
    list = statement.conditions.map((entry) => readCondition(entry, context));
    for (const node of statement.filledInConditions) list.push(filledInReading(statement, node));
    (statement as WithReadings)[READINGS] = list;
  }
  return list;
}

/**
 * The KMS actions of a statement, when a request for another service can never meet it: in a key
 * policy (only KMS requests reach it), or when every action it names is a kms: action.
 */
function statementKmsActions(model: PolicyModel, statement: Statement, catalog: Catalog): readonly string[] | undefined {
  const list = statement.actions;
  if (!list || list.negated) return undefined;
  if (model.kind !== 'key-policy' && !list.items.every((item) => item.value.toLowerCase().startsWith('kms:'))) return undefined;
  const kms = kmsList(coveredActions(catalog, statement, 'kms'));
  return kms.length > 0 ? kms : undefined;
}

/** A condition block the template fills in (`StringEquals: !If [...]`): it may restrict to anyone, so it counts as restricting, to whom is unknown. */
function filledInReading(statement: Statement, node: PolicyNode): ConditionReading {
  const property = node.parent ?? statement.condition!.property;
  const key = property.children?.[0];
  const operator = key && property !== statement.condition!.property && typeof key.value === 'string' ? key.value : 'Condition';
  const span = { start: node.offset, end: node.offset + node.length };
  const written = node.parts?.[0] && 'unknown' in node.parts[0] ? node.parts[0].unknown : 'a template value';
  return {
    entry: { operator, operatorSpan: key ? { start: key.offset, end: key.offset + key.length } : span, operatorProperty: property, key: '', keySpan: span, keyProperty: property, valueNode: node, values: [], lowerKey: '', parsed: undefined },
    verdict: 'restricts',
    admits: [{ kind: 'other', key: operator, value: written }],
    why: `the ${operator === 'Condition' ? 'Condition' : `"${operator}" block`} is filled in by ${written}, so whom it admits is known only when the template is deployed`,
    filledIn: true,
  };
}

function build(model: PolicyModel, catalog: Catalog, keyArn: string | undefined): AccessModel {
  const owner = model.ownerAccount;
  const context: ProbeContext = { kind: model.kind, ownerAccount: owner, catalog };
  const statements: StatementAccess[] = [];
  for (const statement of model.statements) {
    const effect = statement.effect?.value === 'Allow' ? 'Allow' : statement.effect?.value === 'Deny' ? 'Deny' : undefined;
    const { principals, except } = principalsOf(model, statement, owner);
    const conditions = conditionReadings(model, statement, catalog);
    const kms = kmsList(coveredActions(catalog, statement, 'kms'));
    const access: StatementAccess = {
      statement,
      effect,
      principals,
      except,
      conditions,
      audience: audienceOf(principals, conditions, owner),
      actions: actionsOf(statement, kms, kms, []),
      resources: resourcesOf(model, statement, keyArn),
      narrowedBy: [],
      // Set here, not added later: one object shape for every statement.
      createGrant: kms.length > 0 && kms.includes('kms:CreateGrant') ? grantReadingOf(statement.conditions, context, statement.filledInConditions.length > 0) : undefined,
    };
    statements.push(access);
  }
  subtractDenies(statements, owner, context);
  return {
    ownerAccount: owner,
    keyArn,
    probes: context,
    statements,
    of(statement: Statement) {
      // One StatementAccess per statement, in the model's order (a statement's index is its place).
      const access = statements[statement.index];
      return access?.statement === statement ? access : statements.find((a) => a.statement === statement)!;
    },
  };
}

/** Account restrictions that cannot hold together with a principal's own account. */
function contradicts(p: EffectivePrincipal, reading: ConditionReading): boolean {
  const key = identityKey(reading.entry.key);
  if (!key || key.names !== 'account' || key.source || !reading.admits) return false;
  const c = p.constraint;
  const account = c.kind === 'account' || c.kind === 'principal' ? c.account : undefined;
  if (!account || account.includes('${') || /[*?]/.test(account)) return false;
  return !reading.admits.some((a) => a.kind === 'account' && (a.account === account || a.account.includes('${')));
}

const SPECIFICITY: Record<Constraint['kind'], number> = {
  principal: 6,
  account: 5,
  federated: 5,
  'canonical-user': 5,
  service: 4,
  'org-path': 3,
  org: 2,
  'aws-service': 1,
  other: 1,
  attached: 0,
  anyone: 0,
};

const NO_READINGS: ConditionReading[] = [];

function audienceOf(principals: EffectivePrincipal[], conditions: ConditionReading[], owner: string | undefined): Audience {
  if (conditions.length === 0) {
    // No condition: the statement admits its principals as written (most statements).
    if (principals.length === 0) return { admits: 'nobody', to: [], because: NO_READINGS };
    const to = principals.slice();
    return { admits: to.some((p) => p.constraint.kind === 'anyone') ? 'anyone' : 'restricted', to, because: NO_READINGS };
  }
  const because = conditions.filter((c) => c.verdict !== 'irrelevant');
  if (principals.length === 0 || conditions.some((c) => c.verdict === 'never')) return { admits: 'nobody', to: [], because };
  const restricting = conditions.filter((c) => c.verdict === 'restricts');
  const to: EffectivePrincipal[] = [];
  for (const p of principals) {
    if (p.constraint.kind === 'anyone' && restricting.length > 0) {
      // The most specific restriction says whom; the others still apply to them.
      const main = restricting.reduce((best, r) => (specificity(r) > specificity(best) ? r : best));
      const others = restricting.filter((r) => r !== main);
      const aligned = main.admits!.length === main.entry.values.length;
      main.admits!.forEach((constraint, i) => {
        const value = aligned ? main.entry.values[i] : undefined;
        to.push({ constraint, item: typeof value?.value === 'string' ? (value as StringItem) : undefined, conditions: others, reach: reachOf(constraint, owner) });
      });
      continue;
    }
    if (restricting.length === 0) {
      to.push(p.conditions.length === 0 ? p : { ...p, conditions: restricting });
      continue;
    }
    if (restricting.some((r) => contradicts(p, r))) continue;
    to.push({ ...p, conditions: restricting });
  }
  if (to.length === 0) return { admits: 'nobody', to, because };
  return { admits: to.some((p) => p.constraint.kind === 'anyone') ? 'anyone' : 'restricted', to, because };
}

function specificity(reading: ConditionReading): number {
  return Math.min(...reading.admits!.map((c) => SPECIFICITY[c.kind]));
}

// Tested, not trimmed and lower-cased: no string is made per Action item.
const ANY_ACTION = /^\s*\*\s*$/;
const ANY_KMS_ACTION = /^\s*kms:\*\s*$/i;

function actionsOf(statement: Statement, kms: readonly string[], effective: readonly string[], denied: readonly string[]): StatementActions {
  const list = statement.actions;
  let broad: StatementActions['broad'];
  if (list?.negated) broad = 'NotAction';
  else if (list?.items.some((i) => ANY_ACTION.test(i.value))) broad = 'Action "*"';
  else if (list?.items.some((i) => ANY_KMS_ACTION.test(i.value))) broad = 'kms:*';
  const split = effective === kms ? splitOf(kms) : splitActions(effective);
  return { broad: broad && kms.length > 0 ? broad : undefined, kms, effective, denied, acrossAccounts: split.across, ownerOnly: split.ownerOnly };
}

/** One array per expansion (expansions are shared by every statement with the same Action list). Shared: do not change. */
const kmsLists = new WeakMap<ReadonlySet<string>, readonly string[]>();
function kmsList(covered: ReadonlySet<string>): readonly string[] {
  let list = kmsLists.get(covered);
  if (!list) kmsLists.set(covered, (list = Object.freeze([...covered])));
  return list;
}

interface Split {
  across: readonly string[];
  ownerOnly: readonly string[];
}
const splits = new WeakMap<readonly string[], Split>();
function splitOf(list: readonly string[]): Split {
  let split = splits.get(list);
  if (!split) splits.set(list, (split = splitActions(list)));
  return split;
}
function splitActions(list: readonly string[]): Split {
  const across: string[] = [];
  const ownerOnly: string[] = [];
  for (const action of list) (takesEffectAcrossAccounts(action) ? across : ownerOnly).push(action);
  return { across, ownerOnly };
}

function resourcesOf(model: PolicyModel, statement: Statement, keyArn: string | undefined): ResourceScope {
  if (model.kind !== 'key-policy') return APPLIES;
  const list = statement.resources;
  if (!list) return { appliesToKey: 'unknown', why: 'the statement has no Resource' };
  let yes = false;
  let unknown = false;
  for (const item of list.items) {
    // Another resource's ARN, an alias or a key ID the template names (`data.aws_s3_bucket.logs.arn`) is never this key's ARN.
    const answer = NOT_THIS_KEY.has(wholeReference(item.node)?.meaning ?? '') ? 'no' : resourceMatchesKey(item.value, keyArn);
    if (answer === 'yes') yes = true;
    else if (answer === 'unknown') unknown = true;
  }
  if (list.negated) {
    if (yes) return { appliesToKey: 'no', why: 'NotResource excludes this key' };
    if (unknown) return { appliesToKey: 'unknown', why: 'NotResource may exclude this key' };
    return APPLIES;
  }
  if (yes) return APPLIES;
  if (unknown) return { appliesToKey: 'unknown', why: 'the Resource may or may not be this key' };
  return { appliesToKey: 'no', why: 'a key policy applies only to its own key, and this Resource is not it' };
}

const NOT_THIS_KEY: ReadonlySet<string> = new Set(['resource-arn', 'alias-arn', 'alias-name', 'key-id']);

/** Shared: do not change. */
const APPLIES: ResourceScope = Object.freeze({ appliesToKey: 'yes' });

function resourceMatchesKey(value: string, keyArn: string | undefined): 'yes' | 'no' | 'unknown' {
  if (value === '*') return 'yes';
  if (value.includes('${')) return 'unknown';
  if (keyArn) return wildcardToRegExp(value).test(keyArn) ? 'yes' : 'no';
  const arn = parseArn(value);
  if (!arn || arn.service.toLowerCase() !== 'kms' && !/[*?]/.test(arn.service)) return 'no';
  if (arn.service === 'kms' && kmsResourceOf(arn).type === 'alias') return 'no';
  return 'unknown';
}

/**
 * Deny statements of the same policy: an unconditional Deny takes its actions away from the
 * Allow statements whose principals it covers; a Deny of "everyone except" (one negated identity
 * condition, or NotPrincipal) that covers all of an Allow's actions narrows whom the Allow admits.
 */
function subtractDenies(statements: StatementAccess[], owner: string | undefined, context: ProbeContext): void {
  // Each Deny is classified once: unconditional (for everyone, or by principal), a guard, or neither.
  const forEveryone: { deny: StatementAccess; actions: ReadonlySet<string> }[] = [];
  const byPrincipal = new Map<string, { deny: StatementAccess; actions: ReadonlySet<string>; principals: ReadonlySet<string> }[]>();
  const guards: { deny: StatementAccess; actions: ReadonlySet<string>; reading: ConditionReading }[] = [];
  for (const deny of statements) {
    if (deny.effect !== 'Deny' || deny.resources.appliesToKey === 'no' || deny.actions.kms.length === 0) continue;
    const actions = new Set(deny.actions.kms);
    if (deny.conditions.length === 0 && deny.except.length === 0 && deny.audience.admits !== 'nobody') {
      if (deny.principals.some((p) => p.constraint.kind === 'anyone')) forEveryone.push({ deny, actions });
      else {
        const principals = new Set(deny.principals.map((p) => describeConstraint(p.constraint)));
        const entry = { deny, actions, principals };
        for (const key of principals) {
          let list = byPrincipal.get(key);
          if (!list) byPrincipal.set(key, (list = []));
          list.push(entry);
        }
      }
      continue;
    }
    const reading = guardOf(deny, context);
    if (reading) guards.push({ deny, actions, reading });
  }
  const grantGuards = statements.filter((s) => isGrantGuard(s, context));
  if (forEveryone.length === 0 && byPrincipal.size === 0 && guards.length === 0 && grantGuards.length === 0) return;
  for (const allow of statements) {
    if (allow.effect !== 'Allow' || allow.actions.kms.length === 0) continue;
    const denied = new Set<string>();
    const take = (deny: StatementAccess, actions: ReadonlySet<string>) => {
      for (const action of allow.actions.kms) if (actions.has(action)) denied.add(action);
      allow.narrowedBy.push(deny);
    };
    for (const { deny, actions } of forEveryone) take(deny, actions);
    if (byPrincipal.size > 0 && allow.audience.to.length > 0) {
      // A Deny naming principals covers an Allow whose every principal it names.
      const keys = allow.audience.to.map((p) => describeConstraint(p.constraint));
      for (const candidate of byPrincipal.get(keys[0]) ?? []) {
        if (keys.every((k) => candidate.principals.has(k))) take(candidate.deny, candidate.actions);
      }
    }
    if (allow.createGrant?.verdict === 'unrestricted' && grantGuards.length > 0 && grantGuards.some((g) => coversAudience(g, allow))) {
      allow.createGrant = { verdict: 'denied-otherwise', why: 'a Deny refuses every grant that is not for an AWS resource (kms:GrantIsForAWSResource)', entries: [] };
    }
    for (const guard of guards) {
      if (!allow.actions.kms.every((a) => guard.actions.has(a))) continue;
      allow.narrowedBy.push(guard.deny);
      allow.conditions = [...allow.conditions, guard.reading];
      allow.audience = audienceOf(allow.principals, allow.conditions, owner);
    }
    if (denied.size > 0) {
      const effective = allow.actions.kms.filter((a) => !denied.has(a));
      allow.actions = actionsOf(allow.statement, allow.actions.kms, effective, [...denied]);
      if (!effective.includes('kms:CreateGrant')) allow.createGrant = undefined;
    }
  }
}

/**
 * A Deny of kms:CreateGrant that every grant not for an AWS resource meets ("Bool":
 * {"kms:GrantIsForAWSResource": "false"}): every grant the Allow statements let through is then
 * one an integrated service creates (KMS guide, "kms:GrantIsForAWSResource").
 */
function isGrantGuard(deny: StatementAccess, context: ProbeContext): boolean {
  if (deny.effect !== 'Deny' || deny.resources.appliesToKey === 'no' || !deny.actions.kms.includes('kms:CreateGrant') || deny.statement.conditions.length === 0 || deny.statement.filledInConditions.length > 0) return false;
  const probe = { action: 'kms:CreateGrant', values: { 'kms:grantisforawsresource': ['false'] } };
  return deny.statement.conditions.every((entry) => entryHolds(entry, context, probe) === true);
}

/** Whether a Deny applies to every principal an Allow admits ("*", or each of them named). */
function coversAudience(deny: StatementAccess, allow: StatementAccess): boolean {
  if (deny.except.length > 0) return false;
  if (deny.principals.some((p) => p.constraint.kind === 'anyone')) return true;
  const named = new Set(deny.principals.map((p) => describeConstraint(p.constraint)));
  return allow.audience.to.length > 0 && allow.audience.to.every((p) => named.has(describeConstraint(p.constraint)));
}

/** What "deny everyone except X" leaves: a restricting reading, or undefined when the Deny is no such guard. */
function guardOf(deny: StatementAccess, context: ProbeContext): ConditionReading | undefined {
  const everyone = deny.principals.some((p) => p.constraint.kind === 'anyone');
  if (!everyone) return undefined;
  if (deny.except.length > 0) {
    if (deny.conditions.length > 0) return undefined;
    const entry = deny.statement.principals!;
    return {
      // A NotPrincipal guard: the reading points at the Deny's NotPrincipal element.
      entry: { operator: 'NotPrincipal', operatorSpan: entry.element.keySpan, operatorProperty: entry.element.property, key: 'NotPrincipal', keySpan: entry.element.keySpan, keyProperty: entry.element.property, valueNode: entry.element.value, values: [], lowerKey: 'notprincipal', parsed: undefined },
      verdict: 'restricts',
      admits: deny.except,
      why: `a Deny with NotPrincipal leaves only ${deny.except.map(describeConstraint).join(' or ')}`,
    };
  }
  if (deny.conditions.length !== 1) return undefined;
  const entry = deny.statement.conditions[0];
  if (entry.operator.startsWith('For')) return undefined; // ForAnyValue is false for callers without the key: not a guard
  const op = entry.parsed;
  if (!op || !op.negated || (op.family !== 'String' && op.family !== 'Arn') || !identityKey(entry.key)) return undefined;
  const positive = op.positive;
  // Deny unless the key matches (and, for a missing key, deny): what remains is what the plain operator admits.
  const reading = readCondition({ ...entry, operator: positive, parsed: readOperator(positive) }, context);
  if (reading.verdict !== 'restricts') return undefined;
  return { ...reading, entry, why: `a Deny ${entry.operator} ${entry.key} leaves only ${reading.admits!.map(describeConstraint).join(' or ')}` };
}

/** The principals of an audience that may be outside the owner account (other accounts, organizations, anyone). */

export { reachOf } from './principals';
export { describeAudience, grantReadingOf, onlyThroughService, outsiders, policyChangers, serviceScope, type ServiceScope } from './queries';
