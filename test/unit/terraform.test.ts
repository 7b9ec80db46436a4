// The Terraform host: policy documents, jsonencode, heredocs and templatefile in .tf modules.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { applyEdits, checkPolicies, isWhollyUnknown, type Finding, type PolicyNode, type PolicySource, type ValuePart } from '../../server/src/engine';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { readTemplateFile, readTerraform, setTerraformParser } from '../../server/src/hosts/terraform';
import { hclString } from '../../server/src/hosts/terraform/editor';
import { loadTerraformGrammar } from '../../server/src/terraformGrammar';
import { fixture, ofRule, where } from './helpers';

/** The text a span or a tree node covers. */
function covered(text: string, span: { start: number; end: number } | PolicyNode): string {
  return 'offset' in span ? text.slice(span.offset, span.offset + span.length) : text.slice(span.start, span.end);
}

let parser: Awaited<ReturnType<typeof loadTerraformGrammar>>;
before(async () => {
  parser = await loadTerraformGrammar();
});

function tf(text: string, fileName = 'main.tf') {
  const result = checkDocument(text, sharedCatalog(), { fileName });
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `${f.ruleId} range ${f.start}-${f.end} outside 0-${text.length}`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.start >= 0 && e.end >= e.start && e.end <= text.length, `${f.ruleId} fix edit outside the text`);
  }
  return result;
}

