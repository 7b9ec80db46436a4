// keyshare explain: verdicts with the deciding statements, on small multi-account workspaces.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runExplain } from '../../server/src/cli/explain';
import { runCheck } from '../../server/src/cli/check';
import { parseConfig } from '../../server/src/workspace/config';
import { policy, USAGE } from './helpers';
import { Project } from '../../server/src/project';
import { DEFAULT_SETTINGS } from '../../server/src/project/settings';
import { explainChoices } from '../../server/src/project/explain';

const OWNER = '111122223333';
const B = '444455556666';
const C = '555566667777';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const MANAGED = `arn:aws:kms:us-east-1:${B}:key/0000aaaa-12ab-34cd-56ef-1234567890ab`;
const ROOT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
const ORG = 'o-a1b2c3d4e5';
const OU_PATH = `${ORG}/r-ab12/ou-ab12-11111111/`;

function workspace(files: Record<string, unknown>, config: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-explain-'));
  const fullConfig = {
    accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }, { id: C, paths: ['c/**'] }],
    keys: [{ arn: KEY, policy: 'owner/key.key-policy.json', aliases: ['alias/data'] }, { arn: MANAGED, aliases: ['alias/aws/s3'], managed: 'aws' }],
    ...config,
  };
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify(fullConfig, null, 2));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : policy(content as unknown[]));
  }
  return dir;
}

async function ask(dir: string, principal: string, action: string, key = KEY, extra: { policies?: string[]; context?: Record<string, string> } = {}) {
  const run = await runExplain({ principal, action, key, policies: extra.policies ?? [], context: extra.context ?? {}, paths: [], cwd: dir });
  if (!run.ok) throw new Error(run.message);
  const a = run.answer;
  return { verdict: a.verdict, because: a.because.map((c) => `${path.relative(dir, c.file)} ${c.effect} ${c.sid ?? ''}`.trim()), depends: a.depends, answer: a };
}

const keyPolicy = (...statements: unknown[]) => [ROOT, ...statements];
const use = (resource: string, actions: unknown = USAGE, extra: Record<string, unknown> = {}) => [{ Sid: 'UseKey', Effect: 'Allow', Action: actions, Resource: resource, ...extra }];

test('root delegation against a named role: both halves decide, cited', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(KEY),
  }, { principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }] });
  const r = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(r.because, ['owner/key.key-policy.json Allow B', 'b/app.iam.json Allow UseKey']);
  assert.equal(r.answer.because[0].range.start.line > 0, true);
  // Without its identity policies the answer depends on them, and names the account's candidates.
  const unknown = await ask(dir, `arn:aws:iam::${B}:role/other`, 'kms:Decrypt');
  assert.equal(unknown.verdict, 'depends');
  assert.match(unknown.depends.join(), /b\/app\.iam\.json/);
  // An action that takes no effect across accounts.
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:PutKeyPolicy')).verdict, 'denied');
  // The owner's own role through the root statement, with an identity policy given on the command line.
  const own = await ask(dir, `arn:aws:iam::${OWNER}:role/admin`, 'kms:Decrypt', 'alias/data', { policies: [path.join(dir, 'b/app.iam.json')] });
  assert.equal(own.verdict, 'allowed');
  assert.deepEqual(own.because, ['owner/key.key-policy.json Allow Root', 'b/app.iam.json Allow UseKey']);
  // Another account the key policy does not name.
  const c = await ask(dir, `arn:aws:iam::${C}:role/app`, 'kms:Decrypt', KEY, { policies: [path.join(dir, 'b/app.iam.json')] });
  assert.equal(c.verdict, 'denied');
  assert.match(c.answer.notes.join(), /no statement of the key policy/);
  assert.deepEqual(c.depends, []);
});

