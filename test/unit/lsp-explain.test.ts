// Explain Access and the handshake code lenses in the running server, over stdio.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { policy, repoRoot, USAGE } from './helpers';
import { LspClient } from './lspClient';

const OWNER = '111122223333';
const B = '444455556666';
const C = '555566667777';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
const server = path.join(repoRoot, 'server', 'out', 'server.js');
const uriOf = (file: string) => `file://${file}`;

let dir: string;
let client: LspClient;
const keyFile = () => path.join(dir, 'owner', 'key.key-policy.json');
const appFile = () => path.join(dir, 'b', 'roles', 'app.iam.json');

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyshare-lsp-explain-'));
  fs.mkdirSync(path.join(dir, 'owner'));
  fs.mkdirSync(path.join(dir, 'b', 'roles'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify({
    accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }, { id: C, paths: ['c/**'] }],
    keys: [{ arn: KEY, policy: 'owner/key.key-policy.json', aliases: ['alias/data'] }],
    principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/roles/app.iam.json'] }],
  }));
  fs.writeFileSync(keyFile(), policy([ROOT,
    { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' },
    { Sid: 'C', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${C}:root` }, Action: USAGE, Resource: '*' },
  ]));
  fs.writeFileSync(appFile(), policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY }]));
  client = new LspClient(server);
  await client.initialize(dir, { debounceMs: 0 });
  await client.waitForLog(/Keyshare indexed \d+ JSON files/);
});
after(async () => {
  await client.stop();
});

type Lens = { range: { start: { line: number } }; command: { title: string } };

test('code lenses above each cross-account grant and each key use give the handshake status', async () => {
  await client.open(uriOf(keyFile()), fs.readFileSync(keyFile(), 'utf8'));
  const lenses = await client.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(keyFile()) } });
  assert.deepEqual(lenses.map((l) => l.command.title), [
    `${B}: IAM half in b/roles/app.iam.json, Decrypt only`,
    `${C}: no IAM policy in this workspace uses this key`,
  ]);
  await client.open(uriOf(appFile()), fs.readFileSync(appFile(), 'utf8'));
  const uses = await client.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(appFile()) } });
  assert.deepEqual(uses.map((l) => l.command.title), ['alias/data: key policy in owner/key.key-policy.json grants Decrypt only']);
  // An edit of the IAM half changes the key policy's lens.
  await client.change(uriOf(appFile()), 2, policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: KEY }]));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = await client.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(keyFile()) } });
  assert.equal(after[0].command.title, `${B}: IAM half in b/roles/app.iam.json, Decrypt, Encrypt`);
});

test('keyshare/explain answers with the deciding statements; keyshare/explainChoices lists what the workspace knows', async () => {
  const result = await client.connection.sendRequest<{ verdict: string; because: { uri: string; sid?: string; half: string }[] }>('keyshare/explain', { principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Decrypt', key: 'alias/data' });
  assert.equal(result.verdict, 'allowed');
  assert.deepEqual(result.because.map((c) => `${c.half} ${c.sid}`), ['key B', 'identity UseKey']);
  const choices = await client.connection.sendRequest<{ principals: { arn: string }[]; keys: { key: string }[]; actions: string[] }>('keyshare/explainChoices', {});
  assert.ok(choices.principals.some((p) => p.arn === `arn:aws:iam::${B}:role/app`));
  assert.deepEqual(choices.keys.map((k) => k.key), ['alias/data']);
  assert.ok(choices.actions.includes('kms:Decrypt'));
});

test('a failed expectation is a diagnostic on its keyshare.json entry, and follows the policies as they change', async () => {
  const configFile = path.join(dir, 'keyshare.json');
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  config.expect = [{ principal: `arn:aws:iam::${B}:role/app`, action: 'kms:Encrypt', key: 'alias/data', allowed: true }];
  const text = JSON.stringify(config, null, 2);
  fs.writeFileSync(configFile, text);
  const builds = () => client.logs.filter((l) => /Keyshare indexed \d+ JSON files/.test(l)).length;
  const before = builds();
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configFile), type: 2 }] });
  for (let i = 0; i < 200 && builds() === before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  await client.change(uriOf(appFile()), 3, policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: KEY }]));
  const diagnostics = await client.open(uriOf(configFile), text);
  const failed = diagnostics.filter((d) => d.code === 'access-expectation');
  assert.equal(failed.length, 1);
  assert.match(String(failed[0].message), /to be allowed, but it is denied/);
  // The IAM half allows Encrypt: the expectation is met.
  const next = client.nextDiagnostics(uriOf(configFile));
  await client.change(uriOf(appFile()), 4, policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: KEY }]));
  assert.deepEqual((await next).filter((d) => d.code === 'access-expectation'), []);
});
