/**
 * The few things the Terraform host needs of a tree-sitter syntax tree, as plain interfaces: the
 * host never loads the parser itself (that needs the file system and an async start; see
 * `server/src/project/grammars.ts`), it is handed one.
 */

export interface SyntaxNode {
  readonly type: string;
  /** UTF-16 offsets into the parsed text. */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly text: string;
  readonly isNamed: boolean;
  readonly children: (SyntaxNode | null)[];
  readonly namedChildren: (SyntaxNode | null)[];
  readonly hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
}

/** tree-sitter's cursor: the cheap way to walk, as it makes no node objects in WebAssembly memory. */
export interface SyntaxCursor {
  readonly nodeType: string;
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldName: string | null;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

export interface SyntaxPoint {
  row: number;
  column: number;
}

/** An edit as tree-sitter takes it, to re-parse only what changed: UTF-16 offsets and row/column points. */
export interface SyntaxEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: SyntaxPoint;
  oldEndPosition: SyntaxPoint;
  newEndPosition: SyntaxPoint;
}

export interface SyntaxTree {
  readonly rootNode: { readonly hasError: boolean };
  walk(): SyntaxCursor;
  edit(edit: SyntaxEdit): void;
  delete(): void;
}

export interface TerraformParser {
  /** With `previous` (edited to match the new text), tree-sitter reuses what the edit left alone. */
  parse(text: string, previous?: SyntaxTree | null): SyntaxTree | null;
}

export function named(node: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (const child of node.children) if (child && child.isNamed && child.type !== 'comment') result.push(child);
  return result;
}

export function firstNamed(node: SyntaxNode, type: string): SyntaxNode | undefined {
  for (const child of node.children) if (child && child.type === type) return child;
  return undefined;
}

/** Subtrees deeper than this are cut (read as unknown): no policy nests like that. */
const MAX_TREE_DEPTH = 120;

/** A syntax node copied out of tree-sitter into plain JavaScript. */
export class CopiedNode implements SyntaxNode {
  readonly children: CopiedNode[] = [];

  constructor(
    private readonly source: string,
    readonly type: string,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isNamed: boolean,
    readonly field: string | null,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): CopiedNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  get hasError(): boolean {
    return this.type === 'ERROR' || this.children.some((c) => c.hasError);
  }

  childForFieldName(name: string): CopiedNode | null {
    for (const child of this.children) if (child.field === name) return child;
    return null;
  }

  /** The same subtree moved by `delta` into `source` (a block read before, where the text now has it). */
  movedTo(source: string, delta: number): CopiedNode {
    const copy = new CopiedNode(source, this.type, this.startIndex + delta, this.endIndex + delta, this.isNamed, this.field);
    for (const child of this.children) copy.children.push(child.movedTo(source, delta));
    return copy;
  }
}

/** Nodes copied without their children: the host reads them from the text. */
const LEAVES = new Set(['string_lit', 'numeric_lit', 'bool_lit', 'null_lit', 'identifier', 'heredoc_identifier', 'template_literal', 'comment', 'block_start', 'block_end', 'quoted_template_end']);

/** Named nodes the host never looks at: skipped like punctuation. */
const SKIPPED = new Set([
  'object_start',
  'object_end',
  'tuple_start',
  'tuple_end',
  'quoted_template_start',
  'template_interpolation_start',
  'template_interpolation_end',
  'template_directive_start',
  'template_directive_end',
  'heredoc_start',
  'strip_marker',
]);

/** Per grammar symbol: its name and whether it is copied, asked of tree-sitter once. */
const symbols: ({ type: string; named: boolean; leaf: boolean } | undefined)[] = [];

function symbolAt(cursor: SyntaxCursor): { type: string; named: boolean; leaf: boolean } {
  const id = cursor.nodeTypeId;
  let symbol = symbols[id];
  if (!symbol) {
    const type = cursor.nodeType;
    symbols[id] = symbol = { type, named: cursor.nodeIsNamed && !SKIPPED.has(type), leaf: LEAVES.has(type) };
  }
  return symbol;
}

/**
 * Copies the subtree at the cursor (iteratively: any depth), leaving the cursor where it was.
 * Each call into tree-sitter costs, so punctuation is skipped and strings are copied whole.
 */
export function copySubtree(cursor: SyntaxCursor, source: string, keep?: (cursor: SyntaxCursor, parent: CopiedNode, depth: number) => boolean): CopiedNode {
  const top = symbolAt(cursor);
  const root = new CopiedNode(source, top.type, cursor.startIndex, cursor.endIndex, true, null);
  if (top.leaf || !cursor.gotoFirstChild()) return root;
  const stack: CopiedNode[] = [root];
  for (;;) {
    const symbol = symbolAt(cursor);
    if (symbol.named && (!keep || keep(cursor, stack[stack.length - 1], stack.length))) {
      const node = new CopiedNode(source, symbol.type, cursor.startIndex, cursor.endIndex, true, null);
      stack[stack.length - 1].children.push(node);
      if (!symbol.leaf && stack.length < MAX_TREE_DEPTH && cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      stack.pop();
      if (stack.length === 0) return root;
    }
  }
}

/** The name of the block or attribute at the cursor (its first identifier), the cursor left where it was. */
export function nameAt(cursor: SyntaxCursor, source: string): string | undefined {
  if (!cursor.gotoFirstChild()) return undefined;
  let name: string | undefined;
  do {
    const type = cursor.nodeType;
    if (type === 'identifier') {
      name = source.slice(cursor.startIndex, cursor.endIndex);
      break;
    }
    if (type !== 'comment') break;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return name;
}

/** Strips the `expression` and `(...)` wrappers the grammar puts around every value. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let i = 0; i < 64; i++) {
    if (current.type !== 'expression') return current;
    const children = named(current);
    if (children.length !== 1) return current;
    current = children[0];
  }
  return current;
}

/**
 * The names of a reference (`aws_kms_key.data.arn` is [aws_kms_key, data, arn]), index steps
 * left out; undefined when the expression is not a plain reference.
 */
export function referencePath(node: SyntaxNode): string[] | undefined {
  if (node.type === 'variable_expr') return [node.text];
  if (node.type !== 'expression') return undefined;
  const children = named(node);
  if (children.length === 0 || children[0].type !== 'variable_expr') return undefined;
  const path = [children[0].text];
  for (let i = 1; i < children.length; i++) {
    const step = children[i];
    if (step.type === 'get_attr') {
      const name = firstNamed(step, 'identifier');
      if (!name) return undefined;
      path.push(name.text);
    } else if (step.type !== 'index') {
      return undefined;
    }
  }
  return path;
}