/** Whether tree-sitter reads the text without a syntax error. */
function parsesCleanly(text: string): boolean {
  const tree = parser.parse(text)!;
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

function policies(source: PolicySource) {
  return source.policies.map((p) => ({ address: p.address, kind: p.kind }));
}

/** The first string node (depth first) whose value is `value`. */
function findString(node: PolicyNode, predicate: (n: PolicyNode) => boolean): PolicyNode | undefined {
  if (node.type === 'string' && predicate(node)) return node;
  for (const child of node.children ?? []) {
    const found = findString(child, predicate);
    if (found) return found;
  }
  return undefined;
}

function unknownParts(node: PolicyNode | undefined): ValuePart[] {
  return (node?.parts ?? []).filter((p) => 'unknown' in p);
}

function applyFirstFix(text: string, finding: Finding): string {
  assert.ok(finding.fixes?.length, `${finding.ruleId} offers a fix`);
  return applyEdits(text, finding.fixes![0].edits);
}

test('.tf and .tofu files go to the Terraform host; .json files do not', () => {
  const text = fixture('terraform', 'shapes.tf');
  assert.equal(readDocument(text, { fileName: 'modules/key/main.tf' }).host, 'terraform');
  assert.equal(readDocument(text, { fileName: 'C:\\infra\\MAIN.TOFU' }).host, 'terraform');
  assert.equal(readDocument('{}', { fileName: 'policy.json' }).host, 'json');
});

test('the four shapes: a policy document, jsonencode, a heredoc and a templatefile, each with the kind of its attribute', () => {
  const text = fixture('terraform', 'shapes.tf');
  const result = tf(text);
  assert.deepEqual(policies(result.source!), [
    { address: 'data.aws_iam_policy_document.doc', kind: 'key-policy' },
    { address: 'aws_iam_policy.encoded.policy', kind: 'identity-policy' },
    { address: 'aws_s3_bucket_policy.heredoc.policy', kind: 'resource-policy' },
  ]);
  assert.deepEqual(
    result.models.map((m) => [m.kind, m.kindSource, m.statements.length]),
    [
      ['key-policy', 'host', 1],
      ['identity-policy', 'host', 1],
      ['resource-policy', 'host', 1],
    ],
  );
  const [call] = result.source!.templateFiles!;
  assert.equal(call.path, '${path.module}/policy.json.tpl');
  assert.deepEqual(call.vars, { account_id: '111122223333' });
  assert.deepEqual(call.unknownVars, ['bucket']);
  assert.equal(call.kind, 'identity-policy');
  assert.equal(call.function, 'templatefile');
  assert.equal(call.address, 'aws_iam_role_policy.templated.policy');
  assert.equal(call.resource, 'aws_iam_role_policy.templated');
  assert.ok(text.slice(call.span.start, call.span.end).startsWith('templatefile('));
  assert.ok(text.slice(call.span.start, call.span.end).endsWith('})'));
});

test('a policy document maps element by element, each value with its own span; Effect defaults to Allow on the block header', () => {
  const text = fixture('terraform', 'shapes.tf');
  const model = tf(text).models[0];
  const statement = model.statements[0];
  assert.equal(covered(text, statement.sid!), '"Root"');
  assert.equal(statement.effect!.value, 'Allow');
  assert.equal(covered(text, statement.effect!), 'statement {');
  assert.deepEqual(statement.actions!.items.map((i) => covered(text, i)), ['"kms:*"']);
  assert.equal(covered(text, statement.actions!.element.keySpan), 'actions');
  assert.deepEqual(statement.resources!.items.map((i) => i.value), ['*']);
  const entry = statement.principals!.entries[0];
  assert.equal(entry.type, 'AWS');
  assert.equal(covered(text, entry.typeSpan), '"AWS"');
  assert.deepEqual(entry.items.map((i) => covered(text, i)), ['"arn:aws:iam::111122223333:root"']);
  assert.equal(model.topElements.get('Version')!.value.value, '2012-10-17');
  // The owner account is read from the root statement, as in a JSON key policy.
  assert.equal(model.ownerAccount, '111122223333');
});

test('a key and its role in one module: key policy, trust policy and inline identity policy', () => {
  const text = fixture('terraform', 'key-and-role.tf');
  const result = tf(text);
  assert.deepEqual(policies(result.source!), [
    { address: 'data.aws_iam_policy_document.key', kind: 'key-policy' },
    { address: 'aws_iam_role.app.inline_policy', kind: 'identity-policy' },
    { address: 'data.aws_iam_policy_document.assume', kind: 'trust-policy' },
  ]);
  assert.deepEqual(
    result.source!.policies.map((p) => p.resource),
    ['aws_kms_key.data', 'aws_iam_role.app', 'aws_iam_role.app'],
  );
  const key = result.models[0];
  const root = key.statements[0].principals!.entries[0].items[0];
  assert.deepEqual(unknownParts(root.node), [
    { unknown: 'data.aws_partition.current.partition', meaning: 'partition' },
    { unknown: 'data.aws_caller_identity.current.account_id', meaning: 'owner-account' },
  ]);
  assert.equal(root.value, 'arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root');
  const role = key.statements[1].principals!.entries[0].items[0];
  assert.equal(covered(text, role), 'aws_iam_role.app.arn');
  assert.deepEqual(role.node.parts, [{ unknown: 'aws_iam_role.app.arn', meaning: 'resource-arn', resource: 'aws_iam_role.app' }]);
  // The inline policy names the key by reference.
  const resource = result.models[1].statements[0].resources!.items[0];
  assert.deepEqual(resource.node.parts, [{ unknown: 'aws_kms_key.data.arn', meaning: 'key-arn', resource: 'aws_kms_key.data' }]);
  assert.equal(covered(text, resource), 'aws_kms_key.data.arn');
});

test('identifiers = ["*"] in a key policy document: wildcard-principal on the "*"', () => {
  const text = fixture('terraform', 'wildcard.tf');
  const [finding] = ofRule(tf(text).findings, 'wildcard-principal');
  assert.ok(finding);
  assert.equal(covered(text, finding), '"*"');
  assert.equal(where(text, finding), '23:22-23:25');
});

test('principals { type = "*", identifiers = ["*"] } is "Principal": "*"', () => {
  const text = fixture('terraform', 'merged.tf');
  const model = tf(text).models[0];
  const everyone = model.statements.find((s) => s.sid?.value === 'Everyone')!;
  assert.equal(everyone.principals!.wildcard!.value, '*');
  assert.equal(covered(text, everyone.principals!.wildcard!), '"*"');
});

test('references and interpolations become unknown parts with their meaning', () => {
  const text = `
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = ["kms:Decrypt"]
      Resource = [
        aws_kms_key.data.arn,
        "\${aws_kms_key.data.arn}",
        aws_kms_key.data.key_id,
        aws_kms_alias.data.arn,
        aws_kms_alias.data.name,
        var.key_arn,
        local.key_arn,
        "arn:\${data.aws_partition.current.partition}:kms:\${data.aws_region.current.name}:\${data.aws_caller_identity.current.account_id}:key/*",
        "literal $\${not.an.interpolation} and %%{ not a directive }",
        "%{ if var.x }a%{ else }b%{ endif }",
        "tab\\there \\"quoted\\" \\u00e9",
        aws_kms_key.each["a"].arn,
      ]
    }]
  })
}
`;
  const model = tf(text).models[0];
  const items = model.statements[0].resources!.items;
  const parts = items.map((i) => i.node.parts);
  assert.deepEqual(parts[0], [{ unknown: 'aws_kms_key.data.arn', meaning: 'key-arn', resource: 'aws_kms_key.data' }]);
  assert.deepEqual(parts[1], [{ unknown: 'aws_kms_key.data.arn', meaning: 'key-arn', resource: 'aws_kms_key.data' }]);
  assert.deepEqual(parts[2], [{ unknown: 'aws_kms_key.data.key_id', meaning: 'key-id', resource: 'aws_kms_key.data', keyArn: 'aws_kms_key.data.arn' }]);
  assert.deepEqual(parts[3], [{ unknown: 'aws_kms_alias.data.arn', meaning: 'alias-arn', resource: 'aws_kms_alias.data', keyArn: 'aws_kms_alias.data.target_key_arn' }]);
  assert.deepEqual(parts[4], [{ unknown: 'aws_kms_alias.data.name', meaning: 'alias-name', resource: 'aws_kms_alias.data', keyArn: 'aws_kms_alias.data.target_key_arn' }]);
  assert.deepEqual(parts[5], [{ unknown: 'var.key_arn' }]);
  assert.deepEqual(parts[6], [{ unknown: 'local.key_arn' }]);
  assert.deepEqual(unknownParts(items[7].node).map((p) => ('unknown' in p ? p.meaning : undefined)), ['partition', 'region', 'owner-account']);
  assert.equal(items[8].value, 'literal ${not.an.interpolation} and %{ not a directive }');
  assert.equal(items[8].node.parts, undefined);
  assert.equal(items[9].node.parts!.length, 1, 'a directive makes the whole string unknown');
  assert.equal(items[10].value, 'tab\there "quoted" é');
  assert.deepEqual(parts[11], [{ unknown: 'aws_kms_key.each["a"].arn', meaning: 'key-arn', resource: 'aws_kms_key.each' }]);
  for (const item of items) assert.equal(text[item.start] === '"' || /^[a-z]/.test(text[item.start]), true);
});

test('a cross-account module with variables: the owner account and the consumer are unknown, not invalid', () => {
  const text = fixture('terraform', 'cross-account.tf');
  const result = tf(text);
  assert.deepEqual(policies(result.source!), [{ address: 'aws_kms_key.shared.policy', kind: 'key-policy' }]);
  const model = result.models[0];
  assert.deepEqual(
    model.statements.map((s) => s.sid?.value),
    ['EnableIAMUserPermissions', 'ConsumerUse', 'ConsumerGrants'],
  );
  const consumer = model.statements[1].principals!.entries[0].items[0];
  assert.equal(covered(text, consumer), 'local.consumer_role_arn');
  assert.deepEqual(consumer.node.parts, [{ unknown: 'local.consumer_role_arn' }]);
  assert.equal(covered(text, model.topElements.get('Id')!.value), '"shared-key"');
});

test('placeholders are not called invalid principals or ARNs', () => {
  for (const name of ['cross-account.tf', 'key-and-role.tf', 'shapes.tf', 'dynamic.tf']) {
    const found = tf(fixture('terraform', name)).findings;
    assert.deepEqual(ofRule(found, 'principal-invalid').concat(ofRule(found, 'arn-invalid')), [], name);
  }
});

test('a Statement from concat() or a for expression is no element-type error; the literal statements in concat() are checked', () => {
  const text = `resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.base_statements, [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::444455556666:root" }, Action = "kms:Decrypt", Resource = "*" }])
  })
}
resource "aws_kms_key" "k2" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [for s in local.statements : s] })
}
`;
  const result = tf(text);
  assert.equal(result.models.length, 2);
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
  assert.equal(result.models[0].statements.length, 1);
  assert.deepEqual(result.findings.map((f) => f.ruleId), ['missing-describe-key']);
});

test('a trust policy document needs no resources', () => {
  const found = tf(fixture('terraform', 'key-and-role.tf')).findings;
  assert.deepEqual(ofRule(found, 'statement-conflict'), []);
});

test('dynamic "statement" blocks are checked as written: the content block maps like a statement', () => {
  const text = fixture('terraform', 'dynamic.tf');
  const result = tf(text);
  const model = result.models[0];
  assert.equal(model.statements.length, 3);
  const dynamic = model.statements[1];
  assert.ok(covered(text, dynamic.span).startsWith('dynamic "statement" {'));
  assert.deepEqual(dynamic.sid!.node.parts, [{ literal: 'Read' }, { unknown: 'statement.key' }]);
  assert.deepEqual(dynamic.actions!.items.map((i) => i.value), ['kms:Decrypt', 'kms:DescribeKey']);
  assert.equal(covered(text, dynamic.effect!), 'content {');
  const identifiers = dynamic.principals!.entries[0].items[0];
  assert.equal(covered(text, identifiers), 'statement.value');
  assert.deepEqual(identifiers.node.parts, [{ unknown: 'statement.value' }]);
  // A dynamic condition block counts as the condition it writes.
  const org = model.statements[2];
  assert.deepEqual(org.conditions.map((c) => [c.operator, c.key, covered(text, c.values[0])]), [['StringEquals', 'aws:PrincipalOrgID', 'condition.value']]);
});

test('source and override documents are merged as the data source does; documents used only through them are not checked alone', () => {
  const text = fixture('terraform', 'merged.tf');
  const result = tf(text);
  assert.deepEqual(policies(result.source!), [{ address: 'data.aws_iam_policy_document.combined', kind: 'key-policy' }]);
  const model = result.models[0];
  assert.deepEqual(
    model.statements.map((s) => s.sid?.value),
    ['EnableIAMUserPermissions', 'Reader', 'Everyone'],
  );
  // The merged root statement counts: no lockout warning; the override's "*" is reported once, in its own block.
  assert.deepEqual(ofRule(result.findings, 'lockout-risk'), []);
  const wildcard = ofRule(result.findings, 'wildcard-principal');
  assert.equal(wildcard.length, 1);
  assert.equal(where(text, wildcard[0]), '20:22-20:25');
});

test('an override replaces the source statement with the same Sid', () => {
  const text = `
data "aws_iam_policy_document" "a" {
  statement {
    sid       = "Use"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "b" {
  statement {
    sid       = "Use"
    actions   = ["kms:Encrypt"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "c" {
  source_policy_documents   = [data.aws_iam_policy_document.a.json]
  override_policy_documents = [data.aws_iam_policy_document.b.json]
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.c.json
}
`;
  const model = tf(text).models[0];
  assert.deepEqual(model.statements.map((s) => s.actions!.items.map((i) => i.value)), [['kms:Encrypt']]);
});

test('an unused policy document is checked with its kind inferred from content', () => {
  const text = `
data "aws_iam_policy_document" "loose" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket/*"]
  }
}
`;
  const result = tf(text);
  assert.equal(result.source!.policies[0].kind, undefined);
  assert.equal(result.source!.policies[0].fragment, false);
  assert.equal(result.models[0].kind, 'identity-policy');
  assert.equal(result.models[0].kindSource, 'content');
});

test('heredoc JSON: spans in the .tf text, interpolations as parts, kind from the attribute', () => {
  const text = fixture('terraform', 'shapes.tf');
  const model = tf(text).models[2];
  const principal = model.statements[0].principals!.entries[0].items[0];
  assert.equal(covered(text, principal), '"arn:aws:iam::${var.reader_account}:root"');
  assert.deepEqual(principal.node.parts, [{ literal: 'arn:aws:iam::' }, { unknown: 'var.reader_account' }, { literal: ':root' }]);
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

test('fix in a policy document: a missing kms:DescribeKey is added to the actions list, the result parses and re-checks clean', () => {
  const text = fixture('terraform', 'key-and-role.tf');
  const [finding] = ofRule(tf(text).findings, 'missing-describe-key');
  assert.ok(finding);
  const fixed = applyFirstFix(text, finding);
  assert.ok(fixed.includes('      "kms:GenerateDataKey",\n      "kms:DescribeKey",\n    ]'));
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(ofRule(tf(fixed).findings, 'missing-describe-key'), []);
});

test('fix in jsonencode: a Condition is added as an HCL object; the result parses and re-checks clean', () => {
  const text = fixture('terraform', 'cross-account.tf');
  const [finding] = ofRule(tf(text).findings, 'grant-without-aws-resource-condition');
  assert.ok(finding);
  const fixed = applyFirstFix(text, finding);
  assert.ok(fixed.includes('Condition = {\n          Bool = {\n            "kms:GrantIsForAWSResource" = "true"\n          }\n        }'));
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(ofRule(tf(fixed).findings, 'grant-without-aws-resource-condition'), []);
});

test('fix in a policy document statement: a condition block is added', () => {
  const text = `resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.k.json
}

data "aws_iam_policy_document" "k" {
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
    sid       = "Grants"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
  }
}
`;
  const [finding] = ofRule(tf(text).findings, 'grant-without-aws-resource-condition');
  assert.ok(finding);
  const fixed = applyFirstFix(text, finding);
  assert.ok(fixed.includes(`    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}`));
  assert.ok(parsesCleanly(fixed));
  const again = tf(fixed);
  assert.deepEqual(ofRule(again.findings, 'grant-without-aws-resource-condition'), []);
  const conditions = again.models[0].statements[1].conditions;
  assert.deepEqual(conditions.map((c) => [c.operator, c.key, c.values.map((v) => v.value)]), [['Bool', 'kms:GrantIsForAWSResource', ['true']]]);
});

test('fixes that would rewrite a reference or an expression are not offered', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*"
    }, {
      Effect = "Allow", Principal = { AWS = "arn:aws:iam::444455556666:root" }, Action = local.grant_actions, Resource = "*"
    }]
  })
}
`;
  const result = tf(text);
  for (const finding of result.findings) {
    for (const fix of finding.fixes ?? []) {
      for (const edit of fix.edits) {
        const touched = text.slice(edit.start, edit.end);
        assert.ok(!touched.includes('var.') && !touched.includes('local.'), `${finding.ruleId} fix rewrites ${touched}`);
      }
    }
  }
});

test('the HCL editor writes strings HCL reads back: quotes, backslashes and template sequences escaped', () => {
  assert.equal(hclString('a"b\\c${x}%{y}$'), '"a\\"b\\\\c$${x}%%{y}$"');
});

test('.tf files without policies get zero findings and are not policies', () => {
  const text = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}
resource "aws_s3_bucket" "b" {
  bucket = "example"
  tags   = { Name = "example", Statement = "not a policy" }
}
resource "aws_iam_policy" "p" {
  policy = var.policy_json
}
`;
  const result = tf(text);
  assert.deepEqual(result.findings, []);
  assert.equal(result.isPolicy, false);
});

