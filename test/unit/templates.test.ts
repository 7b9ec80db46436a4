// Policies as people write them: templates, fragments, trust policies, SCPs and the file's kind.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument } from '../../server/src/hosts';
import type { Finding } from '../../server/src/engine';
import { check, covered, fixture } from './helpers';

function checkFixture(name: string) {
  const text = fixture('templates', name);
  const result = checkDocument(text, sharedCatalog(), { fileName: `policies/${name}` });
  return { text, result, problems: result.findings.filter((f: Finding) => f.severity === 'error' || f.severity === 'warning') };
}

const summary = (text: string, list: Finding[]) => list.map((f) => `${f.ruleId} ${covered(text, f)}`);

test('a templated key policy: placeholders are well formed, and the literal parts around them are still checked', () => {
  const { text, result, problems } = checkFixture('key-policy.json.tpl');
  assert.equal(result.model?.kind, 'key-policy');
  assert.equal(result.model?.ownerAccount, '${account_id}', 'the templated root statement names the owner');
  assert.deepEqual(summary(text, problems), ['principal-invalid "arn:aws:iam::${account_id}:rooot"']);
  assert.match(problems[0].message, /"rooot", which is not a principal/);
});

test('a templated identity policy with Terraform-style placeholders in ARNs gets no error or warning', () => {
  const { text, result, problems } = checkFixture('bucket-access.json.tpl');
  assert.equal(result.model?.kind, 'identity-policy');
  assert.deepEqual(summary(text, problems), []);
});

test('a statement fragment (an array of statements) is checked as statements, without whole-policy rules', () => {
  const { text, result, problems } = checkFixture('statements.json');
  assert.equal(result.isPolicy, true);
  assert.equal(result.model?.fragment, true);
  assert.equal(result.model?.statements.length, 2);
  assert.deepEqual(summary(text, problems), []);
});

