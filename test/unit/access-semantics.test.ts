// One access semantics, held by generated cases (seeded): for random key-policy and identity-policy
// statements and random requests,
// - the evaluator agrees with a small reference of IAM's algorithm written here, from the IAM User
//   Guide ("Policy evaluation logic", "Condition operators", "Conditions with multiple context keys
//   or values") and the facts of the request model (which keys a KMS request carries);
// - it is never sure when the request leaves a key it reads unknown (depends instead), and sure
//   when every key it reads is known;
// - the rules' reading (the access model) never contradicts it: a statement the model says admits
//   nobody, or with a condition it says never matches, matches no request; a statement restricted
//   to accounts matches no caller of another account.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { accessModel } from '../../server/src/engine/access';
import { matchStatement, type ResourceReading } from '../../server/src/engine/access/evaluator';
import { callerOf, type AccessRequest, type Caller } from '../../server/src/engine/access/request';
import { explain } from '../../server/src/engine/access/evaluate';
import { check, policy } from './helpers';

const OWNER = '111122223333';
const B = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const S3 = 's3.us-east-1.amazonaws.com';
const EC2 = 'ec2.us-east-1.amazonaws.com';

const CALLERS = [`arn:aws:iam::${B}:role/app`, `arn:aws:sts::${B}:assumed-role/app/s1`, `arn:aws:iam::${B}:root`, `arn:aws:iam::${OWNER}:role/app`, `arn:aws:iam::${OWNER}:user/alice`, 'logs.amazonaws.com'];
const ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:Encrypt'];
/** Which of the condition keys below each action's request can carry (Service Authorization Reference, via the catalog). */
const CARRIES: Record<string, string[]> = {
  'kms:Decrypt': ['kms:encryptioncontext:purpose', 'kms:viaservice'],
  'kms:Encrypt': ['kms:encryptioncontext:purpose', 'kms:viaservice'],
  'kms:CreateGrant': ['kms:encryptioncontext:purpose', 'kms:viaservice', 'kms:grantisforawsresource'],
  'kms:DescribeKey': ['kms:viaservice'],
};

const PRINCIPALS: Record<string, string>[] = [{ AWS: '*' }, { AWS: `arn:aws:iam::${B}:root` }, { AWS: B }, { AWS: `arn:aws:iam::${B}:role/app` }, { AWS: `arn:aws:iam::${OWNER}:role/app` }, { AWS: `arn:aws:iam::${OWNER}:root` }, { Service: 'logs.amazonaws.com' }];
const ACTION_LISTS: (string | string[])[] = ['kms:Decrypt', 'kms:DescribeKey', 'kms:*', ['kms:Encrypt', 'kms:Decrypt'], 'kms:CreateGrant', ['kms:Decrypt', 'kms:DescribeKey'], 'kms:Generate*'];
const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIfExists', 'StringNotEqualsIfExists', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals'];
/** ARN operators, for the keys whose values are ARNs. */
const ARN_OPERATORS = ['ArnLike', 'ArnNotEquals', 'ArnEquals', 'ArnNotLike'];
const KEYS: Record<string, string[]> = {
  'aws:PrincipalAccount': [B, OWNER, '*'],
  'kms:CallerAccount': [B, OWNER],
  'aws:PrincipalArn': [`arn:aws:iam::${B}:role/app`, `arn:aws:iam::*:role/app`, `arn:aws:iam::${OWNER}:*`],
  'aws:PrincipalOrgID': [ORG, 'o-*'],
  'kms:ViaService': [S3, EC2, 's3.*.amazonaws.com'],
  'kms:EncryptionContext:purpose': ['a', 'b', '*'],
  'kms:GrantIsForAWSResource': ['true', 'false'],
  'aws:ResourceAccount': [OWNER, B],
  'kms:ResourceAliases': ['alias/data', 'alias/*'],
  'aws:SourceAccount': [OWNER, B],
};

interface Condition {
  operator: string;
  key: string;
  values: string[];
}

const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ operator: fc.constantFrom(...OPERATORS, ...ARN_OPERATORS), key: fc.constantFrom(...Object.keys(KEYS)) }).chain(({ operator, key }) => {
    const arnKey = key === 'aws:PrincipalArn';
    const chosen = key === 'kms:GrantIsForAWSResource' ? 'Bool' : ARN_OPERATORS.includes(operator) && !arnKey ? 'StringEquals' : operator;
    return fc.subarray(KEYS[key], { minLength: 1 }).map((values) => ({ operator: chosen, key, values }));
  }),
  fc.record({ key: fc.constantFrom(...Object.keys(KEYS)), value: fc.constantFrom('true', 'false') }).map(({ key, value }) => ({ operator: 'Null', key, values: [value] })),
);

