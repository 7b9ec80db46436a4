// The Terraform plan host: the JSON of `terraform show -json plan.out` (and of a state), read by
// content. Which policies are found (kind, address, resource), each once; findings inside the
// JSON strings that hold the policies land on the exact characters of plan.json; unknown values
// give no policy; JSON that is no plan is left to the JSON host.
//
// The fixtures in test/fixtures/tfplan/ follow HashiCorp's documented output format, "JSON Output
// Format" (https://developer.hashicorp.com/terraform/internals/json-format): the plan
// representation (format_version, terraform_version, planned_values, resource_changes with
// address, module_address, mode, type, name, index and change.{actions, before, after,
// after_unknown, after_sensitive}, prior_state, configuration with module_calls), the values
// representation (root_module.resources[] with address, mode, type, name, index, provider_name,
// schema_version, values, sensitive_values; child_modules[] with address) and the state
// representation (values). Attribute names are the AWS provider's (aws_kms_key, aws_iam_policy,
// aws_iam_role with inline_policy, aws_iam_role_policy, aws_kms_key_policy, aws_sqs_queue_policy);
// policy strings are written as jsonencode() writes them (compact, keys sorted) and as
// data "aws_iam_policy_document" renders .json (indented). plan.json is pretty-printed as jq
// prints it; the other fixtures are compact, as Terraform writes them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkPolicies, type Finding, type PolicySource } from '../../server/src/engine';
import { terraformPlanHost } from '../../server/src/hosts/tfplan/host';
import { covered, fixture, ofRule } from './helpers';

function read(text: string): PolicySource | undefined {
  return terraformPlanHost.read(text, { fileName: 'plan.json' });
}

function check(text: string) {
  const source = read(text);
  assert.ok(source, 'read as a plan');
  const result = checkPolicies(source, sharedCatalog(), { fileName: 'plan.json' });
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `${f.ruleId} range ${f.start}-${f.end} outside 0-${text.length}`);
    for (const r of f.related ?? []) assert.ok(r.start >= 0 && r.end >= r.start && r.end <= text.length, `${f.ruleId} related range outside`);
    // A plan is Terraform's output: no fix edits it.
    assert.equal(f.fixes, undefined, `${f.ruleId} offers a fix on a plan`);
  }
  for (const model of result.models) assert.ok(model.root.offset >= 0 && model.root.offset + model.root.length <= text.length);
  return result;
}

/** [address, kind the host gave, kind of the model, resource] of every policy found. */
function found(result: ReturnType<typeof check>): [string | undefined, string | undefined, string, string | undefined][] {
  return result.source!.policies.map((p, i) => [p.address, p.kind, result.models[i].kind, p.resource]);
}

const problems = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

