// The bundled language server over stdio, as an editor sees it.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/engine';
import { fixture, KEY_ARN, policy, repoRoot, ROOT_STATEMENT, USAGE } from './helpers';
import { applyTextEdits, LspClient } from './lspClient';

const server = path.join(repoRoot, 'server', 'out', 'server.js');
let client: LspClient;

before(async () => {
  assert.ok(fs.existsSync(server), 'run `npm run build` first (npm test does)');
  client = new LspClient(server);
  await client.initialize(repoRoot, { debounceMs: 0 });
});
after(async () => {
  await client.stop();
});

const uri = (name: string) => `file:///virtual/${name}`;


test('diagnostics on seed 002 carry exact ranges, rule id, source and a doc link', async () => {
  const diagnostics = await client.open(uri('seed002.iam.json'), fixture('seeds', 'seed002-alias-resource.iam.json'));
  const alias = diagnostics.find((d) => d.code === 'alias-arn-as-resource')!;
  assert.deepEqual(alias.range, { start: { line: 9, character: 12 }, end: { line: 9, character: 75 } });
  assert.equal(alias.source, 'keyshare');
  assert.equal(alias.severity, 1);
  assert.match(alias.codeDescription!.href, /docs\/rules\/alias-arn-as-resource\.md$/);
  assert.deepEqual(alias.tags, [1], 'Unnecessary: the statement has no effect');
  const comma = diagnostics.find((d) => d.code === 'json-strict')!;
  assert.deepEqual(comma.range, { start: { line: 7, character: 13 }, end: { line: 7, character: 14 } });
});

test('a quick fix gives the expected text', async () => {
  const text = fixture('seeds', 'seed001-key-policy.json');
  const diagnostics = await client.open(uri('seed001.key-policy.json'), text);
  const invalid = diagnostics.find((d) => d.code === 'principal-invalid')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri('seed001.key-policy.json') }, range: invalid.range, context: { diagnostics: [invalid] } });
  const fix = actions.find((a) => a.title === 'Change to "arn:aws:iam::109876543210:user/User1"')!;
  assert.equal(fix.isPreferred, true);
  const fixed = applyTextEdits(text, fix.edit!.changes![uri('seed001.key-policy.json')]);
  assert.ok(fixed.includes('"arn:aws:iam::109876543210:user/User1","arn:aws:iam::012345678901:root"'));
  assert.ok(actions.some((a) => a.title === 'Fix all json-strict problems in this file' || a.title === 'Fix all safe Keyshare problems in this file'));
});

test('source.fixAll.keyshare straightens seed 000 into strict JSON', async () => {
  const text = fixture('seeds', 'seed000-cross-ou.policy.json');
  await client.open(uri('seed000.policy.json'), text);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri('seed000.policy.json') }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.keyshare'] } });
  assert.equal(actions.length, 1);
  const fixed = applyTextEdits(text, actions[0].edit!.changes![uri('seed000.policy.json')]);
  assert.doesNotThrow(() => JSON.parse(fixed));
});

test('hover explains an action wildcard, an alias ARN and the document root', async () => {
  const text = policy([ROOT_STATEMENT, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }]);
  await client.open(uri('hover.key-policy.json'), text);
  const lines = new LineIndex(text);
  const at = (needle: string) => lines.positionAt(text.indexOf(needle) + 2);
  const action = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('hover.key-policy.json') }, position: at('"kms:GenerateDataKey*"') });
  const value = (action.contents as { value: string }).value;
  assert.match(value, /matches 4 AWS Key Management Service actions/);
  assert.match(value, /kms:GenerateDataKeyWithoutPlaintext/);
  const principal = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('hover.key-policy.json') }, position: at('"arn:aws:iam::444455556666:root"') });
  assert.match((principal.contents as { value: string }).value, /external account/);
  const root = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('hover.key-policy.json') }, position: { line: 0, character: 0 } });
  assert.match((root.contents as { value: string }).value, /KMS key policy.*\n\nAccount: `111122223333` \(inferred from the key policy's own root-account statement\)/);
  const aliasText = policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]);
  await client.open(uri('hover-alias.iam.json'), aliasText);
  const aliasLines = new LineIndex(aliasText);
  const alias = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('hover-alias.iam.json') }, position: aliasLines.positionAt(aliasText.indexOf('alias/data')) });
  assert.match((alias.contents as { value: string }).value, /Alias: `alias\/data`[\s\S]*controls only the alias operations/);
});

test('completion offers statement elements, actions with descriptions and condition keys', async () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": ["kms:Dec"],\n      ""\n    }\n  ]\n}';
  await client.open(uri('complete.iam.json'), text);
  const lines = new LineIndex(text);
  const items = async (offset: number) => {
    const result = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: uri('complete.iam.json') }, position: lines.positionAt(offset) });
    return Array.isArray(result) ? result : result.items;
  };
  const keys = await items(text.indexOf('""') + 1);
  const labels = keys.map((i) => i.label);
  assert.ok(labels.includes('Resource') && labels.includes('Condition'));
  assert.ok(!labels.includes('Effect') && !labels.includes('Action'), 'present elements are not offered again');
  const actions = await items(text.indexOf('kms:Dec') + 7);
  const decrypt = actions.find((i) => i.label === 'kms:Decrypt')!;
  assert.equal(decrypt.detail, 'Write');
  assert.match((decrypt.documentation as { value: string }).value, /decrypt/i);
  assert.ok(actions.length > 50);
});

test('outline lists statements by Sid; formatting honours tab settings', async () => {
  const text = '{"Version":"2012-10-17","Statement":[{"Sid":"UseKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"' + KEY_ARN + '"},{"Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}';
  await client.open(uri('outline.iam.json'), text);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('outline.iam.json') } });
  const statement = symbols.find((s) => s.name === 'Statement')!;
  assert.deepEqual(statement.children!.map((c) => c.name), ['UseKey', 'Statement 2']);
  assert.equal(statement.children![0].detail, 'Allow kms:Decrypt');
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri('outline.iam.json') }, options: { tabSize: 4, insertSpaces: true } });
  const formatted = applyTextEdits(text, edits);
  assert.equal(formatted, JSON.stringify(JSON.parse(text), null, 4));
});

test('non-policy JSON gets zero diagnostics', async () => {
  const diagnostics = await client.open(uri('package.json'), JSON.stringify({ name: 'x', version: '1.0.0', dependencies: { a: '1' } }, null, 2));
  assert.deepEqual(diagnostics, []);
});

test('the server keeps answering after garbage text and a 5 MB document', async () => {
  const garbage = await client.open(uri('garbage.policy.json'), '\u0000\u0001{{{[[["Statement" \ud800 ,,, }');
  assert.ok(garbage.length > 0);
  const statement = { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN };
  const big = policy(Array.from({ length: 40_000 }, () => statement));
  assert.ok(big.length > 5_000_000);
  const bigDiagnostics = await client.open(uri('big.iam.json'), big);
  assert.ok(bigDiagnostics.some((d) => d.code === 'policy-size'));
  const after = await client.open(uri('after.key-policy.json'), policy([ROOT_STATEMENT, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::AccountB-ID:root' }, Action: USAGE, Resource: '*' }]));
  assert.ok(after.some((d: Diagnostic) => d.code === 'principal-invalid'));
});

test('an edit updates diagnostics, newest version wins', async () => {
  const name = uri('edit.iam.json');
  const bad = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]);
  assert.ok((await client.open(name, bad)).some((d) => d.code === 'alias-arn-as-resource'));
  const good = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN }]);
  assert.deepEqual(await client.change(name, 2, good), []);
});
