// The cross-file index in the running server: both halves update each other, and the editor
// reports what the CLI reports.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { policy, repoRoot, USAGE, temporaryFolder } from './helpers';
import { applyTextEdits, LspClient } from './lspClient';

const OWNER = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
const server = path.join(repoRoot, 'server', 'out', 'server.js');
const uriOf = (file: string) => `file://${file}`;
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();

let dir: string;
let client: LspClient;
const keyFile = () => path.join(dir, 'owner', 'key.key-policy.json');
const appFile = () => path.join(dir, 'b', 'app.iam.json');
const keyText = (actions: string[]) => policy([ROOT, { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: actions, Resource: '*' }]);

before(async () => {
  dir = temporaryFolder('keyshare-lsp-ws-');
  fs.mkdirSync(path.join(dir, 'owner'));
  fs.mkdirSync(path.join(dir, 'b'));
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify({ accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }], keys: [{ arn: KEY, policy: 'owner/key.key-policy.json' }] }));
  fs.writeFileSync(keyFile(), keyText(USAGE));
  fs.writeFileSync(appFile(), policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'], Resource: KEY }]));
  client = new LspClient(server);
  await client.initialize(dir, { debounceMs: 0 });
  await client.waitForLog(/Keyshare indexed \d+ JSON files/);
});
after(async () => {
  await client.stop();
});

test('deleting the IAM half on disk makes the key policy report it; re-creating it clears it', async () => {
  assert.deepEqual(codes(await client.open(uriOf(keyFile()), fs.readFileSync(keyFile(), 'utf8'))), []);
  const saved = fs.readFileSync(appFile(), 'utf8');
  fs.unlinkSync(appFile());
  const afterDelete = client.nextDiagnostics(uriOf(keyFile()));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(appFile()), type: 3 }] });
  const missing = (await afterDelete).find((d) => d.code === 'counterpart-identity-policy-missing');
  assert.ok(missing, 'the finding appears');
  assert.equal(missing.range.start.line, 16);
  fs.writeFileSync(appFile(), saved);
  const afterCreate = client.nextDiagnostics(uriOf(keyFile()));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(appFile()), type: 1 }] });
  assert.deepEqual(codes(await afterCreate), []);
});

test('editing the key policy re-checks the open IAM policy of the other account', async () => {
  assert.deepEqual(codes(await client.open(uriOf(appFile()), fs.readFileSync(appFile(), 'utf8'))), []);
  const appUpdate = client.nextDiagnostics(uriOf(appFile()));
  await client.change(uriOf(keyFile()), 2, keyText(['kms:Decrypt', 'kms:DescribeKey']));
  const diagnostics = await appUpdate;
  const ineffective = diagnostics.find((d) => d.code === 'ineffective-action')!;
  assert.ok(ineffective, codes(diagnostics).join());
  assert.deepEqual(ineffective.tags, [1]);
  assert.equal(ineffective.relatedInformation?.[0].location.uri, uriOf(keyFile()));
  const noGrant = client.nextDiagnostics(uriOf(appFile()));
  await client.change(uriOf(keyFile()), 3, policy([ROOT]));
  const missing = await noGrant;
  assert.deepEqual(codes(missing), ['counterpart-key-policy-missing']);

  // Its quick fix edits the other file: the key policy gets a statement for this account.
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(appFile()) }, range: missing[0].range, context: { diagnostics: missing } });
  const allow = actions.find((a) => a.title.startsWith(`Allow account ${B} in the key policy`))!;
  assert.ok(allow, actions.map((a) => a.title).join(' | '));
  const fixedKey = applyTextEdits(policy([ROOT]), allow.edit!.changes![uriOf(keyFile())]);
  const added = JSON.parse(fixedKey).Statement[1];
  assert.deepEqual(added.Principal, { AWS: `arn:aws:iam::${B}:root` });
  assert.deepEqual(added.Action, ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey']);
  assert.equal(allow.command?.command, 'keyshare.openFile');
  const restored = client.nextDiagnostics(uriOf(appFile()));
  await client.change(uriOf(keyFile()), 4, fixedKey);
  assert.deepEqual(codes(await restored), []);
});

test('a key policy grant with no IAM policy offers to create one in that account\'s folder', async () => {
  const saved = fs.readFileSync(appFile(), 'utf8');
  fs.unlinkSync(appFile());
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(appFile()) } });
  const next = client.nextDiagnostics(uriOf(keyFile()));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(appFile()), type: 3 }] });
  const diagnostics = await next;
  const missing = diagnostics.filter((d) => d.code === 'counterpart-identity-policy-missing');
  assert.equal(missing.length, 1);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(keyFile()) }, range: missing[0].range, context: { diagnostics: missing } });
  const create = actions.find((a) => a.title.startsWith(`Create the IAM policy for account ${B}`))!;
  assert.ok(create, actions.map((a) => a.title).join(' | '));
  const [creation, content] = create.edit!.documentChanges! as [{ kind: string; uri: string }, { edits: TextEdit[] }];
  assert.equal(creation.kind, 'create');
  assert.equal(creation.uri, uriOf(path.join(dir, 'b', 'use-1234abcd.iam.json')));
  const created = JSON.parse(content.edits[0].newText);
  assert.deepEqual(created.Statement[0].Resource, KEY);
  assert.deepEqual(created.Statement[0].Action, ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey']);
  fs.writeFileSync(appFile(), saved);
});