test('before the grammar is loaded a .tf text reads as holding no policy', () => {
  setTerraformParser(undefined);
  try {
    const result = tf(fixture('terraform', 'wildcard.tf'));
    assert.equal(result.isPolicy, false);
    assert.deepEqual(result.findings, []);
  } finally {
    setTerraformParser(parser);
  }
  assert.equal(tf(fixture('terraform', 'wildcard.tf')).isPolicy, true);
});

test('hostile input: unterminated heredoc, binary, deep nesting, 5 MB: never throws, every range inside the text', () => {
  const cases: string[] = [
    'resource "aws_iam_policy" "x" {\n  policy = <<EOF\n{"Statement": [\n',
    'resource "aws_iam_policy" "x" {\n  policy = <<-EOF\n  {"Statement": [{"Effect": "Allow", "Action": "${var.a',
    'resource "aws_iam_policy" "x" {\n  policy = jsonencode(' + '['.repeat(50_000) + ']'.repeat(50_000) + ')\n}\n',
    'resource "aws_iam_policy" "x" {\n  policy = jsonencode(' + '{ a = '.repeat(5_000) + '1' + ' }'.repeat(5_000) + ')\n}\n',
    'data "aws_iam_policy_document" "x" {\n' + 'statement {\n'.repeat(5_000) + '}\n'.repeat(5_000) + '}\n',
    Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    '\u0000\uffff\ud800 resource "aws_kms_key" { policy = jsonencode({ Statement = [{ Principal = "*" }',
    'data "aws_iam_policy_document" "a" { source_policy_documents = [data.aws_iam_policy_document.a.json] }\n',
    'resource "aws_iam_policy" "x" {\n  policy = "{\\"Statement\\": [\\u12\\U0011ffff \\',
    'resource "aws_iam_policy" "x" {\n  policy = "{\\"Statement\\": \\"${var.a}\\" ${b} %{ if c }\\"}"\n}\n',
    'resource "constructor" "x" {\n  name = jsonencode({ Statement = [] })\n}\nresource "__proto__" "y" { policy = "{}" }\n',
    'data "aws_iam_policy_document" "toString" {\n  statement {\n    constructor = ["x"]\n    __proto__ = ["y"]\n    actions = ["s3:GetObject"]\n  }\n}\nresource "aws_iam_role_policy" "p" {\n  policy = templatefile("a.tpl", { __proto__ = "x", constructor = "y" })\n}\n',
    'resource "aws_kms_key" "x" {\n  policy = <<-EOT\n    {"Statement": [{"Principal": ${var.p}, "Effect": $${x}}]}\n  EOT\n}\n',
  ];
  for (const text of cases) tf(text);
  const module = fixture('terraform', 'key-and-role.tf');
  const big = module.repeat(Math.ceil(5_000_000 / module.length));
  const result = tf(big);
  assert.ok(big.length >= 5_000_000);
  assert.ok(result.isPolicy);
});