test('organization-wide and OU shares use keyshare.json organization', async () => {
  const org = { organization: { id: ORG, units: [{ id: 'ou-ab12-11111111', path: OU_PATH, accounts: [B] }] } };
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy(
      { Sid: 'Org', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } },
      { Sid: 'OU', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${OU_PATH}*` } } },
    ),
    'b/app.iam.json': use('*', 'kms:*'),
  }, { ...org, principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }, { arn: `arn:aws:iam::${C}:role/app`, policies: ['b/app.iam.json'] }] });
  const b = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(b.verdict, 'allowed');
  assert.deepEqual(b.because, ['owner/key.key-policy.json Allow OU', 'b/app.iam.json Allow UseKey']);
  // C is a member (declared account) but in no declared OU: DescribeKey yes, Decrypt no.
  assert.equal((await ask(dir, `arn:aws:iam::${C}:role/app`, 'kms:DescribeKey')).verdict, 'allowed');
  assert.equal((await ask(dir, `arn:aws:iam::${C}:role/app`, 'kms:Decrypt')).verdict, 'denied');
  // An account keyshare.json does not place: whether it is in the organization is not known here.
  const stranger = await ask(dir, 'arn:aws:iam::999988887777:role/x', 'kms:DescribeKey', KEY, { policies: [path.join(dir, 'b/app.iam.json')] });
  assert.equal(stranger.verdict, 'depends');
  assert.equal(stranger.depends.length, 1);
  assert.match(stranger.depends[0], /^aws:PrincipalOrgID: whether account \d{12} is in the organization .*--context aws:PrincipalOrgID=/);
});

test('Deny statements decide first, in either half', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy(
      { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' },
      { Sid: 'NoDecryptForTemp', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${B}:role/temp` }, Action: 'kms:Decrypt', Resource: '*' },
    ),
    'b/app.iam.json': use(KEY),
    'b/deny.iam.json': [{ Sid: 'NoEncrypt', Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }],
  }, { principals: [{ arn: `arn:aws:iam::${B}:role/temp`, policies: ['b/app.iam.json'] }, { arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json', 'b/deny.iam.json'] }] });
  const temp = await ask(dir, `arn:aws:iam::${B}:role/temp`, 'kms:Decrypt');
  assert.equal(temp.verdict, 'denied');
  assert.deepEqual(temp.because, ['owner/key.key-policy.json Deny NoDecryptForTemp']);
  const app = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Encrypt');
  assert.equal(app.verdict, 'denied');
  assert.deepEqual(app.because, ['b/deny.iam.json Deny NoEncrypt']);
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt')).verdict, 'allowed');
});

test('conditions: known from --context, else the answer depends on them', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'ViaS3', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/app` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }),
    'b/app.iam.json': use(KEY),
  }, { principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }] });
  const unknown = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(unknown.verdict, 'depends');
  assert.equal(unknown.depends.length, 1);
  assert.match(unknown.depends[0], /^kms:ViaService: .*--context kms:ViaService=/);
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', KEY, { context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })).verdict, 'allowed');
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', KEY, { context: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } })).verdict, 'denied');
});

test('alias-based IAM policies: kms:ResourceAliases against the key\'s aliases', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(`arn:aws:kms:us-east-1:${OWNER}:key/*`, USAGE, { Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/data' } } }),
    'b/other.iam.json': use(`arn:aws:kms:us-east-1:${OWNER}:key/*`, USAGE, { Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/other' } } }),
  });
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', 'alias/data', { policies: [path.join(dir, 'b/app.iam.json')] })).verdict, 'allowed');
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', 'alias/data', { policies: [path.join(dir, 'b/other.iam.json')] })).verdict, 'denied');
});

test('an AWS managed key: its own account through a service, never another account', async () => {
  const dir = workspace({ 'b/app.iam.json': use('*', 'kms:Decrypt') });
  const other = await ask(dir, `arn:aws:iam::${C}:role/app`, 'kms:Decrypt', MANAGED, { policies: [path.join(dir, 'b/app.iam.json')] });
  assert.equal(other.verdict, 'denied');
  const own = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', MANAGED, { policies: [path.join(dir, 'b/app.iam.json')] });
  assert.equal(own.verdict, 'depends');
  assert.match(own.depends.join(), /kms:ViaService/);
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', MANAGED, { policies: [path.join(dir, 'b/app.iam.json')], context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })).verdict, 'allowed');
});

test('wildcard actions: allowed for the actions granted, the others named', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/app` }, Action: 'kms:Decrypt', Resource: '*' }),
    'b/app.iam.json': use('*', 'kms:*'),
  }, { principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }] });
  const r = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:*');
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(r.answer.actions.filter((a) => a.verdict === 'allowed').map((a) => a.action), ['kms:Decrypt']);
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Encrypt')).verdict, 'denied');
});

test('a template key referenced by !GetAtt, by its policy reference', async () => {
  const template = [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    `            Principal: { AWS: "arn:aws:iam::${OWNER}:root" }`,
    '            Action: "kms:*"',
    '            Resource: "*"',
    '  AppPolicy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: UseDataKey',
    '            Effect: Allow',
    '            Action: kms:Decrypt',
    '            Resource: !GetAtt DataKey.Arn',
    '',
  ].join('\n');
  const dir = workspace({ 'owner/stack.yaml': template.replace(`"arn:aws:iam::${OWNER}:root"`, '!Sub "arn:aws:iam::${AWS::AccountId}:root"') }, {
    keys: [{ arn: KEY, policy: 'owner/stack.yaml#DataKey', aliases: [] }],
    principals: [{ arn: `arn:aws:iam::${OWNER}:role/app`, policies: ['owner/stack.yaml#AppPolicy'] }],
  });
  const r = await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Decrypt', 'owner/stack.yaml#DataKey');
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(r.because, ['owner/stack.yaml Allow Root', 'owner/stack.yaml Allow UseDataKey']);
  assert.deepEqual(r.answer.because.map((c) => c.policy), ['DataKey KeyPolicy', 'AppPolicy PolicyDocument']);
  // Without the principal's policies: depends on them.
  assert.equal((await ask(dir, `arn:aws:iam::${OWNER}:role/other`, 'kms:Decrypt', 'owner/stack.yaml#DataKey')).verdict, 'depends');
});

test('a template attaches policies to its role: inline Policies and a ManagedPolicy naming it with !Ref', async () => {
  const template = [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
    '            Action: "kms:*"',
    '            Resource: "*"',
    '  AppRole:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      RoleName: app',
    '      AssumeRolePolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { Service: lambda.amazonaws.com }',
    '            Action: sts:AssumeRole',
    '      Policies:',
    '        - PolicyName: decrypt',
    '          PolicyDocument:',
    '            Version: "2012-10-17"',
    '            Statement:',
    '              - Sid: Decrypt',
    '                Effect: Allow',
    '                Action: kms:Decrypt',
    '                Resource: !GetAtt DataKey.Arn',
    '  EncryptPolicy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      Roles: [!Ref AppRole]',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Encrypt',
    '            Effect: Allow',
    '            Action: kms:Encrypt',
    '            Resource: !GetAtt DataKey.Arn',
    '',
  ].join('\n');
  const dir = workspace({ 'owner/stack.yaml': template }, { keys: [{ arn: KEY, policy: 'owner/stack.yaml#DataKey', aliases: [] }] });
  const decrypt = await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Decrypt', KEY);
  assert.equal(decrypt.verdict, 'allowed');
  assert.deepEqual(decrypt.because, ['owner/stack.yaml Allow Root', 'owner/stack.yaml Allow Decrypt']);
  const encrypt = await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Encrypt', KEY);
  assert.equal(encrypt.verdict, 'allowed');
  assert.deepEqual(encrypt.answer.because.map((c) => c.policy), ['DataKey KeyPolicy', 'EncryptPolicy PolicyDocument']);
  assert.equal((await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:ReEncryptFrom', KEY)).verdict, 'denied');
});

test('a Terraform key referenced by aws_kms_key.x.arn', async () => {
  const module = [
    'data "aws_iam_policy_document" "key" {',
    '  statement {',
    '    sid = "Root"',
    '    effect = "Allow"',
    '    principals {',
    '      type = "AWS"',
    `      identifiers = ["arn:aws:iam::${OWNER}:root"]`,
    '    }',
    '    actions = ["kms:*"]',
    '    resources = ["*"]',
    '  }',
    '}',
    'resource "aws_kms_key" "data" {',
    '  policy = data.aws_iam_policy_document.key.json',
    '}',
    'resource "aws_iam_role_policy" "app" {',
    '  role = "app"',
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [{ Sid = "UseDataKey", Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.data.arn }]',
    '  })',
    '}',
    '',
  ].join('\n');
  const dir = workspace({ 'owner/main.tf': module }, {
    keys: [{ arn: KEY, policy: 'owner/main.tf#aws_kms_key.data', aliases: [] }],
    principals: [{ arn: `arn:aws:iam::${OWNER}:role/app`, policies: ['owner/main.tf#aws_iam_role_policy.app'] }],
  });
  const r = await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Decrypt', KEY);
  assert.equal(r.verdict, 'allowed');
  assert.deepEqual(r.because, ['owner/main.tf Allow Root', 'owner/main.tf Allow UseDataKey']);
  assert.equal((await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Encrypt', KEY)).verdict, 'denied');
});

test('a Terraform module attaches policies to its role: inline_policy, aws_iam_role_policy by reference or name, and attachments', async () => {
  const module = [
    'resource "aws_kms_key" "data" {',
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    `    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:root" }, Action = "kms:*", Resource = "*" }]`,
    '  })',
    '}',
    'resource "aws_iam_role" "app" {',
    '  name = "app"',
    '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })',
    '  inline_policy {',
    '    name = "describe"',
    '    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Describe", Effect = "Allow", Action = "kms:DescribeKey", Resource = aws_kms_key.data.arn }] })',
    '  }',
    '}',
    'resource "aws_iam_role_policy" "decrypt" {',
    '  role = aws_iam_role.app.id',
    '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Decrypt", Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.data.arn }] })',
    '}',
    'resource "aws_iam_policy" "encrypt" {',
    '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Encrypt", Effect = "Allow", Action = "kms:Encrypt", Resource = aws_kms_key.data.arn }] })',
    '}',
    'resource "aws_iam_role_policy_attachment" "encrypt" {',
    '  role = "app"',
    '  policy_arn = aws_iam_policy.encrypt.arn',
    '}',
    'resource "aws_iam_role_policy" "other" {',
    '  role = "batch"',
    '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Sign", Effect = "Allow", Action = "kms:Sign", Resource = aws_kms_key.data.arn }] })',
    '}',
    '',
  ].join('\n');
  const dir = workspace({ 'owner/main.tf': module }, { keys: [{ arn: KEY, policy: 'owner/main.tf#aws_kms_key.data', aliases: [] }] });
  const app = `arn:aws:iam::${OWNER}:role/app`;
  const decrypt = await ask(dir, app, 'kms:Decrypt', KEY);
  assert.equal(decrypt.verdict, 'allowed', JSON.stringify(decrypt.depends));
  assert.deepEqual(decrypt.because, ['owner/main.tf Allow Root', 'owner/main.tf Allow Decrypt']);
  assert.deepEqual((await ask(dir, app, 'kms:Encrypt', KEY)).because, ['owner/main.tf Allow Root', 'owner/main.tf Allow Encrypt'], 'the attached aws_iam_policy');
  assert.equal((await ask(dir, app, 'kms:DescribeKey', KEY)).verdict, 'allowed', 'the inline_policy block');
  assert.equal((await ask(dir, app, 'kms:Sign', KEY)).verdict, 'denied', "another role's policy is not app's");
  assert.equal((await ask(dir, `arn:aws:iam::${OWNER}:role/batch`, 'kms:Sign', KEY)).verdict, 'allowed', 'a role known only by the name its policy gives');
});

test('CLI: explain --help, usage errors exit 2, json output', async () => {
  const { spawnSync } = await import('child_process');
  const cli = path.join(__dirname, '..', '..', '..', 'server', 'out', 'cli.js');
  const help = spawnSync(process.execPath, [cli, 'explain', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /keyshare explain --principal/);
  const missing = spawnSync(process.execPath, [cli, 'explain', '--principal', 'arn:aws:iam::444455556666:role/app'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  const examples = path.join(__dirname, '..', '..', '..', 'examples');
  const json = spawnSync(process.execPath, [cli, 'explain', '--principal', 'arn:aws:iam::444455556666:role/app', '--action', 'kms:Decrypt', '--key', 'alias/data', '--format', 'json'], { encoding: 'utf8', cwd: examples });
  assert.equal(json.status, 0, json.stderr);
  const answer = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(answer), ['verdict', 'principal', 'action', 'key', 'summary', 'because', 'depends']);
  assert.equal(answer.because[0].file, 'security/keys/data.key-policy.json');
  assert.match(answer.summary, /^arn:aws:iam::444455556666:role\/app (can|cannot|may) call kms:Decrypt/);
  // A denial for want of a statement cites none: the summary still says why.
  const denied = spawnSync(process.execPath, [cli, 'explain', '--principal', 'arn:aws:iam::777788889999:role/other', '--action', 'kms:Decrypt', '--key', 'alias/data', '--format', 'json'], { encoding: 'utf8', cwd: examples });
  const deniedAnswer = JSON.parse(denied.stdout);
  assert.equal(deniedAnswer.verdict, 'denied', denied.stdout);
  assert.match(deniedAnswer.summary, /cannot call kms:Decrypt .*: /);
  const bad = spawnSync(process.execPath, [cli, 'explain', '--principal', 'arn:aws:iam::444455556666:role/app', '--action', 'kms:Decrypt', '--key', 'alias/nope'], { encoding: 'utf8', cwd: examples });
  assert.equal(bad.status, 2);
  // A key written wrong is named as what it is, not looked for as a file.
  const keyError = (key: string) => {
    const run = spawnSync(process.execPath, [cli, 'explain', '--principal', 'arn:aws:iam::444455556666:role/app', '--action', 'kms:Decrypt', '--key', key], { encoding: 'utf8', cwd: examples });
    assert.equal(run.status, 2, run.stdout);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    return run.stderr;
  };
  assert.match(keyError('arn:aws:kms:us-east-1:111122223333:alias/nope'), /no key in keyshare\.json has this alias/);
  assert.match(keyError('arn:aws:kms:us-east-1:111122223333:kye/1234abcd-12ab-34cd-56ef-1234567890ab'), /not a key ARN \(arn:aws:kms:<region>:<account>:key\/<key-id>\)/);
  assert.match(keyError('1234abcd-12ab-34cd-56ef-1234567890ab'), /a key ID names no account or Region; give the key ARN/);
});

test('expect entries: met ones are silent, a failed one is an error on its entry with the deciding statements', async () => {
  const expect = [
    { principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key: 'alias/data', allowed: true },
    { principal: `arn:aws:iam::${C}:root`, action: 'kms:*', key: KEY, allowed: false },
    { principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Encrypt', key: 'alias/data', allowed: false },
    { principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key: 'alias/nope', allowed: true },
  ];
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(KEY),
  }, { principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }], expect });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  const failed = run.reports.filter((r) => r.ruleId === 'access-expectation');
  assert.deepEqual(failed.map((r) => [r.file, r.severity, r.message]), [
    ['keyshare.json', 'error', `Expected arn:aws:iam::${B}:role/app kms:Encrypt on alias/data to be denied, but kms:Encrypt is allowed.`],
    ['keyshare.json', 'error', 'This expectation cannot be checked: alias/nope: no key in keyshare.json has this alias (declare the key\'s "aliases", or give its key ARN).'],
  ]);
  assert.deepEqual(failed[0].related?.map((r) => r.file), ['owner/key.key-policy.json', 'b/app.iam.json']);
  assert.ok(failed[0].range.start.line > 0);
});

test('the examples workspace meets its expectations', async () => {
  const examples = path.join(__dirname, '..', '..', '..', 'examples');
  const run = await runCheck({ paths: ['.'], cwd: examples });
  assert.deepEqual(run.reports.filter((r) => r.ruleId === 'access-expectation').map((r) => r.message), []);
});

test('keyshare.json principals and expect: valid entries are read, broken ones reported', async () => {
  const good = parseConfig(JSON.stringify({
    principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }],
    expect: [{ principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key: 'alias/data', allowed: true, context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }],
  }));
  assert.deepEqual(good.problems, []);
  assert.deepEqual(good.config.principals, [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }]);
  assert.deepEqual(good.config.expect[0].context, { 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
  const bad = parseConfig(JSON.stringify({
    principals: [{ arn: 'app' }],
    expect: [{ principal: `arn:aws:iam::${B}:role/app`, action: 'Decrypt', key: 'alias/data', allowed: true }, { principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key: 'alias/data', allowed: 'yes' }, { principal: 'x', action: 'kms:Decrypt', key: 'k', allowed: true, extra: 1 }],
  }));
  assert.deepEqual(bad.problems.map((p) => p.message), [
    'Each principal needs "arn": a role, user or account root ARN such as arn:aws:iam::444455556666:role/app.',
    'Each expect entry needs "action": a KMS action such as kms:Decrypt (wildcards allowed).',
    'Each expect entry needs "allowed": true or false.',
    '"extra" is not a field of an expect entry (principal, action, key, allowed, context).',
    'Each expect entry needs "principal": a role, user or account root ARN, or a service principal.',
  ]);
  assert.equal(bad.config.expect.length, 0);
});

test('bad questions get one clear error, never a verdict (exit 2 on the command line, a finding on an expect entry)', async () => {
  const { spawnSync } = await import('child_process');
  const cli = path.join(__dirname, '..', '..', '..', 'server', 'out', 'cli.js');
  const dir = workspace({ 'owner/key.key-policy.json': keyPolicy() });
  const run = (principal: string, action: string) => spawnSync(process.execPath, [cli, 'explain', '--principal', principal, '--action', action, '--key', KEY], { encoding: 'utf8', cwd: dir });
  const misspelt = run(`arn:aws:iam::${OWNER}:role/app`, 'kms:Decrpyt');
  assert.equal(misspelt.status, 2);
  assert.equal(misspelt.stdout, '');
  assert.equal(misspelt.stderr, 'keyshare: kms:Decrpyt: matches no KMS action (did you mean kms:Decrypt?)\n');
  const other = run(`arn:aws:iam::${OWNER}:role/app`, 's3:GetObject');
  assert.equal(other.status, 2);
  assert.match(other.stderr, /^keyshare: s3:GetObject: not a KMS action/);
  const notArn = run('app-role', 'kms:Decrypt');
  assert.equal(notArn.status, 2);
  assert.match(notArn.stderr, /^keyshare: app-role: not a principal Keyshare can place/);
  // In keyshare.json, an expectation with a misspelt action is reported, not met silently.
  const expect = [{ principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrpyt', key: KEY, allowed: false }];
  const guarded = workspace({ 'owner/key.key-policy.json': keyPolicy() }, { expect });
  const reports = (await runCheck({ paths: ['.'], cwd: guarded })).reports.filter((r) => r.ruleId === 'access-expectation');
  assert.deepEqual(reports.map((r) => r.message), ['This expectation cannot be checked: kms:Decrpyt: matches no KMS action (did you mean kms:Decrypt?).']);
});

test('a template key without a policy has the default key policy: the owner account\'s IAM policies decide (KMS guide, "Default key policy")', async () => {
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
  const cfn = [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      Description: no KeyPolicy',
  ].join('\n');
  const tf = 'resource "aws_kms_key" "data" {\n  description = "no policy"\n}\n';
  const app = `arn:aws:iam::${OWNER}:role/app`;
  for (const key of ['owner/stack.yaml#DataKey', 'owner/main.tf#aws_kms_key.data']) {
    const dir = workspace({ 'owner/stack.yaml': cfn, 'owner/main.tf': tf, 'owner/app.iam.json': use(KEY), 'owner/none.iam.json': use(KEY, 's3:GetObject') }, { keys: [{ arn: KEY, policy: key, aliases: [] }] });
    const allowed = await ask(dir, app, 'kms:Decrypt', key, { policies: [path.join(dir, 'owner/app.iam.json')] });
    assert.equal(allowed.verdict, 'allowed', key);
    assert.deepEqual(allowed.because, ['owner/app.iam.json Allow UseKey'], key);
    // Without an identity policy that allows it, the owner's role is denied; another account is denied whatever it holds.
    const none = await ask(dir, app, 'kms:Decrypt', key, { policies: [path.join(dir, 'owner/none.iam.json')] });
    assert.equal(none.verdict, 'denied', key);
    const other = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', key, { policies: [path.join(dir, 'owner/app.iam.json')] });
    assert.equal(other.verdict, 'denied', key);
    assert.match(other.answer.notes.join(), /default key policy/);
    // Not declared in keyshare.json, its ARN is unknown: whether a Resource naming a key ARN is this key depends.
    const undeclared = workspace({ 'owner/stack.yaml': cfn, 'owner/main.tf': tf, 'owner/app.iam.json': use(KEY) });
    const unknown = await ask(undeclared, app, 'kms:Decrypt', key, { policies: [path.join(undeclared, 'owner/app.iam.json')] });
    assert.equal(unknown.verdict, 'depends', key);
    assert.match(unknown.depends.join(), /whether the Resource of statement "UseKey" is this key/);
    // A resource that is not a key stays an error.
    await assert.rejects(ask(dir, app, 'kms:Decrypt', key.replace(/#.*/, '#Nothing')), /holds no key policy/);
  }
});

