/**
 * Lexical pass over the raw text: finds what strict JSON (and so IAM and KMS) rejects but a
 * tolerant parse can read past, and returns a same-length normalized text for that parse.
 * Replacements keep every offset, so the model's ranges are ranges in the user's text.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Fix, RelatedSpan, Span, TextEdit } from '../../engine/types';
import { removalOfComment } from '../../engine/text';

/** Quotes that blogs and word processors put where JSON needs a straight double quote. */
const SMART_DOUBLE_QUOTES = new Set(['\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u00ab', '\u00bb']);

/** Whitespace that JavaScript (and jsonc-parser) skip but strict JSON does not allow. */
const NON_JSON_WHITESPACE = /[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

export const MAX_NESTING = 256;

export interface LexicalFinding extends Span {
  ruleId: 'smart-quotes' | 'json-strict' | 'json-syntax';
  message: string;
  fixes?: Fix[];
  related?: RelatedSpan[];
}

export interface ScanResult {
  /** Same length as the input; smart quotes straightened, odd whitespace made plain spaces. */
  normalized: string;
  findings: LexicalFinding[];
  maxDepth: number;
  /** Offset where nesting first went past MAX_NESTING, if it did. */
  tooDeepAt?: number;
}

/** What text copied from a web page brings: each kind is reported once per document, every place marked. */
interface PasteNoise {
  /** Strings opened (and closed) with typographic quotes. */
  smartStrings: Span[];
  quoteEdits: TextEdit[];
  /** Stretches of indentation holding non-JSON whitespace. */
  spaceRuns: Span[];
  trailingCommas: number[];
}

export function scanText(text: string): ScanResult {
  const findings: LexicalFinding[] = [];
  const noise: PasteNoise = { smartStrings: [], quoteEdits: [], spaceRuns: [], trailingCommas: [] };
  const normalized = normalizeQuotesAndSpaces(text, noise);
  const result: ScanResult = { normalized, findings, maxDepth: 0 };
  scanTokens(normalized, result, noise);
  reportPasteNoise(text, noise, findings);
  return result;
}

function normalizeQuotesAndSpaces(text: string, noise: PasteNoise): string {
  const hasSmart = /[\u201c-\u201f\u2033\u00ab\u00bb]/.test(text);
  const hasOddSpace = NON_JSON_WHITESPACE.test(text);
  if (!hasSmart && !hasOddSpace) return text;

  const chars = text.split('');
  const { smartStrings, quoteEdits, spaceRuns } = noise;
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

  return chars.join('');
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * One finding per kind of paste noise (typographic quotes, odd whitespace, trailing commas), at its
 * first place, with every other place as related information, and one fix that cleans all of it.
 */
function reportPasteNoise(text: string, noise: PasteNoise, findings: LexicalFinding[]): void {
  const { smartStrings, quoteEdits, spaceRuns, trailingCommas } = noise;
  if (smartStrings.length === 0 && spaceRuns.length === 0 && trailingCommas.length === 0) return;
  const spaceEdits = spaceRuns.map((run) => spacesFor(text, run));
  let oddSpaces = 0;
  let allNbsp = true;
  for (const run of spaceRuns) {
    for (let i = run.start; i < run.end; i++) {
      if (!NON_JSON_WHITESPACE.test(text[i])) continue;
      oddSpaces++;
      if (text[i] !== '\u00a0') allNbsp = false;
    }
  }
  const spaceName = allNbsp ? 'non-breaking space' : 'non-JSON space';
  const steps: string[] = [];
  if (quoteEdits.length > 0) steps.push(`straighten ${plural(quoteEdits.length, 'quote')}`);
  if (oddSpaces > 0) steps.push(`replace ${plural(oddSpaces, spaceName)}`);
  if (trailingCommas.length > 0) steps.push(trailingCommas.length === 1 ? 'remove the trailing comma' : `remove ${plural(trailingCommas.length, 'trailing comma')}`);
  const title = steps.length === 1 ? steps[0] : `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]}`;
  const cleanUp: Fix = {
    title: title[0].toUpperCase() + title.slice(1),
    edits: [...quoteEdits, ...spaceEdits, ...trailingCommas.map((offset) => ({ start: offset, end: offset + 1, newText: '' }))],
    safe: true,
  };
  const others = (spans: Span[], message: string): RelatedSpan[] => spans.slice(1).map((span) => ({ ...span, message }));
  if (smartStrings.length > 0) {
    const what = smartStrings.length === 1 ? 'Typographic quotes (\u201c \u201d) are' : `${smartStrings.length} strings have typographic quotes (\u201c \u201d), which are`;
    findings.push({
      ...smartStrings[0],
      ruleId: 'smart-quotes',
      message: `${what} not JSON quotes. IAM and KMS reject the whole policy as malformed; use straight double quotes (").`,
      related: others(smartStrings, 'typographic quotes here too'),
      fixes: [cleanUp],
    });
  }
  if (spaceRuns.length > 0) {
    const code = text.charCodeAt(spaceRuns[0].start).toString(16).toUpperCase().padStart(4, '0');
    const where = spaceRuns.length === 1 ? '' : ` It is on ${plural(spaceRuns.length, 'line')}.`;
    findings.push({
      ...spaceRuns[0],
      ruleId: 'json-strict',
      message: `U+${code} is not JSON whitespace (text copied from a web page often has non-breaking spaces). AWS rejects the policy as malformed; use plain spaces.${where}`,
      related: others(spaceRuns, `${spaceName} here too`),
      fixes: [cleanUp],
    });
  }
  if (trailingCommas.length > 0) {
    const first = trailingCommas[0];
    const closer = text.slice(first + 1).trimStart()[0] ?? '}';
    const message =
      trailingCommas.length === 1
        ? `Trailing comma before '${closer}': JSON does not allow it and AWS rejects the policy as malformed.`
        : `${trailingCommas.length} trailing commas (this one before '${closer}'): JSON does not allow them and AWS rejects the policy as malformed.`;
    findings.push({
      start: first,
      end: first + 1,
      ruleId: 'json-strict',
      message,
      related: others(trailingCommas.map((offset) => ({ start: offset, end: offset + 1 })), 'trailing comma here too'),
      fixes: [cleanUp],
    });
  }
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

function scanTokens(text: string, result: ScanResult, noise: PasteNoise): void {
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
        if (pendingComma !== undefined) noise.trailingCommas.push(pendingComma);
        depth = Math.max(0, depth - 1);
        break;
    }
    pendingComma = kind === SyntaxKind.CommaToken ? offset : undefined;
  }
}

