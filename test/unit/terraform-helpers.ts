// What the Terraform host's test files (terraform-*.test.ts) share: the grammar, a check that keeps
// every range inside the text, and spans. No tests of its own.
import { before } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { applyEdits, type Finding, type PolicyNode, type PolicySource, type ValuePart } from '../../server/src/engine';
import { checkDocument, type Grammars } from '../../server/src/hosts';
import { loadTerraformGrammar } from '../../server/src/project/grammars';

/** The text a span or a tree node covers. */
export function covered(text: string, span: { start: number; end: number } | PolicyNode): string {
  return 'offset' in span ? text.slice(span.offset, span.offset + span.length) : text.slice(span.start, span.end);
}

export let parser: Awaited<ReturnType<typeof loadTerraformGrammar>>;

/** The parsers to hand a read of a `.tf` text: filled in by `loadGrammarFirst`. */
export const grammars: Grammars = {};

/** Loads the grammar before the calling file's tests; `parser` (and `grammars.terraform`) is then the loaded parser. */
export function loadGrammarFirst(): void {
  before(async () => {
    parser = await loadTerraformGrammar();
    grammars.terraform = parser;
  });
}

export function tf(text: string, fileName = 'main.tf') {
  const result = checkDocument(text, sharedCatalog(), { fileName, grammars });
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `${f.ruleId} range ${f.start}-${f.end} outside 0-${text.length}`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.start >= 0 && e.end >= e.start && e.end <= text.length, `${f.ruleId} fix edit outside the text`);
  }
  return result;
}

/** Whether tree-sitter reads the text without a syntax error. */
export function parsesCleanly(text: string): boolean {
  const tree = parser.parse(text)!;
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

export function policies(source: PolicySource) {
  return source.policies.map((p) => ({ address: p.address, kind: p.kind }));
}

/** The first string node (depth first) whose value is `value`. */
export function findString(node: PolicyNode, predicate: (n: PolicyNode) => boolean): PolicyNode | undefined {
  if (node.type === 'string' && predicate(node)) return node;
  for (const child of node.children ?? []) {
    const found = findString(child, predicate);
    if (found) return found;
  }
  return undefined;
}

export function unknownParts(node: PolicyNode | undefined): ValuePart[] {
  return (node?.parts ?? []).filter((p) => 'unknown' in p);
}

export function applyFirstFix(text: string, finding: Finding): string {
  assert.ok(finding.fixes?.length, `${finding.ruleId} offers a fix`);
  return applyEdits(text, finding.fixes![0].edits);
}
