// Line/character positions must be the ones the editor computes, or every squiggle is off.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../../server/src/engine';

test('property: positions and offsets agree with the LSP text document, for LF, CRLF and lone CR', () => {
  const text = fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '\u00e9', '\ud83d\udd11'), { maxLength: 60 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, fc.nat(), (value, pick) => {
      const lines = new LineIndex(value);
      const document = TextDocument.create('file:///p.json', 'json', 1, value);
      const offset = pick % (value.length + 1);
      const position = lines.positionAt(offset);
      assert.deepEqual(position, document.positionAt(offset));
      assert.equal(lines.offsetAt(position), document.offsetAt(position));
    }),
    { numRuns: 500, seed: process.env.CI ? 11 : undefined },
  );
});

test('offsets past either end are clamped', () => {
  const lines = new LineIndex('ab\ncd');
  assert.deepEqual(lines.positionAt(-4), { line: 0, character: 0 });
  assert.deepEqual(lines.positionAt(99), { line: 1, character: 2 });
  assert.deepEqual(lines.rangeOf({ start: 1, end: 4 }), { start: { line: 0, character: 1 }, end: { line: 1, character: 1 } });
});
