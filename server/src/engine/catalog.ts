/**
 * The IAM catalog as the engine sees it: synchronous look-ups of services, actions and
 * condition keys. Where the data comes from (files, memory) is the caller's business.
 */

export interface ActionInfo {
  service: string;
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes: string[];
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

const MATCHES_ALL: ActionMatch = Object.freeze({ actions: [], allServices: true });
const UNKNOWN_SERVICE: ActionMatch = Object.freeze({ actions: [], unknownService: true });
/** Per service (so a replaced catalog never sees stale answers): pattern to its match. */
const matchCache = new WeakMap<ServiceInfo, Map<string, ActionMatch>>();

export function matchActions(catalog: Catalog, pattern: string): ActionMatch {
  const trimmed = pattern.trim();
  if (trimmed === '*') return MATCHES_ALL;
  const colon = trimmed.indexOf(':');
  if (colon < 0) return UNKNOWN_SERVICE;
  const prefix = trimmed.slice(0, colon).toLowerCase();
  if (hasWildcard(prefix)) return MATCHES_ALL;
  const service = catalog.service(prefix);
  if (!service) return UNKNOWN_SERVICE;
  let cache = matchCache.get(service);
  if (!cache) matchCache.set(service, (cache = new Map()));
  let match = cache.get(trimmed);
  if (!match) {
    match = Object.freeze({ actions: Object.freeze(actionsMatching(service, trimmed.slice(colon + 1))) });
    if (cache.size > 5000) cache.clear();
    cache.set(trimmed, match);
  }
  return match;
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

export function findConditionKey(catalog: Catalog, key: string): ConditionKeyInfo | undefined {
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
