// What a new user meets in the editor: statement snippets that keep the JSON valid, hover,
// quick fixes that need keyshare.json, and quiet empty files.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/engine';
import { parseConfig } from '../../server/src/workspace/config';
import { policy, repoRoot, ROOT_STATEMENT, temporaryFolder } from './helpers';
import { applyTextEdits, LspClient } from './lspClient';

const server = path.join(repoRoot, 'server', 'out', 'server.js');
const OWNER = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
let dir: string;
let client: LspClient;
const uriOf = (relative: string) => `file://${path.join(dir, relative)}`;

before(async () => {
  dir = temporaryFolder('keyshare-lsp-editor-');
  fs.mkdirSync(path.join(dir, 'owner'));
  fs.mkdirSync(path.join(dir, 'b'));
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify({
    accounts: [{ id: OWNER, name: 'security', paths: ['owner/**'] }, { id: B, name: 'workload', paths: ['b/**'] }],
    keys: [{ arn: KEY, policy: 'owner/data.key-policy.json', aliases: ['alias/data'] }],
  }, null, 2));
  client = new LspClient(server);
  await client.initialize(dir, { debounceMs: 0 });
  await client.waitForLog(/Keyshare indexed \d+ JSON files/);
});
after(async () => {
  await client.stop();
});

async function completions(uri: string, text: string, offset: number): Promise<CompletionItem[]> {
  const position = new LineIndex(text).positionAt(offset);
  const result = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position });
  return Array.isArray(result) ? result : result.items;
}

/** The text after accepting a completion item, its snippet placeholders replaced by their defaults. */
function accept(text: string, item: CompletionItem): string {
  const edits = [item.textEdit as TextEdit, ...(item.additionalTextEdits ?? [])];
  const inserted = applyTextEdits(text, edits);
  return inserted.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{?\d+\}?/g, '444455556666');
}

test('a statement snippet between two statements carries the commas it needs', async () => {
  const uri = uriOf('owner/between.key-policy.json');
  const second = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:Decrypt', Resource: '*' };
  const base = policy([ROOT_STATEMENT, second]);
  // The cursor on an empty line between the two statements (after the first one's comma, and without it).
  for (const withComma of [true, false]) {
    const cut = base.indexOf('},\n    {') + 1;
    const text = withComma ? `${base.slice(0, cut + 1)}\n    ks-gr\n${base.slice(cut + 2)}` : `${base.slice(0, cut)}\n    ks-gr\n${base.slice(cut + 1)}`;
    await client.open(uri, text, 'iam-policy', withComma ? 1 : 2);
    const items = await completions(uri, text, text.indexOf('ks-gr') + 5);
    const grants = items.find((i) => i.label === 'ks-grants');
    assert.ok(grants, items.map((i) => i.label).join());
    const result = accept(text, grants);
    const parsed = JSON.parse(result);
    assert.equal(parsed.Statement.length, 3, result);
    assert.equal(parsed.Statement[1].Sid, 'Allow attachment of persistent resources');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  // At the end, after the last statement: a comma before, none after.
  const text = base.replace(/\}\n  \]\n\}$/, '}\n    \n  ]\n}');
  await client.open(uri, text, 'iam-policy', 3);
  const items = await completions(uri, text, text.lastIndexOf('    \n') + 4);
  const result = accept(text, items.find((i) => i.label === 'ks-key-admins')!);
  assert.equal(JSON.parse(result).Statement.length, 3, result);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('inside a key policy only key-policy statements are offered; inside an identity policy only identity ones', async () => {
  const keyUri = uriOf('owner/offers.key-policy.json');
  const keyText = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    \n  ]\n}';
  await client.open(keyUri, keyText, 'iam-policy');
  const keyLabels = (await completions(keyUri, keyText, keyText.indexOf('    \n') + 4)).map((i) => i.label);
  assert.ok(keyLabels.includes('ks-enable-iam') && keyLabels.includes('ks-via-service'), keyLabels.join());
  assert.ok(!keyLabels.includes('ks-iam-use-key') && !keyLabels.includes('ks-key-policy') && !keyLabels.includes('ks-iam-external-key'), keyLabels.join());
  const iamUri = uriOf('b/offers.iam.json');
  await client.open(iamUri, keyText, 'iam-policy');
  const iamLabels = (await completions(iamUri, keyText, keyText.indexOf('    \n') + 4)).map((i) => i.label);
  assert.deepEqual(iamLabels.sort(), ['ks-iam-alias', 'ks-iam-use-key']);
  // An empty file gets whole policies of its kind.
  const emptyUri = uriOf('owner/empty.key-policy.json');
  await client.open(emptyUri, '', 'iam-policy');
  const documents = await completions(emptyUri, '', 0);
  assert.deepEqual(documents.map((i) => i.label), ['ks-key-policy']);
  assert.doesNotThrow(() => JSON.parse(accept('', documents[0])));
});

