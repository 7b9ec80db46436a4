/**
 * Editors for templates. `YamlEditor` writes the engine's edits as YAML that keeps the user's
 * quoting and indentation, in block and flow style. `TemplateEditor` sends each edit to the
 * editor of the place it lands: the template's own (YAML or JSON), or the JSON inside a policy
 * given as a string; and refuses intrinsics, aliases and strings it cannot map exactly.
 */
import { detectEol, detectIndentUnit } from '../../engine/text';
import type { PolicyEditor, PolicyNode as Node } from '../../engine/tree';
import type { Span, TextEdit } from '../../engine/types';
import { JsonEditor, removalBesideSiblings } from '../json/editor';
import { MAX_NESTING } from '../json/scan';
import { parseStrict } from '../json/strictParse';
import { encode, mapSpan } from './embedded';
import type { EmbeddedPolicy } from './policies';
import { RegionEditor } from '../regionEditor';

type Quote = '"' | "'" | 'plain';

const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);

/** Whether a string can be written unquoted in block and flow YAML alike, and reads back as the same string everywhere. */
export function safePlain(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_\-./:*]*$/.test(value) && !value.endsWith(':') && !RESERVED.has(value.toLowerCase());
}

export class YamlEditor implements PolicyEditor {
  readonly eol: string;
  readonly unit: string;

  constructor(readonly text: string) {
    this.eol = detectEol(text);
    const unit = detectIndentUnit(text);
    this.unit = unit.startsWith('\t') ? '  ' : unit;
  }

  private lineStart(offset: number): number {
    let start = offset;
    while (start > 0 && this.text[start - 1] !== '\n' && this.text[start - 1] !== '\r') start--;
    return start;
  }

  /** Spaces as wide as the column of `offset` (a block collection's items start there). */
  private columnIndent(offset: number): string {
    return ' '.repeat(offset - this.lineStart(offset));
  }

  /** Where to add a line after `offset`: the end of its line when only space or a comment follows. */
  private afterLine(offset: number): number {
    let i = offset;
    while (i < this.text.length && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
    if (i < this.text.length && this.text[i] !== '#' && this.text[i] !== '\n' && this.text[i] !== '\r') return offset;
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    return i;
  }

  private isFlow(node: Node): boolean {
    const ch = this.text[node.offset];
    return ch === '[' || ch === '{';
  }

  private inFlow(node: Node): boolean {
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (parent.type === 'property') continue;
      return this.isFlow(parent);
    }
    return false;
  }

  private quoteAt(offset: number): Quote | undefined {
    const ch = this.text[offset];
    if (ch === '"') return '"';
    if (ch === "'") return "'";
    if (ch === '|' || ch === '>' || ch === '!' || ch === '*' || ch === '&' || ch === '[' || ch === '{') return undefined;
    return 'plain';
  }

  /** The quoting of the first string under a node (its siblings' style for new values). */
  private quoteUnder(node: Node | undefined): Quote {
    const stack = node ? [node] : [];
    for (let seen = 0; stack.length > 0 && seen < 64; seen++) {
      const n = stack.shift()!;
      const isKey = n.parent?.type === 'property' && n.parent.children?.[0] === n;
      if (n.type === 'string' && !isKey && !n.parts) {
        const quote = this.quoteAt(n.offset);
        if (quote) return quote;
      }
      if (n.children) stack.push(...n.children);
    }
    return node?.parent ? this.quoteUnder(node.parent.type === 'property' ? node.parent.parent : node.parent) : '"';
  }

