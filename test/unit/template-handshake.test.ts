// The handshake inside one template or module, and keyshare.json keys that name a template's key.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCheck } from '../../server/src/cli/check';
import { formatJson, formatText } from '../../server/src/cli/output';

const OWNER = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const CROSS = ['counterpart-identity-policy-missing', 'counterpart-key-policy-missing', 'ineffective-action', 'unknown-key-reference'];

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-tpl-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function cross(dir: string) {
  const run = await runCheck({ paths: ['.'], cwd: dir });
  return run.reports.filter((r) => CROSS.includes(r.ruleId));
}

const at = (r: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }) =>
  `${r.range.start.line + 1}:${r.range.start.character + 1}-${r.range.end.line + 1}:${r.range.end.character + 1}`;

/** A key whose policy allows `keyActions` to `principal`, and a role whose inline policy allows `roleActions` on `resource`. */
function stack(principal: string, keyActions: string, roleActions: string, resource = '!GetAtt DataKey.Arn'): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Admin
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/admin'
            Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion']
            Resource: '*'
          - Sid: Use
            Effect: Allow
            Principal:
              AWS: ${principal}
            Action: [${keyActions}]
            Resource: '*'
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: use-key
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [${roleActions}]
                Resource: ${resource}
`;
}

test('inside one template: the role may Encrypt, the key policy allows only Decrypt: ineffective-action on the action, related at the key statement', async () => {
  const dir = workspace({ [`${OWNER}/stack.yaml`]: stack("!Sub 'arn:aws:iam::${AWS::AccountId}:role/app'", "'kms:Decrypt', 'kms:DescribeKey'", "'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'") });
  const found = await cross(dir);
  assert.deepEqual(found.map((r) => `${r.ruleId} ${at(r)}`), ['ineffective-action 36:26-36:39']);
  assert.match(found[0].message, /"kms:Encrypt" has no effect on DataKey in stack\.yaml/);
  assert.deepEqual(found[0].related?.map((r) => `${r.file} ${at(r)}`), [`${OWNER}/stack.yaml 12:20-12:68`, `${OWNER}/stack.yaml 18:20-18:66`]);
});

test('inside one template without any account known: ${DataKey.Arn} and ...:key/${DataKey} name the key too', async () => {
  for (const resource of ["!Sub '${DataKey.Arn}'", "!Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${DataKey}'", '{ "Fn::GetAtt": [DataKey, Arn] }']) {
    const dir = workspace({ 'infra/stack.yaml': stack("!Sub 'arn:aws:iam::${AWS::AccountId}:root'", "'kms:Decrypt'", "'kms:Encrypt', 'kms:Decrypt'", resource) });
    const found = await cross(dir);
    assert.deepEqual(found.map((r) => r.ruleId), ['ineffective-action'], resource);
    assert.match(found[0].message, /to the template's account/);
  }
});

test('inside one template: a key policy that allows what the role uses is clean; one that allows the account nothing is counterpart-key-policy-missing', async () => {
  const ok = workspace({ 'infra/stack.yaml': stack("!Sub 'arn:aws:iam::${AWS::AccountId}:root'", "'kms:Encrypt', 'kms:Decrypt'", "'kms:Encrypt', 'kms:Decrypt'") });
  assert.deepEqual(await cross(ok), []);
  const other = workspace({ [`${OWNER}/stack.yaml`]: stack(`'arn:aws:iam::${B}:root'`, "'kms:Decrypt'", "'kms:Decrypt'") });
  const found = await cross(other);
  assert.deepEqual(found.map((r) => `${r.ruleId} ${at(r)}`), ['counterpart-key-policy-missing 37:27-37:46']);
  assert.deepEqual(found[0].related?.map((r) => `${r.file} ${at(r)} ${r.message}`)[0], `${OWNER}/stack.yaml 8:9-8:18 the key policy`, "the key policy's own Statement, not the template's first line");
});

test('inside one Terraform module: aws_kms_key.data.arn in a role policy meets the key policy of aws_kms_key.data', async () => {
  const module = `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Use"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }
      Action    = ["kms:Decrypt"]
      Resource  = "*"
    }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["kms:Encrypt", "kms:Decrypt"]
      Resource = aws_kms_key.data.arn
    }]
  })
}
`;
  const dir = workspace({ [`${OWNER}/main.tf`]: module });
  const found = await cross(dir);
  assert.deepEqual(found.map((r) => `${r.ruleId} ${at(r)}`), ['ineffective-action 20:19-20:32']);
  assert.match(found[0].message, /"kms:Encrypt" has no effect on aws_kms_key\.data in main\.tf/);
});

function config(keys: unknown[]): string {
  return JSON.stringify({ accounts: [{ id: OWNER, paths: ['security/**'] }, { id: B, paths: ['b/**'] }], keys }, null, 2);
}

const useKey = (actions: string) => stack("!Sub 'arn:aws:iam::${AWS::AccountId}:root'", "'kms:Decrypt'", actions, `'${KEY}'`)
  .replace(/  DataKey:[\s\S]*?(?=  AppRole:)/, '');

test('keyshare.json keys[].policy "security/stack.yaml#DataKey": the template key meets the IAM policies of another account', async () => {
  const owner = stack(`'arn:aws:iam::${B}:root'`, "'kms:Decrypt'", "'kms:DescribeKey'");
  // B's role may Encrypt with the key, which its policy allows B only to Decrypt.
  const dir = workspace({ 'keyshare.json': config([{ arn: KEY, policy: 'security/stack.yaml#DataKey' }]), 'security/stack.yaml': owner, 'b/app.yaml': useKey("'kms:Encrypt'") });
  const found = await cross(dir);
  assert.deepEqual(found.map((r) => `${r.file} ${r.ruleId} ${at(r)}`), ['b/app.yaml counterpart-key-policy-missing 19:27-19:104']);
  assert.match(found[0].message, new RegExp(`The key policy of ${KEY} does not allow account ${B} any of Encrypt`));
  assert.ok(found[0].related?.some((r) => r.file === 'security/stack.yaml' && at(r) === '18:20-18:52'), JSON.stringify(found[0].related));

  // With a role in B that uses the key as granted, both halves are there.
  const complete = workspace({ 'keyshare.json': config([{ arn: KEY, policy: 'security/stack.yaml#DataKey' }]), 'security/stack.yaml': owner, 'b/app.yaml': useKey("'kms:Decrypt'") });
  assert.deepEqual(await cross(complete), []);

  // Without it, the grant to B is the half with no counterpart.
  const alone = workspace({ 'keyshare.json': config([{ arn: KEY, policy: 'security/stack.yaml#DataKey' }]), 'security/stack.yaml': owner, 'b/other.iam.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }) });
  const missing = await cross(alone);
  assert.deepEqual(missing.map((r) => `${r.file} ${r.ruleId} ${at(r)}`), ['security/stack.yaml counterpart-identity-policy-missing 18:20-18:52']);
});

test('keyshare.json keys[].policy naming a template key needs no ARN', async () => {
  const dir = workspace({ 'keyshare.json': config([{ policy: 'security/stack.yaml#DataKey', aliases: ['alias/data'] }]), 'security/stack.yaml': stack("!Sub 'arn:aws:iam::${AWS::AccountId}:root'", "'kms:Decrypt'", "'kms:Encrypt', 'kms:Decrypt'") });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  assert.deepEqual(run.reports.filter((r) => r.ruleId === 'keyshare-json'), []);
  assert.deepEqual(run.reports.filter((r) => CROSS.includes(r.ruleId)).map((r) => r.ruleId), ['ineffective-action']);
});

test('the CLI names the template policy and the statement of a finding in a template; JSON adds "policy"', async () => {
  const dir = workspace({ 'infra/stack.yaml': stack("'*'", "'kms:Decrypt'", "'kms:Decrypt'") });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  const text = formatText(run.reports, false).split('\n');
  const wildcard = text.find((line) => line.endsWith('[wildcard-principal]'));
  assert.ok(wildcard?.startsWith('infra/stack.yaml:18:20: error [DataKey KeyPolicy, statement 2] '), String(wildcard));
  const json = JSON.parse(formatJson(run.reports)) as { ruleId: string; policy?: string; range: unknown }[];
  const entry = json.find((r) => r.ruleId === 'wildcard-principal')!;
  assert.equal(entry.policy, 'DataKey KeyPolicy');
  assert.deepEqual(entry.range, { start: { line: 17, character: 19 }, end: { line: 17, character: 22 } });
  // A standalone policy file names no template policy.
  const plain = workspace({ 'p.iam.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decryptt', Resource: '*' }] }) });
  const reports = (await runCheck({ paths: ['.'], cwd: plain })).reports;
  assert.ok(reports.length > 0 && reports.every((r) => r.policy === undefined));
});

test('keyshare.json keys[].policy "security/main.tf#aws_kms_key.data": the module key meets an IAM policy of another account', async () => {
  const module = `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "B"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${B}:root" }
      Action    = ["kms:Decrypt"]
      Resource  = "*"
    }]
  })
}
`;
  const iam = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt'], Resource: KEY }] }, null, 2);
  const dir = workspace({ 'keyshare.json': config([{ arn: KEY, policy: 'security/main.tf#aws_kms_key.data' }]), 'security/main.tf': module, 'b/app.iam.json': iam });
  const found = await cross(dir);
  assert.deepEqual(found.map((r) => `${r.file} ${r.ruleId} ${at(r)}`), ['b/app.iam.json counterpart-key-policy-missing 9:19-9:96']);
  assert.ok(found[0].related?.some((r) => r.file === 'security/main.tf' && at(r) === '7:27-7:59'), JSON.stringify(found[0].related));
});

test('inside one template: key administration allowed by the role and by the root statement is no ineffective action', async () => {
  const dir = workspace({ 'infra/stack.yaml': stack("!Sub 'arn:aws:iam::${AWS::AccountId}:root'", "'kms:*'", "'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:Decrypt'") });
  assert.deepEqual(await cross(dir), []);
  const admin = workspace({ 'infra/stack.yaml': stack("!Sub 'arn:aws:iam::${AWS::AccountId}:root'", "'kms:Decrypt'", "'kms:PutKeyPolicy'") });
  assert.deepEqual(await cross(admin), []);
});

test('a key policy whose principal account the template fills in (a parameter with no value given) may allow the account: advice said as "if", not an error that fails CI', async () => {
  const owner = stack("!Sub 'arn:aws:iam::${WorkloadAccount}:root'", "'kms:Decrypt'", "'kms:DescribeKey'").replace("Resources:", "Parameters:\n  WorkloadAccount: { Type: String }\nResources:");
  const dir = workspace({ 'keyshare.json': config([{ arn: KEY, policy: 'security/stack.yaml#DataKey' }]), 'security/stack.yaml': owner, 'b/app.yaml': useKey("'kms:Decrypt'") });
  const found = await cross(dir);
  assert.deepEqual(found.map((r) => `${r.file} ${r.ruleId} ${r.severity}`), ['b/app.yaml counterpart-key-policy-missing info']);
  assert.match(found[0].message, /whose account the template fills in: unless that is account 444455556666/);
});
