// ARCHITECTURE.md's size invariants: no source file of the server over 500 lines and no function over 80, so that each
// stays one concern a reader can hold (generated tables, which say so in their first lines, aside).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@babel/parser';
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

/** Every function of a source (declarations, expressions, arrows, methods) with its line span. */
function functionSpans(text: string): { name: string; line: number; lines: number }[] {
  const spans: { name: string; line: number; lines: number }[] = [];
  const visit = (node: unknown, name: string): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, name);
      return;
    }
    const n = node as { type?: string; loc?: { start: { line: number }; end: { line: number } }; id?: { name?: string }; key?: { name?: string; value?: string }; body?: unknown };
    if (typeof n.type !== 'string') return;
    let own = name;
    if (n.type === 'VariableDeclarator' || n.type === 'ClassProperty' || n.type === 'ObjectProperty') own = n.id?.name ?? n.key?.name ?? n.key?.value ?? name;
    if (/Function|Method/.test(n.type) && n.body && n.loc) {
      spans.push({ name: n.id?.name ?? n.key?.name ?? name, line: n.loc.start.line, lines: n.loc.end.line - n.loc.start.line + 1 });
    }
    for (const key of Object.keys(n)) if (key !== 'loc' && !key.endsWith('Comments')) visit((n as Record<string, unknown>)[key], own);
  };
  visit(parse(text, { sourceType: 'module', plugins: ['typescript'] }).program, '(anonymous)');
  return spans;
}

test('no server function is over 80 lines, generated tables aside', () => {
  const long = sources(path.join(repoRoot, 'server', 'src'))
    .map((file) => ({ file: path.relative(repoRoot, file), text: fs.readFileSync(file, 'utf8') }))
    .filter(({ text }) => !/Written by `npm run generate`/.test(text.slice(0, 400)))
    .flatMap(({ file, text }) => functionSpans(text).filter((f) => f.lines > 80).map((f) => `${file}:${f.line} ${f.name} (${f.lines} lines)`));
  assert.deepEqual(long, []);
});

test('the function measure finds long functions of every form', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  x${i}();`).join('\n');
  const spans = functionSpans(`function a() {\n${body(90)}\n}\nconst b = () => {\n${body(10)}\n};\nclass C {\n  m() {\n${body(85)}\n  }\n}\n`);
  assert.deepEqual(spans.filter((f) => f.lines > 80).map((f) => f.name), ['a', 'm']);
  assert.deepEqual(spans.map((f) => f.name), ['a', 'b', 'm']);
});