test('the editor reports the same cross-file findings as the CLI on the examples', async () => {
  const examples = path.join(repoRoot, 'examples');
  const editor = new LspClient(server);
  try {
    await editor.initialize(examples, { debounceMs: 0 });
    await editor.waitForLog(/Keyshare indexed \d+ JSON files/);
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'server', 'out', 'cli.js'), 'check', '.', '--format', 'json'], { cwd: examples, encoding: 'utf8' });
    const cliReports = JSON.parse(cli.stdout) as { file: string; ruleId: string; range: { start: { line: number } } }[];
    const files = [...new Set(cliReports.map((r) => r.file))];
    for (const file of files) {
      const full = path.join(examples, file);
      const diagnostics = await editor.open(uriOf(full), fs.readFileSync(full, 'utf8'));
      const fromEditor = diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();
      const fromCli = cliReports.filter((r) => r.file === file).map((r) => `${r.ruleId}@${r.range.start.line}`).sort();
      assert.deepEqual(fromEditor, fromCli, file);
    }
  } finally {
    await editor.stop();
  }
});

test('the access map shows complete handshakes and the half-done ones', async () => {
  const examples = path.join(repoRoot, 'examples');
  const editor = new LspClient(server);
  try {
    await editor.initialize(examples, { debounceMs: 0 });
    const keys = await editor.request<{ arn: string; rows: { account: string; principal?: string; status: string; identityPolicies: string[] }[] }[]>('keyshare/accessMap', {});
    const data = keys.find((k) => k.arn.endsWith('1234abcd-12ab-34cd-56ef-1234567890ab'))!;
    const status = (key: typeof data, account: string) => key.rows.filter((r) => r.account === account).map((r) => r.status).sort();
    assert.deepEqual(status(data, '444455556666'), ['complete', 'complete'], 'workload-a: its role, and the OU');
    assert.deepEqual(status(data, '555566667777'), ['complete'], 'workload-b through the OU');
    assert.deepEqual(status(data, '777788889999'), ['IAM policy only'], 'the sandbox uses a key that does not allow it');
    const legacy = keys.find((k) => k.arn.endsWith('0987dcba-09fe-87dc-65ba-ab0987654321'))!;
    assert.ok(legacy.rows.some((r) => r.account === '777788889999' && r.status === 'key policy only'));
    assert.ok(legacy.rows.find((r) => r.account === '555566667777' && r.status === 'complete')!.identityPolicies[0].endsWith('workload-b/roles/ingest.iam.json'));
  } finally {
    await editor.stop();
  }
});

test('a broken keyshare.json gets clear diagnostics where it is wrong', async () => {
  const text = '{\n  "accounts": [{ "id": "12345" }],\n  "rules": { "no-such-rule": "off" },\n  "colour": "blue"\n}\n';
  const diagnostics = await client.open(uriOf(path.join(dir, 'keyshare.json')), text);
  const messages = diagnostics.map((d) => `${d.range.start.line}: ${d.message}`);
  assert.deepEqual(messages, [
    '1: Each account needs "id": a 12-digit account ID.',
    '2: "no-such-rule" is not a Keyshare rule id.',
    '3: "colour" is not a keyshare.json field (accounts, keys, organization, principals, expect, grants, rules, ignore).',
  ]);
  assert.deepEqual([...new Set(diagnostics.map((d) => `${d.code} ${d.severity} ${d.codeDescription?.href.endsWith('/keyshare-json.md')}`))], ['keyshare-json 1 true']);
  const relaxed = await client.change(uriOf(path.join(dir, 'keyshare.json')), 2, '{ "rules": { "keyshare-json": "warning" }, "colour": "blue" }');
  assert.deepEqual(relaxed.map((d) => d.severity), [2], 'its own rules setting applies');
});

test('files.exclude keeps files out of the index: an excluded IAM policy is not the other half', async () => {
  const root = temporaryFolder('keyshare-lsp-exclude-');
  fs.mkdirSync(path.join(root, 'owner'));
  fs.mkdirSync(path.join(root, 'b', 'legacy'), { recursive: true });
  fs.writeFileSync(path.join(root, 'keyshare.json'), JSON.stringify({ accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }], keys: [{ arn: KEY, policy: 'owner/key.key-policy.json' }] }));
  const key = path.join(root, 'owner', 'key.key-policy.json');
  fs.writeFileSync(key, keyText(USAGE));
  fs.writeFileSync(path.join(root, 'b', 'legacy', 'app.iam.json'), policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY }]));
  const check = async (exclude: Record<string, boolean>) => {
    const editor = new LspClient(server);
    editor.settings = { 'files.exclude': exclude };
    try {
      await editor.initialize(root, { debounceMs: 0 });
      await editor.waitForLog(/Keyshare indexed \d+ JSON files/);
      const indexed = Number(/Keyshare indexed (\d+) JSON files/.exec(editor.logs.join('\n'))![1]);
      return { indexed, codes: codes(await editor.open(uriOf(key), fs.readFileSync(key, 'utf8'))) };
    } finally {
      await editor.stop();
    }
  };
  try {
    assert.deepEqual(await check({ '**/legacy/**': false }), { indexed: 3, codes: [] });
    assert.deepEqual(await check({ '**/legacy/**': true }), { indexed: 2, codes: ['counterpart-identity-policy-missing'] });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
