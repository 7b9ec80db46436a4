// SAM policy templates that take a KMS key: `KMSDecryptPolicy` and `KMSEncryptPolicy` expand to the
// statement SAM generates (aws/serverless-application-model,
// samtranslator/policy_templates_data/policy_templates.json: the action on
// arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}, keyId = the KeyId
// argument). A KeyId that is an alias name, an alias's Ref or a key's ARN puts something other
// than a key ID into that ARN: it names no key, and the function gets nothing on the key.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument } from '../../server/src/hosts';
import { covered, fixture, ofRule } from './helpers';

const text = fixture('sam', 'kms-policy-templates.yaml');
const result = checkDocument(text, sharedCatalog(), { fileName: 'template.yaml' });

test('each KMS policy template is a policy of the function, addressed by its place in Policies', () => {
  const policies = result.source!.policies.filter((p) => p.resource === 'GoodFn' || p.resource === 'AliasFn');
  assert.deepEqual(
    policies.map((p) => [p.address, p.kind]),
    [
      ['GoodFn Policies[0]', 'identity-policy'],
      ['AliasFn Policies[0]', 'identity-policy'],
      ['AliasFn Policies[1]', 'identity-policy'],
      ['AliasFn Policies[2]', 'identity-policy'],
      ['AliasFn Policies[3]', 'identity-policy'],
    ],
  );
});

test('a KeyId that is no key ID is an error on the KeyId as written; !Ref of the key and a key ID are clean', () => {
  const invalid = ofRule(result.findings, 'arn-invalid');
  assert.deepEqual(invalid.map((f) => covered(text, f)), ['alias/data', '!GetAtt DataKey.Arn', '!Ref DataKeyAlias']);
  assert.match(invalid[1].message, /has !GetAtt DataKey\.Arn where the key ID belongs, and that is the key's ARN/);
  assert.match(invalid[2].message, /that is an alias name/);
  const errors = result.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 3, errors.map((f) => f.message).join('\n'));
});

test('nothing SAM generates is edited: no fix on a finding inside an expanded template', () => {
  const start = text.indexOf('GoodFn:');
  for (const finding of result.findings.filter((f) => f.start > start)) assert.equal(finding.fixes, undefined, `${finding.ruleId}: ${finding.message}`);
});