/** The only offset of `needle` in `text`. */
function only(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the text`);
  assert.equal(text.indexOf(needle, at + 1), -1, `${needle} is in the text twice`);
  return at;
}

test('a plan: key policies, the IAM policy, the trust policy and the inline policy, with their kinds and addresses', () => {
  const result = check(fixture('tfplan', 'plan.json'));
  assert.equal(result.source!.host as string, 'terraform-plan');
  assert.deepEqual(found(result), [
    ['aws_iam_policy.app', 'identity-policy', 'identity-policy', 'aws_iam_policy.app'],
    ['aws_iam_role.app', 'trust-policy', 'trust-policy', 'aws_iam_role.app'],
    ['aws_iam_role.app.inline_policy["logs"]', 'identity-policy', 'identity-policy', 'aws_iam_role.app'],
    ['aws_kms_key.data', 'key-policy', 'key-policy', 'aws_kms_key.data'],
    ['module.kms.aws_kms_key.this[0]', 'key-policy', 'key-policy', 'module.kms.aws_kms_key.this[0]'],
  ]);
  for (const policy of result.source!.policies) assert.equal(policy.kindSource, 'host');
  // The data source's rendered .json in prior_state is not the plan's policy: only the resource that uses it.
  assert.equal(result.models[0].statements.length, 1);
  assert.equal(result.models[3].statements.length, 2);
});

test('a clean plan has no warnings or errors', () => {
  const result = check(fixture('tfplan', 'plan.json'));
  assert.deepEqual(problems(result.findings), []);
  assert.equal(result.isPolicy, true);
});

test('a resource in both planned_values and resource_changes is read once, from planned_values', () => {
  const text = fixture('tfplan', 'plan.json');
  const result = check(text);
  assert.equal(result.models.length, 5);
  // Every policy's tree lies in planned_values, before resource_changes.
  const changesAt = only(text, '"resource_changes"');
  for (const model of result.models) assert.ok(model.root.offset < changesAt, `${model.address} read from resource_changes`);

  // Without planned_values, the same policies come from resource_changes[].change.after, once each.
  const plan = JSON.parse(text);
  delete plan.planned_values;
  const changesOnly = JSON.stringify(plan);
  const fromChanges = check(changesOnly);
  assert.deepEqual(found(fromChanges), found(result));
  assert.deepEqual(problems(fromChanges.findings), []);
});

test('a misspelt action inside a policy string is reported once, on exactly its escaped text in plan.json', () => {
  const text = fixture('tfplan', 'plan-compact-typo.json');
  const result = check(text);
  // The module's key is in planned_values and in resource_changes: one policy, one finding.
  assert.deepEqual(found(result), [['module.kms.aws_kms_key.this[0]', 'key-policy', 'key-policy', 'module.kms.aws_kms_key.this[0]']]);
  const unknown = ofRule(result.findings, 'action-unknown');
  assert.equal(unknown.length, 1, JSON.stringify(result.findings));
  const needle = '\\"kms:Decrpyt\\"';
  const inPlannedValues = text.indexOf(needle);
  assert.ok(inPlannedValues >= 0 && inPlannedValues < text.indexOf('"resource_changes"'));
  assert.deepEqual([unknown[0].start, unknown[0].end], [inPlannedValues, inPlannedValues + needle.length]);
  assert.equal(covered(text, unknown[0]), needle);
  // The statement's span is its escaped text, from its { to its }.
  const statement = result.models[0].statements[1];
  assert.ok(covered(text, statement.span).startsWith('{\\"Action\\":[\\"kms:Decrpyt\\"'), covered(text, statement.span));
  assert.ok(covered(text, statement.span).endsWith('\\"Sid\\":\\"AllowAppUse\\"}'), covered(text, statement.span));
});

test('a module-expanded resource keeps its full address (module, type, name, index)', () => {
  const plan = JSON.parse(fixture('tfplan', 'plan.json'));
  // Resources given without `address` (the format makes it opaque, but names its parts): built from module, type, name and index.
  const child = plan.planned_values.root_module.child_modules[0];
  child.address = 'module.kms["eu"]';
  delete child.resources[0].address;
  child.resources[0].index = 'primary';
  delete plan.resource_changes;
  const result = check(JSON.stringify(plan, null, 2));
  assert.deepEqual(found(result).map(([address]) => address).slice(-1), ['module.kms["eu"].aws_kms_key.this["primary"]']);
});

test('a policy not known until apply gives no policy and no finding', () => {
  const text = fixture('tfplan', 'plan-compact-typo.json');
  const result = check(text);
  assert.ok(!result.source!.policies.some((p) => p.address?.startsWith('aws_iam_role_policy')));
  assert.deepEqual(
    result.findings.filter((f) => f.ruleId !== 'action-unknown' && (f.severity === 'error' || f.severity === 'warning')),
    [],
  );
  // Even if the value were spelled in `after`, `after_unknown` says it is not known: it is not read.
  const plan = JSON.parse(text);
  delete plan.planned_values;
  plan.resource_changes[0].change.after.policy = '';
  assert.equal(check(JSON.stringify(plan)).source!.policies.length, 1);
});

test('a plan of another format_version (Terraform 0.12, "0.1") is read; a policy string cut short gets json-syntax findings inside that string', () => {
  const text = fixture('tfplan', 'plan-0.12-broken-policy.json');
  const result = check(text);
  assert.deepEqual(result.source!.policies, []);
  assert.equal(result.isPolicy, true);
  const syntax = ofRule(result.findings, 'json-syntax');
  assert.ok(syntax.length >= 1, JSON.stringify(result.findings));
  // The policy string of planned_values (the first of the two that spell it): the finding is inside its quotes.
  const value = text.indexOf('"policy":"{') + '"policy":'.length;
  assert.ok(value < text.indexOf('"resource_changes"'));
  const end = text.indexOf('}"', value) + 2;
  for (const finding of syntax) assert.ok(finding.start > value && finding.end < end + 1, `${finding.start}-${finding.end} outside ${value}-${end}`);
  assert.match(syntax[0].message, /the policy of aws_sqs_queue_policy\.jobs is not valid JSON/);
  // Reported once, though resource_changes spells the same string again.
  assert.equal(syntax.filter((f) => f.severity === 'error').length, 1);

  // Any version is read when the shape fits.
  assert.ok(read(text.replace('"format_version":"0.1"', '"format_version":"2.0"')));
});

test('a policy string that is JSON but no object, or no JSON at all, is reported on that string', () => {
  const plan = JSON.parse(fixture('tfplan', 'plan-0.12-broken-policy.json'));
  plan.planned_values.root_module.resources[0].values.policy = '["sqs:SendMessage"]';
  let text = JSON.stringify(plan);
  let result = check(text);
  const [notObject] = ofRule(result.findings, 'element-type');
  assert.ok(notObject, JSON.stringify(result.findings));
  assert.equal(covered(text, notObject), '[\\"sqs:SendMessage\\"]');

  plan.planned_values.root_module.resources[0].values.policy = 'allow sns to send';
  text = JSON.stringify(plan);
  result = check(text);
  const [syntax] = ofRule(result.findings, 'json-syntax');
  assert.ok(syntax, JSON.stringify(result.findings));
  const at = text.indexOf('allow sns to send');
  assert.ok(syntax.start >= at && syntax.end <= at + 'allow sns to send'.length, `${syntax.start}-${syntax.end}`);
});

test('a state (`terraform show -json` of terraform.tfstate): values.root_module, each policy on the resource that sets it', () => {
  const text = fixture('tfplan', 'state.json');
  const result = check(text);
  // The key mirrors its aws_kms_key_policy and the role its aws_iam_role_policy: reported on the resource that sets them.
  assert.deepEqual(found(result), [
    ['aws_iam_role.ci', 'trust-policy', 'trust-policy', 'aws_iam_role.ci'],
    ['aws_iam_role_policy.deploy', 'identity-policy', 'identity-policy', 'aws_iam_role_policy.deploy'],
    ['aws_kms_key_policy.logs', 'key-policy', 'key-policy', 'aws_kms_key.logs'],
  ]);
  assert.deepEqual(problems(result.findings), []);
});

test('JSON that is no plan or state is not read: the JSON host reads it', () => {
  assert.equal(read(fixture('tfplan', 'terraform-version.json')), undefined);
  // `terraform providers schema -json`: a format_version, no terraform_version.
  assert.equal(read('{"format_version":"1.0","provider_schemas":{}}'), undefined);
  // An empty state: nothing but versions.
  assert.equal(read('{"format_version":"1.0","terraform_version":"1.9.5"}'), undefined);
  // A policy, an AWS CLI answer, a CloudFormation template.
  assert.equal(read(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] })), undefined);
  assert.equal(read('{"Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}", "PolicyName": "default"}'), undefined);
  assert.equal(read('{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}'), undefined);
  // A plan cut short is not parsed as one.
  const plan = fixture('tfplan', 'plan.json');
  assert.equal(read(plan.slice(0, plan.length >> 1)), undefined);
  assert.equal(read(''), undefined);
  assert.equal(read('[]'), undefined);
});

test('a plan saved with a byte order mark is read with the same offsets', () => {
  const text = `\ufeff${fixture('tfplan', 'plan-compact-typo.json')}`;
  const [unknown] = ofRule(check(text).findings, 'action-unknown');
  const needle = '\\"kms:Decrpyt\\"';
  assert.equal(covered(text, unknown), needle);
});

test('the host: claimed by content only, no JSON editing features, no grammar, and its editor refuses every edit', () => {
  assert.equal(terraformPlanHost.id, 'terraform-plan');
  assert.equal(terraformPlanHost.claimsName('plan.json'), false);
  assert.equal(terraformPlanHost.claimsName('main.tf'), false);
  assert.equal(terraformPlanHost.jsonFeatures, false);
  assert.equal(terraformPlanHost.needsGrammar, false);
  const source = read(fixture('tfplan', 'plan-compact-typo.json'))!;
  const root = source.policies[0].root;
  assert.equal(source.editor.canEdit?.(root), false);
  const edit = source.editor.replaceValue(root, {});
  assert.deepEqual([edit.start, edit.end], [root.offset, root.offset + root.length]);
});

/** A compact plan of these resources (values representation, root module only). */
function planOf(resources: { type: string; name: string; values: Record<string, unknown> }[]): string {
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: {
      root_module: {
        resources: resources.map((r) => ({ address: `${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: r.values, sensitive_values: {} })),
      },
    },
  });
}

