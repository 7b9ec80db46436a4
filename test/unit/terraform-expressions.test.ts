// The Terraform host's HCL values: jsonencode objects and tuples, concat(), references and
// interpolations as unknown parts with their meaning, and fixes written as HCL.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hclString } from '../../server/src/hosts/terraform/editor';
import { fixture, ofRule } from './helpers';
import { applyFirstFix, covered, loadGrammarFirst, parsesCleanly, policies, tf, unknownParts } from './terraform-helpers';

loadGrammarFirst();

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
  assert.deepEqual(parts[5], [{ unknown: 'var.key_arn', input: 'variable' }]);
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

test('fix in jsonencode: a Condition is added as an HCL object; the result parses and re-checks clean', () => {
  const text = fixture('terraform', 'cross-account.tf');
  const [finding] = ofRule(tf(text).findings, 'grant-without-aws-resource-condition');
  assert.ok(finding);
  const fixed = applyFirstFix(text, finding);
  assert.ok(fixed.includes('Condition = {\n          Bool = {\n            "kms:GrantIsForAWSResource" = "true"\n          }\n        }'));
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(ofRule(tf(fixed).findings, 'grant-without-aws-resource-condition'), []);
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

// KMS API Reference, PutKeyPolicy: without BypassPolicyLockoutSafetyCheck, the policy must let the principal
// setting it call PutKeyPolicy again, and that principal is of the key's own account. So where every
// principal that may call PutKeyPolicy is of one account a variable gives, that account is the owner.
test('an account variable that alone holds kms:PutKeyPolicy is the owner (the lockout safety check): no "if"', () => {
  const module = (root: string) => `data "aws_iam_policy_document" "key" {
  statement {
    sid = "Enable IAM User Permissions"
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${${root}}:root"]
    }
    actions   = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
    resources = ["*"]
  }
  statement {
    sid = "Administrators"
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${var.kms_account_id}:role/key-admin"]
    }
    actions   = ["kms:Create*", "kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"]
    resources = ["*"]
  }
}
`;
  assert.deepEqual(ofRule(tf(module('var.kms_account_id')).findings, 'cross-account-admin'), []);
  // Two accounts hold PutKeyPolicy: either may be the owner, so the other may not.
  const two = ofRule(tf(module('var.other_account_id')).findings, 'cross-account-admin');
  assert.equal(two.length, 2);
  assert.ok(two.every((f) => /^If \$\{var\.(kms|other)_account_id\} is not the key's owner account/.test(f.message)), two.map((f) => f.message).join('\n'));
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

// KMS guide, "Key policies": in a key policy, Resource "*" means this key; any other ARN matches nothing. A data
// source's ARN is another resource's, so a "*" principal there reaches no key: no wildcard-principal on a dead statement.
test('a key policy Resource that is a data source\'s ARN (data.aws_s3_bucket.x.arn) applies to nothing, whoever the principal', () => {
  const text = `data "aws_s3_bucket" "logs" {
  bucket = "logs"
}
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
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["kms:Decrypt"]
    resources = [data.aws_s3_bucket.logs.arn]
  }
}
resource "aws_kms_key" "logs" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  const findings = tf(text).findings;
  assert.deepEqual(ofRule(findings, 'key-policy-resource').map((f) => covered(text, f)), ['data.aws_s3_bucket.logs.arn']);
  assert.deepEqual(ofRule(findings, 'wildcard-principal'), []);
});

// Terraform language, "for Expressions": [for v in list : template] is a list whose elements all take the
// template's shape. Read as that one template, the account it writes is known to rules.
test('a for expression that makes principal ARNs from a template is a list of that template, the iterator unknown', () => {
  const text = `data "aws_iam_policy_document" "key" {
  statement {
    principals {
      type        = "AWS"
      identifiers = [for role in var.admin_roles : "arn:aws:iam::\${var.account_id}:role/\${role}"]
    }
    actions   = ["kms:*"]
    resources = ["*"]
  }
}
`;
  const result = tf(text);
  const principals = result.models[0].statements[0].principals!;
  const items = principals.entries.flatMap((e) => e.items);
  assert.deepEqual(items.map((i) => covered(text, i)), ['"arn:aws:iam::${var.account_id}:role/${role}"']);
  assert.deepEqual(unknownParts(items[0].node).map((p) => ('unknown' in p ? p.unknown : '')), ['var.account_id', 'role']);
  const found = ofRule(result.findings, 'cross-account-admin');
  assert.equal(found.length, 0, 'the one account that holds PutKeyPolicy is the owner');
  // A for expression of anything but a template stays one unknown value.
  const other = tf(text.replace('"arn:aws:iam::${var.account_id}:role/${role}"', 'role.arn'));
  assert.equal(other.models[0].statements[0].principals!.entries.flatMap((e) => e.items).length, 1);
});

// KMS guide, "kms:ViaService": its values are <service>.<region>.amazonaws.com. An account ID where the Region
// belongs never matches, whatever account the module is deployed to; a Region the module fills in may.
test('kms:ViaService with the caller identity\'s account where the Region belongs never matches', () => {
  const module = (endpoint: string) => `data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_iam_policy_document" "key" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
    actions   = ["kms:*"]
    resources = ["*"]
  }
  statement {
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["${endpoint}"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
`;
  const text = module('ec2.${data.aws_caller_identity.current.account_id}.amazonaws.com');
  const found = ofRule(tf(text).findings, 'condition-never-matches');
  assert.deepEqual(found.map((f) => covered(text, f)), ['"ec2.${data.aws_caller_identity.current.account_id}.amazonaws.com"']);
  assert.deepEqual(ofRule(tf(module('ec2.${data.aws_region.current.name}.amazonaws.com')).findings, 'condition-never-matches'), []);
  assert.deepEqual(ofRule(tf(module('ec2.${var.region}.amazonaws.com')).findings, 'condition-never-matches'), []);
});
