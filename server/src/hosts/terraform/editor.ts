/**
 * The Terraform host's editor: tree edits rendered as HCL (tuples, block attributes, blocks,
 * jsonencode objects), and as JSON inside heredocs. Edits it cannot render faithfully (an
 * expression, a reference, a default no text spells) come back holding UNKNOWN_MARK, and the
 * engine drops the fixes that carry them (`dropUneditableFixes`); `canEdit` says which nodes.
 */
import { detectEol, detectIndentUnit, indentationAt } from '../../engine/text';
import { UNKNOWN_MARK, type PolicyEditor, type PolicyNode } from '../../engine/tree';
import type { Span, TextEdit } from '../../engine/types';
import { JsonEditor } from '../json/editor';

export type NodeInfo =
  | { k: 'document' }
  | { k: 'statements' }
  /** A property from `name = value` in a block. */
  | { k: 'attribute' }
  /** A property that is a whole block (principals, condition). */
  | { k: 'block' }
  | { k: 'none' }
  /** An HCL literal value; `list` where the attribute takes a list (actions, resources, values). */
  | { k: 'value'; list?: boolean }
  /** A jsonencode object or one of its properties. */
  | { k: 'object' }
  | { k: 'statement'; insertAt: number; close: number; innerIndent: string }
  | { k: 'condition'; statement: PolicyNode }
  | { k: 'operator'; statement: PolicyNode; test: string };

export type KeyInfo = { k: 'attribute' | 'block' | 'string' | 'identifier' | 'none' };

/** Statement element names as the policy document's attribute names. */
const ATTRIBUTE_NAMES = new Map([
  ['Sid', 'sid'],
  ['Effect', 'effect'],
  ['Action', 'actions'],
  ['NotAction', 'not_actions'],
  ['Resource', 'resources'],
  ['NotResource', 'not_resources'],
]);

const IDENTIFIER = (name: string): boolean => {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const digit = (c >= 48 && c <= 57) || c === 45;
    if (!(letter || (i > 0 && digit))) return false;
  }
  return true;
};

/** An HCL quoted string for a value, template sequences escaped. */
export function hclString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if ((c === '$' || c === '%') && value[i + 1] === '{') out += c + c;
    else out += c;
  }
  return out + '"';
}

function refused(at: number): TextEdit {
  return { start: at, end: at, newText: UNKNOWN_MARK };
}

export class HclEditor implements PolicyEditor {
  readonly indentUnit: string;
  readonly eol: string;
  private readonly info = new WeakMap<PolicyNode, NodeInfo>();
  private readonly keys = new Map<number, KeyInfo>();
  private readonly uneditable = new WeakSet<PolicyNode>();
  private readonly jsonRegions: Span[] = [];
  private json: JsonEditor | undefined;

  constructor(readonly text: string) {
    this.indentUnit = detectIndentUnit(text);
    this.eol = detectEol(text);
  }

  // ---- what the reader records ----

  note(node: PolicyNode, info: NodeInfo): void {
    this.info.set(node, info);
  }

  noteKey(offset: number, info: KeyInfo): void {
    this.keys.set(offset, info);
  }

  refuse(node: PolicyNode): void {
    this.uneditable.add(node);
  }

  addJsonRegion(region: Span): void {
    this.jsonRegions.push(region);
  }

  indentAt(offset: number): string {
    return indentationAt(this.text, offset);
  }

  canEdit(node: PolicyNode): boolean {
    return !this.uneditable.has(node);
  }

  // ---- helpers ----

  /** The JSON editor for an offset inside a heredoc, which keeps `${` literal. */
  private jsonAt(offset: number): JsonEditor | undefined {
    for (const region of this.jsonRegions) {
      if (offset >= region.start && offset < region.end) return (this.json ??= new JsonEditor(this.text));
    }
    return undefined;
  }

