// `--parameters`: CloudFormation parameter values for check and explain, in the two file forms AWS
// documents: the AWS CLI's `--parameters file://params.json` array (CloudFormation User Guide,
// "Create a stack from the CLI") and CodePipeline's template configuration file
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/continuous-delivery-codepipeline-cfn-artifacts.html).
// `--var-file`, below: Terraform's variable files.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, temporaryFolder } from './helpers';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// A key shared with an account the stack is given, over a Resource the stack is given.
const STACK = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  TrustedAccount:
    Type: String
  KeyResource:
    Type: String
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
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
          - Sid: Share
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${TrustedAccount}:root
            Action: kms:Decrypt
            Resource: !Ref KeyResource
`;

const IDENTITY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });

function project(files: Record<string, string>): string {
  const folder = temporaryFolder('keyshare-parameters-');
  fs.writeFileSync(path.join(folder, 'stack.yaml'), STACK);
  fs.writeFileSync(path.join(folder, 'app.json'), IDENTITY);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  return folder;
}

test('check --parameters: a Ref of a parameter given an alias ARN is the alias, in the AWS CLI form', () => {
  const folder = project({
    'params.json': JSON.stringify([
      { ParameterKey: 'TrustedAccount', ParameterValue: '444455556666' },
      { ParameterKey: 'KeyResource', ParameterValue: 'arn:aws:kms:us-east-1:111122223333:alias/data' },
    ]),
  });
  const without = run(['check', 'stack.yaml', '--format', 'json'], folder);
  assert.equal(without.code, 0, without.stderr);
  assert.ok(!without.stdout.includes('key-policy-resource'), 'without values, the Ref is unknown');

  const given = run(['check', 'stack.yaml', '--parameters', 'params.json', '--format', 'json'], folder);
  assert.equal(given.code, 1, given.stderr);
  const findings = JSON.parse(given.stdout) as { ruleId: string; range: { start: { line: number; character: number } } }[];
  const alias = findings.find((f) => f.ruleId === 'key-policy-resource');
  assert.ok(alias, given.stdout);
  // On the `!Ref KeyResource` the template wrote.
  assert.deepEqual(alias.range.start, { line: 24, character: 22 });
});

test('check --parameters: the template configuration form, and a later file overrides an earlier one', () => {
  const folder = project({
    'alias.json': JSON.stringify({ Parameters: { TrustedAccount: '444455556666', KeyResource: 'arn:aws:kms:us-east-1:111122223333:alias/data' } }),
    'star.json': JSON.stringify({ Parameters: { KeyResource: '*' } }),
  });
  const aliasLast = run(['check', 'stack.yaml', '--parameters', 'star.json', '--parameters', 'alias.json'], folder);
  assert.equal(aliasLast.code, 1, aliasLast.stdout + aliasLast.stderr);
  assert.ok(aliasLast.stdout.includes('key-policy-resource'), aliasLast.stdout);
  const starLast = run(['check', 'stack.yaml', '--parameters', 'alias.json', '--parameters', 'star.json'], folder);
  assert.equal(starLast.code, 0, starLast.stdout + starLast.stderr);
  assert.ok(!starLast.stdout.includes('key-policy-resource'), starLast.stdout);
});

test('check --parameters: a list or Systems Manager parameter is not taken as the text given for it', () => {
  const folder = temporaryFolder('keyshare-parameters-types-');
  fs.writeFileSync(path.join(folder, 'stack.yaml'), `Parameters:
  TrustedAccounts:
    Type: CommaDelimitedList
  KeyAdmin:
    Type: AWS::SSM::Parameter::Value<String>
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
          - Effect: Allow
            Principal:
              AWS: !Ref KeyAdmin
            Action: kms:Put*
            Resource: '*'
          - Effect: Allow
            Principal:
              AWS: !Ref TrustedAccounts
            Action: kms:Decrypt
            Resource: '*'