test('a statement a template includes only under a condition (!If with AWS::NoValue): the answer depends on that condition', async () => {
  const template = [
    'Conditions:',
    '  SharePartner: !Equals [!Ref Share, "yes"]',
    'Parameters:',
    '  Share:',
    '    Type: String',
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal:',
    '              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - !If',
    '            - SharePartner',
    '            - Sid: Partner',
    '              Effect: Allow',
    '              Principal:',
    `                AWS: arn:aws:iam::${B}:root`,
    '              Action: kms:Decrypt',
    '              Resource: "*"',
    '            - !Ref AWS::NoValue',
  ].join('\n');
  const dir = workspace({ 'owner/stack.yaml': template, 'b/app.iam.json': use(KEY) }, {
    keys: [{ arn: KEY, policy: 'owner/stack.yaml#DataKey', aliases: [] }],
    principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }],
  });
  const r = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt', 'owner/stack.yaml#DataKey');
  assert.equal(r.verdict, 'depends');
  assert.deepEqual(r.depends, ['condition SharePartner of the template: the statement is there only when it is true']);
  assert.deepEqual(r.because, ['owner/stack.yaml Allow Partner', 'b/app.iam.json Allow UseKey']);
});

test('a template key no keyshare.json entry gives an ARN is named by its reference, not by an ARN pattern that reads like "every key"', async () => {
  const template = [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
    '            Action: "kms:*"',
    '            Resource: "*"',
    '',
  ].join('\n');
  const dir = workspace({ 'owner/stack.yaml': template }, { keys: [] });
  const r = await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Decrypt', 'owner/stack.yaml#DataKey');
  assert.equal(r.answer.key, 'owner/stack.yaml#DataKey');
  assert.match(r.answer.summary, / on owner\/stack\.yaml#DataKey /);
  assert.doesNotMatch(r.answer.summary, /key\/\*/);
  // The Explain Access picker offers principals one can ask about: not the template's `${AWS::AccountId}` root.
  const project = new Project();
  await project.build([dir], DEFAULT_SETTINGS, () => false);
  const [, index] = [...project.allIndexes()].find(([file]) => file !== '')!;
  assert.deepEqual(explainChoices(index).principals.filter((p) => p.arn.includes('${')), []);
});

test('without a keyshare.json, a policy reference is read from the current folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-explain-noconfig-'));
  fs.writeFileSync(path.join(dir, 'stack.yaml'), [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    `            Effect: Allow`,
    `            Principal: { AWS: "arn:aws:iam::${OWNER}:root" }`,
    '            Action: "kms:*"',
    '            Resource: "*"',
    '          - Sid: App',
    `            Effect: Allow`,
    `            Principal: { AWS: "arn:aws:iam::${B}:role/app" }`,
    '            Action: kms:Decrypt',
    '            Resource: "*"',
    '',
  ].join('\n'));
  const run = await runExplain({ principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key: 'stack.yaml#DataKey', policies: [], context: {}, paths: [], cwd: dir });
  assert.ok(run.ok, run.ok ? '' : run.message);
  assert.equal(run.answer.key, 'stack.yaml#DataKey');
  assert.deepEqual(run.answer.because.map((c) => c.sid), ['App']);
});