  /** The quote the policy uses where it quotes (for values its plain style cannot hold). */
  private quoteOfPolicy(node: Node | undefined): '"' | "'" {
    let root = node;
    while (root?.parent) root = root.parent;
    if (!root) return '"';
    let quote = this.policyQuotes.get(root);
    if (!quote) {
      quote = '"';
      const queue = [root];
      for (let i = 0; i < queue.length && i < 500; i++) {
        const n = queue[i];
        const ch = n.type === 'string' && !n.parts ? this.text[n.offset] : undefined;
        if (ch === '"' || ch === "'") {
          quote = ch;
          break;
        }
        if (n.children) queue.push(...n.children);
      }
      this.policyQuotes.set(root, quote);
    }
    return quote;
  }

  private readonly policyQuotes = new WeakMap<Node, '"' | "'">();
  /** The quote for values that cannot be plain, for the edit being written. */
  private fallback: '"' | "'" = '"';

  private begin(node: Node | undefined): void {
    this.fallback = this.quoteOfPolicy(node);
  }

  scalar(value: unknown, quote: Quote): string {
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return String(value);
    if (value === null || value === undefined) return 'null';
    const text = String(value);
    if (quote === 'plain') {
      if (safePlain(text)) return text;
      quote = this.fallback;
    }
    if (quote === "'") return `'${text.replace(/'/g, "''")}'`;
    return JSON.stringify(text);
  }

  private key(name: string, quote: Quote): string {
    return safePlain(name) ? name : this.scalar(name, quote);
  }

  flow(value: unknown, quote: Quote): string {
    if (Array.isArray(value)) return `[${value.map((v) => this.flow(v, quote)).join(', ')}]`;
    if (value && typeof value === 'object') {
      return `{${Object.entries(value).map(([k, v]) => `${this.key(k, quote)}: ${this.flow(v, quote)}`).join(', ')}}`;
    }
    return this.scalar(value, quote);
  }

