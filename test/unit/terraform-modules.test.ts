// Registry modules whose inputs are a key policy: terraform-aws-modules/kms. What the module's
// main.tf (v1 to v4, `data "aws_iam_policy_document" "this"`) writes for each input is the policy
// checked; findings land on what the user wrote.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits } from '../../server/src/engine';
import { runExplain } from '../../server/src/cli/explain';
import { conditionsSpelling } from '../../server/src/hosts/terraform/modules';
import { ofRule } from './helpers';
import { covered, loadGrammarFirst, tf } from './terraform-helpers';

loadGrammarFirst();

const MODULE = `module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  version = "~> 4.0"

  description        = "shared data key"
  key_administrators = ["arn:aws:iam::111122223333:role/admin"]
  key_users          = ["arn:aws:iam::111122223333:role/app", "arn:aws:iam::444455556666:role/reader"]
  key_service_users  = ["arn:aws:iam::111122223333:role/ec2"]

  key_statements = [
    {
      sid       = "CloudWatchLogs"
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      resources = ["*"]
      principals = [{ type = "Service", identifiers = ["logs.eu-west-1.amazonaws.com"] }]
      condition = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:aws:logs:eu-west-1:111122223333:log-group:*"]
      }]
    }
  ]
}
`;

function statementsOf(text: string) {
  const result = tf(text);
  assert.equal(result.models.length, 1, 'one key policy');
  const model = result.models[0];
  return { result, model, sids: model.statements.map((s) => s.sid?.value) };
}

test('a terraform-aws-modules/kms block is the key policy its inputs make: the default statement, one per principal list, then key_statements', () => {
  const { result, model, sids } = statementsOf(MODULE);
  assert.equal(model.kind, 'key-policy');
  assert.equal(model.address, 'module.kms');
  assert.equal(result.source!.policies[0].resource, 'module.kms');
  assert.deepEqual(sids, ['Default', 'KeyAdministration', 'KeyUsage', 'KeyServiceUsage', 'CloudWatchLogs']);
  // The principals are the user's lists, where they wrote them.
  const usage = model.statements[2];
  assert.deepEqual(usage.principals!.entries[0].items.map((i) => covered(MODULE, i)), ['"arn:aws:iam::111122223333:role/app"', '"arn:aws:iam::444455556666:role/reader"']);
  assert.deepEqual(usage.actions!.items.map((i) => i.value), ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
  // The service users' grant statement carries the module's condition.
  assert.deepEqual(model.statements[3].conditions.map((c) => [c.operator, c.key, c.values.map((v) => v.value)]), [['Bool', 'kms:GrantIsForAWSResource', ['true']]]);
  // Its own statement's condition, in the v3+ spelling.
  assert.deepEqual(model.statements[4].conditions.map((c) => [c.operator, c.key]), [['ArnLike', 'kms:EncryptionContext:aws:logs:arn']]);
  // AWS's documented statements as the module writes them: nothing to report.
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId), []);
});

test('a wildcard principal in key_statements is reported on the "*" the user wrote, and a misspelt action gets its fix in HCL', () => {
  const text = MODULE.replace(
    '  key_statements = [\n',
    '  key_statements = [\n    {\n      sid        = "Everyone"\n      actions    = ["kms:Decrpyt"]\n      resources  = ["*"]\n      principals = [{ type = "AWS", identifiers = ["*"] }]\n    },\n',
  );
  const { result } = statementsOf(text);
  const wildcard = ofRule(result.findings, 'wildcard-principal');
  assert.equal(wildcard.length, 1);
  assert.equal(covered(text, wildcard[0]), '"*"');
  const unknown = ofRule(result.findings, 'action-unknown');
  assert.equal(unknown.length, 1);
  assert.equal(covered(text, unknown[0]), '"kms:Decrpyt"');
  const fix = unknown[0].fixes?.[0];
  assert.ok(fix, 'a fix for the misspelt action');
  assert.ok(applyEdits(text, fix.edits).includes('actions    = ["kms:Decrypt"]'));
});

