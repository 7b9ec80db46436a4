// The CloudFormation host: policies found in YAML and JSON templates (CDK output included),
// intrinsics read as strings with unknown parts, spans in the template text, fixes in YAML.
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { applyEdits, type Finding, type PolicyNode, type ValuePart } from '../../server/src/engine';
import { checkDocument, readDocument } from '../../server/src/hosts';
import { readYamlTree } from '../../server/src/hosts/cloudformation';
import { parseYaml } from '../../server/src/hosts/cloudformation/yamlTree';
import { covered, fixture, ofRule, repoRoot, where } from './helpers';

const DIR = 'cloudformation';

function cfn(text: string, fileName = 'template.yaml') {
  const result = checkDocument(text, sharedCatalog(), { fileName });
  assertSane(text, result.findings);
  return result;
}

function assertSane(text: string, found: Finding[]) {
  for (const f of found) {
    assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `${f.ruleId} range ${f.start}-${f.end} outside 0-${text.length}`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.start >= 0 && e.end >= e.start && e.end <= text.length, `${f.ruleId} fix edit outside the text`);
  }
}

function nodes(root: PolicyNode): PolicyNode[] {
  const all: PolicyNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    all.push(node);
    if (node.children) stack.push(...node.children);
  }
  return all;
}

/** The string nodes of a policy with unknown parts, in text order. */
function partial(root: PolicyNode): PolicyNode[] {
  return nodes(root)
    .filter((n) => n.parts)
    .sort((a, b) => a.offset - b.offset);
}

function yamlErrors(text: string): number {
  return parseYaml(text).doc?.errors.length ?? 1;
}

/** Applies every fix of a rule one at a time, and checks the result parses and no longer has the finding there. */
function assertFixesWork(text: string, fileName: string, ruleId: string, minimum = 1) {
  const before = ofRule(cfn(text, fileName).findings, ruleId);
  const fixes = before.flatMap((f) => (f.fixes ?? []).map((fix) => ({ finding: f, fix })));
  assert.ok(fixes.length >= minimum, `${ruleId}: expected at least ${minimum} fix, got ${fixes.length}`);
  for (const { finding, fix } of fixes) {
    const fixed = applyEdits(text, fix.edits);
    if (fileName.endsWith('.json')) JSON.parse(fixed);
    else assert.equal(yamlErrors(fixed), 0, `${fix.title} gives YAML that does not parse:\n${fixed}`);
    const source = readDocument(fixed, { fileName });
    assert.equal(source.policies.length, readDocument(text, { fileName }).policies.length, `${fix.title} loses a policy`);
    const after = ofRule(cfn(fixed, fileName).findings, ruleId);
    assert.ok(after.length < before.length, `${fix.title} leaves the ${ruleId} finding at ${where(text, finding)}:\n${fixed}`);
  }
}

test('a key and its role in one template: every policy, with its kind and address', () => {
  const text = fixture(DIR, 'key-and-role.yaml');
  const source = readDocument(text, { fileName: 'key-and-role.yaml' });
  assert.equal(source.host, 'cloudformation');
  assert.deepEqual(
    source.policies.map((p) => [p.address, p.kind, p.kindSource]),
    [
      ['DataKey KeyPolicy', 'key-policy', 'host'],
      ['AppRole AssumeRolePolicyDocument', 'trust-policy', 'host'],
      ['AppRole Policies[0]', 'identity-policy', 'host'],
    ],
  );
  const result = cfn(text, 'key-and-role.yaml');
  assert.ok(result.isPolicy);
  assert.deepEqual(result.models.map((m) => m.address), ['DataKey KeyPolicy', 'AppRole AssumeRolePolicyDocument', 'AppRole Policies[0]']);
  const [wildcard] = ofRule(result.findings, 'wildcard-principal');
  assert.equal(covered(text, wildcard), '"*"');
  assert.equal(where(text, wildcard), '27:24-27:27');
  // Offsets are UTF-16, as editors count them: characters outside the BMP before the policy change nothing.
  const wide = text.replace('Description: A data key', 'Description: \u{1F511} Schl\u00fcssel \u{1F511}');
  const [moved] = ofRule(cfn(wide, 'key-and-role.yaml').findings, 'wildcard-principal');
  assert.equal(covered(wide, moved), '"*"');
});

test('the root of each policy is the mapping under its property, with spans in the YAML text', () => {
  const text = fixture(DIR, 'key-and-role.yaml');
  const [key, , identity] = readDocument(text, { fileName: 'a.yaml' }).policies;
  assert.ok(text.slice(key.root.offset).startsWith('Version: "2012-10-17"\n        Statement:'));
  assert.equal(text.slice(key.root.offset, key.root.offset + key.root.length).trimEnd().endsWith('Resource: "*"'), true);
  for (const node of nodes(key.root)) {
    assert.ok(node.offset >= 0 && node.offset + node.length <= text.length);
    if (node.type === 'property') {
      const [name, value] = node.children!;
      assert.equal(text.slice(name.offset, name.offset + name.length), name.value);
      assert.equal(node.offset, name.offset);
      assert.equal(node.offset + node.length, value.offset + value.length);
    }
  }
  const [resource] = partial(identity.root);
  assert.equal(text.slice(resource.offset, resource.offset + resource.length), '!GetAtt DataKey.Arn');
  assert.deepEqual(resource.parts, [{ unknown: '!GetAtt DataKey.Arn', meaning: 'key-arn', resource: 'DataKey' }]);
  assert.equal(resource.value, '${!GetAtt DataKey.Arn}');
});

test('every intrinsic, short and long form, becomes a string with the parts it is known to have', () => {
  const text = fixture(DIR, 'intrinsics.yaml');
  assert.equal(readYamlTree(text).errors, 0, 'the short tags (scalar, sequence and mapping forms) are registered');
  const [policy] = readDocument(text, { fileName: 'intrinsics.yaml' }).policies;
  const principals = nodes(policy.root).find((n) => n.type === 'property' && n.children![0].value === 'AWS')!.children![1];
  const items = principals.children!;
  const spelled = items.map((n) => text.slice(n.offset, n.offset + n.length));
  const parts = items.map((n) => n.parts ?? [{ literal: n.value }]);
  const param = { default: '999988887777', allowedPattern: '\\d{12}' };
  const expected: [string, ValuePart[]][] = [
    ['!Sub "arn:aws:iam::${AWS::AccountId}:root"', [{ literal: 'arn:aws:iam::' }, { unknown: 'AWS::AccountId', meaning: 'owner-account' }, { literal: ':root' }]],
    [
      '!Sub\n                  - "arn:${AWS::Partition}:iam::${Account}:role/${Role}"\n                  - Account: !Ref TrustedAccount\n                    Role: reader',
      [{ literal: 'arn:' }, { unknown: 'AWS::Partition', meaning: 'partition' }, { literal: ':iam::' }, { unknown: '!Ref TrustedAccount', parameter: param, input: 'parameter' }, { literal: ':role/reader' }] as ValuePart[],
    ],
    ['!Ref TrustedAccount', [{ unknown: '!Ref TrustedAccount', parameter: param, input: 'parameter' }] as ValuePart[]],
    ['!GetAtt DataKey.Arn', [{ unknown: '!GetAtt DataKey.Arn', meaning: 'key-arn', resource: 'DataKey' }]],
    ['!GetAtt [DataKey, Arn]', [{ unknown: '!GetAtt DataKey.Arn', meaning: 'key-arn', resource: 'DataKey' }]],
    ['!Join ["", ["arn:aws:iam::", !Ref "AWS::AccountId", ":root"]]', [{ literal: 'arn:aws:iam::' }, { unknown: 'AWS::AccountId', meaning: 'owner-account' }, { literal: ':root' }]],
    // An element that is there or not (the other branch is AWS::NoValue) is read as the element.
    ['"arn:aws:iam::111122223333:root"', [{ literal: 'arn:aws:iam::111122223333:root' }]],
    ['!Select [0, !Split [",", "a,b"]]', [{ unknown: '!Select' }]],
    ['!FindInMap [Accounts, Audit, Id]', [{ unknown: '!FindInMap' }]],
    ['!ImportValue SharedRoleArn', [{ unknown: '!ImportValue SharedRoleArn' }]],
    ['!Base64 "abc"', [{ unknown: '!Base64 abc' }]],
    ['!Select [0, !Cidr ["10.0.0.0/16", 2, 8]]', [{ unknown: '!Select' }]],
    ['!Select [0, !GetAZs ""]', [{ unknown: '!Select' }]],
    [
      '!Sub "${!Literal}-${DataKey.Arn}-${DataKeyAlias}-${DataKey}"',
      [
        { literal: '${Literal}-' },
        { unknown: 'DataKey.Arn', meaning: 'key-arn', resource: 'DataKey' },
        // The alias's Ref is its name, which the template writes (AWS::KMS::Alias, Return values).
        { literal: '-alias/data-' },
        { unknown: 'DataKey', meaning: 'key-id', resource: 'DataKey', keyArn: '!GetAtt DataKey.Arn' },
      ],
    ],
    ['Fn::Sub: "arn:aws:iam::${AWS::AccountId}:root"', [{ literal: 'arn:aws:iam::' }, { unknown: 'AWS::AccountId', meaning: 'owner-account' }, { literal: ':root' }]],
    ['{ "Fn::GetAtt": ["DataKey", "Arn"] }', [{ unknown: 'Fn::GetAtt DataKey.Arn', meaning: 'key-arn', resource: 'DataKey' }]],
    ['Ref: AWS::Region', [{ unknown: 'AWS::Region', meaning: 'region' }]],
  ];
  assert.equal(items.length, expected.length);
  expected.forEach(([source, want], i) => {
    assert.equal(spelled[i], source, `item ${i}: span`);
    assert.deepEqual(parts[i], want, `item ${i}: parts of ${source}`);
    assert.equal(items[i].type, 'string');
  });
  assert.equal(items[0].value, 'arn:aws:iam::${AWS::AccountId}:root');
  assert.equal(items[13].value, '${Literal}-${DataKey.Arn}-alias/data-${DataKey}');
});

