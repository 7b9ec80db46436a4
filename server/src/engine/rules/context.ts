/** What a rule receives, and small helpers rules share. */
import type { Catalog, ServiceInfo } from '../catalog';
import { actionPatternCoversLower, CatalogCache, matchActionsIn } from '../catalog';
import type { PolicyEditor } from '../tree';
import type { ListElement, PolicyModel, Statement, StringItem } from '../model';
import type { CheckOptions, Finding, Fix, PolicyKind, RelatedSpan, Severity, Span } from '../types';
import type { WorkspaceVisitors } from './workspaceContext';

export interface ReportExtras {
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedSpan[];
  unnecessary?: boolean;
}

export interface RuleContext {
  text: string;
  model: PolicyModel;
  catalog: Catalog;
  options: CheckOptions;
  edits: PolicyEditor;
  report(span: Span, message: string, extras?: ReportExtras): void;
}

/** What the engine runs on each policy document (tests may pass their own as extra rules). */
export interface Rule {
  id: string;
  severity: Severity;
  check(context: RuleContext): void;
}

export type RuleCategory = 'json' | 'grammar' | 'condition' | 'kms' | 'workspace' | 'config';

/** What every rule says about itself: settings, the schema, the README, docs and SARIF read it. */
export interface RuleMeta {
  /** Stable: users' settings, suppressions and CI depend on it. */
  id: string;
  /** The default severity. */
  severity: Severity;
  category: RuleCategory;
  /** One line: what the rule finds. */
  summary: string;
  /** Whether a finding can mean access wider than intended, or a key nobody can manage. */
  security: boolean;
  /** The kinds of policy the rule applies to; every kind when absent. */
  appliesTo?: readonly PolicyKind[];
  /** Judges a whole policy (Version, size, who can still manage the key): not run on statement fragments. */
  wholePolicy?: boolean;
  /** Reads Condition elements only: not run on a policy that has none (most identity policies). */
  conditionsOnly?: boolean;
}

/**
 * How a rule is run: `document` rules check one policy (the engine runs them on every
 * document); `workspace` rules look across files (the workspace index runs them); `parse` and
 * `config` rules are reported by the parser and by keyshare.json's reader, so their file holds
 * the metadata only.
 */
export type RuleKind = 'document' | 'workspace' | 'parse' | 'config';

export interface DocumentRule extends Rule {
  kind: 'document';
  meta: RuleMeta;
  /** A document rule may also look across files, for what one file cannot tell. */
  workspace?: WorkspaceVisitors;
}

/** A rule whose findings come from parsing (the document, or keyshare.json), not from a check of its own. */
export interface ReportedElsewhereRule {
  kind: 'parse' | 'config';
  meta: RuleMeta;
}

/** A rule reported by the parser or by keyshare.json's reader: its file holds its metadata, and says where its findings come from. */
export function reportedElsewhere(kind: ReportedElsewhereRule['kind'], meta: RuleMeta): ReportedElsewhereRule {
  return { kind, meta };
}

/** A document rule: its metadata beside its check. */
export function documentRule(rule: { meta: RuleMeta; check(context: RuleContext): void; workspace?: WorkspaceVisitors }): DocumentRule {
  return { ...rule, kind: 'document', id: rule.meta.id, severity: rule.meta.severity };
}

/** One context per document, handed to each rule in turn (`rule` says whose findings these are). */
export class DocumentContext implements RuleContext {
  readonly text: string;
  rule: Rule | undefined;

  constructor(
    readonly model: PolicyModel,
    readonly catalog: Catalog,
    readonly options: CheckOptions,
    readonly edits: PolicyEditor,
    private readonly sink: Finding[],
  ) {
    this.text = model.text;
  }

  report(span: Span, message: string, extras: ReportExtras = {}): void {
    const rule = this.rule!;
    const finding: Finding = { ruleId: rule.id, severity: extras.severity ?? rule.severity, message, start: span.start, end: span.end };
    if (extras.fixes?.length) finding.fixes = extras.fixes;
    if (extras.related?.length) finding.related = extras.related;
    if (extras.unnecessary) finding.unnecessary = true;
    this.sink.push(finding);
  }
}

export const KIND_NAMES: Record<PolicyKind, string> = {
  'key-policy': 'KMS key policy',
  'identity-policy': 'IAM identity policy',
  'resource-policy': 'resource policy',
  'trust-policy': 'role trust policy',
  scp: 'service control policy',
};

const KIND_EVIDENCE: Record<PolicyModel['kindSource'], string> = {
  configuration: 'as keyshare.json says',
  host: 'from the template property that holds it',
  'file name': 'from its file name',
  content: 'from most of its statements',
};

/** "This file is an IAM identity policy (from its file name)": the kind and how it was known, for messages. */
export function describeKind(model: PolicyModel): string {
  return `This is ${/^[aeiou]/i.test(KIND_NAMES[model.kind]) ? 'an' : 'a'} ${KIND_NAMES[model.kind]} (${KIND_EVIDENCE[model.kindSource]})`;
}

export function isAllow(statement: Statement): boolean {
  return statement.effect?.value === 'Allow';
}

/** Per Action-list signature: action to whether the list lets it through. Shared across files. */
const coverCache = new Map<string, Map<string, boolean>>();
// On the statement itself, not in a WeakMap: it dies with the statement in young-generation collections.
const AWS_PRINCIPALS = Symbol('AWS principal items');
type WithPrincipals = Statement & { [AWS_PRINCIPALS]?: StringItem[] };

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

/** AWS principal items of a statement (not NotPrincipal). */
export function awsPrincipalItems(statement: Statement): StringItem[] {
  let items = (statement as WithPrincipals)[AWS_PRINCIPALS];
  if (!items) {
    const principals = statement.principals;
    items = [];
    if (principals && !principals.negated) {
      if (principals.wildcard) items.push(principals.wildcard);
      else for (const entry of principals.entries) if (entry.type === 'AWS') items.push(...entry.items);
    }
    (statement as WithPrincipals)[AWS_PRINCIPALS] = items;
  }
  return items;
}

export function grantsToEveryone(statement: Statement): StringItem | undefined {
  if (!statement.principals || statement.principals.negated) return undefined;
  if (statement.principals.wildcard?.value === '*') return statement.principals.wildcard;
  return awsPrincipalItems(statement).find((i) => i.value === '*');
}

/** Condition keys that pin a "*" principal to known accounts when tested positively. */
const RESTRICTING_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'kms:calleraccount',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:userid',
]);

export function restrictingCondition(statement: Statement): boolean {
  return statement.conditions.some(
    (c) =>
      RESTRICTING_KEYS.has(c.key.toLowerCase()) &&
      !/Not|IfExists$|^Null$/.test(c.operator) &&
      !c.operator.startsWith('ForAllValues:') &&
      c.values.length > 0 &&
      c.values.every((v) => typeof v.value === 'string' && v.value !== '*' && v.value !== ''),
  );
}

export const USAGE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
export const CRYPTO_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];
export const ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'];
/** Actions that change or destroy the key, its policy or its lifecycle: the owner's business. */
export const MANAGEMENT_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:ReplicateKey',
  'kms:UpdatePrimaryRegion',
];

export function describeList(values: string[], limit = 4): string {
  if (values.length <= limit) return values.join(', ');
  return `${values.slice(0, limit).join(', ')} and ${values.length - limit} more`;
}
