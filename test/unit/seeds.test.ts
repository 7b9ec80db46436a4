// The example policies of the articles users learn from give the findings an expert would.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFix, covered, findings, fixture, ofRule, ruleIds, where } from './helpers';

const seed = (name: string) => fixture('seeds', name);

test('seed 000 cross-OU snippet: smart quotes and non-breaking spaces, fixable to strict JSON', () => {
  const text = seed('seed000-cross-ou.policy.json');
  const all = findings(text);
  // Paste noise is one finding per kind, at its first place, with every other place marked.
  const quotes = ofRule(all, 'smart-quotes');
  assert.equal(quotes.length, 1);
  assert.ok(quotes[0].related!.length >= 9);
  assert.match(quotes[0].message, /^\d+ strings have typographic quotes/);
  assert.equal(covered(text, quotes[0]), '\u201cVersion\u201d');
  assert.equal(where(text, quotes[0]), '3:3-3:12');
  assert.equal(covered(text, quotes[0].related![0]), '\u201c2012-10-17\u201d');
  const spaces = ofRule(all, 'json-strict');
  assert.equal(spaces.length, 1);
  assert.match(spaces[0].message, /U\+00A0/);
  assert.match(covered(text, spaces[0]), /^\u00a0+$/);
  assert.ok(spaces[0].related!.every((r) => /^[\u00a0 ]+$/.test(covered(text, r))));
  assert.deepEqual(quotes[0].fixes!.map((f) => f.title), spaces[0].fixes!.map((f) => f.title));
  assert.match(quotes[0].fixes![0].title, /^Straighten \d+ quotes and replace \d+ non-breaking spaces$/);
  assert.ok(all.length <= 6, `a pasted policy shows a few problems, not twenty: ${all.map((f) => f.ruleId).join(', ')}`);
  // The placeholders an expert would point at, found through the typographic quotes.
  assert.equal(covered(text, ofRule(all, 'principal-invalid')[0]), '\u201carn:aws:iam::[AccountID]:role/[RoleName]\u201d');
  assert.equal(covered(text, ofRule(all, 'org-condition-invalid')[0]), '\u201c[OrgID]\u201d');

  const fixed = applyFix(text, quotes[0].fixes![0]);
  assert.doesNotThrow(() => JSON.parse(fixed));
  const after = ruleIds(findings(fixed));
  assert.ok(!after.includes('smart-quotes') && !after.includes('json-strict'), after.join());
});

test('seed 001 key policy: a space inside the principal ARN is invalid and fixable; the grant statement is fine', () => {
  const text = seed('seed001-key-policy.json');
  const all = findings(text);
  const invalid = ofRule(all, 'principal-invalid');
  assert.equal(invalid.length, 1);
  assert.equal(covered(text, invalid[0]), '"arn:aws:iam:: 109876543210:user/User1"');
  assert.match(invalid[0].message, /whitespace/);
  const fixed = applyFix(text, invalid[0].fixes![0]);
  assert.ok(fixed.includes('"arn:aws:iam::109876543210:user/User1","arn:aws:iam::012345678901:root"'));
  assert.equal(ofRule(findings(fixed), 'principal-invalid').length, 0);
  assert.equal(ofRule(all, 'grant-without-aws-resource-condition').length, 0, 'carries kms:GrantIsForAWSResource');
  assert.equal(ofRule(all, 'condition-value-type').length, 0, 'boolean true in Bool is fine');
});

test('seed 001 IAM policy for the external account is clean', () => {
  assert.deepEqual(findings(seed('seed001-iam-policy.json')).map((f) => f.ruleId), []);
});

test('seed 002 first policy: trailing comma and an alias ARN that grants nothing', () => {
  const text = seed('seed002-alias-resource.iam.json');
  const all = findings(text);
  const strict = ofRule(all, 'json-strict');
  assert.equal(strict.length, 1);
  assert.equal(where(text, strict[0]), '8:14-8:15');
  const alias = ofRule(all, 'alias-arn-as-resource');
  assert.equal(alias.length, 1);
  assert.equal(covered(text, alias[0]), '"arn:aws:kms:{REGION}:{ACCOUNT_A_ID}:alias/production-data-key"');
  assert.match(alias[0].message, /grants nothing on the key/);
  assert.equal(alias[0].unnecessary, true, 'the statement has no effect: editors fade it');
});

test('seed 002 alias fix produces the article\'s working form', () => {
  const text = seed('seed002-alias-resource.iam.json');
  const fixedComma = applyFix(text, ofRule(findings(text), 'json-strict')[0].fixes![0]);
  const alias = ofRule(findings(fixedComma), 'alias-arn-as-resource')[0];
  const fixed = applyFix(fixedComma, alias.fixes![0]);
  const parsed = JSON.parse(fixed);
  assert.equal(parsed.Statement[0].Resource, 'arn:aws:kms:{REGION}:{ACCOUNT_A_ID}:key/*');
  assert.deepEqual(parsed.Statement[0].Condition, { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/production-data-key' } });
  assert.equal(ofRule(findings(fixed), 'alias-arn-as-resource').length, 0);
  // The new element starts in the same column as its siblings (column 0 in this unindented text).
  assert.ok(fixed.includes('"Resource": "arn:aws:kms:{REGION}:{ACCOUNT_A_ID}:key/*",\n"Condition": {\n'), fixed);
});

test('seed 002 role policy with kms:ResourceAliases gets no alias finding', () => {
  const all = findings(seed('seed002-alias-condition.iam.json'));
  for (const id of ['alias-arn-as-resource', 'alias-name-invalid', 'condition-set-operator', 'condition-key-unknown']) {
    assert.equal(ofRule(all, id).length, 0, id);
  }
});

test('seed 002 key policy: Resource should be "*"', () => {
  const text = seed('seed002-key-policy.json');
  const resource = ofRule(findings(text), 'key-policy-resource');
  assert.equal(resource.length, 1);
  assert.equal(covered(text, resource[0]), '"arn:aws:kms:{REGION}:{ACCOUNT_A_ID}:key/{replace-with-kms-key-id}"');
});

test('seed 003: the AccountB-ID placeholder is an invalid principal', () => {
  const text = seed('seed003-key-statement.json');
  const invalid = ofRule(findings(text), 'principal-invalid');
  assert.equal(invalid.length, 1);
  assert.equal(covered(text, invalid[0]), '"arn:aws:iam::AccountB-ID:root"');
  assert.match(invalid[0].message, /placeholder/);
});

test('seed 003 Lambda role policy: placeholder ARN and no DescribeKey', () => {
  const text = seed('seed003-lambda-role.iam.json');
  assert.deepEqual(ruleIds(findings(text)), ['arn-invalid', 'missing-describe-key']);
});