test('Fn::Sub with a variables map uses the literal values it gives', () => {
  const text = [
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal:',
    '              AWS: !Sub [ "arn:aws:iam::${Account}:root", { Account: "111122223333" } ]',
    '            Action: kms:*',
    '            Resource: "*"',
  ].join('\n');
  const [policy] = readDocument(text, { fileName: 'k.yaml' }).policies;
  const principal = nodes(policy.root).find((n) => n.type === 'string' && String(n.value).startsWith('arn:'))!;
  assert.equal(principal.value, 'arn:aws:iam::111122223333:root');
  assert.equal(principal.parts, undefined, 'no unknown part is left');
  const result = cfn(text, 'k.yaml');
  assert.equal(result.model!.ownerAccount, '111122223333');
  assert.deepEqual(ofRule(result.findings, 'principal-invalid'), []);
});

test('a cross-account pipeline: key, bucket and role policies, parameters for the account IDs', () => {
  const text = fixture(DIR, 'cross-account-pipeline.yaml');
  const source = readDocument(text, { fileName: 'pipeline.yml' });
  assert.deepEqual(
    source.policies.map((p) => [p.address, p.kind]),
    [
      ['ArtifactKey KeyPolicy', 'key-policy'],
      ['ArtifactBucketPolicy PolicyDocument', 'resource-policy'],
      ['PipelineRole AssumeRolePolicyDocument', 'trust-policy'],
      ['PipelineRole Policies[0]', 'identity-policy'],
    ],
  );
  const [key] = source.policies;
  const grants = partial(key.root).map((n) => n.parts);
  assert.deepEqual(grants[1], [
    { literal: 'arn:' },
    { unknown: 'AWS::Partition', meaning: 'partition' },
    { literal: ':iam::' },
    { unknown: 'TestAccountId', parameter: { allowedPattern: '^\\d{12}$' }, input: 'parameter' },
    { literal: ':root' },
  ]);
  assert.deepEqual(grants[2], [{ literal: 'arn:aws:iam::' }, { unknown: '!Ref ProductionAccountId', parameter: { default: '444455556666', allowedPattern: '^\\d{12}$' }, input: 'parameter' }, { literal: ':root' }]);
  const bucket = source.policies[1];
  const [resource] = partial(bucket.root).filter((n) => String(n.value).endsWith('/*'));
  assert.deepEqual(resource.parts, [{ unknown: 'ArtifactBucket.Arn', meaning: 'resource-arn', resource: 'ArtifactBucket' }, { literal: '/*' }]);
  // A flow sequence in a block mapping: the items are the quoted strings.
  const actions = nodes(bucket.root).find((n) => n.type === 'property' && n.children![0].value === 'Action')!.children![1];
  assert.deepEqual(
    actions.children!.map((n) => text.slice(n.offset, n.offset + n.length)),
    ["'s3:GetObject'", "'s3:GetObjectVersion'"],
  );
  const result = cfn(text, 'pipeline.yml');
  assert.equal(result.models.length, 4);
  assert.deepEqual(ofRule(result.findings, 'wildcard-principal'), []);
});

test('SAM: the inline documents among a function\'s Policies are identity policies; names and policy templates are not', () => {
  const text = fixture(DIR, 'sam-function.yaml');
  const source = readDocument(text, { fileName: 'template.yaml' });
  assert.deepEqual(
    source.policies.map((p) => [p.address, p.kind]),
    [
      ['ReaderFunction Policies[2]', 'identity-policy'],
      ['ReaderFunction Policies[3]', 'identity-policy'],
    ],
  );
  const result = cfn(text);
  const [wildcard] = ofRule(result.findings, 'kms-resource-wildcard');
  assert.equal(covered(text, wildcard), "'*'");
  const [version] = ofRule(result.findings, 'policy-version');
  assert.ok(version, 'the document without Version is reported');
  assertFixesWork(text, 'template.yaml', 'policy-version');
  const fixed = applyEdits(text, version.fixes![0].edits);
  assert.ok(fixed.includes("        - Version: '2012-10-17'\n          Statement:\n"), 'added at the mapping\'s indentation, in the template\'s quotes');
});

test('CDK output: long logical IDs, Fn::Join ARNs and Fn::GetAtt in JSON', () => {
  const text = fixture(DIR, 'cdk.out', 'DataStack.template.json');
  for (const fileName of ['cdk.out/DataStack.template.json', undefined]) {
    const source = readDocument(text, { fileName });
    assert.equal(source.host, 'cloudformation', `read as a template with file name ${fileName}`);
    assert.deepEqual(
      source.policies.map((p) => [p.address, p.kind]),
      [
        ['DataKeyF2A2A6BE KeyPolicy (construct DataStack/DataKey/Resource)', 'key-policy'],
        ['ConsumerRoleServiceRoleDefaultPolicy3A1B2C4DServiceRole1F2E3D4C AssumeRolePolicyDocument', 'trust-policy'],
        ['ConsumerRoleServiceRoleDefaultPolicyB5C6D7E8 PolicyDocument', 'identity-policy'],
      ],
    );
  }
  const source = readDocument(text, { fileName: 'cdk.out/DataStack.template.json' });
  const [root, consumer] = partial(source.policies[0].root);
  assert.equal(root.value, 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
  assert.deepEqual(root.parts, [
    { literal: 'arn:' },
    { unknown: 'AWS::Partition', meaning: 'partition' },
    { literal: ':iam::' },
    { unknown: 'AWS::AccountId', meaning: 'owner-account' },
    { literal: ':root' },
  ]);
  assert.ok(text.slice(root.offset, root.offset + root.length).startsWith('{\n         "Fn::Join"'));
  assert.ok(text.slice(root.offset, root.offset + root.length).endsWith('}'));
  assert.deepEqual(consumer.parts, [{ unknown: 'Fn::GetAtt ConsumerRoleServiceRoleDefaultPolicy3A1B2C4DServiceRole1F2E3D4C.Arn', meaning: 'resource-arn', resource: 'ConsumerRoleServiceRoleDefaultPolicy3A1B2C4DServiceRole1F2E3D4C' }]);
  const [keyArn] = partial(source.policies[2].root);
  assert.deepEqual(keyArn.parts, [{ unknown: 'Fn::GetAtt DataKeyF2A2A6BE.Arn', meaning: 'key-arn', resource: 'DataKeyF2A2A6BE' }]);
  cfn(text, 'cdk.out/DataStack.template.json');
});

test('a plain JSON policy named .json still goes to the JSON host', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });
  assert.equal(readDocument(text, { fileName: 'p.json' }).host, 'json');
  assert.equal(readDocument(text).host, 'json');
  const resources = JSON.stringify({ Resources: { Statement: 1 }, Statement: [] });
  assert.equal(readDocument(resources, { fileName: 'odd.json' }).host, 'json');
  for (const fileName of ['policy.template.json', 'policy.template']) {
    const source = readDocument(text, { fileName });
    assert.equal(source.host, 'json', fileName);
    assert.equal(source.policies.length, 1, fileName);
  }
  const yamlTemplate = fixture(DIR, 'key-and-role.yaml');
  assert.equal(readDocument(yamlTemplate, { fileName: 'stack.template' }).policies.length, 3);
  assert.equal(readDocument(yamlTemplate).policies.length, 3, 'a YAML template is recognized without a file name');
});

