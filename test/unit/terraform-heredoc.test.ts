// The Terraform host's JSON text and templates: heredoc JSON and JSON in a quoted string with
// spans in the .tf text, templatefile() templates and file() policies.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkPolicies } from '../../server/src/engine';
import { readTemplateFile } from '../../server/src/hosts/terraform';
import { fixture, ofRule } from './helpers';
import { applyFirstFix, covered, loadGrammarFirst, parser, policies, tf, unknownParts } from './terraform-helpers';

loadGrammarFirst();

test('heredoc JSON: spans in the .tf text, interpolations as parts, kind from the attribute', () => {
  const text = fixture('terraform', 'shapes.tf');
  const model = tf(text).models[2];
  const principal = model.statements[0].principals!.entries[0].items[0];
  assert.equal(covered(text, principal), '"arn:aws:iam::${var.reader_account}:root"');
  assert.deepEqual(principal.node.parts, [{ literal: 'arn:aws:iam::' }, { unknown: 'var.reader_account', input: 'variable' }, { literal: ':root' }]);
  assert.equal(covered(text, model.statements[0].sid!), '"ReadFromAccount"');
});

test('heredoc JSON with an interpolation outside a string reads it as an unknown value', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": \${jsonencode(var.actions)}, "Resource": "*"}]
}
EOF
}
`;
  const model = tf(text).models[0];
  const action = model.statements[0].actions!;
  assert.equal(covered(text, action.element.value), '${jsonencode(var.actions)}');
  assert.deepEqual(action.element.value.parts, [{ unknown: 'jsonencode(var.actions)' }]);
});

test('broken heredoc JSON is reported at its place in the .tf text', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]}
EOF
}
`;
  const result = tf(text);
  const strict = ofRule(result.findings, 'json-strict');
  assert.equal(strict.length, 1);
  assert.equal(covered(text, strict[0]), ',');
  const fixed = applyFirstFix(text, strict[0]);
  assert.deepEqual(ofRule(tf(fixed).findings, 'json-strict'), []);
});

test('JSON in a quoted string: checked with spans in the .tf text, never edited', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt'], Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: '${var.consumer}' }, Action: 'kms:Decrypt', Resource: '*' },
    ],
  };
  const quoted = '"' + JSON.stringify(policy).split('\\').join('\\\\').split('"').join('\\"') + '"';
  const text = `resource "aws_kms_key" "k" {\n  policy = ${quoted}\n}\n`;
  const result = tf(text);
  assert.deepEqual(policies(result.source!), [{ address: 'aws_kms_key.k.policy', kind: 'key-policy' }]);
  const model = result.models[0];
  assert.equal(covered(text, model.statements[0].sid!), '\\"Root\\"');
  assert.equal(model.statements[0].sid!.value, 'Root');
  const [wildcard] = ofRule(result.findings, 'wildcard-principal');
  assert.equal(covered(text, wildcard), '\\"*\\"');
  const consumer = model.statements[2].principals!.entries[0].items[0];
  assert.equal(covered(text, consumer), '\\"${var.consumer}\\"');
  assert.deepEqual(consumer.node.parts, [{ unknown: 'var.consumer', input: 'variable' }]);
  for (const finding of result.findings) assert.equal(finding.fixes, undefined, `${finding.ruleId} offers no fix inside a quoted string`);
});

test('heredoc JSON: $${ is a literal ${ and the offsets after it stay exact', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Sid": "Literal", "Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::bucket/$\${aws:username}/*"}, {"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}
EOF
}
`;
  const result = tf(text);
  const model = result.models[0];
  const resource = model.statements[0].resources!.items[0];
  assert.equal(resource.value, 'arn:aws:s3:::bucket/${aws:username}/*');
  assert.equal(resource.node.parts, undefined);
  assert.equal(covered(text, resource), '"arn:aws:s3:::bucket/$${aws:username}/*"');
  const [effect] = ofRule(result.findings, 'statement-effect');
  assert.equal(covered(text, effect), '"Alow"');
  const fixed = applyFirstFix(text, effect);
  assert.ok(fixed.includes('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'));
  assert.deepEqual(ofRule(tf(fixed).findings, 'statement-effect'), []);
});

test("a templatefile template is checked with the call's literal vars substituted, the others unknown", () => {
  const text = fixture('terraform', 'policy.json.tpl');
  const call = tf(fixture('terraform', 'shapes.tf')).source!.templateFiles![0];
  const source = readTemplateFile(text, parser, { vars: { ...call.vars, short_account: '1234' }, kind: call.kind, address: call.address });
  assert.equal(source.policies.length, 1);
  assert.equal(source.policies[0].kind, 'identity-policy');
  const result = checkPolicies(source, sharedCatalog());
  const [bucket, key, bad] = result.models[0].statements.map((s) => s.resources!.items[0]);
  assert.equal(bucket.value, 'arn:aws:s3:::${bucket}/*');
  assert.deepEqual(unknownParts(bucket.node), [{ unknown: 'bucket' }]);
  assert.equal(key.value, 'arn:aws:kms:us-east-1:111122223333:key/*');
  assert.equal(key.node.parts, undefined);
  assert.equal(covered(text, key), '"arn:aws:kms:us-east-1:${account_id}:key/*"');
  // A literal var that makes a bad ARN is reported on the template's string, with no fix.
  const arn = ofRule(result.findings, 'arn-invalid').find((f) => f.start === bad.start);
  assert.ok(arn, 'the substituted short account is an invalid ARN');
  assert.equal(arn!.fixes, undefined);
  assert.equal(readTemplateFile('%{ for s in statements }${s}%{ endfor }', parser, {}).policies.length, 0);
  assert.equal(readTemplateFile('not json at all', parser, {}).policies.length, 0);
});

test('an aws_kms_key_policy belongs to the key its key_id names; file() policies are recorded to read as they are', () => {
  const text = `resource "aws_kms_key" "k" {}
resource "aws_kms_key_policy" "k" {
  key_id = aws_kms_key.k.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" }]
  })
}
resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = file("\${path.module}/bucket-policy.json")
}
`;
  const source = tf(text).source!;
  assert.deepEqual(source.policies.map((p) => [p.address, p.kind, p.resource]), [['aws_kms_key_policy.k.policy', 'key-policy', 'aws_kms_key.k']]);
  const [call] = source.templateFiles!;
  assert.deepEqual([call.function, call.path, call.kind, call.resource], ['file', '${path.module}/bucket-policy.json', 'resource-policy', 'aws_s3_bucket_policy.b']);
  const json = readTemplateFile('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${literal}"}]}', parser, call);
  assert.equal(json.policies[0].kind, 'resource-policy');
  const model = checkPolicies(json, sharedCatalog()).models[0];
  assert.equal(model.statements[0].resources!.items[0].node.parts, undefined);
});