test('the conditions are read under the name the module version reads; the other name is dropped by Terraform, and said so with a fix', () => {
  // Up to v3.1.1 the module reads `conditions`; v4 types key_statements and reads `condition`.
  const v3 = MODULE.replace('version = "~> 4.0"', 'version = "~> 3.0"').replace('      condition = [{', '      conditions = [{');
  assert.deepEqual(statementsOf(v3).model.statements[4].conditions.map((c) => c.key), ['kms:EncryptionContext:aws:logs:arn']);
  assert.deepEqual(statementsOf(v3).result.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId), []);

  const v4 = MODULE.replace('      condition = [{', '      conditions = [{');
  const { model, result } = statementsOf(v4);
  assert.deepEqual(model.statements[4].conditions, [], 'deployed without its condition');
  const dropped = ofRule(result.findings, 'unknown-element');
  assert.equal(dropped.length, 1);
  assert.equal(covered(v4, dropped[0]), 'conditions');
  assert.match(dropped[0].message, /reads a statement's conditions from "condition", not "conditions"/);
  assert.equal(applyEdits(v4, dropped[0].fixes![0].edits), MODULE);
  // Checked as deployed: the logs service may use the key for any log group.
  assert.ok(ofRule(result.findings, 'service-principal-unscoped').length > 0, result.findings.map((f) => f.ruleId).join());

  // No version: Terraform installs the latest, which reads `condition`. A v3 tag in a git source reads `conditions`.
  assert.equal(ofRule(tf(v4.replace('  version = "~> 4.0"\n', '')).findings, 'unknown-element').length, 1);
  const git = v3.replace('source  = "terraform-aws-modules/kms/aws"', 'source  = "git::https://github.com/terraform-aws-modules/terraform-aws-kms.git?ref=v3.1.1"').replace('  version = "~> 3.0"\n', '');
  assert.deepEqual(statementsOf(git).model.statements[4].conditions.map((c) => c.key), ['kms:EncryptionContext:aws:logs:arn']);
  // A commit ref: the version is not known here, and either name is read.
  const commit = git.replace('?ref=v3.1.1', '?ref=0123456789abcdef0123456789abcdef01234567');
  assert.equal(statementsOf(commit).model.statements[4].conditions.length, 1);
  assert.equal(statementsOf(commit.replace('conditions = [{', 'condition = [{')).model.statements[4].conditions.length, 1);
});

test('version constraints: the newest release each allows decides', () => {
  const spelling = (version: string | undefined, source = 'terraform-aws-modules/kms/aws') => conditionsSpelling(version, source)?.name;
  assert.equal(spelling('~> 3.0'), 'conditions');
  assert.equal(spelling('3.1.1'), 'conditions');
  assert.equal(spelling('>= 2.0, < 4.0.0'), 'conditions');
  assert.equal(spelling('~> 1.5'), 'conditions');
  assert.equal(spelling('~> 4.0'), 'condition');
  assert.equal(spelling('>= 3.0'), 'condition');
  assert.equal(spelling(undefined), 'condition');
  assert.equal(spelling('~> 4'), 'condition');
  assert.equal(spelling('latest please'), undefined);
});

test('enable_default_policy = false leaves out the root statement: a key only key_users can use has nobody to manage it', () => {
  const text = `module "kms" {
  source                = "terraform-aws-modules/kms/aws"
  enable_default_policy = false
  key_users             = ["arn:aws:iam::111122223333:role/app"]
}
`;
  const { result, sids } = statementsOf(text);
  assert.deepEqual(sids, ['KeyUsage']);
  const lockout = ofRule(result.findings, 'lockout-risk');
  assert.equal(lockout.length, 1, result.findings.map((f) => f.ruleId).join());
});

test('an administrator of another account named in key_administrators is reported on that input', () => {
  const text = `module "kms" {
  source             = "git::https://github.com/terraform-aws-modules/terraform-aws-kms.git?ref=v4.1.0"
  key_administrators = ["arn:aws:iam::444455556666:role/admin"]
  key_owners         = []
}
locals { account = "111122223333" }
`;
  const { result, sids } = statementsOf(text);
  assert.deepEqual(sids, ['Default', 'KeyAdministration'], 'an empty list writes no statement');
  const admin = ofRule(result.findings, 'cross-account-admin');
  assert.equal(admin.length, 1);
  assert.equal(covered(text, admin[0]), 'key_administrators');
});

test('lists only Terraform knows give statements that exist only if the list is not empty; merged documents are statements nobody can read here', () => {
  const text = `module "kms" {
  source                  = "terraform-aws-modules/kms/aws"
  enable_default_policy   = var.enable_default_policy
  key_users               = var.key_users
  source_policy_documents = [data.aws_iam_policy_document.extra.json]
}
`;
  const { model } = statementsOf(text);
  assert.deepEqual(model.statements.map((s) => (s.node as { onlyIf?: string }).onlyIf), ['enable_default_policy is true', 'key_users is not empty']);
  // The merged documents: a statement element only Terraform can read.
  assert.equal(model.statementElement?.value.children?.length, 3);
});

