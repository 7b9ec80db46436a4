/**
 * The request model: which condition keys a real KMS request carries, and with what value, for
 * one caller, one action, one key and one policy being evaluated. Both halves of Keyshare's access
 * reasoning ask it: the access model (whom a statement can admit, for the rules) through
 * `structuralAbsence`, and the evaluator (does this statement match this request, for `explain`)
 * through `requestValue`. Each row of the table cites the AWS page it follows.
 *
 * A key's value is `absent` (the request never carries it), `known` (derived from the caller and
 * the key, or declared), or `unknown` (Keyshare cannot know it offline: the answer then depends
 * on it, and says how to supply it).
 */
import { KEY_ID, kmsResourceOf, parseArn, REGION } from '../arn';
import { findConditionKey, type Catalog } from '../catalog';
import type { PolicyKind } from '../types';

/** The caller as the request names it. */
export interface Caller {
  /** A role, user, session or account root ARN, or a service principal (`logs.amazonaws.com`). */
  principal: string;
  account?: string;
  /** `unnamed`: a rule's question that fixes no caller: every key derived from the caller is unknown. */
  kind: 'root' | 'role' | 'user' | 'session' | 'service' | 'other' | 'unnamed';
  /** For a session: its role's ARN with the role's path, where the workspace declares the role. */
  roleArn?: string;
}

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

export function callerOf(principal: string): Caller {
  const value = principal.trim();
  if (SERVICE_PRINCIPAL.test(value)) return { principal: value, kind: 'service' };
  if (/^\d{12}$/.test(value)) return { principal: `arn:aws:iam::${value}:root`, account: value, kind: 'root' };
  const arn = parseArn(value);
  if (!arn) return { principal: value, kind: 'other' };
  const account = /^\d{12}$/.test(arn.account) ? arn.account : undefined;
  const resource = arn.resource;
  if (arn.service === 'iam' && resource === 'root') return { principal: value, account, kind: 'root' };
  if (arn.service === 'iam' && resource.startsWith('role/')) return { principal: value, account, kind: 'role' };
  if (arn.service === 'iam' && resource.startsWith('user/')) return { principal: value, account, kind: 'user' };
  if (arn.service === 'sts' && resource.startsWith('assumed-role/')) return { principal: value, account, kind: 'session' };
  return { principal: value, account, kind: 'other' };
}

/**
 * Whether a role ARN (with any path) names the role of an assumed-role session ARN: the same
 * partition, account and role name. A session ARN leaves the role's path out, and role names are
 * unique within an account whatever their path, and not distinguished by case (IAM API, CreateRole).
 */
export function isRoleOfSession(roleArn: string, sessionArn: string): boolean {
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(sessionArn);
  return !!role && !!session && role[1] === session[1] && role[2] === session[2] && role[3].toLowerCase() === session[3].toLowerCase();
}

