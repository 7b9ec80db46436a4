// Key policies as AWS itself documents them get no error or warning: if a rule flags one of
// these, the rule is wrong (or AWS's documentation changed, and the rule's doc should say so).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findings, policy, ROOT_STATEMENT, USAGE } from './helpers';

const ACCOUNT = '111122223333';
const keyPolicy = (...statements: unknown[]) => policy([ROOT_STATEMENT, ...statements]);
const quiet = (name: string, text: string, options = {}) =>
  test(`no error or warning: ${name}`, () => {
    const loud = findings(text, options).filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(loud.map((f) => `${f.ruleId}: ${f.message}`), []);
  });

// "Default key policy" (KMS guide): the console's four statements, with an external account as key user.
quiet('the console default key policy, with key administrators and an external key user', policy([
  ROOT_STATEMENT,
  { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'], Resource: '*' },
  { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/app`, 'arn:aws:iam::444455556666:root'] }, Action: USAGE, Resource: '*' },
  { Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/app`, 'arn:aws:iam::444455556666:root'] }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } },
], { Id: 'key-consolepolicy-3' }));

// "Configure AWS KMS key policies for CloudTrail" (CloudTrail guide).
const trail = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;
const trailContext = { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` };
quiet('the CloudTrail key policy', keyPolicy(
  { Sid: 'AllowCloudTrailEncryptLogs', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': trail }, StringLike: trailContext } },
  { Sid: 'Allow CloudTrail to describe key', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
  { Sid: 'Allow principals in the account to decrypt log files', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:ReEncryptFrom'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT }, StringLike: trailContext } },
  { Sid: 'Allow alias creation during setup', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:CreateAlias', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT } } },
  { Sid: 'Enable cross account log decryption', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:ReEncryptFrom'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT }, StringLike: trailContext } },
));

// "Encrypt log data in CloudWatch Logs using AWS KMS" (CloudWatch Logs guide): one log group, or every log group of the account.
for (const [name, condition] of [
  ['one log group', { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app-logs` } }],
  ['every log group of the account', { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:*` } }],
] as const) {
  quiet(`the CloudWatch Logs key policy statement (${name})`, keyPolicy({ Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*', Condition: condition }));
}

// The AWS managed key for EBS (KMS guide, kms:CallerAccount): use through one service from one account, CreateGrant included.
quiet('AWS managed key style: kms:CallerAccount with kms:ViaService', keyPolicy(
  { Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } } },
));

// Organization-wide sharing: "*" pinned by aws:PrincipalOrgID, use and persistent resources.
quiet('organization-wide sharing with aws:PrincipalOrgID', keyPolicy(
  { Sid: 'Org use', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
  { Sid: 'Org grants for AWS resources', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
));

// "*" allowed, and a Deny of everyone outside the organization: the Deny is what restricts it.
quiet('a "*" Allow narrowed by a Deny of everyone outside the organization', keyPolicy(
  { Sid: 'Use', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*' },
  { Sid: 'Only the organization', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
));

// "Grant constraints" / kms:GrantOperations (KMS guide): direct delegation to one grantee, closed operations.
quiet('CreateGrant limited by kms:GranteePrincipal and ForAllValues kms:GrantOperations', keyPolicy(
  { Sid: 'Delegate decrypt to the batch role', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/orchestrator' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GranteePrincipal': 'arn:aws:iam::444455556666:role/batch' }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'DescribeKey'] } } },
));

// Role trust policies as AWS documents them (the new trust-policy and OIDC rules must stay quiet on them).
// "Role trust and permissions" (Amazon Cognito Developer Guide): an identity pool's unauthenticated role.
quiet('the Cognito identity pool role trust policy', policy([
  { Sid: '', Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-corner-cafe-123456790ab' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } } },
]), { kind: 'trust-policy' });

// "Create a role for OpenID Connect federation" (IAM User Guide, GitHub section): one repository's workflows.
quiet('the GitHub Actions OIDC role trust policy', policy([
  { Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main' } } },
]), { kind: 'trust-policy' });

// AWS STS API Reference, AssumeRoleWithWebIdentity: the trust policy of a role an identity pool assumes "must contain
// the cognito-identity.amazonaws.com:aud condition key". The same policy without it (amr alone) lets any pool in.
test('the Cognito trust policy without its aud condition: a warning that names the missing key', () => {
  const text = policy([
    { Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } } },
  ]);
  const loud = findings(text, { kind: 'trust-policy' }).filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(loud.map((f) => f.ruleId), ['oidc-trust-condition']);
  assert.match(loud[0].message, /any Amazon Cognito identity pool, in any account.*no cognito-identity\.amazonaws\.com:aud condition/);
});
