/**
 * The cross-account handshake across files: what each key policy grants to whom, what each
 * identity policy uses, and the run of the workspace rules (engine/rules/, one file per rule)
 * that report when one half is missing or does not match the other.
 * Pure: summaries are built from engine models; the index (index.ts) keeps them up to date.
 */
import { accountOfPrincipal, checkAwsPrincipal, kmsResourceOf, parseArn } from '../engine/arn';
import { hasWildcard, wildcardToRegExp, type Catalog } from '../engine/catalog';
import { actionsMatching, coveredActionsLower } from '../engine/actions';
import { isAliasAction, takesEffectAcrossAccounts } from '../engine/kms/actions';
import { accessModel, readOperator, type AccessModel, type StatementActions } from '../engine/access';
import type { PolicyModel, Statement, StringItem } from '../engine/model';
import type { PolicyNode } from '../engine/tree';
import { keyResourceOf, namesOwnAccount } from '../engine/parts';
import { awsPrincipalItems, type RuleMeta } from '../engine/ruleSupport/context';
import { WORKSPACE_RULES } from '../engine/ruleSupport/registry';
import {
  resourceAccount,
  type FileSummary,
  type Grant,
  type KeyActions,
  type KeyInfo,
  type KeyMatch,
  type KeyUse,
  type WorkspaceReportExtras,
  type WorkspaceRuleContext,
} from '../engine/ruleSupport/workspaceContext';
import { detached, LineIndex, type LineRange } from '../engine/text';
import type { Finding, Fix, Span } from '../engine/types';
import type { KeyshareConfig } from './config';

export type { FileSummary, Grant, KeyInfo, KeyUse } from '../engine/ruleSupport/workspaceContext';

function conditionValues(statement: Statement, key: string): string[] {
  const values: string[] = [];
  for (const c of statement.conditions) {
    const op = readOperator(c.operator);
    if (c.key.toLowerCase() === key && op && !op.negated && !op.ifExists) for (const v of c.values) values.push(detached(String(v.value)));
  }
  return values;
}

const keyActions = new WeakMap<readonly string[], KeyActions>();

/** The kms actions on a key that an Action pattern allows (alias operations aside); shared. */
function keyActionsOf(catalog: Catalog, pattern: string): KeyActions {
  const matched = actionsMatching(catalog, pattern, 'kms');
  let result = keyActions.get(matched);
  if (!result) {
    const names = matched.filter((name) => !isAliasAction(name));
    keyActions.set(matched, (result = { lower: names.map((name) => name.toLowerCase()), names }));
  }
  return result;
}

/** Lower-cased sets for the action lists the access model shares (no Deny took actions away): one per list, not one per statement. */
const sharedLower = new WeakMap<readonly string[], ReadonlySet<string>>();
function lowerActions(actions: StatementActions): ReadonlySet<string> {
  const lower = (list: readonly string[]) => new Set(list.map((a) => a.toLowerCase()));
  if (actions.effective !== actions.kms) return lower(actions.acrossAccounts);
  let set = sharedLower.get(actions.acrossAccounts);
  if (!set) sharedLower.set(actions.acrossAccounts, (set = lower(actions.acrossAccounts)));
  return set;
}

/**
 * What a key-policy statement grants across accounts, as the access model reads it: nothing when
 * it applies to no key or admits nobody; the restrictions that still apply to a "*" principal
 * (wildcards, negated operators and IfExists restrict nothing); the actions that take effect
 * across accounts once Deny statements are taken away.
 */
function keyPolicyGrant(access: AccessModel, statement: Statement) {
  const read = access.of(statement);
  if (read.resources.appliesToKey === 'no' || read.audience.admits === 'nobody') return undefined;
  const values = (kind: 'org' | 'org-path' | 'account') => {
    const result: string[] = [];
    for (const reading of read.conditions) {
      if (reading.verdict !== 'restricts' || !reading.admits) continue;
      for (const c of reading.admits) {
        if ('source' in c && c.source) continue;
        if (kind === 'org' && c.kind === 'org') result.push(detached(c.org));
        if (kind === 'org-path' && c.kind === 'org-path') result.push(detached(c.path));
        if (kind === 'account' && c.kind === 'account') result.push(detached(c.account));
      }
    }
    return result;
  };
  const admitted = new Set(read.audience.to.map((p) => p.item));
  return {
    actions: lowerActions(read.actions),
    orgIds: values('org'),
    orgPaths: values('org-path'),
    accounts: values('account'),
    /** A named principal that a condition contradicts is not granted anything. */
    admits: (item: StringItem) => item.value === '*' || admitted.has(item),
  };
}