test('a KeyPolicy given as a JSON string: spans mapped into the template text (literal block, quoted, JSON escapes)', () => {
  const text = fixture(DIR, 'key-policy-string.yaml');
  const source = readDocument(text, { fileName: 'k.yaml' });
  assert.deepEqual(source.policies.map((p) => p.address), ['LegacyKey KeyPolicy', 'QuotedKey KeyPolicy']);
  const result = cfn(text, 'k.yaml');
  const wildcards = ofRule(result.findings, 'wildcard-principal');
  assert.equal(wildcards.length, 2);
  for (const w of wildcards) assert.equal(covered(text, w), '"*"');
  assert.equal(where(text, wildcards[0]), '13:28-13:31');
  const quotedLine = text.split('\n').findIndex((l) => l.includes("KeyPolicy: '{")) + 1;
  assert.equal(where(text, wildcards[1]).split(':')[0], String(quotedLine));
  const statement = ofRule(result.findings, 'missing-describe-key');
  for (const f of statement) assert.equal(covered(text, f), '"Action"');
  assertFixesWork(text, 'k.yaml', 'missing-describe-key', 2);
  const fixedBlock = applyEdits(text, statement[0].fixes![0].edits);
  assert.ok(fixedBlock.includes('"Action": ["kms:Decrypt", "kms:DescribeKey"],'), fixedBlock);

  const json = fixture(DIR, 'key-policy-string.template.json');
  const jsonResult = cfn(json, 'key.template.json');
  const [w] = ofRule(jsonResult.findings, 'wildcard-principal');
  assert.equal(covered(json, w), '\\"*\\"');
  assertFixesWork(json, 'key.template.json', 'missing-describe-key');
  const fixed = applyEdits(json, ofRule(jsonResult.findings, 'missing-describe-key')[0].fixes![0].edits);
  const policy = JSON.parse(JSON.parse(fixed).Resources.StringKey.Properties.KeyPolicy);
  assert.deepEqual(policy.Statement[0].Action, ['kms:Decrypt', 'kms:DescribeKey']);
});

test('a JSON string that is not valid JSON is reported where it is', () => {
  const text = ['Resources:', '  K:', '    Type: AWS::KMS::Key', '    Properties:', "      KeyPolicy: '{\"Statement\": [}'", ''].join('\n');
  const result = cfn(text);
  const [syntax] = ofRule(result.findings, 'json-syntax');
  assert.ok(syntax);
  assert.ok(syntax.start > text.indexOf("'{") && syntax.end <= text.lastIndexOf("'") + 1);
});

test('a folded block or escapes YAML adds are mapped conservatively: the whole string, and no fix', () => {
  const text = [
    'Resources:',
    '  K:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy: >',
    '        {"Statement": [{"Effect": "Allow", "Principal": "*",',
    '        "Action": "kms:Decrypt", "Resource": "*"}]}',
    '',
  ].join('\n');
  const result = cfn(text);
  const [wildcard] = ofRule(result.findings, 'wildcard-principal');
  assert.equal(covered(text, wildcard), text.slice(text.indexOf('>'), text.lastIndexOf('}') + 1));
  for (const f of result.findings) assert.equal(f.fixes, undefined, `${f.ruleId} offers a fix on a string it cannot map`);
});

test('fixes are written in YAML, keeping quotes and indentation, in block and flow style', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: allow # lower case',
    "            Principal: { AWS: 'arn:aws:iam::111122223333:root' }",
    "            Action: 'kms:*'",
    "            Resource: '*'",
    '          - Sid: Use',
    '            Effect: Allow',
    "            Principal: {AWS: 'arn:aws:iam::444455556666:root'}",
    '            Action: [kms:CreateGrant, kms:ListGrants]',
    "            Resource: '*'",
    "          - {Sid: Flow, Effect: Allow, Principal: {AWS: 'arn:aws:iam::444455556666:root'}, Action: 'kms:Encrypt', Resource: '*'}",
    '',
  ].join('\n');
  const result = cfn(text);
  const ids = new Set(result.findings.filter((f) => f.fixes).map((f) => f.ruleId));
  for (const id of ['policy-version', 'statement-effect', 'missing-describe-key', 'grant-without-aws-resource-condition']) assert.ok(ids.has(id), `${id} offers a fix`);
  for (const id of ids) assertFixesWork(text, 'template.yaml', id);
  const effect = ofRule(result.findings, 'statement-effect')[0];
  assert.equal(applyEdits(text, effect.fixes![0].edits).split('\n')[8], '            Effect: Allow # lower case');
  const grant = ofRule(result.findings, 'grant-without-aws-resource-condition')[0];
  const withCondition = applyEdits(text, grant.fixes![0].edits);
  assert.ok(withCondition.includes("            Resource: '*'\n            Condition:\n              Bool:\n                kms:GrantIsForAWSResource: 'true'\n"), withCondition);
  const describe = ofRule(result.findings, 'missing-describe-key').find((f) => text.slice(f.start - 200, f.start).includes('Sid: Flow'))!;
  assert.ok(applyEdits(text, describe.fixes![0].edits).includes("Action: ['kms:Encrypt', 'kms:DescribeKey']"));
});

test('no fix rewrites an intrinsic: the editor refuses it and the engine drops the fix', () => {
  const text = [
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { AWS: "arn:aws:iam::111122223333:root" }',
    '            Action: !Sub "kms:Decrypt"',
    '            Resource: "*"',
    '          - Effect: Allow',
    '            Principal: { AWS: "arn:aws:iam::444455556666:root" }',
    '            Action: [!Sub "kms:Decrypt", "kms:Encrypt"]',
    '            Resource: "*"',
    '',
  ].join('\n');
  const source = readDocument(text, { fileName: 't.yaml' });
  const action = nodes(source.policies[0].root).filter((n) => text.slice(n.offset, n.offset + 4) === '!Sub');
  assert.equal(action.length, 2);
  for (const node of action) assert.equal(source.editor.canEdit!(node), false);
  const describe = ofRule(cfn(text).findings, 'missing-describe-key');
  assert.equal(describe.length, 2);
  assert.equal(describe[0].fixes, undefined, 'adding to a !Sub would rewrite it');
  assert.equal(describe[1].fixes?.length, 1, 'appending after the list items touches no intrinsic');
  assert.ok(applyEdits(text, describe[1].fixes![0].edits).includes('Action: [!Sub "kms:Decrypt", "kms:Encrypt", "kms:DescribeKey"]'));
});

test('YAML that is no template gets zero findings and is not a policy', () => {
  for (const name of ['github-workflow.yml', 'docker-compose.yaml']) {
    const text = fixture(DIR, name);
    const result = cfn(text, name);
    assert.deepEqual(result.findings, [], name);
    assert.equal(result.isPolicy, false, name);
  }
  for (const text of ['', '---\n', 'Resources:\n  A: 1\n', 'Resources:\n  A:\n    Type: Widget\n', '- a\n- b\n', 'plain', 'Statement: [1]\n']) {
    const result = cfn(text, 'x.yaml');
    assert.deepEqual(result.findings, [], JSON.stringify(text));
    assert.equal(result.isPolicy, false, JSON.stringify(text));
  }
});

