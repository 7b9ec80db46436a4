/** Line/column bookkeeping and small text helpers shared by rules and adapters. */
import type { TextEdit } from './types';

export interface Position {
  line: number;
  character: number;
}

export interface LineRange {
  start: Position;
  end: Position;
}

/** Maps offsets to 0-based line/character positions (LSP style). */
export class LineIndex {
  private starts: number[] | undefined;

  /** Line starts are found on first use: the index reads many files whose positions nobody asks for. */
  constructor(private readonly text: string) {}

  private get lineStarts(): number[] {
    if (this.starts) return this.starts;
    const text = this.text;
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // The common case, found by the native indexOf rather than a character loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 13 /* \r */) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        } else if (ch === 10 /* \n */) {
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
    return starts;
  }

  /** As editors do: an offset inside a line break (between \r and \n) is the end of that line. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: Math.min(clamped, this.contentEnd(low)) - this.lineStarts[low] };
  }

  /** A character past the end of its line means the end of the line, before its line break. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    return Math.min(lineStart + Math.max(0, position.character), this.contentEnd(position.line));
  }

  /** Where a line's text ends: before its \n, \r\n or \r. */
  private contentEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    const next = this.lineStarts[line + 1];
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  rangeOf(span: { start: number; end: number }): LineRange {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}

/** Copies kept by `detached`: one per distinct value, so that the many files that write "kms:Decrypt" share one. */
const POOL_LIMIT = 20000;
const POOLED_LENGTH = 256;
const pool = new Map<string, string>();

/**
 * A substring that does not keep its whole document alive. V8 represents a slice of 13 or more
 * characters as a view into the text it was cut from; what outlives the document (the workspace
 * index, caches) stores its own copy instead, shared with every equal value while the pool has room.
 */
export function detached(value: string): string {
  if (value.length > POOLED_LENGTH) return JSON.parse(JSON.stringify(value)) as string;
  let copy = pool.get(value);
  if (copy === undefined) {
    copy = value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
    if (pool.size < POOL_LIMIT) pool.set(copy, copy);
  }
  return copy;
}

/** The whitespace that starts the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(lineStart, end);
}

/** The document's indent unit, guessed from the first indented line. */
export function detectIndentUnit(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  if (!match) return '  ';
  const indent = match[1];
  if (indent.startsWith('\t')) return '\t';
  return indent.length >= 4 && indent.length % 4 === 0 ? '    ' : indent.length % 2 === 0 ? '  ' : indent;
}

export function detectEol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function levenshtein(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1);
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate within a small edit distance, case-insensitively. */
export function closestMatch(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const lower = word.toLowerCase();
  const limit = maxDistance ?? Math.max(1, Math.min(3, Math.floor(word.length / 4)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}

/** Applies text edits (offsets in `text`); edits at the same offset keep their order. */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  const sorted = edits.map((edit, order) => ({ edit, order })).sort((a, b) => b.edit.start - a.edit.start || b.order - a.order);
  let result = text;
  for (const { edit } of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Removes a comment, and its whole line when nothing else is on it. */
export function removalOfComment(text: string, start: number, end: number): TextEdit {
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

/** Where two texts differ: from `start`, `oldEnd` in the old text and `newEnd` in the new. */
export function changedRange(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