// KMS Developer Guide, "Grants in AWS KMS": a grant lets its grantee call the operations it lists without a policy that
// allows them; an explicit Deny in a key policy or IAM policy still wins; a constraint limits it to an encryption context.
test('a Terraform aws_kms_grant is an access path: allowed for its grantee, depends on its constraint or an unknown grantee, never past a Deny', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-explain-grant-'));
  const module = (extra = '', deny = '') => `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:root" }, Action = "kms:*", Resource = "*" },${deny}
    ]
  })
}

resource "aws_kms_grant" "app" {
  key_id            = aws_kms_key.data.key_id
  grantee_principal = "arn:aws:iam::${B}:role/app"
  operations        = ["Decrypt", "DescribeKey"]
${extra}}

resource "aws_kms_grant" "worker" {
  key_id            = aws_kms_key.data.arn
  grantee_principal = aws_iam_role.worker.arn
  operations        = ["Encrypt"]
}
`;
  const ask = async (principal: string, action: string) => {
    const run = await runExplain({ principal, action, key: 'main.tf#aws_kms_key.data', policies: [], context: {}, paths: [], cwd: dir });
    assert.ok(run.ok, run.ok ? '' : run.message);
    return run.answer;
  };
  fs.writeFileSync(path.join(dir, 'main.tf'), module());
  const allowed = await ask(`arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(allowed.verdict, 'allowed');
  assert.deepEqual(allowed.because.map((c) => `${c.half} ${c.policy}`), ['grant aws_kms_grant.app']);
  assert.equal((await ask(`arn:aws:sts::${B}:assumed-role/app/session`, 'kms:DescribeKey')).verdict, 'allowed', 'a session of the grantee role');
  assert.equal((await ask(`arn:aws:iam::${B}:role/app`, 'kms:Encrypt')).verdict, 'depends', 'the worker grant names a role the module fills in');
  assert.equal((await ask(`arn:aws:iam::${C}:role/app`, 'kms:Decrypt')).verdict, 'denied', 'another principal');

  fs.writeFileSync(path.join(dir, 'main.tf'), module('  constraints {\n    encryption_context_equals = { Department = "Finance" }\n  }\n'));
  const constrained = await ask(`arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(constrained.verdict, 'depends');
  assert.match(constrained.depends.join('; '), /encryption context/);

  fs.writeFileSync(path.join(dir, 'main.tf'), module('', `\n      { Sid = "NoDecrypt", Effect = "Deny", Principal = { AWS = "arn:aws:iam::${B}:role/app" }, Action = "kms:Decrypt", Resource = "*" },`));
  const denied = await ask(`arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(denied.verdict, 'denied');
  assert.deepEqual(denied.because.map((c) => c.sid), ['NoDecrypt']);
});

test('keyshare.json "grants" are access paths of their key, named by ARN or alias; an operation no grant allows is a keyshare.json problem', async () => {
  const keyPolicy = [ROOT];
  const grants = [
    { key: 'alias/data', grantee: `arn:aws:iam::${B}:role/reader`, operations: ['Decrypt'] },
    { key: KEY, grantee: `arn:aws:iam::${B}:role/writer`, operations: ['Encrypt'], constraints: { encryptionContextEquals: { app: 'billing' } } },
  ];
  const dir = workspace({ 'owner/key.key-policy.json': keyPolicy }, { grants });
  const reader = await ask(dir, `arn:aws:iam::${B}:role/reader`, 'kms:Decrypt');
  assert.equal(reader.verdict, 'allowed');
  assert.deepEqual(reader.answer.because.map((c) => `${c.half} ${path.basename(c.file)} ${c.policy}`), ['grant keyshare.json keyshare.json grants']);
  assert.equal((await ask(dir, `arn:aws:iam::${B}:role/reader`, 'kms:Encrypt')).verdict, 'denied');
  const writer = await ask(dir, `arn:aws:iam::${B}:role/writer`, 'kms:Encrypt');
  assert.equal(writer.verdict, 'depends');
  assert.match(writer.depends.join('; '), /encryption context/);
  // The context given does not meet the constraint: denied, and the summary says a grant would allow it with the right one.
  const other = await ask(dir, `arn:aws:iam::${B}:role/writer`, 'kms:Encrypt', KEY, { context: { 'kms:EncryptionContext:app': 'payroll' } });
  assert.equal(other.verdict, 'denied');
  assert.match(other.answer.summary, /a grant allows it only with an encryption context that the one given \(--context\) does not meet/);
  const { problems } = parseConfig(JSON.stringify({ grants: [{ key: KEY, grantee: `arn:aws:iam::${B}:role/x`, operations: ['kms:Decrypt', 'Decrypt'] }] }));
  assert.deepEqual(problems.map((p) => p.message), ['"kms:Decrypt" is not an operation a grant can allow: did you mean "Decrypt"? (grant operations are written without "kms:").']);
});

test('a denial names the key policy file relative to the workspace, never by its absolute path', async () => {
  const dir = workspace({ 'owner/key.key-policy.json': [ROOT] });
  const r = await ask(dir, `arn:aws:iam::${B}:role/app`, 'kms:Decrypt');
  assert.equal(r.verdict, 'denied');
  assert.ok(!r.answer.summary.includes(dir), r.answer.summary);
  assert.match(r.answer.summary, /no statement of the key policy \(owner\/key\.key-policy\.json\) allows kms:Decrypt/);
});

// KMS Developer Guide, "Grants in AWS KMS" and IAM's policy evaluation logic: a Deny that may apply keeps a grant's answer open;
// a Deny that does apply wins; what a template fills in (operations, a grantee) and a key policy not at hand leave it open too.
test('grants are never more certain than the Denies around them, and a session of a role with a path is its grantee', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-explain-grant-deny-'));
  const write = (statements: string, grant: string) => fs.writeFileSync(path.join(dir, 'main.tf'), `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:role/admin" }, Action = "kms:*", Resource = "*" },${statements}
    ]
  })
}

