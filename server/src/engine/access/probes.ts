/**
 * The rules' questions, asked of the evaluator as requests. A rule wants to know whether a caller
 * the policy does not name can meet a condition, whether a direct call (no service in between)
 * can, or whether a grant to anyone, with any operations, can be created. Each question is a
 * request that fixes only what the question says; every other key stays unknown. The evaluator
 * (`conditionHolds`) answers it, so the rules and `explain` read operators, `...IfExists`, set
 * operators, wildcards and absent keys in one way.
 *
 * What is not the evaluator's is where a value names its account or organization (the account
 * field of an ARN, the organization ID that starts a path): `identityIsWild` says where, and the
 * stranger's values are the written ones with those wildcards filled with the stranger's account.
 */
import { arnFields, isPolicyVariable, POLICY_VARIABLE } from '../arn';
import type { Catalog } from '../catalog';
import type { ConditionEntry } from '../model';
import type { PolicyKind } from '../types';
import { conditionHolds, type Tri } from './evaluator';
import type { AccessRequest, Caller } from './request';

/** An account, organization and name that no policy names. */
export const STRANGER = { account: '731902846150', org: 'o-k7s9t3r2a8n6', name: 'keyshare-stranger' } as const;

/** What a question knows of where the policy lives. */
export interface ProbeContext {
  kind: PolicyKind;
  ownerAccount?: string;
  catalog?: Catalog;
}

export interface Probe {
  caller?: Caller;
  /** One action, or '' for any of the statement's actions. */
  action?: string;
  values?: Record<string, readonly string[]>;
  absent?: readonly string[];
}

const UNNAMED: Caller = { principal: '', kind: 'unnamed' };

/** A request that fixes only what the probe says. */
export function probeRequest(context: ProbeContext, probe: Probe): AccessRequest {
  const owner = context.ownerAccount && /^\d{12}$/.test(context.ownerAccount) ? context.ownerAccount : undefined;
  const supplied = new Map<string, readonly string[]>();
  for (const [key, values] of Object.entries(probe.values ?? {})) supplied.set(key.toLowerCase(), values);
  return {
    caller: probe.caller ?? UNNAMED,
    action: probe.action ?? '',
    // The key's account is the policy's (aws:ResourceAccount); which key is left open.
    keyArn: owner ? `arn:aws:kms:*:${owner}:key/*` : '',
    policy: context.kind,
    supplied,
    absent: probe.absent ? new Set(probe.absent.map((k) => k.toLowerCase())) : undefined,
    where: owner ? { 'owner-account': owner } : undefined,
    partsAsWritten: true,
  };
}

/** One entry against a probe. */
export function entryHolds(entry: ConditionEntry, context: ProbeContext, probe: Probe): Tri {
  return conditionHolds(entry, probeRequest(context, probe), context.catalog).value;
}

/** The entries a probe makes false: each alone keeps such a request out. */
export function entriesFalseFor(entries: readonly ConditionEntry[], context: ProbeContext, probe: Probe): ConditionEntry[] {
  const request = probeRequest(context, probe);
  return entries.filter((entry) => conditionHolds(entry, request, context.catalog).value === false);
}

/** What a value of an identity key names, for where its account sits. */
export type IdentityNames = 'org' | 'org-path' | 'account' | 'arn' | 'service' | 'userid' | 'network' | 'via-service' | 'is-service';

/** The value without template placeholders and policy variables (whose `*` is no wildcard). */
function outsidePlaceholders(value: string): string {
  return value.includes('${') ? value.replace(POLICY_VARIABLE, '') : value;
}

const wild = (text: string) => text.includes('*') || text.includes('?');

/** Whether a value's wildcards reach the part that says whose it is: a stranger can then write a value that matches. */
export function identityIsWild(value: string, names: IdentityNames): boolean {
  const text = outsidePlaceholders(value);
  if (!wild(text)) return false;
  switch (names) {
    case 'org-path':
      return wild(text.split('/')[0]);
    case 'arn': {
      // A value the template fills in at the start (`${aws_iam_role.app.arn}*`) fixes the account itself.
      if (!text.startsWith('arn:')) return !value.startsWith('${');
      const fields = arnFields(text);
      return fields.length < 6 || wild(fields[4]);
    }
    case 'userid':
      return /^[*?]/.test(text);
    default:
      return true;
  }
}

/**
 * The value with its wildcards filled as a stranger would: in an ARN, the account field's with the
 * stranger's account and the others' with a name of its own; elsewhere with the stranger's account.
 */
function instantiate(value: string, names: IdentityNames): string {
  if (names === 'arn' && value.startsWith('arn:')) {
    const fields = arnFields(value);
    if (fields.length >= 6) return fields.map((field, i) => (i === 4 ? fillWith(field, STRANGER.account) : fillWith(field, STRANGER.name))).join(':');
  }
  return fillWith(value, STRANGER.account);
}

