/**
 * Condition entries read with IAM semantics, for one question: whom does this condition let
 * through? Each entry gets a verdict: it restricts the audience (to accounts, organizations,
 * principal ARNs...), it names who but restricts nothing (wildcards, negation, IfExists, set
 * operators on keys that can be absent), it can never be true, or it says nothing about who.
 * What cannot be known offline (who is in organization o-...) stays symbolic.
 */
import { ACCOUNT_ID, arnFields, hasTemplatePlaceholder, isPolicyVariable, POLICY_VARIABLE } from '../arn';
import { hasWildcard } from '../catalog';
import { nullTestsAbsence, type ParsedOperator } from './operators';
import { entryHolds, strangerPasses, type IdentityNames, type StrangerPass } from './probes';
import type { ConditionEntry, ScalarItem } from '../model';
import { namesOwnAccount } from '../parts';
import type { PolicyNode } from '../tree';
import type { PolicyKind } from '../types';
import type { Catalog } from '../catalog';
import { structuralAbsence } from './request';

export { readOperator, formatOperator, allOperators, BASE_OPERATORS, type ParsedOperator } from './operators';

/** One kind of caller a statement may admit. */
export type Constraint =
  /** Every principal of every AWS account. */
  | { kind: 'anyone' }
  /** An account: its root, so whoever that account's IAM policies allow. `source`: a service acting for it. */
  | { kind: 'account'; account: string; source?: boolean; own?: boolean; supply?: 'parameter' | 'variable' }
  /** A role, user or session ARN (or ARN pattern); `account` when the ARN names one. `source`: a resource a service acts for. */
  | { kind: 'principal'; arn: string; account?: string; source?: boolean; own?: boolean }
  /** Callers whose account is in this organization (who that is cannot be known offline). */
  | { kind: 'org'; org: string; source?: boolean }
  /** Callers whose account is under this organization path (a pattern). */
  | { kind: 'org-path'; path: string; source?: boolean }
  /** An AWS service principal (`logs.amazonaws.com`). */
  | { kind: 'service'; service: string }
  /** Any AWS service principal (aws:PrincipalIsAWSService). */
  | { kind: 'aws-service' }
  /** A web identity or SAML provider. */
  | { kind: 'federated'; provider: string; account?: string }
  | { kind: 'canonical-user'; id: string }
  /** Whoever the identity policy is attached to. */
  | { kind: 'attached' }
  /** A symbolic restriction on another identity key (a VPC endpoint, a user ID). */
  | { kind: 'other'; key: string; value: string };

export type ConditionVerdict =
  /** Narrows who is admitted: `admits` lists whom (a union). */
  | 'restricts'
  /** Names who, but a caller it does not name gets through (the evaluator's answer for a stranger: wildcards, negation, IfExists, ForAllValues). */
  | 'open'
  /** Can never be true for this statement: the statement grants nothing. */
  | 'never'
  /** Says nothing about who (time, tags, encryption context, request parameters). */
  | 'irrelevant';

export interface ConditionReading {
  entry: ConditionEntry;
  verdict: ConditionVerdict;
  admits?: Constraint[];
  /** For people: what the entry does, in words ("aws:PrincipalOrgID StringLike \"o-*\" matches every organization"). */
  why: string;
  /** Values that can never match (a never verdict when they are all of them). */
  deadValues?: ScalarItem[];
  /** A condition block the template fills in whole: it may restrict anyone, so it is taken to (what it admits cannot be known offline). */
  filledIn?: boolean;
}

/** When a key is in the request context at all: decides what IfExists, ForAllValues and Null do. */
export type Presence =
  | 'always'
  /** Only when the caller's account is in an organization. */
  | 'org-members'
  /** Only when a service calls on behalf of a resource (service-to-service requests). */
  | 'service-calls'
  /** Only when a service principal itself calls. */
  | 'service-principal'
  /** Only when the request comes through an AWS service (kms:ViaService). */
  | 'via-service'
  /** Only when the request comes through a VPC endpoint. */
  | 'vpc';

interface IdentityKey {
  /** What a value of the key names. */
  names: IdentityNames;
  presence: Presence;
  /** A service acting for a resource, not the caller itself. */
  source?: boolean;
}

