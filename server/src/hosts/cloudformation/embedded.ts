/**
 * A policy given as a JSON string (`KeyPolicy: |` with JSON under it, or a JSON string in a JSON
 * template): where each character of the string's value sits in the template text. Where the
 * mapping is not simple (folded scalars, YAML escapes JSON lacks, multi-line quoted strings) it
 * is conservative: every span is the whole string's.
 */
import type { Span } from '../../engine/types';
import type { TemplateNode } from './templateTree';

/** How edits inside the string are written back into the template. */
export type StringEncoding = 'json' | 'single' | 'literal';

export interface StringMap {
  /** The string's value. */
  value: string;
  /** Template offset of each value index (one more entry: the end). Undefined: conservative. */
  offsets?: Int32Array;
  /** The whole string node. */
  whole: Span;
  encoding?: StringEncoding;
  /** For a literal block: the content's indentation. */
  indent?: string;
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Maps a string node's value into the text. `json`: the node is a JSON string token. */
export function mapString(text: string, node: TemplateNode, json: boolean): StringMap {
  const value: string = node.value;
  const whole = { start: node.offset, end: node.offset + node.length };
  const conservative: StringMap = { value, whole };
  const style = json ? 'double' : node.style;
  if (style === 'double') {
    // The common case (every JSON string of a JSON template): the offsets written straight into their array.
    const offsets = escaped(text, whole.start + 1, whole.end - 1, value.length);
    return offsets ? { value, whole, offsets, encoding: 'json' } : conservative;
  }
  let mapped: { offsets: number[]; encoding: StringEncoding; indent?: string } | undefined;
  if (style === 'single') mapped = singleQuoted(text, whole.start + 1, whole.end - 1);
  else if (style === 'literal') mapped = literalBlock(text, whole.start, whole.end);
  if (!mapped) return conservative;
  const { offsets } = mapped;
  // The mapping must spell the parser's value exactly (trailing line breaks aside).
  let spelled = '';
  if (style === 'literal') {
    for (let i = 0; i < offsets.length - 1; i++) spelled += text[offsets[i]] === '\r' ? '\n' : text[offsets[i]];
    if (trimBreaks(spelled) !== trimBreaks(value)) return conservative;
    offsets.length = Math.min(offsets.length, value.length + 1);
    while (offsets.length < value.length + 1) offsets.push(whole.end);
  } else if (offsets.length !== value.length + 1) {
    return conservative;
  }
  return { value, whole, offsets: Int32Array.from(offsets), encoding: mapped.encoding, indent: mapped.indent };
}

function trimBreaks(value: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === '\n') end--;
  return value.slice(0, end);
}

/**
 * A double-quoted string (JSON, or YAML on one line with JSON's escapes only): the text offset of
 * each of its `length` value characters, and of its end; undefined where it does not spell that many.
 */
function escaped(text: string, start: number, end: number, length: number): Int32Array | undefined {
  if (end < start || text.charCodeAt(start - 1) !== QUOTE || text.charCodeAt(end) !== QUOTE) return undefined;
  const offsets = new Int32Array(length + 1);
  let n = 0;
  for (let i = start; i < end; ) {
    if (n >= length) return undefined;
    const ch = text.charCodeAt(i);
    if (ch === NEWLINE || ch === RETURN) return undefined;
    offsets[n++] = i;
    if (ch !== BACKSLASH) {
      i++;
    } else if (text.charCodeAt(i + 1) === U) {
      i += 6;
    } else if (text[i + 1] !== undefined && text[i + 1] in JSON_ESCAPES) {
      i += 2;
    } else {
      return undefined;
    }
  }
  if (n !== length) return undefined;
  offsets[n] = end;
  return offsets;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const U = 0x75;

function singleQuoted(text: string, start: number, end: number): { offsets: number[]; encoding: StringEncoding } | undefined {
  if (end < start || text[start - 1] !== "'" || text[end] !== "'") return undefined;
  const offsets: number[] = [];
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return undefined;
    offsets.push(i);
    if (ch === "'") i++;
  }
  offsets.push(end);
  return { offsets, encoding: 'single' };
}

/** A literal block scalar (`|`, `|-`, `|+`, `|2`): each content line less its indentation. */
function literalBlock(text: string, start: number, end: number): { offsets: number[]; encoding: StringEncoding; indent: string } | undefined {
  if (text[start] !== '|') return undefined;
  let lineEnd = start;
  while (lineEnd < end && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  let explicit: number | undefined;
  for (let i = start + 1; i < lineEnd && text[i] !== ' ' && text[i] !== '#'; i++) {
    const ch = text[i];
    if (ch >= '1' && ch <= '9') explicit = Number(ch);
  }
  // Lines of the block, as [start, end) without their breaks.
  const lines: [number, number][] = [];
  let at = lineEnd;
  if (text[at] === '\r') at++;
  if (text[at] === '\n') at++;
  while (at < end) {
    let stop = at;
    while (stop < end && text[stop] !== '\n' && text[stop] !== '\r') stop++;
    lines.push([at, stop]);
    at = stop;
    if (text[at] === '\r') at++;
    if (text[at] === '\n') at++;
  }
  if (lines.length === 0) return undefined;
  let indent = explicit;
  if (indent === undefined) {
    for (const [s, e] of lines) {
      let n = 0;
      while (s + n < e && text[s + n] === ' ') n++;
      if (s + n < e) {
        indent = n;
        break;
      }
    }
  } else {
    // An explicit indicator counts from the parent's indentation.
    let parent = start;
    while (parent > 0 && text[parent - 1] !== '\n' && text[parent - 1] !== '\r') parent--;
    let n = 0;
    while (text[parent + n] === ' ') n++;
    indent += n;
  }
  if (indent === undefined || indent === 0) return undefined;
  const offsets: number[] = [];
  lines.forEach(([s, e], index) => {
    // The break between two lines sits where the previous line ends (a '\r' or '\n', read as '\n').
    if (index > 0) offsets.push(lines[index - 1][1]);
    for (let i = s + Math.min(indent!, e - s); i < e; i++) offsets.push(i);
  });
  offsets.push(end);
  return { offsets, encoding: 'literal', indent: ' '.repeat(indent) };
}

/** The template span of a span of the string's value. */
export function mapSpan(map: StringMap, start: number, end: number): Span {
  const offsets = map.offsets;
  if (!offsets) return map.whole;
  const at = (i: number) => offsets[Math.max(0, Math.min(i, offsets.length - 1))];
  return { start: at(start), end: Math.max(at(start), at(end)) };
}

/** Text for the inside of the string, from JSON text the JSON editor wrote. */
export function encode(map: StringMap, eol: string, newText: string): string {
  switch (map.encoding) {
    case 'json':
      return JSON.stringify(newText.replace(/\r?\n[ \t]*/g, ' ')).slice(1, -1);
    case 'single':
      return newText.replace(/\r?\n[ \t]*/g, ' ').replace(/'/g, "''");
    case 'literal':
      return newText.replace(/\r?\n/g, eol + (map.indent ?? ''));
    default:
      return newText;
  }
}
