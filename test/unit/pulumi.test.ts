// Pulumi YAML (`Pulumi.yaml`): the AWS provider's resources that hold policies, with the policy
// written as `fn::toJSON`, a JSON string or a mapping (Pulumi's YAML reference, "Built-in functions").
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { applyEdits } from '../../server/src/engine/text';
import { covered } from './helpers';

const PROGRAM = `name: keys
runtime: yaml
resources:
  dataKey:
    type: aws:kms:Key
    properties:
      policy:
        fn::toJSON:
          Version: "2012-10-17"
          Statement:
            - Sid: Root
              Effect: Allow
              Principal:
                AWS: arn:aws:iam::111122223333:root
              Action: kms:*
              Resource: "*"
  appPolicy:
    type: aws:iam:Policy
    properties:
      policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrpyt", "kms:DescribeKey"], "Resource": "\${dataKey.arn}"}]}'
  appRole:
    type: aws:iam:Role
    properties:
      assumeRolePolicy:
        fn::toJSON:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Service: lambda.amazonaws.com }
              Action: sts:AssumeRole
  bucket:
    type: aws:s3:Bucket
`;

test('Pulumi.yaml: each policy property by resource name, with the kind of its resource', () => {
  const source = readDocument(PROGRAM, { fileName: 'infra/Pulumi.yaml' });
  assert.equal(source.host, 'pulumi');
  assert.deepEqual(source.policies.map((p) => `${p.address} ${p.kind}`), ['dataKey policy key-policy', 'appPolicy policy identity-policy', 'appRole assumeRolePolicy trust-policy']);
});

test('Pulumi.yaml: findings on the text as written, in a JSON string too, and its fix edits the string', () => {
  const result = checkDocument(PROGRAM, sharedCatalog(), { fileName: 'Pulumi.yaml' });
  const errors = result.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => `${f.ruleId} ${covered(PROGRAM, f)}`), ['action-unknown "kms:Decrpyt"']);
  const fixed = applyEdits(PROGRAM, errors[0].fixes![0].edits);
  assert.ok(fixed.includes('"Action": ["kms:Decrypt", "kms:DescribeKey"]'), fixed);
  // A YAML file of another name is not a Pulumi program.
  assert.notEqual(readDocument(PROGRAM, { fileName: 'other.yaml' }).host, 'pulumi');
});

// A policy given as a JSON string that is not JSON: Pulumi passes the string to AWS as it is, and AWS rejects it.
// The message says so without naming another tool.
test('a Pulumi policy string that is not valid JSON is a json-syntax error in the string, worded for any template', () => {
  const text = PROGRAM.replace('"Resource": "${dataKey.arn}"}]}', '"Resource": "${dataKey.arn}"]}');
  const syntax = checkDocument(text, sharedCatalog(), { fileName: 'Pulumi.yaml' }).findings.filter((f) => f.ruleId === 'json-syntax');
  assert.equal(syntax.length, 1);
  assert.match(syntax[0].message, /is a string that is not valid JSON: the template passes it on to AWS as it is, and AWS rejects the policy\.$/);
  assert.ok(syntax[0].start > text.indexOf('appPolicy') && syntax[0].end <= text.indexOf('appRole'));
});
