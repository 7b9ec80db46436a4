// Typing in a large template re-reads only the resource an edit touches. That is only right if
// the tree it builds equals a full parse of the new text, and the findings equal a full check:
// both are held here over seeded random edit sequences (the edits a user makes, and the ones
// that change a template's shape: new lines, dedents, brackets, quotes, anchors, documents).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readYamlTree } from '../../server/src/hosts/cloudformation/yamlTree';
import { rereadEntry, YamlTreeCache } from '../../server/src/hosts/cloudformation/yamlIncremental';
import { checkDocument } from '../../server/src/hosts';
import { random } from '../../bench/corpus';
import { EditorBuffers } from '../../server/src/project/buffers';
import { sharedCatalog } from '../../server/src/catalog/iamData';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: A key shared with a consumer account, and the roles that use it
Parameters:
  ConsumerAccount:
    Type: String
    AllowedPattern: '^\\d{12}$'
Resources:
  # The data key
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: |
        Encrypts the data bucket.
        Shared with the consumer account.
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Enable IAM policies
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
          - Sid: Allow use of the key
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${ConsumerAccount}:root' }
            Action: [kms:Decrypt, kms:DescribeKey, kms:GenerateDataKey*]
            Resource: "*"

  DataAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/data
      TargetKeyId: !Ref DataKey
  ReaderRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - kms:Decrypt
                Resource: !GetAtt DataKey.Arn
              - Effect: Allow
                Action: kms:Decrypt
                Resource: arn:aws:kms:us-east-1:111122223333:alias/data
  WriterPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref ReaderRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: kms:Encrypt
            Resource: "*"
            Condition:
              StringEquals:
                kms:ViaService: !Sub s3.\${AWS::Region}.amazonaws.com
Outputs:
  KeyArn:
    Value: !GetAtt DataKey.Arn
`;

/** Snippets a random edit inserts: ordinary typing, and text that changes the template's shape. */
const SNIPPETS = [
  'x', 'kms:', ' ', '  ', '\n', '\n    ', '\n  ', '\n  Extra:\n    Type: AWS::SNS::Topic\n', '\n            Sid: Added\n',
  ':', ': ', '"', "'", '[', ']', '{', '}', ',', '#', ' # keyshare:ignore kms-resource-wildcard reviewed', '- ', '&anchor ',
  ' *anchor', '|', '>-\n', '---\n', '...\n', '\t', '!Sub ', '!Ref ', 'Resources:', '\nOutputs:\n', '*', '111122223333', 'Deny',
  '\n\n', '\n \n', '? ', '%YAML 1.1\n', '\r\n',
  '\n  Another:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Principal: "*"\n            Action: kms:*\n            Resource: "*"\n',
];

/** One random edit: mostly inside Resources, where people type. */
function edit(text: string, next: () => number): string {
  const resources = text.indexOf('Resources:');
  const low = resources >= 0 && next() < 0.85 ? resources + 10 : 0;
  const at = low + Math.floor(next() * (text.length - low + 1));
  const kind = next();
  if (kind < 0.5) {
    return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  }
  const length = 1 + Math.floor(next() * (kind < 0.8 ? 4 : 40));
  if (kind < 0.9) return text.slice(0, at) + text.slice(at + length);
  return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at + length);
}

for (const comments of [false, true]) {
  test(`incremental YAML re-read equals a full parse over 200 random edits, three seeds${comments ? ' (with comments)' : ''}`, () => {
    let reread = 0;
    let total = 0;
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      let text = TEMPLATE;
      let previous = { text, read: readYamlTree(text, comments) };
      for (let i = 0; i < 200; i++) {
        // Now and then, back to the clean template: a broken text is re-read whole.
        const before = text;
        text = next() < 0.1 ? TEMPLATE : edit(text, next);
        const full = readYamlTree(text, comments);
        const incremental = rereadEntry(previous, text, comments);
        if (previous.read.errors === 0 && full.errors === 0) total++;
        if (incremental) {
          reread++;
          assert.deepEqual(incremental, full, `seed ${seed}, edit ${i}: ${JSON.stringify(text)}`);
        }
        previous = { text, read: incremental ?? full };
        // Most mistakes are undone: back to the text before, re-read against the broken one.
        if (full.errors > 0 && next() < 0.95) {
          text = before;
          const undone = rereadEntry(previous, text, comments) ?? readYamlTree(text, comments);
          previous = { text, read: undone };
        }
      }
    }
    // Between two texts that parse, the re-read has to be the usual path, or the test proves nothing.
    assert.ok(reread > total * 0.6, `only ${reread} of ${total} edits between clean texts were re-read incrementally`);
  });
}

/** Edits at the boundaries the re-read must respect, each made at the start of a line of DataAlias (a middle entry). */
const SHAPE_EDITS: [string, (line: string) => string][] = [
  ['a document end marker', (line) => `...\n${line}`],
  ['a document start marker', (line) => `---\n${line}`],
  ['the entry key indented one more', (line) => (line.startsWith('  DataAlias') ? ` ${line}` : line)],
  ['the entry key dedented', (line) => (line.startsWith('  DataAlias') ? line.slice(1) : line)],
  ['a top-level key', (line) => `Conditions:\n${line}`],
  ['a second entry', (line) => `  Topic:\n    Type: AWS::SNS::Topic\n${line}`],
  ['an anchor', (line) => line.replace('alias/data', '&name alias/data')],
  ['an alias', (line) => line.replace('alias/data', '*name')],
  ['an open flow sequence', (line) => line.replace('alias/data', '[alias/data')],
  ['an open quote', (line) => line.replace('alias/data', '"alias/data')],
  ['a tab', (line) => `\t${line}`],
  ['a comment at column 0', (line) => `# note\n${line}`],
  ['a block scalar', (line) => line.replace('alias/data', '|\n        alias/data')],
];