/** Condition keys that say who the caller is (or who a calling service acts for). Lower-cased. */
const IDENTITY_KEYS: Record<string, IdentityKey> = {
  'aws:principalorgid': { names: 'org', presence: 'org-members' },
  'aws:principalorgpaths': { names: 'org-path', presence: 'org-members' },
  'aws:principalaccount': { names: 'account', presence: 'always' },
  'kms:calleraccount': { names: 'account', presence: 'always' },
  'aws:principalarn': { names: 'arn', presence: 'always' },
  'aws:userid': { names: 'userid', presence: 'always' },
  'aws:sourceaccount': { names: 'account', presence: 'service-calls', source: true },
  'aws:sourcearn': { names: 'arn', presence: 'service-calls', source: true },
  'aws:sourceorgid': { names: 'org', presence: 'service-calls', source: true },
  'aws:sourceorgpaths': { names: 'org-path', presence: 'service-calls', source: true },
  'aws:principalservicename': { names: 'service', presence: 'service-principal' },
  'aws:principalisawsservice': { names: 'is-service', presence: 'always' },
  'aws:sourcevpce': { names: 'network', presence: 'vpc' },
  'aws:sourcevpc': { names: 'network', presence: 'vpc' },
  'kms:viaservice': { names: 'via-service', presence: 'via-service' },
};

export function identityKey(key: string): IdentityKey | undefined {
  return IDENTITY_KEYS[key.toLowerCase()];
}

const ABSENT_FOR: Record<Presence, string> = {
  always: '',
  'org-members': 'accounts that belong to no organization',
  'service-calls': 'every caller that is not a service acting for a resource',
  'service-principal': 'every caller that is not a service principal',
  'via-service': 'every direct caller',
  vpc: 'every caller that does not come through a VPC endpoint',
};

/** `<service>.<region>.amazonaws.com`, the shape of every kms:ViaService value. */
export const VIA_SERVICE = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2}(-[a-z]+)+-\d+\.amazonaws\.com$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ORG_PATH_START = /^o-[a-z0-9]{10,32}\//;


export interface ReadingContext {
  kind: PolicyKind;
  /** The KMS actions the statement covers, when they are all it covers; a key none of them carries is absent. */
  actions?: readonly string[];
  catalog?: Catalog;
  /** The account that holds the policy, when known (an identity policy's kms:CallerAccount must be it). */
  ownerAccount?: string;
}

const quote = (value: unknown) => JSON.stringify(value);

/** A never reading's words for one of its dead values: the value alone where the reading names them all. */
export function whyForValue(reading: ConditionReading, value: ScalarItem): string {
  if (reading.entry.values.length < 2) return reading.why;
  return reading.why.replace(valuesText(reading.entry), quote(value.value));
}

function valuesText(entry: ConditionEntry): string {
  const values = entry.values.map((v) => quote(v.value));
  return values.length === 1 ? values[0] : `[${values.join(', ')}]`;
}

function label(entry: ConditionEntry): string {
  return `${entry.operator} ${entry.key} ${valuesText(entry)}`;
}

/**
 * A reading whose words are composed only when asked for. A class, not an object literal with a
 * getter: each such literal gets its own hidden class in V8, which kept every policy tree alive
 * until the next full collection.
 */
class LazyReading implements ConditionReading {
  admits?: Constraint[];
  deadValues?: ScalarItem[];
  private words?: string;
  constructor(
    readonly entry: ConditionEntry,
    readonly verdict: ConditionVerdict,
    private readonly explain: () => string,
  ) {}

  get why(): string {
    return (this.words ??= this.explain());
  }
}

function reading(entry: ConditionEntry, verdict: ConditionVerdict, explain: () => string, extra: { admits?: Constraint[]; deadValues?: ScalarItem[] } = {}): ConditionReading {
  const result = new LazyReading(entry, verdict, explain);
  if (extra.admits) result.admits = extra.admits;
  if (extra.deadValues) result.deadValues = extra.deadValues;
  return result;
}