  /** Block YAML starting at a place whose items are at `indent` (the first line is not indented). */
  block(value: unknown, indent: string, quote: Quote): string {
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      return value.map((item, i) => `${i > 0 ? this.eol + indent : ''}- ${this.block(item, indent + '  ', quote)}`).join('');
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) return '{}';
      return entries.map(([k, v], i) => `${i > 0 ? this.eol + indent : ''}${this.key(k, quote)}:${this.afterKey(v, indent, quote)}`).join('');
    }
    return this.scalar(value, quote);
  }

  private afterKey(value: unknown, indent: string, quote: Quote): string {
    const short = this.flow(value, quote);
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null) && short.length <= 60) return ' ' + short;
    if (value && typeof value === 'object' && Object.keys(value).length > 0) return this.eol + indent + this.unit + this.block(value, indent + this.unit, quote);
    return ' ' + short;
  }

  replaceString(item: Span, value: string): TextEdit {
    this.fallback = this.quoteAt(item.start) === "'" ? "'" : '"';
    const quote = this.quoteAt(item.start) ?? '"';
    return { start: item.start, end: item.end, newText: this.scalar(value, quote) };
  }

  replaceValue(node: Node, value: unknown): TextEdit {
    this.begin(node);
    const end = node.offset + node.length;
    if (typeof value !== 'object' || value === null) {
      const quote = node.type === 'string' ? (this.quoteAt(node.offset) ?? '"') : this.quoteUnder(node);
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      const colon = key ? key.offset + key.length : -1;
      if ((node.type === 'object' || node.type === 'array') && !this.isFlow(node) && key && this.text[colon] === ':') {
        // `Resource:` over a block list becomes `Resource: "*"`, on the key's line.
        return { start: colon + 1, end, newText: ' ' + this.scalar(value, quote) };
      }
      return { start: node.offset, end, newText: this.scalar(value, quote) };
    }
    const quote = this.quoteUnder(node);
    const block = (node.type === 'object' || node.type === 'array') && !this.isFlow(node) && !this.inFlow(node);
    const newText = block ? this.block(value, this.columnIndent(node.offset), quote) : this.flow(value, quote);
    return { start: node.offset, end, newText };
  }

  addProperty(object: Node, name: string, value: unknown): TextEdit {
    this.begin(object);
    const properties = object.children ?? [];
    const quote = this.quoteUnder(object);
    if (properties.length === 0 || this.isFlow(object) || this.inFlow(object)) {
      const entry = `${this.key(name, quote)}: ${this.flow(value, quote)}`;
      if (properties.length === 0) {
        const close = object.offset + object.length - 1;
        if (this.text[object.offset] === '{' && this.text[close] === '}') return { start: object.offset + 1, end: close, newText: entry };
        return { start: object.offset, end: object.offset + object.length, newText: `{${entry}}` };
      }
      const last = properties[properties.length - 1];
      const at = last.offset + last.length;
      return { start: at, end: at, newText: `, ${entry}` };
    }
    const last = properties[properties.length - 1];
    const at = this.afterLine(last.offset + last.length);
    const indent = this.columnIndent(properties[0].offset);
    return { start: at, end: at, newText: `${this.eol}${indent}${this.key(name, quote)}:${this.afterKey(value, indent, quote)}` };
  }

  addFirstProperty(object: Node, name: string, value: unknown): TextEdit {
    const first = object.children?.[0];
    if (!first) return this.addProperty(object, name, value);
    this.begin(object);
    const quote = this.quoteUnder(object);
    if (this.isFlow(object) || this.inFlow(object)) {
      return { start: first.offset, end: first.offset, newText: `${this.key(name, quote)}: ${this.flow(value, quote)}, ` };
    }
    const indent = this.columnIndent(first.offset);
    return { start: first.offset, end: first.offset, newText: `${this.key(name, quote)}:${this.afterKey(value, indent, quote)}${this.eol}${indent}` };
  }

  removeProperty(property: Node): TextEdit {
    const beside = removalBesideSiblings(property);
    if (beside) return beside;
    const end = property.offset + property.length;
    const parent = property.parent;
    if (parent && this.isFlow(parent)) return { start: property.offset, end, newText: '' };
    return { start: property.offset, end, newText: '{}' };
  }

  renameKey(keySpan: Span, newName: string): TextEdit {
    this.fallback = this.quoteAt(keySpan.start) === "'" ? "'" : '"';
    const quote = this.quoteAt(keySpan.start) ?? '"';
    return { start: keySpan.start, end: keySpan.end, newText: quote === 'plain' ? this.key(newName, quote) : this.scalar(newName, quote) };
  }

  addToList(valueNode: Node, items: readonly { value: string }[], additions: string[]): TextEdit {
    this.begin(valueNode);
    const children = valueNode.type === 'array' ? (valueNode.children ?? []) : [];
    if (children.length === 0) return this.replaceValue(valueNode, [...items.map((i) => i.value), ...additions]);
    const last = children[children.length - 1];
    const quote = this.quoteAt(last.offset) ?? this.quoteUnder(valueNode);
    const end = last.offset + last.length;
    if (this.isFlow(valueNode)) return { start: end, end, newText: additions.map((a) => `, ${this.scalar(a, quote)}`).join('') };
    const at = this.afterLine(end);
    const indent = this.columnIndent(valueNode.offset);
    return { start: at, end: at, newText: additions.map((a) => `${this.eol}${indent}- ${this.scalar(a, quote)}`).join('') };
  }

  appendToArray(array: Node, value: unknown): TextEdit {
    this.begin(array);
    const children = array.children ?? [];
    const quote = this.quoteUnder(array);
    if (children.length === 0) {
      const close = array.offset + array.length - 1;
      if (this.text[array.offset] === '[' && this.text[close] === ']') return { start: array.offset + 1, end: close, newText: this.flow(value, quote) };
      return { start: array.offset, end: array.offset + array.length, newText: `[${this.flow(value, quote)}]` };
    }
    const last = children[children.length - 1];
    const end = last.offset + last.length;
    if (this.isFlow(array) || this.inFlow(array)) return { start: end, end, newText: `, ${this.flow(value, quote)}` };
    const at = this.afterLine(end);
    const indent = this.columnIndent(array.offset);
    return { start: at, end: at, newText: `${this.eol}${indent}- ${this.block(value, indent + '  ', quote)}` };
  }
}

