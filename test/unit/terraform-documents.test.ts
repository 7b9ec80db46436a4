// The Terraform host's policy documents: data "aws_iam_policy_document" blocks element by element,
// principals, conditions, dynamic blocks, source and override documents, and fixes in them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isWhollyUnknown } from '../../server/src/engine';
import { fixture, ofRule, where } from './helpers';
import { applyFirstFix, covered, loadGrammarFirst, parsesCleanly, policies, tf } from './terraform-helpers';

loadGrammarFirst();

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

test('fix in a policy document: a missing kms:DescribeKey is added to the actions list, the result parses and re-checks clean', () => {
  const text = fixture('terraform', 'key-and-role.tf');
  const [finding] = ofRule(tf(text).findings, 'missing-describe-key');
  assert.ok(finding);
  const fixed = applyFirstFix(text, finding);
  assert.ok(fixed.includes('      "kms:GenerateDataKey",\n      "kms:DescribeKey",\n    ]'));
  assert.ok(parsesCleanly(fixed));
  assert.deepEqual(ofRule(tf(fixed).findings, 'missing-describe-key'), []);
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

test('aws:SourceArn compared with the account ID Terraform fills in never matches: an account ID is never an ARN (a real module meant aws:SourceAccount)', () => {
  // IAM User Guide, "AWS global condition context keys": aws:SourceArn is the ARN of the resource a service acts for.
  const text = `data "aws_caller_identity" "current" {}

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
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    condition {
      test     = "StringLike"
      variable = "aws:SourceArn"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "topic" {
  policy = data.aws_iam_policy_document.key.json
}
`;
  const [never] = ofRule(tf(text).findings, 'condition-never-matches');
  assert.ok(never, 'reported');
  assert.equal(never.severity, 'warning');
  assert.equal(covered(text, never), 'data.aws_caller_identity.current.account_id');
  // The same key with an ARN the template fills in stays unjudged.
  const arn = text.replace('values   = [data.aws_caller_identity.current.account_id]', 'values   = [aws_sns_topic.alerts.arn]');
  assert.deepEqual(ofRule(tf(arn).findings, 'condition-never-matches'), []);
});

// KMS guide, "Specifying KMS keys in IAM policy statements": GenerateRandom, CreateKey, ListAliases and
// ListKeys use no particular key, so only Resource "*" matches them. A key's ARN the module writes
// (`aws_kms_key.signing.arn`) is never "*", however it is filled in; a variable may be.
test('an action that takes no resource, beside the ARN of the module\'s own key only: the Allow never allows it', () => {
  const module = (resource: string) => [
    'resource "aws_kms_key" "signing" {}',
    'data "aws_iam_policy_document" "fn" {',
    '  statement {',
    '    actions   = ["kms:GenerateRandom", "kms:Decrypt"]',
    `    resources = [${resource}]`,
    '  }',
    '}',
    '',
  ].join('\n');
  const text = module('aws_kms_key.signing.arn');
  const found = ofRule(tf(text).findings, 'action-takes-no-resource');
  assert.deepEqual(found.map((f) => [f.severity, covered(text, f)]), [['warning', '"kms:GenerateRandom"']]);
  assert.deepEqual(ofRule(tf(module('var.key_arn')).findings, 'action-takes-no-resource'), []);
  assert.deepEqual(ofRule(tf(module('"*"')).findings, 'action-takes-no-resource'), []);
});