/** The key resource of the same template a Resource item names, from the host's parts. */
export function templateKeyResource(item: StringItem): string | undefined {
  return keyResourceOf(item.node as PolicyNode | undefined);
}

/**
 * `templateKey`: for a policy inside a template, the identity of a key resource of the same
 * template (the ARN keyshare.json declares for it, else a name for the key inside this file);
 * uses of it are then matched to that key's policy.
 */
export function summarize(uri: string, model: PolicyModel, text: string | LineIndex, catalog: Catalog, keyArn?: string, templateKey?: (resource: string) => string | undefined): FileSummary {
  // Line ranges only for what other files point at (key policy grants), computed once if needed;
  // a template's policies share the analysis' index (one per policy would make a large template quadratic).
  let lines: LineIndex | undefined = typeof text === 'string' ? undefined : text;
  const rangeOf = (span: Span) => (lines ??= new LineIndex(text as string)).rangeOf(span);
  const summary: FileSummary = { uri, kind: model.kind, account: model.ownerAccount, keyArn, grants: [], uses: [] };
  const access = model.kind === 'key-policy' ? accessModel(model, catalog, keyArn) : undefined;
  if (model.kind === 'key-policy') {
    const at = model.statementElement?.keySpan ?? { start: model.root.offset, end: model.root.offset + Math.min(1, model.root.length) };
    summary.statementAt = { span: { start: at.start, end: at.end }, range: rangeOf(at) };
  }
  for (const statement of model.statements) {
    if (statement.effect?.value !== 'Allow' || !statement.actions) continue;
    const actions = coveredActionsLower(catalog, statement, 'kms');
    if (actions.size === 0) continue;
    if (model.kind === 'key-policy') {
      // Allow with NotPrincipal grants everyone not listed: a "*" grant, placed on the NotPrincipal key.
      const negated = statement.principals?.negated ? statement.principals.element.keySpan : undefined;
      const items = negated ? [{ value: '*', start: negated.start, end: negated.end } as StringItem] : awsPrincipalItems(statement);
      if (items.length === 0) continue;
      const grant = keyPolicyGrant(access!, statement);
      if (!grant || grant.actions.size === 0) continue;
      // One statement's grants share what the statement says (read-only from here on).
      const written = statement.actions.items.map((a) => detached(a.value));
      const { orgIds, orgPaths, accounts } = grant;
      for (const item of items) {
        if (!grant.admits(item)) continue;
        const check = item.value === '*' ? undefined : checkAwsPrincipal(item.value);
        summary.grants.push({
          principal: detached(item.value),
          account: accountOfPrincipal(item.value, model.ownerAccount, item.node as PolicyNode),
          wildcard: item.value === '*',
          root: (!!check?.ok && !!check.root) || (namesOwnAccount(item.node as PolicyNode) && !item.value.startsWith('arn:')),
          actions: grant.actions,
          written,
          orgIds,
          orgPaths,
          accounts,
          span: { start: item.start, end: item.end },
          range: rangeOf(item),
        });
      }
    } else if (model.kind === 'identity-policy' && statement.resources && !statement.resources.negated && !statement.actions.negated) {
      const items: KeyUse['items'] = [];
      const actions = new Map<string, string>();
      for (const item of statement.actions.items) {
        const itemActions = keyActionsOf(catalog, item.value);
        if (itemActions.lower.length === 0) continue;
        items.push({ item: detached(item.value), span: { start: item.start, end: item.end }, actions: itemActions });
        itemActions.lower.forEach((lower, i) => actions.set(lower, itemActions.names[i]));
      }
      if (items.length === 0) continue;
      const aliasValues = [...conditionValues(statement, 'kms:resourcealiases'), ...conditionValues(statement, 'kms:requestalias')];
      const written = statement.actions.items.map((a) => detached(a.value));
      for (const item of statement.resources.items) {
        const local = templateKey && templateKeyResource(item);
        const identity = local ? templateKey(local) : undefined;
        if (identity) {
          const local = localUse(items);
          if (local) summary.uses.push({ resource: identity, local: true, span: { start: item.start, end: item.end }, ...local, written, aliasValues: aliasValues.length ? aliasValues : undefined });
          continue;
        }
        const arn = parseArn(item.value);
        const resource = arn && arn.service === 'kms' ? kmsResourceOf(arn) : undefined;
        if (resource?.type === 'alias' && /^\d{12}$/.test(arn!.account)) {
          (summary.aliasUses ??= []).push({ alias: detached(resource.name), account: arn!.account, span: { start: item.start, end: item.end }, range: rangeOf(item) });
          continue;
        }
        if (!arn || arn.service !== 'kms' || kmsResourceOf(arn).type !== 'key') continue;
        summary.uses.push({ resource: detached(item.value), span: { start: item.start, end: item.end }, actions, items, written, aliasValues: aliasValues.length ? aliasValues : undefined });
      }
    }
  }
  return summary;
}

