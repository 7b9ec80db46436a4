// Suppressions written where people write them: `# keyshare:ignore <rule-id> <reason>` in YAML and
// HCL comments, and CloudFormation resource Metadata, run through the built CLI as a user would.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, temporaryFolder } from './helpers';
import { readDirective } from '../../server/src/engine/suppressions';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');

interface JsonReport {
  file: string;
  ruleId: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
  suppressed?: boolean;
  reason?: string;
}

function check(files: Record<string, string>, ...flags: string[]): { code: number | null; reports: JsonReport[] } {
  const dir = temporaryFolder('suppressions');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const result = spawnSync(process.execPath, [cli, 'check', ...Object.keys(files), '--format', 'json', ...flags], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, reports: JSON.parse(result.stdout) as JsonReport[] };
}

/** `rule@line` (1-based) of each report, for comparing what a user sees at a glance. */
const where = (reports: JsonReport[]) => reports.map((r) => `${r.ruleId}@${r.range.start.line + 1}${r.suppressed ? ` suppressed: ${r.reason}` : ''}`);

const KEY_HEAD = `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Admin
            Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root" }
            Action: "kms:*"
            Resource: "*"
`;

/** A statement that gives kms:Decrypt and DescribeKey to "*": a wildcard-principal error. */
const PUBLIC = (sid: string, comment = '') => `${comment}          - Sid: ${sid}
            Effect: Allow
            Principal: "*"
            Action: [kms:Decrypt, kms:DescribeKey]
            Resource: "*"
`;

test('a comment on its own line hides the finding in the statement below it, and only there', () => {
  const template = KEY_HEAD + PUBLIC('Release', '          # keyshare:ignore wildcard-principal Release signing data is public (SEC-12)\n') + PUBLIC('Leak').replace('kms:Decrypt', 'kms:Encrypt');
  const { code, reports } = check({ 'template.yaml': template });
  assert.deepEqual(where(reports), ['wildcard-principal@21']);
  assert.equal(code, 1, 'the unsuppressed statement still fails the check');
});

test('--show-suppressed lists what a comment hides, with its reason, and the check passes', () => {
  const template = KEY_HEAD + PUBLIC('Release', '          # keyshare:ignore wildcard-principal -- Release signing data is public (SEC-12)\n');
  assert.equal(check({ 'template.yaml': template }).code, 0);
  const shown = check({ 'template.yaml': template }, '--show-suppressed');
  assert.deepEqual(where(shown.reports), ['wildcard-principal@16 suppressed: Release signing data is public (SEC-12)']);
  assert.equal(shown.code, 0, 'suppressed findings never fail');
});

test('a comment at the end of a line covers that line', () => {
  const template = KEY_HEAD + PUBLIC('Release').replace('Principal: "*"', 'Principal: "*" # keyshare:ignore wildcard-principal approved in SEC-12');
  assert.deepEqual(where(check({ 'template.yaml': template }).reports), []);
});

test('without a reason, or with a rule id that does not exist, a suppression hides nothing and says why', () => {
  const noReason = check({ 'template.yaml': KEY_HEAD + PUBLIC('Release', '          # keyshare:ignore wildcard-principal\n') });
  assert.deepEqual(where(noReason.reports), ['suppression-invalid@13', 'wildcard-principal@16']);
  assert.match(noReason.reports[0].message, /^A suppression needs a reason after the rule id/);
  assert.equal(noReason.code, 1);
  const misspelt = check({ 'template.yaml': KEY_HEAD + PUBLIC('Release', '          # keyshare:ignore wildcard-principle public on purpose\n') });
  assert.deepEqual(where(misspelt.reports), ['suppression-invalid@13', 'wildcard-principal@16']);
  assert.equal(misspelt.reports[0].message, '"wildcard-principle" is not a Keyshare rule: did you mean "wildcard-principal"? This suppression hides nothing.');
  assert.equal(misspelt.reports[0].severity, 'warning');
});

test('a suppression that hides nothing gets a hint on the comment', () => {
  const template = KEY_HEAD.replace('          - Sid: Admin', '          # keyshare:ignore wildcard-principal shared with the organization\n          - Sid: Admin');
  const { code, reports } = check({ 'template.yaml': template });
  assert.deepEqual(where(reports), ['suppression-unused@8']);
  assert.equal(reports[0].severity, 'hint');
  assert.equal(reports[0].message, 'No wildcard-principal finding where it points: this suppression hides nothing. Remove it.');
  assert.equal(code, 0);
});