/** The role ARN of an assumed-role session ARN (`arn:aws:sts::A:assumed-role/R/s` to `arn:aws:iam::A:role/R`). */
export function sessionRole(arn: string): string | undefined {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

/** What is known of the organization (keyshare.json `organization`, `accounts`). */
export interface OrganizationFacts {
  id?: string;
  units: { id: string; path?: string; accounts: string[] }[];
  /** Accounts known to be members (declared accounts, and those of the units). */
  members: string[];
}

/** One request, as one policy sees it. */
export interface AccessRequest {
  caller: Caller;
  /** One KMS action as the catalog spells it (`kms:Decrypt`). */
  action: string;
  keyArn: string;
  /** The key's aliases, when keyshare.json declares them; undefined when not declared. */
  keyAliases?: readonly string[];
  /** Aliases the key surely has, not necessarily all (its template creates them). */
  knownAliases?: readonly string[];
  /** The policy being evaluated: key policies never see some keys. */
  policy: PolicyKind;
  /** Values the question supplies (`--context key=value`), by lower-cased key. */
  supplied: ReadonlyMap<string, readonly string[]>;
  /**
   * A rule's probe: a value the template fills in stands for itself, the same text in the request
   * as in the policy (the stranger writes the Region the template gives), not an unknown.
   */
  partsAsWritten?: boolean;
  /** Keys the question says the request does not carry, lower-cased (a rule's probe: a direct call has no kms:ViaService). */
  absent?: ReadonlySet<string>;
  organization?: OrganizationFacts;
  /** Where the policy being evaluated lives, for the values its template fills in (`${AWS::Region}`). */
  where?: { 'owner-account'?: string; region?: string; partition?: string };
}

export type KeyValue =
  | { state: 'absent'; why: string }
  | { state: 'known'; values: readonly string[] }
  /** `needs`: the fact the answer depends on, and how to supply it; `present`: the request carries the key, whatever its value. */
  | { state: 'unknown'; needs: string; present?: boolean };

/** Where each row of the table comes from. */
export const SOURCES = {
  globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  kmsKeys: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html',
  abac: 'https://docs.aws.amazon.com/kms/latest/developerguide/abac.html',
  tags: 'https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html',
  kmsGlobal: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html',
  serviceAuthorization: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html',
} as const;

const supplyHint = (key: string, example: string) => `pass --context ${key}=${example}`;

/**
 * Why a key can never be in a request that this policy kind evaluates for these actions, whoever
 * the caller: other services' keys; keys KMS supports in IAM policies only; KMS keys and request
 * tags that none of the actions supports (from the catalog's per-action condition keys). `actions`
 * undefined: any action. Undefined when the key may be present.
 */
export function structuralAbsence(key: string, policy: PolicyKind, actions: readonly string[] | undefined, catalog: Catalog | undefined): string | undefined {
  const lower = key.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = lower.slice(0, colon);
  // Another service's keys are never in a KMS request: where only KMS requests meet the statement (a key
  // policy, or KMS actions alone). Web identity provider keys (accounts.google.com:sub) have a dot: left alone.
  if (prefix !== 'aws' && prefix !== 'kms') {
    const kmsOnly = policy === 'key-policy' || (!!actions && actions.length > 0 && actions.every((a) => a.toLowerCase().startsWith('kms:')));
    return kmsOnly && !prefix.includes('.') ? `${prefix}: keys belong to another service and are never in a KMS request` : undefined;
  }
  // A global key the catalog does not know (`aws:ARN`) is in no request: condition-key-unknown says so.
  if (prefix === 'aws' && catalog && !globalKeyKnown(catalog, lower)) return `${key} is not a global condition key, so no request carries it`;
  if (policy === 'key-policy' && (lower === 'kms:resourcealiases' || lower.startsWith('aws:resourcetag/'))) {
    // "IAM policies only" (abac.html); aws:ResourceTag "isn't supported in key policies" (tag-authorization.html).
    return 'KMS supports this key in IAM policies only; in a key policy it is never in the request';
  }
  if (!catalog || !actions || actions.length === 0) return undefined;
  if (prefix === 'kms' || lower.startsWith('aws:requesttag/') || lower === 'aws:tagkeys') {
    const none = actions.every((action) => !actionSupportsKey(catalog, action, lower));
    if (none) return `${actions.length === 1 ? `a ${actions[0]} request` : `a request for ${actions.join(', ')}`} never carries ${key}`;
  }
  return undefined;
}

const globalKeys = new WeakMap<Catalog, Map<string, boolean>>();

/** Whether the catalog knows an aws: key; asked per condition entry, so kept per catalog. */
function globalKeyKnown(catalog: Catalog, lower: string): boolean {
  let known = globalKeys.get(catalog);
  if (!known) globalKeys.set(catalog, (known = new Map()));
  let answer = known.get(lower);
  if (answer === undefined) {
    answer = !!findConditionKey(catalog, lower);
    if (known.size < 5000) known.set(lower, answer);
  }
  return answer;
}

/**
 * Whether the catalog lists the key for the action: the action's own keys, the keys of its row's
 * resource types and those of the resource types themselves (Service Authorization Reference).
 */
export function actionSupportsKey(catalog: Catalog, action: string, lowerKey: string): boolean {
  const keys = actionKeys(catalog, action);
  if (!keys) return true; // an action the catalog does not know: assume nothing
  if (keys.exact.has(lowerKey)) return true;
  for (const pattern of keys.patterns) if (pattern.test(lowerKey)) return true;
  return false;
}

/** Whether the catalog knows the action (`service:Action`). */
export function actionKnown(catalog: Catalog, action: string): boolean {
  return actionKeys(catalog, action) !== undefined;
}

/** An action's keys: exact (lower-cased), and those with a variable part (kms:EncryptionContext:${EncryptionContextKey}, s3:RequestObjectTag/<key>) as patterns. */
interface ActionKeys {
  exact: Set<string>;
  patterns: RegExp[];
}

const keyCache = new WeakMap<Catalog, Map<string, ActionKeys | undefined>>();

function actionKeys(catalog: Catalog, action: string): ActionKeys | undefined {
  let byAction = keyCache.get(catalog);
  if (!byAction) keyCache.set(catalog, (byAction = new Map()));
  const lowerAction = action.toLowerCase();
  if (byAction.has(lowerAction)) return byAction.get(lowerAction);
  const colon = lowerAction.indexOf(':');
  const service = colon > 0 ? catalog.service(lowerAction.slice(0, colon)) : undefined;
  const info = service?.actions.get(lowerAction.slice(colon + 1));
  let keys: ActionKeys | undefined;
  if (info) {
    keys = { exact: new Set(), patterns: [] };
    const add = (key: string) => {
      // Some services' catalog entries spell the tag variable as a literal word (`ssm:resourceTag/tag-key`).
      const lower = key.toLowerCase().replace(/\/tag-key$/, '/${tagkey}');
      if (!/[$<]/.test(lower)) keys!.exact.add(lower);
      else if (!keys!.patterns.some((p) => p.source === patternSource(lower))) keys!.patterns.push(new RegExp(patternSource(lower)));
    };
    for (const key of info.conditionKeys) add(key);
    for (const key of info.resourceConditionKeys ?? []) add(key);
    for (const type of info.resourceTypes) for (const key of service!.resourceTypes?.get(type.toLowerCase())?.conditionKeys ?? []) add(key);
    // The key resource's own keys (kms:ResourceAliases, aws:ResourceTag/...) come with every action on a key.
    if (info.resourceTypes.includes('key') && service!.prefix === 'kms') for (const key of KEY_RESOURCE_KEYS) add(key);
    for (const key of DOCUMENTED_ELSEWHERE[lowerAction] ?? []) add(key);
  }
  if (byAction.size < 5000) byAction.set(lowerAction, keys);
  return keys;
}

/**
 * Keys a service's own guide documents for an action that the Service Authorization Reference does
 * not list with it. Amazon Bedrock User Guide, "Grant IAM permissions to request access to Amazon
 * Bedrock foundation models with a product ID": "For the aws-marketplace:Subscribe action only, you
 * can use the aws-marketplace:ProductId condition key".
 */
const DOCUMENTED_ELSEWHERE: Readonly<Record<string, readonly string[]>> = {
  'aws-marketplace:subscribe': ['aws-marketplace:ProductId'],
};

/** The condition keys of the KMS `key` resource type (Service Authorization Reference). */
const KEY_RESOURCE_KEYS = ['aws:ResourceTag/${TagKey}', 'kms:KeyOrigin', 'kms:KeySpec', 'kms:KeyUsage', 'kms:MultiRegion', 'kms:MultiRegionKeyType', 'kms:ResourceAliases'];

/** A key with variable parts as a pattern: each `${...}` or `<...>` stands for one or more characters. */
function patternSource(lowerKey: string): string {
  return '^' + lowerKey.split(/\$\{[^}]*\}|<[^>]*>/).map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.+') + '$';
}

