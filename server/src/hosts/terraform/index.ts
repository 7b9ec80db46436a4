/**
 * The Terraform host: the policies a module's `.tf` text holds, read from tree-sitter's syntax
 * tree (never from the text with patterns). Four shapes: `data "aws_iam_policy_document"` blocks,
 * `jsonencode({...})`, heredoc JSON and `templatefile(...)` (recorded for the project layer).
 * References and interpolations become unknown parts with what is known of them.
 *
 * The reader is in pieces, by what it reads: `blocks.ts` (top-level blocks, resources and their
 * policy attributes), `documents.ts` (policy documents), `expressions.ts` (HCL values) and
 * `heredoc.ts` (JSON text and templates); they share one read's context (`context.ts`).
 *
 * The parser is handed in (`setTerraformParser`, done by `server/src/terraformGrammar.ts`), as
 * loading a grammar needs the file system and an async start. Until then `.tf` texts read as
 * holding no policy (isPolicyFile false): callers await `loadTerraformGrammar()` once per process.
 */
import type { PolicySource } from '../../engine/tree';
import { BlockReader, policyBlocks } from './blocks';
import { readContext } from './context';
import { HclEditor } from './editor';
import { readFileTemplate, readTemplateHeredoc, templateAsHeredoc, type TemplateCall } from './heredoc';
import type { SyntaxCursor, TerraformParser } from './syntax';
import { commentSuppressions } from './suppressions';
import { DIRECTIVE } from '../../engine/suppressions';

export type { TerraformParser } from './syntax';
export { blockHeaderAt, forEachTopLevelBlock } from './blocks';
export { decodeQuoted } from './expressions';

let parser: TerraformParser | undefined;

/** Hands the host its parser (once per process, by the grammar loader). */
export function setTerraformParser(value: TerraformParser | undefined): void {
  parser = value;
}

export function terraformParserReady(): boolean {
  return parser !== undefined;
}

/** `.tf` and `.tofu` files (any separator, any case). */
export function isTerraformFileName(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tofu');
}

/** Reads the policies of a Terraform text. Never throws on any input. */
export function readTerraform(text: string): PolicySource {
  const editor = new HclEditor(text);
  const source: PolicySource = { text, host: 'terraform', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
  const read = walkModule(text, (cursor) => {
    new BlockReader(readContext(text, source, editor)).read(policyBlocks(cursor, text));
    if (text.includes(DIRECTIVE)) {
      while (cursor.gotoParent());
      const suppressions = commentSuppressions(cursor, text);
      if (suppressions.length > 0) source.suppressions = suppressions;
    }
    return true;
  });
  if (!read) {
    // No grammar, or a syntax tree we could not walk: report nothing rather than something wrong.
    source.policies = [];
    source.findings = [];
    source.isPolicyFile = false;
  }
  return source;
}

/**
 * Parses a module and hands `walk` a cursor at its root, then frees the tree and the cursor.
 * Undefined without the grammar, or when tree-sitter or the walk fails.
 */
export function walkModule<T>(text: string, walk: (cursor: SyntaxCursor) => T): T | undefined {
  if (!parser) return undefined;
  let tree;
  try {
    tree = parser.parse(text);
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  let cursor: SyntaxCursor | undefined;
  try {
    cursor = tree.walk();
    return walk(cursor);
  } catch {
    return undefined;
  } finally {
    cursor?.delete();
    tree.delete();
  }
}

/**
 * Reads a policy template (`policy.json.tpl`) as `templatefile(...)` renders it: variables the
 * call gives literally are substituted (a string that used one is checked with its value and
 * not edited), the others are unknown parts, `%{ }` directives leave the template unchecked.
 * Spans are in the template's text. The call's kind, when known, is the policy's.
 */
export function readTemplateFile(text: string, call: TemplateCall = {}): PolicySource {
  // file() reads the JSON as it is: no variables, and `${` is literal.
  if (call.function === 'file') return readFileTemplate(text, call);
  const editor = new HclEditor(text);
  const source: PolicySource = { text, host: 'terraform', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
  // The template becomes a heredoc, so the grammar reads its interpolations and directives.
  const wrapped = templateAsHeredoc(text);
  const read = walkModule(wrapped.text, (cursor) => readTemplateHeredoc(cursor, wrapped, source, editor, call));
  if (!read) {
    source.policies = [];
    source.findings = [];
  }
  return source;
}