test('readTerraform never throws on random text', () => {
  let seed = 7;
  const alphabet = 'resource data "{}[]()=,.:$%<EOF\n\\ jsonencode statement principals aws_kms_key policy';
  for (let round = 0; round < 200; round++) {
    let text = '';
    const length = (round * 37) % 400;
    for (let i = 0; i < length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += alphabet[seed % alphabet.length];
    }
    const source = readTerraform(text);
    for (const p of source.policies) assert.ok(p.root.offset >= 0 && p.root.offset + p.root.length <= text.length);
  }
});

/** A snippet's body with every placeholder at its default, as VS Code inserts it. */
function expandSnippet(body: string[]): string {
  const defaults = new Map<string, string>();
  const text = body.join('\n');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '$') {
      out += '$';
      i++;
    } else if (text[i] === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      const [index, fallback] = text.slice(i + 2, close).split(':');
      if (fallback !== undefined) defaults.set(index, fallback);
      out += fallback ?? defaults.get(index) ?? '';
      i = close;
    } else if (text[i] === '$' && text[i + 1] === '0') {
      i++;
    } else {
      out += text[i];
    }
  }
  return out;
}

test('the Terraform snippets expand to modules that parse and check clean (placeholders aside)', () => {
  const snippets = JSON.parse(fixture('..', '..', 'snippets', 'terraform.code-snippets')) as Record<string, { body: string[] }>;
  const kinds: (string | undefined)[][] = [];
  for (const [name, snippet] of Object.entries(snippets)) {
    const text = expandSnippet(snippet.body);
    assert.ok(parsesCleanly(text), name);
    const result = tf(text);
    kinds.push(result.source!.policies.map((p) => p.kind));
    const rest = result.findings.filter((f) => f.ruleId !== 'principal-invalid' && f.ruleId !== 'arn-invalid');
    assert.deepEqual(rest.map((f) => `${f.ruleId}: ${f.message}`), [], name);
  }
  assert.deepEqual(kinds, [['key-policy'], ['identity-policy']]);
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
  assert.deepEqual(consumer.node.parts, [{ unknown: 'var.consumer' }]);
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
  const source = readTemplateFile(text, { vars: { ...call.vars, short_account: '1234' }, kind: call.kind, address: call.address });
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
  assert.equal(readTemplateFile('%{ for s in statements }${s}%{ endfor }', {}).policies.length, 0);
  assert.equal(readTemplateFile('not json at all', {}).policies.length, 0);
});