/**
 * Edits inside a policy given as a string (a template's, a JSON wrapper's): the JSON editor's edit
 * on the string's value, its span mapped back and its text written as the string spells it.
 */
export class EmbeddedEditor implements PolicyEditor {
  private readonly json: JsonEditor;

  constructor(
    private readonly policy: EmbeddedPolicy,
    /** The edit's new text as the string must spell it (YAML or JSON escapes). */
    private readonly spell: (newText: string) => string,
  ) {
    this.json = new JsonEditor(policy.json);
  }

  /**
   * The node of the value's tree that a file node copies: found by its span mapped back, from the
   * root down (fixes are few; keeping a map from every copied node would cost every read).
   */
  private node(node: Node): Node {
    const { start, end } = this.span({ start: node.offset, end: node.offset + node.length });
    // A strict parse of the same text gives the same tree: kept from the read, or made now (fixes are few).
    let at: Node | undefined = (this.policy.source ??= parseStrict(this.policy.json, MAX_NESTING)?.root);
    while (at) {
      if (at.offset === start && at.offset + at.length === end && at.type === node.type) return at;
      at = at.children?.find((child) => child.offset <= start && child.offset + child.length >= end);
    }
    return node;
  }

  /** A file span back in the string's value (the map only grows, so the last index at or before each offset). */
  private span(span: Span): Span {
    const start = this.unmap(span.start);
    const end = this.unmap(span.end);
    return { start, end: Math.max(start, end) };
  }

  private unmap(offset: number): number {
    const offsets = this.policy.map.offsets!;
    let low = 0;
    let high = offsets.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (offsets[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private back(edit: TextEdit): TextEdit {
    const span = mapSpan(this.policy.map, edit.start, edit.end);
    return { ...span, newText: this.spell(edit.newText) };
  }

  replaceString(item: Span, value: string): TextEdit {
    return this.back(this.json.replaceString(this.span(item), value));
  }
  replaceValue(node: Node, value: unknown): TextEdit {
    return this.back(this.json.replaceValue(this.node(node), value));
  }
  addProperty(object: Node, name: string, value: unknown): TextEdit {
    return this.back(this.json.addProperty(this.node(object), name, value));
  }
  addFirstProperty(object: Node, name: string, value: unknown): TextEdit {
    return this.back(this.json.addFirstProperty(this.node(object), name, value));
  }
  removeProperty(property: Node): TextEdit {
    return this.back(this.json.removeProperty(this.node(property)));
  }
  renameKey(keySpan: Span, newName: string): TextEdit {
    return this.back(this.json.renameKey(this.span(keySpan), newName));
  }
  addToList(valueNode: Node, items: readonly { value: string }[], additions: string[]): TextEdit {
    return this.back(this.json.addToList(this.node(valueNode), items, additions));
  }
  appendToArray(array: Node, value: unknown): TextEdit {
    return this.back(this.json.appendToArray(this.node(array), value));
  }
}

/** The template's editor: each edit goes to the editor of the text it lands in. */
export class TemplateEditor extends RegionEditor {
  private readonly regions: { start: number; end: number; editor: EmbeddedEditor }[];

  constructor(
    private readonly base: PolicyEditor,
    frozen: WeakSet<Node>,
    embedded: EmbeddedPolicy[],
    eol: string,
  ) {
    super(frozen);
    this.regions = embedded.map((policy) => ({ ...policy.map.whole, editor: new EmbeddedEditor(policy, (newText) => encode(policy.map, eol, newText)) }));
  }

  protected at(offset: number): PolicyEditor {
    for (const region of this.regions) if (offset > region.start && offset < region.end) return region.editor;
    return this.base;
  }
}