test('the kms:ViaService snippet offers ec2 for EBS, never ebs.<region>.amazonaws.com', () => {
  const snippets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'snippets', 'statements.code-snippets'), 'utf8'));
  const body = (snippets['Use only through an AWS service (key policy)'].body as string[]).join('\n');
  assert.match(body, /\$\{1\|s3,ec2,/);
  assert.doesNotMatch(body, /ebs/);
});

test('an empty or whitespace-only policy file shows nothing until it holds something', async () => {
  const uri = uriOf('owner/new.policy.json');
  assert.deepEqual(await client.open(uri, '', 'iam-policy'), []);
  assert.deepEqual(await client.change(uri, 2, '  \n\t\n'), []);
  const typed = await client.change(uri, 3, '{');
  assert.ok(typed.some((d) => d.code === 'json-syntax'), 'a broken start is reported');
});

test('hover on an action groups its condition keys: one line for the kms:RecipientAttestation family', async () => {
  const uri = uriOf('b/hover.iam.json');
  const text = policy([{ Sid: 'UseKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }]);
  await client.open(uri, text, 'iam-policy');
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: new LineIndex(text).positionAt(text.indexOf('kms:Decrypt') + 2) });
  const value = hover.contents.value;
  const attestation = value.split('\n').filter((l) => l.includes('kms:RecipientAttestation:'));
  assert.equal(attestation.length, 1, value);
  assert.match(attestation[0], /`kms:RecipientAttestation:\*` \(\d+ keys: /);
  assert.match(value, /- `kms:ViaService`/);
  assert.ok(value.split('\n').length < 20, value);
});

test('Insert Cross-Account Statement: the side and the accounts and keys of keyshare.json, a unique Sid, where it went', async () => {
  const keyUri = uriOf('owner/data.key-policy.json');
  const text = policy([ROOT_STATEMENT]);
  await client.open(keyUri, text, 'iam-policy');
  const choices = await client.request<{ side?: string; account?: string; accounts: { id: string; name?: string }[]; keys: { arn: string }[] }>('keyshare/insertStatementChoices', { uri: keyUri });
  assert.deepEqual([choices.side, choices.account, choices.accounts], ['owner', OWNER, [{ id: B, name: 'workload' }]]);
  const iamUri = uriOf('b/user.iam.json');
  await client.open(iamUri, '', 'iam-policy');
  const userChoices = await client.request<{ side?: string; keys: { arn: string; aliases: string[] }[] }>('keyshare/insertStatementChoices', { uri: iamUri });
  assert.deepEqual([userChoices.side, userChoices.keys], ['user', [{ arn: KEY, aliases: ['alias/data'] }]]);

  const statement = { Sid: 'Allow use of the key by 444455556666', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['kms:Decrypt'], Resource: '*' };
  let current = text;
  for (let run = 1; run <= 2; run++) {
    const edit = await client.request<{ range: TextEdit['range']; newText: string; inserted: TextEdit['range'] }>('keyshare/insertStatement', { uri: keyUri, statement });
    current = applyTextEdits(current, [{ range: edit.range, newText: edit.newText }]);
    const lines = new LineIndex(current);
    const inserted = JSON.parse(current.slice(lines.offsetAt(edit.inserted.start), lines.offsetAt(edit.inserted.end)));
    assert.equal(inserted.Sid, run === 1 ? statement.Sid : `${statement.Sid} 2`);
    const diagnostics = await client.change(keyUri, run + 1, current);
    assert.ok(!diagnostics.some((d) => d.code === 'statement-sid' || d.code === 'json-syntax'), JSON.stringify(diagnostics));
  }
  assert.equal(JSON.parse(current).Statement.length, 3);
});

test('the status bar request: kind, account and handshake state', async () => {
  const keyUri = uriOf('owner/data.key-policy.json');
  // Account B is granted; b/hover.iam.json (opened above) already uses the key: both halves exist.
  const status = await client.request<{ text: string; accounts: number; complete: number }>('keyshare/documentStatus', { uri: keyUri });
  assert.equal(status.text, `Key policy · ${OWNER} · 1 account, 1 complete`);
  const other = await client.request<{ text: string }>('keyshare/documentStatus', { uri: uriOf('owner/between.key-policy.json') });
  assert.equal(other, null, 'closed: no status');
  const iamUri = uriOf('b/user.iam.json');
  await client.change(iamUri, 2, policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY }]));
  const keyStatus = await client.request<{ text: string }>('keyshare/documentStatus', { uri: keyUri });
  assert.equal(keyStatus.text, `Key policy · ${OWNER} · 1 account, 1 complete`);
  const userStatus = await client.request<{ text: string }>('keyshare/documentStatus', { uri: iamUri });
  assert.equal(userStatus.text, `Identity policy · ${B} · 1 key, 1 complete`);
});