test('fix in a policy document: principals in an identity policy are removed with their block', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
`;
  const [finding] = ofRule(tf(text).findings, 'principal-not-allowed');
  assert.ok(finding);
  assert.equal(covered(text, finding), 'principals');
  const fixed = applyFirstFix(text, finding);
  assert.equal(fixed, text.replace('    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::111122223333:root"]\n    }\n', ''));
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(tf(fixed).findings, []);
});

test('fix in jsonencode: a Principal in an identity policy is removed with its line', () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::bucket/*"
    }]
  })
}
`;
  const [finding] = ofRule(tf(text).findings, 'principal-not-allowed');
  const fixed = applyFirstFix(text, finding);
  assert.equal(fixed, text.replace('      Principal = { AWS = "arn:aws:iam::111122223333:root" }\n', ''));
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(tf(fixed).findings, []);
});

test('a policy attribute that names a local is read from the locals block', () => {
  const text = `resource "aws_kms_key" "k" {
  policy = local.key_policy
}
resource "aws_kms_key" "again" {
  policy = local.key_policy
}
resource "aws_iam_role" "r" {
  assume_role_policy = local.assume
}
locals {
  assume     = data.aws_iam_policy_document.assume.json
  key_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" }]
  })
}
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
`;
  assert.deepEqual(policies(tf(text).source!), [
    { address: 'aws_kms_key.k.policy', kind: 'key-policy' },
    { address: 'data.aws_iam_policy_document.assume', kind: 'trust-policy' },
  ]);
});

