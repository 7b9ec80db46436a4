// Every fix the engine offers, applied to every example it is offered on: the result parses
// (when the input did), the finding is gone, and no new error appears.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../server/src/engine';
import { applyFix, findings, ofRule, policy, repoRoot, ROOT_STATEMENT, KEY_ARN } from './helpers';

function examples(): { name: string; text: string; options: Record<string, unknown> }[] {
  const result: { name: string; text: string; options: Record<string, unknown> }[] = [];
  const docs = path.join(repoRoot, 'docs', 'rules');
  for (const file of fs.readdirSync(docs)) {
    const text = fs.readFileSync(path.join(docs, file), 'utf8');
    const bad = /## Bad\n\n```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    const options = /<!-- options: (.*) -->/.exec(text);
    if (bad) result.push({ name: `docs/rules/${file}`, text: bad, options: options ? JSON.parse(options[1]) : {} });
  }
  const seeds = path.join(repoRoot, 'test', 'fixtures', 'seeds');
  for (const file of fs.readdirSync(seeds)) result.push({ name: `seeds/${file}`, text: fs.readFileSync(path.join(seeds, file), 'utf8'), options: {} });
  return result;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const key = (f: Finding) => `${f.ruleId}@${f.start}`;

for (const example of examples()) {
  const before = findings(example.text, example.options);
  const withFixes = before.filter((f) => f.fixes?.length);
  for (const finding of withFixes) {
    for (const fix of finding.fixes!) {
      test(`${example.name}: "${fix.title}" fixes ${finding.ruleId}`, () => {
        const fixed = applyFix(example.text, fix);
        assert.notEqual(fixed, example.text);
        if (parses(example.text)) assert.ok(parses(fixed), `fixed text is not JSON:\n${fixed}`);
        const after = findings(fixed, example.options);
        assert.ok(ofRule(after, finding.ruleId).length < ofRule(before, finding.ruleId).length, `${finding.ruleId} still reported:\n${fixed}`);
        const oldErrors = new Set(before.filter((f) => f.severity === 'error').map((f) => f.ruleId));
        const newErrors = after.filter((f) => f.severity === 'error' && !oldErrors.has(f.ruleId)).map(key);
        assert.deepEqual(newErrors, [], fixed);
      });
    }
  }
}

test('removing a Principal from an identity policy keeps the commas right', () => {
  const text = policy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN }]);
  const finding = ofRule(findings(text, { kind: 'identity-policy' }), 'principal-not-allowed')[0];
  const fixed = applyFix(text, finding.fixes![0]);
  assert.deepEqual(JSON.parse(fixed).Statement[0], { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN });
  assert.equal(fixed, JSON.stringify(JSON.parse(fixed), null, 2), 'layout kept');
});

test('adding the grant condition keeps a tab-indented layout', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, { Sid: 'Grants', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:CreateGrant'], Resource: '*' }] }, null, '\t');
  const finding = ofRule(findings(text), 'grant-without-aws-resource-condition')[0];
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, JSON.stringify(JSON.parse(fixed), null, '\t'));
  assert.deepEqual(JSON.parse(fixed).Statement[1].Condition, { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
});

test('StringEquals with a wildcard becomes StringLike', () => {
  const text = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:key/*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/app-*' } } }]);
  const finding = ofRule(findings(text), 'condition-wildcard-operator')[0];
  assert.equal(text.slice(finding.start, finding.end), '"alias/app-*"');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.deepEqual(JSON.parse(fixed).Statement[0].Condition, { StringLike: { 'kms:RequestAlias': 'alias/app-*' } });
});

test('management actions for an outsider reduce to the usage set', () => {
  const text = policy([ROOT_STATEMENT, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:*'], Resource: '*' }]);
  const finding = ofRule(findings(text), 'cross-account-admin')[0];
  assert.equal(finding.fixes![0].safe, false, 'removing rights needs review');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.deepEqual(JSON.parse(fixed).Statement[1].Action, ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
  assert.equal(fixed, JSON.stringify(JSON.parse(fixed), null, 2));
});

test('a comment on its own line is removed with its line', () => {
  const text = '{\n  "Version": "2012-10-17",\n  // shared with the data account\n  "Statement": [{ "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "' + KEY_ARN + '" }]\n}';
  const finding = ofRule(findings(text), 'json-strict')[0];
  assert.equal(text.slice(finding.start, finding.end), '// shared with the data account');
  assert.equal(applyFix(text, finding.fixes![0]), '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "' + KEY_ARN + '" }]\n}');
});

test('an action name that starts several actions is completed with *, not respelled as another action', () => {
  const text = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:ReEncrypt'], Resource: KEY_ARN }]);
  const [finding] = ofRule(findings(text), 'action-unknown');
  assert.match(finding.message, /Did you mean "kms:ReEncrypt\*"\?/);
  assert.match(applyFix(text, finding.fixes![0]), /"kms:ReEncrypt\*"/);
});
