// The project layer in the running server: disk events re-check closed files the server
// published, the access map follows the disk, and settings (pulled per document, or pushed)
// take effect on the next diagnostics.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { policy, repoRoot, USAGE, temporaryFolder } from './helpers';
import { applyTextEdits, LspClient } from './lspClient';

const OWNER = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
const server = path.join(repoRoot, 'server', 'out', 'server.js');
const uriOf = (file: string) => `file://${file}`;
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();
const APP = policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'], Resource: KEY }]);
const ALIAS_RESOURCE = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: `arn:aws:kms:us-east-1:${OWNER}:alias/data` }]);

let dir: string;
const keyFile = () => path.join(dir, 'owner', 'key.key-policy.json');
const appFile = () => path.join(dir, 'b', 'app.iam.json');
const badFile = () => path.join(dir, 'b', 'latin1.iam.json');

before(() => {
  dir = temporaryFolder('keyshare-lsp-project-');
  fs.mkdirSync(path.join(dir, 'owner'));
  fs.mkdirSync(path.join(dir, 'b'));
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify({ accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }], keys: [{ arn: KEY, policy: 'owner/key.key-policy.json' }] }));
  fs.writeFileSync(keyFile(), policy([ROOT, { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }]));
  // A policy saved as Latin-1: "é" is one byte, not valid UTF-8.
  fs.writeFileSync(badFile(), Buffer.from(policy([{ Sid: 'Caf\u00e9', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::caf\u00e9/*' }]), 'latin1'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

type Access = { arn: string; rows: { account: string; status: string }[] }[];
const statusOf = (keys: Access) => keys.find((k) => k.arn === KEY)!.rows.filter((r) => r.account === B).map((r) => r.status);

/** Waits until `probe` is true, polling (a positive signal, never a fixed sleep). */
async function until(what: string, probe: () => boolean, timeoutMs = 10000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('disk create and delete re-check a closed key policy the server published, and the access map follows', async () => {
  const client = new LspClient(server);
  try {
    await client.initialize(dir, { debounceMs: 0 });
    await client.waitForLog(/Keyshare indexed \d+ JSON files/);
    // Validate Workspace publishes the closed key policy: its grant to B has no IAM policy yet.
    const published = client.nextDiagnostics(uriOf(keyFile()));
    const summary = await client.request<{ files: number; policies: number }>('keyshare/validateWorkspace', {});
    assert.equal(summary.policies, 2, 'the key policy and the Latin-1 one');
    assert.deepEqual(codes(await published), ['counterpart-identity-policy-missing']);
    assert.deepEqual(statusOf(await client.request<Access>('keyshare/accessMap', {})), ['key policy only']);

    // The IAM half is created on disk (no editor has it open).
    fs.writeFileSync(appFile(), APP);
    const afterCreate = client.nextDiagnostics(uriOf(keyFile()));
    const noticesBefore = client.notifications.get('keyshare/indexChanged') ?? 0;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(appFile()), type: 1 }] });
    assert.deepEqual(codes(await afterCreate), [], 'the closed key policy is clean now');
    assert.deepEqual(statusOf(await client.request<Access>('keyshare/accessMap', {})), ['complete']);
    await until('keyshare/indexChanged', () => (client.notifications.get('keyshare/indexChanged') ?? 0) > noticesBefore);

    // And deleted again.
    fs.unlinkSync(appFile());
    const afterDelete = client.nextDiagnostics(uriOf(keyFile()));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(appFile()), type: 3 }] });
    assert.deepEqual(codes(await afterDelete), ['counterpart-identity-policy-missing']);
    assert.deepEqual(statusOf(await client.request<Access>('keyshare/accessMap', {})), ['key policy only']);

    // A rename is a delete and a create: the finding goes again.
    const renamed = path.join(dir, 'b', 'renamed.iam.json');
    fs.writeFileSync(renamed, APP);
    const afterRename = client.nextDiagnostics(uriOf(keyFile()));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(appFile()), type: 3 }, { uri: uriOf(renamed), type: 1 }] });
    assert.deepEqual(codes(await afterRename), []);
    fs.unlinkSync(renamed);
  } finally {
    await client.stop();
  }
});