/** Reads one condition entry: whether a caller it does not name gets through is the evaluator's answer (`probes.ts`). */
export function readCondition(entry: ConditionEntry, context: ReadingContext): ConditionReading {
  const op = entry.parsed;
  if (!op) return reading(entry, 'irrelevant', () => `"${entry.operator}" is not a condition operator`);
  const lower = entry.lowerKey;

  const absent = absentKey(lower, context);
  if (absent) return readAbsentKey(entry, absent, context);

  const identity = IDENTITY_KEYS[lower];
  if (!identity) return reading(entry, 'irrelevant', () => `${entry.key} says nothing about who the caller is`);
  if (op.family === 'Null') {
    const wantsAbsent = nullTestsAbsence(entry.values);
    return reading(entry, 'open', () => `Null on ${entry.key} only tests whether the key is ${wantsAbsent ? 'absent' : 'present'}; it names no account`);
  }
  if (identity.names !== 'is-service' && op.family !== 'String' && op.family !== 'Arn') {
    return reading(entry, 'irrelevant', () => `${entry.operator} does not compare ${entry.key} as text`);
  }
  if (identity.names === 'via-service') return readViaService(entry, op);

  const facts = { names: identity.names, sometimesAbsent: identity.presence !== 'always', source: identity.source };
  const stranger = strangerPasses(entry, facts, context);
  const passes = stranger.pass;
  if (passes) return reading(entry, 'open', () => openWhy(entry, op, identity, passes));
  if (identity.names === 'is-service') return reading(entry, 'restricts', () => `${label(entry)} admits AWS service principals only`, { admits: [{ kind: 'aws-service' }] });
  if (op.negated) {
    // A negated entry names whom it keeps out: open unless every stranger surely fails.
    if (stranger.unknown) return reading(entry, 'open', () => openWhy(entry, op, identity, undefined));
    return reading(entry, 'restricts', () => `${label(entry)} admits only callers it does not name, and no caller of another account`, { admits: [{ kind: 'other', key: entry.key, value: `not ${valuesText(entry)}` }] });
  }

  const admits: Constraint[] = [];
  const dead: ScalarItem[] = [];
  for (const value of entry.values) {
    // IAM compares numbers and booleans as their text ("kms:CallerAccount": 111122223333 works).
    if (value.value === null) {
      dead.push(value);
      continue;
    }
    const text = String(value.value);
    const read = accountWhereArn(value, identity) ? 'dead' : readValue(text, identity, context, value.node);
    if (read === 'open') {
      return reading(entry, 'open', () => openWhy(entry, op, identity, undefined, text));
    }
    if (read === 'dead') dead.push(value);
    else admits.push(read);
  }
  if (context.kind === 'identity-policy' && identity.names === 'account' && !identity.source && context.ownerAccount) {
    // The caller of an identity policy is the principal it is attached to, in the policy's own account.
    const own = context.ownerAccount;
    const foreign = admits.filter((c) => c.kind === 'account' && c.account !== own && !hasTemplatePlaceholder(c.account));
    if (foreign.length > 0 && foreign.length === admits.length) {
      const values = entry.values.filter((v) => v.value !== own);
      return reading(entry, 'never', () => `${entry.key} is the caller's own account, ${own}, for the principals of this identity policy: ${valuesText(entry)} never matches`, { deadValues: values });
    }
  }
  if (admits.length === 0) {
    return reading(entry, 'never', () => neverWhy(entry, identity), { deadValues: dead });
  }
  return reading(entry, 'restricts', () => `${label(entry)} admits ${admits.map(describeConstraint).join(' or ')} only`, { admits, deadValues: dead.length ? dead : undefined });
}

/** kms:ViaService says through which service a request comes, never whose it is: open, or never where no value is an endpoint. */
function readViaService(entry: ConditionEntry, op: ParsedOperator): ConditionReading {
  const dead = entry.values.filter((v) => {
    if (typeof v.value !== 'string') return false;
    // `ec2.${data.aws_caller_identity.current.account_id}.amazonaws.com`: whatever the account, an account ID stands where the Region belongs.
    const written = hasTemplatePlaceholder(v.value) ? shapedValue(v.node) : v.value;
    return written !== undefined && !(op.wildcards && hasWildcard(written)) && !VIA_SERVICE.test(written);
  });
  if (!op.negated && dead.length > 0 && dead.length === entry.values.length) {
    return reading(entry, 'never', () => `kms:ViaService values look like <service>.<region>.amazonaws.com (ec2.us-east-1.amazonaws.com); ${valuesText(entry)} never matches`, { deadValues: dead });
  }
  return reading(entry, 'open', () => `${label(entry)} only says through which service the request comes: callers of any account using that service pass`, { deadValues: dead.length ? dead : undefined });
}

/** A value the template fills in, where each unknown part has a known shape (an account ID, a Region, a partition): one such value; else undefined. */
function shapedValue(node: PolicyNode): string | undefined {
  // `${aws_region}` written in plain JSON (a template of another tool): no parts, nothing known of it.
  if (!node.parts) return undefined;
  let text = '';
  for (const part of node.parts) {
    if ('literal' in part) text += part.literal;
    else if (part.meaning && part.meaning in SHAPES) text += SHAPES[part.meaning as keyof typeof SHAPES];
    else return undefined;
  }
  return text;
}