`);
  fs.writeFileSync(path.join(folder, 'params.json'), JSON.stringify([
    { ParameterKey: 'TrustedAccounts', ParameterValue: '444455556666,777788889999' },
    { ParameterKey: 'KeyAdmin', ParameterValue: '/prod/key-admin-arn' },
  ]));
  const given = run(['check', 'stack.yaml', '--parameters', 'params.json', '--format', 'json'], folder);
  assert.equal(given.code, 0, given.stdout + given.stderr);
  assert.deepEqual((JSON.parse(given.stdout) as { ruleId: string }[]).filter((f) => f.ruleId === 'principal-invalid'), []);
});

test('check --parameters: a file that is missing or not a parameter file is exit 2 with one line', () => {
  const folder = project({ 'other.json': '{"Resources": {}}' });
  const missing = run(['check', 'stack.yaml', '--parameters', 'nope.json'], folder);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim(), 'keyshare: --parameters nope.json: no such file');
  const foreign = run(['check', 'stack.yaml', '--parameters', 'other.json'], folder);
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr.trim(), /^keyshare: --parameters other\.json: not a parameter file/);
  assert.equal(foreign.stderr.trim().split('\n').length, 1);
});

test('explain --parameters: the account a parameter names decides; without it, the answer depends and says how to give it', () => {
  const principal = 'arn:aws:iam::444455556666:role/App';
  const folder = project({
    'trusted.json': JSON.stringify({ Parameters: { TrustedAccount: '444455556666', KeyResource: '*' } }),
    'other.json': JSON.stringify({ Parameters: { TrustedAccount: '777788889999', KeyResource: '*' } }),
  });
  const args = ['explain', '--principal', principal, '--action', 'kms:Decrypt', '--key', 'stack.yaml#DataKey', '--policy', 'app.json'];
  const unknown = run([...args, '.'], folder);
  assert.equal(unknown.code, 0, unknown.stderr);
  assert.match(unknown.stdout, /^DEPENDS/);
  assert.ok(unknown.stdout.includes('whether ${TrustedAccount} is account 444455556666 (a template parameter: keyshare explain --parameters gives its value)'), unknown.stdout);

  const trusted = run([...args, '--parameters', 'trusted.json', '.'], folder);
  assert.match(trusted.stdout, /^ALLOWED/, trusted.stdout);
  assert.ok(trusted.stdout.includes('Allow "Share"'));

  // Another account: only the owner's root statement is left, and the owner account is not known.
  const other = run([...args, '--parameters', 'other.json', '.'], folder);
  assert.match(other.stdout, /^DEPENDS/, other.stdout);
  assert.ok(!other.stdout.includes('TrustedAccount'), other.stdout);
  assert.ok(!other.stdout.includes('Allow "Share"'), other.stdout);
});

// `--var-file`: Terraform input variable values, in the two forms `terraform plan -var-file` takes
// (Terraform docs, "Input variables", "Variable definitions (.tfvars) files": HCL `name = value`
// lines, or a JSON object in `.tfvars.json`; later files take precedence).
const MODULE = `variable "consumer_account_id" {
  type = string
}

variable "key_resource" {
  type = string
}

resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Share"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::\${var.consumer_account_id}:root" }
        Action    = "kms:Decrypt"
        Resource  = var.key_resource
      }
    ]
  })
}
`;

function module(files: Record<string, string>): string {
  const folder = temporaryFolder('keyshare-var-file-');
  fs.writeFileSync(path.join(folder, 'main.tf'), MODULE);
  fs.writeFileSync(path.join(folder, 'app.json'), IDENTITY);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  return folder;
}

test('check --var-file: var.name is the value a .tfvars file gives it, on the text that names it', () => {
  const folder = module({ 'prod.tfvars': 'consumer_account_id = "444455556666"\nkey_resource = "arn:aws:kms:us-east-1:111122223333:alias/data"\nreaders = ["a", "b"]\n' });
  const without = run(['check', 'main.tf', '--format', 'json'], folder);
  assert.equal(without.code, 0, without.stderr);
  assert.ok(!without.stdout.includes('key-policy-resource'));

  const given = run(['check', 'main.tf', '--var-file', 'prod.tfvars', '--format', 'json'], folder);
  assert.equal(given.code, 1, given.stderr);
  const findings = JSON.parse(given.stdout) as { ruleId: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
  const alias = findings.find((f) => f.ruleId === 'key-policy-resource');
  assert.ok(alias, given.stdout);
  const line = MODULE.split('\n')[alias.range.start.line];
  assert.equal(line.slice(alias.range.start.character, alias.range.end.character), 'var.key_resource');
});

test('check --var-file: .tfvars.json, and a later file wins, a non-literal value included', () => {
  const folder = module({
    'alias.tfvars': 'consumer_account_id = "444455556666"\nkey_resource = "arn:aws:kms:us-east-1:111122223333:alias/data"\n',
    'star.tfvars.json': JSON.stringify({ key_resource: '*' }),
    'unset.tfvars.json': JSON.stringify({ key_resource: null }),
  });
  const ids = (files: string[]) => {
    const result = run(['check', 'main.tf', ...files.flatMap((f) => ['--var-file', f]), '--format', 'json'], folder);
    return (JSON.parse(result.stdout) as { ruleId: string }[]).map((f) => f.ruleId);
  };
  assert.ok(ids(['star.tfvars.json', 'alias.tfvars']).includes('key-policy-resource'));
  assert.ok(!ids(['alias.tfvars', 'star.tfvars.json']).includes('key-policy-resource'));
  // A later null leaves the variable to the module again: nothing the earlier file said.
  assert.ok(!ids(['alias.tfvars', 'unset.tfvars.json']).includes('key-policy-resource'));
});

test('check --var-file: a file that is missing or not HCL is exit 2 with one line', () => {
  const folder = module({ 'broken.tfvars': 'a = "x"\nb = {\n' });
  const missing = run(['check', 'main.tf', '--var-file', 'nope.tfvars'], folder);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim(), 'keyshare: --var-file nope.tfvars: no such file');
  const broken = run(['check', 'main.tf', '--var-file', 'broken.tfvars'], folder);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr.trim(), /^keyshare: --var-file broken\.tfvars:\d+: not a variables file/);
  // What Terraform refuses in a variables file: a module given by mistake, a reference, a name twice.
  const moduleGiven = run(['check', 'main.tf', '--var-file', 'main.tf'], folder);
  assert.equal(moduleGiven.code, 2);
  assert.equal(moduleGiven.stderr.trim(), 'keyshare: --var-file main.tf:1: a variables file holds name = value lines, not blocks (is this a module?)');
  fs.writeFileSync(path.join(folder, 'reference.tfvars'), 'key_resource = "*"\nconsumer_account_id = var.other\n');
  const reference = run(['check', 'main.tf', '--var-file', 'reference.tfvars'], folder);
  assert.equal(reference.code, 2);
  assert.equal(reference.stderr.trim(), 'keyshare: --var-file reference.tfvars:2: consumer_account_id: a variables file holds literal values only, not references or function calls');
  fs.writeFileSync(path.join(folder, 'twice.tfvars'), 'key_resource = "*"\nkey_resource = "x"\n');
  assert.match(run(['check', 'main.tf', '--var-file', 'twice.tfvars'], folder).stderr, /twice\.tfvars:2: key_resource is given twice/);
});

test('explain --var-file: the account a variable names decides; without it, the answer depends and says how to give it', () => {
  const principal = 'arn:aws:iam::444455556666:role/App';
  const folder = module({ 'prod.tfvars': 'consumer_account_id = "444455556666"\nkey_resource = "*"\n' });
  const args = ['explain', '--principal', principal, '--action', 'kms:Decrypt', '--key', 'main.tf#aws_kms_key.data', '--policy', 'app.json'];
  const unknown = run([...args, '.'], folder);
  assert.match(unknown.stdout, /^DEPENDS/, unknown.stdout + unknown.stderr);
  assert.ok(unknown.stdout.includes('whether ${var.consumer_account_id} is account 444455556666 (a Terraform variable: keyshare explain --var-file gives its value)'), unknown.stdout);
  const given = run([...args, '--var-file', 'prod.tfvars', '.'], folder);
  assert.match(given.stdout, /^ALLOWED/, given.stdout + given.stderr);
  assert.ok(given.stdout.includes('Allow "Share"'));
});

test('a name given a value that no template or module checked declares is noted, with the one meant', () => {
  const folder = project({ 'typo.json': JSON.stringify([{ ParameterKey: 'TrustedAcount', ParameterValue: '444455556666' }]) });
  const cfn = run(['check', 'stack.yaml', '--parameters', 'typo.json'], folder);
  assert.match(cfn.stderr, /^keyshare: --parameters gives TrustedAcount a value, but no template checked declares it: did you mean TrustedAccount\?$/m);
  const tf = module({ 'typo.tfvars': 'consumer_acount_id = "444455556666"\n' });
  const result = run(['check', 'main.tf', '--var-file', 'typo.tfvars'], tf);
  assert.match(result.stderr, /^keyshare: --var-file gives consumer_acount_id a value, but no module checked declares it: did you mean consumer_account_id\?$/m);
  // Declared names are not noted.
  const fine = module({ 'prod.tfvars': 'consumer_account_id = "444455556666"\nkey_resource = "*"\n' });
  assert.doesNotMatch(run(['check', 'main.tf', '--var-file', 'prod.tfvars'], fine).stderr, /declares it/);
});

test('check --var-file: a list of literals is the list var.name is, in .tfvars and .tfvars.json (a principal list is the usual variable)', () => {
  const text = `variable "readers" {
  type = list(string)
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
  statement {
    sid       = "Readers"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = var.readers
    }
  }
}

resource "aws_kms_key" "data" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  const folder = temporaryFolder('keyshare-var-list-');
  fs.writeFileSync(path.join(folder, 'main.tf'), text);
  fs.writeFileSync(path.join(folder, 'open.tfvars'), 'readers = ["*"]\n');
  fs.writeFileSync(path.join(folder, 'open.tfvars.json'), JSON.stringify({ readers: ['*'] }));
  fs.writeFileSync(path.join(folder, 'named.tfvars'), 'readers = ["arn:aws:iam::444455556666:role/reader"]\n');
  const rules = (file?: string) => {
    const result = run(['check', 'main.tf', ...(file ? ['--var-file', file] : []), '--format', 'json'], folder);
    return (JSON.parse(result.stdout) as { ruleId: string; severity: string }[]).filter((f) => f.severity === 'error').map((f) => f.ruleId);
  };
  assert.deepEqual(rules(), []);
  assert.deepEqual(rules('open.tfvars'), ['wildcard-principal']);
  assert.deepEqual(rules('open.tfvars.json'), ['wildcard-principal']);
  assert.deepEqual(rules('named.tfvars'), []);
});