/** The value of a condition key in this request, as far as it can be known offline. */
export function requestValue(key: string, request: AccessRequest, catalog: Catalog | undefined): KeyValue {
  const lower = key.toLowerCase();
  // An empty action: a rule's probe, for any of the statement's actions (their absences were asked before).
  const absent = structuralAbsence(lower, request.policy, request.action ? [request.action] : undefined, catalog);
  if (absent) return { state: 'absent', why: absent };
  if (request.absent?.has(lower)) return { state: 'absent', why: `the request carries no ${key}` };
  const derived = derivedValue(lower, key, request);
  if (derived) return derived;
  const supplied = request.supplied.get(lower);
  if (supplied) return { state: 'known', values: supplied };
  return { state: 'unknown', needs: unknownNeeds(key, lower, request) };
}

/** KMS operations that generate data keys under a symmetric encryption KMS key. */
const DATA_KEY_ACTIONS = new Set(['kms:generatedatakey', 'kms:generatedatakeywithoutplaintext', 'kms:generatedatakeypair', 'kms:generatedatakeypairwithoutplaintext']);

/** Keys derived from the caller: unknown when a question names none. */
const CALLER_KEYS = new Set(['aws:principalarn', 'aws:principalaccount', 'kms:calleraccount', 'aws:principalisawsservice', 'aws:principalservicename', 'aws:principaltype', 'aws:username', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:principalorgid', 'aws:principalorgpaths']);

/** Keys every KMS request carries, derived from the caller and the key (IAM "AWS global condition context keys"; KMS "kms:CallerAccount"). */
function derivedValue(lower: string, key: string, request: AccessRequest): KeyValue | undefined {
  const { caller } = request;
  if (caller.kind === 'unnamed' && CALLER_KEYS.has(lower)) return undefined;
  const service = caller.kind === 'service';
  const notForServices = { state: 'absent', why: `a service principal's request carries no ${key}` } as const;
  switch (lower) {
    case 'aws:principalarn':
      // For a role session, the role's ARN, not the session's (aws:PrincipalArn), path included:
      // a session ARN leaves the path out, so it is known only where the workspace declares the role.
      if (service) return notForServices;
      if (caller.kind !== 'session') return { state: 'known', values: [caller.principal] };
      if (caller.roleArn) return { state: 'known', values: [caller.roleArn] };
      if (request.supplied.has('aws:principalarn')) return undefined;
      return { state: 'unknown', present: true, needs: `aws:PrincipalArn: the ARN of role ${(sessionRole(caller.principal) ?? caller.principal).split('/').pop()} with its path, which a session ARN leaves out (give the role's ARN as --principal, or declare the role in keyshare.json "principals")` };
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      if (service) return notForServices;
      return caller.account ? { state: 'known', values: [caller.account] } : undefined;
    case 'aws:principalisawsservice':
      return { state: 'known', values: [service ? 'true' : 'false'] };
    case 'aws:principalservicename':
      return service ? { state: 'known', values: [caller.principal] } : { state: 'absent', why: 'only a service principal\'s request carries aws:PrincipalServiceName' };
    case 'aws:principaltype':
      if (caller.kind === 'root') return { state: 'known', values: ['Account'] };
      if (caller.kind === 'user') return { state: 'known', values: ['User'] };
      if (caller.kind === 'role' || caller.kind === 'session') return { state: 'known', values: ['AssumedRole'] };
      return undefined;
    case 'aws:username':
      if (caller.kind === 'user') return { state: 'known', values: [caller.principal.split('/').pop()!] };
      if (caller.kind === 'role' || caller.kind === 'session' || service) return { state: 'absent', why: 'aws:username is in the request of IAM users only' };
      return undefined;
    case 'aws:resourceaccount': {
      const account = parseArn(request.keyArn)?.account;
      return account && /^\d{12}$/.test(account) ? { state: 'known', values: [account] } : undefined;
    }
    case 'aws:sourceaccount':
    case 'aws:sourcearn':
    case 'aws:sourceorgid':
    case 'aws:sourceorgpaths':
      // Only when a service principal calls on behalf of a resource.
      return service ? undefined : { state: 'absent', why: `${key} is in the request only when an AWS service principal calls on behalf of a resource` };
    case 'aws:principalorgid':
    case 'aws:principalorgpaths':
      if (service) return notForServices;
      return orgValue(lower, request);
    case 'kms:resourcealiases':
      return request.keyAliases ? { state: 'known', values: request.keyAliases } : undefined;
    case 'kms:multiregion': {
      // KMS guide, "Multi-Region keys": their key IDs begin with mrk-; a single-Region key's ID is a UUID.
      const arn = parseArn(request.keyArn);
      const resource = arn && kmsResourceOf(arn);
      // A key ID, not a pattern (`key/*` of a key declared by its policy only).
      return resource?.type === 'key' && KEY_ID.test(resource.id) ? { state: 'known', values: [resource.id.startsWith('mrk-') ? 'true' : 'false'] } : undefined;
    }
    case 'kms:encryptionalgorithm': {
      // "These operations use only symmetric encryption KMS keys and the SYMMETRIC_DEFAULT algorithm" (KMS guide,
      // kms:EncryptionAlgorithm): the data key operations; and a symmetric encryption key has that algorithm only.
      if (DATA_KEY_ACTIONS.has(request.action.toLowerCase())) return { state: 'known', values: ['SYMMETRIC_DEFAULT'] };
      if (request.supplied.has('kms:encryptionalgorithm')) return undefined;
      return request.supplied.get('kms:keyspec')?.[0] === 'SYMMETRIC_DEFAULT' ? { state: 'known', values: ['SYMMETRIC_DEFAULT'] } : undefined;
    }
    case 'aws:requestedregion': {
      // A KMS key is used through the KMS endpoint of its own Region (KMS keys are Regional).
      const region = parseArn(request.keyArn)?.region;
      return region && REGION.test(region) ? { state: 'known', values: [region] } : undefined;
    }
    default:
      // The encryption context given is the request's whole context: a pair not given is not in it.
      if (lower.startsWith('kms:encryptioncontext:') && !request.supplied.has(lower)) {
        const keys = request.supplied.get('kms:encryptioncontextkeys');
        const name = lower.slice('kms:encryptioncontext:'.length);
        if (keys && !keys.some((k) => k.toLowerCase() === name)) return { state: 'absent', why: `the request's encryption context (${keys.join(', ')}) has no ${key.slice('kms:EncryptionContext:'.length)}` };
      }
      return undefined;
  }
}

/** The organization of the caller's account, when keyshare.json says it is a member (never assumed). */
function orgValue(lower: string, request: AccessRequest): KeyValue | undefined {
  const org = request.organization;
  const account = request.caller.account;
  if (!org?.id || !account || !org.members.includes(account)) return undefined;
  if (lower === 'aws:principalorgid') return { state: 'known', values: [org.id] };
  const paths = org.units.filter((u) => u.path && u.accounts.includes(account)).map((u) => u.path!);
  // The declared units are taken as all of the account's: in none of them, it sits at the root.
  return { state: 'known', values: paths.length ? paths : [`${org.id}/`] };
}

function unknownNeeds(key: string, lower: string, request: AccessRequest): string {
  const account = request.caller.account;
  if (lower === 'aws:principalorgid') {
    return `aws:PrincipalOrgID: whether account ${account ?? 'of the caller'} is in the organization (declare it in keyshare.json "organization" and "accounts", or ${supplyHint(key, 'o-a1b2c3d4e5')})`;
  }
  if (lower === 'aws:principalorgpaths') {
    return `aws:PrincipalOrgPaths: where account ${account ?? 'of the caller'} sits in the organization (declare its unit in keyshare.json "organization", or ${supplyHint(key, 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/')})`;
  }
  if (lower === 'kms:viaservice') return `kms:ViaService: whether the request comes through an AWS service (${supplyHint(key, 's3.us-east-1.amazonaws.com')})`;
  if (lower.startsWith('kms:encryptioncontext')) return `${key}: the encryption context of the request (${supplyHint(key.includes(':', 4) && lower !== 'kms:encryptioncontextkeys' ? key : 'kms:EncryptionContext:purpose', 'value')})`;
  if (lower === 'kms:resourcealiases') return `kms:ResourceAliases: the key's aliases (declare them in keyshare.json "keys", or ${supplyHint(key, 'alias/name')})`;
  if (lower === 'kms:requestalias') return `kms:RequestAlias: whether the request names the key by this alias (${supplyHint(key, 'alias/name')})`;
  if (lower.startsWith('aws:resourcetag/')) return `${key}: the key's tags (${supplyHint(key, 'value')})`;
  if (lower.startsWith('aws:sourcevpc')) return `${key}: whether the request comes through a VPC endpoint (${supplyHint(key, 'vpce-1a2b3c4d')})`;
  return `${key} (${supplyHint(key, 'value')})`;
}

/**
 * The request facts given. The `kms:EncryptionContext:<key>` pairs given are taken as the
 * request's whole encryption context, so they also give `kms:EncryptionContextKeys` (the keys,
 * as written: they are case-sensitive).
 */
export function suppliedContext(context: Record<string, string>): Map<string, string[]> {
  const supplied = new Map<string, string[]>();
  const contextKeys: string[] = [];
  for (const [key, value] of Object.entries(context)) {
    supplied.set(key.toLowerCase(), value.split(',').map((v) => v.trim()));
    if (/^kms:encryptioncontext:./i.test(key)) contextKeys.push(key.slice('kms:EncryptionContext:'.length));
  }
  if (contextKeys.length && !supplied.has('kms:encryptioncontextkeys')) supplied.set('kms:encryptioncontextkeys', contextKeys);
  return supplied;
}
