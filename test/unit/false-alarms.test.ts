// Correct policies that must stay clean: every one of these once tempted a naive rule.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findings, KEY_ARN, policy, ROOT_STATEMENT, USAGE } from './helpers';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { grammars, loadGrammarFirst } from './terraform-helpers';

loadGrammarFirst();

const keyPolicy = (...statements: unknown[]) => policy([ROOT_STATEMENT, ...statements]);
const clean = (name: string, text: string, options = {}) =>
  test(`no findings: ${name}`, () => {
    assert.deepEqual(findings(text, options).map((f) => `${f.ruleId}: ${f.message}`), []);
  });

clean('case-insensitive action names', policy([{ Effect: 'Allow', Action: ['KMS:decrypt', 'kms:DESCRIBEKEY', 'kms:generatedatakey*'], Resource: KEY_ARN }]));
clean('kms:EncryptionContext:<key> condition keys', policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN, Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::bucket/report.csv', 'kms:EncryptionContext:project': 'alpha' } } }, { Effect: 'Allow', Action: 'kms:DescribeKey', Resource: KEY_ARN }]));

test('kms:EncryptionContext with DescribeKey named in the same statement: DescribeKey requests carry no encryption context, so that part is advice (info)', () => {
  // KMS guide, "kms:EncryptionContext:context-key": the operations it applies to take an encryption context; DescribeKey takes none.
  const text = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN, Condition: { StringEquals: { 'kms:EncryptionContext:project': 'alpha' } } }]);
  assert.deepEqual(findings(text).map((f) => [f.ruleId, f.severity]), [['condition-never-matches', 'info']]);
  assert.match(findings(text)[0].message, /never in DescribeKey requests/);
  // With kms:GrantIsForAWSResource, the statement's Decrypt is lost: a warning.
  const grants = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: KEY_ARN, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }]);
  // Access Analyzer, UNSUPPORTED_ACTION_FOR_CONDITION_KEY: an ERROR.
  assert.deepEqual(findings(grants).filter((f) => f.ruleId === 'condition-never-matches').map((f) => f.severity), ['error']);
});
clean('service principal with confused-deputy conditions', keyPolicy({ Sid: 'Allow CloudTrail', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } } }));
clean('regional service principal', keyPolicy({ Sid: 'Logs', Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111122223333:*' } } }));
// KMS guide, "Controlling access to aliases": CreateAlias needs permission on the alias and on the key, which key/* gives.
clean('alias ARNs beside key/* in one statement (the alias operations need both)', policy([{ Sid: 'AliasAdmin', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:DescribeKey'], Resource: ['arn:aws:kms:us-east-1:111122223333:alias/app-*', 'arn:aws:kms:us-east-1:111122223333:key/*'] }]));
clean('aws-cn partition', policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }]));
clean('aws-us-gov partition key policy', policy([{ ...ROOT_STATEMENT, Principal: { AWS: 'arn:aws-us-gov:iam::111122223333:root' } }, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:role/app' }, Action: USAGE, Resource: '*' }]));
clean('pathed role ARNs', keyPolicy({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/service-role/team/app-role', 'arn:aws:iam::444455556666:user/ops/alice'] }, Action: USAGE, Resource: '*' }));
clean('"*" principal restricted by aws:PrincipalOrgID', keyPolicy({ Sid: 'Org', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }));
clean('"*" principal restricted by aws:PrincipalOrgPaths', keyPolicy({ Sid: 'OU', Effect: 'Allow', Principal: '*', Action: USAGE, Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } } }));
clean('"*" principal restricted by kms:CallerAccount and kms:ViaService (AWS managed key style)', keyPolicy({ Sid: 'Via S3', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }));
clean('Deny statements with "*" principal', keyPolicy({ Sid: 'Deny outside org', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }));
clean('alias ARNs used for alias operations', policy([{ Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], Resource: ['arn:aws:kms:us-east-1:111122223333:alias/app-*', KEY_ARN] }]));
clean('boolean true in a Bool condition', keyPolicy({ Sid: 'Grants', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }));
clean('the console default key policy', policy([
  ROOT_STATEMENT,
  { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'], Resource: '*' },
  { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:root'] }, Action: USAGE, Resource: '*' },
  { Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:root'] }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
], { Id: 'key-consolepolicy-3' }));
clean('IAM policy using a key by RequestAlias', policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:key/*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/app-data' } } }]));
clean('multi-Region key ARN', policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab' }]));
clean('policy variables in a resource', policy([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::home/${aws:username}/*' }]));
clean('kms:ListAliases on "*"', policy([{ Effect: 'Allow', Action: ['kms:ListAliases', 'kms:ListKeys'], Resource: '*' }]));
clean('package.json is not a policy', JSON.stringify({ name: 'x', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2));
clean('a tsconfig with comments is not a policy', '{\n  // compiler options\n  "compilerOptions": { "strict": true, },\n}\n');

test('a Statement key makes a file a policy even when the JSON is broken', () => {
  const all = findings('{ "Statement": [ { "Effect": "Allow", } ');
  assert.ok(all.some((f) => f.ruleId === 'json-syntax'));
});

// S3 User Guide, "Examples of Amazon S3 bucket policies", granting read-only permission to anonymous users:
// a public-read bucket is S3's concern, with no KMS action in it (pattern from a public CloudFormation template).
clean('a public-read S3 bucket policy ("*" with s3:GetObject only)', policy([{ Sid: 'AllowPublicRead', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' }]), { kind: 'resource-policy' });

test('a "*" resource policy that allows KMS actions is still wildcard-principal', () => {
  const text = policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]);
  assert.deepEqual(findings(text, { kind: 'resource-policy' }).filter((f) => f.ruleId === 'wildcard-principal').map((f) => f.severity), ['error']);
});

test('an ARN cut short after a "*" matches (IAM User Guide, Resource: a * ending a segment matches across colons): info with a fix, not an error', () => {
  const text = policy([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: 'arn:aws:states:*' }]);
  const found = findings(text).filter((f) => f.ruleId === 'arn-invalid');
  assert.deepEqual(found.map((f) => [f.severity, text.slice(f.start, f.end)]), [['info', '"arn:aws:states:*"']]);
  assert.equal(found[0].message, 'Resource "arn:aws:states:*" has fewer than the six colon-separated parts of an ARN. IAM still matches it, as a * that ends an ARN\'s segment matches across the colons after it, but Access Analyzer reports the missing fields. Write "arn:aws:states:*:*:*".');
  assert.deepEqual(found[0].fixes?.[0].edits.map((e) => e.newText), ['"arn:aws:states:*:*:*"']);
  // Without the trailing *, the same ARN is an error.
  assert.deepEqual(findings(policy([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: 'arn:aws:states:us-east-1' }])).filter((f) => f.ruleId === 'arn-invalid').map((f) => f.severity), ['error']);
});

test('a key policy whose owner a template fills in: the same placeholder is the owner, a written-out account only perhaps another', () => {
  const root = (account: string) => ({ Sid: `Root ${account}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });
  const same = policy([root('${account_id}'), { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${account_id}:role/app' }, Action: ['kms:*'], Resource: '*' }]);
  assert.deepEqual(findings(same, { kind: 'key-policy' }).filter((f) => f.ruleId === 'cross-account-admin'), []);
  const written = policy([root('${ACCOUNT_ID}'), root('457936900343')]);
  const found = findings(written, { kind: 'key-policy' }).filter((f) => f.ruleId === 'cross-account-admin');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /^If 457936900343 is not the key's owner account \$\{ACCOUNT_ID\}, this grants another account management permissions/);
});

// KMS guide, "Controlling access to grants": key policies and IAM policies both limit CreateGrant with the grant condition keys.
test('CreateGrant in an identity policy: unconditioned over every key is a warning, over named keys advice, through AWS services nothing', () => {
  const grant = (resource: string, condition?: Record<string, unknown>) =>
    findings(policy([{ Effect: 'Allow', Action: ['kms:CreateGrant'], Resource: resource, ...(condition ? { Condition: condition } : {}) }]), { kind: 'identity-policy' })
      .filter((f) => f.ruleId === 'grant-without-aws-resource-condition')
      .map((f) => f.severity);
  assert.deepEqual(grant('*'), ['warning']);
  assert.deepEqual(grant('arn:aws:kms:*:111122223333:key/*'), ['warning']);
  assert.deepEqual(grant(KEY_ARN), ['info']);
  // IAM User Guide, global condition keys: aws:ViaAWSService is true only when an AWS service calls with the principal's credentials.
  assert.deepEqual(grant('*', { Bool: { 'aws:ViaAWSService': 'true' } }), []);
  assert.deepEqual(grant('*', { Bool: { 'kms:GrantIsForAWSResource': 'true' } }), []);
});

// Service Authorization Reference, "Actions table": an action with no resource type needs Resource "*".
test('an action that takes no resource beside ARNs only: a Deny that never denies it is a warning; an Allow that never allows it a warning for a write, info for a listing', () => {
  const text = policy([
    { Effect: 'Deny', Action: ['s3:PutAccountPublicAccessBlock', 's3:PutBucketPublicAccessBlock'], Resource: 'arn:aws:s3:::*' },
    { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:ListAliases', 'kms:GenerateRandom', 'kms:CreateKey'], Resource: KEY_ARN },
    { Effect: 'Allow', Action: ['kms:ListKeys', 'kms:List*', 'kms:CreateKey'], Resource: '*' },
  ]);
  const found = findings(text, { kind: 'identity-policy' }).filter((f) => f.ruleId === 'action-takes-no-resource');
  // kms:CreateKey and kms:ListAliases (through kms:List*) are allowed on "*" by the third statement: nothing is missing.
  assert.deepEqual(found.map((f) => [f.severity, text.slice(f.start, f.end)]), [['warning', '"s3:PutAccountPublicAccessBlock"'], ['warning', '"kms:GenerateRandom"']]);
  const listing = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:ListAliases'], Resource: KEY_ARN }]);
  assert.deepEqual(findings(listing, { kind: 'identity-policy' }).filter((f) => f.ruleId === 'action-takes-no-resource').map((f) => [f.severity, listing.slice(f.start, f.end)]), [['info', '"kms:ListAliases"']]);
  assert.equal(found[0].message, 's3:PutAccountPublicAccessBlock takes no resource (AWS lists no resource type for it), so only Resource "*" matches it; with ARNs alone in Resource, this Deny never denies it. Move s3:PutAccountPublicAccessBlock to a statement with Resource "*".');
});

test('a service statement whose pin has a wildcard account pins nothing: a warning, where no pin at all (as AWS publishes some) stays advice', () => {
  // KMS guide, "Encrypt log data in CloudWatch Logs": the condition names the account's log groups (arn:aws:logs:region:account-id:*).
  const logs = (arn: string) => keyPolicy({ Sid: 'Logs', Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arn } } });
  assert.deepEqual(findings(logs('arn:aws:logs:us-east-1:111122223333:*')).map((f) => f.ruleId), []);
  const loose = findings(logs('arn:aws:logs:us-east-1:*:*')).filter((f) => f.ruleId === 'service-principal-unscoped');
  assert.deepEqual(loose.map((f) => f.severity), ['warning']);
  assert.match(loose[0].message, /wildcard where the account belongs/);
  const none = keyPolicy({ Sid: 'Sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' });
  assert.deepEqual(findings(none).filter((f) => f.ruleId === 'service-principal-unscoped').map((f) => f.severity), ['info']);
});

test('a templated Region in the pin stands for itself: a wildcard account still pins nothing, the stack\'s own account pins (CloudFormation and Terraform)', () => {
  // KMS guide, "Encrypt log data in CloudWatch Logs": "arn:aws:logs:region:account-id:*" names the account's log groups.
  const cfnStack = (arn: string) => `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Root
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root' }
            Action: 'kms:*'
            Resource: '*'
          - Sid: Logs
            Effect: Allow
            Principal: { Service: !Sub 'logs.\${AWS::Region}.amazonaws.com' }
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*']
            Resource: '*'
            Condition:
              ArnLike:
                'kms:EncryptionContext:aws:logs:arn': !Sub '${arn}'
`;
  const unscoped = (text: string, fileName: string) => checkDocument(text, sharedCatalog(), { fileName, grammars }).findings.filter((f) => f.ruleId === 'service-principal-unscoped');
  assert.deepEqual(unscoped(cfnStack('arn:aws:logs:${AWS::Region}:${AWS::AccountId}:*'), 'stack.yaml'), []);
  const loose = unscoped(cfnStack('arn:aws:logs:${AWS::Region}:*:*'), 'stack.yaml');
  assert.deepEqual(loose.map((f) => f.severity), ['warning']);
  assert.match(loose[0].message, /wildcard where the account belongs/);
  const tf = (arn: string) => `data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "Logs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.\${data.aws_region.current.name}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["${arn}"]
    }
  }
}
`;
  assert.equal(readDocument(tf('arn:aws:logs:*:*:*'), { fileName: 'main.tf', grammars }).policies.length, 1, 'the module is read');
  assert.deepEqual(unscoped(tf('arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*'), 'main.tf'), []);
  assert.deepEqual(unscoped(tf('arn:aws:logs:${data.aws_region.current.name}:*:*'), 'main.tf').map((f) => f.severity), ['warning']);
});

// A policy saved as a template of another tool (`${aws_region}` in plain JSON) says nothing of what fills it in.
test('kms:ViaService with another tool\'s placeholder where the Region belongs is not judged', () => {
  const text = keyPolicy({ Sid: 'Efs', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'elasticfilesystem.${aws_region}.amazonaws.com', 'kms:CallerAccount': '111122223333' } } });
  assert.deepEqual(findings(text).filter((f) => f.ruleId === 'condition-never-matches'), []);
});