test('keyshare.json: one message per problem; the schema validates nothing, keyshare-json reports it all', async () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'keyshare.schema.json'), 'utf8'));
  const validating = new Set(['type', 'pattern', 'enum', 'const', 'required', 'additionalProperties', 'minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'format', 'uniqueItems', 'oneOf', 'anyOf', 'allOf', 'not']);
  const found: string[] = [];
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (validating.has(key) && !where.endsWith('/properties')) found.push(`${where}/${key}`);
        if (key !== 'defaultSnippets' && key !== 'examples') walk(value, `${where}/${key}`);
      }
    }
  };
  walk(schema, '');
  assert.deepEqual(found, [], 'no validation keywords: the schema offers, keyshare-json checks');
  const text = JSON.stringify({
    accounts: [{ id: '12345' }, { id: B, name: 7, path: ['x/**'] }],
    keys: [{ arn: KEY, aliases: ['data'], managed: 'mine' }],
    organization: { id: 'o-short', units: [{ id: 'ou-x', accounts: ['1'] }] },
    rules: { 'no-such-rule': 'off', 'policy-size': 'loud' },
    ignore: [{ rule: 'kms-resource-wildcard', files: 'a', reason: 3 }],
    extra: true,
  }, null, 2);
  const uri = uriOf('sub/keyshare.json');
  const diagnostics = await client.open(uri, text, 'json');
  const lines = diagnostics.map((d) => d.range.start.line);
  assert.equal(new Set(lines).size, lines.length, `one message per line: ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message]))}`);
  const messages = diagnostics.map((d) => d.message).join('\n');
  for (const expected of [/12-digit/, /"name" must be a string/, /"path" is not a field of an account/, /An alias is alias\//, /"managed"/, /organization ID/, /OU ID/, /not a Keyshare rule id/, /A rule setting/, /"files" must be an array/, /"reason" must be a string/, /"extra" is not a keyshare.json field/]) {
    assert.match(messages, expected);
  }
  assert.ok(diagnostics.every((d) => d.code === 'keyshare-json'));
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('an ignore entry may carry a reason: kept, and shown on hover of the document root', async () => {
  const { config, problems } = parseConfig(JSON.stringify({ ignore: [{ rule: 'kms-resource-wildcard', files: ['legacy/**'], reason: 'Legacy keys, tracked in SEC-12' }] }));
  assert.deepEqual(problems, []);
  assert.deepEqual(config.ignore, [{ rule: 'kms-resource-wildcard', files: ['legacy/**'], reason: 'Legacy keys, tracked in SEC-12' }]);
  fs.mkdirSync(path.join(dir, 'legacy'));
  fs.writeFileSync(path.join(dir, 'legacy', 'keyshare.json'), JSON.stringify({ ignore: [{ rule: 'kms-resource-wildcard', files: ['*.iam.json'], reason: 'Legacy keys, tracked in SEC-12' }] }));
  const uri = uriOf('legacy/old.iam.json');
  const text = policy([{ Sid: 'All', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]);
  const diagnostics = await client.open(uri, text, 'iam-policy');
  assert.ok(!diagnostics.some((d) => d.code === 'kms-resource-wildcard'), 'suppressed');
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.match(hover.contents.value, /`kms-resource-wildcard` is off here \(keyshare.json `ignore`\): Legacy keys, tracked in SEC-12\./);
  // Where the suppressed finding would be: the finding and the reason.
  const at = new LineIndex(text).positionAt(text.indexOf('"Resource": "*"') + 14);
  const there = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: at });
  assert.match(there.contents.value, /\*Suppressed by keyshare.json `ignore`\* \(`kms-resource-wildcard`: Legacy keys, tracked in SEC-12\): /);
});