const SHAPES = { 'owner-account': '111122223333', region: 'us-east-1', partition: 'aws' } as const;

/** Keys that are never in the request: the request model's table, for the statement's KMS actions. */
function absentKey(lower: string, context: ReadingContext): string | undefined {
  return structuralAbsence(lower, context.kind, context.actions, context.catalog);
}

function readAbsentKey(entry: ConditionEntry, reason: string, context: ReadingContext): ConditionReading {
  // What the operator does on a key the request lacks is the evaluator's answer.
  const alwaysTrue = entryHolds(entry, context, { absent: [entry.lowerKey] }) === true;
  if (alwaysTrue) return reading(entry, 'irrelevant', () => `${entry.key}: ${reason}, so ${entry.operator} is always true here`);
  return reading(entry, 'never', () => `${entry.key}: ${reason}, so this condition never matches`);
}

/** IAM policy variables in the value (template placeholders aside). */
function policyVariables(value: string): string[] {
  const result: string[] = [];
  for (const match of value.matchAll(POLICY_VARIABLE)) {
    const inner = match[0].slice(2, -1);
    if (isPolicyVariable(inner) && !['*', '?', '$'].includes(inner)) result.push(inner);
  }
  return result;
}

type ValueRead = Constraint | 'open' | 'dead';

/**
 * A value the template fills in with an account ID (`data.aws_caller_identity.current.account_id`,
 * `${AWS::AccountId}`) under a key whose values are ARNs: an account ID is never an ARN.
 */
function accountWhereArn(value: ScalarItem, identity: IdentityKey): boolean {
  const parts = value.node.parts;
  return identity.names === 'arn' && parts?.length === 1 && 'unknown' in parts[0] && parts[0].meaning === 'owner-account';
}

function readValue(value: string, identity: IdentityKey, context: ReadingContext, node: PolicyNode): ValueRead {
  const source = identity.source ? { source: true as const } : {};
  const variables = policyVariables(value);
  if (variables.length > 0) {
    // ${aws:ResourceAccount}, ${aws:ResourceOrgID}: the key's own account or organization.
    const resource = variables.every((v) => /^aws:resource(account|orgid|orgpaths)$/i.test(v));
    if (!resource) return 'open';
    const v = variables[0].toLowerCase();
    if (v === 'aws:resourceaccount') return { kind: 'account', account: context.ownerAccount ?? '${aws:ResourceAccount}', ...source };
    if (v === 'aws:resourceorgid') return { kind: 'org', org: "the key's own organization", ...source };
    return { kind: 'org-path', path: "the key's own organization path", ...source };
  }
  if (hasTemplatePlaceholder(value)) {
    // A template fills it in: take it as well formed, and as restricting (its value is unknown here).
    const constraint = constraintFor(identity, value, source);
    // The account the template is deployed to (`arn:aws:iam::${AWS::AccountId}:root`) is the owner's, spelled or not.
    return (constraint.kind === 'account' || constraint.kind === 'principal') && namesOwnAccount(node) ? { ...constraint, own: true } : constraint;
  }
  // What reaches here names whom it admits: a wildcard a stranger could meet was the evaluator's to find.
  switch (identity.names) {
    case 'org':
      return ORG_ID.test(value) ? { kind: 'org', org: value, ...source } : 'dead';
    case 'org-path':
      return ORG_PATH_START.test(value) ? { kind: 'org-path', path: value, ...source } : 'dead';
    case 'account': {
      const account = onlyAccount(value);
      return account ? { kind: 'account', account, ...source } : 'dead';
    }
    case 'arn': {
      if (!value.startsWith('arn:')) return 'dead';
      const parts = arnFields(value);
      if (parts.length < 6) return 'dead';
      const account = parts[4] === '' ? '' : onlyAccount(parts[4]);
      if (account === undefined) return 'dead';
      if (account === '' && !identity.source) return 'dead';
      return { kind: 'principal', arn: value, account: account || undefined, ...source };
    }
    case 'userid':
      return { kind: 'other', key: 'aws:userid', value };
    case 'service':
      return { kind: 'service', service: value };
    case 'network':
      return { kind: 'other', key: identity.presence === 'vpc' ? 'VPC endpoint' : 'network', value };
    default:
      return 'open';
  }
}