test('CRLF modules: the same findings on the same text, and fixes written with CRLF', () => {
  const lf = fixture('terraform', 'key-and-role.tf').split('\r\n').join('\n');
  const crlf = lf.split('\n').join('\r\n');
  const a = tf(lf).findings.map((f) => [f.ruleId, covered(lf, f)]);
  const b = tf(crlf).findings.map((f) => [f.ruleId, covered(crlf, f)]);
  assert.deepEqual(b, a);
  const [finding] = ofRule(tf(crlf).findings, 'missing-describe-key');
  const fixed = applyFirstFix(crlf, finding);
  assert.ok(fixed.includes('"kms:GenerateDataKey",\r\n      "kms:DescribeKey",\r\n'));
  assert.ok(parsesCleanly(fixed));
  const heredoc = fixture('terraform', 'shapes.tf').split('\n').join('\r\n');
  const model = tf(heredoc).models[2];
  assert.equal(covered(heredoc, model.statements[0].sid!), '"ReadFromAccount"');
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
  const json = readTemplateFile('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${literal}"}]}', call);
  assert.equal(json.policies[0].kind, 'resource-policy');
  const model = checkPolicies(json, sharedCatalog()).models[0];
  assert.equal(model.statements[0].resources!.items[0].node.parts, undefined);
});

test('every fix offered on the Terraform fixtures applies to a module that still parses, and removes its finding', () => {
  const extra = `resource "aws_kms_key" "k" {
  policy = jsonencode({
    Statement = [{
      Sid = "bad sid!"
      Effect = "allow"
      Principal = { aws = "arn:aws:iam::111122223333:root" }
      Action = ["kms:*"]
      Resource = "*"
      Condition = { stringequals = { "aws:PrincipalOrgID" = "o-abc123def4" } }
    }]
  })
}
data "aws_iam_policy_document" "d" {
  statement {
    sid     = "bad sid!"
    effect  = "allow"
    actions = ["kms:Decrypt", "kms:CreateGrant"]
    resources = ["arn:aws:kms:us-east-1:111122223333:alias/app"]
    principals {
      type        = "aws"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "stringequals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123def4"]
    }
  }
}
resource "aws_kms_key" "d" {
  policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_policy" "alias" {
  policy = data.aws_iam_policy_document.alias.json
}
data "aws_iam_policy_document" "alias" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:us-east-1:111122223333:alias/app"]
  }
}
resource "aws_iam_policy" "inline_principal" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "s3:GetObject", Resource = "*" }, { Effect = "Allow", Action = "s3:PutObject", Resource = "*", Principal = "*" }] })
}
resource "aws_iam_policy" "alias_encoded" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = "arn:aws:kms:us-east-1:111122223333:alias/app"
    }]
  })
}
`;
  const texts = ['key-and-role.tf', 'wildcard.tf', 'cross-account.tf', 'shapes.tf', 'dynamic.tf', 'merged.tf'].map((n) => fixture('terraform', n));
  texts.push(extra);
  let applied = 0;
  for (const text of texts) {
    for (const finding of tf(text).findings) {
      for (const fix of finding.fixes ?? []) {
        const fixed = applyEdits(text, fix.edits);
        assert.ok(parsesCleanly(fixed), `${finding.ruleId} "${fix.title}" leaves a module that does not parse:\n${fixed}`);
        const again = tf(fixed).findings.filter((f) => f.ruleId === finding.ruleId && f.start === finding.start && f.message === finding.message);
        if (fix.safe) assert.deepEqual(again, [], `${finding.ruleId} "${fix.title}" leaves its finding`);
        applied++;
      }
    }
  }
  assert.ok(applied >= 8, `only ${applied} fixes applied`);
});

test('other resource policies and service control policies take their kind from the resource', () => {
  const statement = 'Statement = [{ Effect = "Deny", Action = "s3:DeleteBucket", Resource = "*" }]';
  const text = `resource "aws_organizations_policy" "scp" {
  name    = "deny"
  content = jsonencode({ Version = "2012-10-17", ${statement} })
}
resource "aws_organizations_policy" "tags" {
  name    = "tags"
  type    = "TAG_POLICY"
  content = jsonencode({ tags = { Team = { tag_key = { "@@assign" = "Team" } } } })
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  lifecycle_rule {
    enabled = true
    expiration { days = 30 }
  }
  tags = { Name = "b", Policy = jsonencode({ Statement = [] }) }
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }] })
}
resource "aws_secretsmanager_secret_policy" "s" {
  secret_arn = "arn"
  policy     = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "secretsmanager:GetSecretValue", Resource = "*" }] })
}
`;
  assert.deepEqual(policies(tf(text).source!), [
    { address: 'aws_organizations_policy.scp.content', kind: 'scp' },
    { address: 'aws_s3_bucket.b.policy', kind: 'resource-policy' },
    { address: 'aws_secretsmanager_secret_policy.s.policy', kind: 'resource-policy' },
  ]);
});

test('a policy attribute that is one interpolation is the reference inside; one that is not JSON text is left alone', () => {
  const text = `resource "aws_iam_role_policy" "old_style" {
  policy = "\${data.aws_iam_policy_document.d.json}"
}
resource "aws_iam_policy" "not_json" {
  policy = "\${var.prefix}-policy"
}
resource "aws_iam_policy" "not_json_heredoc" {
  policy = <<EOF
\${jsonencode(local.policy)}
EOF
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
`;
  const result = tf(text);
  assert.deepEqual(policies(result.source!), [{ address: 'data.aws_iam_policy_document.d', kind: 'identity-policy' }]);
  assert.deepEqual(result.findings, []);
});