/**
 * A use of a key of the same template, compared with what its policy grants: the actions that
 * take effect across accounts, as grants hold only those (key administration is not compared).
 */
function localUse(items: KeyUse['items']): Pick<KeyUse, 'actions' | 'items'> | undefined {
  const actions = new Map<string, string>();
  const kept: KeyUse['items'] = [];
  for (const entry of items) {
    const keep = entry.actions.lower.map((lower, i) => [lower, entry.actions.names[i]] as const).filter(([lower]) => takesEffectAcrossAccounts(lower));
    if (keep.length === 0) continue;
    kept.push({ ...entry, actions: { lower: keep.map(([lower]) => lower), names: keep.map(([, name]) => name) } });
    for (const [lower, name] of keep) actions.set(lower, name);
  }
  return kept.length ? { actions, items: kept } : undefined;
}

/** Does a Resource value (with its alias conditions) name this key? */
export function useMatchesKey(use: KeyUse, key: KeyInfo): boolean {
  if (!hasWildcard(use.resource)) return use.resource === key.arn;
  if (!wildcardToRegExp(use.resource).test(key.arn)) return false;
  if (!use.aliasValues || key.aliases.length === 0) return true;
  return use.aliasValues.some((pattern) => key.aliases.some((alias) => wildcardToRegExp(pattern).test(alias)));
}