/** The one account a value can match: 12 digits, with `*` that can only match nothing around them (`111122223333*`). */
function onlyAccount(value: string): string | undefined {
  const digits = value.includes('?') ? value : value.replace(/\*/g, '');
  return ACCOUNT_ID.test(digits) ? digits : undefined;
}

function constraintFor(identity: IdentityKey, value: string, source: { source?: true }): Constraint {
  switch (identity.names) {
    case 'org':
      return { kind: 'org', org: value, ...source };
    case 'org-path':
      return { kind: 'org-path', path: value, ...source };
    case 'account':
      return { kind: 'account', account: value, ...source };
    case 'arn':
      return { kind: 'principal', arn: value, account: arnFields(value)[4] || undefined, ...source };
    case 'service':
      return { kind: 'service', service: value };
    default:
      return { kind: 'other', key: identity.names, value };
  }
}

/** Why an entry lets callers it does not name through: how a stranger passed, or the value that lets it (`written`). */
function openWhy(entry: ConditionEntry, op: ParsedOperator, identity: IdentityKey, passes: StrangerPass | undefined, written?: string): string {
  if (op.negated) return `${label(entry)} admits everyone it does not name (and, in an Allow, callers without the key)`;
  if (passes?.by === 'absent') {
    const how = op.ifExists ? '...IfExists passes' : op.set === 'ForAllValues' ? 'ForAllValues is true' : `${entry.operator} is true`;
    return `${how} when ${entry.key} is absent, and it is absent for ${ABSENT_FOR[identity.presence]}: ${label(entry)} admits them all`;
  }
  const value = passes?.by === 'wildcard' ? passes.written : (written ?? entry.values.map((v) => String(v.value)).find((v) => policyVariables(v).length > 0));
  if (value !== undefined && policyVariables(value).length > 0) return `${entry.key} compared with ${quote(value)}, a value the request itself supplies: it admits anyone`;
  if (identity.names === 'is-service') return `${label(entry)} does not restrict callers to AWS services`;
  const what: Record<string, string> = {
    org: 'every organization',
    'org-path': 'a path in every organization',
    account: 'every account',
    arn: 'that name in every account',
    userid: 'every caller',
    service: 'every service',
    network: 'every endpoint',
  };
  if (value === undefined) return `${label(entry)} admits callers it does not name`;
  // `1111222233*` admits a hundred accounts, `*` all of them.
  if (identity.names === 'account' && /\d/.test(value)) return `${entry.operator} ${entry.key} ${quote(value)} matches accounts it does not name: the wildcard admits every account whose ID fits it`;
  return `${entry.operator} ${entry.key} ${quote(value)} matches ${what[identity.names] ?? 'every caller'}: the wildcard restricts nothing`;
}

function neverWhy(entry: ConditionEntry, identity: IdentityKey): string {
  const shapes: Record<string, string> = {
    org: 'organization IDs look like o- followed by 10 to 32 lowercase letters or digits',
    'org-path': 'organization paths start with the organization ID (o-a1b2c3d4e5/r-ab12/...)',
    account: 'its values are 12-digit account IDs',
    arn: 'its values are ARNs of the caller (arn:aws:iam::111122223333:role/name)',
  };
  // aws:SourceArn holds the ARN of the resource a service acts for, not a caller's.
  const shape = identity.names === 'arn' && identity.source ? 'its values are ARNs of the resource a service acts for (arn:aws:s3:::bucket, arn:aws:cloudtrail:us-east-1:111122223333:trail/name)' : (shapes[identity.names] ?? 'no value of it has that shape');
  return `${entry.key}: ${shape}, so ${valuesText(entry)} never matches`;
}

/** In words, for messages. */
export function describeConstraint(c: Constraint): string {
  switch (c.kind) {
    case 'anyone':
      return 'any AWS account';
    case 'account':
      return c.source ? `services acting for account ${c.account}` : `account ${c.account}`;
    case 'principal':
      return c.source ? `services acting for ${c.arn}` : c.arn;
    case 'org':
      return c.source ? `services acting for organization ${c.org}` : `callers in organization ${c.org}`;
    case 'org-path':
      return c.source ? `services acting for organization path ${c.path}` : `callers under organization path ${c.path}`;
    case 'service':
      return `the service ${c.service}`;
    case 'aws-service':
      return 'AWS service principals';
    case 'federated':
      return `users of ${c.provider}`;
    case 'canonical-user':
      return `canonical user ${c.id}`;
    case 'attached':
      return 'the principals this policy is attached to';
    case 'other':
      return `callers with ${c.key} ${c.value}`;
  }
}