async function actionsFor(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
}

test('alias ARN as Resource: replace it with the key ARN keyshare.json maps the alias to; or ignore the finding in keyshare.json', async () => {
  const uri = uriOf('b/alias.iam.json');
  const text = policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: `arn:aws:kms:us-east-1:${OWNER}:alias/data` }]);
  const diagnostics = await client.open(uri, text, 'iam-policy');
  const alias = diagnostics.find((d) => d.code === 'alias-arn-as-resource')!;
  const actions = await actionsFor(uri, alias);
  const replace = actions.find((a) => a.title === `Replace the alias ARN with the key ARN (${KEY})`);
  assert.ok(replace, actions.map((a) => a.title).join(' | '));
  assert.equal(JSON.parse(applyTextEdits(text, replace.edit!.changes![uri])).Statement[0].Resource, KEY);
  const ignore = actions.find((a) => a.title === 'Ignore alias-arn-as-resource in this file (keyshare.json)')!;
  const configUri = uriOf('keyshare.json');
  const config = applyTextEdits(fs.readFileSync(path.join(dir, 'keyshare.json'), 'utf8'), ignore.edit!.changes![configUri]);
  assert.deepEqual(JSON.parse(config).ignore, [{ rule: 'alias-arn-as-resource', files: ['b/alias.iam.json'], reason: '' }]);
  assert.deepEqual(parseConfig(config).problems, []);
  assert.equal(ignore.command?.command, 'keyshare.openFile');
  // An alias that keyshare.json does not map: no replacement offered.
  const other = text.replace('alias/data', 'alias/other');
  const otherDiagnostics = await client.change(uri, 2, other);
  const otherActions = await actionsFor(uri, otherDiagnostics.find((d) => d.code === 'alias-arn-as-resource')!);
  assert.ok(!otherActions.some((a) => a.title.startsWith('Replace the alias ARN')));
});