for (const [name, change] of SHAPE_EDITS) {
  test(`incremental YAML re-read at a boundary: ${name}`, () => {
    const lines = TEMPLATE.split('\n');
    const first = lines.indexOf('  DataAlias:');
    for (let i = first; i < first + 5; i++) {
      const text = [...lines.slice(0, i), change(lines[i]), ...lines.slice(i + 1)].join('\n');
      if (text === TEMPLATE) continue;
      const incremental = rereadEntry({ text: TEMPLATE, read: readYamlTree(TEMPLATE, true) }, text, true);
      if (incremental) assert.deepEqual(incremental, readYamlTree(text, true), `line ${i}: ${JSON.stringify(text)}`);
    }
  });
}

test('incremental YAML re-read at a boundary: the next entry joined to the last line of this one', () => {
  for (const joined of ['TargetKeyId: !Ref DataKey  ReaderRole:', 'TargetKeyId: !Ref DataKey ReaderRole', 'TargetKeyId: !Ref DataKey']) {
    const text = TEMPLATE.replace('TargetKeyId: !Ref DataKey\n  ReaderRole:', joined);
    const incremental = rereadEntry({ text: TEMPLATE, read: readYamlTree(TEMPLATE) }, text, false);
    if (incremental) assert.deepEqual(incremental, readYamlTree(text), joined);
  }
});

/** Edits found by a review, each once wrong: the re-read must equal a full parse (or give way to one). */
const REVIEWED: [string, string, string][] = [
  ['a key dedented to column 0 behind blank lines', '  ReaderRole:', '\n\nReaderRole:'],
  ['a top-level key behind a blank line with one space', '  WriterPolicy:\n    Type: AWS::IAM::ManagedPolicy', '  WriterPolicy:\n    Type: AWS::IAM::ManagedPolicy\n \nConditions:\n Extra: x'],
  ['a resource name being retyped (an empty key)', '  DataAlias:', '  :'],
  ['a complex key', '      AliasName: alias/data', '      AliasName: alias/data\n      ? S: x\n      : y'],
  ['a mapping of complex keys only, at the end of an entry', '      TargetKeyId: !Ref DataKey\n', '      TargetKeyId:\n        ? S: x\n'],
  ['a line that starts with a tab', '      TargetKeyId: !Ref DataKey', '\t      TargetKeyId: !Ref DataKey'],
  ['CRLF line ends', 'TargetKeyId: !Ref DataKey\n', 'TargetKeyId: !Ref DataKey2\r\n'],
];