test('a single statement on its own (a fragment as blogs show it) is checked as a statement, not as a policy', () => {
  const text = JSON.stringify({ Sid: 'AllowLambda', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 'lambda.us-east-1.amazonaws.com' } } }, null, 2);
  const result = check(text);
  assert.equal(result.model?.fragment, true);
  assert.equal(result.model?.statements.length, 1);
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.ruleId}: ${covered(text, f)}`), []);
  // Its statement is still judged: a misspelled element is reported where it is.
  const misspelled = text.replace('"Condition"', '"Conditions"');
  assert.deepEqual(check(misspelled).findings.filter((f) => f.ruleId === 'unknown-element').map((f) => covered(misspelled, f)), ['"Conditions"']);
});

test('a broken fragment with a comment and a missing comma is reported, never skipped', () => {
  const { text, result } = checkFixture('broken-statement.json');
  assert.equal(result.isPolicy, true);
  const ids = result.findings.map((f) => `${f.ruleId} ${covered(text, f)}`);
  assert.ok(ids.includes('json-strict // allow the app role to decrypt'), ids.join('\n'));
  assert.ok(ids.some((id) => id.startsWith('json-syntax')), ids.join('\n'));
});

test('a role trust policy is a trust policy: no Resource needed, no key-policy rules', () => {
  const { text, result, problems } = checkFixture('lambda-trust.json');
  assert.equal(result.model?.kind, 'trust-policy');
  assert.deepEqual(summary(text, problems), []);
  // Without the subject condition, the trust rules speak: any repository's workflows could assume the role.
  const open = check(text.replace(/,\s*"token\.actions\.githubusercontent\.com:sub": "[^"]*"/, ''));
  assert.deepEqual(open.findings.map((f) => f.ruleId), ['oidc-trust-condition']);
});

test('an SCP named *.scp.json is an SCP: no Principal needed, its wildcard account in ArnNotLike is fine', () => {
  const { text, result, problems } = checkFixture('deny-regions.scp.json');
  assert.equal(result.model?.kind, 'scp');
  assert.equal(result.model?.kindSource, 'file name');
  assert.deepEqual(summary(text, problems), []);
});

test('a stray Principal in an *.iam.json file is that statement\'s finding, not a re-reading of the file', () => {
  const { text, result, problems } = checkFixture('app.iam.json');
  assert.equal(result.model?.kind, 'identity-policy');
  assert.deepEqual(summary(text, problems), ['principal-not-allowed "Principal"']);
  assert.match(problems[0].message, /identity policy/);
  assert.match(problems[0].message, /file name/);
});

test('bucket and queue policies are resource policies and stay clean', () => {
  for (const name of ['bucket-policy.json', 'queue-policy.json']) {
    const { text, result, problems } = checkFixture(name);
    assert.equal(result.model?.kind, 'resource-policy', name);
    assert.deepEqual(summary(text, problems), [], name);
  }
});

test('a documentation placeholder keeps one clear finding: replace it', () => {
  const { text, problems } = checkFixture('doc-placeholder.json');
  assert.deepEqual(summary(text, problems), ['principal-invalid "arn:aws:iam::<account-id>:root"']);
  assert.match(problems[0].message, /placeholder/);
});

test('placeholders in actions: the literal part still has to match an action; a placeholder service could be any', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['${service}:Get*', 'kms:${operation}', 'kms:Decrypt${suffix}', '${actions}'], Resource: '*' },
      { Effect: 'Allow', Action: 'kms:Decrpyt${x}', Resource: '*' },
    ],
  }, null, 2);
  const result = checkDocument(text, sharedCatalog(), { fileName: 'use.json.tpl' });
  assert.deepEqual(summary(text, result.findings), ['action-unknown "kms:Decrpyt${x}"']);
  assert.match(result.findings[0].message, /placeholders read as any text/);
});

test('policy variables are not template placeholders: valid in Resource and Condition, never in Principal', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'PerUser', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/${aws:username}' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    ],
  }, null, 2);
  const problems = checkDocument(text, sharedCatalog(), {}).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(summary(text, problems), ['principal-invalid "arn:aws:iam::111122223333:user/${aws:username}"']);
  assert.match(problems[0].message, /policy variable.*never in Principal/);
});

test('CloudFormation-style placeholders in a JSON policy are well formed', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Pipeline', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::${ToolsAccountId}:role/${PipelineRoleName}', '${ProdAccountId}'] }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    ],
  }, null, 2);
  const result = checkDocument(text, sharedCatalog(), {});
  assert.equal(result.model?.ownerAccount, '${AWS::AccountId}');
  assert.deepEqual(summary(text, result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')), []);
});

test('service and federated principals with placeholders check their literal parts', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${account_id}:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Logs', Effect: 'Allow', Principal: { Service: 'logs.${region}.amazonaws.com' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:${region}:${account_id}:*' } } },
      { Sid: 'Typo', Effect: 'Allow', Principal: { Service: 'logs.${region}.amazonaws.co' }, Action: 'kms:Decrypt', Resource: '*' },
    ],
  }, null, 2);
  const problems = checkDocument(text, sharedCatalog(), { fileName: 'key.json.tpl' }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(summary(text, problems).filter((s) => s.startsWith('principal-invalid')), ['principal-invalid "logs.${region}.amazonaws.co"']);
});

test('a template that spells its own account (${AWS::AccountId}, the caller identity) is the owner, whatever keyshare.json or the path say', () => {
  const text = [
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    "        Version: '2012-10-17'",
    '        Statement:',
    '          - Sid: Enable IAM User Permissions',
    '            Effect: Allow',
    "            Principal: { AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }",
    "            Action: 'kms:*'",
    "            Resource: '*'",
    '  Reader:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    "        Version: '2012-10-17'",
    '        Statement:',
    '          - Effect: Allow',
    '            Action: [s3:GetObject, kms:Decrypt]',
    "            Resource: !Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/s3'",
    '',
  ].join('\n');
  const result = checkDocument(text, sharedCatalog(), { fileName: '444455556666/stack.yaml', account: '444455556666' });
  const problems = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId);
  for (const id of ['lockout-risk', 'cross-account-admin', 'grant-without-aws-resource-condition', 'aws-managed-key-shared']) assert.ok(!problems.includes(id), `${id}: ${problems.join(', ')}`);
});

test('other template languages: {{ var }}, <%= var %> and {% if %} in a policy a tool renders are unknown values, never invalid ones', () => {
  // Jinja / Ansible / Go templates / ERB render the file before AWS sees it.
  const jinja = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:{{ partition }}:iam::{{ account_id }}:root' }, Action: 'kms:*', Resource: '*' }, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:{{ partition }}:iam::{{ account_id }}:role/{{ iam_role_name }}' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }] }, null, 2);
  const found = checkDocument(jinja, sharedCatalog(), { fileName: 'policies/key_policy.json' });
  assert.deepEqual(found.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId), []);
  assert.equal(found.model?.ownerAccount, '${account_id}', 'the templated root statement names the owner');
  // A literal part is still judged: "rooot" is no principal.
  const typo = checkDocument(jinja.replace(':root"', ':rooot"'), sharedCatalog(), { fileName: 'policies/key_policy.json' });
  assert.deepEqual(typo.findings.filter((f) => f.ruleId === 'principal-invalid').map((f) => f.severity), ['error']);
  // Directives outside strings make it a template, read as rendered: an ERB value and a Jinja if.
  const erb = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {% if share %}', '    { "Effect": "Allow", "Principal": { "AWS": <%= principal %> }, "Action": "kms:Decrypt", "Resource": "*" },', '    {% endif %}', '    { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }', '  ]', '}'].join('\n');
  const rendered = checkDocument(erb, sharedCatalog(), { fileName: 'key-policy.json' });
  assert.deepEqual(rendered.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.ruleId}: ${f.message}`), []);
  assert.equal(rendered.models[0].statements.length, 2);
});