test('duplicate keys inside a policy are reported, with the first occurrence', () => {
  const text = ['Resources:', '  K:', '    Type: AWS::KMS::Key', '    Properties:', '      KeyPolicy:', '        Statement: []', '        Statement:', '          - Effect: Allow', ''].join('\n');
  const [duplicate] = ofRule(cfn(text).findings, 'duplicate-key');
  assert.equal(covered(text, duplicate), 'Statement');
  assert.equal(where(text, duplicate), '7:9-7:18');
  assert.equal(duplicate.related![0].start, text.indexOf('Statement'));
  const twice = ['Resources:', '  K:', '    Type: AWS::KMS::Key', '  K:', '    Type: AWS::KMS::Key', '    Properties:', '      KeyPolicy: { Statement: [] }', ''].join('\n');
  assert.deepEqual(readDocument(twice, { fileName: 't.yaml' }).policies.map((p) => p.address), ['K KeyPolicy'], 'the last of a repeated logical ID wins, as in CloudFormation');
});

test('hostile templates: anchors, an alias bomb, deep nesting, binary, 5 MB: no throw, every range inside the text', () => {
  const anchored = [
    'Resources:',
    '  K:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy: &policy',
    '        Statement:',
    '          - &open',
    '            Effect: Allow',
    '            Principal: "*"',
    '            Action: kms:Decrypt',
    '            Resource: "*"',
    '          - *open',
    '  K2:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy: *policy',
    '',
  ].join('\n');
  const result = cfn(anchored);
  const wildcards = ofRule(result.findings, 'wildcard-principal');
  assert.deepEqual(
    wildcards.map((f) => covered(anchored, f)),
    ['"*"', '*open', '*policy', '*policy'],
    'a finding inside an alias is reported on the alias',
  );
  assert.equal(result.models.length, 2);
  for (const f of result.findings) if (covered(anchored, f).startsWith('*')) assert.equal(f.fixes, undefined, `${f.ruleId}: no fix inside an alias`);

  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  bomb.push('Resources:', '  K:', '    Type: AWS::KMS::Key', '    Properties:', '      KeyPolicy:', '        Statement: *j');
  const bombText = bomb.join('\n');
  cfn(bombText);
  const [bombed] = readDocument(bombText, { fileName: 'bomb.yaml' }).policies;
  assert.ok(nodes(bombed.root).length <= 10_100, 'the alias bomb is not expanded (9^9 strings)');

  const deepFlow = 'Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n';
  cfn(deepFlow);
  let deepBlock = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n';
  // Block nesting needs one more space a level: 3,000 levels are 4.5 MB already.
  for (let i = 0; i < 3_000; i++) deepBlock += ' '.repeat(8 + i) + `k${i}:\n`;
  cfn(deepBlock);
  const deepMaps = 'Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n';
  cfn(deepMaps);

  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  assert.deepEqual(cfn(binary, 'image.yaml').findings, []);
  assert.deepEqual(cfn('\u0000\u0001Resources:\u0000', 'x.yaml').findings, []);

  const resource = (i: number) =>
    [
      `  Key${i}:`,
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      KeyPolicy:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
      '            Action: "kms:*"',
      '            Resource: "*"',
      '          - Effect: Allow',
      `            Principal: { AWS: "arn:aws:iam::${String(100000000000 + i)}:root" }`,
      '            Action: [kms:Decrypt, kms:DescribeKey]',
      '            Resource: "*"',
    ].join('\n');
  const parts = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0, length = 0; length < 5_000_000; i++) {
    parts.push(resource(i));
    length += parts[parts.length - 1].length + 1;
  }
  const big = parts.join('\n');
  const bigResult = cfn(big);
  assert.ok(bigResult.models.length > 10_000);
});

test('placeholder-aware verdicts on templates', () => {
  const text = fixture(DIR, 'key-and-role.yaml');
  const result = cfn(text);
  assert.deepEqual(ofRule(result.findings, 'principal-invalid'), [], 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root is the owner root');
  assert.deepEqual(ofRule(result.findings, 'arn-invalid'), [], '!GetAtt DataKey.Arn is the ARN of a key');
  const cdk = cfn(fixture(DIR, 'cdk.out', 'DataStack.template.json'), 'cdk.out/DataStack.template.json');
  assert.deepEqual(ofRule(cdk.findings, 'principal-invalid'), []);
});

test('trust policies are not judged as identity policies', () => {
  const result = cfn(fixture(DIR, 'key-and-role.yaml'));
  assert.deepEqual(ofRule(result.findings, 'statement-conflict'), [], 'a trust policy statement has no Resource');
});

/** A snippet body with its defaults filled in, as the editor inserts it. */
function expandSnippet(body: string[], indent: string): string {
  const defaults = new Map<string, string>();
  const text = body.join('\n' + indent).replace(/\$\{(\d+):([^}]*)\}/g, (_, n: string, value: string) => (defaults.set(n, value), value));
  return indent + text.replace(/\$\{(\d+)\}/g, (_, n: string) => defaults.get(n) ?? '').replace(/\$\d+/g, '').replace(/\\\$/g, '$');
}

