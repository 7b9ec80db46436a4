// Terraform's JSON syntax (`*.tf.json`, as CDK for Terraform synthesizes it), read as the `.tf` host
// reads HCL. Written from HashiCorp's "JSON Configuration Syntax" page: resources and data sources are
// nested objects by type and name, `${...}` strings are expressions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { applyEdits } from '../../server/src/engine/text';
import { covered } from './helpers';

const CONFIG = JSON.stringify({
  data: {
    aws_iam_policy_document: {
      key: {
        statement: [
          { sid: 'Root', actions: ['kms:*'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }] },
          { sid: 'Partner', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::444455556666:root'] }], condition: [{ test: 'StringEquals', variable: 'kms:CallerAccount', values: ['444455556666'] }] },
        ],
      },
    },
  },
  resource: {
    aws_kms_key: { data: { description: 'data', policy: '${data.aws_iam_policy_document.key.json}' } },
    aws_iam_policy: {
      app: { name: 'app', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Decrpyt', 'kms:DescribeKey'], Resource: '${aws_kms_key.data.arn}' }] }) },
    },
    aws_kms_grant: { app: { key_id: '${aws_kms_key.data.key_id}', grantee_principal: 'arn:aws:iam::444455556666:role/app', operations: ['Decrypt', 'kms:Encrypt'] } },
  },
}, null, 2);

test('a .tf.json: the policy document a key names is its key policy, a policy string is its resource\'s policy, by address', () => {
  const source = readDocument(CONFIG, { fileName: 'main.tf.json' });
  assert.equal(source.host, 'terraform-json');
  assert.deepEqual(source.policies.map((p) => `${p.address} ${p.kind} ${p.resource}`), ['aws_kms_key.data.policy key-policy aws_kms_key.data', 'aws_iam_policy.app.policy identity-policy aws_iam_policy.app']);
  // The document's statements, with the provider's default Effect, on the JSON's own values.
  const result = checkDocument(CONFIG, sharedCatalog(), { fileName: 'main.tf.json' });
  const key = result.models.find((m) => m.kind === 'key-policy')!;
  assert.deepEqual(key.statements.map((s) => `${s.sid?.value} ${s.effect?.value}`), ['Root Allow', 'Partner Allow']);
  assert.equal(covered(CONFIG, key.statements[1].actions!.items[0]), '"kms:Decrypt"');
  assert.equal(key.statements[1].conditions[0].key, 'kms:CallerAccount');
  // A reference keeps its meaning: the IAM policy's Resource is the key's ARN.
  const iam = result.models.find((m) => m.kind === 'identity-policy')!;
  const resource = iam.statements[0].resources!.items[0].node.parts?.[0];
  assert.ok(resource && 'unknown' in resource && resource.meaning === 'key-arn' && resource.resource === 'aws_kms_key.data');
});

test('a .tf.json: findings on the text as written; a fix edits a policy string, never a mapped document', () => {
  const result = checkDocument(CONFIG, sharedCatalog(), { fileName: 'main.tf.json' });
  const errors = result.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => `${f.ruleId} ${covered(CONFIG, f)}`), ['action-unknown \\"kms:Decrpyt\\"', 'grant-operation-invalid "kms:Encrypt"']);
  const fix = errors[0].fixes?.[0];
  assert.ok(fix, 'the string policy takes the fix');
  const fixed = applyEdits(CONFIG, fix.edits);
  assert.deepEqual(checkDocument(fixed, sharedCatalog(), { fileName: 'main.tf.json' }).findings.filter((f) => f.ruleId === 'action-unknown'), []);
  // In the mapped document, the same mistake is reported and no fix is offered.
  const inDocument = CONFIG.replace('"kms:Decrypt",\n', '"kms:Decrpyt",\n');
  const found = checkDocument(inDocument, sharedCatalog(), { fileName: 'main.tf.json' }).findings.filter((f) => f.ruleId === 'action-unknown' && covered(inDocument, f) === '"kms:Decrpyt"');
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes, undefined);
});

test('a .tf.json grant is read as the .tf host reads it', () => {
  const source = readDocument(CONFIG, { fileName: 'main.tf.json' });
  assert.deepEqual(source.grants?.map((g) => `${g.address} ${g.keyResource} ${g.grantee.value} ${g.operations.map((o) => o.value).join(',')}`), ['aws_kms_grant.app aws_kms_key.data arn:aws:iam::444455556666:role/app Decrypt,kms:Encrypt']);
});

test('JSON that is no Terraform configuration, even named .tf.json, is left to the JSON host', () => {
  assert.equal(readDocument('{"Version":"2012-10-17","Statement":[]}', { fileName: 'odd.tf.json' }).host, 'json');
});

test('a .tf.json principal of type "*" is "Principal": "*", and a null effect is unset (Allow), as the provider renders them', () => {
  const config = JSON.stringify({
    data: { aws_iam_policy_document: { bucket: { statement: [{ sid: 'TlsOnly', effect: 'Deny', actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'], principals: [{ type: '*', identifiers: ['*'] }], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }, { sid: 'Read', effect: null, actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/reader'] }] }] } } },
    resource: { aws_s3_bucket_policy: { b: { bucket: 'b', policy: '${data.aws_iam_policy_document.bucket.json}' } } },
  }, null, 2);
  const result = checkDocument(config, sharedCatalog(), { fileName: 'main.tf.json' });
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.ruleId} ${f.message}`), []);
  assert.deepEqual(result.models[0].statements.map((s) => s.effect?.value), ['Deny', 'Allow']);
});

// Terraform, "JSON Configuration Syntax": "${var.name}" in a string is the variable's value, as in HCL. With
// --var-file values, `.tf.json` reads them as the `.tf` host does, and declares its variable blocks.
test('a .tf.json string that names var.x is the value --var-file gives it; its variables are declared', () => {
  const text = JSON.stringify({
    variable: { partner_account: { type: 'string' } },
    resource: { aws_kms_key: { data: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${var.partner_account}:root' }, Action: 'kms:*', Resource: '*' },
    ] }) } } },
  }, null, 2);
  const given = checkDocument(text, sharedCatalog(), { fileName: 'main.tf.json', variables: { partner_account: '444455556666' } });
  const admin = given.findings.filter((f) => f.ruleId === 'cross-account-admin');
  assert.equal(admin.length, 1);
  assert.match(admin[0].message, /^This grants account 444455556666, outside the key's owner account 111122223333/);
  assert.deepEqual(readDocument(text, { fileName: 'main.tf.json', variables: {} }).declaredInputs, ['partner_account']);
  // Without a value, the account is the variable's: said with "if".
  const open = checkDocument(text, sharedCatalog(), { fileName: 'main.tf.json' }).findings.filter((f) => f.ruleId === 'cross-account-admin');
  assert.match(open[0].message, /^If \$\{var\.partner_account\} is not the key's owner account/);
});
