// The security rules read the access model: what they report, and their near misses.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFix, covered, findings, KEY_ARN, ofRule, policy, ROOT_STATEMENT, USAGE } from './helpers';

const OWNER = '111122223333';
const OTHER = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const keyPolicy = (...statements: unknown[]) => policy([ROOT_STATEMENT, ...statements]);
const star = (condition: Record<string, unknown>) => keyPolicy({ Sid: 'Shared', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*', Condition: condition });
const partner = (extra: Record<string, unknown>) => keyPolicy({ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Resource: '*', ...extra });

test('wildcard-principal: conditions that restrict nothing are seen through, and say why', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, /matches every organization/],
    [{ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app' } }, /that name in every account/],
    [{ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-*/*' } }, /a path in every organization/],
    [{ StringEqualsIfExists: { 'aws:PrincipalOrgID': ORG } }, /accounts that belong to no organization/],
    [{ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, /callers of any account using that service/],
    [{ StringNotEquals: { 'aws:PrincipalOrgID': ORG } }, /admits everyone it does not name/],
  ];
  for (const [condition, why] of cases) {
    const hits = ofRule(findings(star(condition)), 'wildcard-principal');
    assert.equal(hits.length, 1, JSON.stringify(condition));
    assert.match(hits[0].message, why);
    assert.match(hits[0].message, /any AWS account/);
  }
  assert.equal(ofRule(findings(star({ StringEquals: { 'aws:PrincipalOrgID': ORG } })), 'wildcard-principal').length, 0);
  assert.equal(ofRule(findings(star({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER}:role/app` } })), 'wildcard-principal').length, 0);
});

test('org-condition-invalid: a wildcard organization is not called "never matches"', () => {
  assert.equal(ofRule(findings(star({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })), 'org-condition-invalid').length, 0);
  const bad = ofRule(findings(star({ StringLike: { 'aws:PrincipalOrgID': 'org-*' } })), 'org-condition-invalid');
  assert.equal(bad.length, 1, 'no organization ID starts with org-');
  assert.match(bad[0].message, /never matches any organization/);
  const negated = ofRule(findings(keyPolicy({ Sid: 'D', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-123' } } })), 'org-condition-invalid');
  assert.match(negated[0].message, /true for every caller/);
});

test('cross-account-admin: management granted outside has no effect; the message names what does take effect', () => {
  const hits = ofRule(findings(partner({ Action: 'kms:*' })), 'cross-account-admin');
  assert.equal(hits.length, 1);
  assert.match(hits[0].message, /KMS ignores across accounts/);
  assert.match(hits[0].message, /their calls to change the key policy, disable or delete the key fail/);
  assert.match(hits[0].message, /CreateGrant.*hand the key on to anyone/);
  assert.doesNotMatch(hits[0].message, /they could change the key policy/);
  const not = findings(partner({ NotAction: 'kms:Decrypt' }));
  assert.equal(covered(partner({ NotAction: 'kms:Decrypt' }), ofRule(not, 'cross-account-admin')[0]), '"NotAction"');
  assert.equal(ofRule(findings(partner({ Action: '*' })), 'cross-account-admin').length, 1, 'Action "*"');
  const own = star({ StringEquals: { 'kms:CallerAccount': OWNER } }).replace(/"Action": \[[^\]]*\]/, '"Action": "kms:*"');
  assert.equal(ofRule(findings(own), 'cross-account-admin').length, 0, '"*" pinned to the owner account is not outside');
  assert.equal(ofRule(findings(partner({ Action: USAGE })), 'cross-account-admin').length, 0);
});

// The "Allow administration of the key" statement of AWS's default key policy, given to a user of
// another account (as in cfn-nag's ebs_volume_with_kms_key.json): one finding for the statement.
test('cross-account-admin: one finding per statement, on its first management action, the others related', () => {
  const admin = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];
  const text = policy([ROOT_STATEMENT, { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:user/Alice' }, Action: admin, Resource: '*' }]);
  const hits = ofRule(findings(text), 'cross-account-admin');
  assert.equal(hits.length, 1);
  assert.equal(covered(text, hits[0]), '"kms:Enable*"', 'Create* and Describe* hold no management action');
  const related = (hits[0].related ?? []).map((r) => text.slice(r.start, r.end));
  assert.ok(related.includes('"kms:Put*"') && related.includes('"kms:ScheduleKeyDeletion"'), related.join(' '));
  assert.ok(related.includes('"arn:aws:iam::444455556666:user/Alice"'), 'the principal is related too');
});

test('grant-without-aws-resource-condition: broad grants to other accounts count; the owner\'s root and admins do not', () => {
  for (const extra of [{ Action: 'kms:*' }, { NotAction: 'kms:Decrypt' }, { Action: '*' }]) {
    const text = partner(extra);
    const hits = ofRule(findings(text), 'grant-without-aws-resource-condition');
    assert.equal(hits.length, 1, JSON.stringify(extra));
    assert.match(hits[0].message, new RegExp(`account ${OTHER}`));
    assert.equal(hits[0].fixes, undefined, 'a condition on the whole broad statement would break its other actions');
  }
  const admin = keyPolicy({ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/KeyAdmin` }, Action: ['kms:Create*', 'kms:Put*'], Resource: '*' });
  assert.equal(ofRule(findings(admin), 'grant-without-aws-resource-condition').length, 0);
  const grantee = { StringEquals: { 'kms:GranteePrincipal': `arn:aws:iam::${OTHER}:role/batch` } };
  assert.equal(ofRule(findings(partner({ Action: 'kms:CreateGrant', Condition: { ...grantee, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } } })), 'grant-without-aws-resource-condition').length, 0);
  const alone = ofRule(findings(partner({ Action: 'kms:CreateGrant', Condition: grantee })), 'grant-without-aws-resource-condition');
  assert.equal(alone.length, 1);
  assert.match(alone[0].message, /GranteePrincipal alone/);
  const mixed = ofRule(findings(partner({ Action: ['kms:Decrypt', 'kms:CreateGrant'] })), 'grant-without-aws-resource-condition');
  assert.equal(mixed.length, 1);
  assert.equal(mixed[0].fixes, undefined, 'the Bool condition would also stop kms:Decrypt');
  const grantsOnly = partner({ Action: ['kms:CreateGrant', 'kms:ListGrants'] });
  const fixed = applyFix(grantsOnly, ofRule(findings(grantsOnly), 'grant-without-aws-resource-condition')[0].fixes![0]);
  assert.equal(ofRule(findings(fixed), 'grant-without-aws-resource-condition').length, 0);
});

test('lockout-risk: only statements that apply to this key and reach the owner account count', () => {
  const lockout = (text: string, options = {}) => ofRule(findings(text, options), 'lockout-risk');
  const aliasRoot = policy([{ ...ROOT_STATEMENT, Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]);
  assert.equal(lockout(aliasRoot, { account: OWNER }).length, 1);
  assert.match(lockout(aliasRoot, { account: OWNER })[0].message, /applies to no key/);
  const foreign = policy([{ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:*', Resource: '*' }]);
  const hits = lockout(foreign, { account: OWNER });
  assert.equal(hits.length, 1);
  assert.match(hits[0].message, /only to other accounts, where it has no effect/);
  assert.equal(lockout(keyPolicy()).length, 0);
  const denied = lockout(keyPolicy({ Sid: 'Freeze', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }));
  assert.deepEqual(denied.map((f) => f.severity), ['error'], 'one finding: the Deny');
  assert.equal(lockout(policy([{ ...ROOT_STATEMENT, Resource: KEY_ARN }]), { keyArn: KEY_ARN }).length, 0);
});

test('condition-never-matches: keys never in the request and values of the wrong shape', () => {
  const never = (text: string, options = {}) => ofRule(findings(text, options), 'condition-never-matches');
  assert.equal(never(star({ StringEquals: { 'kms:ViaService': 'ebs.amazonaws.com' } })).length, 1);
  const withRegion = star({ StringEquals: { 'kms:ViaService': 'ebs.amazonaws.com' } });
  const fixable = never(withRegion, { keyArn: KEY_ARN })[0];
  assert.equal(fixable.fixes![0].title, 'Use "ec2.us-east-1.amazonaws.com"');
  assert.equal(never(star({ StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } })).length, 0);
  assert.equal(never(star({ StringLike: { 'kms:ViaService': '*.amazonaws.com' } })).length, 0, 'a pattern may match');
  const s3 = never(keyPolicy({ Sid: 'S3', Effect: 'Allow', Principal: { AWS: OTHER }, Action: USAGE, Resource: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }));
  assert.equal(s3.length, 1);
  assert.match(s3[0].message, /never in a KMS request/);
  const identity = (account: string) => policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN, Condition: { StringEquals: { 'kms:CallerAccount': account } } }]);
  assert.equal(never(identity(OWNER), { account: OTHER }).length, 1);
  assert.equal(never(identity(OTHER), { account: OTHER }).length, 0);
  assert.equal(never(policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { StringEquals: { 'aws:ResourceTag/team': 'data' } } }])).length, 0, 'aws:ResourceTag works in IAM policies');
  const mixed = never(star({ StringEquals: { 'kms:CallerAccount': [OTHER, `arn:aws:iam::${OWNER}:root`] } }));
  assert.equal(mixed.length, 1);
  assert.equal(mixed[0].unnecessary, true);
  assert.equal(mixed[0].fixes![0].title, `Use the account ID "${OWNER}"`);
  assert.equal(never(star({ StringEquals: { 'kms:CallerAccount': 111122223333 } })).length, 0, 'a number is compared as its text');
});

test('service-principal-unscoped: a service that may use the key for anyone', () => {
  const service = (extra: Record<string, unknown>) => keyPolicy({ Sid: 'SNS', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', ...extra });
  const hits = ofRule(findings(service({})), 'service-principal-unscoped');
  assert.equal(hits.length, 1);
  assert.match(hits[0].message, /confused deputy/);
  const fixed = applyFix(service({}), hits[0].fixes![0]);
  assert.deepEqual(JSON.parse(fixed).Statement[1].Condition, { StringEquals: { 'aws:SourceAccount': OWNER } });
  assert.equal(ofRule(findings(fixed), 'service-principal-unscoped').length, 0);
  assert.equal(ofRule(findings(service({ Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OWNER}:*` } } })), 'service-principal-unscoped').length, 0);
  assert.equal(ofRule(findings(service({ Action: 'kms:DescribeKey' })), 'service-principal-unscoped').length, 0, 'metadata only');
  assert.equal(ofRule(findings(service({ Condition: { StringLike: { 'aws:SourceAccount': '*' } } })), 'service-principal-unscoped').length, 1, 'a wildcard pins nothing');
  // Advice (info) as AWS publishes such statements; a warning when the service also gets management or open grants.
  assert.equal(hits[0].severity, 'info');
  const admin = ofRule(findings(service({ Action: ['kms:Decrypt', 'kms:PutKeyPolicy'] })), 'service-principal-unscoped');
  assert.equal(admin[0].severity, 'warning');
  assert.match(admin[0].message, /It also gets PutKeyPolicy/);
  assert.equal(ofRule(findings(service({ Action: ['kms:Decrypt', 'kms:CreateGrant'] })), 'service-principal-unscoped')[0].severity, 'warning');
});

test('condition-never-matches names each dead value in its own finding', () => {
  const text = star({ StringEquals: { 'kms:CallerAccount': ['1111', '2222'] } });
  const found = ofRule(findings(text), 'condition-never-matches');
  assert.deepEqual(found.map((f) => covered(text, f)), ['"1111"', '"2222"']);
  assert.match(found[0].message, /so "1111" never matches/);
  assert.match(found[1].message, /so "2222" never matches/);
});

test('grant-without-aws-resource-condition: a Deny that refuses grants not for AWS resources restricts them; the owner\'s root with CreateGrant named only delegates', () => {
  // KMS guide, "kms:GrantIsForAWSResource": https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
  const grants = { Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'] };
  assert.equal(ofRule(findings(partner(grants)), 'grant-without-aws-resource-condition').length, 1);
  const guarded = policy([ROOT_STATEMENT, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Resource: '*', ...grants },
    { Sid: 'OnlyServiceGrants', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } }]);
  assert.deepEqual(ofRule(findings(guarded), 'grant-without-aws-resource-condition'), []);
  // The Deny must cover the grantee: one naming another account does not.
  const elsewhere = guarded.replace('"AWS": "*"', `"AWS": "arn:aws:iam::555566667777:root"`);
  assert.equal(ofRule(findings(elsewhere), 'grant-without-aws-resource-condition').length, 1);
  const root = policy([{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: ['kms:CreateGrant', 'kms:Decrypt'], Resource: '*' }]);
  assert.deepEqual(ofRule(findings(root, { account: OWNER }), 'grant-without-aws-resource-condition'), []);
});

test('grant-without-aws-resource-condition: a key user of the owner account with CreateGrant and no condition is advice; another account\'s is a warning', () => {
  // KMS guide, "Default key policy": the key-users statement gives CreateGrant with kms:GrantIsForAWSResource; without it, a hardening gap in the owner account.
  const users = (account: string) => policy([ROOT_STATEMENT, { Sid: 'KeyUsers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/app` }, Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*' }]);
  assert.deepEqual(ofRule(findings(users(OWNER), { account: OWNER }), 'grant-without-aws-resource-condition').map((f) => f.severity), ['info']);
  assert.deepEqual(ofRule(findings(users(OTHER), { account: OWNER }), 'grant-without-aws-resource-condition').map((f) => f.severity), ['warning']);
});

test('kms-resource-wildcard: "*" is the only Resource for CreateKey, ListKeys, ListAliases and GenerateRandom; the read-only pattern is not reported', () => {
  // KMS guide, "Specifying KMS keys in IAM policy statements" and "Identity-based policy examples for AWS KMS".
  const identity = (actions: string[]) => policy([{ Effect: 'Allow', Action: actions, Resource: '*' }]);
  const hits = (actions: string[]) => ofRule(findings(identity(actions), { kind: 'identity-policy' }), 'kms-resource-wildcard');
  assert.deepEqual(hits(['kms:CreateKey', 'kms:ListKeys', 'kms:ListAliases', 'kms:GenerateRandom']), []);
  assert.deepEqual(hits(['kms:Describe*', 'kms:Get*', 'kms:List*']), []);
  assert.equal(hits(['kms:Decrypt', 'kms:ListKeys']).length, 1);
  assert.match(hits(['kms:Decrypt', 'kms:ListKeys'])[0].message, /^kms:Decrypt on "\*"/);
});

test('condition-never-matches: another service\'s keys are absent only where only KMS requests meet the statement', () => {
  // An identity policy for EC2 and IAM actions reads ec2: and iam: keys as those services send them.
  const identity = policy([{ Effect: 'Allow', Action: ['ec2:TerminateInstances', 'iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'ec2:ResourceTag/team': 'ci', 'iam:PassedToService': 'ec2.amazonaws.com' } } }]);
  assert.deepEqual(ofRule(findings(identity, { kind: 'identity-policy' }), 'condition-never-matches'), []);
  // A statement of KMS actions alone never sees them, in an identity policy as in a key policy.
  const kmsOnly = policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'home/' } } }]);
  assert.equal(ofRule(findings(kmsOnly, { kind: 'identity-policy' }), 'condition-never-matches').length, 1);
});

test('lockout-risk: key administration that requires kms:ViaService lets nobody change the policy (no service calls PutKeyPolicy)', () => {
  // KMS guide, "kms:ViaService": only requests an AWS service makes on the caller's behalf carry it.
  const viaBackup = policy([{ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'backup.us-east-1.amazonaws.com' } } }]);
  const found = ofRule(findings(viaBackup), 'lockout-risk');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /requires kms:ViaService, which no direct call to change the key policy carries/);
  assert.deepEqual(ofRule(findings(policy([ROOT_STATEMENT])), 'lockout-risk'), []);
});

test('a condition on a global key that does not exist (aws:ARN) is never true: the "*" statement admits nobody, not everyone', () => {
  const text = star({ StringEquals: { 'aws:ARN': 'arn:aws:iam::111122223333:role/app' } });
  assert.deepEqual(ofRule(findings(text), 'wildcard-principal'), []);
  assert.equal(ofRule(findings(text), 'condition-key-unknown').length, 1);
});

test('kms-resource-wildcard judges statements about KMS, not an administrator\'s "Action": "*"', () => {
  const admin = policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  assert.deepEqual(ofRule(findings(admin, { kind: 'identity-policy' }), 'kms-resource-wildcard'), []);
  const kms = policy([{ Effect: 'Allow', Action: ['kms:*'], Resource: '*' }]);
  assert.equal(ofRule(findings(kms, { kind: 'identity-policy' }), 'kms-resource-wildcard').length, 1);
});

test('request-tag-misuse: a negated or ...IfExists operator on aws:RequestTag is always true where no tags are sent, so it blocks nothing and is not reported', () => {
  const on = (operator: string) => ofRule(findings(policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { [operator]: { 'aws:RequestTag/team': 'data' } } }]), { kind: 'identity-policy' }), 'request-tag-misuse');
  assert.equal(on('StringEquals').length, 1);
  assert.deepEqual(on('StringNotEquals'), []);
  assert.deepEqual(on('StringEqualsIfExists'), []);
});

// KMS guide, "Specifying KMS keys in IAM policy statements": key/* of an account names every key
// there, and "it's a best practice to specify only the KMS keys that the principal needs to use,
// rather than giving them access to all KMS keys".
test('kms-resource-wildcard: key/* of one account is every key there; a key ARN or a scoping condition is not reported', () => {
  const statement = (resource: string, extra: Record<string, unknown> = {}) => policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: resource, ...extra }]);
  const hits = (text: string) => ofRule(findings(text, { kind: 'identity-policy' }), 'kms-resource-wildcard');
  const keyStar = statement('arn:aws:kms:us-east-1:111122223333:key/*');
  const found = hits(keyStar);
  // KMS guide, "Best practices for IAM policies": specify only the KMS keys the principal needs.
  assert.deepEqual(found.map((f) => [covered(keyStar, f), f.severity]), [['"arn:aws:kms:us-east-1:111122223333:key/*"', 'warning']]);
  // "*" is every key of every account: a warning, unless a Deny beside it keeps keys out by tag (KMS guide, "Using tags to control access").
  assert.deepEqual(hits(statement('*')).map((f) => f.severity), ['warning']);
  const denied = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' }, { Effect: 'Deny', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Type': 'Reserved' } } }]);
  assert.deepEqual(hits(denied).map((f) => f.severity), ['info']);
  assert.match(found[0].message, /every KMS key of account 111122223333/);
  assert.deepEqual(hits(statement('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')), []);
  assert.deepEqual(hits(statement('arn:aws:kms:us-east-1:111122223333:key/*', { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })), []);
  assert.deepEqual(hits(statement('arn:aws:kms:us-east-1:111122223333:alias/*')), []);
  // Alias administration beside key use: the alias operations need key/*, the use is reported alone.
  const admin = policy([{ Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:Decrypt'], Resource: ['arn:aws:kms:us-east-1:111122223333:alias/app-*', 'arn:aws:kms:us-east-1:111122223333:key/*'] }]);
  assert.deepEqual(hits(admin).map((f) => f.message.split(' on ')[0]), ['kms:Decrypt']);
});

// The placeholder root is principal-invalid's to report; whether it is the owner's is not known until it is filled in.
test('lockout-risk stays silent when the key administrators are a documentation placeholder (ACCOUNT_ID)', () => {
  const text = policy([{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::ACCOUNT_ID:root' }, Action: 'kms:*', Resource: '*' }]);
  const found = findings(text, { kind: 'key-policy' });
  assert.deepEqual(ofRule(found, 'lockout-risk'), []);
  assert.equal(ofRule(found, 'principal-invalid').length, 1);
});

// IAM User Guide, Null condition operator: "true (the key doesn't exist — it is null)". A Deny
// with Null "true" on a key an action never carries always applies to that action.
test('condition-key-action-unsupported: Null "true" on a key the action never carries is always true, not never', () => {
  const deny = (value: string) => policy([{ Effect: 'Deny', Action: ['sagemaker:CreateCompilationJob'], Resource: '*', Condition: { Null: { 'sagemaker:VpcSubnets': value } } }]);
  const always = ofRule(findings(deny('true'), { kind: 'identity-policy' }), 'condition-key-action-unsupported');
  assert.equal(always.length, 1);
  assert.match(always[0].message, /always true/);
  assert.equal(always[0].severity, 'error');
  const never = ofRule(findings(deny('false'), { kind: 'identity-policy' }), 'condition-key-action-unsupported');
  assert.match(never[0].message, /never true/);
});

// Amazon Bedrock User Guide, "Grant IAM permissions to request access to Amazon Bedrock foundation models with a
// product ID": "For the aws-marketplace:Subscribe action only, you can use the aws-marketplace:ProductId condition key".
test('condition-key-action-unsupported: aws-marketplace:ProductId, which the Service Authorization Reference leaves out, is Subscribe\'s; ViewSubscriptions never carries it', () => {
  const text = policy([{ Effect: 'Allow', Action: ['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws-marketplace:ProductId': ['prod-6dw3qvchef7zy'] } } }]);
  const found = ofRule(findings(text, { kind: 'identity-policy' }), 'condition-key-action-unsupported');
  assert.deepEqual(found.map((f) => covered(text, f)), ['"aws-marketplace:ProductId"']);
  assert.match(found[0].message, /^aws-marketplace:ViewSubscriptions does not support aws-marketplace:ProductId/);
  const subscribe = policy([{ Effect: 'Allow', Action: 'aws-marketplace:Subscribe', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws-marketplace:ProductId': ['prod-6dw3qvchef7zy'] } } }]);
  assert.deepEqual(ofRule(findings(subscribe, { kind: 'identity-policy' }), 'condition-key-action-unsupported'), []);
});

// A stranger (an account the policy does not name) is tried against each condition by the evaluator:
// these are the cases where a reading of the operator alone gets it wrong.
test('wildcard-principal: a stranger gets through negation, root ARNs and StringLike spanning colons; ArnLike compares fields', () => {
  const fires = (condition: Record<string, unknown>) => ofRule(findings(star(condition)), 'wildcard-principal').length;
  // IAM User Guide, aws:PrincipalArn: an account's root user is arn:aws:iam::123456789012:root, neither a role nor a user.
  assert.equal(fires({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*'] } }), 1, 'the root of any account is neither');
  assert.equal(fires({ StringNotEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }), 1, 'every account but the key\'s');
  assert.equal(fires({ StringNotEquals: { 'aws:PrincipalAccount': '${aws:PrincipalTag/excluded}' } }), 1, 'the caller sets its own tags');
  // IAM User Guide, "String condition operators": StringLike's * matches anywhere in the string; IAM paths may hold colons (CreateRole, Path).
  assert.equal(fires({ StringLike: { 'aws:PrincipalArn': `arn:aws*:iam::${OWNER}:role/Admin` } }), 1, 'StringLike');
  // ArnLike: "each of the six colon-delimited components of the ARN is checked separately".
  assert.equal(fires({ ArnLike: { 'aws:PrincipalArn': `arn:aws*:iam::${OWNER}:role/Admin` } }), 0, 'ArnLike');
});

test('service-principal-unscoped: an S3 bucket pattern any account can meet pins nothing; one bucket does', () => {
  const s3 = (value: string) => keyPolicy({ Sid: 'S3', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': value } } });
  // Bucket names are global: anyone can create my-bucket-anything (S3 User Guide, "Bucket naming rules").
  assert.equal(ofRule(findings(s3('arn:aws:s3:::*')), 'service-principal-unscoped').length, 1);
  assert.equal(ofRule(findings(s3('arn:aws:s3:::my-bucket*')), 'service-principal-unscoped').length, 1);
  assert.equal(ofRule(findings(s3('arn:aws:s3:::my-bucket')), 'service-principal-unscoped').length, 0);
});

// Organizations API reference: an account ID is exactly 12 digits.
test('wildcard-principal: an account pattern admits only the 12-digit accounts that fit it', () => {
  const hits = (condition: Record<string, unknown>) => ofRule(findings(star(condition)), 'wildcard-principal');
  assert.equal(hits({ StringLike: { 'kms:CallerAccount': `${OWNER}*` } }).length, 0, 'that account alone');
  assert.equal(hits({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}*:role/*` } }).length, 0, 'the roles of that account alone');
  const range = hits({ StringLike: { 'aws:PrincipalAccount': '1111222233*' } });
  assert.equal(range.length, 1);
  assert.match(range[0].message, /matches accounts it does not name/);
});

// Service Authorization Reference, "Actions table" and "Resource types table": an action acts on the resource
// types it lists, each with its ARN format. A Resource of other services only never applies to the action.
test('resource-service-mismatch: logs actions on a flow log\'s EC2 ARN never apply; another service\'s type the action does act on is fine', () => {
  const text = policy([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:DescribeFlowLogs'], Resource: 'arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*' }]);
  const found = ofRule(findings(text, { kind: 'identity-policy' }), 'resource-service-mismatch');
  assert.deepEqual(found.map((f) => [f.severity, covered(text, f)]), [['warning', '"logs:CreateLogStream"'], ['warning', '"logs:PutLogEvents"']]);
  assert.match(found[0].message, /^logs:CreateLogStream acts only on resources whose ARNs have the service "logs", and this statement's Resource holds only ec2 ARNs: this Allow never allows it/);
  // ssm:SendCommand acts on EC2 instances (their ARNs are ec2's) as well as SSM documents.
  const send = policy([{ Effect: 'Allow', Action: 'ssm:SendCommand', Resource: ['arn:aws:ec2:us-east-1:111122223333:instance/*', 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript'] }]);
  assert.deepEqual(ofRule(findings(send, { kind: 'identity-policy' }), 'resource-service-mismatch'), []);
  // "*" among the resources, or a wildcard in the service field: any service may be meant.
  const open = policy([{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: ['arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*', 'arn:aws:*:us-east-1:111122223333:*'] }]);
  assert.deepEqual(ofRule(findings(open, { kind: 'identity-policy' }), 'resource-service-mismatch'), []);
});