for (const [name, from, to] of REVIEWED) {
  test(`incremental YAML re-read: ${name}`, () => {
    assert.ok(TEMPLATE.includes(from), from);
    const text = TEMPLATE.replace(from, to);
    const incremental = rereadEntry({ text: TEMPLATE, read: readYamlTree(TEMPLATE, true) }, text, true);
    assert.deepEqual(incremental ?? readYamlTree(text, true), readYamlTree(text, true));
  });
}

test('incremental YAML re-read: a template with directives (%YAML 1.1) is read whole, and its findings are a full check\'s', () => {
  const catalog = sharedCatalog();
  const buffers = new EditorBuffers();
  const directed = `%YAML 1.1\n---\n${TEMPLATE.replace("Action: kms:Decrypt\n                Resource: arn:aws:kms", "Action: kms:Decrypt\n                Condition: { Bool: { kms:GrantIsForAWSResource: yes } }\n                Resource: arn:aws:kms")}`;
  const typed = directed.replace('Sid: Allow use of the key', 'Sid: Allow use of the key by partners');
  assert.equal(rereadEntry({ text: directed, read: readYamlTree(directed) }, typed, false), undefined);
  checkDocument(directed, catalog, { fileName: '/project/directed.yaml', buffers });
  const edited = checkDocument(typed, catalog, { fileName: '/project/directed.yaml', buffers });
  assert.deepEqual(edited.findings, checkDocument(typed, catalog, { fileName: '/project/directed.yaml' }).findings);
});

test('incremental YAML re-read: typing inside a resource is re-read, not parsed whole', () => {
  const typed = TEMPLATE.replace('Sid: Allow use of the key', 'Sid: Allow use of the key by partners');
  const incremental = rereadEntry({ text: TEMPLATE, read: readYamlTree(TEMPLATE) }, typed, false);
  assert.ok(incremental);
  assert.deepEqual(incremental, readYamlTree(typed));
});

test('the findings of a buffer checked edit after edit equal a full check of each version', () => {
  const catalog = sharedCatalog();
  const buffers = new EditorBuffers();
  const next = random(7);
  let text = TEMPLATE;
  for (let i = 0; i < 200; i++) {
    text = next() < 0.1 ? TEMPLATE : edit(text, next);
    const edited = checkDocument(text, catalog, { fileName: '/project/stack.yaml', buffers });
    const whole = checkDocument(text, catalog, { fileName: '/project/stack.yaml' });
    assert.deepEqual(edited.findings, whole.findings, `edit ${i}: ${JSON.stringify(text)}`);
    assert.equal(edited.models.length, whole.models.length);
  }
});

test('a buffer cache keeps a few buffers apart and re-reads the same text for free', () => {
  const cache = new YamlTreeCache(2);
  const a = cache.read('a.yaml', TEMPLATE, false);
  assert.equal(cache.read('a.yaml', TEMPLATE, false), a);
  const typed = TEMPLATE.replace('alias/data\n', 'alias/data2\n');
  const b = cache.read('b.yaml', typed, false);
  assert.deepEqual(b, readYamlTree(typed));
  // An edit of a.yaml is read against a.yaml's last text, not b.yaml's.
  const aEdited = TEMPLATE.replace('Sid: Allow use of the key', 'Sid: Allow use');
  assert.deepEqual(cache.read('a.yaml', aEdited, false), readYamlTree(aEdited));
});
