// The access model: whom each statement admits, which actions take effect where, and why.
// Every case comes with a near miss: the same policy one detail away, judged the other way.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { accessModel, CROSS_ACCOUNT_ACTIONS, describeAudience, outsiders, policyChangers, serviceScope, type StatementAccess } from '../../server/src/engine/access';
import type { CheckOptions } from '../../server/src/engine';
import { check, KEY_ARN, policy, ROOT_STATEMENT, USAGE } from './helpers';

const OWNER = '111122223333';
const OTHER = '444455556666';
const ORG = 'o-a1b2c3d4e5';

function accessOf(statements: unknown[], options: CheckOptions = {}) {
  const model = check(policy(statements), options).model!;
  return accessModel(model, sharedCatalog(), options.keyArn);
}

/** The last statement's access, in a key policy with the owner's root statement first. */
function keyStatement(statement: Record<string, unknown>, options: CheckOptions = {}): StatementAccess {
  const access = accessOf([ROOT_STATEMENT, { Sid: 'Test', Effect: 'Allow', Resource: '*', Action: USAGE, ...statement }], options);
  return access.statements.at(-1)!;
}

/** A "*" principal with this Condition: what it admits. */
function starWith(condition: Record<string, unknown>): StatementAccess {
  return keyStatement({ Principal: { AWS: '*' }, Condition: condition });
}

function judged(condition: Record<string, unknown>, expected: 'anyone' | 'restricted' | 'nobody', name: string) {
  test(`${name}: ${JSON.stringify(condition)} is ${expected}`, () => {
    const access = starWith(condition);
    assert.equal(access.audience.admits, expected, describeAudience(access.audience) + ' / ' + access.audience.because.map((b) => b.why).join('; '));
  });
}

