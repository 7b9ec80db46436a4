// The Terraform host's blocks: which files and blocks it reads, each resource's policy attributes
// and the shapes they take, locals, hostile input, and fixes across the fixtures.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, isWhollyUnknown } from '../../server/src/engine';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { readTerraform } from '../../server/src/hosts/terraform';
import { fixture, ofRule } from './helpers';
import { applyFirstFix, covered, loadGrammarFirst, parser, parsesCleanly, policies, tf, unknownParts } from './terraform-helpers';

loadGrammarFirst();

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
  // The role's name is written (no path): its ARN is known but for the partition and account (IAM identifiers).
  assert.equal(role.value, 'arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/app');
  assert.deepEqual(unknownParts(role.node), [
    { unknown: 'data.aws_partition.current.partition', meaning: 'partition' },
    { unknown: 'data.aws_caller_identity.current.account_id', meaning: 'owner-account' },
  ]);
  // The inline policy names the key by reference.
  const resource = result.models[1].statements[0].resources!.items[0];
  assert.deepEqual(resource.node.parts, [{ unknown: 'aws_kms_key.data.arn', meaning: 'key-arn', resource: 'aws_kms_key.data' }]);
  assert.equal(covered(text, resource), 'aws_kms_key.data.arn');
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

test('without the grammar a .tf text reads as holding no policy', () => {
  const result = checkDocument(fixture('terraform', 'wildcard.tf'), sharedCatalog(), { fileName: 'main.tf' });
  assert.equal(result.isPolicy, false);
  assert.deepEqual(result.findings, []);
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
    const source = readTerraform(text, parser);
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

// IAM User Guide, "IAM and AWS STS quotas": a role's inline policies may have 10,240 characters, a managed policy 6,144.
test("policy-size: aws_iam_role_policy is a role's inline policy (10,240), aws_iam_policy a managed one (6,144)", () => {
  const statements = Array.from({ length: 80 }, (_, i) => `      { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::example-data-bucket-number-${String(i).padStart(4, '0')}/reports/*" },`).join('\n');
  const module = (resource: string) => `resource "${resource}" "p" {\n  ${resource === 'aws_iam_role_policy' ? 'role = "app"\n  ' : ''}policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n${statements}\n    ]\n  })\n}\n`;
  assert.deepEqual(ofRule(tf(module('aws_iam_role_policy')).findings, 'policy-size'), []);
  assert.equal(ofRule(tf(module('aws_iam_policy')).findings, 'policy-size').length, 1);
});

// Terraform, dynamic blocks: a dynamic block "generates a nested block for each element" of its for_each,
// none for an empty one. terraform-aws-modules' policy_statements pattern writes principals this way in identity policies.
test('principal-not-allowed: principals a dynamic block writes only for some inputs are advice, not an error', () => {
  const text = `variable "policy_statements" {
  type    = any
  default = {}
}

data "aws_iam_policy_document" "additional" {
  dynamic "statement" {
    for_each = var.policy_statements
    content {
      actions   = lookup(statement.value, "actions", null)
      resources = lookup(statement.value, "resources", null)
      dynamic "principals" {
        for_each = lookup(statement.value, "principals", [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
    }
  }
}

resource "aws_iam_policy" "additional" {
  policy = data.aws_iam_policy_document.additional.json
}
`;
  const found = ofRule(tf(text).findings, 'principal-not-allowed');
  assert.deepEqual(found.map((f) => [f.severity, covered(text, f).trim()]), [['info', 'content {']]);
  assert.equal(text.slice(0, found[0].start).split('\n').length, 14, 'on the principals block\'s content');
  assert.match(found[0].message, /written only when its dynamic block's for_each is not empty/);
});
