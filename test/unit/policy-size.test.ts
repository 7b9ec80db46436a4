// policy-size measures a template's policy as the compact JSON AWS is sent. It first counts that
// JSON's length without building it; the count must be JSON.stringify's to the character, or a
// policy at the quota would be judged wrongly. Held over random trees and strings (surrogates,
// control characters, quotes and backslashes among them).
import { test } from 'node:test';
import fc from 'fast-check';
import type { PolicyNode } from '../../server/src/engine/tree';
import { compactJson, compactJsonLength } from '../../server/src/engine/rules/policy-size';

const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '"', '\\', '\u0000\u001f', '\ud800', '\udc00x', '\ud83d\ude00', '\u2028'));

const leaf: fc.Arbitrary<PolicyNode> = fc.oneof(
  text.map((value) => ({ type: 'string', offset: 0, length: 0, value }) as PolicyNode),
  fc.double().map((value) => ({ type: 'number', offset: 0, length: 0, value }) as PolicyNode),
  fc.boolean().map((value) => ({ type: 'boolean', offset: 0, length: 0, value }) as PolicyNode),
  fc.constant({ type: 'null', offset: 0, length: 0, value: null } as PolicyNode),
);

const tree: fc.Arbitrary<PolicyNode> = fc.letrec<{ node: PolicyNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node')).map((children) => ({ type: 'array', offset: 0, length: 0, children }) as PolicyNode),
    fc.array(fc.tuple(text, tie('node'))).map((entries) => ({
      type: 'object',
      offset: 0,
      length: 0,
      children: entries.map(([key, value]) => ({ type: 'property', offset: 0, length: 0, children: [{ type: 'string', offset: 0, length: 0, value: key }, value] })),
    }) as PolicyNode),
  ),
})).node;

test('the compact JSON length is counted exactly as JSON.stringify writes it', () => {
  fc.assert(fc.property(tree, (node) => compactJsonLength(node) === compactJson(node).length), { numRuns: 2000, seed: 42 });
});