test('a policy input replaces the generated policy; create = false and local sources are not read', () => {
  const given = `module "kms" {
  source    = "terraform-aws-modules/kms/aws"
  key_users = ["arn:aws:iam::111122223333:role/app"]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" }]
  })
}
`;
  const { model } = statementsOf(given);
  assert.equal(model.address, 'module.kms.policy');
  assert.deepEqual(model.statements.map((s) => s.sid?.value), ['Root']);
  assert.equal(tf(given.replace('source    = "terraform-aws-modules/kms/aws"', 'source = "../.."')).models.length, 0);
  assert.equal(tf(given.replace('  key_users', '  create    = false\n  key_users')).models.length, 0);
  assert.equal(tf(given.replace('terraform-aws-modules/kms/aws', 'terraform-aws-modules/s3-bucket/aws')).models.length, 0);
});

test('explain through a module key: the key policy names the role, and keyshare.json gives the key ARN', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-module-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf'), MODULE);
    const ask = async (principal: string, config: object) => {
      fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify(config));
      const run = await runExplain({ principal, action: 'kms:Decrypt', key: 'main.tf#module.kms', policies: [], context: {}, paths: [], cwd: dir });
      if (!run.ok) throw new Error(run.message);
      return { verdict: run.answer.verdict, depends: run.answer.depends, sids: run.answer.because.map((b) => b.sid) };
    };
    // The module's key lives in the account Terraform deploys to: unknown here, so the role of that account may or may not need IAM too.
    const unknown = await ask('arn:aws:iam::111122223333:role/app', {});
    assert.equal(unknown.verdict, 'depends');
    assert.match(unknown.depends.join('\n'), /the key's account/);
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const declared = await ask('arn:aws:iam::111122223333:role/app', { keys: [{ arn, policy: 'main.tf#module.kms' }] });
    assert.equal(declared.verdict, 'allowed', declared.depends.join('\n'));
    assert.deepEqual(declared.sids, ['KeyUsage']);
    // A role of the other account the key policy names needs its own IAM policy too.
    const reader = await ask('arn:aws:iam::444455556666:role/reader', { keys: [{ arn, policy: 'main.tf#module.kms' }] });
    assert.equal(reader.verdict, 'depends');
    assert.match(reader.depends.join('\n'), /identity policies of arn:aws:iam::444455556666:role\/reader/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the module\'s grants input: each grant is an access path of its key for explain, and one AWS would reject is reported and never counted', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-module-grants-'));
  const text = (operations: string) => `module "kms" {
  source             = "terraform-aws-modules/kms/aws"
  key_administrators = ["arn:aws:iam::111122223333:role/admin"]
  grants = {
    lambda = {
      grantee_principal = "arn:aws:iam::111122223333:role/lambda"
      operations        = [${operations}]
      constraints = [{
        encryption_context_equals = { Department = "Finance" }
      }]
    }
  }
}
`;
  const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const ask = async (department: string) => {
    const run = await runExplain({ principal: 'arn:aws:iam::111122223333:role/lambda', action: 'kms:Decrypt', key: 'main.tf#module.kms', policies: [], context: { 'kms:EncryptionContext:Department': department }, paths: [], cwd: dir });
    if (!run.ok) throw new Error(run.message);
    return run.answer;
  };
  try {
    fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify({ keys: [{ arn, policy: 'main.tf#module.kms' }] }));
    fs.writeFileSync(path.join(dir, 'main.tf'), text('"Encrypt", "Decrypt"'));
    const met = await ask('Finance');
    assert.equal(met.verdict, 'allowed');
    assert.deepEqual(met.because.map((c) => c.policy), ['module.kms.grants.lambda']);
    // KMS API, GrantConstraints: EncryptionContextEquals needs the same pairs; another value does not meet it.
    assert.notEqual((await ask('Sales')).verdict, 'allowed');
    // An operation a grant cannot allow: CreateGrant fails, so the grant does not exist.
    const rejected = text('"Encrypt", "Decrpyt"');
    const [invalid] = ofRule(tf(rejected).findings, 'grant-operation-invalid');
    assert.equal(covered(rejected, invalid), '"Decrpyt"');
    fs.writeFileSync(path.join(dir, 'main.tf'), rejected);
    assert.notEqual((await ask('Finance')).verdict, 'allowed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a document the module merges in (source_policy_documents) is checked as statements of its key policy: no whole-policy advice on it alone', () => {
  const text = `data "aws_iam_policy_document" "extra" {
  statement {
    sid     = "Readers"
    actions = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

module "kms" {
  source                  = "terraform-aws-modules/kms/aws"
  key_owners              = ["arn:aws:iam::111122223333:role/owner"]
  source_policy_documents = [data.aws_iam_policy_document.extra.json]
}
`;
  const result = tf(text);
  const rules = result.findings.map((f) => f.ruleId);
  assert.ok(!rules.includes('lockout-risk'), rules.join());
  const [wildcard] = ofRule(result.findings, 'wildcard-principal');
  assert.equal(covered(text, wildcard), '"*"');
  const extra = result.models.find((m) => m.address === 'data.aws_iam_policy_document.extra');
  assert.equal(extra?.kind, 'key-policy');
  assert.equal(extra?.fragment, true);
});

test('the module\'s outputs: key_arn is its key, key_id a key ID, aliases["x"].arn an alias ARN', () => {
  const text = (resource: string) => `module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  aliases = ["data"]
}

resource "aws_iam_role_policy" "app" {
  role = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["kms:Decrypt"], Resource = ${resource} }]
  })
}
`;
  const errors = (resource: string) => tf(text(resource)).findings.filter((f) => f.severity === 'error').map((f) => f.ruleId);
  assert.deepEqual(errors('module.kms.key_arn'), []);
  assert.deepEqual(errors('module.kms.key_id'), ['arn-invalid']);
  assert.deepEqual(errors('module.kms.aliases["data"].arn'), ['alias-arn-as-resource']);
  assert.deepEqual(errors('module.kms.aliases["data"].target_key_arn'), []);
});

test('explain names an instance of a module under for_each (module.kms["a"]): the instances share the configuration read', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-module-each-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf'), MODULE.replace('module "kms" {\n', 'module "kms" {\n  for_each = toset(["a", "b"])\n'));
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify({ keys: [{ arn, policy: 'main.tf#module.kms' }] }));
    for (const key of ['main.tf#module.kms', 'main.tf#module.kms["a"]']) {
      const run = await runExplain({ principal: 'arn:aws:iam::111122223333:role/app', action: 'kms:Decrypt', key, policies: [], context: {}, paths: [], cwd: dir });
      assert.ok(run.ok, run.ok ? '' : run.message);
      assert.deepEqual(run.answer.because.map((c) => c.sid), ['KeyUsage'], key);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// terraform-aws-modules/iam (modules/iam-policy: `policy`), s3-bucket (`policy` with attach_policy) and
// lambda (`policy_json` with attach_policy_json): the policy is the user's input, read where it is written.
test('registry modules that take a policy as an input: the policy is read and checked in the module block', () => {
  const text = `module "reader_policy" {
  source = "terraform-aws-modules/iam/aws//modules/iam-policy"
  name   = "reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "arn:aws:kms:us-east-1:111122223333:alias/data" }]
  })
}

module "bucket" {
  source        = "github.com/terraform-aws-modules/terraform-aws-s3-bucket?ref=v4.1.0"
  bucket        = "data"
  attach_policy = true
  policy        = data.aws_iam_policy_document.bucket.json
}

data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

module "fn" {
  source             = "terraform-aws-modules/lambda/aws"
  function_name      = "fn"
  attach_policy_json = false
  policy_json        = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "*" }] })
}
`;
  const result = tf(text);
  assert.deepEqual(result.models.map((m) => [m.address, m.kind]), [
    ['module.reader_policy.policy', 'identity-policy'],
    ['data.aws_iam_policy_document.bucket', 'resource-policy'],
  ], 'the Lambda policy is not attached (attach_policy_json = false)');
  const alias = ofRule(result.findings, 'alias-arn-as-resource');
  assert.equal(alias.length, 1);
  assert.equal(covered(text, alias[0]), '"arn:aws:kms:us-east-1:111122223333:alias/data"');
});

test('a policy document given to a module this host does not read is a fragment: the module may add the root statement', () => {
  const text = `module "kms" {
  source               = "git::https://example.com/modules/kms.git"
  key_policy_documents = [data.aws_iam_policy_document.kms.json]
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "AllowLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
  }
  statement {
    sid       = "Partner"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
  }
}
`;
  const result = tf(text);
  assert.equal(result.models.length, 1);
  assert.equal(result.models[0].fragment, true);
  assert.deepEqual(ofRule(result.findings, 'lockout-risk'), [], 'the module may hold the key administrators');
  assert.equal(ofRule(result.findings, 'service-principal-unscoped').length, 1, 'its statements are still checked');
});