test('ignore without a keyshare.json creates one at the workspace folder root', async () => {
  const bare = temporaryFolder('keyshare-lsp-bare-');
  const other = new LspClient(server);
  try {
    await other.initialize(bare, { debounceMs: 0 });
    await other.waitForLog(/Keyshare indexed \d+ JSON files/);
    const uri = `file://${path.join(bare, 'roles', 'app.iam.json')}`;
    const diagnostics = await other.open(uri, policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: `arn:aws:kms:us-east-1:${OWNER}:alias/data` }]), 'iam-policy');
    const alias = diagnostics.find((d) => d.code === 'alias-arn-as-resource')!;
    const actions = await other.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: alias.range, context: { diagnostics: [alias] } });
    const ignore = actions.find((a) => a.title === 'Ignore alias-arn-as-resource in this file (keyshare.json)')!;
    const [create, edit] = ignore.edit!.documentChanges! as [{ kind: string; uri: string }, { edits: TextEdit[] }];
    assert.deepEqual([create.kind, create.uri], ['create', `file://${path.join(bare, 'keyshare.json')}`]);
    assert.deepEqual(JSON.parse(edit.edits[0].newText), { ignore: [{ rule: 'alias-arn-as-resource', files: ['roles/app.iam.json'], reason: '' }] });
  } finally {
    await other.stop();
  }
});

test('a key policy no keyshare.json key names: one info finding, and a fix that declares it with what is known', async () => {
  const uri = uriOf('owner/other.key-policy.json');
  const text = policy([ROOT_STATEMENT]);
  const diagnostics = await client.open(uri, text, 'iam-policy');
  const unknown = diagnostics.filter((d) => d.code === 'unknown-key-reference');
  assert.equal(unknown.length, 1, JSON.stringify(diagnostics));
  assert.equal(unknown[0].severity, 3, 'info');
  assert.equal(text.slice(new LineIndex(text).offsetAt(unknown[0].range.start), new LineIndex(text).offsetAt(unknown[0].range.end)), '"Statement"');
  const actions = await actionsFor(uri, unknown[0]);
  const declare = actions.find((a) => a.title.startsWith('Declare this key in keyshare.json'))!;
  const config = applyTextEdits(fs.readFileSync(path.join(dir, 'keyshare.json'), 'utf8'), declare.edit!.changes![uriOf('keyshare.json')]);
  const entry = JSON.parse(config).keys[1];
  assert.deepEqual(entry, { policy: 'owner/other.key-policy.json', arn: `arn:aws:kms::${OWNER}:key/` });
  assert.deepEqual(Object.keys(entry), ['policy', 'arn'], 'the ARN last, for the user to complete');
  assert.match(parseConfig(config).problems.map((p) => p.message).join('\n'), /Complete the key ARN: its region, account and key ID/);
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.match(hover.contents.value, /Key: unknown\. No key in keyshare\.json names this file/);
  // The declared key's policy says nothing of the kind.
  const declared = await client.open(uriOf('owner/data.key-policy.json'), text, 'iam-policy', 10);
  assert.ok(!declared.some((d) => d.code === 'unknown-key-reference'));
});

test('a key ARN with a declared key ID but another region says so, not "unknown key"', async () => {
  const uri = uriOf('b/typo.iam.json');
  const typo = KEY.replace('us-east-1', 'us-west-2');
  const text = policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: typo }]);
  const diagnostics = await client.open(uri, text, 'iam-policy');
  const finding = diagnostics.find((d) => d.code === 'unknown-key-reference')!;
  assert.match(String(finding.message), new RegExp(`This is the key ID of ${KEY.replace(/[/.*]/g, '\\$&')}, but the ARN names region us-west-2 where keyshare.json declares us-east-1`));
  assert.doesNotMatch(String(finding.message), /not known/);
  const actions = await actionsFor(uri, finding);
  const use = actions.find((a) => a.title === `Use the declared key ARN ${KEY}`)!;
  assert.equal(JSON.parse(applyTextEdits(text, use.edit!.changes![uri])).Statement[0].Resource, KEY);
});
