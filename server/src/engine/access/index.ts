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
import { accountOfPrincipal, arnFields, checkAwsPrincipal, hasTemplatePlaceholder, kmsResourceOf, parseArn, principalAccount } from '../arn';
import { wildcardToRegExp, type Catalog } from '../catalog';
import type { PolicyModel, Statement, StringItem } from '../model';
import { coveredActions } from '../actions';
import { METADATA_ACTIONS, takesEffectAcrossAccounts } from '../kms/actions';
import type { RuleContext } from '../rules/context';
import { describeConstraint, identityKey, readCondition, readOperator, VIA_SERVICE, type Constraint, type ConditionReading, type ReadingContext } from './conditions';
import type { ConditionEntry } from '../model';
import { isWhollyUnknown, type PolicyNode } from '../tree';
import { namesOwnAccount } from '../parts';

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
  verdict: 'aws-services' | 'constrained' | 'via-service' | 'filled-in' | 'denied-otherwise' | 'unrestricted';
  why: string;
  /** The condition entries that decide it. */
  entries: ConditionEntry[];
}

export interface AccessModel {
  ownerAccount?: string;
  keyArn?: string;
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
  const context = { kind: model.kind, ownerAccount: owner };
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
      createGrant: kms.length > 0 && kms.includes('kms:CreateGrant') ? grantReadingOf(statement.conditions, statement.filledInConditions.length > 0) : undefined,
    };
    statements.push(access);
  }
  subtractDenies(statements, owner, context);
  return {
    ownerAccount: owner,
    keyArn,
    statements,
    of(statement: Statement) {
      // One StatementAccess per statement, in the model's order (a statement's index is its place).
      const access = statements[statement.index];
      return access?.statement === statement ? access : statements.find((a) => a.statement === statement)!;
    },
  };
}

function principalsOf(model: PolicyModel, statement: Statement, owner: string | undefined): { principals: EffectivePrincipal[]; except: Constraint[] } {
  if (model.kind === 'identity-policy') return { principals: [{ constraint: { kind: 'attached' }, conditions: [], reach: 'owner' }], except: [] };
  const element = statement.principals;
  if (!element) return { principals: [], except: [] };
  const written: EffectivePrincipal[] = [];
  if (element.wildcard) {
    if (element.wildcard.value === '*') written.push(principal({ kind: 'anyone' }, owner, element.wildcard));
  } else {
    for (const entry of element.entries) {
      for (const item of entry.items) {
        const constraint = principalConstraint(entry.type, item.value, owner, item.node as PolicyNode);
        if (constraint) written.push(principal(constraint, owner, item));
      }
    }
  }
  if (element.negated) {
    // NotPrincipal: everyone except those listed.
    return { principals: [principal({ kind: 'anyone' }, owner, undefined)], except: written.map((p) => p.constraint) };
  }
  return { principals: written, except: [] };
}

function principal(constraint: Constraint, owner: string | undefined, item: StringItem | undefined): EffectivePrincipal {
  return { constraint, item, conditions: [], reach: reachOf(constraint, owner) };
}

/** The command-line input that spells an account the template fills in (`${TrustedAccount}`, `${var.account_id}`), if one does. */
function suppliedBy(node: PolicyNode | undefined, account: string): 'parameter' | 'variable' | undefined {
  for (const part of node?.parts ?? []) {
    if ('unknown' in part && part.input && account === `\${${part.unknown}}`) return part.input;
  }
  return undefined;
}