test('CloudFormation Metadata hides findings in its resource; entries without a reason or that hide nothing are reported', () => {
  const template = KEY_HEAD.replace(
    '    Properties:',
    `    Metadata:
      keyshare:
        ignore:
          - rule: wildcard-principal
            reason: Release signing data is public (SEC-12)
          - rule: cross-account-admin
            reason: not needed any more
          - rule: lockout-risk
    Properties:`,
  ) + PUBLIC('Release');
  const { reports } = check({ 'template.yaml': template });
  assert.deepEqual(where(reports), ['suppression-unused@9', 'suppression-invalid@11']);
  assert.equal(reports[1].message, 'A suppression needs a "reason" beside its "rule", so that the next reader knows why; this one hides nothing until it has one.');
});

test('Metadata works in a JSON template too', () => {
  const template = JSON.stringify({
    Resources: {
      DataKey: {
        Type: 'AWS::KMS::Key',
        Metadata: { keyshare: { ignore: [{ rule: 'wildcard-principal', reason: 'public on purpose (SEC-12)' }] } },
        Properties: {
          KeyPolicy: {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' },
              { Sid: 'Release', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
            ],
          },
        },
      },
    },
  }, null, 2);
  assert.deepEqual(where(check({ 'stack.template.json': template }).reports), []);
});

const TF = (comment: string, trailing = '') => `data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Admin"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
${comment}  statement {
    sid       = "Release"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]${trailing}
    }
  }
}

resource "aws_kms_key" "data" {
  policy = data.aws_iam_policy_document.key.json
}
`;

test('Terraform: a # or // comment above a block covers the block; a trailing one covers its line', () => {
  assert.deepEqual(where(check({ 'main.tf': TF('') }).reports), ['wildcard-principal@17']);
  assert.deepEqual(where(check({ 'main.tf': TF('  # keyshare:ignore wildcard-principal Release signing data is public (SEC-12)\n') }).reports), []);
  assert.deepEqual(where(check({ 'main.tf': TF('  // keyshare:ignore wildcard-principal Release signing data is public (SEC-12)\n') }).reports), []);
  assert.deepEqual(where(check({ 'main.tf': TF('', ' # keyshare:ignore wildcard-principal approved in SEC-12') }).reports), []);
  assert.deepEqual(where(check({ 'main.tf': TF('  /* keyshare:ignore wildcard-principal approved in SEC-12 */\n') }).reports), []);
});

test('Terraform: a # inside a heredoc policy is text, not a comment', () => {
  const text = `resource "aws_kms_key" "data" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "# keyshare:ignore wildcard-principal not a comment", "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}
  ]
}
EOF
}
`;
  assert.deepEqual(where(check({ 'main.tf': text }).reports).filter((r) => !r.startsWith('statement-sid')), ['wildcard-principal@7']);
});

test('the directive is read as documented, and nothing else is taken for one', () => {
  assert.deepEqual(readDirective('# keyshare:ignore wildcard-principal,lockout-risk  approved: SEC-12'), { rules: ['wildcard-principal', 'lockout-risk'], reason: 'approved: SEC-12', problem: undefined });
  assert.deepEqual(readDirective('// keyshare:ignore wildcard-principal -- approved'), { rules: ['wildcard-principal'], reason: 'approved', problem: undefined });
  assert.equal(readDirective('# keyshare:ignored wildcard-principal approved'), undefined);
  assert.equal(readDirective('# see keyshare:ignore in the README'), undefined);
  assert.match(readDirective('# keyshare:ignore')!.problem!, /names no rule/);
});

test('a comment above the first statement covers that statement only, and one on the first line of a file covers that line\'s node only', () => {
  const yaml = KEY_HEAD + PUBLIC('First', '          # keyshare:ignore wildcard-principal the first one is public (SEC-12)\n') + PUBLIC('Second').replace('kms:Decrypt', 'kms:Encrypt');
  assert.deepEqual(where(check({ 'template.yaml': yaml }).reports), ['wildcard-principal@21']);
  const topLine = `# keyshare:ignore wildcard-principal not meant for the whole file\nAWSTemplateFormatVersion: "2010-09-09"\n${KEY_HEAD}${PUBLIC('Open')}`;
  assert.deepEqual(where(check({ 'template.yaml': topLine }).reports), ['suppression-unused@1', 'wildcard-principal@17']);
  const hcl = TF('', '').replace('  statement {\n    sid       = "Admin"', '  # keyshare:ignore wildcard-principal the admin statement only\n  statement {\n    sid       = "Admin"');
  assert.deepEqual(where(check({ 'main.tf': hcl }).reports), ['suppression-unused@2', 'wildcard-principal@18']);
});
