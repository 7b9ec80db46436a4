/**
 * The IAM catalog as the engine sees it: synchronous look-ups of services, actions and
 * condition keys. Where the data comes from (files, memory) is the caller's business.
 */
import { detached } from './text';

export interface ActionInfo {
  service: string;
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes: string[];
  conditionKeys: string[];
  /** Keys the action supports on one of its resource types only (the action's row in the reference). */
  resourceConditionKeys?: string[];
}

/** A resource type of a service: its ARN format and the condition keys that come with it. */
export interface ResourceTypeInfo {
  name: string;
  /** `arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`. */
  arn: string;
  conditionKeys: string[];
}

export interface ConditionKeyInfo {
  key: string;
  description: string;
  /** String, ArrayOfString, Bool, Numeric, Date, ARN, ArrayOfARN, IPAddress, ... */
  type: string;
}

export interface ServiceInfo {
  prefix: string;
  name: string;
  /** Lower-cased action name to details. */
  actions: Map<string, ActionInfo>;
  /** Lower-cased condition key to details. */
  conditionKeys: Map<string, ConditionKeyInfo>;
  /** Keys with a variable part (kms:EncryptionContext:${Key}) as patterns. */
  conditionPatterns: { pattern: RegExp; key: ConditionKeyInfo }[];
  /** Lower-cased resource type name to its ARN format and keys (absent when the catalog has none). */
  resourceTypes?: Map<string, ResourceTypeInfo>;
}

export interface Catalog {
  /** Every service prefix, without loading any service. */
  servicePrefixes(): readonly string[];
  /** Loads a service's data on first use. */
  service(prefix: string): ServiceInfo | undefined;
  /** Services whose condition keys use this prefix without being that service (e.g. `ec2` for `ec2:`). */
  servicesForConditionPrefix(prefix: string): readonly string[];
  globalConditionKeys(): readonly ConditionKeyInfo[];
}

export interface ActionMatch {
  /** The service prefix could not be found in the catalog. */
  unknownService?: boolean;
  /** Actions the pattern matches; empty for a known service means it matches nothing. Shared: do not change. */
  readonly actions: readonly ActionInfo[];
  /** The pattern was `*` or its service part holds a wildcard: matches across services. */
  allServices?: boolean;
}

const patternCache = new Map<string, RegExp>();

/** IAM wildcard (`*` any run, `?` one character) to a case-insensitive regular expression. */
export function wildcardToRegExp(pattern: string): RegExp {
  let cached = patternCache.get(pattern);
  if (!cached) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    cached = new RegExp(`^${source}$`, 'i');
    if (patternCache.size > 5000) patternCache.clear();
    patternCache.set(pattern, cached);
  }
  return cached;
}

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/**
 * Answers keyed by a string, kept per catalog or per service object (so a replaced catalog
 * starts afresh) and bounded. Policies repeat the same actions and lists across files, so most
 * look-ups are answered here. `compute` should be a module-level function: no closure per call.
 */
export class CatalogCache<O extends object, T, A = undefined> {
  private readonly byOwner = new WeakMap<O, Map<string, T>>();

  constructor(
    private readonly compute: (owner: O, key: string, extra: A) => T,
    private readonly limit = 5000,
  ) {}

  /** The last owner asked about and its answers: a check asks of one catalog thousands of times. */
  private lastOwner: O | undefined;
  private lastAnswers: Map<string, T> | undefined;

  get(owner: O, key: string, extra: A): T {
    let answers = owner === this.lastOwner ? this.lastAnswers : this.byOwner.get(owner);
    if (!answers) this.byOwner.set(owner, (answers = new Map()));
    this.lastOwner = owner;
    this.lastAnswers = answers;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = this.compute(owner, key, extra);
      if (answers.size >= this.limit) answers.clear();
      answers.set(detached(key), answer);
    }
    return answer;
  }
}

const MATCHES_ALL: ActionMatch = Object.freeze({ actions: [], allServices: true });
const UNKNOWN_SERVICE: ActionMatch = Object.freeze({ actions: [], unknownService: true });
const NO_ACTIONS: ActionMatch = Object.freeze({ actions: [] });
const matches = new CatalogCache((service: ServiceInfo, pattern: string, colon: number): ActionMatch =>
  Object.freeze({ actions: Object.freeze(actionsMatching(service, pattern.slice(colon + 1))) }),
);

