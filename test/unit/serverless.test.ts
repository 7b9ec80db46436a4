// The Serverless Framework host: serverless.yml's provider statements (an identity policy fragment
// of the functions' role) and resources.Resources (read by the CloudFormation host's finder), with
// Serverless variables as unknown parts. The fixtures follow the Serverless Framework docs, "IAM
// Permissions For Functions": https://www.serverless.com/framework/docs/providers/aws/guide/iam
import fc from 'fast-check';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { applyEdits, checkPolicies, isPolicyVariable, markPlaceholders, UNKNOWN_MARK, type Finding, type PolicyNode, type PolicySource, type ValuePart } from '../../server/src/engine';
import { checkDocument } from '../../server/src/hosts';
import { parseYaml } from '../../server/src/hosts/cloudformation/yamlTree';
import { serverlessHost } from '../../server/src/hosts/serverless/host';
import { covered, fixture, ofRule, where } from './helpers';

const DIR = 'serverless';

function read(text: string, fileName = 'serverless.yml'): PolicySource {
  const source = serverlessHost.read(text, { fileName });
  assert.ok(source, `${fileName} is read`);
  return source;
}

function check(text: string, fileName = 'serverless.yml') {
  const source = read(text, fileName);
  const result = checkPolicies(source, sharedCatalog());
  assertSane(text, result.findings);
  return { source, result, findings: result.findings };
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
  return all.sort((a, b) => a.offset - b.offset);
}

/** The string node whose text in the file is exactly `written`. */
function nodeWritten(source: PolicySource, written: string): PolicyNode {
  for (const policy of source.policies) {
    for (const node of nodes(policy.root)) if (node.type === 'string' && source.text.slice(node.offset, node.offset + node.length) === written) return node;
  }
  assert.fail(`no string node written ${written}`);
}

const unknownPart = (label: string, meaning?: string): ValuePart => (meaning ? { unknown: label, meaning } : { unknown: label }) as ValuePart;

test('the host: serverless.yml and serverless.yaml in any folder, nothing else', () => {
  for (const name of ['serverless.yml', 'serverless.yaml', 'services/orders/serverless.yml', 'C:\\work\\api\\serverless.yaml', 'Serverless.YML']) {
    assert.equal(serverlessHost.claimsName(name), true, name);
  }
  for (const name of ['template.yaml', 'my-serverless.yml', 'serverless.yml.bak', 'serverless.json', 'serverless.ts', 'serverless/template.yml']) {
    assert.equal(serverlessHost.claimsName(name), false, name);
    assert.equal(serverlessHost.read('provider:\n  name: aws\n', { fileName: name }), undefined, name);
  }
  assert.equal(serverlessHost.read('provider:\n  name: aws\n', {}), undefined);
  assert.equal(serverlessHost.id, 'serverless');
  assert.equal(serverlessHost.jsonFeatures, false);
  assert.equal(serverlessHost.needsGrammar, false);
  assert.equal(read('service: x\n').host, 'serverless');
});

