// fileUri and uriFile take a fast path for plain POSIX paths: they must spell exactly what vscode-uri does.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { URI } from 'vscode-uri';
import { fileUri, uriFile } from '../../server/src/workspace/uris';

const PATHS = [
  '/',
  '/repo/keys/key-0.key-policy.json',
  '/repo/a.b-c_d~e/policy.json',
  '/repo/with space/policy.json',
  '/repo/ünïcode/policy.json',
  '/repo/percent%20/policy.json',
  '/repo/hash#/policy.json',
  '/repo/question?/policy.json',
  '/repo/colon:/policy.json',
  '//server/share/policy.json',
  '/repo/UPPER/Policy.JSON',
  '/repo/plus+and(parens)/policy.json',
];

test('fileUri spells every path as URI.file(path).toString() does', () => {
  for (const file of PATHS) assert.equal(fileUri(file), URI.file(file).toString(), file);
});

test('uriFile reads every file URI back as URI.parse(uri).fsPath does, and nothing for other schemes', () => {
  for (const file of PATHS) {
    const uri = URI.file(file).toString();
    assert.equal(uriFile(uri), URI.parse(uri).fsPath, uri);
  }
  assert.equal(uriFile('untitled:Untitled-1'), undefined);
  assert.equal(uriFile('file:///repo/My%20Dir/p.json'), '/repo/My Dir/p.json');
});