interface Generated {
  effect: 'Allow' | 'Deny';
  principal: Record<string, string>;
  action: string | string[];
  conditions: Condition[];
}

const statement: fc.Arbitrary<Generated> = fc.record({
  effect: fc.constantFrom('Allow' as const, 'Deny' as const),
  principal: fc.constantFrom(...PRINCIPALS),
  action: fc.constantFrom(...ACTION_LISTS),
  conditions: fc.uniqueArray(condition, { maxLength: 2, selector: (c) => `${c.operator} ${c.key}` }),
});

/** The whole truth of one request: every key present with its values, or absent. */
interface Truth {
  caller: Caller;
  action: string;
  values: Map<string, string[]>;
  member: boolean;
}

const truth: fc.Arbitrary<{ truth: Truth; declared: boolean; supplied: string[] }> = fc
  .record({
    principal: fc.constantFrom(...CALLERS),
    action: fc.constantFrom(...ACTIONS),
    member: fc.boolean(),
    via: fc.constantFrom(undefined, S3, EC2),
    context: fc.constantFrom(undefined, 'a', 'b'),
    forService: fc.boolean(),
    source: fc.constantFrom(undefined, OWNER, B),
    declared: fc.boolean(),
    supplied: fc.subarray(['kms:viaservice', 'kms:encryptioncontext:purpose', 'kms:grantisforawsresource', 'aws:sourceaccount', 'aws:principalorgid']),
  })
  .map(({ principal, action, member, via, context, forService, source, declared, supplied }) => {
    const caller = callerOf(principal);
    const values = new Map<string, string[]>();
    const service = caller.kind === 'service';
    const carries = CARRIES[action];
    if (!service) {
      values.set('aws:principalaccount', [caller.account!]);
      values.set('kms:calleraccount', [caller.account!]);
      // For a role session, aws:PrincipalArn is the role's ARN (IAM User Guide, aws:PrincipalArn).
      values.set('aws:principalarn', [caller.kind === 'session' ? `arn:aws:iam::${caller.account}:role/app` : caller.principal]);
      if (member) values.set('aws:principalorgid', [ORG]);
    } else if (source) values.set('aws:sourceaccount', [source]);
    values.set('aws:resourceaccount', [OWNER]);
    if (via && carries.includes('kms:viaservice')) values.set('kms:viaservice', [via]);
    if (context && carries.includes('kms:encryptioncontext:purpose')) values.set('kms:encryptioncontext:purpose', [context]);
    if (carries.includes('kms:grantisforawsresource')) values.set('kms:grantisforawsresource', [forService ? 'true' : 'false']);
    return { truth: { caller, action, values, member: member && !service }, declared, supplied };
  });

// ---- the reference: IAM's algorithm on a request whose every key is known ----

function glob(pattern: string, value: string): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(value);
}

function arnLike(pattern: string, value: string): boolean {
  const p = pattern.split(':');
  const v = value.split(':');
  if (p.length < 6 || v.length < 6) return false;
  const fields = (list: string[]) => [...list.slice(0, 5), list.slice(5).join(':')];
  return fields(p).every((field, i) => glob(field, fields(v)[i]));
}

function compare(base: string, expected: string, actual: string): boolean {
  if (base.startsWith('StringEquals')) return expected === actual;
  if (base.startsWith('StringLike')) return glob(expected, actual);
  if (base === 'Bool') return expected.toLowerCase() === actual.toLowerCase();
  return arnLike(expected, actual); // ArnLike, ArnEquals
}

function referenceCondition(c: Condition, values: Map<string, string[]>): boolean {
  const actual = values.get(c.key.toLowerCase());
  if (c.operator === 'Null') return (actual === undefined) === (c.values[0] === 'true');
  const set = c.operator.startsWith('ForAllValues:') ? 'all' : c.operator.startsWith('ForAnyValue:') ? 'any' : undefined;
  let base = c.operator.replace(/^For(All|Any)Values?:/, '');
  const ifExists = base.endsWith('IfExists');
  if (ifExists) base = base.slice(0, -'IfExists'.length);
  const negated = base.includes('Not');
  const positive = base.replace('Not', '');
  if (actual === undefined) return set === 'all' ? true : set === 'any' ? false : ifExists || negated;
  const one = (v: string) => {
    const hit = c.values.some((e) => compare(positive, e, v));
    return negated ? !hit : hit;
  };
  return set === 'all' ? actual.every(one) : actual.some(one);
}