// String operators on the organization, account and OU keys.
judged({ StringEquals: { 'aws:PrincipalOrgID': ORG } }, 'restricted', 'StringEquals org');
judged({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, 'anyone', 'StringLike wildcard org');
judged({ StringLike: { 'aws:PrincipalOrgID': '*' } }, 'anyone', 'StringLike * org');
judged({ StringLike: { 'aws:PrincipalOrgID': ORG } }, 'restricted', 'StringLike without wildcard');
judged({ StringEquals: { 'aws:PrincipalOrgID': 'o-*' } }, 'nobody', 'StringEquals takes * literally: no organization has that ID');
judged({ StringEquals: { 'kms:CallerAccount': OWNER } }, 'restricted', 'StringEquals kms:CallerAccount');
judged({ StringLike: { 'kms:CallerAccount': '1111*' } }, 'anyone', 'StringLike account prefix');
judged({ StringEqualsIgnoreCase: { 'aws:PrincipalAccount': OTHER } }, 'restricted', 'StringEqualsIgnoreCase aws:PrincipalAccount');
judged({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/r-ab12/ou-ab12-11111111/*` } }, 'restricted', 'OU path in one organization');
judged({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-*/*' } }, 'anyone', 'OU path in any organization');
judged({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': '*' } }, 'anyone', 'any OU path');

// ARN operators: ArnEquals takes wildcards too.
judged({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER}:role/app` } }, 'restricted', 'ArnLike one role');
judged({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app' } }, 'anyone', 'ArnLike role name in every account');
judged({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app' } }, 'anyone', 'ArnEquals with a wildcard account');
judged({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER}:*` } }, 'restricted', 'StringLike every principal of one account');
judged({ StringLike: { 'aws:PrincipalArn': 'arn:aws:*' } }, 'anyone', 'StringLike arn:aws:*');

// Negated operators admit everyone they do not name.
judged({ StringNotEquals: { 'aws:PrincipalOrgID': ORG } }, 'anyone', 'StringNotEquals org in an Allow');
judged({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER}:role/app` } }, 'anyone', 'ArnNotLike in an Allow');

// ...IfExists passes when the key is absent: the org keys are absent outside organizations.
judged({ StringEqualsIfExists: { 'aws:PrincipalOrgID': ORG } }, 'anyone', 'StringEqualsIfExists org');
judged({ StringEqualsIfExists: { 'kms:CallerAccount': OWNER } }, 'restricted', 'StringEqualsIfExists on a key every request has');

// Set operators: ForAllValues is true for an absent key, ForAnyValue false.
judged({ 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } }, 'anyone', 'ForAllValues org paths');
judged({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } }, 'restricted', 'ForAnyValue org paths');
judged({ 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': ORG } }, 'anyone', 'ForAllValues on the single-valued org key');

// Bool and Null.
judged({ Bool: { 'aws:PrincipalIsAWSService': 'true' } }, 'restricted', 'Bool aws:PrincipalIsAWSService');
judged({ Bool: { 'aws:SecureTransport': 'true' } }, 'anyone', 'Bool aws:SecureTransport names nobody');
judged({ Null: { 'aws:PrincipalOrgID': 'false' } }, 'anyone', 'Null only tests presence');

// Numeric and Date say nothing about who.
judged({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, 'anyone', 'Date condition');
judged({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, 'anyone', 'Numeric condition');
judged({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, StringEquals: { 'aws:PrincipalOrgID': ORG } }, 'restricted', 'Date with an org condition');

// kms:ViaService alone admits any account's callers through the service; with kms:CallerAccount, one account.
judged({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, 'anyone', 'kms:ViaService alone');
judged({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': OWNER } }, 'restricted', 'kms:ViaService with kms:CallerAccount');

// Values of a shape the key never has.
judged({ StringEquals: { 'kms:ViaService': 's3.amazonaws.com' } }, 'nobody', 'kms:ViaService without a region');
judged({ StringEquals: { 'aws:SourceAccount': `arn:aws:iam::${OWNER}:root` } }, 'nobody', 'an ARN as aws:SourceAccount');
judged({ StringEquals: { 'aws:SourceAccount': OWNER } }, 'restricted', 'aws:SourceAccount as an account ID');
judged({ StringEquals: { 's3:x-amz-acl': 'private' } }, 'nobody', 'an S3 key in a key policy');
judged({ StringEquals: { 'aws:ResourceTag/team': 'data' } }, 'nobody', 'aws:ResourceTag in a key policy');
judged({ StringNotEquals: { 'aws:ResourceTag/team': 'data' } }, 'anyone', 'a negated operator on a key never present is always true');

// Policy variables: the key's own organization restricts; a value the caller supplies does not.
judged({ StringEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } }, 'restricted', "the key's own organization");
judged({ StringEquals: { 'aws:PrincipalOrgID': '${aws:PrincipalTag/org}' } }, 'anyone', 'a caller tag as the organization');

test('the audience names whom, and keeps the conditions that still apply', () => {
  const access = starWith({ StringEquals: { 'aws:PrincipalOrgID': ORG, 'kms:CallerAccount': OTHER } });
  assert.equal(access.audience.admits, 'restricted');
  assert.deepEqual(access.audience.to.map((p) => p.constraint), [{ kind: 'account', account: OTHER }]);
  assert.deepEqual(access.audience.to[0].conditions.map((c) => c.entry.key), ['aws:PrincipalOrgID']);
  assert.equal(access.audience.to[0].reach, 'outside');
  assert.equal(describeAudience(access.audience), `account ${OTHER}`);
});

test('an open condition explains why it restricts nothing (not "never matches")', () => {
  const access = starWith({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } });
  assert.equal(access.audience.because.length, 1);
  assert.equal(access.audience.because[0].verdict, 'open');
  assert.match(access.audience.because[0].why, /matches every organization/);
});

test('an organization is symbolic: it may hold other accounts', () => {
  const access = starWith({ StringEquals: { 'aws:PrincipalOrgID': ORG } });
  assert.deepEqual(access.audience.to.map((p) => [p.constraint, p.reach]), [[{ kind: 'org', org: ORG }, 'maybe']]);
  assert.equal(describeAudience(access.audience), `callers in organization ${ORG}`);
});

test('a named principal with an account condition that contradicts it admits nobody', () => {
  assert.equal(keyStatement({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Condition: { StringEquals: { 'kms:CallerAccount': OWNER } } }).audience.admits, 'nobody');
  assert.equal(keyStatement({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Condition: { StringEquals: { 'kms:CallerAccount': OTHER } } }).audience.admits, 'restricted');
});

test('principals: accounts, roles, services, and where they stand', () => {
  const access = keyStatement({ Principal: { AWS: [OTHER, `arn:aws:iam::${OWNER}:role/app`], Service: 'logs.us-east-1.amazonaws.com' } });
  assert.deepEqual(access.principals.map((p) => [p.constraint.kind, p.reach]), [['account', 'outside'], ['principal', 'owner'], ['service', 'service']]);
  assert.equal(access.audience.admits, 'restricted');
  assert.deepEqual(outsiders(access.audience).map((p) => p.constraint), [{ kind: 'account', account: OTHER }]);
});

test('NotPrincipal with Allow admits everyone not listed; Principal the listed only', () => {
  const not = keyStatement({ NotPrincipal: { AWS: `arn:aws:iam::${OTHER}:root` } });
  assert.equal(not.audience.admits, 'anyone');
  assert.deepEqual(not.except, [{ kind: 'account', account: OTHER }]);
  const plain = keyStatement({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` } });
  assert.equal(plain.audience.admits, 'restricted');
});