/** Accounts a grant reaches: its principal's account, or for "*" the accounts its conditions admit. */
export function grantReaches(grant: Grant, account: string, config: KeyshareConfig, attachedTo?: readonly string[]): boolean {
  // A grant to one role or user reaches an identity policy known to be attached to others not at all.
  if (grant.account && !grant.root && !grant.wildcard && attachedTo) return grant.account === account && attachedTo.some((arn) => sameName(arn, grant.principal));
  if (grant.account) return grant.account === account;
  if (!grant.wildcard) return false;
  if (grant.accounts.length) return grant.accounts.includes(account);
  const org = config.organization;
  if (grant.orgIds.length) {
    if (!org?.id || !grant.orgIds.some((id) => wildcardToRegExp(id).test(org.id!))) return false;
    return config.accounts.some((a) => a.id === account) || org.units.some((u) => u.accounts.includes(account));
  }
  if (grant.orgPaths.length) {
    const units = org?.units.filter((u) => u.accounts.includes(account) && u.path) ?? [];
    return units.some((u) => grant.orgPaths.some((p) => wildcardToRegExp(p).test(u.path!)));
  }
  return true; // an unrestricted "*": wildcard-principal reports that
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Inside one template the grantee is the template's own account: a grant reaches it unless it
 * names another account. A principal whose account the template fills in (`${AWS::AccountId}`)
 * or an account not known here may be the template's own, so it counts.
 */
function localGrantReaches(grant: Grant, account: string | undefined, config: KeyshareConfig): boolean {
  if (!account || (grant.account && !/^\d{12}$/.test(grant.account))) return true;
  if (grant.account || grant.wildcard) return grantReaches(grant, account, config);
  return true;
}

export interface WorkspaceView {
  config: KeyshareConfig;
  summary(uri: string): FileSummary | undefined;
  key(arn: string): KeyInfo | undefined;
  keys(): Iterable<KeyInfo>;
  /** Is there an identity policy of `account` in the workspace that uses `key`? */
  accountUsesKey(account: string, key: KeyInfo): boolean;
  /** Identity policies of `account` that name one of the key's alias ARNs as Resource. */
  aliasUsersOf(account: string, key: KeyInfo): { uri: string; range: LineRange }[];
  /** Does the workspace know this account (configuration or files)? */
  accountKnown(account: string): boolean;
  /** A quick fix that declares a key in keyshare.json, if there is a config file to edit. */
  declareKeyFix?(arn: string): Fix | undefined;
}

/** The workspace rules (in registry order) that visit each part of a file. */
const GRANT_RULES = WORKSPACE_RULES.filter((rule) => rule.workspace?.grant);
const UNKNOWN_KEY_RULES = WORKSPACE_RULES.filter((rule) => rule.workspace?.unknownKey);
const KEY_USE_RULES = WORKSPACE_RULES.filter((rule) => rule.workspace?.keyUse);

/** Runs the workspace rules on one file: the cross-file findings, given everything the workspace knows. */
export function handshakeFindings(uri: string, view: WorkspaceView): Finding[] {
  const file = view.summary(uri);
  if (!file) return [];
  const findings: Finding[] = [];
  const context = new FileContext(file, view, findings);

  // A template's key that no keyshare.json entry gives an ARN has none to match other files by.
  if (file.kind === 'key-policy' && file.keyArn?.startsWith('arn:')) {
    for (const grant of file.grants) {
      for (const rule of GRANT_RULES) {
        context.rule = rule;
        rule.workspace!.grant!(context, grant);
      }
    }
  }

  if (file.kind === 'identity-policy') {
    const account = file.account;
    for (const use of file.uses) {
      if (use.local) {
        // A key of the same template: the same account, matched to its policy by the key's identity.
        const key = view.key(use.resource);
        if (!key) continue;
        const match = keyMatch(use, key, account, view, true);
        for (const rule of KEY_USE_RULES) {
          context.rule = rule;
          rule.workspace!.keyUse!(context, match);
        }
        continue;
      }
      if (!account) continue;
      const owner = resourceAccount(use.resource);
      if (!owner) continue;
      const sameAccount = owner === account;
      const exact = hasWildcard(use.resource) ? undefined : view.key(use.resource);
      const keys = exact ? [exact] : hasWildcard(use.resource) ? [...view.keys()].filter((k) => useMatchesKey(use, k)) : [];
      if (keys.length === 0) {
        if (sameAccount) continue;
        for (const rule of UNKNOWN_KEY_RULES) {
          context.rule = rule;
          rule.workspace!.unknownKey!(context, use);
        }
        continue;
      }
      const matches = keys.map((key) => keyMatch(use, key, account, view, false, sameAccount, file.attachedTo));
      // A Resource over many keys (`key/*`) is not without effect because one of them does not share.
      if (keys.length > 1 && matches.some((m) => m.key.managed !== 'aws' && [...use.actions.keys()].some((a) => m.grants.some((g) => g.actions.has(a))))) continue;
      for (const match of matches) {
        for (const rule of KEY_USE_RULES) {
          context.rule = rule;
          rule.workspace!.keyUse!(context, match);
        }
      }
    }
  }
  return findings;
}

/** What a workspace rule sees of the file being checked, and where its findings go (`rule` says whose they are). */
class FileContext implements WorkspaceRuleContext {
  rule: { meta: RuleMeta } | undefined;

  constructor(
    readonly file: FileSummary,
    private readonly view: WorkspaceView,
    private readonly sink: Finding[],
  ) {}

  key(arn: string): KeyInfo | undefined {
    return this.view.key(arn);
  }

  keys(): Iterable<KeyInfo> {
    return this.view.keys();
  }

  accountUsesKey(account: string, key: KeyInfo): boolean {
    return this.view.accountUsesKey(account, key);
  }

  aliasUsersOf(account: string, key: KeyInfo): { uri: string; range: LineRange }[] {
    return this.view.aliasUsersOf(account, key);
  }

  accountKnown(account: string): boolean {
    return this.view.accountKnown(account);
  }

  declareKeyFix(arn: string): Fix | undefined {
    return this.view.declareKeyFix?.(arn);
  }

  report(span: Span, message: string, extras: WorkspaceReportExtras = {}): void {
    const { id, severity } = this.rule!.meta;
    this.sink.push({ ruleId: id, severity, message, start: span.start, end: span.end, ...extras });
  }
}

/**
 * A use of a known key; the key's policy and its grants to the account are looked up when a rule
 * asks. A class, not an object literal with getters: each such literal gets its own hidden class.
 */
class LazyKeyMatch implements KeyMatch {
  private found: FileSummary | undefined | null = null;
  private reaching?: Grant[];

  constructor(
    readonly use: KeyUse,
    readonly key: KeyInfo,
    private readonly account: string | undefined,
    private readonly view: WorkspaceView,
    private readonly local: boolean,
    readonly sameAccount: boolean,
    private readonly attachedTo: readonly string[] | undefined,
  ) {}

  get policy(): FileSummary | undefined {
    if (this.found === null) this.found = this.key.policyUri ? this.view.summary(this.key.policyUri) : undefined;
    return this.found;
  }

  get grants(): Grant[] {
    const { account, view, local, sameAccount, attachedTo } = this;
    const reaches = (g: Grant): boolean => {
      if (local) return localGrantReaches(g, account, view.config);
      // In the key's own account an IAM policy takes effect only through a grant to the account's root.
      if (sameAccount && !g.root && !g.wildcard) return !!attachedTo && grantReaches(g, account!, view.config, attachedTo);
      return grantReaches(g, account!, view.config, attachedTo);
    };
    return (this.reaching ??= this.policy ? this.policy.grants.filter(reaches) : []);
  }
}

function keyMatch(use: KeyUse, key: KeyInfo, account: string | undefined, view: WorkspaceView, local = false, sameAccount = false, attachedTo?: readonly string[]): KeyMatch {
  return new LazyKeyMatch(use, key, account, view, local, sameAccount, attachedTo);
}

export interface AccessRow {
  account: string;
  /** The key policy's principal (an account root, a role, or "*" with its condition). */
  principal?: string;
  actions: string[];
  status: 'complete' | 'key policy only' | 'IAM policy only';
  keyPolicy?: { uri: string; range: LineRange };
  identityPolicies: string[];
}

export interface KeyAccess {
  arn: string;
  aliases: string[];
  managed: 'customer' | 'aws';
  policyUri?: string;
  rows: AccessRow[];
}

/** For each declared key: who may do what across accounts, and whether both halves exist. */
export function accessMap(view: WorkspaceView & { usersOfKey(key: KeyInfo): FileSummary[] }): KeyAccess[] {
  const result: KeyAccess[] = [];
  for (const key of view.keys()) {
    const owner = resourceAccount(key.arn);
    const policy = key.policyUri ? view.summary(key.policyUri) : undefined;
    const users = view.usersOfKey(key).filter((u) => u.account && u.account !== owner);
    const rows: AccessRow[] = [];
    const covered = new Set<string>();
    for (const grant of policy?.grants ?? []) {
      if (grant.account === owner) continue;
      const accounts = grant.account ? [grant.account] : [...new Set(users.map((u) => u.account!))].filter((a) => grantReaches(grant, a, view.config));
      const principal = grant.wildcard ? `* (${[...grant.orgIds.map((o) => `aws:PrincipalOrgID ${o}`), ...grant.orgPaths.map((p) => `aws:PrincipalOrgPaths ${p}`), ...grant.accounts.map((a) => `account ${a}`)].join(', ') || 'no restricting condition'})` : grant.principal;
      if (accounts.length === 0) {
        rows.push({ account: grant.wildcard ? 'any matching account' : '?', principal, actions: [...grant.written], status: 'key policy only', keyPolicy: { uri: policy!.uri, range: grant.range }, identityPolicies: [] });
        continue;
      }
      for (const account of accounts) {
        const identity = users.filter((u) => u.account === account).map((u) => u.uri);
        covered.add(account);
        // Several statements for the same principal (use, grants) make one row.
        const same = rows.find((r) => r.account === account && r.principal === principal);
        if (same) {
          same.actions = [...new Set([...same.actions, ...grant.written])];
          continue;
        }
        rows.push({ account, principal, actions: [...grant.written], status: identity.length ? 'complete' : 'key policy only', keyPolicy: { uri: policy!.uri, range: grant.range }, identityPolicies: identity });
      }
    }
    for (const user of users) {
      if (covered.has(user.account!)) continue;
      const actions = [...new Set(user.uses.filter((u) => useMatchesKey(u, key)).flatMap((u) => u.written))];
      const existing = rows.find((r) => r.status === 'IAM policy only' && r.account === user.account);
      if (existing) existing.identityPolicies.push(user.uri);
      else rows.push({ account: user.account!, actions, status: 'IAM policy only', identityPolicies: [user.uri] });
    }
    rows.sort((a, b) => a.account.localeCompare(b.account));
    result.push({ arn: key.arn, aliases: key.aliases, managed: key.managed, policyUri: key.policyUri, rows });
  }
  return result;
}