test('a statement built from a variable (terraform-aws-modules/kms key_statements) is not judged on values Terraform fills in', () => {
  const text = `data "aws_iam_policy_document" "this" {
  statement {
    sid       = "Route53DnssecService"
    actions   = ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["dnssec-route53.\${local.dns_suffix}"]
    }
  }
  dynamic "statement" {
    for_each = var.key_statements
    content {
      sid           = try(statement.value.sid, null)
      actions       = try(statement.value.actions, null)
      not_actions   = try(statement.value.not_actions, null)
      effect        = try(statement.value.effect, null)
      resources     = try(statement.value.resources, null)
      not_resources = try(statement.value.not_resources, null)
      dynamic "principals" {
        for_each = try(statement.value.principals, [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
      dynamic "condition" {
        for_each = try(statement.value.conditions, [])
        content {
          test     = condition.value.test
          values   = condition.value.values
          variable = condition.value.variable
        }
      }
    }
  }
}
`;
  const result = tf(text);
  assert.equal(result.models.length, 1);
  const loud = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(loud.map((f) => `${f.ruleId}: ${covered(text, f)}`), []);
  // What is written is still judged: a literal bad service name, a literal Action with NotAction.
  const broken = text
    .replace('dnssec-route53.${local.dns_suffix}', 'dnssec-route53.${local.dns_suffix}.example')
    .replace('not_actions   = try(statement.value.not_actions, null)', 'not_actions   = ["kms:Decrypt"]')
    .replace('actions       = try(statement.value.actions, null)', 'actions       = ["kms:Encrypt"]');
  const ids = tf(broken).findings.map((f) => f.ruleId);
  assert.ok(ids.includes('principal-invalid'), ids.join(', '));
  assert.ok(ids.includes('statement-conflict'), ids.join(', '));
});

test('an argument set to null is left out, as Terraform leaves it out: effect = null is Allow, not_actions = null is no NotAction', () => {
  const text = `data "aws_iam_policy_document" "this" {
  statement {
    sid         = "NullEffect"
    effect      = null
    actions     = ["kms:Decrypt", "kms:DescribeKey"]
    not_actions = null
    resources   = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.this.json
}
`;
  const result = tf(text);
  const statement = result.model!.statements[0];
  assert.equal(statement.effect?.value, 'Allow');
  assert.equal(statement.elements.has('NotAction'), false);
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId), []);
});

test('Terraform as modules write it: conditionals, documents only Terraform reads, empty and null arguments', () => {
  const text = `data "aws_iam_policy_document" "base" {
  policy_id = null
  statement {
    sid           = "Root"
    effect        = "Allow"
    actions       = ["kms:*"]
    not_actions   = []
    resources     = ["*"]
    not_resources = []
    principals {
      type        = "AWS"
      identifiers = var.use_mgmt_root ? ["arn:aws:iam::\${var.mgmt_account_id}:root"] : ["arn:aws:iam::\${var.account_id}:root"]
    }
  }
  statement {
    sid       = "Logs"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = var.use_alias ? ["arn:aws:kms:\${var.region}:\${var.account_id}:alias/app"] : ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.\${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = var.all_groups ? ["arn:aws:logs:\${var.region}:\${var.account_id}:log-group:*"] : ["arn:aws:logs:\${var.region}:\${var.account_id}:log-group:\${var.name}"]
    }
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = concat([data.aws_iam_policy_document.base.json], var.extra != "" ? [var.extra] : [])
}
data "aws_iam_policy_document" "extra_only" {
  source_policy_documents = var.policy_documents
  statement {
    sid       = "Use"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:role/app"]
    }
  }
}
resource "aws_kms_key" "a" { policy = data.aws_iam_policy_document.base.json }
resource "aws_kms_key" "b" { policy = data.aws_iam_policy_document.combined.json }
resource "aws_kms_key" "c" { policy = data.aws_iam_policy_document.extra_only.json }
`;
  const result = tf(text);
  assert.equal(result.models.length, 3);
  const loud = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(loud.map((f) => `${f.ruleId}: ${covered(text, f)}`), []);
  const base = result.models[0];
  assert.equal(base.topElements.has('Id'), false);
  assert.equal(base.statements[0].elements.has('NotAction'), false);
  assert.equal(base.statements[0].elements.has('NotResource'), false);
  // The conditional is one value the template fills in, spelled so that its placeholder closes where it ends.
  const principal = base.statements[0].principals!.entries[0].items[0];
  assert.equal(covered(text, principal), 'var.use_mgmt_root ? ["arn:aws:iam::${var.mgmt_account_id}:root"] : ["arn:aws:iam::${var.account_id}:root"]');
  assert.ok(isWhollyUnknown(principal.node));
  // What is written beside it is still judged.
  const broken = text.replace('"arn:aws:iam::444455556666:role/app"', '"arn:aws:iam::4444 55556666:role/app"');
  assert.deepEqual(ofRule(tf(broken).findings, 'principal-invalid').map((f) => covered(broken, f)), ['"arn:aws:iam::4444 55556666:role/app"']);
});

test('a policy chosen by a conditional, with Statement = concat(cond ? [] : [...], var.extra), is read as the module writes it', () => {
  const text = `resource "aws_kms_key" "default" {
  policy = var.policy != "" ? var.policy : local.default_policy
}
locals {
  default_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      }],
      length(local.users) == 0 ? [] : [{
        Sid       = "Use"
        Effect    = "Allow"
        Principal = { AWS = local.users }
        Action    = ["kms:Encrypt", "kms:Decrpyt"]
        Resource  = "*"
      }],
      var.extra_statements,
    )
  })
}
`;
  const result = tf(text);
  assert.equal(result.models.length, 1);
  assert.deepEqual(result.models[0].statements.map((s) => s.sid?.value), ['Root', 'Use']);
  const statements = result.models[0].statementElement!.value;
  assert.equal(statements.children!.length, 3);
  assert.ok(isWhollyUnknown(statements.children![2]), 'var.extra_statements stands for statements only Terraform knows');
  const typo = ofRule(result.findings, 'action-unknown');
  assert.deepEqual(typo.map((f) => covered(text, f)), ['"kms:Decrpyt"']);
  const fixed = applyEdits(text, typo[0].fixes![0].edits);
  assert.match(fixed, /Action {4}= \["kms:Encrypt", "kms:Decrypt"\]/);
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId), ['action-unknown']);
});

