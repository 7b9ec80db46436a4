/**
 * The tolerant parse's syntax errors, told as a person would: one finding per cascade (a missing
 * `}` makes jsonc-parser report up to five errors; the first is the finding, the others its
 * related information), a question where the cause is likely a missing closer, and the note that
 * the rest of the file was checked from a partial parse. Also mends the one recovery of
 * jsonc-parser that invents problems: a statement whose `}` is missing swallows the next one.
 */
import { createScanner, ParseErrorCode, printParseErrorCode, SyntaxKind, type ParseError } from 'jsonc-parser';
import type { PolicyNode } from '../../engine/tree';
import type { Finding } from '../../engine/types';

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: "Expected ':'",
  CommaExpected: "Expected ','",
  CloseBraceExpected: "Expected '}'",
  CloseBracketExpected: "Expected ']'",
  EndOfFileExpected: 'Expected the end of the document',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'Unterminated comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in string (control characters must be escaped)',
};

/** Cascades reported at most (each with all its errors as related information). */
const MAX_CASCADES = 20;
/** Errors of one cascade listed as related information at most (the message counts them all). */
const MAX_RELATED = 50;
/** Tokens between two errors at most for the second to follow from the first. */
const CASCADE_GAP = 3;

export function parseErrorMessage(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  return PARSE_MESSAGES[code] ?? code;
}

/** The errors grouped into cascades, in text order: errors close together follow from the first. */
export function cascades(text: string, errors: readonly ParseError[]): ParseError[][] {
  const sorted = errors.slice().sort((a, b) => a.offset - b.offset);
  const groups: ParseError[][] = [];
  const scanner = createScanner(text, false);
  let lastEnd = -1;
  for (const error of sorted) {
    const group = groups[groups.length - 1];
    const previous = group?.[group.length - 1];
    let joins = false;
    if (previous) {
      const closerAtEnd = error.offset >= text.length && (error.error === ParseErrorCode.CloseBraceExpected || error.error === ParseErrorCode.CloseBracketExpected);
      // Two missing commas are two mistakes: jsonc-parser reads on cleanly after each.
      const secondComma = error.error === ParseErrorCode.CommaExpected && previous.error === ParseErrorCode.CommaExpected && error.offset !== previous.offset;
      joins = closerAtEnd || (!secondComma && tokensBetween(scanner, lastEnd, error.offset) <= CASCADE_GAP);
    }
    if (joins) group.push(error);
    else groups.push([error]);
    lastEnd = Math.max(lastEnd, error.offset + error.length);
  }
  return groups;
}

function tokensBetween(scanner: ReturnType<typeof createScanner>, from: number, to: number): number {
  if (to <= from) return 0;
  scanner.setPosition(Math.max(0, from));
  let count = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF && scanner.getTokenOffset() < to; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia || kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) continue;
    if (++count > CASCADE_GAP) break;
  }
  return count;
}

/** The innermost object or array whose inside holds `offset`. */
function containerAt(root: PolicyNode | undefined, offset: number): PolicyNode | undefined {
  let found: PolicyNode | undefined;
  let node = root;
  while (node) {
    if ((node.type === 'object' || node.type === 'array') && offset > node.offset && offset < node.offset + node.length) found = node;
    let next: PolicyNode | undefined;
    for (const child of node.children ?? []) {
      if (offset > child.offset && offset < child.offset + child.length) {
        next = child;
        break;
      }
    }
    node = next;
  }
  return found;
}

/** The first error's message, asked as a question where a closer is likely missing before an unexpected bracket. */
function primaryMessage(text: string, error: ParseError, root: PolicyNode | undefined): string {
  const ch = text[error.offset];
  const code = error.error;
  if (code !== ParseErrorCode.CommaExpected && code !== ParseErrorCode.PropertyNameExpected) return parseErrorMessage(error);
  const container = containerAt(root, error.offset);
  if (container?.type === 'object' && (ch === '{' || ch === ']')) return `Unexpected '${ch}' inside an object (is a '}' missing before it?)`;
  if (container?.type === 'array' && ch === '}') return "Unexpected '}' inside an array (is a ']' missing before it?)";
  return parseErrorMessage(error);
}

/**
 * One json-syntax finding per cascade, every range inside the text (`length`: the user's text).
 * `text` is the text that was parsed (same length), `root` what jsonc-parser recovered.
 */
export function syntaxFindings(text: string, length: number, errors: readonly ParseError[], root: PolicyNode | undefined, subject = 'this is not valid JSON, and AWS rejects the policy'): Finding[] {
  const clamp = (error: ParseError) => {
    // jsonc-parser may place errors at or past the end (an unterminated comment or string).
    const start = Math.max(0, Math.min(error.offset, length));
    return { start, end: Math.max(start, Math.min(length, error.offset + Math.max(error.length, 1))) };
  };
  const findings: Finding[] = [];
  for (const group of cascades(text, errors).slice(0, MAX_CASCADES)) {
    const [first, ...rest] = group;
    const following = rest.length === 0 ? '' : rest.length === 1 ? ' The error after it follows from this one.' : ` The ${rest.length} errors after it follow from this one.`;
    const finding: Finding = { ruleId: 'json-syntax', severity: 'error', ...clamp(first), message: `${primaryMessage(text, first, root)}: ${subject}.${following}` };
    if (rest.length > 0) finding.related = rest.slice(0, MAX_RELATED).map((error) => ({ ...clamp(error), message: `${parseErrorMessage(error)} (follows from the first error)` }));
    findings.push(finding);
  }
  return findings;
}

/** The note beside the first syntax error when the rules ran on the tree the parser recovered. */
export function partialParseFinding(first: Finding): Finding {
  return {
    ruleId: 'json-syntax',
    severity: 'info',
    start: first.start,
    end: first.end,
    message:
      'Checked from a partial parse: the parser read on past this syntax error, so the findings after it may be incomplete (or follow from the error) until it is fixed.',
  };
}

/**
 * jsonc-parser reads `{...}, {...}` with the first `}` missing as one object: it skips the `{` and
 * takes the next statement's properties as the first one's (duplicate keys, a Principal replaced).
 * Splits such an object at that `{` into the two statements the user wrote.
 */
export function splitMergedObjects(text: string, root: PolicyNode | undefined, errors: readonly ParseError[]): void {
  if (!root) return;
  let tried = 0;
  for (const error of errors) {
    if (text[error.offset] !== '{') continue;
    if (error.error !== ParseErrorCode.PropertyNameExpected && error.error !== ParseErrorCode.CommaExpected) continue;
    // As many as the cascades reported: garbage text is not worth mending.
    if (++tried > MAX_CASCADES) break;
    const merged = containerAt(root, error.offset);
    const list = merged?.parent;
    if (!merged || merged.type !== 'object' || list?.type !== 'array' || !list.children) continue;
    const properties = merged.children ?? [];
    const kept = properties.filter((p) => p.offset < error.offset);
    const moved = properties.filter((p) => p.offset > error.offset);
    if (moved.length === 0) continue;
    const end = merged.offset + merged.length;
    const second: PolicyNode = { type: 'object', offset: error.offset, length: end - error.offset, parent: list, children: moved };
    for (const property of moved) property.parent = second;
    merged.children = kept;
    const last = kept[kept.length - 1];
    merged.length = (last ? last.offset + last.length : error.offset) - merged.offset;
    list.children.splice(list.children.indexOf(merged) + 1, 0, second);
  }
}

/** Offsets of the errors, for skipping objects the parser may have mis-read. */
export function errorOffsets(errors: readonly ParseError[]): number[] {
  return errors.map((error) => error.offset);
}