test('the docs service: provider statements as an identity policy fragment, resources.Resources as a template', () => {
  const text = fixture(DIR, 'service', 'serverless.yml');
  const { source, result, findings } = check(text);
  assert.deepEqual(
    source.policies.map((p) => [p.address, p.kind, p.kindSource, !!p.fragment, p.root.type]),
    [
      ['provider.iam.role.statements', 'identity-policy', 'host', true, 'array'],
      ['OrdersKey KeyPolicy', 'key-policy', 'host', false, 'object'],
      ['OrdersBucketPolicy PolicyDocument', 'resource-policy', 'host', false, 'object'],
    ],
  );
  assert.equal(source.policies[1].resource, 'OrdersKey');
  // The fragment is the statements list, spanned as written (the first item to the last).
  const statements = source.policies[0].root;
  assert.equal(statements.parent, undefined);
  assert.equal(statements.children?.length, 5);
  assert.ok(covered(text, { start: statements.offset, end: statements.offset + statements.length }).startsWith('- Effect: Allow\n          Action: \'s3:ListBucket\''));
  assert.ok(covered(text, { start: statements.offset, end: statements.offset + statements.length }).endsWith('- Ref: ServerlessDeploymentBucket'));
  assert.deepEqual(result.models.map((m) => m.kind), ['identity-policy', 'key-policy', 'resource-policy']);
  assert.equal(source.broken, false);
  assert.equal(source.isPolicyFile, true);
  // Nothing wrong in the docs' own statements: no error at all, no reading of a variable as invalid.
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${where(text, f)}`), []);
  for (const rule of ['arn-invalid', 'principal-invalid', 'action-unknown', 'policy-variable-syntax', 'arn-region-unknown', 'arn-account-invalid', 'unknown-key-reference']) {
    assert.deepEqual(ofRule(findings, rule), [], rule);
  }
});

test('Serverless variables are unknown parts: ${aws:accountId} the owner account, ${aws:region} the region', () => {
  const text = fixture(DIR, 'service', 'serverless.yml');
  const source = read(text);
  const arn = nodeWritten(source, 'arn:aws:kms:${aws:region}:${aws:accountId}:key/${self:custom.keyId}');
  assert.deepEqual(arn.parts, [
    { literal: 'arn:aws:kms:' },
    unknownPart('sls aws:region', 'region'),
    { literal: ':' },
    unknownPart('sls aws:accountId', 'owner-account'),
    { literal: ':key/' },
    unknownPart('sls self:custom.keyId'),
  ]);
  // The engine reads each as a template placeholder, never as an IAM policy variable.
  assert.equal(markPlaceholders(arn.value), `arn:aws:kms:${UNKNOWN_MARK}:${UNKNOWN_MARK}:key/${UNKNOWN_MARK}`);
  const root = nodeWritten(source, 'arn:aws:iam::${aws:accountId}:root');
  assert.deepEqual(root.parts, [{ literal: 'arn:aws:iam::' }, unknownPart('sls aws:accountId', 'owner-account'), { literal: ':root' }]);
  // The bucket's name in a resource policy.
  assert.deepEqual(nodeWritten(source, 'arn:aws:s3:::orders-${sls:stage}/*').parts, [{ literal: 'arn:aws:s3:::orders-' }, unknownPart('sls sls:stage'), { literal: '/*' }]);
  // CloudFormation intrinsics read as the CloudFormation host reads them, knowing the resources.
  assert.deepEqual(nodeWritten(source, '!GetAtt OrdersKey.Arn').parts, [{ unknown: '!GetAtt OrdersKey.Arn', meaning: 'key-arn', resource: 'OrdersKey' }]);
  const join = source.policies[0].root.children![4];
  const resource = join.children!.find((p) => p.children![0].value === 'Resource')!.children![1];
  assert.deepEqual(resource.parts, [{ literal: 'arn:aws:s3:::' }, { unknown: 'Ref ServerlessDeploymentBucket' }]);
});

test('Serverless variables in the ARN of a key are not invalid: no arn-invalid, no principal-invalid', () => {
  const text = [
    'service: keys',
    'provider:',
    '  name: aws',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: [kms:Decrypt, kms:DescribeKey]',
    '          Resource: arn:aws:kms:${aws:region}:${aws:accountId}:key/${self:custom.keyId}',
    '        - Effect: Allow',
    '          Action: kms:Encrypt',
    "          Resource: 'arn:aws:kms:${opt:region, \"us-east-1\"}:${param:account}:alias/${sls:stage}-data'",
    'resources:',
    '  Resources:',
    '    Key:',
    '      Type: AWS::KMS::Key',
    '      Properties:',
    '        KeyPolicy:',
    "          Version: '2012-10-17'",
    '          Statement:',
    '            - Effect: Allow',
    '              Principal:',
    '                AWS: arn:aws:iam::${aws:accountId}:root',
    '              Action: kms:*',
    "              Resource: '*'",
    '            - Effect: Allow',
    '              Principal:',
    '                AWS: arn:aws:iam::${self:custom.partnerAccount}:role/${env:PARTNER_ROLE}',
    '              Action: kms:Decrypt',
    "              Resource: '*'",
    '',
  ].join('\n');
  const { findings } = check(text);
  assert.deepEqual(ofRule(findings, 'arn-invalid'), []);
  assert.deepEqual(ofRule(findings, 'principal-invalid'), []);
  assert.deepEqual(ofRule(findings, 'policy-variable-syntax'), []);
  const source = read(text);
  assert.deepEqual(nodeWritten(source, 'arn:aws:iam::${self:custom.partnerAccount}:role/${env:PARTNER_ROLE}').parts, [
    { literal: 'arn:aws:iam::' },
    unknownPart('sls self:custom.partnerAccount'),
    { literal: ':role/' },
    unknownPart('sls env:PARTNER_ROLE'),
  ]);
  assert.deepEqual(nodeWritten(source, `'arn:aws:kms:\${opt:region, "us-east-1"}:\${param:account}:alias/\${sls:stage}-data'`).parts, [
    { literal: 'arn:aws:kms:' },
    unknownPart('sls opt:region, "us-east-1"'),
    { literal: ':' },
    unknownPart('sls param:account'),
    { literal: ':alias/' },
    unknownPart('sls sls:stage'),
    { literal: '-data' },
  ]);
});

test('${aws:username} and the other IAM policy variables stay policy variables', () => {
  const text = fixture(DIR, 'open-key', 'serverless.yml');
  const source = read(text);
  const home = nodeWritten(source, 'arn:aws:s3:::payments-${sls:stage}/home/${aws:username}/*');
  assert.deepEqual(home.parts, [{ literal: 'arn:aws:s3:::payments-' }, unknownPart('sls sls:stage'), { literal: '/home/${aws:username}/*' }]);
  assert.equal(markPlaceholders(home.value), `arn:aws:s3:::payments-${UNKNOWN_MARK}/home/\${aws:username}/*`);
  assert.ok(isPolicyVariable('aws:username'));

  const variables = [
    'arn:aws:s3:::home/${aws:username}/*',
    'arn:aws:s3:::home/${aws:userid}',
    'arn:aws:s3:::x-${aws:PrincipalTag/team}/*',
    'arn:aws:s3:::x/${s3:prefix}',
    'arn:aws:iot:us-east-1:111122223333:topic/${cognito-identity.amazonaws.com:sub}',
    'arn:aws:s3:::x/${aws:Region}',
    'arn:aws:s3:::x/${aws:accountid}',
    'arn:aws:s3:::x/${aws:username, \'nobody\'}',
  ];
  const statements = variables.map((r) => `        - Effect: Allow\n          Action: s3:GetObject\n          Resource: '${r.replace(/'/g, "''")}'`).join('\n');
  const other = read(`provider:\n  iam:\n    role:\n      statements:\n${statements}\n`);
  for (const value of variables) {
    const node = nodes(other.policies[0].root).find((n) => n.value === value);
    assert.ok(node, value);
    assert.equal(node.parts, undefined, `${value} has no unknown part`);
  }
  // Serverless's own sources that IAM has too are told apart by their address.
  const s3 = read("provider:\n  iamRoleStatements:\n    - Effect: Allow\n      Action: s3:GetObject\n      Resource: arn:aws:s3:::${s3:my-bucket/prefix}/*\n");
  assert.deepEqual(nodes(s3.policies[0].root).find((n) => n.parts)?.parts, [{ literal: 'arn:aws:s3:::' }, unknownPart('sls s3:my-bucket/prefix'), { literal: '/*' }]);
});

test('a misspelt action in provider.iam.role.statements: the exact range in the YAML, and its fix', () => {
  const text = fixture(DIR, 'open-key', 'serverless.yml');
  const { result, findings } = check(text);
  const [unknown] = ofRule(findings, 'action-unknown');
  assert.ok(unknown, 'action-unknown is reported');
  assert.equal(covered(text, unknown), 'kms:Decrpyt');
  assert.equal(where(text, unknown), '14:15-14:26');
  assert.equal(result.models.find((m) => unknown.start >= m.root.offset && unknown.start <= m.root.offset + m.root.length)?.address, 'provider.iam.role.statements');
  const fix = unknown.fixes?.find((f) => f.title.includes('kms:Decrypt'));
  assert.ok(fix, 'a fix to kms:Decrypt');
  const fixed = applyEdits(text, fix.edits);
  assert.ok(fixed.includes('            - kms:Decrypt\n'));
  assert.equal(parseYaml(fixed).doc?.errors.length, 0);
  assert.deepEqual(ofRule(check(fixed).findings, 'action-unknown'), []);
});

test('a kms:* to "*" key policy under resources.Resources: wildcard-principal', () => {
  const text = fixture(DIR, 'open-key', 'serverless.yml');
  const { result, findings } = check(text);
  const [open] = ofRule(findings, 'wildcard-principal');
  assert.ok(open, 'wildcard-principal is reported');
  assert.equal(covered(text, open), "'*'");
  assert.equal(where(text, open), '29:26-29:29');
  const key = result.models.find((m) => m.kind === 'key-policy')!;
  assert.equal(key.address, 'PaymentsKey KeyPolicy');
  assert.ok(open.start >= key.root.offset && open.end <= key.root.offset + key.root.length);
  // Every fix offered gives YAML that still parses.
  for (const finding of findings) {
    for (const fix of finding.fixes ?? []) assert.equal(parseYaml(applyEdits(text, fix.edits)).doc?.errors.length, 0, `${finding.ruleId}: ${fix.title}`);
  }
});

test('the older provider.iamRoleStatements, with CloudFormation functions', () => {
  const text = fixture(DIR, 'legacy', 'serverless.yml');
  const { source, findings } = check(text);
  assert.deepEqual(source.policies.map((p) => [p.address, p.kind, p.fragment]), [['provider.iamRoleStatements', 'identity-policy', true]]);
  const joined = nodes(source.policies[0].root).filter((n) => n.parts);
  assert.deepEqual(joined.map((n) => n.value), ['arn:aws:s3:::${Ref ServerlessDeploymentBucket}', 'arn:aws:s3:::${Ref ServerlessDeploymentBucket}/*']);
  assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
});

test('!Sub in a statement: CloudFormation variables and Serverless variables side by side', () => {
  const text = [
    'provider:',
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    '          Action: kms:Decrypt',
    '          Resource: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${self:custom.keyId}',
    '',
  ].join('\n');
  const source = read(text);
  const [node] = nodes(source.policies[0].root).filter((n) => n.parts);
  assert.deepEqual(node.parts, [
    { literal: 'arn:' },
    { unknown: 'AWS::Partition', meaning: 'partition' },
    { literal: ':kms:' },
    { unknown: 'AWS::Region', meaning: 'region' },
    { literal: ':' },
    { unknown: 'AWS::AccountId', meaning: 'owner-account' },
    { literal: ':key/' },
    unknownPart('sls self:custom.keyId'),
  ]);
  assert.equal(covered(text, { start: node.offset, end: node.offset + node.length }), '!Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${self:custom.keyId}');
});

test('the editor refuses nodes with parts, and edits the rest', () => {
  const text = fixture(DIR, 'service', 'serverless.yml');
  const source = read(text);
  const editor = source.editor;
  const variable = nodeWritten(source, 'arn:aws:kms:${aws:region}:${aws:accountId}:key/${self:custom.keyId}');
  assert.equal(editor.canEdit?.(variable), false);
  assert.equal(editor.canEdit?.(nodeWritten(source, '!GetAtt OrdersKey.Arn')), false);
  const plain = nodeWritten(source, "'arn:aws:s3:::my-bucket-name/*'");
  assert.equal(editor.canEdit?.(plain), true);
  const edit = editor.replaceString({ start: plain.offset, end: plain.offset + plain.length }, 'arn:aws:s3:::other-bucket/*');
  assert.equal(applyEdits(text, [edit]).includes("- 'arn:aws:s3:::other-bucket/*'"), true);
  // A fix on a templated value is dropped, not written over the variable.
  const { findings } = check(text.replace('Action: kms:Encrypt', 'Action: kms:Encrypt\n          NotResource: ${self:custom.other}'));
  for (const finding of findings) for (const fix of finding.fixes ?? []) for (const e of fix.edits) assert.ok(!text.slice(e.start, e.end).includes('${self:custom.other}'));
});

test('files without policies, and files that are no service: zero policies, zero findings', () => {
  const texts = [
    '',
    '# just a comment\n',
    'service: hello\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n  hello:\n    handler: handler.hello\n',
    'service: no-provider\nfunctions:\n  hello:\n    handler: handler.hello\n',
    'provider: aws\n',
    'provider:\n  name: aws\n  iam:\n    role: arn:aws:iam::123456789012:role/execution-role\n',
    'provider:\n  name: aws\n  iam:\n    role:\n      statements: ${file(./iam.yml):statements}\n',
    'provider:\n  iam:\n    role:\n      statements: !Ref Statements\n',
    'provider:\n  iamRoleStatements: {}\n',
    'resources: ${file(./resources.yml)}\n',
    'resources:\n  - ${file(./resources.yml)}\n  - Outputs: {}\n',
    'resources:\n  Resources:\n    Table:\n      Type: AWS::DynamoDB::Table\n      Properties:\n        TableName: t\n',
    '- a\n- b\n',
    'just text\n',
  ];
  for (const text of texts) {
    const { source, findings } = check(text);
    assert.deepEqual(source.policies, [], text);
    assert.deepEqual(findings, [], text);
  }
});

test('resources as a list of CloudFormation fragments', () => {
  const text = [
    'resources:',
    '  - ${file(./queues.yml)}',
    '  - Resources:',
    '      KeyA:',
    '        Type: AWS::KMS::Key',
    '        Properties:',
    "          KeyPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: 'arn:aws:iam::${aws:accountId}:root'}, Action: 'kms:*', Resource: '*'}]}",
    '  - Resources:',
    '      ReaderPolicy:',
    '        Type: AWS::IAM::ManagedPolicy',
    '        Properties:',
    '          PolicyDocument:',
    "            Version: '2012-10-17'",
    '            Statement:',
    '              - Effect: Allow',
    '                Action: kms:Decrypt',
    '                Resource: !GetAtt KeyA.Arn',
    '',
  ].join('\n');
  const { source, findings } = check(text);
  assert.deepEqual(source.policies.map((p) => [p.address, p.kind]), [['KeyA KeyPolicy', 'key-policy'], ['ReaderPolicy PolicyDocument', 'identity-policy']]);
  assert.deepEqual(nodeWritten(source, '!GetAtt KeyA.Arn').parts, [{ unknown: '!GetAtt KeyA.Arn', meaning: 'key-arn', resource: 'KeyA' }]);
  assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
});

test('a broken file does not crash: what the YAML parser recovers, no fixes, every range inside the text', () => {
  const text = fixture(DIR, 'broken', 'serverless.yml');
  const { source, findings } = check(text);
  assert.equal(source.broken, true);
  for (const finding of findings) assert.equal(finding.fixes, undefined, finding.ruleId);

  const hostile = [
    'provider:\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: [kms:Decrypt\n',
    'provider: {iam: {role: {statements: [{Effect: Allow, Action: kms:Decrypt, Resource: "*"}',
    'provider:\n\tiam:\n\t\trole:\n',
    ':\n:\n- : -\n',
    '---\nprovider: 1\n---\nprovider: 2\n',
    'provider:\n  iam:\n    role:\n      statements: &s\n        - *s\n',
    'provider:\n  iamRoleStatements:\n    - ${\n    - Resource: ${self:\n    - Resource: "${opt:x, \'}"\n    - Resource: ${${${${\n',
    'provider:\n  iamRoleStatements: [' + '['.repeat(5_000) + ']'.repeat(5_000) + ']\n',
    // Unclosed variables with quoted fallbacks (the engine's own reading of `${` grows with the square of their number: kept small).
    'provider:\n  iamRoleStatements:\n    - Resource: "' + "${opt:x, '".repeat(2_000) + '"\n',
    '\u0000\u0001\uFFFD',
  ];
  // A billion laughs: nine aliases of nine aliases ... of nine strings.
  const bomb = ['a: &a [l, l, l, l, l, l, l, l, l]'];
  const letters = 'abcdefghi';
  for (let i = 1; i < letters.length; i++) bomb.push(`${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(', ')}]`);
  bomb.push('provider:\n  iamRoleStatements:\n    - Effect: Allow\n      Action: *i\n      Resource: "*"');
  hostile.push(bomb.join('\n') + '\n');
  for (const text of hostile) {
    const { source: read } = check(text);
    for (const policy of read.policies) for (const node of nodes(policy.root)) assert.ok(node.offset >= 0 && node.offset + node.length <= text.length);
  }
});

test('random edits of the fixtures: no throw, every range inside the text', () => {
  const texts = ['service', 'open-key', 'legacy'].map((name) => fixture(DIR, name, 'serverless.yml'));
  fc.assert(
    fc.property(
      fc.nat(texts.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom('', ' ', '\n', ':', '- ', '!Sub ', '*a', '&a ', '{', '[', '"', "'", '\t', '#', '${', '}', '${self:x}', '${aws:region}', ', ')), { maxLength: 6 }),
      (index, changes) => {
        let text = texts[index];
        for (const [at, cut, insert] of changes) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + cut));
        }
        check(text);
      },
    ),
    { numRuns: 150 },
  );
});

test('explain: the provider statements apply to the functions role, and a key without KeyPolicy is known', () => {
  const text = fixture(DIR, 'service', 'serverless.yml');
  // Serverless names the role <service>-<stage>-<region>-lambdaRole; this file leaves stage and region to the command line.
  assert.deepEqual(serverlessHost.attachedPolicies?.(text, { fileName: 'serverless.yml' }, 'role', 'orders-prod-eu-west-1-lambdaRole'), ['provider.iam.role.statements']);
  assert.deepEqual(serverlessHost.attachedPolicies?.(text, { fileName: 'serverless.yml' }, 'role', 'billing-prod-eu-west-1-lambdaRole'), []);
  assert.deepEqual(serverlessHost.attachedPolicies?.(text, { fileName: 'serverless.yml' }, 'user', 'orders-prod-eu-west-1-lambdaRole'), []);
  const named = 'service: orders\nprovider:\n  stage: prod\n  iam:\n    role:\n      name: orders-functions\n      statements:\n        - Effect: Allow\n          Action: kms:Decrypt\n          Resource: "*"\n';
  assert.deepEqual(serverlessHost.attachedPolicies?.(named, { fileName: 'serverless.yml' }, 'role', 'orders-functions'), ['provider.iam.role.statements']);
  assert.deepEqual(serverlessHost.attachedPolicies?.(named, { fileName: 'serverless.yml' }, 'role', 'orders-prod-us-east-1-lambdaRole'), []);
  const legacy = fixture(DIR, 'legacy', 'serverless.yml');
  assert.deepEqual(serverlessHost.attachedPolicies?.(legacy, { fileName: 'serverless.yml' }, 'role', 'legacy-service-dev-us-east-1-lambdaRole'), ['provider.iamRoleStatements']);

  const keys = 'resources:\n  Resources:\n    Plain:\n      Type: AWS::KMS::Key\n      Properties:\n        Description: default key policy\n    Own:\n      Type: AWS::KMS::Key\n      Properties:\n        KeyPolicy: {Statement: []}\n';
  assert.equal(serverlessHost.keyWithoutPolicy?.(keys, { fileName: 'serverless.yml' }, 'Plain'), true);
  assert.equal(serverlessHost.keyWithoutPolicy?.(keys, { fileName: 'serverless.yml' }, 'Own'), false);
  assert.equal(serverlessHost.keyWithoutPolicy?.(keys, { fileName: 'serverless.yml' }, 'Missing'), false);
  assert.equal(serverlessHost.keyWithoutPolicy?.('{{{', { fileName: 'serverless.yml' }, 'Plain'), false);
});

// The same list under a CloudFormation PolicyDocument's Statement gets element-type on each item
// that is not an object; the provider statements are a Statement list too.
test('provider statements that are not objects: element-type on each, as in a PolicyDocument', () => {
  const text = ['service: orders', 'provider:', '  name: aws', '  iamRoleStatements:', '    - 1', '    - null', '    - Effect: Allow', '      Action: kms:Decrypt', '      Resource: !GetAtt OrdersKey.Arn', ''].join('\n');
  const result = check(text);
  const wrong = ofRule(result.findings, 'element-type');
  assert.deepEqual(wrong.map((f) => covered(text, f)), ['1', 'null']);
  assert.match(wrong[0].message, /Each statement must be an object/);
});

// Serverless Framework reads serverless.yml as YAML: an unclosed quote stops it, and Keyshare says so where it is.
test('a serverless.yml that is not valid YAML gets a yaml-syntax error, not silence', () => {
  const text = 'service: orders\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: kms:Decrypt\n          Resource: "arn:aws:kms:us-east-1:111122223333:key/${self:custom.keyId}\nfunctions:\n  hello:\n    handler: handler.hello\n';
  const result = checkDocument(text, sharedCatalog(), { fileName: 'serverless.yml' });
  assert.equal(result.isPolicy, true);
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'yaml-syntax').map((f) => f.severity), ['error']);
});
