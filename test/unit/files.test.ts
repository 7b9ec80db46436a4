// Reading policy files: what the CLI and the index get for each kind of file on disk.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readPolicyFile } from '../../server/src/project/files';
import { temporaryFolder } from './helpers';

let dir: string;
before(() => {
  dir = temporaryFolder('keyshare-files-');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('text larger than the read buffer comes back whole, and the next small file is not mixed with it', () => {
  const big = `{"Statement": [${Array.from({ length: 4000 }, (_, i) => `{"Sid": "S${i}\u00e9"}`).join(',')}]}`;
  assert.ok(Buffer.byteLength(big) > 64 * 1024);
  assert.deepEqual(readPolicyFile(write('big.json', big)), { ok: true, text: big, invalidUtf8: false });
  assert.deepEqual(readPolicyFile(write('small.json', '{"a": 1}')), { ok: true, text: '{"a": 1}', invalidUtf8: false });
  assert.deepEqual(readPolicyFile(write('empty.json', '')), { ok: true, text: '', invalidUtf8: false });
});

test('a byte order mark is dropped; invalid UTF-8 is decoded with U+FFFD and flagged', () => {
  assert.deepEqual(readPolicyFile(write('bom.json', '\ufeff{"a": 1}')), { ok: true, text: '{"a": 1}', invalidUtf8: false });
  assert.deepEqual(readPolicyFile(write('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]))), { ok: true, text: '{"\ufffd"}', invalidUtf8: true });
});

test('binary, too large, missing and a folder each get a reason and one clear message', () => {
  assert.deepEqual(readPolicyFile(write('image.json', Buffer.from([0x89, 0x50, 0, 0]))), { ok: false, reason: 'binary', message: 'binary file' });
  const limit = 1024 * 1024;
  assert.equal(readPolicyFile(write('at-limit.json', 'x'.repeat(limit)), limit).ok, true);
  assert.deepEqual(readPolicyFile(write('over-limit.json', 'x'.repeat(limit + 1)), limit), { ok: false, reason: 'too-large', message: 'larger than 1 MB, not checked' });
  assert.deepEqual(readPolicyFile(path.join(dir, 'missing.json')), { ok: false, reason: 'unreadable', message: 'no such file or directory' });
  const folder = readPolicyFile(dir);
  assert.equal(folder.ok, false);
  assert.equal(!folder.ok && folder.reason, 'unreadable');
  assert.equal(!folder.ok ? folder.message : '', 'is a directory', 'one line, without the absolute path');
});
