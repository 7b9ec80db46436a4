/**
 * One action expansion: which catalog actions an Action or NotAction list, or one action pattern,
 * covers. Rules, the access model, the handshake summaries and `explain` all expand through here.
 */
import { actionPatternCoversLower, CatalogCache, matchActionsIn, type Catalog, type ServiceInfo } from './catalog';
import type { ListElement, Statement, StringItem } from './model';

/** Per Action-list signature: action to whether the list lets it through. Shared across files. */
const coverCache = new Map<string, Map<string, boolean>>();

/** Does the statement's Action (or NotAction) element let through `service:Action`? */
export function statementCovers(statement: Statement, action: string): boolean {
  return !!statement.actions && listCovers(statement.actions, action);
}

const COVERS = Symbol('covers by action');
type WithCovers = ListElement & { [COVERS]?: Map<string, boolean> };

function listCovers(list: ListElement, action: string): boolean {
  // Kept on the list too: a statement asks about several actions, and the signature lookup is paid once.
  let cache = (list as WithCovers)[COVERS];
  if (!cache) {
    cache = coverCache.get(list.signature);
    if (!cache) {
      if (coverCache.size > 5000) coverCache.clear();
      coverCache.set(list.signature, (cache = new Map()));
    }
    (list as WithCovers)[COVERS] = cache;
  }
  let covers = cache.get(action);
  if (covers === undefined) {
    const lower = action.toLowerCase();
    const listed = list.items.some((item) => actionPatternCoversLower(item.value, lower));
    covers = list.negated ? !listed : listed;
    cache.set(action, covers);
  }
  return covers;
}

/** The action items that cover `service:Action` (empty for NotAction). */
export function itemsCovering(statement: Statement, action: string): StringItem[] {
  if (!statement.actions || statement.actions.negated) return [];
  const lower = action.toLowerCase();
  return statement.actions.items.filter((item) => actionPatternCoversLower(item.value, lower));
}

const qualifiedNames = new WeakMap<object, string[]>();
/** Per service: an Action (or NotAction) list, by its signature, to its expansion. */
const expansions = new CatalogCache((service: ServiceInfo, _signature: string, list: ListElement): ReadonlySet<string> => expandActions(service, list));
const coveredLowerCache = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();
const EMPTY: ReadonlySet<string> = new Set();

/** Expands the statement's actions to catalog names (`kms:Decrypt`) for one service. Shared: do not change. */
export function coveredActions(catalog: Catalog, statement: Statement, servicePrefix: string): ReadonlySet<string> {
  const service = catalog.service(servicePrefix);
  const list = statement.actions;
  if (!service || !list) return EMPTY;
  return expansions.get(service, list.signature, list);
}

/** The same names, lower-cased (as the workspace index compares them). */
export function coveredActionsLower(catalog: Catalog, statement: Statement, servicePrefix: string): ReadonlySet<string> {
  const covered = coveredActions(catalog, statement, servicePrefix);
  let lower = coveredLowerCache.get(covered);
  if (!lower) coveredLowerCache.set(covered, (lower = new Set([...covered].map((name) => name.toLowerCase()))));
  return lower;
}

function expandActions(service: ServiceInfo, list: ListElement): Set<string> {
  const result = new Set<string>();
  const servicePrefix = service.prefix;
  let all = qualifiedNames.get(service);
  if (!all) qualifiedNames.set(service, (all = [...service.actions.values()].map((a) => `${servicePrefix}:${a.name}`)));
  if (list.negated) {
    for (const name of all) if (listCovers(list, name)) result.add(name);
    return result;
  }
  for (const item of list.items) {
    const match = matchActionsIn(service, item.value);
    if (match.allServices) for (const name of all) result.add(name);
    for (const action of match.actions) if (action.service === servicePrefix) result.add(`${servicePrefix}:${action.name}`);
  }
  return result;
}


/** The actions of one service an action pattern matches (`kms:Generate*`, `*`), as the catalog spells them (`kms:GenerateDataKey`). Shared: do not change. */
export function actionsMatching(catalog: Catalog, pattern: string, servicePrefix: string): readonly string[] {
  const service = catalog.service(servicePrefix);
  return service ? patternExpansions.get(service, pattern, undefined) : NO_NAMES;
}

const NO_NAMES: readonly string[] = Object.freeze([]);
const patternExpansions = new CatalogCache((service: ServiceInfo, pattern: string): readonly string[] => {
  const match = matchActionsIn(service, pattern);
  const actions = match.allServices ? [...service.actions.values()] : match.actions.filter((a) => a.service === service.prefix);
  return Object.freeze(actions.map((a) => `${service.prefix}:${a.name}`));
});