test('NotAction and Action "*" are expanded with the catalog; a usage list is not broad', () => {
  const not = keyStatement({ Principal: { AWS: OTHER }, Action: undefined, NotAction: 'kms:Decrypt' });
  assert.equal(not.actions.broad, 'NotAction');
  assert.ok(not.actions.kms.includes('kms:CreateGrant') && not.actions.kms.includes('kms:PutKeyPolicy'));
  assert.ok(!not.actions.kms.includes('kms:Decrypt'));
  const star = keyStatement({ Principal: { AWS: OTHER }, Action: '*' });
  assert.equal(star.actions.broad, 'Action "*"');
  assert.ok(star.actions.kms.includes('kms:ScheduleKeyDeletion'));
  const all = keyStatement({ Principal: { AWS: OTHER }, Action: 'kms:*' });
  assert.equal(all.actions.broad, 'kms:*');
  const usage = keyStatement({ Principal: { AWS: OTHER } });
  assert.equal(usage.actions.broad, undefined);
  assert.deepEqual([...usage.actions.kms].sort(), ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
});

test('cross-account effectiveness: management actions take no effect across accounts, grants and crypto do', () => {
  const access = keyStatement({ Principal: { AWS: OTHER }, Action: 'kms:*' });
  for (const action of ['kms:CreateGrant', 'kms:Decrypt', 'kms:Sign', 'kms:RetireGrant', 'kms:GetKeyRotationStatus']) assert.ok(access.actions.acrossAccounts.includes(action), action);
  for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:TagResource', 'kms:GenerateRandom', 'kms:ListRetirableGrants', 'kms:CreateAlias']) {
    assert.ok(access.actions.ownerOnly.includes(action), action);
  }
  const usage = keyStatement({ Principal: { AWS: OTHER } });
  assert.deepEqual(usage.actions.ownerOnly, []);
});

test('every cross-account action is a KMS action of the catalog', () => {
  const kms = sharedCatalog().service('kms')!;
  for (const action of CROSS_ACCOUNT_ACTIONS) assert.ok(kms.actions.has(action.slice(4).toLowerCase()), action);
});

test('resources: a key-policy statement applies to this key only through "*" or its own ARN', () => {
  assert.equal(keyStatement({ Principal: { AWS: OTHER } }).resources.appliesToKey, 'yes');
  assert.equal(keyStatement({ Principal: { AWS: OTHER }, Resource: undefined, NotResource: '*' }).resources.appliesToKey, 'no');
  assert.equal(keyStatement({ Principal: { AWS: OTHER }, Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }).resources.appliesToKey, 'no');
  assert.equal(keyStatement({ Principal: { AWS: OTHER }, Resource: KEY_ARN }, { keyArn: KEY_ARN }).resources.appliesToKey, 'yes');
  assert.equal(keyStatement({ Principal: { AWS: OTHER }, Resource: KEY_ARN.replace('1234abcd', 'ffffffff') }, { keyArn: KEY_ARN }).resources.appliesToKey, 'no');
  assert.equal(keyStatement({ Principal: { AWS: OTHER }, Resource: KEY_ARN }).resources.appliesToKey, 'unknown');
  assert.equal(keyStatement({ Principal: { AWS: OTHER }, Resource: undefined, NotResource: KEY_ARN }, { keyArn: KEY_ARN }).resources.appliesToKey, 'no');
});