function referencePrincipal(principal: Record<string, string>, caller: Caller): 'self' | 'account' | 'no' {
  if (principal.Service) return caller.kind === 'service' && caller.principal === principal.Service ? 'self' : 'no';
  const p = principal.AWS;
  if (p === '*') return 'self';
  if (caller.kind === 'service') return 'no';
  const account = /^\d{12}$/.test(p) ? p : /^arn:aws:iam::(\d{12}):root$/.test(p) ? p.split(':')[4] : undefined;
  if (account) return caller.account !== account ? 'no' : caller.kind === 'root' ? 'self' : 'account';
  const role = caller.kind === 'session' ? `arn:aws:iam::${caller.account}:role/app` : caller.principal;
  return p === role ? 'self' : 'no';
}

function referenceAction(list: string | string[], action: string): boolean {
  return (Array.isArray(list) ? list : [list]).some((pattern) => glob(pattern.toLowerCase(), action.toLowerCase()));
}

function referenceMatches(g: Generated, t: Truth, kind: 'key-policy' | 'identity-policy'): boolean {
  if (!referenceAction(g.action, t.action)) return false;
  if (kind === 'key-policy' && referencePrincipal(g.principal, t.caller) === 'no') return false;
  // kms:ResourceAliases is in the request of IAM policies only (KMS guide, "ABAC for AWS KMS").
  const values = new Map(t.values);
  if (kind === 'identity-policy' && t.caller.kind !== 'service') values.set('kms:resourcealiases', ['alias/data']);
  return g.conditions.every((c) => referenceCondition(c, values));
}

// ---- Keyshare's evaluator, given what a user could tell it ----

function statementJson(g: Generated, kind: 'key-policy' | 'identity-policy'): Record<string, unknown> {
  const condition: Record<string, Record<string, string[]>> = {};
  for (const c of g.conditions) (condition[c.operator] ??= {})[c.key] = c.values;
  return { Sid: 'S', Effect: g.effect, ...(kind === 'key-policy' ? { Principal: g.principal } : {}), Action: g.action, Resource: kind === 'key-policy' ? '*' : KEY, ...(g.conditions.length ? { Condition: condition } : {}) };
}

const RESOURCE: ResourceReading = { covers: () => true, why: () => 'the Resource' };

function evaluate(g: Generated, t: Truth, kind: 'key-policy' | 'identity-policy', declared: boolean, supplied: string[]) {
  const options = kind === 'key-policy' ? { kind, keyArn: KEY, account: OWNER } : { kind, account: t.caller.account };
  const model = check(policy([statementJson(g, kind)]), options as never).model!;
  const access = accessModel(model, sharedCatalog(), kind === 'key-policy' ? KEY : undefined);
  const given = new Map<string, string[]>();
  for (const key of supplied) {
    const value = t.values.get(key);
    if (value) given.set(key, value);
  }
  const request: AccessRequest = {
    caller: t.caller,
    action: t.action,
    keyArn: KEY,
    keyAliases: ['alias/data'],
    policy: kind,
    supplied: given,
    organization: declared ? { id: ORG, units: [], members: t.member ? [t.caller.account!] : [] } : undefined,
  };
  const statementAccess = access.statements[0];
  return { access: statementAccess, match: matchStatement(statementAccess, request, sharedCatalog(), RESOURCE, kind === 'key-policy' ? OWNER : t.caller.account), given };
}

/** Whether the user told Keyshare every key the statement reads (the rest the request model derives). */
function everythingKnown(g: Generated, t: Truth, declared: boolean, given: Map<string, string[]>): boolean {
  return g.conditions.every(({ key, operator }) => {
    const lower = key.toLowerCase();
    // A session's ARN leaves out its role's path: aws:PrincipalArn is known only when given (present either way).
    if (lower === 'aws:principalarn' && t.caller.kind === 'session') return operator === 'Null' || given.has(lower);
    if (['aws:principalaccount', 'kms:calleraccount', 'aws:principalarn', 'aws:resourceaccount', 'kms:resourcealiases'].includes(lower)) return true;
    if (lower === 'aws:sourceaccount') return t.caller.kind !== 'service' || given.has(lower);
    if (lower === 'aws:principalorgid') return t.caller.kind === 'service' || given.has(lower) || (declared && t.member);
    if (!CARRIES[t.action].includes(lower)) return true;
    return given.has(lower);
  });
}