export function matchActions(catalog: Catalog, pattern: string): ActionMatch {
  const trimmed = pattern.trim();
  const prefix = servicePart(trimmed);
  if (prefix === undefined) return UNKNOWN_SERVICE;
  if (prefix === '*') return MATCHES_ALL;
  const service = catalog.service(prefix);
  return service ? matches.get(service, trimmed, prefix.length) : UNKNOWN_SERVICE;
}

/** The same within one service: what a pattern of another service matches there is nothing. */
export function matchActionsIn(service: ServiceInfo, pattern: string): ActionMatch {
  const trimmed = pattern.trim();
  const prefix = servicePart(trimmed);
  if (prefix === undefined) return UNKNOWN_SERVICE;
  if (prefix === '*') return MATCHES_ALL;
  return prefix === service.prefix ? matches.get(service, trimmed, prefix.length) : NO_ACTIONS;
}

/** A trimmed pattern's service prefix, lower-cased; '*' when it matches across services; undefined without one. */
function servicePart(trimmed: string): string | undefined {
  if (trimmed === '*') return '*';
  const colon = trimmed.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = trimmed.slice(0, colon).toLowerCase();
  return hasWildcard(prefix) ? '*' : prefix;
}

function actionsMatching(service: ServiceInfo, name: string): ActionInfo[] {
  if (!hasWildcard(name)) {
    const action = service.actions.get(name.toLowerCase());
    return action ? [action] : [];
  }
  const regex = wildcardToRegExp(name);
  const actions: ActionInfo[] = [];
  for (const action of service.actions.values()) if (regex.test(action.name)) actions.push(action);
  return actions;
}

type ActionMatcher = (lowerAction: string) => boolean;
const matcherCache = new Map<string, ActionMatcher>();

function compileActionPattern(pattern: string): ActionMatcher {
  const trimmed = pattern.trim();
  if (trimmed === '*') return () => true;
  if (hasWildcard(trimmed)) {
    const regex = wildcardToRegExp(trimmed);
    return (lowerAction) => regex.test(lowerAction);
  }
  const lower = trimmed.toLowerCase();
  return (lowerAction) => lowerAction === lower;
}

/** Does an action pattern from a policy cover the named action (`service:action`, lower-cased)? */
export function actionPatternCoversLower(pattern: string, lowerAction: string): boolean {
  let matcher = matcherCache.get(pattern);
  if (!matcher) {
    matcher = compileActionPattern(pattern);
    if (matcherCache.size > 5000) matcherCache.clear();
    matcherCache.set(pattern, matcher);
  }
  return matcher(lowerAction);
}

const conditionKeys = new CatalogCache((catalog: Catalog, key: string): ConditionKeyInfo | null => lookUpConditionKey(catalog, key) ?? null);

/** The catalog's entry for a condition key (case-insensitive; `kms:EncryptionContext:x` finds its pattern). */
export function findConditionKey(catalog: Catalog, key: string): ConditionKeyInfo | undefined {
  return conditionKeys.get(catalog, key, undefined) ?? undefined;
}

function lookUpConditionKey(catalog: Catalog, key: string): ConditionKeyInfo | undefined {
  const lower = key.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = lower.slice(0, colon);
  if (prefix === 'aws') {
    const globals = catalog.globalConditionKeys();
    const exact = globals.find((g) => g.key.toLowerCase() === lower);
    if (exact) return exact;
    const slash = lower.indexOf('/');
    if (slash > 0 && slash < lower.length - 1) {
      const head = lower.slice(0, slash);
      return globals.find((g) => g.key.toLowerCase().startsWith(head + '/'));
    }
    return undefined;
  }
  const services = catalog.service(prefix) ? [prefix] : catalog.servicesForConditionPrefix(prefix);
  for (const serviceName of services) {
    const service = catalog.service(serviceName);
    if (!service) continue;
    const exact = service.conditionKeys.get(lower);
    if (exact) return exact;
    for (const { pattern, key: info } of service.conditionPatterns) if (pattern.test(key)) return info;
  }
  return undefined;
}

/** Is the condition key's service (or `aws`) known at all? */
export function conditionPrefixKnown(catalog: Catalog, key: string): boolean {
  const colon = key.indexOf(':');
  if (colon < 0) return false;
  const prefix = key.slice(0, colon).toLowerCase();
  return prefix === 'aws' || !!catalog.service(prefix) || catalog.servicesForConditionPrefix(prefix).length > 0;
}