test('an unconditional Deny takes its actions away; a conditional one does not', () => {
  const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'kms:*', Resource: '*' };
  const deny = { Sid: 'NoGrants', Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*' };
  const access = accessOf([ROOT_STATEMENT, partner, deny]).statements[1];
  assert.deepEqual(access.actions.denied, ['kms:CreateGrant']);
  assert.ok(!access.actions.effective.includes('kms:CreateGrant') && !access.actions.acrossAccounts.includes('kms:CreateGrant'));
  const conditional = accessOf([ROOT_STATEMENT, partner, { ...deny, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]).statements[1];
  assert.ok(conditional.actions.effective.includes('kms:CreateGrant'));
});

test('a Deny of everyone outside the organization narrows a "*" Allow; a partial or ForAnyValue one does not', () => {
  const open = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: USAGE, Resource: '*' };
  const guard = (extra: Record<string, unknown>) => ({ Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG } }, ...extra });
  const narrowed = accessOf([ROOT_STATEMENT, open, guard({})]).statements[1];
  assert.equal(narrowed.audience.admits, 'restricted');
  assert.equal(describeAudience(narrowed.audience), `callers in organization ${ORG}`);
  assert.equal(narrowed.narrowedBy.length, 1);
  assert.equal(accessOf([ROOT_STATEMENT, open, guard({ Action: 'kms:Decrypt' })]).statements[1].audience.admits, 'anyone');
  assert.equal(accessOf([ROOT_STATEMENT, open, guard({ Condition: { 'ForAnyValue:StringNotEquals': { 'aws:PrincipalOrgID': ORG } } })]).statements[1].audience.admits, 'anyone');
  const ifExists = accessOf([ROOT_STATEMENT, open, guard({ Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } } })]).statements[1];
  assert.equal(ifExists.audience.admits, 'restricted', 'a missing key with IfExists in a Deny is still denied');
});

test('a Deny with NotPrincipal leaves only the listed principals', () => {
  const open = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: USAGE, Resource: '*' };
  const deny = { Sid: 'OwnerOnly', Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
  const access = accessOf([ROOT_STATEMENT, open, deny]).statements[1];
  assert.equal(access.audience.admits, 'restricted');
  assert.deepEqual(access.audience.to.map((p) => p.reach), ['owner']);
});

test('identity policies: the principal is whoever the policy is attached to; kms:CallerAccount must be its own account', () => {
  const statement = (account: string) => ({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN, Condition: { StringEquals: { 'kms:CallerAccount': account } } });
  const foreign = accessOf([statement(OWNER)], { account: OTHER }).statements[0];
  assert.equal(foreign.audience.admits, 'nobody');
  assert.match(foreign.conditions[0].why, /never matches/);
  const own = accessOf([statement(OTHER)], { account: OTHER }).statements[0];
  assert.equal(own.audience.admits, 'restricted');
  assert.deepEqual(own.principals.map((p) => p.constraint), [{ kind: 'attached' }]);
  const tag = accessOf([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { StringEquals: { 'aws:ResourceTag/team': 'data' } } }]).statements[0];
  assert.notEqual(tag.audience.admits, 'nobody', 'aws:ResourceTag works in IAM policies');
});

test('the model is computed once per policy model', () => {
  const model = check(policy([ROOT_STATEMENT])).model!;
  assert.equal(accessModel(model, sharedCatalog()), accessModel(model, sharedCatalog()));
  assert.notEqual(accessModel(model, sharedCatalog()), accessModel(model, sharedCatalog(), KEY_ARN));
});

test('template placeholders in a restricting value are taken as restricting', () => {
  const access = starWith({ StringEquals: { 'aws:PrincipalOrgID': '${org_id}' } });
  assert.equal(access.audience.admits, 'restricted');
});