test('the CloudFormation snippets give templates whose policies are found, with the kinds they should have', () => {
  const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets', 'cloudformation.code-snippets'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
  const key = expandSnippet(snippets['CloudFormation KMS key and the role that uses it'].body, '  ');
  const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${key}\n`;
  assert.equal(yamlErrors(text), 0, text);
  const source = readDocument(text, { fileName: 'stack.yaml' });
  assert.deepEqual(
    source.policies.map((p) => [p.address, p.kind]),
    [
      ['DataKey KeyPolicy', 'key-policy'],
      ['AppRole AssumeRolePolicyDocument', 'trust-policy'],
      ['AppRole Policies[0]', 'identity-policy'],
    ],
  );
  const [arn] = partial(source.policies[2].root);
  assert.deepEqual(arn.parts, [{ unknown: '!GetAtt DataKey.Arn', meaning: 'key-arn', resource: 'DataKey' }]);
  const result = cfn(text, 'stack.yaml');
  for (const id of ['wildcard-principal', 'missing-describe-key', 'lockout-risk', 'cross-account-admin', 'kms-resource-wildcard']) assert.deepEqual(ofRule(result.findings, id), [], id);

  const policy = expandSnippet(snippets['CloudFormation KMS key policy'].body, '      ');
  const keyOnly = `Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n${policy}\n`;
  assert.equal(yamlErrors(keyOnly), 0, keyOnly);
  assert.deepEqual(readDocument(keyOnly, { fileName: 'k.yaml' }).policies.map((p) => p.kind), ['key-policy']);
});

test('a KeyPolicy given as a !Sub JSON string: variables are parts, spans are exact, fixes keep the !Sub', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', DIR, 'sub-json-policy.yaml'), 'utf8');
  const source = readDocument(text, { fileName: 'sub.yaml' });
  assert.deepEqual(source.policies.map((p) => p.address), ['Key KeyPolicy']);
  const [root] = partial(source.policies[0].root);
  assert.equal(text.slice(root.offset, root.offset + root.length), '"arn:aws:iam::${AWS::AccountId}:root"');
  assert.deepEqual(root.parts, [{ literal: 'arn:aws:iam::' }, { unknown: 'AWS::AccountId', meaning: 'owner-account' }, { literal: ':root' }]);
  assert.equal(source.editor.canEdit!(root), false);
  const result = cfn(text, 'sub.yaml');
  const [wildcard] = ofRule(result.findings, 'wildcard-principal');
  assert.equal(covered(text, wildcard), '"*"');
  assertFixesWork(text, 'sub.yaml', 'missing-describe-key');
  const fixed = applyEdits(text, ofRule(result.findings, 'missing-describe-key')[0].fixes![0].edits);
  assert.ok(fixed.includes('KeyPolicy: !Sub |\n'));
  assert.ok(fixed.includes('"Action": ["kms:Decrypt", "kms:DescribeKey"]'), fixed);
});

test('CRLF templates: spans and fixes keep the line ends', () => {
  const lf = fixture(DIR, 'key-policy-string.yaml');
  const crlf = lf.replace(/\n/g, '\r\n');
  const result = cfn(crlf, 'k.yaml');
  const wildcards = ofRule(result.findings, 'wildcard-principal');
  assert.equal(wildcards.length, 2);
  for (const w of wildcards) assert.equal(covered(crlf, w), '"*"');
  assertFixesWork(crlf, 'k.yaml', 'missing-describe-key', 2);
  const sam = fixture(DIR, 'sam-function.yaml').replace(/\n/g, '\r\n');
  const [version] = ofRule(cfn(sam).findings, 'policy-version');
  const fixed = applyEdits(sam, version.fixes![0].edits);
  assert.ok(fixed.includes("- Version: '2012-10-17'\r\n          Statement:"), fixed);
  assert.ok(fixed.split('\r\n').every((line) => !line.includes('\n')), 'no bare line feed');
});

test('a statement under Fn::If is not reported as a malformed statement', () => {
  const text = [
    'Conditions:',
    '  IsProd: !Equals [!Ref "AWS::AccountId", "111122223333"]',
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { AWS: "arn:aws:iam::111122223333:root" }',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - !If',
    '            - IsProd',
    '            - Effect: Allow',
    '              Principal: { AWS: "arn:aws:iam::444455556666:root" }',
    '              Action: kms:Decrypt',
    '              Resource: "*"',
    '            - !Ref AWS::NoValue',
    '',
  ].join('\n');
  assert.deepEqual(ofRule(cfn(text).findings, 'element-type'), []);
});

const TEMPLATES = [
  'key-and-role.yaml',
  'cross-account-pipeline.yaml',
  'sam-function.yaml',
  'intrinsics.yaml',
  'key-policy-string.yaml',
  'sub-json-policy.yaml',
  'key-policy-string.template.json',
  'cdk.out/DataStack.template.json',
];

test('every fix offered on the fixture templates gives a template that still parses, with the same policies', () => {
  for (const name of TEMPLATES) {
    const text = fixture(DIR, ...name.split('/'));
    const result = cfn(text, name);
    const count = result.models.length;
    for (const finding of result.findings) {
      for (const fix of finding.fixes ?? []) {
        if (fix.uri) continue;
        const fixed = applyEdits(text, fix.edits);
        if (name.endsWith('.json')) JSON.parse(fixed);
        else assert.equal(yamlErrors(fixed), 0, `${name}: ${fix.title} breaks the YAML`);
        assert.equal(cfn(fixed, name).models.length, count, `${name}: ${fix.title} loses a policy`);
      }
    }
  }
});

test('property: a template with any characters changed never throws, and every span and edit lies inside it', () => {
  const texts = TEMPLATES.map((name) => fixture(DIR, ...name.split('/')));
  fc.assert(
    fc.property(
      fc.nat(texts.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom('', ' ', '\n', ':', '- ', '!Sub ', '*a', '&a ', '{', '[', '"', "'", '|', '\t', '#', '${', '}')), { maxLength: 6 }),
      (index, changes) => {
        let text = texts[index];
        for (const [at, cut, insert] of changes) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(start + cut);
        }
        const name = TEMPLATES[index];
        const source = readDocument(text, { fileName: name });
        for (const policy of source.policies) for (const node of nodes(policy.root)) assert.ok(node.offset >= 0 && node.length >= 0 && node.offset + node.length <= text.length, `${node.type} ${node.offset}+${node.length}`);
        cfn(text, name);
      },
    ),
    { numRuns: 300, seed: 31 },
  );
});

test('resource policies of other services, and service control policies, get their kinds', () => {
  const text = [
    'Resources:',
    '  Queue:',
    '    Type: AWS::SQS::QueuePolicy',
    '    Properties:',
    '      Queues: [!Ref Q]',
    '      PolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: sns.amazonaws.com }, Action: "sqs:SendMessage", Resource: "*" }] }',
    '  Topic:',
    '    Type: AWS::SNS::TopicPolicy',
    '    Properties:',
    '      PolicyDocument: { Statement: [{ Effect: Allow, Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "*" }] }',
    '  Table:',
    '    Type: AWS::DynamoDB::Table',
    '    Properties:',
    '      ResourcePolicy:',
    '        PolicyDocument: { Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "dynamodb:GetItem", Resource: "*" }] }',
    '  Guardrails:',
    '    Type: AWS::Organizations::Policy',
    '    Properties:',
    '      Type: SERVICE_CONTROL_POLICY',
    '      Content: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "kms:ScheduleKeyDeletion", Resource: "*" }] }',
    '  Tags:',
    '    Type: AWS::Organizations::Policy',
    '    Properties:',
    '      Type: TAG_POLICY',
    '      Content: { tags: {} }',
    '  Group:',
    '    Type: AWS::IAM::Group',
    '    Properties:',
    '      Policies:',
    '        - PolicyName: a',
    '          PolicyDocument: \'{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}\'',
    '',
  ].join('\n');
  assert.deepEqual(
    readDocument(text, { fileName: 't.yaml' }).policies.map((p) => [p.address, p.kind]),
    [
      ['Queue PolicyDocument', 'resource-policy'],
      ['Topic PolicyDocument', 'resource-policy'],
      ['Table ResourcePolicy.PolicyDocument', 'resource-policy'],
      ['Guardrails Content', 'scp'],
      ['Group Policies[0]', 'identity-policy'],
    ],
  );
  cfn(text, 't.yaml');
});

test('YAML fixes that replace values, remove properties and rename keys, in block and flow style', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal:',
    '              AWS: arn:aws:iam::111122223333:root',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - Sid: Partner',
    '            Effect: Allow',
    '            Principal: arn:aws:iam::444455556666:root',
    '            Action:',
    '              - kms:Decrypt',
    '              - kms:DescribeKey',
    '            Resource:',
    '              - arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    '          - Sid: Admin',
    '            Effect: Allow',
    '            Principal: { AWS: "arn:aws:iam::444455556666:root" }',
    '            Action:',
    '              - kms:Decrypt',
    '              - kms:ScheduleKeyDeletion',
    '            Resource: "*"',
    '  Role:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { AWS: "*" }',
    '            Action: kms:Decrypt',
    '            Resource: "*"',
    '            Conditions: {}',
    '',
  ].join('\n');
  const result = cfn(text);
  const fixable = new Set(result.findings.filter((f) => f.fixes).map((f) => f.ruleId));
  for (const id of ['element-type', 'key-policy-resource', 'cross-account-admin', 'principal-not-allowed', 'unknown-element']) assert.ok(fixable.has(id), `${id} offers a fix (offered: ${[...fixable].join(', ')})`);
  for (const id of fixable) assertFixesWork(text, 'template.yaml', id);
  const fix = (id: string) => applyEdits(text, ofRule(result.findings, id)[0].fixes![0].edits);
  assert.ok(fix('element-type').includes('            Principal: {AWS: arn:aws:iam::444455556666:root}\n'), fix('element-type'));
  assert.ok(fix('key-policy-resource').includes('            Resource: "*"\n          - Sid: Admin\n'), fix('key-policy-resource'));
  assert.ok(fix('cross-account-admin').includes('            Action:\n              - kms:Encrypt\n              - kms:Decrypt\n              - kms:ReEncrypt*\n'), fix('cross-account-admin'));
  assert.ok(fix('principal-not-allowed').includes('          - Effect: Allow\n            Action: kms:Decrypt\n'), fix('principal-not-allowed'));
});

test('policy-size measures a template policy as the JSON AWS is sent, not its YAML: comments do not count, long statements do', () => {
  const policy = (statements: string, comment = '') => [
    'Resources:',
    '  AppPolicy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    comment,
    '        Statement:',
    statements,
    '',
  ].join('\n');
  const statement = (i: number) => `          - Sid: Read${i}\n            Effect: Allow\n            Action: kms:Decrypt\n            Resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-${String(i).padStart(12, '0')}`;
  const commented = policy(statement(1), Array.from({ length: 200 }, (_, i) => `        # note ${i}: ${'x'.repeat(40)}`).join('\n'));
  assert.ok(commented.length > 8000, 'the YAML text alone is over the limit');
  assert.deepEqual(ofRule(cfn(commented).findings, 'policy-size'), [], 'comments are not in the policy AWS gets');
  const long = policy(Array.from({ length: 60 }, (_, i) => statement(i)).join('\n'));
  const found = ofRule(cfn(long).findings, 'policy-size');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /^This policy has \d+ characters without whitespace; an IAM managed policy may have at most 6,144/);
  const characters = Number(/has (\d+) characters/.exec(found[0].message)![1]);
  assert.ok(characters > 6144 && characters < long.length, `${characters} counts the JSON without whitespace`);
});

