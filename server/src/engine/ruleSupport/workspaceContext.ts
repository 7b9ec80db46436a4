/**
 * What a workspace (cross-file) rule receives. The workspace index keeps one small summary per
 * policy file; the index runs each workspace rule on the parts of a file that meet another
 * file (a key policy's grants, an identity policy's uses of other accounts' keys).
 */
import { ACCOUNT_ID, parseArn } from '../arn';
import type { PolicyModel } from '../model';
import type { LineRange } from '../text';
import type { Finding, Fix, RelatedSpan, Span } from '../types';
import type { RuleMeta } from './context';

export interface Grant {
  /** The principal value as written: an account ID, an IAM ARN or "*". */
  principal: string;
  account?: string;
  wildcard: boolean;
  /** The principal is an account's root (its ARN or its 12-digit ID): that account's IAM policies decide. */
  root: boolean;
  actions: ReadonlySet<string>;
  /** The Action items as written, for people. */
  written: string[];
  orgIds: string[];
  orgPaths: string[];
  accounts: string[];
  span: Span;
  range: LineRange;
}

/** kms actions: lower-cased (to compare) and as the catalog spells them (to show), in the same order. */
export interface KeyActions {
  readonly lower: readonly string[];
  readonly names: readonly string[];
}

export interface KeyUse {
  resource: string;
  span: Span;
  /** Lower-cased kms actions the statement allows on the key, to their names as the catalog spells them. */
  actions: ReadonlyMap<string, string>;
  /** The statement's Action items that allow any of them, each with its own actions. */
  items: { item: string; span: Span; actions: KeyActions }[];
  /** The Action items as written, for people. */
  written: string[];
  /** Values of kms:ResourceAliases / kms:RequestAlias conditions, if any. */
  aliasValues?: string[];
  /** The key is a resource of the same template or module (`!GetAtt DataKey.Arn`): matched to it whatever the accounts. */
  local?: boolean;
}

export interface FileSummary {
  uri: string;
  kind: PolicyModel['kind'];
  /** The account the file belongs to (configuration, path, or the key policy's root statement). */
  account?: string;
  /** Key policies: the key whose policy this is, when keyshare.json says so (inside a template, else a name for the key in its file). */
  keyArn?: string;
  /** Inside a template: the resource whose policy this is (a key, or the role whose inline policy it is). */
  resource?: string;
  grants: Grant[];
  uses: KeyUse[];
  /** Identity policies: Resource values that are alias ARNs (which grant nothing on the key behind them), to point at them. */
  aliasUses?: { alias: string; account: string; range: LineRange; span: Span }[];
  /** Identity policies: the principals keyshare.json says it is attached to (`principals`); undefined when not said. */
  attachedTo?: readonly string[];
  /** Key policies: where the policy's Statement is (the policy's own place inside a template), for related locations. */
  statementAt?: { span: Span; range: LineRange };
}

export interface KeyInfo {
  arn: string;
  aliases: string[];
  managed: 'customer' | 'aws';
  policyUri?: string;
  /** For people, where the ARN is not known: a key resource of a template (`DataKey in stack.yaml`). */
  name?: string;
}

/** A finding's extras; `severity` where the rule is less sure than its default (said as "if"). */
export type WorkspaceReportExtras = Pick<Finding, 'fixes' | 'related' | 'unnecessary'> & Partial<Pick<Finding, 'severity'>>;

export interface WorkspaceRuleContext {
  /** The file being checked. */
  readonly file: FileSummary;
  /** A key the workspace declares (keyshare.json), by ARN. */
  key(arn: string): KeyInfo | undefined;
  /** Every key the workspace declares. */
  keys(): Iterable<KeyInfo>;
  /** Is there an identity policy of `account` in the workspace that uses `key`? */
  accountUsesKey(account: string, key: KeyInfo): boolean;
  /** Identity policies of `account` that name one of the key's alias ARNs as Resource (which grants nothing), and where. */
  aliasUsersOf(account: string, key: KeyInfo): { uri: string; range: LineRange }[];
  /** Does the workspace know this account (configuration or files)? */
  accountKnown(account: string): boolean;
  /** A quick fix that declares a key in keyshare.json, if there is a config file to edit. */
  declareKeyFix(arn: string): Fix | undefined;
  report(span: Span, message: string, extras?: WorkspaceReportExtras): void;
}

/** A use, in an identity policy, of another account's key that the workspace knows. */
export interface KeyMatch {
  use: KeyUse;
  key: KeyInfo;
  /** The use is in the key's own account: only grants to that account's root let its IAM policies decide. */
  sameAccount?: boolean;
  /** The key's policy, when the workspace holds it. */
  readonly policy: FileSummary | undefined;
  /** The grants of that policy that reach the checked file's account. */
  readonly grants: readonly Grant[];
}

/** Where a workspace rule looks; the index calls these in rule order for each part of a file. */
export interface WorkspaceVisitors {
  /** Each grant of a key policy whose key keyshare.json declares. */
  grant?(context: WorkspaceRuleContext, grant: Grant): void;
  /** Each use, in an identity policy of a known account, of another account's key that matches no key the workspace knows. */
  unknownKey?(context: WorkspaceRuleContext, use: KeyUse): void;
  /** Each key the workspace knows that such a use matches. */
  keyUse?(context: WorkspaceRuleContext, match: KeyMatch): void;
}

export interface WorkspaceRule {
  kind: 'workspace';
  meta: RuleMeta;
  workspace: WorkspaceVisitors;
}

/** A workspace rule: its metadata beside its visitors. */
export function workspaceRule(rule: { meta: RuleMeta; workspace: WorkspaceVisitors }): WorkspaceRule {
  return { ...rule, kind: 'workspace' };
}

/** The account a resource ARN names, when it names exactly one. */
export function resourceAccount(resource: string): string | undefined {
  const arn = parseArn(resource);
  return arn && ACCOUNT_ID.test(arn.account) ? arn.account : undefined;
}

/** Related spans for another file's grants: where the key policy grants the checked file's account. */
export function grantsRelated(policy: FileSummary, grants: readonly Grant[]): RelatedSpan[] {
  return grants.map((g) => ({ uri: policy.uri, start: g.span.start, end: g.span.end, range: g.range, message: `the key policy grants ${g.principal}` }));
}

/** Up to five kms actions, without the service prefix, for messages. */
export const shortActions = (actions: Iterable<string>) => [...actions].map((a) => a.replace(/^kms:/, '')).slice(0, 5).join(', ');