  private inJson(edit: TextEdit): TextEdit {
    let newText = '';
    const value = edit.newText;
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      newText += (c === '$' || c === '%') && value[i + 1] === '{' ? c + c : c;
    }
    return { ...edit, newText };
  }

  private isMultiline(node: PolicyNode): boolean {
    const end = node.offset + node.length;
    for (let i = node.offset; i < end; i++) if (this.text[i] === '\n') return true;
    return false;
  }

  /** HCL for a value; objects and lists of objects laid out from `indent`. */
  render(value: unknown, indent: string): string {
    if (typeof value === 'string') return hclString(value);
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value === null || value === undefined) return 'null';
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => this.render(v, indent)).join(', ')}]`;
      const inner = indent + this.indentUnit;
      return `[${this.eol}${value.map((v) => inner + this.render(v, inner)).join(',' + this.eol)},${this.eol}${indent}]`;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const inner = indent + this.indentUnit;
    return `{${this.eol}${entries.map(([k, v]) => `${inner}${IDENTIFIER(k) ? k : hclString(k)} = ${this.render(v, inner)}`).join(this.eol)}${this.eol}${indent}}`;
  }

  /** A span removed with its line when nothing else is on it. */
  private removal(start: number, end: number): TextEdit {
    const text = this.text;
    let s = start;
    while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
    let e = end;
    while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
    if (text[e] === ',') {
      e++;
      while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
    }
    const lineStart = s === 0 || text[s - 1] === '\n';
    const lineEnd = e >= text.length || text[e] === '\n' || text[e] === '\r';
    if (lineStart && lineEnd) {
      if (text[e] === '\r') e++;
      if (text[e] === '\n') e++;
      return { start: s, end: e, newText: '' };
    }
    return { start, end: text[end] === ',' ? end + 1 : end, newText: '' };
  }

  /** Blocks (or an attribute) added at the end of a statement block. */
  private addToStatement(statement: PolicyNode, name: string, value: unknown): TextEdit {
    const info = this.info.get(statement);
    if (!info || info.k !== 'statement') return refused(statement.offset);
    const indent = info.innerIndent;
    let lines: string;
    if (name === 'Condition' && value && typeof value === 'object') {
      const blocks: string[] = [];
      for (const [test, keys] of Object.entries(value as Record<string, unknown>)) {
        if (!keys || typeof keys !== 'object') return refused(statement.offset);
        for (const [variable, values] of Object.entries(keys as Record<string, unknown>)) blocks.push(this.conditionBlock(test, variable, values, indent));
      }
      lines = blocks.join(this.eol);
    } else if (ATTRIBUTE_NAMES.has(name)) {
      const list = name !== 'Sid' && name !== 'Effect';
      lines = `${indent}${ATTRIBUTE_NAMES.get(name)} = ${this.render(list && !Array.isArray(value) ? [value] : value, indent)}`;
    } else {
      return refused(statement.offset);
    }
    return { start: info.insertAt, end: info.insertAt, newText: `${this.eol}${lines}` };
  }

  private conditionBlock(test: string, variable: string, values: unknown, indent: string): string {
    const inner = indent + this.indentUnit;
    const list = Array.isArray(values) ? values : [values];
    return [
      `${indent}condition {`,
      `${inner}test     = ${hclString(test)}`,
      `${inner}variable = ${hclString(variable)}`,
      `${inner}values   = ${this.render(list.map((v) => String(v)), inner)}`,
      `${indent}}`,
    ].join(this.eol);
  }

  // ---- PolicyEditor ----

  replaceString(item: Span, value: string): TextEdit {
    const json = this.jsonAt(item.start);
    if (json) return this.inJson(json.replaceString(item, value));
    const node = (item as { node?: PolicyNode }).node;
    if (node && !this.canEdit(node)) return refused(item.start);
    if (this.text[item.start] !== '"') return refused(item.start);
    return { start: item.start, end: item.end, newText: hclString(value) };
  }

  replaceValue(node: PolicyNode, value: unknown): TextEdit {
    const json = this.jsonAt(node.offset);
    if (json) return this.inJson(json.replaceValue(node, value));
    const info = this.info.get(node);
    if (!this.canEdit(node) || (node.type !== 'string' && node.type !== 'number' && node.type !== 'boolean' && node.type !== 'null' && info?.k !== 'value' && info?.k !== 'object')) {
      return refused(node.offset);
    }
    if (node.type === 'string' && this.text[node.offset] !== '"') return refused(node.offset);
    const list = info?.k === 'value' && info.list;
    const rendered = this.render(list && !Array.isArray(value) ? [value] : value, this.indentAt(node.offset));
    return { start: node.offset, end: node.offset + node.length, newText: rendered };
  }

  addProperty(object: PolicyNode, name: string, value: unknown): TextEdit {
    const json = this.jsonAt(object.offset);
    if (json) return this.inJson(json.addProperty(object, name, value));
    const info = this.info.get(object);
    if (!info || !this.canEdit(object)) return refused(object.offset);
    if (info.k === 'statement') return this.addToStatement(object, name, value);
    if (info.k === 'condition') return this.addToStatement(info.statement, 'Condition', { [name]: value });
    if (info.k === 'operator') return this.addToStatement(info.statement, 'Condition', { [info.test]: { [name]: value } });
    if (info.k !== 'object') return refused(object.offset);
    const key = IDENTIFIER(name) ? name : hclString(name);
    const properties = object.children ?? [];
    const last = properties[properties.length - 1];
    if (!last) {
      const indent = this.indentAt(object.offset);
      const inner = indent + this.indentUnit;
      return { start: object.offset + 1, end: object.offset + object.length - 1, newText: `${this.eol}${inner}${key} = ${this.render(value, inner)}${this.eol}${indent}` };
    }
    const end = last.offset + last.length;
    if (this.isMultiline(object)) {
      const indent = this.indentAt(last.offset);
      const after = this.text[end] === ',' ? end + 1 : end;
      const comma = this.text[end] === ',' ? ',' : '';
      return { start: after, end: after, newText: `${this.eol}${indent}${key} = ${this.render(value, indent)}${comma}` };
    }
    return { start: end, end, newText: `, ${key} = ${this.render(value, this.indentAt(object.offset))}` };
  }

  addFirstProperty(object: PolicyNode, name: string, value: unknown): TextEdit {
    const json = this.jsonAt(object.offset);
    if (json) return this.inJson(json.addFirstProperty(object, name, value));
    const info = this.info.get(object);
    const first = object.children?.[0];
    if (info?.k !== 'object' || !first) return this.addProperty(object, name, value);
    const key = IDENTIFIER(name) ? name : hclString(name);
    if (this.isMultiline(object)) {
      const indent = this.indentAt(first.offset);
      return { start: first.offset, end: first.offset, newText: `${key} = ${this.render(value, indent)}${this.eol}${indent}` };
    }
    return { start: first.offset, end: first.offset, newText: `${key} = ${this.render(value, '')}, ` };
  }

  removeProperty(property: PolicyNode): TextEdit {
    const json = this.jsonAt(property.offset);
    if (json) return this.inJson(json.removeProperty(property));
    const info = this.info.get(property);
    if (!this.canEdit(property) || !info || (info.k !== 'attribute' && info.k !== 'block' && info.k !== 'object')) return refused(property.offset);
    const edit = this.removal(property.offset, property.offset + property.length);
    if (info.k === 'object' && edit.start === property.offset) {
      // On one line with its siblings: take the separator before it too.
      const siblings = property.parent?.children ?? [];
      const index = siblings.indexOf(property);
      if (index > 0 && this.text[edit.end - 1] !== ',') {
        const previous = siblings[index - 1];
        return { start: previous.offset + previous.length, end: property.offset + property.length, newText: '' };
      }
    }
    return edit;
  }

  renameKey(keySpan: Span, newName: string): TextEdit {
    const json = this.jsonAt(keySpan.start);
    if (json) return this.inJson(json.renameKey(keySpan, newName));
    const info = this.keys.get(keySpan.start);
    switch (info?.k) {
      case 'attribute': {
        const attribute = ATTRIBUTE_NAMES.get(newName);
        return attribute ? { start: keySpan.start, end: keySpan.end, newText: attribute } : refused(keySpan.start);
      }
      case 'identifier':
        return { start: keySpan.start, end: keySpan.end, newText: IDENTIFIER(newName) ? newName : hclString(newName) };
      case 'string':
        return { start: keySpan.start, end: keySpan.end, newText: hclString(newName) };
      default:
        return refused(keySpan.start);
    }
  }

  addToList(valueNode: PolicyNode, items: readonly { value: string }[], additions: string[]): TextEdit {
    const json = this.jsonAt(valueNode.offset);
    if (json) return this.inJson(json.addToList(valueNode, items, additions));
    if (!this.canEdit(valueNode)) return refused(valueNode.offset);
    if (valueNode.type === 'array') {
      const children = valueNode.children ?? [];
      const last = children[children.length - 1];
      if (!last) return { start: valueNode.offset + 1, end: valueNode.offset + valueNode.length - 1, newText: additions.map(hclString).join(', ') };
      const end = last.offset + last.length;
      if (this.isMultiline(valueNode)) {
        const indent = this.indentAt(last.offset);
        if (this.text[end] === ',') return { start: end + 1, end: end + 1, newText: additions.map((a) => `${this.eol}${indent}${hclString(a)},`).join('') };
        return { start: end, end, newText: additions.map((a) => `,${this.eol}${indent}${hclString(a)}`).join('') };
      }
      return { start: end, end, newText: additions.map((a) => `, ${hclString(a)}`).join('') };
    }
    return this.replaceValue(valueNode, [...items.map((i) => i.value), ...additions]);
  }

  appendToArray(array: PolicyNode, value: unknown): TextEdit {
    const json = this.jsonAt(array.offset);
    if (json) return this.inJson(json.appendToArray(array, value));
    if (!this.canEdit(array) || array.type !== 'array' || this.info.get(array)?.k === 'none') return refused(array.offset);
    const children = array.children ?? [];
    const last = children[children.length - 1];
    const indent = this.indentAt(array.offset);
    if (!last) return { start: array.offset + 1, end: array.offset + array.length - 1, newText: this.render(value, indent) };
    const end = last.offset + last.length;
    if (this.isMultiline(array)) {
      const inner = this.indentAt(last.offset);
      if (this.text[end] === ',') return { start: end + 1, end: end + 1, newText: `${this.eol}${inner}${this.render(value, inner)},` };
      return { start: end, end, newText: `,${this.eol}${inner}${this.render(value, inner)}` };
    }
    return { start: end, end, newText: `, ${this.render(value, indent)}` };
  }
}