test('an alias\'s ARN or a key ID as an IAM Resource grants nothing on the key; target_key_arn does (KMS guide, "Specifying KMS keys in IAM policy statements")', () => {
  // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
  const text = [
    'resource "aws_kms_key" "data" {}',
    'resource "aws_kms_alias" "data" {',
    '  name          = "alias/data"',
    '  target_key_id = aws_kms_key.data.key_id',
    '}',
    'data "aws_iam_policy_document" "app" {',
    '  statement {',
    '    actions   = ["kms:Decrypt"]',
    '    resources = [aws_kms_alias.data.arn]',
    '  }',
    '  statement {',
    '    actions   = ["kms:Decrypt"]',
    '    resources = [aws_kms_key.data.key_id]',
    '  }',
    '  statement {',
    '    actions   = ["kms:Decrypt"]',
    '    resources = [aws_kms_alias.data.target_key_arn, aws_kms_key.data.arn]',
    '  }',
    '}',
    'resource "aws_iam_policy" "app" {',
    '  policy = data.aws_iam_policy_document.app.json',
    '}',
  ].join('\n');
  const found = tf(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(found.map((f) => [f.ruleId, covered(text, f)]), [['alias-arn-as-resource', 'aws_kms_alias.data.arn'], ['arn-invalid', 'aws_kms_key.data.key_id']]);
  assert.match(found[0].message, /so kms:Decrypt here has no effect\. Use the key ARN \(aws_kms_alias\.data\.target_key_arn\)\.$/);
  assert.match(found[1].message, /is the key's ID, not an ARN: .* Use the key's ARN \(aws_kms_key\.data\.arn\)\.$/);
});

test('a principal whose account is a variable may be another account: cross-account-admin says "if"; the caller identity is the owner', () => {
  const module = (account: string) => `data "aws_caller_identity" "current" {}
resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Consumer", Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${${account}}:root" }, Action = "kms:*", Resource = "*" },
    ]
  })
}
`;
  const text = module('var.consumer_account_id');
  const found = ofRule(tf(text).findings, 'cross-account-admin');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /^If \$\{var\.consumer_account_id\} is not the key's owner account/);
  assert.deepEqual(ofRule(tf(module('data.aws_caller_identity.current.account_id')).findings, 'cross-account-admin'), []);
});

test('dynamic "principals" and dynamic "not_principals" in one statement are no conflict: either for_each may be empty', () => {
  const text = `variable "statements" {}
data "aws_iam_policy_document" "key" {
  dynamic "statement" {
    for_each = var.statements
    content {
      actions   = statement.value.actions
      resources = ["*"]
      dynamic "principals" {
        for_each = statement.value.principals != null ? statement.value.principals : []
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
      dynamic "not_principals" {
        for_each = statement.value.not_principals != null ? statement.value.not_principals : []
        content {
          type        = not_principals.value.type
          identifiers = not_principals.value.identifiers
        }
      }
    }
  }
}
resource "aws_kms_key" "this" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  assert.deepEqual(ofRule(tf(text).findings, 'statement-conflict'), []);
  // Written out, both blocks are sent, and AWS rejects the statement.
  const written = `data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/x"]
    }
  }
}
resource "aws_kms_key" "this" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  assert.equal(ofRule(tf(written).findings, 'statement-conflict').length, 1);
});

test('&{aws:username} in aws_iam_policy_document is the policy variable ${aws:username} (the data source\'s escape)', () => {
  // Terraform AWS provider, data source aws_iam_policy_document, "Example Usage": "home/&{aws:username}/".
  const text = `data "aws_iam_policy_document" "home" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::bucket/home/&{aws:username}/*", "arn:aws:iam::*:user/&{aws:username}"]
  }
}
resource "aws_iam_policy" "home" {
  policy = data.aws_iam_policy_document.home.json
}
`;
  const result = tf(text);
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId), []);
  assert.equal(result.models[0].statements[0].resources!.items[0].value, 'arn:aws:s3:::bucket/home/${aws:username}/*');
});

test('a key policy Resource that names another resource of the module (an SQS queue\'s ARN) applies to nothing: key-policy-resource', () => {
  const text = `resource "aws_sqs_queue" "logs" {}
data "aws_iam_policy_document" "key" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    actions   = ["kms:*"]
    resources = ["*"]
  }
  statement {
    principals {
      type        = "Service"
      identifiers = ["sqs.amazonaws.com"]
    }
    actions   = ["kms:Decrypt"]
    resources = [aws_sqs_queue.logs.arn]
  }
}
resource "aws_kms_key" "logs" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  const found = ofRule(tf(text).findings, 'key-policy-resource');
  assert.deepEqual(found.map((f) => [f.severity, covered(text, f)]), [['error', 'aws_sqs_queue.logs.arn']]);
  assert.match(found[0].message, /is the ARN of aws_sqs_queue\.logs, not of this key/);
});
