// Ansible playbooks and task files: the policy parameters of the AWS collection's modules (the
// amazon.aws collection's module documentation: kms_key `policy`, iam_policy `policy_json`,
// iam_managed_policy `policy`, iam_role `assume_role_policy_document`), with Jinja as unknown values.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { covered } from './helpers';

const TASKS = `- name: Create the data key
  amazon.aws.kms_key:
    alias: data
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: Root
          Effect: Allow
          Principal:
            AWS: "arn:aws:iam::{{ account_id }}:root"
          Action: kms:*
          Resource: "*"
- block:
    - name: App policy
      community.aws.iam_managed_policy:
        policy_name: app
        policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:111122223333:alias/data"}]}'
- name: Read from a file
  iam_policy:
    iam_type: role
    iam_name: app
    policy_name: app
    policy_json: "{{ lookup('file', 'app.json') }}"
- name: Not a policy module
  ansible.builtin.debug:
    msg: hello
`;

test('Ansible tasks: the policy parameter of each module by task name, with its kind; a lookup is left to the file it reads', () => {
  const source = readDocument(TASKS, { fileName: 'roles/keys/tasks/main.yml' });
  assert.equal(source.host, 'ansible');
  assert.deepEqual(source.policies.map((p) => `${p.address} ${p.kind}`), ['task "Create the data key" policy key-policy', 'task "App policy" policy identity-policy']);
});

test('Ansible tasks: Jinja is an unknown value, not a malformed ARN; findings land in JSON strings too', () => {
  const result = checkDocument(TASKS, sharedCatalog(), { fileName: 'tasks/main.yml' });
  const problems = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(problems.map((f) => `${f.ruleId} ${covered(TASKS, f)}`), ['alias-arn-as-resource "arn:aws:kms:us-east-1:111122223333:alias/data"']);
});

test('a YAML file without these modules is not Ansible (CloudFormation and others read it)', () => {
  assert.notEqual(readDocument('- name: hello\n  ansible.builtin.debug:\n    msg: hi\n', { fileName: 'site.yml' }).host, 'ansible');
  assert.equal(readDocument('Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement: []\n', { fileName: 'stack.yml' }).host, 'cloudformation');
});
