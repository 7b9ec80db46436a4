// The engine skips rules that cannot apply (meta.appliesTo, wholePolicy, conditionsOnly). These
// tests run the skipped rules anyway and check that skipping them loses no finding.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkPolicies, type Finding } from '../../server/src/engine';
import { DocumentContext, type DocumentRule } from '../../server/src/engine/ruleSupport/context';
import { DOCUMENT_RULES } from '../../server/src/engine/ruleSupport/registry';
import { readDocument } from '../../server/src/hosts';
import { check, policy, repoRoot } from './helpers';

const conditionsOnly = DOCUMENT_RULES.filter((rule) => (rule as DocumentRule).meta.conditionsOnly);

/** Every JSON policy of the examples and the test fixtures, by name. */
function jsonPolicies(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json') && entry.name !== 'keyshare.json' && entry.name !== 'package.json') found.push([path.relative(repoRoot, full), fs.readFileSync(full, 'utf8')]);
    }
  };
  walk(path.join(repoRoot, 'examples'));
  walk(path.join(repoRoot, 'test', 'fixtures'));
  return found;
}

/** Runs rules directly on each policy of a text, skipping nothing. */
function runDirectly(text: string, rules: readonly DocumentRule[]): Finding[] {
  const source = readDocument(text, { expectPolicy: true });
  const result = checkPolicies(source, sharedCatalog(), {}, { modelOnly: true });
  const findings: Finding[] = [];
  for (const model of result.models) {
    const context = new DocumentContext(model, sharedCatalog(), {}, source.editor, findings);
    for (const rule of rules) {
      context.rule = rule;
      rule.check(context);
    }
  }
  return findings;
}

test('the rules that read conditions only are the condition rules, and they are marked so', () => {
  assert.deepEqual(conditionsOnly.map((r) => r.id).sort(), [
    'condition-binary-value',
    'condition-bool-multiple-values',
    'condition-empty',
    'condition-key-action-unsupported',
    'condition-key-case-duplicate',
    'condition-key-unknown',
    'condition-never-matches',
    'condition-null-with-set-operator',
    'condition-numeric-redundant-values',
    'condition-operator-key-type',
    'condition-operator-unknown',
    'condition-paired-keys',
    'condition-set-operator',
    'condition-value-type',
    'condition-vpc-id-format',
    'condition-wildcard-operator',
    'ip-range-host-bits',
    'org-condition-invalid',
    'policy-variable-operator',
    'request-tag-misuse',
    'resource-tag-unsupported',
    's3-kms-key-id-value',
    'service-principal-condition-key',
    'service-principal-untrusted-key',
    'source-ip-private',
    'source-ip-private-subset',
  ]);
});

test('on every example and fixture without a Condition, the skipped condition rules would find nothing', () => {
  let withoutConditions = 0;
  for (const [name, text] of jsonPolicies()) {
    const result = check(text);
    if (!result.model || result.models.some((m) => m.anyCondition)) continue;
    withoutConditions++;
    assert.deepEqual(runDirectly(text, conditionsOnly as DocumentRule[]).map((f) => f.ruleId), [], name);
  }
  assert.ok(withoutConditions >= 5, `only ${withoutConditions} condition-free policies were tried`);
});

test('a policy with a Condition runs the condition rules; the same policy without it skips them', () => {
  const statement = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*' };
  const withCondition = policy([{ ...statement, Condition: { StringEqual: { 'kms:CallerAccount': '444455556666' } } }]);
  assert.ok(check(withCondition).findings.some((f) => f.ruleId === 'condition-operator-unknown'));
  assert.equal(check(withCondition).model!.anyCondition, true);
  assert.equal(check(policy([statement])).model!.anyCondition, false);
});