/** Wildcards filled with `text`, template parts and policy variables kept. */
function fillWith(value: string, text: string): string {
  let out = '';
  let last = 0;
  for (const match of value.matchAll(POLICY_VARIABLE)) {
    out += fill(value.slice(last, match.index), text) + match[0];
    last = match.index! + match[0].length;
  }
  return out + fill(value.slice(last), text);
}

function fill(part: string, text: string): string {
  return part.replace(/\*/g, text).replace(/\?/g, text[0]);
}

/** How a stranger gets through: a request without the key, a value of its own, or a value matching a wildcard. */
export type StrangerPass = { by: 'absent' } | { by: 'own-value' } | { by: 'wildcard'; written: string };

export interface IdentityKeyFacts {
  names: IdentityNames;
  /** The key is absent for some callers (accounts outside organizations, direct callers...). */
  sometimesAbsent: boolean;
  /** A service acting for a resource, not the caller itself. */
  source?: boolean;
  /** A key that names someone other than the caller (kms:GranteePrincipal): its values go into this request as they are. */
  within?: Probe;
}

/**
 * Whether a caller the entry does not name can meet it: a stranger's account, organization or
 * ARN (or none, where the key is sometimes absent), evaluated by the evaluator. Undefined when it
 * cannot (or when it depends on values only deployment knows).
 */
export function strangerPasses(entry: ConditionEntry, identity: IdentityKeyFacts, context: ProbeContext): StrangerPass | undefined {
  const key = entry.lowerKey;
  const holds = (probe: Probe) => entryHolds(entry, context, probe) === true;
  if (identity.names === 'is-service') return holds({ caller: strangerRole() }) ? { by: 'own-value' } : undefined;
  if (identity.sometimesAbsent && holds(absentProbe(key, identity))) return { by: 'absent' };
  for (const item of entry.values) {
    if (typeof item.value !== 'string' || !identityIsWild(item.value, identity.names)) continue;
    if (holds(valueProbe(key, identity, instantiate(item.value, identity.names)))) return { by: 'wildcard', written: item.value };
  }
  if (holds(valueProbe(key, identity, ownValue(identity)))) return { by: 'own-value' };
  if (identity.names === 'arn' && !identity.source && holds(valueProbe(key, identity, `arn:aws:iam::${STRANGER.account}:user/${STRANGER.name}`))) return { by: 'own-value' };
  return undefined;
}

function strangerRole(account: string = STRANGER.account): Caller {
  return { principal: `arn:aws:iam::${account}:role/${STRANGER.name}`, account, kind: 'role' };
}

export const STRANGER_SERVICE: Caller = { principal: `${STRANGER.name}.amazonaws.com`, kind: 'service' };

/** A value of the stranger's own, for a key that names this. */
function ownValue(identity: IdentityKeyFacts): string {
  switch (identity.names) {
    case 'org':
      return STRANGER.org;
    case 'org-path':
      return `${STRANGER.org}/r-k7s9/`;
    case 'account':
      return STRANGER.account;
    case 'arn':
      return identity.source ? `arn:aws:sqs:us-east-1:${STRANGER.account}:${STRANGER.name}` : strangerRole().principal;
    case 'service':
      return STRANGER_SERVICE.principal;
    case 'userid':
      return `AROAKEYSHARESTRANGER:${STRANGER.name}`;
    case 'network':
      return 'vpce-0a1b2c3d4e5f60789';
    default:
      return STRANGER.name;
  }
}

/** The stranger's request without the key. */
function absentProbe(key: string, identity: IdentityKeyFacts): Probe {
  if (identity.within) return { ...identity.within, absent: [...(identity.within.absent ?? []), key] };
  // Source keys and aws:PrincipalServiceName are absent for every caller that is no service: the request model says so.
  if (identity.source || identity.names === 'service') return { caller: strangerRole() };
  return { caller: strangerRole(), absent: [key] };
}

/** The stranger's request carrying this value for the key, with a caller that agrees with it. */
function valueProbe(key: string, identity: IdentityKeyFacts, value: string): Probe {
  if (identity.within) return { ...identity.within, values: { ...identity.within.values, [key]: [value] } };
  if (identity.source) return { caller: STRANGER_SERVICE, values: { [key]: [value] } };
  switch (identity.names) {
    case 'account':
      return { caller: strangerRole(value) };
    case 'arn': {
      const account = arnFields(value)[4];
      return { caller: { principal: value, account: account && /^\d{12}$/.test(account) ? account : undefined, kind: value.includes(':user/') ? 'user' : 'role' } };
    }
    case 'service':
      return { caller: { principal: value, kind: 'service' } };
    default:
      return { caller: strangerRole(), values: { [key]: [value] } };
  }
}

/** Whether a value names a policy variable the request supplies (`${aws:PrincipalAccount}`). */
export function hasPolicyVariable(value: string): boolean {
  if (!value.includes('${')) return false;
  for (const match of value.matchAll(POLICY_VARIABLE)) if (isPolicyVariable(match[0].slice(2, -1))) return true;
  return false;
}