// CloudFormation User Guide, Fn::If: the value is one branch or the other, by the condition; the Datadog Forwarder template falls back to "*" this way.
test('a Resource given by !If is read with its literal branches: a "*" branch is kms-resource-wildcard, naming the condition', () => {
  const text = `Conditions:
  UseKeys: !Not [!Equals [!Ref KeyList, ""]]
Parameters:
  KeyList:
    Type: CommaDelimitedList
    Default: ""
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: decrypt
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [kms:Decrypt]
                Resource: !If [UseKeys, !Ref KeyList, "*"]
`;
  const result = checkDocument(text, sharedCatalog(), { fileName: 'template.yaml' });
  const found = result.findings.filter((f) => f.ruleId === 'kms-resource-wildcard');
  assert.deepEqual(found.map((f) => covered(text, f)), ['!If [UseKeys, !Ref KeyList, "*"]']);
  assert.equal(found[0].message, 'kms:Decrypt on "*" (the template\'s choice when condition UseKeys is false) applies to every KMS key this role can reach, in any account that shares one with it. Name the key ARNs, or scope with a condition (kms:ResourceAliases, aws:ResourceTag, kms:ViaService).');
  // Both branches named: nothing to report.
  const named = text.replace('"*"', '!Sub "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab"');
  assert.deepEqual(checkDocument(named, sharedCatalog(), { fileName: 'template.yaml' }).findings.filter((f) => f.ruleId === 'kms-resource-wildcard'), []);
});

// CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS": the key policy must allow logs.<region>.amazonaws.com;
// AWS::Logs::LogGroup KmsKeyId is the key's ARN, and Ref of an AWS::KMS::Key is its ID (pattern of the aws-cloudformation ECS schedule sample).
test('a log group encrypted with a template key: its ID where the ARN belongs, and a key policy without the logs principal, are errors', () => {
  const template = (keyPolicy: string, keyId: string) => `Resources:
  LogsKey:
    Type: AWS::KMS::Key
    Properties:
${keyPolicy}  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      KmsKeyId: ${keyId}
`;
  const rootOnly = `      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root" }
            Action: "kms:*"
            Resource: "*"
`;
  const withLogs = rootOnly + `          - Effect: Allow
            Principal: { Service: !Sub "logs.\${AWS::Region}.amazonaws.com" }
            Action: [kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*]
            Resource: "*"
`;
  const found = (text: string) => checkDocument(text, sharedCatalog(), { fileName: 'template.yaml' }).findings.filter((f) => f.ruleId === 'service-key-unusable');
  const byRef = template(withLogs, '!Ref LogsKey');
  assert.deepEqual(found(byRef).map((f) => [covered(byRef, f), f.message]), [['!Ref LogsKey', "KmsKeyId is !Ref LogsKey, the key's ID; CloudWatch Logs takes the key's ARN here, so the resource is not created. Use !GetAtt LogsKey.Arn."]]);
  const noLogs = template(rootOnly, '!GetAtt LogsKey.Arn');
  assert.deepEqual(found(noLogs).map((f) => f.message), ["No statement of LogsKey's key policy allows CloudWatch Logs (logs.<region>.amazonaws.com), so it cannot use the key and the resource is not created. Add a statement that allows logs.<region>.amazonaws.com to use the key."]);
  assert.deepEqual(found(template(withLogs, '!GetAtt LogsKey.Arn')), []);
  // A key policy the template builds (!If) is not judged.
  assert.deepEqual(found(template('      KeyPolicy: !If [UseCustom, !Ref AWS::NoValue, {}]\n', '!GetAtt LogsKey.Arn')), []);
});

// CDK's synthesized templates carry each resource's construct path as `Metadata: { "aws:cdk:path": ... }`
// (CDK Developer Guide, "Constructs": the path identifies the construct in the tree).
test('a finding in a CDK template names the construct that made the resource', () => {
  const template = JSON.stringify({
    Resources: {
      DataKey4B0E3D5C: {
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }, { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] } },
        Metadata: { 'aws:cdk:path': 'DataStack/DataKey/Resource' },
      },
    },
  }, null, 2);
  const result = checkDocument(template, sharedCatalog(), { fileName: 'cdk.out/DataStack.template.json' });
  assert.deepEqual(result.models.map((m) => m.address), ['DataKey4B0E3D5C KeyPolicy (construct DataStack/DataKey/Resource)']);
  assert.ok(result.findings.some((f) => f.ruleId === 'wildcard-principal'));
});

// Jinja's loop (`{% if not loop.last %}`) and Terraform's template directives (`%{ if }`) write a comma only
// between elements: the rendered JSON has none after the last one, so there is no trailing comma to report.
test('a comma written only under a template condition is the template\'s, not a trailing comma', () => {
  const jinja = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "kms:Decrypt",\n    "Resource": [\n{% for arn in key_arns %}\n      "{{ arn }}"{% if not loop.last %},{% endif %}\n{% endfor %}\n    ]\n  }]\n}\n';
  const jinjaFindings = checkDocument(jinja, sharedCatalog(), { fileName: 'keys.json.j2' }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(summary(jinja, jinjaFindings), []);
  const terraform = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "kms:Decrypt",\n    "Resource": [\n%{ for i, arn in key_arns ~}\n      "${arn}"%{ if i < length(key_arns) - 1 },%{ endif }\n%{ endfor ~}\n    ]\n  }]\n}\n';
  const terraformFindings = checkDocument(terraform, sharedCatalog(), { fileName: 'keys.json.tpl' }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(summary(terraform, terraformFindings), []);
  // A comma that is always there is still a trailing comma.
  const always = jinja.replace('"{{ arn }}"{% if not loop.last %},{% endif %}', '"{{ arn }}",');
  assert.ok(checkDocument(always, sharedCatalog(), { fileName: 'keys.json.j2' }).findings.some((f) => /Trailing comma/.test(f.message)));
});