test('CreateGrant: the documented ways to keep grants from handing the key on', () => {
  const grant = (condition?: Record<string, unknown>) => keyStatement({ Principal: { AWS: OTHER }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], ...(condition ? { Condition: condition } : {}) }).createGrant?.verdict;
  assert.equal(grant({ Bool: { 'kms:GrantIsForAWSResource': 'true' } }), 'aws-services');
  assert.equal(grant({ Bool: { 'kms:GrantIsForAWSResource': true } }), 'aws-services');
  assert.equal(grant({ Bool: { 'kms:GrantIsForAWSResource': 'false' } }), 'unrestricted');
  const role = `arn:aws:iam::${OTHER}:role/app`;
  assert.equal(grant({ StringEquals: { 'kms:GranteePrincipal': role }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } }), 'constrained');
  assert.equal(grant({ StringEquals: { 'kms:GranteePrincipal': role } }), 'unrestricted', 'the grantee could get CreateGrant too');
  // KMS API reference, CreateGrant: GranteePrincipal is required, so every CreateGrant request carries kms:GranteePrincipal.
  assert.equal(grant({ StringEqualsIfExists: { 'kms:GranteePrincipal': role }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'constrained', 'IfExists on a key every CreateGrant carries');
  assert.equal(grant({ StringLike: { 'kms:GranteePrincipal': `arn:aws:iam::${OTHER}:role/*` }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'constrained', 'any role of one account');
  assert.equal(grant({ Bool: { 'kms:GrantIsForAWSResource': 'yes' } }), 'never', 'a value no request has: no grant is made at all (condition-value-type reports it)');
  // IAM User Guide, "Conditions with multiple context keys or values": ForAllValues is true when every requested value matches; a grant of [CreateGrant, Encrypt] is "not Decrypt" throughout.
  assert.equal(grant({ StringEquals: { 'kms:GranteePrincipal': role }, 'ForAllValues:StringNotEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'unrestricted', 'a negated list leaves CreateGrant in');
  assert.equal(grant({ StringEquals: { 'kms:GranteePrincipal': role }, 'ForAnyValue:StringNotEquals': { 'kms:GrantOperations': ['CreateGrant', 'Decrypt'] } }), 'unrestricted', 'one operation outside the list is enough');
  assert.equal(grant({ StringLike: { 'kms:GranteePrincipal': `arn:aws:*:*:${OTHER}:*` }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'unrestricted', "StringLike's * covers colons: another account's role can be named so");
  assert.equal(grant({ 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'unrestricted', 'to anyone');
  assert.equal(grant({ StringEquals: { 'kms:GranteePrincipal': role }, 'ForAnyValue:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'unrestricted', 'ForAnyValue leaves other operations');
  assert.equal(grant({ StringEquals: { 'kms:GranteePrincipal': role }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'CreateGrant'] } }), 'unrestricted', 'the grantee could hand it on');
  assert.equal(grant({ StringLike: { 'kms:GranteePrincipal': 'arn:aws:iam::*:role/app' }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }), 'unrestricted', 'that role name in every account');
  assert.equal(grant({ StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com', 'kms:CallerAccount': OTHER } }), 'via-service');
  assert.equal(grant(), 'unrestricted');
  assert.equal(keyStatement({ Principal: { AWS: OTHER } }).createGrant, undefined, 'no CreateGrant, no reading');
});

test('who can still change the key policy', () => {
  const changers = (...statements: unknown[]) => policyChangers(accessOf(statements)).map((s) => s.statement.sid?.value);
  assert.deepEqual(changers(ROOT_STATEMENT), ['Enable IAM User Permissions']);
  const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/KeyAdmin` }, Action: 'kms:Put*', Resource: '*' };
  assert.deepEqual(changers(admin, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: USAGE, Resource: '*' }), ['Admin'], 'no root statement: the owner is unknown, and the admin may be in it');
  const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:*', Resource: '*' };
  assert.deepEqual(policyChangers(accessOf([partner], { account: OWNER })).length, 0, 'another account cannot call PutKeyPolicy on this key');
  assert.deepEqual(changers({ ...admin, Resource: 'arn:aws:kms:us-east-1:111122223333:alias/x' }), [], 'applies to no key');
  assert.deepEqual(changers(ROOT_STATEMENT, { Sid: 'Lock', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }), [], 'denied to everyone');
});

test('service principals: pinned by aws:Source* or an encryption context that names the account', () => {
  
  const scopeOf = (statement: Record<string, unknown>) => {
    const access = accessOf([ROOT_STATEMENT, { Sid: 'Test', Effect: 'Allow', Resource: '*', Action: USAGE, ...statement }]);
    return serviceScope(access.statements.at(-1)!, access.probes);
  };
  const scope = (condition?: Record<string, unknown>, action: unknown = 'kms:GenerateDataKey*') =>
    scopeOf({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: action, ...(condition ? { Condition: condition } : {}) })!;
  assert.equal(scope().pins.length, 0);
  assert.equal(scope().usesKey, true);
  assert.equal(scope(undefined, 'kms:DescribeKey').usesKey, false);
  assert.equal(scope({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/main` } }).pins.length, 1);
  assert.equal(scope({ StringEquals: { 'aws:SourceAccount': OWNER } }).pins.length, 1);
  assert.equal(scope({ StringLike: { 'aws:SourceAccount': '*' } }).pins.length, 0, 'a wildcard pins nothing');
  assert.equal(scope({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${OWNER}:trail/*` } }).pins.length, 1);
  assert.equal(scope({ StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:*:trail/*' } }).pins.length, 0);
  assert.equal(scope({ StringNotEquals: { 'aws:SourceAccount': OWNER } }).pins.length, 0, 'negated');
  assert.equal(scope({ StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::my-bucket' } }).pins.length, 1, 'a bucket ARN names one bucket, whose name is global');
  assert.equal(scope({ StringEqualsIfExists: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/main` } }).pins.length, 0, 'IfExists lets a request without the context in');
  assert.equal(scopeOf({ Principal: { AWS: OTHER } }), undefined);
});