// Every action to everyone: wildcard-principal judges another service's policy only where it allows KMS actions, and "*" does.
const openPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

// The AWS provider's inline `policy` arguments of aws_s3_bucket, aws_sqs_queue, aws_sns_topic and
// aws_secretsmanager_secret, and aws_organizations_policy's `content` (a service control policy by default).
test('policies of every type the .tf host reads: bucket, queue, topic and secret policy arguments, and a service control policy', () => {
  const scp = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Decrpyt', Resource: '*' }] });
  const tagPolicy = JSON.stringify({ tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' } } } });
  const text = planOf([
    { type: 'aws_sqs_queue', name: 'jobs', values: { name: 'jobs', policy: openPolicy } },
    { type: 'aws_s3_bucket', name: 'logs', values: { bucket: 'logs', policy: openPolicy.replace('sqs:SendMessage', 's3:GetObject') } },
    { type: 'aws_sns_topic', name: 'alerts', values: { name: 'alerts', policy: openPolicy.replace('sqs:SendMessage', 'sns:Publish') } },
    { type: 'aws_secretsmanager_secret', name: 'db', values: { name: 'db', policy: openPolicy.replace('sqs:SendMessage', 'secretsmanager:GetSecretValue') } },
    { type: 'aws_organizations_policy', name: 'guard', values: { name: 'guard', type: 'SERVICE_CONTROL_POLICY', content: scp } },
    { type: 'aws_organizations_policy', name: 'tags', values: { name: 'tags', type: 'TAG_POLICY', content: tagPolicy } },
  ]);
  const result = check(text);
  assert.deepEqual(
    found(result).map(([address, kind]) => [address, kind]),
    [
      ['aws_sqs_queue.jobs', 'resource-policy'],
      ['aws_s3_bucket.logs', 'resource-policy'],
      ['aws_sns_topic.alerts', 'resource-policy'],
      ['aws_secretsmanager_secret.db', 'resource-policy'],
      ['aws_organizations_policy.guard', 'scp'],
    ],
  );
  assert.equal(ofRule(result.findings, 'wildcard-principal').length, 4);
  assert.equal(ofRule(result.findings, 'action-unknown').length, 1);
});

// In a state (and a plan's prior values), the provider reads a bucket's policy back into the
// bucket: the policy set by aws_s3_bucket_policy is reported once, on the resource that sets it.
test('a bucket policy mirrored into its bucket is reported once, on aws_s3_bucket_policy', () => {
  const text = planOf([
    { type: 'aws_s3_bucket', name: 'logs', values: { bucket: 'logs-123', id: 'logs-123', policy: openPolicy } },
    { type: 'aws_s3_bucket_policy', name: 'logs', values: { bucket: 'logs-123', id: 'logs-123', policy: openPolicy } },
    { type: 'aws_sqs_queue', name: 'jobs', values: { url: 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs', policy: openPolicy } },
    { type: 'aws_sqs_queue_policy', name: 'jobs', values: { queue_url: 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs', policy: openPolicy } },
  ]);
  const result = check(text);
  assert.deepEqual(found(result).map(([address]) => address), ['aws_s3_bucket_policy.logs', 'aws_sqs_queue_policy.jobs']);
});

// HashiCorp, "JSON Output Format": a new major format_version is not backward-compatible; "Reject any input which
// reports an unsupported major version". Formats 0.x (Terraform 0.12 to 1.0) and 1.x are read.
test('a plan of an unknown format major version is reported at its format_version, not read; 0.x and 1.x are read', () => {
  const plan = planOf([{ type: 'aws_kms_key', name: 'data', values: { policy: openPolicy } }]);
  const future = plan.replace('"format_version":"1.2"', '"format_version":"2.0"');
  const result = check(future);
  assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity, covered(future, f)]), [['plan-format-version', 'error', '"2.0"']]);
  assert.equal(read(future)!.policies.length, 0);
  assert.equal(read(plan.replace('"format_version":"1.2"', '"format_version":"0.2"'))!.policies.length, 1);
  assert.equal(read(plan)!.policies.length, 1);
});
