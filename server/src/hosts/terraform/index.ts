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
 * The parser is handed in with each read (`ReadOptions.grammars`), as loading a grammar needs
 * the file system and an async start (`project/grammars.ts`). Without it `.tf` texts read as
 * holding no policy (isPolicyFile false).
 */
import type { VariableValue } from '../../engine/types';
import type { PolicySource } from '../../engine/tree';
import { BlockReader, policyBlocks, type BlockMemo } from './blocks';
import { readContext } from './context';
import { HclEditor } from './editor';
import { readFileTemplate, readTemplateHeredoc, templateAsHeredoc, type TemplateCall } from './heredoc';
import type { SyntaxCursor, SyntaxEdit, SyntaxPoint, SyntaxTree, TerraformParser } from './syntax';
import { changedRange } from '../../engine/text';
import { commentSuppressions } from './suppressions';
import { DIRECTIVE } from '../../engine/suppressions';

export type { TerraformParser } from './syntax';
export { blockHeaderAt, forEachTopLevelBlock } from './blocks';
export { decodeQuoted } from './expressions';

/** `.tf` and `.tofu` files (any separator, any case). */
export function isTerraformFileName(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tofu');
}

/**
 * Reads the policies of a Terraform text. Never throws on any input. `buffer` names an editor
 * buffer: its syntax tree is kept for the next version. `inputs` are the module's input variable
 * values (`--var-file`): `var.name` is then its value.
 */
export function readTerraform(text: string, parser: TerraformParser | undefined, buffer?: EditorBuffer, inputs?: Readonly<Record<string, VariableValue>>): PolicySource {
  const editor = new HclEditor(text);
  const source: PolicySource = { text, host: 'terraform', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
  const read = walkModule(parser, text, (cursor, tree, memo) => {
    // Blocks read before are reused only from a text without errors, where a block reads the same anywhere.
    // With values for the module's variables, the ones it declares are noted (to tell a name given to no module).
    const variables = inputs ? [] : undefined;
    new BlockReader(readContext(text, source, editor, undefined, inputs)).read(policyBlocks(cursor, text, memo && !tree.rootNode.hasError ? memo : undefined, variables));
    if (variables) source.declaredInputs = variables;
    if (text.includes(DIRECTIVE)) {
      while (cursor.gotoParent());
      const suppressions = commentSuppressions(cursor, text);
      if (suppressions.length > 0) source.suppressions = suppressions;
    }
    return true;
  }, buffer);
  if (!read) {
    // No grammar, or a syntax tree we could not walk: report nothing rather than something wrong.
    source.policies = [];
    source.findings = [];
    source.isPolicyFile = false;
  }
  for (const policy of source.policies) {
    const inlineIn = inlinePolicyOf(policy.address);
    if (inlineIn && policy.kind === 'identity-policy') policy.inlineIn = inlineIn;
  }
  return source;
}

/** Whose inline policy the attribute at `address` is: `aws_iam_role_policy.x.policy`, `aws_iam_role.x.inline_policy`. */
function inlinePolicyOf(address: string | undefined): 'role' | 'user' | 'group' | undefined {
  const type = address?.slice(0, address.indexOf('.'));
  if (type === 'aws_iam_role_policy' || (type === 'aws_iam_role' && address!.endsWith('.inline_policy'))) return 'role';
  if (type === 'aws_iam_user_policy') return 'user';
  if (type === 'aws_iam_group_policy') return 'group';
  return undefined;
}

/**
 * Parses a module and hands `walk` a cursor at its root, then frees the tree and the cursor.
 * Undefined without the grammar, or when tree-sitter or the walk fails.
 */
export function walkModule<T>(parser: TerraformParser | undefined, text: string, walk: (cursor: SyntaxCursor, tree: SyntaxTree, memo?: BlockMemo) => T, buffer?: EditorBuffer): T | undefined {
  if (!parser) return undefined;
  let tree: SyntaxTree | null | undefined;
  let memo: BlockMemo | undefined;
  try {
    if (buffer) ({ tree, memo } = buffer.trees.parse(parser, buffer.key, text));
    else tree = parser.parse(text);
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  let cursor: SyntaxCursor | undefined;
  try {
    cursor = tree.walk();
    return walk(cursor, tree, memo);
  } catch {
    return undefined;
  } finally {
    cursor?.delete();
    // A buffer's tree stays with the cache, for the next edit.
    if (!buffer) tree.delete();
  }
}

/**
 * The last syntax tree of each module being edited (by file name, a few at most): the next
 * version is parsed incrementally from it, so an edit costs what it changed, not the file.
 */
export class SyntaxTreeCache {
  private readonly entries = new Map<string, { text: string; tree: SyntaxTree; memo: BlockMemo }>();

  constructor(private readonly capacity = 4) {}

  forget(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
  }

  /** The tree of the buffer's new text, and what its last read kept (the blocks it copied). */
  parse(parser: TerraformParser, key: string, text: string): { tree: SyntaxTree | null; memo?: BlockMemo } {
    const previous = this.entries.get(key);
    this.entries.delete(key);
    let tree: SyntaxTree | null = null;
    if (previous && previous.text === text) {
      tree = previous.tree;
    } else if (previous) {
      // Error recovery may differ between an incremental and a fresh parse: a text with errors,
      // before or after, is parsed whole, so its findings are a full check's.
      try {
        if (!previous.tree.rootNode.hasError) {
          previous.tree.edit(syntaxEdit(previous.text, text));
          tree = parser.parse(text, previous.tree);
          if (tree?.rootNode.hasError) {
            tree.delete();
            tree = null;
          }
        }
      } catch {
        tree = null;
      } finally {
        previous.tree.delete();
      }
      tree ??= parser.parse(text);
    } else {
      tree = parser.parse(text);
    }
    if (!tree) return { tree: null };
    const memo = previous?.memo ?? { blocks: new Map() };
    this.entries.set(key, { text, tree, memo });
    if (this.entries.size > this.capacity) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      entry.tree.delete();
    }
    return { tree, memo };
  }
}

/** An editor buffer: the store of trees it is kept in, and its name there. */
export interface EditorBuffer {
  trees: SyntaxTreeCache;
  key: string;
}

/** The edit that turns `before` into `after`, as tree-sitter takes it. */
function syntaxEdit(before: string, after: string): SyntaxEdit {
  const { start, oldEnd, newEnd } = changedRange(before, after);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}

function pointAt(text: string, offset: number): SyntaxPoint {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Reads a policy template (`policy.json.tpl`) as `templatefile(...)` renders it: variables the
 * call gives literally are substituted (a string that used one is checked with its value and
 * not edited), the others are unknown parts, `%{ }` directives leave the template unchecked.
 * Spans are in the template's text. The call's kind, when known, is the policy's.
 */
export function readTemplateFile(text: string, parser: TerraformParser | undefined, call: TemplateCall = {}): PolicySource {
  // file() reads the JSON as it is: no variables, and `${` is literal.
  if (call.function === 'file') return readFileTemplate(text, call);
  const editor = new HclEditor(text);
  const source: PolicySource = { text, host: 'terraform', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
  // The template becomes a heredoc, so the grammar reads its interpolations and directives.
  const wrapped = templateAsHeredoc(text);
  const read = walkModule(parser, wrapped.text, (cursor) => readTemplateHeredoc(cursor, wrapped, source, editor, call));
  if (!read) {
    source.policies = [];
    source.findings = [];
  }
  return source;
}
