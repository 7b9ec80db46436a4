/**
 * The rules' questions, asked of the evaluator as requests. A rule wants to know whether a caller
 * the policy does not name can meet a condition, whether a direct call (no service in between)
 * can, or whether a grant to anyone, with any operations, can be created. Each question is a
 * request that fixes only what the question says; every other key stays unknown. The evaluator
 * (`conditionHolds`) answers it, so the rules and `explain` read operators, `...IfExists`, set
 * operators, wildcards and absent keys in one way.
 *
 * What is not the evaluator's is where a value names its account or organization (the account
 * field of an ARN, the organization ID that starts a path): `strangerValue` fills the wildcards
 * there with the stranger's own, where the written value lets it.
 */
import { arnFields, POLICY_VARIABLE } from '../arn';
import { hasWildcard, type Catalog } from '../catalog';
import type { ConditionEntry } from '../model';
import type { PolicyKind } from '../types';
import { conditionHolds, type Tri } from './evaluator';
import type { AccessRequest, Caller } from './request';

/** An account, organization and name that no policy names. */
const STRANGER = { account: '731902846150', org: 'o-k7s9t3r2a8n6', name: 'keyshare-stranger' } as const;

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
function probeRequest(context: ProbeContext, probe: Probe): AccessRequest {
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

/**
 * The value a stranger would write to meet a written value whose wildcards reach what says whose
 * it is (the account field of an ARN, or its resource name where the ARN has no account, like an
 * S3 bucket's; an organization ID; a unique ID): undefined when the wildcards leave that as
 * written. `spansColons`: the operator's `*` may cover colons (StringLike), not only one ARN
 * field (ArnLike compares the six fields one by one).
 */
function strangerValue(value: string, names: IdentityNames, spansColons: boolean): string | undefined {
  const text = outsidePlaceholders(value);
  if (!hasWildcard(text)) return undefined;
  switch (names) {
    case 'org-path':
      return hasWildcard(text.split('/')[0]) ? fillWith(value, STRANGER.account) : undefined;
    case 'userid':
      // The unique ID before the colon (AROA..., AIDA...) is the principal's own.
      return hasWildcard(text.split(':')[0]) ? fillWith(value, STRANGER.account) : undefined;
    case 'arn':
      return strangerArn(value, spansColons);
    case 'account':
      return strangerAccount(value);
    default:
      return fillWith(value, STRANGER.account);
  }
}

/**
 * An account ID is 12 digits (Organizations API, the account ID pattern): the wildcards filled
 * with digits to that length, or none when the written digits leave no other account
 * (`111122223333*` is that account alone).
 */
function strangerAccount(value: string): string | undefined {
  if (value.includes('${')) return undefined;
  const literal = value.replace(/[*?]/g, '');
  const questions = (value.match(/\?/g) ?? []).length;
  const room = 12 - literal.length - questions;
  if (!/^\d*$/.test(literal) || room < 0 || (room > 0 && !value.includes('*'))) return undefined;
  let first = true;
  // The first * takes the digits left; the others match nothing. 7s, unlike the written digits, name a stranger.
  const filled = value.replace(/[*?]/g, (c) => (c === '?' ? '7' : first ? ((first = false), '7'.repeat(room)) : ''));
  return filled === literal || !/^\d{12}$/.test(filled) ? undefined : filled;
}

function strangerArn(value: string, spansColons: boolean): string | undefined {
  // A value the template fills in at the start (`${aws_iam_role.app.arn}*`) fixes the account itself.
  if (value.startsWith('${')) return undefined;
  const fields = arnFields(value);
  if (!value.startsWith('arn:') || fields.length < 6) return fillWith(value, STRANGER.account);
  if (hasWildcard(outsidePlaceholders(fields[4]))) {
    const account = strangerAccount(fields[4]);
    return account === undefined ? undefined : fields.map((field, i) => (i === 4 ? account : fillWith(field, STRANGER.name))).join(':');
  }
  if (fields[4] === '' && hasWildcard(outsidePlaceholders(fields.slice(5).join(':')))) {
    return fields.map((field) => fillWith(field, STRANGER.name)).join(':');
  }
  if (!spansColons) return undefined;
  // A `*` before the account field can cover the colons up to it: the stranger's account goes in there.
  const field = fields.slice(0, 4).findIndex((f) => outsidePlaceholders(f).includes('*'));
  if (field < 0) return undefined;
  const at = fields.slice(0, field).reduce((n, f) => n + f.length + 1, 0) + fields[field].indexOf('*');
  const filler = `x${':x'.repeat(3 - field)}:${STRANGER.account}:`;
  return fillWith(value.slice(0, at), STRANGER.name) + filler + fillWith(value.slice(at + 1), STRANGER.name);
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

export interface StrangerAnswer {
  /** How a stranger gets through, if one does. */
  pass?: StrangerPass;
  /** Some stranger's request left the entry unknown (a policy variable the request supplies, a value only deployment knows). */
  unknown: boolean;
}

/**
 * Whether a caller the entry does not name can meet it: a stranger's account, organization or
 * ARN (or none, where the key is sometimes absent), evaluated by the evaluator.
 */
export function strangerPasses(entry: ConditionEntry, identity: IdentityKeyFacts, context: ProbeContext): StrangerAnswer {
  const key = entry.lowerKey;
  let unknown = false;
  const holds = (probe: Probe) => {
    const result = entryHolds(entry, context, probe);
    if (result === undefined) unknown = true;
    return result === true;
  };
  if (identity.names === 'is-service') return holds({ caller: strangerRole() }) ? { pass: { by: 'own-value' }, unknown } : { unknown };
  if (identity.sometimesAbsent && holds(absentProbe(key, identity))) return { pass: { by: 'absent' }, unknown };
  // StringLike's * covers colons too. A principal's ARN can hold colons after the account (IAM paths
  // allow them, CreateRole "Path"), so a * before the account admits other accounts; the resource
  // ARNs services write (trails, log groups, buckets) have no colon in their names, as AWS's own
  // "arn:aws:cloudtrail:*:111122223333:trail/*" relies on.
  const spansColons = entry.parsed?.family === 'String' && !identity.source;
  for (const item of entry.values) {
    const written = typeof item.value === 'string' ? strangerValue(item.value, identity.names, spansColons) : undefined;
    if (written !== undefined && holds(valueProbe(key, identity, written))) return { pass: { by: 'wildcard', written: String(item.value) }, unknown };
  }
  for (const own of ownValues(identity)) if (holds(valueProbe(key, identity, own))) return { pass: { by: 'own-value' }, unknown };
  return { unknown };
}

function strangerRole(account: string = STRANGER.account): Caller {
  return { principal: `arn:aws:iam::${account}:role/${STRANGER.name}`, account, kind: 'role' };
}

export const STRANGER_SERVICE: Caller = { principal: `${STRANGER.name}.amazonaws.com`, kind: 'service' };

/** Values of the stranger's own, for a key that names this. */
function ownValues(identity: IdentityKeyFacts): string[] {
  const { account, org, name } = STRANGER;
  switch (identity.names) {
    case 'org':
      return [org];
    case 'org-path':
      return [`${org}/r-k7s9/`];
    case 'account':
      return [account];
    case 'arn':
      if (identity.source) return [`arn:aws:sqs:us-east-1:${account}:${name}`, `arn:aws:s3:::${name}`];
      // aws:PrincipalArn of each kind of caller (IAM User Guide, aws:PrincipalArn): a role, a user, an account root, a federated user.
      return [strangerRole().principal, `arn:aws:iam::${account}:user/${name}`, `arn:aws:iam::${account}:root`, `arn:aws:sts::${account}:federated-user/${name}`];
    case 'service':
      return [STRANGER_SERVICE.principal];
    case 'userid':
      return [`AROAKEYSHARESTRANGER:${name}`];
    case 'network':
      return ['vpce-0a1b2c3d4e5f60789'];
    default:
      return [name];
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
      return { caller: { principal: value, account: account && /^\d{12}$/.test(account) ? account : undefined, kind: value.endsWith(':root') ? 'root' : value.includes(':user/') ? 'user' : 'role' } };
    }
    case 'service':
      return { caller: { principal: value, kind: 'service' } };
    default:
      return { caller: strangerRole(), values: { [key]: [value] } };
  }
}
