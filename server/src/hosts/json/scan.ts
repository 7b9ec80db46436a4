/**
 * Lexical pass over the raw text: finds what strict JSON (and so IAM and KMS) rejects but a
 * tolerant parse can read past, and returns a same-length normalized text for that parse.
 * Replacements keep every offset, so the model's ranges are ranges in the user's text.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Fix, Span, TextEdit } from '../../engine/types';

/** Quotes that blogs and word processors put where JSON needs a straight double quote. */
const SMART_DOUBLE_QUOTES = new Set(['\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u00ab', '\u00bb']);

/** Whitespace that JavaScript (and jsonc-parser) skip but strict JSON does not allow. */
const NON_JSON_WHITESPACE = /[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

export const MAX_NESTING = 256;

export interface LexicalFinding extends Span {
  ruleId: 'smart-quotes' | 'json-strict' | 'json-syntax';
  message: string;
  fixes?: Fix[];
}

export interface ScanResult {
  /** Same length as the input; smart quotes straightened, odd whitespace made plain spaces. */
  normalized: string;
  findings: LexicalFinding[];
  maxDepth: number;
  /** Offset where nesting first went past MAX_NESTING, if it did. */
  tooDeepAt?: number;
}

export function scanText(text: string): ScanResult {
  const findings: LexicalFinding[] = [];
  const normalized = normalizeQuotesAndSpaces(text, findings);
  const result: ScanResult = { normalized, findings, maxDepth: 0 };
  scanTokens(normalized, result);
  return result;
}

function normalizeQuotesAndSpaces(text: string, findings: LexicalFinding[]): string {
  const hasSmart = /[\u201c-\u201f\u2033\u00ab\u00bb]/.test(text);
  const hasOddSpace = NON_JSON_WHITESPACE.test(text);
  if (!hasSmart && !hasOddSpace) return text;

  const chars = text.split('');
  const smartStrings: Span[] = [];
  const quoteEdits: TextEdit[] = [];
  const spaceRuns: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = skipStraightString(text, i);
      continue;
    }
    if (SMART_DOUBLE_QUOTES.has(ch)) {
      // A string opened with a typographic quote ends at the next quote of either kind.
      const start = i;
      let j = i + 1;
      while (j < text.length && !SMART_DOUBLE_QUOTES.has(text[j]) && text[j] !== '"' && text[j] !== '\n') j++;
      chars[start] = '"';
      quoteEdits.push({ start, end: start + 1, newText: '"' });
      if (j < text.length && text[j] !== '\n') {
        if (text[j] !== '"') {
          chars[j] = '"';
          quoteEdits.push({ start: j, end: j + 1, newText: '"' });
        }
        smartStrings.push({ start, end: j + 1 });
        i = j + 1;
      } else {
        smartStrings.push({ start, end: start + 1 });
        i = j;
      }
      continue;
    }
    if (NON_JSON_WHITESPACE.test(ch)) {
      // One finding per stretch of indentation, even when tabs and spaces are mixed in.
      const start = i;
      let end = i;
      while (i < text.length && (NON_JSON_WHITESPACE.test(text[i]) || text[i] === ' ' || text[i] === '\t')) {
        if (NON_JSON_WHITESPACE.test(text[i])) {
          chars[i] = ' ';
          end = i + 1;
        }
        i++;
      }
      spaceRuns.push({ start, end });
      continue;
    }
    i++;
  }

  if (smartStrings.length > 0) {
    const fixAll: Fix = { title: 'Straighten all typographic quotes', edits: quoteEdits, safe: true };
    for (const span of smartStrings) {
      findings.push({
        ...span,
        ruleId: 'smart-quotes',
        message:
          'Typographic quotes (\u201c \u201d) are not JSON quotes. IAM and KMS reject the whole policy as malformed; use straight double quotes (").',
        fixes: [fixAll],
      });
    }
  }
  if (spaceRuns.length > 0) {
    const allEdits = spaceRuns.map((run) => spacesFor(text, run));
    const fixAll: Fix = { title: 'Replace all non-JSON whitespace with spaces', edits: allEdits, safe: true };
    for (const run of spaceRuns) {
      const code = text.charCodeAt(run.start).toString(16).toUpperCase().padStart(4, '0');
      findings.push({
        ...run,
        ruleId: 'json-strict',
        message: `U+${code} is not JSON whitespace (text copied from a web page often has non-breaking spaces). AWS rejects the policy as malformed; use plain spaces.`,
        fixes: [
          { title: 'Replace with plain spaces', edits: [spacesFor(text, run)], safe: true },
          ...(spaceRuns.length > 1 ? [fixAll] : []),
        ],
      });
    }
  }
  return chars.join('');
}

/** The run with each odd whitespace character made a plain space, tabs kept. */
function spacesFor(text: string, run: Span): TextEdit {
  return { ...run, newText: text.slice(run.start, run.end).replace(NON_JSON_WHITESPACE_ALL, ' ') };
}

const NON_JSON_WHITESPACE_ALL = new RegExp(NON_JSON_WHITESPACE.source, 'g');

function skipStraightString(text: string, openQuote: number): number {
  let i = openQuote + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '"' || ch === '\n') return i + 1;
    i++;
  }
  return i;
}

function scanTokens(text: string, result: ScanResult): void {
  const scanner = createScanner(text, false);
  let depth = 0;
  let pendingComma: number | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const offset = scanner.getTokenOffset();
    // An unterminated block comment reports one character past the end of the text.
    const length = Math.min(scanner.getTokenLength(), text.length - offset);
    switch (kind) {
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
        continue;
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        result.findings.push({
          start: offset,
          end: offset + length,
          ruleId: 'json-strict',
          message: 'Comments are not allowed in JSON policies: AWS rejects the policy as malformed. Move the note to the Sid or to a file beside it.',
          fixes: [{ title: 'Remove comment', edits: [removalOfComment(text, offset, offset + length)], safe: true }],
        });
        continue;
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        depth++;
        if (depth > result.maxDepth) result.maxDepth = depth;
        if (depth > MAX_NESTING && result.tooDeepAt === undefined) result.tooDeepAt = offset;
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        if (pendingComma !== undefined) {
          result.findings.push({
            start: pendingComma,
            end: pendingComma + 1,
            ruleId: 'json-strict',
            message: `Trailing comma before '${text[offset]}': JSON does not allow it and AWS rejects the policy as malformed.`,
            fixes: [{ title: 'Remove trailing comma', edits: [{ start: pendingComma, end: pendingComma + 1, newText: '' }], safe: true }],
          });
        }
        depth = Math.max(0, depth - 1);
        break;
    }
    pendingComma = kind === SyntaxKind.CommaToken ? offset : undefined;
  }
}

/** Removes a comment, and its whole line when nothing else is on it. */
function removalOfComment(text: string, start: number, end: number): TextEdit {
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
  const startsLine = lineStart === 0 || text[lineStart - 1] === '\n';
  const endsLine = lineEnd === text.length || text[lineEnd] === '\n' || text[lineEnd] === '\r';
  if (startsLine && endsLine && lineStart > 0) {
    // Drop the line break before the comment too, so no empty line is left.
    const breakStart = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
    return { start: breakStart, end: lineEnd, newText: '' };
  }
  return { start: text[start - 1] === ' ' && !startsLine ? start - 1 : start, end, newText: '' };
}