resource "aws_kms_grant" "app" {
  key_id            = aws_kms_key.data.key_id
${grant}
}
`);
  const ask = async (principal: string, context: Record<string, string> = {}) => {
    const run = await runExplain({ principal, action: 'kms:Decrypt', key: 'main.tf#aws_kms_key.data', policies: [], context, paths: [], cwd: dir });
    assert.ok(run.ok, run.ok ? '' : run.message);
    return run.answer.verdict;
  };
  const grant = `  grantee_principal = "arn:aws:iam::${OWNER}:role/app"\n  operations        = ["Decrypt"]`;
  const vpceDeny = `\n      { Sid = "OnlyVpce", Effect = "Deny", Principal = "*", Action = "kms:Decrypt", Resource = "*", Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-1234" } } },`;
  write(vpceDeny, grant);
  assert.equal(await ask(`arn:aws:iam::${OWNER}:role/app`), 'depends', 'a conditional Deny may stop the grant');
  assert.equal(await ask(`arn:aws:iam::${OWNER}:role/app`, { 'aws:SourceVpce': 'vpce-9999' }), 'denied');
  assert.equal(await ask(`arn:aws:iam::${OWNER}:role/app`, { 'aws:SourceVpce': 'vpce-1234' }), 'allowed');
  write('', `  grantee_principal = "arn:aws:iam::${OWNER}:role/app"\n  operations        = var.operations`);
  assert.equal(await ask(`arn:aws:iam::${OWNER}:role/app`), 'depends', 'operations the module fills in');
  write('', `  grantee_principal = "arn:aws:iam::${OWNER}:role/service/app"\n  operations        = ["Decrypt"]`);
  assert.equal(await ask(`arn:aws:sts::${OWNER}:assumed-role/app/session`), 'allowed', 'the session of a role with a path');
  assert.equal(await ask(`arn:aws:sts::${OWNER}:assumed-role/other/session`), 'denied');
});

