// The fast strict-JSON parser must build exactly the tree jsonc-parser builds (every later
// offset, range and fix depends on it), and hand anything else to the tolerant path.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { parseStrict } from '../../server/src/hosts/json/strictParse';
import { keyPolicyOfSize, workspace } from '../../bench/corpus';
import { repoRoot } from './helpers';

interface Plain {
  type: string;
  offset: number;
  length: number;
  value?: unknown;
  colonOffset?: number;
  children?: Plain[];
}

function plain(node: Node): Plain {
  const result: Plain = { type: node.type, offset: node.offset, length: node.length };
  if (node.value !== undefined) result.value = node.value;
  if (node.colonOffset !== undefined) result.colonOffset = node.colonOffset;
  if (node.children) result.children = node.children.map(plain);
  return result;
}

function assertParents(node: Node): void {
  for (const child of node.children ?? []) {
    assert.equal(child.parent, node);
    assertParents(child);
  }
}

function assertSameTree(text: string): void {
  const strict = parseStrict(text, 64);
  assert.ok(strict, `strict parser refused valid JSON: ${text.slice(0, 80)}`);
  const errors: ParseError[] = [];
  const tolerant = parseTree(text, errors);
  assert.deepEqual(errors, []);
  assert.deepEqual(plain(strict.root), plain(tolerant!));
  assertParents(strict.root);
}

test('seed policies and bench corpus: the same tree as jsonc-parser', () => {
  const seeds = path.join(repoRoot, 'test', 'fixtures', 'seeds');
  const texts = fs.readdirSync(seeds).map((f) => fs.readFileSync(path.join(seeds, f), 'utf8')).filter((t) => parseStrict(t, 64));
  assert.ok(texts.length >= 3, 'some seeds are strict JSON');
  for (const text of texts) assertSameTree(text);
  for (const file of workspace(3, 60)) assertSameTree(file.text);
  assertSameTree(keyPolicyOfSize(5, 50 * 1024));
});

test('property: any JSON value, compact or indented, gives the same tree as jsonc-parser', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 2, '\t', '\r\n '), (value, indent) => {
      const text = typeof indent === 'string' && indent.startsWith('\r') ? JSON.stringify(value, null, 1).replace(/\n/g, indent) : JSON.stringify(value, null, indent);
      assertSameTree(text);
    }),
    { numRuns: 300, seed: process.env.CI ? 7 : undefined },
  );
});

test('escapes, unicode and numbers keep their decoded values and source lengths', () => {
  assertSameTree('{"a\\"b": "\\u00e9\\n\\/", "n": [-0.5e+3, 0, 12, 1E2], "t": true, "f": false, "z": null, "e": {}, "l": []}');
  assertSameTree('  {"Statement" : [ { "Sid" : "\u00e9\u2603" } ] }  ');
});

test('duplicate keys are reported with their first occurrence', () => {
  const strict = parseStrict('{"Effect": "Allow", "Effect": "Deny", "x": {"a": 1, "a": 2}}', 64)!;
  assert.deepEqual(strict.duplicates.map((d) => [d.key.value, d.key.offset, d.first.offset]), [['Effect', 20, 1], ['a', 52, 44]]);
});

test('anything that is not strict JSON is handed to the tolerant parser', () => {
  for (const text of ['{"a": 1,}', '{"a": 1} // note', '{"a": 01}', '{"a": "x\ty"}', '{"a": tru}', '{"a" 1}', '[1 2]', '{"a": 1', '', '   ', '{"a": "\\x"}', '{"a": 1}}', '[' .repeat(70) + ']'.repeat(70)]) {
    assert.equal(parseStrict(text, 64), undefined, text);
  }
});