test('invalid UTF-8 on disk is the same finding in the server as in the CLI', async () => {
  const cli = spawnSync(process.execPath, [path.join(repoRoot, 'server', 'out', 'cli.js'), 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  const fromCli = (JSON.parse(cli.stdout) as { file: string; ruleId: string; message: string; range: { start: { line: number } } }[])
    .filter((r) => r.file === 'b/latin1.iam.json').map((r) => `${r.ruleId}@${r.range.start.line}: ${r.message}`).sort();
  assert.ok(fromCli.some((r) => r.startsWith('json-syntax@0: The file is not valid UTF-8')), fromCli.join('\n'));
  const client = new LspClient(server);
  try {
    await client.initialize(dir, { debounceMs: 0 });
    const published = client.nextDiagnostics(uriOf(badFile()));
    await client.request('keyshare/validateWorkspace', {});
    const fromServer = (await published).map((d) => `${d.code}@${d.range.start.line}: ${d.message}`).sort();
    assert.deepEqual(fromServer, fromCli);
  } finally {
    await client.stop();
  }
});

test('pulled settings: rule severities and the file-size limit, per document (scopeUri), on the next diagnostics', async () => {
  const client = new LspClient(server);
  const a = 'file:///virtual/a.iam.json';
  const b = 'file:///virtual/b.iam.json';
  try {
    await client.initialize(undefined, { debounceMs: 0 });
    const severity = (diagnostics: Diagnostic[]) => diagnostics.find((d) => d.code === 'alias-arn-as-resource')?.severity;
    assert.equal(severity(await client.open(a, ALIAS_RESOURCE)), 1);
    assert.equal(severity(await client.open(b, ALIAS_RESOURCE)), 1);
    assert.ok(client.configurationRequests.some((item) => item.scopeUri === a && item.section === 'keyshare'), 'settings are asked for per document');

    // A rule's severity, for one document only.
    client.scopedSettings = { [a]: { keyshare: { rules: { 'alias-arn-as-resource': 'warning' } } } };
    let nextA = client.nextDiagnostics(a, 1);
    let nextB = client.nextDiagnostics(b, 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.equal(severity(await nextA), 2);
    assert.equal(severity(await nextB), 1, 'the other document keeps its own settings');

    // The file-size limit, for every document.
    client.scopedSettings = {};
    client.settings = { keyshare: { maxFileSizeMB: 0.0001 } };
    nextA = client.nextDiagnostics(a, 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const limited = await nextA;
    assert.deepEqual(codes(limited), ['policy-size']);
    assert.match(String(limited[0].message), /above the keyshare\.maxFileSizeMB setting/);

    client.settings = { keyshare: { rules: { 'alias-arn-as-resource': 'off' } } };
    nextA = client.nextDiagnostics(a, 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(codes(await nextA), []);
  } finally {
    await client.stop();
  }
});

test('pushed settings (a client that cannot be asked): rule severities and the file-size limit', async () => {
  const client = new LspClient(server);
  const a = 'file:///virtual/pushed.iam.json';
  try {
    await client.initialize(undefined, { debounceMs: 0 }, { textDocument: { publishDiagnostics: { versionSupport: true } } });
    const first = await client.open(a, ALIAS_RESOURCE);
    assert.equal(first.find((d) => d.code === 'alias-arn-as-resource')?.severity, 1);

    let next = client.nextDiagnostics(a, 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { keyshare: { rules: { 'alias-arn-as-resource': 'hint' } } } });
    assert.equal((await next).find((d) => d.code === 'alias-arn-as-resource')?.severity, 4);

    next = client.nextDiagnostics(a, 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { keyshare: { maxFileSizeMB: 0.0001 } } });
    assert.deepEqual(codes(await next), ['policy-size'], 'maxFileSizeMB is read as megabytes, and the rules setting is replaced, not merged');

    next = client.nextDiagnostics(a, 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { keyshare: {} } });
    assert.equal((await next).find((d) => d.code === 'alias-arn-as-resource')?.severity, 1, 'defaults again');
    assert.equal(client.configurationRequests.length, 0, 'a client without workspace/configuration is never asked');
  } finally {
    await client.stop();
  }
});

test('the light bulb offers fix-all unresolved; codeAction/resolve computes its edit', async () => {
  const client = new LspClient(server);
  const name = 'file:///virtual/fixall.policy.json';
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": ["kms:Decrypt",],\n      "Resource": "*",\n    },\n  ],\n}\n';
  try {
    await client.initialize(undefined, { debounceMs: 0 }, {
      workspace: { configuration: true },
      textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { resolveSupport: { properties: ['edit'] } } },
    });
    const diagnostics = await client.open(name, text);
    const strict = diagnostics.filter((d) => d.code === 'json-strict');
    // Four trailing commas: one grouped finding, the other three as related information.
    assert.equal(strict.length, 1, codes(diagnostics).join());
    assert.equal(strict[0].relatedInformation?.length, 3);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: name }, range: strict[0].range, context: { diagnostics: [strict[0]] } });
    const all = actions.find((a) => a.title === 'Fix all safe Keyshare problems in this file')!;
    assert.ok(all, actions.map((a) => a.title).join(' | '));
    assert.equal(all.edit, undefined, 'not computed for the light bulb');
    const resolved = await client.request<CodeAction>('codeAction/resolve', all);
    const fixed = applyTextEdits(text, resolved.edit!.changes![name]);
    assert.doesNotThrow(() => JSON.parse(fixed));
  } finally {
    await client.stop();
  }
});

test('reads have no side effects: hover on an edit not yet checked leaves the index as it was', async () => {
  fs.writeFileSync(appFile(), APP);
  const client = new LspClient(server);
  try {
    // Edits wait a minute before their check: only reads can run in between.
    await client.initialize(dir, { debounceMs: 60000 });
    await client.waitForLog(/Keyshare indexed \d+ JSON files/);
    const keyText = fs.readFileSync(keyFile(), 'utf8');
    assert.deepEqual(codes(await client.open(uriOf(keyFile()), keyText)), []);
    assert.deepEqual(codes(await client.open(uriOf(appFile()), APP)), []);
    // The key policy stops granting B; nothing checks it yet.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(keyFile()), version: 2 }, contentChanges: [{ text: policy([ROOT]) }] });
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(keyFile()) }, position: { line: 0, character: 0 } });
    assert.match(hover!.contents.value, /KMS key policy/, 'the hover reads the edited text');
    // The IAM policy, checked now, still sees the grant: the hover did not record the edit.
    const app = client.nextDiagnostics(uriOf(appFile()), 1);
    await client.request('keyshare/validateFile', { uri: uriOf(appFile()) });
    assert.deepEqual(codes(await app), []);
    assert.deepEqual(statusOf(await client.request<Access>('keyshare/accessMap', {})), ['complete']);
    // The check of the key policy itself does record it, and re-checks the IAM policy.
    const recheck = client.nextDiagnostics(uriOf(appFile()), 1);
    await client.request('keyshare/validateFile', { uri: uriOf(keyFile()) });
    assert.deepEqual(codes(await recheck), ['counterpart-key-policy-missing']);
  } finally {
    await client.stop();
    fs.unlinkSync(appFile());
  }
});