// IAM User Guide, "Policy evaluation logic": a cross-account request needs the identity policy to allow the action on
// the key's ARN. A template key's ARN is its stack's account and Region, unknown until deployed: an identity policy that
// names keys of one account may or may not cover it, so the answer depends on it, never a certain denial.
test('a template key owned by ${AWS::AccountId} or the caller identity: an identity policy naming keys of one account is depends, not denied', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-explain-template-owner-'));
  fs.writeFileSync(path.join(dir, 'stack.yaml'), [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
    '            Action: "kms:*"',
    '            Resource: "*"',
    '          - Sid: Share',
    '            Effect: Allow',
    `            Principal: { AWS: "arn:aws:iam::${B}:root" }`,
    '            Action: kms:Decrypt',
    '            Resource: "*"',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'main.tf'), [
    'data "aws_caller_identity" "current" {}',
    'resource "aws_kms_key" "data" {',
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [',
    '      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },',
    `      { Sid = "Share", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${B}:root" }, Action = "kms:Decrypt", Resource = "*" },`,
    '    ]',
    '  })',
    '}',
    '',
  ].join('\n'));
  const identity = path.join(dir, 'identity.json');
  fs.writeFileSync(identity, policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${OWNER}:key/*` }]));
  for (const key of ['stack.yaml#DataKey', 'main.tf#aws_kms_key.data']) {
    const run = await runExplain({ principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key, policies: [identity], context: {}, paths: [], cwd: dir });
    assert.ok(run.ok, run.ok ? '' : run.message);
    assert.equal(run.answer.verdict, 'depends', `${key}: ${JSON.stringify(run.answer.depends)}`);
    assert.ok(run.answer.depends.some((d) => d.includes('until keyshare.json declares it in "keys"')), JSON.stringify(run.answer.depends));
  }
});

// KMS guide, "Key policies": without a statement for the account itself, IAM policies give no
// access to the key; what a key-policy statement allows under a condition depends on that condition alone.
test('no statement for the key\'s account: a conditional statement for the caller depends on its condition, not on identity policies', async () => {
  const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/admin` }, Action: 'kms:*', Resource: '*' };
  const app = { Sid: 'AppViaS3', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } };
  const dir = workspace({ 'owner/key.key-policy.json': [admin, app] });
  const r = await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Decrypt');
  assert.equal(r.verdict, 'depends');
  assert.match(r.depends.join('; '), /kms:ViaService/);
  assert.doesNotMatch(r.depends.join('; '), /identity polic/);
  assert.equal((await ask(dir, `arn:aws:iam::${OWNER}:role/app`, 'kms:Decrypt', KEY, { context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })).verdict, 'allowed');
});
