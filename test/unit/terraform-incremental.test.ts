// Typing in a Terraform module re-parses it incrementally (tree-sitter reuses what an edit left
// alone). That is only right if the syntax tree equals a fresh parse and the findings a full
// check: held here over seeded random edits of real module shapes (the fixtures of the host's
// other tests, one after another).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument } from '../../server/src/hosts';
import { random } from '../../bench/corpus';
import { EditorBuffers } from '../../server/src/project/buffers';
import { SyntaxTreeCache } from '../../server/src/hosts/terraform';
import type { SyntaxCursor, SyntaxTree } from '../../server/src/hosts/terraform/syntax';
import { repoRoot } from './helpers';
import { grammars, loadGrammarFirst, parser } from './terraform-helpers';

loadGrammarFirst();

const MODULE = ['shapes.tf', 'cross-account.tf', 'key-and-role.tf', 'dynamic.tf', 'merged.tf']
  .map((name) => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'terraform', name), 'utf8'))
  .join('\n');

const SNIPPETS = ['x', 'kms:', ' ', '\n', '"', '{', '}', '[', ']', ',', '=', '${', '}', '#', '// note', '*', '111122223333', 'Deny', '<<EOF\n', 'EOF\n', '\n  statement {\n    actions = ["kms:*"]\n    resources = ["*"]\n  }\n', 'é', '😀'];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.5) return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  const length = 1 + Math.floor(next() * (kind < 0.8 ? 4 : 40));
  if (kind < 0.9) return text.slice(0, at) + text.slice(at + length);
  return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at + length);
}

/** Every node of a tree: type, range and field, in order. */
function shape(tree: SyntaxTree): string {
  const parts: string[] = [];
  const cursor: SyntaxCursor = tree.walk();
  let depth = 0;
  for (;;) {
    parts.push(`${depth}:${cursor.nodeType}:${cursor.startIndex}-${cursor.endIndex}:${cursor.currentFieldName ?? ''}`);
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return parts.join('\n');
      }
      depth--;
    }
  }
}

test('an incremental Terraform parse equals a fresh one over 300 random edits (most mistakes undone)', () => {
  const cache = new SyntaxTreeCache(1);
  const next = random(11);
  let text = MODULE;
  let clean = 0;
  for (let i = 0; i < 300; i++) {
    const before = text;
    text = next() < 0.05 ? MODULE : edit(text, next);
    const fresh = parser.parse(text)!;
    const reused = cache.parse(parser, 'main.tf', text).tree!;
    if (!fresh.rootNode.hasError) clean++;
    assert.equal(shape(reused), shape(fresh), `edit ${i}: ${JSON.stringify(text)}`);
    const broken = fresh.rootNode.hasError;
    fresh.delete();
    if (broken && next() < 0.9) text = before;
  }
  assert.ok(clean > 100, `only ${clean} edits gave a text without errors`);
});

test('the findings of a Terraform buffer checked edit after edit equal a full check of each version', () => {
  const catalog = sharedCatalog();
  const buffers = new EditorBuffers();
  const next = random(5);
  let text = MODULE;
  for (let i = 0; i < 200; i++) {
    const before = text;
    text = next() < 0.05 ? MODULE : edit(text, next);
    const edited = checkDocument(text, catalog, { fileName: '/project/main.tf', buffers, grammars });
    const whole = checkDocument(text, catalog, { fileName: '/project/main.tf', grammars });
    assert.deepEqual(edited.findings, whole.findings, `edit ${i}: ${JSON.stringify(text)}`);
    assert.deepEqual(edited.models.map((m) => [m.kind, m.address, m.root.offset, m.root.length]), whole.models.map((m) => [m.kind, m.address, m.root.offset, m.root.length]));
    if (whole.findings.some((f) => f.ruleId === 'hcl-syntax' || f.severity === 'error') && next() < 0.9) text = before;
  }
});

test('a closed buffer is forgotten: its tree is freed and the next read of it is a fresh parse', () => {
  const buffers = new EditorBuffers();
  const catalog = sharedCatalog();
  checkDocument(MODULE, catalog, { fileName: '/project/main.tf', buffers, grammars });
  const store = buffers.of('terraform', () => new SyntaxTreeCache());
  const first = store.parse(parser, '/project/main.tf', MODULE).tree;
  buffers.forget('/project/main.tf');
  const fresh = store.parse(parser, '/project/main.tf', MODULE).tree;
  assert.notEqual(fresh, first);
  assert.equal(shape(fresh!), shape(parser.parse(MODULE)!));
});