function principalConstraint(type: string, value: string, owner: string | undefined, node?: PolicyNode): Constraint | undefined {
  if (value === '*') return { kind: 'anyone' };
  switch (type) {
    case 'AWS': {
      const check = checkAwsPrincipal(value);
      if (!check.ok) return undefined;
      const account = accountOfPrincipal(value, owner, node);
      // The account the template is deployed to (the host's parts say so) is the owner's, spelled or not.
      const own = namesOwnAccount(node);
      if ((check.root || (own && !value.startsWith('arn:'))) && account) {
        if (own) return { kind: 'account', account, own };
        const supply = suppliedBy(node, account);
        return supply ? { kind: 'account', account, supply } : { kind: 'account', account };
      }
      return own ? { kind: 'principal', arn: value, account: account ?? principalAccount(value), own } : { kind: 'principal', arn: value, account: account ?? principalAccount(value) };
    }
    case 'Service':
      return { kind: 'service', service: value };
    case 'Federated': {
      const arn = parseArn(value);
      return { kind: 'federated', provider: value, account: arn?.account || undefined };
    }
    case 'CanonicalUser':
      return { kind: 'canonical-user', id: value };
    default:
      return undefined;
  }
}

/** Where a constraint stands relative to the owner account. */
export function reachOf(c: Constraint, owner: string | undefined): Reach {
  switch (c.kind) {
    case 'anyone':
      return 'outside';
    case 'account':
    case 'principal':
    case 'federated': {
      if (c.kind === 'principal' && c.source && !c.account) return 'maybe';
      if (c.kind !== 'federated' && c.own) return 'owner';
      const account = c.kind === 'account' ? c.account : c.account;
      if (!account) return 'maybe';
      if (/[*?]/.test(account)) return 'outside';
      if (!owner) return 'maybe';
      if (account === owner) return 'owner';
      // An owner a template fills in (`${ACCOUNT_ID}`) may be this very account.
      if (hasTemplatePlaceholder(owner)) return 'maybe';
      // An account a template fills in (`${var.consumer_account_id}`) may be the owner or another.
      return hasTemplatePlaceholder(account) ? 'maybe' : 'outside';
    }
    case 'service':
    case 'aws-service':
      return 'service';
    case 'attached':
      return 'owner';
    default:
      // Organizations and OU paths usually hold other accounts; other keys cannot be placed offline.
      return 'maybe';
  }
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
    const answer = resourceMatchesKey(item.value, keyArn);
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
function subtractDenies(statements: StatementAccess[], owner: string | undefined, context: { kind: PolicyModel['kind']; ownerAccount?: string }): void {
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
  const grantGuards = statements.filter(isGrantGuard);
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
 * A Deny of kms:CreateGrant whenever the grant is not for an AWS resource ("Bool":
 * {"kms:GrantIsForAWSResource": "false"}, or "Null" on it): every grant the Allow statements let
 * through is then one an integrated service creates (KMS guide, "kms:GrantIsForAWSResource").
 */
function isGrantGuard(deny: StatementAccess): boolean {
  if (deny.effect !== 'Deny' || deny.resources.appliesToKey === 'no' || !deny.actions.kms.includes('kms:CreateGrant') || deny.conditions.length !== 1) return false;
  const entry = deny.statement.conditions[0];
  if (!entry || entry.lowerKey !== 'kms:grantisforawsresource') return false;
  const op = entry.parsed;
  const values = entry.values.map((v) => String(v.value).toLowerCase());
  // CreateGrant requests always carry the key, so BoolIfExists reads the same.
  return op?.family === 'Bool' && !op.set && values.length > 0 && values.every((v) => v === 'false');
}

/** Whether a Deny applies to every principal an Allow admits ("*", or each of them named). */
function coversAudience(deny: StatementAccess, allow: StatementAccess): boolean {
  if (deny.except.length > 0) return false;
  if (deny.principals.some((p) => p.constraint.kind === 'anyone')) return true;
  const named = new Set(deny.principals.map((p) => describeConstraint(p.constraint)));
  return allow.audience.to.length > 0 && allow.audience.to.every((p) => named.has(describeConstraint(p.constraint)));
}

/** What "deny everyone except X" leaves: a restricting reading, or undefined when the Deny is no such guard. */
function guardOf(deny: StatementAccess, context: { kind: PolicyModel['kind']; ownerAccount?: string }): ConditionReading | undefined {
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
export function outsiders(audience: Audience): EffectivePrincipal[] {
  return audience.to.filter((p) => p.reach === 'outside' || p.reach === 'maybe');
}

/** The audience in words: "any AWS account", "account 444455556666 and callers in organization o-...". */
export function describeAudience(audience: Audience, limit = 3): string {
  if (audience.admits === 'nobody') return 'nobody';
  const names = [...new Set(audience.to.map((p) => describeConstraint(p.constraint)))];
  if (names.length <= limit) return names.join(', ');
  return `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

const truthy = (entry: ConditionEntry) => entry.values.length > 0 && entry.values.every((v) => String(v.value).toLowerCase() === 'true');

/** Values that pin one principal: no value whose wildcards reach the account part. */
function pinsPrincipal(entry: ConditionEntry, wildcards: boolean): boolean {
  return entry.values.length > 0 && entry.values.every((v) => {
    if (typeof v.value !== 'string' || v.value === '') return false;
    if (!wildcards || !/[*?]/.test(v.value)) return true;
    const parts = arnFields(v.value);
    return v.value.startsWith('arn:') && parts.length >= 6 && !parts.slice(0, 5).some((p) => /[*?]/.test(p));
  });
}

export function grantReadingOf(entries: readonly ConditionEntry[], filledIn = false): GrantReading {
  // A condition block the template fills in may hold any of the conditions below: not called unrestricted.
  if (filledIn) return { verdict: 'filled-in', why: 'the template fills in a condition block, which may limit the grants', entries: [] };
  let grantee: ConditionEntry | undefined;
  let operations: ConditionEntry | undefined;
  for (const entry of entries) {
    const op = entry.parsed;
    if (!op || op.negated) continue;
    const key = entry.lowerKey;
    if (key === 'kms:grantisforawsresource' && op.family === 'Bool' && !op.set && truthy(entry)) {
      return { verdict: 'aws-services', why: 'only integrated AWS services can create the grants (kms:GrantIsForAWSResource)', entries: [entry] };
    }
    if (key === 'aws:viaawsservice' && op.family === 'Bool' && !op.set && !op.ifExists && truthy(entry)) {
      // IAM User Guide, global condition keys: true only when an AWS service makes the request with the principal's credentials.
      return { verdict: 'via-service', why: 'grants can be created only by AWS services acting with the principal\'s credentials (aws:ViaAWSService)', entries: [entry] };
    }
    if (key === 'kms:viaservice' && (op.family === 'String') && !op.ifExists && !op.set) {
      // A value the template fills in (`secretsmanager.${AWS::Region}.amazonaws.com`) is taken to have the shape.
      const valid = entry.values.length > 0 && entry.values.every((v) => typeof v.value === 'string' && (VIA_SERVICE.test(v.value) || hasTemplatePlaceholder(v.value) || (op.wildcards && /[*?]/.test(v.value) && !/^[*?]/.test(v.value))));
      if (valid) return { verdict: 'via-service', why: `grants can be created only through ${entry.values.map((v) => v.value).join(', ')} (kms:ViaService)`, entries: [entry] };
    }
    if (key === 'kms:granteeprincipal' && (op.family === 'String' || op.family === 'Arn') && !op.ifExists && op.set !== 'ForAllValues' && pinsPrincipal(entry, op.wildcards)) grantee = entry;
    if (key === 'kms:grantoperations' && op.set === 'ForAllValues' && op.family === 'String' && entry.values.length > 0) {
      // A closed list that does not itself include CreateGrant (which would let the grantee hand the key on again).
      const closed = entry.values.every((v) => typeof v.value === 'string' && v.value !== '' && !wildcardToRegExp(v.value).test('CreateGrant') && (!op.wildcards || !/^[*?]+$/.test(v.value)));
      if (closed) operations = entry;
    }
  }
  if (grantee && operations) {
    return { verdict: 'constrained', why: `grants go only to ${grantee.values.map((v) => v.value).join(', ')} and allow only ${operations.values.map((v) => v.value).join(', ')} (kms:GranteePrincipal and ForAllValues kms:GrantOperations)`, entries: [grantee, operations] };
  }
  const partial = grantee ? 'kms:GranteePrincipal alone leaves the grant\'s operations open, CreateGrant among them' : operations ? 'ForAllValues kms:GrantOperations alone leaves the grantee open' : 'no condition limits the grantee or the grant';
  return { verdict: 'unrestricted', why: partial, entries: [grantee, operations].filter((e): e is ConditionEntry => !!e) };
}

/**
 * Statements that let someone who can still act call kms:PutKeyPolicy on this key: Allow, applying
 * to the key, admitting someone, with PutKeyPolicy left after the Deny statements, for a principal
 * that is (or may be) of the owner account: across accounts PutKeyPolicy has no effect.
 */
export function policyChangers(access: AccessModel): StatementAccess[] {
  return access.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      s.resources.appliesToKey !== 'no' &&
      s.audience.admits !== 'nobody' &&
      s.actions.effective.includes('kms:PutKeyPolicy') &&
      !onlyThroughService(s) &&
      // "Anyone" includes the owner's own principals; an organization may hold the owner account.
      s.audience.to.some((p) => p.reach === 'owner' || p.reach === 'maybe' || p.constraint.kind === 'anyone'),
  );
}

/**
 * A statement whose condition requires kms:ViaService: only requests an AWS service makes on the
 * caller's behalf carry that key (KMS guide, "kms:ViaService"), and no service calls PutKeyPolicy
 * for anyone, so such a statement lets nobody change the key policy.
 */
export function onlyThroughService(s: StatementAccess): boolean {
  return s.statement.conditions.some((entry) => {
    if (entry.lowerKey !== 'kms:viaservice') return false;
    const op = entry.parsed;
    return !!op && !op.negated && !op.ifExists && op.set !== 'ForAllValues' && op.family !== 'Null';
  });
}

/** KMS actions that only read a key's metadata: a service principal with just these can do nothing with the key. */

export interface ServiceScope {
  /** The service principals of the statement, as written. */
  services: EffectivePrincipal[];
  /** Condition entries that pin the calling service to your resources or accounts. */
  pins: ConditionEntry[];
  /** The statement lets the services use the key (more than read its metadata). */
  usesKey: boolean;
}

/**
 * Service principals of a statement and what pins them against the confused deputy:
 * aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths naming your accounts
 * or resources, or an encryption-context key whose ARN value names one account (the way the
 * CloudTrail and CloudWatch Logs key policies pin the trail or log group).
 */
export function serviceScope(access: StatementAccess): ServiceScope | undefined {
  const services = access.principals.filter((p) => p.constraint.kind === 'service');
  if (services.length === 0) return undefined;
  const pins: ConditionEntry[] = [];
  for (const reading of access.conditions) {
    if (reading.filledIn || (reading.verdict === 'restricts' && reading.admits?.some((c) => 'source' in c && c.source))) {
      pins.push(reading.entry);
      continue;
    }
    const key = reading.entry.lowerKey;
    if (!key.startsWith('kms:encryptioncontext:')) continue;
    const op = reading.entry.parsed;
    if (!op || op.negated || op.ifExists || op.set === 'ForAllValues' || (op.family !== 'String' && op.family !== 'Arn')) continue;
    const pinned = reading.entry.values.length > 0 && reading.entry.values.every((v) => {
      if (isWhollyUnknown(v.node)) return true; // the template fills the ARN in (`var.all ? [...] : [...]`): taken to pin
      if (typeof v.value !== 'string' || !v.value.startsWith('arn:')) return false;
      const account = arnFields(v.value)[4] ?? '';
      return /^\d{12}$/.test(account) || (account.includes('${') && !/[*?]/.test(account));
    });
    if (pinned) pins.push(reading.entry);
  }
  const usesKey = access.actions.effective.some((a) => !METADATA_ACTIONS.has(a));
  return { services, pins, usesKey };
}