for (const kind of ['key-policy', 'identity-policy'] as const) {
  test(`${kind}: the evaluator agrees with IAM's algorithm, and is sure exactly when it may be`, () => {
    let certain = 0;
    let runs = 0;
    fc.assert(
      fc.property(statement, truth, (g, { truth: t, declared, supplied }) => {
        if (kind === 'identity-policy' && t.caller.kind === 'service') return;
        runs++;
        const expected = referenceMatches(g, t, kind);
        const { match, given } = evaluate(g, t, kind, declared, supplied);
        const said = match.result === 'matches' ? true : match.result === 'no' ? false : undefined;
        const label = `${JSON.stringify(statementJson(g, kind))} for ${t.caller.principal} ${t.action} ${JSON.stringify([...t.values])} given ${JSON.stringify([...given])}${declared ? ' (organization declared)' : ''}: ${match.result} ${match.on.join('; ')}`;
        if (said !== undefined) {
          certain++;
          assert.equal(said, expected, label);
        } else {
          assert.ok(match.on.length > 0, `a depends names what it depends on: ${label}`);
          // The principal is a fact, never unknown: only unknown keys may leave it open.
          assert.ok(!everythingKnown(g, t, declared, given), `sure enough to answer: ${label}`);
        }
      }),
      { seed: 20261207, numRuns: 3000 },
    );
    // The property is worth something only if most answers are certain.
    assert.ok(certain > runs * 0.6, `${certain} certain of ${runs}`);
  });
}

test('the rules\' reading never contradicts the evaluator: nobody, never, and accounts', () => {
  fc.assert(
    fc.property(statement, truth, (g, { truth: t, declared, supplied }) => {
      const { access, match } = evaluate(g, t, 'key-policy', declared, supplied);
      const label = `${JSON.stringify(statementJson(g, 'key-policy'))} for ${t.caller.principal} ${t.action}`;
      const never = access.conditions.some((r) => r.verdict === 'never');
      if (access.audience.admits === 'nobody' || never) {
        assert.equal(referenceMatches(g, t, 'key-policy'), false, `the model says it admits nobody, yet IAM matches: ${label}`);
        assert.equal(match.result, 'no', `the model says it admits nobody, yet the evaluator says ${match.result}: ${label}`);
      }
      // Restricted to accounts only (a principal or kms:CallerAccount / aws:PrincipalAccount): no caller of another account.
      const accounts = access.audience.to.map((p) => p.constraint);
      if (access.audience.admits === 'restricted' && accounts.every((c) => c.kind === 'account') && t.caller.account && !accounts.some((c) => c.kind === 'account' && c.account === t.caller.account)) {
        assert.notEqual(match.result, 'matches', `restricted to ${accounts.map((c) => (c as { account: string }).account)}, yet matches: ${label}`);
        assert.equal(referenceMatches(g, t, 'key-policy'), false, label);
      }
    }),
    { seed: 7, numRuns: 3000 },
  );
});

test('explain never cites a statement the model says admits nobody', () => {
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), truth, (list, { truth: t, declared }) => {
      const model = check(policy(list.map((g, i) => ({ ...statementJson(g, 'key-policy'), Sid: `S${i}` }))), { kind: 'key-policy', keyArn: KEY, account: OWNER } as never).model!;
      const access = accessModel(model, sharedCatalog(), KEY);
      const dead = new Set(access.statements.filter((s) => s.audience.admits === 'nobody').map((s) => s.statement));
      const answer = explain({ caller: t.caller, action: t.action, key: { arn: KEY, aliases: [], managed: 'customer', policy: { file: 'key.json', model } }, identity: [], context: {}, organization: declared ? { id: ORG, units: [], members: [] } : undefined }, sharedCatalog());
      for (const d of answer.because) assert.ok(!dead.has(d.statement), `cites ${d.statement.sid?.value}, which admits nobody`);
    }),
    { seed: 11, numRuns: 1000 },
  );
});
