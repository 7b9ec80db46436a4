// ARCHITECTURE.md's size invariant: no source file of the server over 500 lines, so that each
// stays one concern a reader can hold (generated tables, which say so in their first lines, aside).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './helpers';

function sources(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('no server source file is over 500 lines, generated tables aside', () => {
  const files = sources(path.join(repoRoot, 'server', 'src'));
  assert.ok(files.length > 100, 'the sources were found');
  const long = files
    .map((file) => ({ file: path.relative(repoRoot, file), text: fs.readFileSync(file, 'utf8') }))
    .filter(({ text }) => !/Written by `npm run generate`/.test(text.slice(0, 400)))
    .map(({ file, text }) => ({ file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) }))
    .filter(({ lines }) => lines > 500);
  assert.deepEqual(long, []);
});