/** A template with one condition and a key whose policy starts with the owner's root statement; the statements that follow are appended. */
function keyTemplate(condition: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  ${condition}
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Root
            Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
            Action: "kms:*"
            Resource: "*"`;
}

test('intrinsics inside conditions: an !If operator block restricts (to whom is unknown); !Sub regions, partitions and URL suffixes keep their meaning', () => {
  const text = `${keyTemplate('AllServices: !Equals [!Ref Mode, all]')}
          - Sid: IfCondition
            Effect: Allow
            Principal: { AWS: "*" }
            Action: kms:Decrypt
            Resource: "*"
            Condition:
              StringEquals: !If
                - AllServices
                - kms:CallerAccount: !Ref AWS::AccountId
                - kms:CallerAccount: !Ref AWS::AccountId
                  kms:ViaService: !Sub "s3.\${AWS::Region}.amazonaws.com"
          - Sid: SecretsManager
            Effect: Allow
            Principal: { AWS: "*" }
            Action: [kms:Decrypt, kms:CreateGrant, kms:DescribeKey]
            Resource: "*"
            Condition:
              StringEquals:
                kms:ViaService: !Sub "secretsmanager.\${AWS::Region}.amazonaws.com"
                kms:CallerAccount: !Ref AWS::AccountId
          - Sid: CloudTrail
            Effect: Allow
            Principal: { Service: cloudtrail.amazonaws.com }
            Action: kms:GenerateDataKey*
            Resource: "*"
            Condition:
              StringLike:
                kms:EncryptionContext:aws:cloudtrail:arn: !Sub "arn:\${AWS::Partition}:cloudtrail:*:\${AWS::AccountId}:trail/*"
          - Sid: Logs
            Effect: Allow
            Principal: { Service: !Sub "logs.\${AWS::Region}.\${AWS::URLSuffix}" }
            Action: [kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*]
            Resource: "*"
            Condition:
              ArnLike:
                kms:EncryptionContext:aws:logs:arn: !Sub "arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:*"
`;
  const loud = cfn(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(loud.map((f) => `${f.ruleId}: ${text.slice(f.start, f.end)}`), []);
  // Without the !If block, the "*" principal of that statement is open.
  const open = text.replace(/            Condition:\n              StringEquals: !If\n(.*\n){4}/, '');
  assert.deepEqual(ofRule(cfn(open).findings, 'wildcard-principal').map((f) => text.slice(f.start, f.end)), ['"*"']);
});

test('a statement under !If [Cond, <statement>, !Ref AWS::NoValue] is checked, as it is there when the condition holds', () => {
  const text = `${keyTemplate('Public: !Equals [!Ref Mode, public]')}
          - !If
            - Public
            - Sid: Open
              Effect: Allow
              Principal: { AWS: "*" }
              Action: [kms:Decrpyt]
              Resource: "*"
            - !Ref AWS::NoValue
          - Fn::If:
              - Public
              - !Ref AWS::NoValue
              - Sid: Closed
                Effect: Allow
                Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/app" }
                Action: kms:Decrypt
                Resource: "*"
`;
  const result = cfn(text);
  assert.deepEqual(result.model!.statements.map((s) => s.sid?.value), ['Root', 'Open', 'Closed']);
  assert.deepEqual(ofRule(result.findings, 'wildcard-principal').map((f) => text.slice(f.start, f.end)), ['"*"']);
  const typo = ofRule(result.findings, 'action-unknown');
  assert.deepEqual(typo.map((f) => text.slice(f.start, f.end)), ['kms:Decrpyt']);
  // The fix edits the statement inside the !If, and the template still reads the same policies.
  const fixed = applyEdits(text, typo[0].fixes![0].edits);
  assert.match(fixed, /Action: \[kms:Decrypt\]/);
  assert.equal(cfn(fixed).models.length, 1);
});

test('!Ref of a key as an IAM Resource is its key ID, which grants nothing (KMS guide, "Specifying KMS keys in IAM policy statements")', () => {
  // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html: "you must use its key ARN. You cannot use a key id, alias name, or alias ARN".
  const text = [
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '  DataAlias:',
    '    Type: AWS::KMS::Alias',
    '    Properties:',
    '      AliasName: alias/data',
    '      TargetKeyId: !Ref DataKey',
    '  AppPolicy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Action: kms:Decrypt',
    '            Resource: !Ref DataKey',
    '          - Effect: Allow',
    '            Action: kms:Decrypt',
    '            Resource: !Ref DataAlias',
    '          - Effect: Allow',
    '            Action: kms:Decrypt',
    '            Resource: !GetAtt DataKey.Arn',
  ].join('\n');
  const found = ofRule(cfn(text).findings, 'arn-invalid');
  assert.deepEqual(found.map((f) => [covered(text, f), f.severity]), [['!Ref DataKey', 'error'], ['!Ref DataAlias', 'error']]);
  assert.equal(found[0].message, "Resource !Ref DataKey is the key's ID, not an ARN: in an IAM policy it matches nothing, so this statement grants nothing on the key. Use the key's ARN (!GetAtt DataKey.Arn).");
  assert.match(found[1].message, /is an alias name, not an ARN/);
});

test('a principal whose account is a parameter may be another account: cross-account-admin says "if" (the owner account\'s own spelling is the owner)', () => {
  const statement = (principal: string) => [
    'Parameters:',
    '  TrustedAccountId:',
    '    Type: String',
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal:',
    '              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - Sid: Trusted',
    '            Effect: Allow',
    '            Principal:',
    `              AWS: ${principal}`,
    '            Action: kms:*',
    '            Resource: "*"',
  ].join('\n');
  const text = statement('!Sub arn:aws:iam::${TrustedAccountId}:root');
  const found = ofRule(cfn(text).findings, 'cross-account-admin');
  assert.deepEqual(found.map((f) => [covered(text, f), f.severity]), [['kms:*', 'warning']]);
  assert.match(found[0].message, /^If \$\{TrustedAccountId\} is not the key's owner account .*, this grants another account management permissions/);
  // The account the stack is deployed to is the owner: nothing to say.
  assert.deepEqual(ofRule(cfn(statement('!Ref AWS::AccountId')).findings, 'cross-account-admin'), []);
});

// IAM User Guide, aws:PrincipalArn; KMS guide, key policies: a Deny of everyone but the stack's own principals
// (written with ${AWS::AccountId}) leaves the "*" Allow to the owner account only.
test('a "*" Allow narrowed by a Deny to principals of ${AWS::AccountId}: the owner account, no cross-account finding', () => {
  const text = [
    'Resources:',
    '  Deployer:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}]}',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: DenyOthers',
    '            Effect: Deny',
    '            Principal: { AWS: "*" }',
    '            Action: kms:*',
    '            Resource: "*"',
    '            Condition:',
    '              StringNotLike:',
    '                aws:PrincipalArn:',
    '                  - !Sub arn:aws:iam::${AWS::AccountId}:root',
    '                  - !GetAtt Deployer.Arn',
    '          - Sid: Admin',
    '            Effect: Allow',
    '            Principal: { AWS: "*" }',
    '            Action: kms:*',
    '            Resource: "*"',
  ].join('\n');
  assert.deepEqual(ofRule(cfn(text).findings, 'cross-account-admin'), []);
});

test('the deploying account is the owner wherever the template writes it, even with no kms:* root statement (CDK bootstrap\'s key policy)', () => {
  const text = [
    'Resources:',
    '  FileAssetsBucketEncryptionKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Statement:',
    '          - Action: [kms:Create*, kms:Describe*, kms:Enable*, kms:List*, kms:Put*, kms:Update*, kms:Revoke*, kms:Disable*, kms:Get*, kms:Delete*, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion, kms:GenerateDataKey, kms:TagResource, kms:UntagResource]',
    '            Effect: Allow',
    '            Principal:',
    '              AWS: !Ref AWS::AccountId',
    '            Resource: "*"',
    '          - Action: [kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*]',
    '            Effect: Allow',
    '            Principal:',
    '              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root',
    '            Resource: "*"',
  ].join('\n');
  const problems = cfn(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(problems.map((f) => `${f.ruleId}: ${f.message.slice(0, 60)}`), []);
  // Without Version and without policy variables, the missing Version is advice.
  assert.deepEqual(ofRule(cfn(text).findings, 'policy-version').map((f) => f.severity), ['info']);
});

test('key-policy-resource: key/* of the stack\'s own account and Region covers the key, so it is advice, not a warning', () => {
  const text = [
    'Resources:',
    '  LogKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal:',
    '              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root',
    '            Action: kms:*',
    '            Resource: !Sub arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*',
  ].join('\n');
  assert.deepEqual(ofRule(cfn(text).findings, 'key-policy-resource').map((f) => [f.severity, covered(text, f)]), [['info', '!Sub arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*']]);
});

test('a Sid or Version the template fills in is judged once rendered, not as written', () => {
  const text = [
    'Parameters:',
    '  Prefix:',
    '    Type: String',
    'Resources:',
    '  AppPolicy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: !Ref PolicyVersion',
    '        Statement:',
    '          - Sid: !Sub "${Prefix}-read"',
    '            Effect: Allow',
    '            Action: kms:Decrypt',
    '            Resource: !Sub arn:aws:kms:us-east-1:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  ].join('\n');
  const found = cfn(text).findings;
  assert.deepEqual(ofRule(found, 'statement-sid'), []);
  assert.deepEqual(ofRule(found, 'policy-version'), []);
});

// CloudFront's origin access identity in a bucket policy: CloudFormation fills the canonical user
// ID in (AWS::CloudFront::CloudFrontOriginAccessIdentity returns S3CanonicalUserId, CloudFormation
// User Guide); a literal that is not one stays an error.
test('a CanonicalUser principal the template fills in (!GetAtt OAI.S3CanonicalUserId) is no invalid principal', () => {
  const template = (principal: string) => `Resources:
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              CanonicalUser: ${principal}
            Action: s3:GetObject
            Resource: !Sub '\${Bucket.Arn}/*'
`;
  assert.deepEqual(ofRule(cfn(template('!GetAtt OAI.S3CanonicalUserId')).findings, 'principal-invalid'), []);
  assert.deepEqual(ofRule(cfn(template('{ "Fn::GetAtt": [OAI, S3CanonicalUserId] }')).findings, 'principal-invalid'), []);
  const literal = template('not-a-canonical-id');
  const found = ofRule(cfn(literal).findings, 'principal-invalid');
  assert.deepEqual(found.map((f) => literal.slice(f.start, f.end)), ['not-a-canonical-id']);
});

// AWS publishes templates whose multi-line quoted scalar closes under its key (aws-samples,
// MSK client stack: `PolicyDocument: !Sub '{` ... `}'` at the key's indentation). CloudFormation
// and PyYAML read them; the yaml package stops there. Keyshare reads the scalar as they do.
test('a multi-line quoted scalar that closes under its key is read as CloudFormation reads it, spans in the user\'s text', () => {
  const text = [
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument:',
    "        Version: '2012-10-17'",
    '        Statement:',
    '          - Effect: Allow',
    '            Principal: { Service: ec2.amazonaws.com }',
    "            Action: 'sts:AssumeRole'",
    '      Policies:',
    '        - PolicyName: A',
    "          PolicyDocument: !Sub '{",
    '              "Version": "2012-10-17",',
    '              "Statement": [{ "Effect": "Allow", "Action": "kafka:CreateConfiguration", "Resource": "*" }]',
    "          }'",
    '        - PolicyName: B',
    '          PolicyDocument: !Sub "{',
    '              \\"Version\\": \\"2012-10-17\\",',
    '              \\"Statement\\": [{ \\"Effect\\": \\"Allow\\", \\"Action\\": \\"sqs:SendMessage\\", \\"Resource\\": \\"*\\" }]',
    '          }"',
    '        - PolicyName: C',
    '          PolicyDocument:',
    "            Version: '2012-10-17'",
    '            Statement:',
    '              - Effect: Allow',
    "                Action: 'kms:*'",
    "                Resource: '*'",
    '',
  ].join('\n');
  const result = cfn(text);
  assert.deepEqual(result.models.map((m) => m.address), ['Role AssumeRolePolicyDocument', 'Role Policies[0]', 'Role Policies[1]', 'Role Policies[2]']);
  assert.deepEqual(ofRule(result.findings, 'json-syntax'), []);
  const wildcard = ofRule(result.findings, 'kms-resource-wildcard');
  assert.deepEqual(wildcard.map((f) => covered(text, f)), ["'*'"]);
  assert.equal(text.slice(0, wildcard[0].start).split('\n').length, 28, 'on the Resource line of policy C');
  // The embedded policies' statements sit inside their scalars.
  const embedded = result.models[1].statements[0].node;
  assert.ok(text.slice(embedded.offset, embedded.offset + embedded.length).includes('kafka:CreateConfiguration'));
});

test('a quoted scalar that never closes stays a YAML error: no policy is made up', () => {
  const text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: A\n          PolicyDocument: !Sub '{\n              \"Version\": \"2012-10-17\"\n";
  const result = cfn(text);
  assert.ok(result.models.length <= 1);
  assert.ok(readYamlTree(text).errors > 0);
});

// CloudFormation User Guide, AWS::IAM::Role return values: Arn is the role's ARN; IAM User Guide,
// IAM identifiers: arn:aws:iam::<account>:role/<path><name>. With RoleName (and Path) written as
// text, only the partition and the account are left to the stack.
test('!GetAtt Role.Arn of a role whose name the template writes is that role ARN, its partition and account the stack\'s', () => {
  const template = (properties: string) => `Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
${properties}      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - { Sid: Root, Effect: Allow, Principal: { AWS: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root' }, Action: 'kms:*', Resource: '*' }
          - { Sid: App, Effect: Allow, Principal: { AWS: !GetAtt AppRole.Arn }, Action: kms:Decrypt, Resource: '*' }
`;
  const principalOf = (text: string) => {
    const model = cfn(text).models.find((m) => m.address === 'DataKey KeyPolicy')!;
    return model.statements[1].principals!.entries[0].items[0].value;
  };
  assert.equal(principalOf(template('      RoleName: app\n')), 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app');
  assert.equal(principalOf(template("      RoleName: reader\n      Path: /app/\n")), 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app/reader');
  // A name the stack makes up, or one a parameter gives, stays unknown.
  assert.match(principalOf(template('')), /^\$\{.*AppRole\.Arn\}$/);
  assert.match(principalOf(template('      RoleName: !Ref Name\n')), /^\$\{.*AppRole\.Arn\}$/);
});

// IAM User Guide, "IAM and AWS STS quotas": "Role policy size cannot exceed 10,240 characters" (a
// role's inline policies), 6,144 for a managed policy, 2,048 for a user's inline policies.
test("policy-size: a role's inline policy is held to the role's 10,240 characters, a managed policy to 6,144, a user's inline policy to 2,048", () => {
  const statements = (count: number) => Array.from({ length: count }, (_, i) => `              - Effect: Allow\n                Action: s3:GetObject\n                Resource: arn:aws:s3:::example-data-bucket-number-${String(i).padStart(4, '0')}/reports/*`).join('\n');
  const template = (type: string, count: number) => {
    const document = `          Version: '2012-10-17'\n          Statement:\n${statements(count).replace(/^ {14}/gm, '            ')}`;
    if (type === 'AWS::IAM::ManagedPolicy') return `Resources:\n  P:\n    Type: ${type}\n    Properties:\n      PolicyDocument:\n${document.replace(/^ {2}/gm, '')}\n`;
    const trust = type === 'AWS::IAM::Role' ? "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }\n" : '';
    return `Resources:\n  R:\n    Type: ${type}\n    Properties:\n${trust}      Policies:\n        - PolicyName: p\n          PolicyDocument:\n${document.replace(/^ {10}/gm, '            ')}\n`;
  };
  const sizes = (type: string, count: number) => ofRule(cfn(template(type, count)).findings, 'policy-size').map((f) => f.message.match(/has (\d+) characters/)?.[1] && f.severity);
  // About 100 characters a statement: 80 statements are over 6,144 and under 10,240.
  assert.deepEqual(sizes('AWS::IAM::Role', 80), []);
  assert.deepEqual(sizes('AWS::IAM::ManagedPolicy', 80), ['warning']);
  assert.deepEqual(sizes('AWS::IAM::User', 30), ['warning']);
  assert.deepEqual(sizes('AWS::IAM::Role', 120), ['warning']);
  assert.match(ofRule(cfn(template('AWS::IAM::Role', 120)).findings, 'policy-size')[0].message, /at most 10,240 for a role's inline policies/);
});

// IAM User Guide, Resource: "The asterisk (*) character can expand to replace everything within a segment, including characters like a forward slash (/)".
test('arn-invalid: a KMS ARN whose resource is a wildcard (every key and alias of the account) is well formed', () => {
  const text = `Resources:
  R:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: [kms:DescribeKey, kms:ListAliases]
            Resource: !Sub 'arn:aws:kms:*:\${AWS::AccountId}:*'
          - Effect: Allow
            Action: kms:DescribeKey
            Resource: 'arn:aws:kms:us-east-1:111122223333:keys/1234'
`;
  const found = ofRule(cfn(text).findings, 'arn-invalid');
  assert.deepEqual(found.map((f) => covered(text, f)), ["'arn:aws:kms:us-east-1:111122223333:keys/1234'"]);
});

test('a statement under Fn::If with a statement on each side: both are checked, each only under its side, and the parameter values given pick one', () => {
  // CloudFormation User Guide, "Condition functions" (Fn::If): "Returns one value if the specified condition evaluates to true and another value if the specified condition evaluates to false."
  const text = [
    'Parameters:',
    '  Env: { Type: String, Default: prod }',
    'Conditions:',
    '  IsDev: !Equals [!Ref Env, dev]',
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Sid: Root',
    '            Effect: Allow',
    '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - !If',
    '            - IsDev',
    '            - { Sid: DevOpen, Effect: Allow, Principal: "*", Action: kms:Decrypt, Resource: "*" }',
    '            - { Sid: ProdApp, Effect: Allow, Principal: { AWS: arn:aws:iam::111122223333:role/app }, Action: kms:Decrpyt, Resource: "*" }',
  ].join('\n');
  const check = (parameters?: Record<string, string>) => checkDocument(text, sharedCatalog(), { fileName: 'stack.yaml', ...(parameters ? { parameters } : {}) });
  const both = check();
  assert.deepEqual(both.models[0].statements.map((s) => [s.sid?.value, (s.node as PolicyNode).onlyIf]), [['Root', undefined], ['DevOpen', 'IsDev'], ['ProdApp', '!IsDev']]);
  assert.deepEqual(both.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId).sort(), ['action-unknown', 'wildcard-principal']);
  assert.deepEqual(check({ Env: 'dev' }).models[0].statements.map((s) => s.sid?.value), ['Root', 'DevOpen']);
  assert.deepEqual(check({ Env: 'prod' }).models[0].statements.map((s) => s.sid?.value), ['Root', 'ProdApp']);
  // A parameter the values given leave out (or give UsePreviousValue) is unknown, its Default included: both stay.
  assert.deepEqual(check({ Other: 'x' }).models[0].statements.map((s) => s.sid?.value), ['Root', 'DevOpen', 'ProdApp']);
});

test('a resource whose own Condition the parameter values given make false is not created, so its policy is not checked', () => {
  const text = [
    'Parameters:',
    '  Open: { Type: String, Default: "no" }',
    'Conditions:',
    '  IsOpen: !Equals [!Ref Open, "yes"]',
    'Resources:',
    '  OpenPolicy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Condition: IsOpen',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement: [{ Effect: Allow, Action: "kms:Decrpyt", Resource: "*" }]',
  ].join('\n');
  const ids = (parameters?: Record<string, string>) => checkDocument(text, sharedCatalog(), { fileName: 'stack.yaml', ...(parameters ? { parameters } : {}) }).findings.map((f) => f.ruleId);
  assert.ok(ids().includes('action-unknown'), 'checked when the stack may create it');
  assert.ok(ids({ Open: 'yes' }).includes('action-unknown'));
  assert.deepEqual(ids({ Open: 'no' }), []);
});

// CloudFormation User Guide, "Get values stored in other services using dynamic references": {{resolve:ssm:name}}
// is replaced by the parameter's value at deployment, so it is a value the template fills in, never invalid.
test('dynamic references ({{resolve:ssm:...}}) are values deployment fills in, also inside !Sub', () => {
  const text = `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Root
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root' }
            Action: 'kms:*'
            Resource: '*'
          - Sid: Partner
            Effect: Allow
            Principal: { AWS: '{{resolve:ssm:PartnerAccountRootArn}}' }
            Action: kms:Decrypt
            Resource: '*'
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: kms:Decrypt
            Resource: !Sub 'arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:key/{{resolve:ssm:/\${AWS::StackName}/KeyId}}'
`;
  const result = cfn(text);
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.ruleId}: ${f.message}`), []);
  const partner = result.models[0].statements[1].principals!.entries[0].items[0];
  assert.equal(partner.value, '${dynamic reference resolve:ssm:PartnerAccountRootArn}');
  const resource = result.models[1].statements[0].resources!.items[0];
  assert.match(resource.value, /:key\/\$\{dynamic reference resolve:ssm:\/\$AWS::StackName\/KeyId\}$/);
});

// AWS::KMS::Alias, Return values: Ref returns the alias name (alias/exampleAlias); in an ARN it makes an alias ARN.
test('an alias written into an ARN by !Sub (${DataAlias}) makes an alias ARN: alias-arn-as-resource', () => {
  const text = `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Data
  DataAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/data
      TargetKeyId: !Ref DataKey
  AppPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: kms:Decrypt
            Resource: !Sub 'arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:\${DataAlias}'
`;
  const found = cfn(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(found.map((f) => f.ruleId), ['alias-arn-as-resource']);
});

// VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs": the role's logs actions act on log
// groups and streams (logs ARNs). A flow log's own ARN (ec2) in Resource, written with !Sub, matches none of them.
test('resource-service-mismatch reads the service field of a !Sub ARN past ${AWS::Partition}', () => {
  const text = [
    'Resources:',
    '  FlowLogRole:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: vpc-flow-logs.amazonaws.com}, Action: sts:AssumeRole}]}',
    '      Policies:',
    '        - PolicyName: Deliver',
    '          PolicyDocument:',
    '            Version: "2012-10-17"',
    '            Statement:',
    '              - Effect: Allow',
    '                Action: logs:PutLogEvents',
    '                Resource: !Sub arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*',
  ].join('\n');
  const found = ofRule(cfn(text).findings, 'resource-service-mismatch');
  assert.deepEqual(found.map((f) => covered(text, f)), ['logs:PutLogEvents']);
  assert.deepEqual(ofRule(cfn(text.replace(':ec2:', ':logs:').replace('vpc-flow-log/*', 'log-group:flow:*')).findings, 'resource-service-mismatch'), []);
});

// YAML 1.2: an unclosed double-quoted scalar is an error; CloudFormation refuses a template that does not parse.
test('a template that is not valid YAML gets one yaml-syntax error at the parser\'s first error; other broken YAML is not judged', () => {
  const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  DataKey:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: "data key\n      KeyPolicy: {}\n';
  const found = ofRule(cfn(text).findings, 'yaml-syntax');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /this is not valid YAML, so the file is read only as far as the parser recovered/);
  assert.ok(found[0].start >= 0 && found[0].end <= text.length);
  // A workflow file with the same slip holds no template: not Keyshare's to judge.
  assert.deepEqual(cfn('name: build\non:\n  push: "main\n', 'ci.yml').findings, []);
});

// A template of another language (Go templates, as cluster tooling renders CloudFormation with) is YAML once
// rendered: its directive lines and the values it fills in are not YAML errors, and its placeholders are unknown.
test('a Go-templated CloudFormation template is read as it renders: directive lines blank, filled-in values unknown', () => {
  const text = [
    'Resources:',
    '{{ if .Cluster.Encrypted }}',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      KeyPolicy:',
    '        Statement:',
    '          - Effect: Allow',
    '            Principal:',
    '              AWS: {{ .Cluster.AdminRole }}',
    '            Action: kms:*',
    '            Resource: "*"',
    '          - Effect: Allow',
    '            Principal:',
    '              AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/{{.Cluster.ID}}-worker"',
    '            Action: kms:Decrpyt',
    '            Resource: "*"',
    '{{ end }}',
  ].join('\n');
  const result = cfn(text);
  assert.deepEqual(ofRule(result.findings, 'yaml-syntax'), []);
  assert.deepEqual(ofRule(result.findings, 'principal-invalid'), []);
  assert.deepEqual(ofRule(result.findings, 'action-unknown').map((f) => covered(text, f)), ['kms:Decrpyt']);
});
