/**
 * A reading of one YAML slip that CloudFormation accepts and the `yaml` package does not: a
 * multi-line quoted scalar whose later lines are not indented past its key, as in
 *
 *     PolicyDocument: !Sub '{
 *         "Version": "2012-10-17", ...
 *     }'
 *
 * AWS publishes templates written so (PyYAML, which cfn-lint uses, reads them). The scalar's
 * lines are indented further in a copy of the text, the copy is parsed, and every span of the
 * tree is mapped back into the user's text. The copy is used only when it parses cleanly.
 */
import type { Span } from '../../engine/types';
import type { TemplateNode } from './templateTree';

/** Spaces inserted before `at` (an offset of the user's text). */
interface Insertion {
  at: number;
  count: number;
}

export interface Reindented {
  text: string;
  /** Where the copy's offsets come from in the user's text. */
  toOriginal(offset: number): number;
}

/** Tokens the lexer yields that stand for no text. */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f', '\ufeff']);

/**
 * More slips than this in one text: it is not this slip, and the text is left to the parser's
 * errors. Each pass lexes the whole text, so a large text gets fewer (32 MB lexed at most).
 */
const MAX_SCALARS = 16;
const MAX_LEXED = 32 * 1024 * 1024;

/**
 * The text with the lines of each unterminated quoted scalar indented past the key that holds
 * it; undefined when there is none, or its closing quote cannot be found. One scalar a pass:
 * after a lost scalar the lexer's later tokens cannot be trusted.
 */
export function reindentQuotedScalars(text: string, lex: (text: string) => Iterable<string>): Reindented | undefined {
  let copy = text;
  const passes: Insertion[][] = [];
  const maxPasses = Math.min(MAX_SCALARS, Math.floor(MAX_LEXED / Math.max(1, text.length)));
  for (let pass = 0; pass < maxPasses; pass++) {
    const insertions = firstUnterminated(copy, lex);
    if (insertions === undefined) return undefined;
    if (insertions.length === 0) break;
    passes.push(insertions);
    copy = insert(copy, insertions);
  }
  if (passes.length === 0) return undefined;
  return {
    text: copy,
    toOriginal: (position) => {
      for (let i = passes.length - 1; i >= 0; i--) position = toOriginal(passes[i], position);
      return position;
    },
  };
}

/** The indentation the first unterminated quoted scalar needs ([] when none; undefined when it never closes). */
function firstUnterminated(text: string, lex: (text: string) => Iterable<string>): Insertion[] | undefined {
  let offset = 0;
  for (const token of lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    const start = offset;
    offset += token.length;
    const quote = token[0];
    if ((quote !== "'" && quote !== '"') || isClosed(token)) continue;
    const close = closingQuote(text, start);
    if (close < 0) return undefined;
    const insertions = continuationIndents(text, start, close);
    // Nothing to re-indent: a scalar the lexer lost for another reason, which is not this slip.
    return insertions.length > 0 ? insertions : undefined;
  }
  return [];
}

function insert(text: string, insertions: readonly Insertion[]): string {
  let copy = '';
  let from = 0;
  for (const { at, count } of insertions) {
    copy += text.slice(from, at) + ' '.repeat(count);
    from = at;
  }
  return copy + text.slice(from);
}

/** Whether a quoted scalar token ends with its closing quote (`''` and `\"` are escapes). */
function isClosed(token: string): boolean {
  return token.length >= 2 && closingQuote(token, 0) === token.length - 1;
}

/** The offset of the quote that closes the quoted scalar opened at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && text[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** The spaces each line after the opening one needs to sit past the key (`Key: 'x` or `- Key: 'x`). */
function continuationIndents(text: string, open: number, close: number): Insertion[] {
  const lineStart = text.lastIndexOf('\n', open - 1) + 1;
  let column = lineStart;
  for (;;) {
    while (text[column] === ' ') column++;
    if (text[column] === '-' && text[column + 1] === ' ') column++;
    else break;
  }
  const keyIndent = column - lineStart;
  const insertions: Insertion[] = [];
  for (let line = text.indexOf('\n', open) + 1; line > 0 && line <= close; line = text.indexOf('\n', line) + 1) {
    let indent = 0;
    while (text[line + indent] === ' ') indent++;
    const first = text[line + indent];
    if (first === '\n' || first === '\r' || first === undefined) continue; // a blank line is a line break of the value
    if (indent <= keyIndent) insertions.push({ at: line, count: keyIndent + 1 - indent });
  }
  return insertions;
}

function toOriginal(insertions: readonly Insertion[], position: number): number {
  let added = 0;
  for (const { at, count } of insertions) {
    const copyAt = at + added;
    if (position < copyAt) break;
    if (position < copyAt + count) return at; // inside the inserted spaces
    added += count;
  }
  return position - added;
}

/** Moves every span of a tree (and the comments) from the copy's offsets to the user's text. */
export function mapSpansBack(root: TemplateNode, comments: Span[] | undefined, toOriginal: (offset: number) => number): void {
  const seen = new Set<TemplateNode>();
  const stack: TemplateNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const end = toOriginal(node.offset + node.length);
    node.offset = toOriginal(node.offset);
    node.length = end - node.offset;
    if (node.colonOffset !== undefined) node.colonOffset = toOriginal(node.colonOffset);
    if (node.contentOffset !== undefined) node.contentOffset = toOriginal(node.contentOffset);
    if (node.children) for (const child of node.children) stack.push(child);
  }
  if (comments) for (const span of comments) {
    span.start = toOriginal(span.start);
    span.end = toOriginal(span.end);
  }
}
