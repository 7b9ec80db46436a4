/** The JSON host's editor: tree edits as JSON text that keeps the user's indentation and stays valid. */
import { detectEol, detectIndentUnit, indentationAt } from '../../engine/text';
import type { PolicyEditor, PolicyNode as Node } from '../../engine/tree';
import type { Span, TextEdit } from '../../engine/types';

export class JsonEditor implements PolicyEditor {
  readonly indentUnit: string;
  readonly eol: string;

  constructor(readonly text: string) {
    this.indentUnit = detectIndentUnit(text);
    this.eol = detectEol(text);
  }

  /** A value a template fills in (`${var}`, `{{ var }}` in a rendered file) is never rewritten. */
  canEdit(node: Node): boolean {
    return !node.parts;
  }

  /** JSON for `value`, laid out like the document, for a place whose line starts with `baseIndent`. */
  format(value: unknown, baseIndent: string): string {
    return JSON.stringify(value, null, this.indentUnit).split('\n').join(this.eol + baseIndent);
  }

  /** JSON on one line, for documents written compactly. */
  formatInline(value: unknown): string {
    return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']');
  }

  private isMultiline(node: Node): boolean {
    return /[\r\n]/.test(this.text.slice(node.offset, node.offset + node.length));
  }

  replaceString(item: Span, value: string): TextEdit {
    return { start: item.start, end: item.end, newText: JSON.stringify(value) };
  }

  /** Replaces a value, formatting multi-line values from the indentation of its line. */
  replaceValue(node: Node, value: unknown): TextEdit {
    const multiline = this.isMultiline(node) || (typeof value === 'object' && value !== null && this.isMultiline(node.parent ?? node));
    const newText = multiline ? this.format(value, indentationAt(this.text, node.offset)) : this.formatInline(value);
    return { start: node.offset, end: node.offset + node.length, newText };
  }

  /** Adds `"name": value` as the last property of an object. */
  addProperty(object: Node, name: string, value: unknown): TextEdit {
    const properties = object.children ?? [];
    const closeBrace = object.offset + object.length - 1;
    if (properties.length === 0) {
      if (closeBrace <= object.offset || this.text[closeBrace] !== '}') {
        // Unclosed object in broken JSON: the engine drops such fixes; keep the edit in range.
        const end = object.offset + object.length;
        return { start: end, end, newText: `${JSON.stringify(name)}: ${this.formatInline(value)}` };
      }
      const indent = indentationAt(this.text, object.offset);
      const inner = indent + this.indentUnit;
      return {
        start: object.offset + 1,
        end: closeBrace,
        newText: `${this.eol}${inner}${JSON.stringify(name)}: ${this.format(value, inner)}${this.eol}${indent}`,
      };
    }
    const last = properties[properties.length - 1];
    const end = last.offset + last.length;
    if (this.isMultiline(object)) {
      const indent = indentationAt(this.text, last.offset);
      return { start: end, end, newText: `,${this.eol}${indent}${JSON.stringify(name)}: ${this.format(value, indent)}` };
    }
    return { start: end, end, newText: `, ${JSON.stringify(name)}: ${this.formatInline(value)}` };
  }

  /** Adds `"name": value` as the first property of an object (used for Version). */
  addFirstProperty(object: Node, name: string, value: unknown): TextEdit {
    const first = object.children?.[0];
    if (!first) return this.addProperty(object, name, value);
    if (this.isMultiline(object)) {
      const indent = indentationAt(this.text, first.offset);
      return { start: first.offset, end: first.offset, newText: `${JSON.stringify(name)}: ${this.format(value, indent)},${this.eol}${indent}` };
    }
    return { start: first.offset, end: first.offset, newText: `${JSON.stringify(name)}: ${this.formatInline(value)}, ` };
  }

  /** Removes a property with its separating comma. */
  removeProperty(property: Node): TextEdit {
    return removalBesideSiblings(property) ?? { start: property.offset, end: property.offset + property.length, newText: '' };
  }

  /** Renames a property key (the span covers the key's quotes). */
  renameKey(keySpan: Span, newName: string): TextEdit {
    return { start: keySpan.start, end: keySpan.end, newText: JSON.stringify(newName) };
  }

  /** Adds strings to a string-or-array value (Action, Resource), keeping its layout. */
  addToList(valueNode: Node, items: readonly { value: string }[], additions: string[]): TextEdit {
    if (valueNode.type === 'array' && valueNode.children && valueNode.children.length > 0) {
      const last = valueNode.children[valueNode.children.length - 1];
      const end = last.offset + last.length;
      if (this.isMultiline(valueNode)) {
        const indent = indentationAt(this.text, last.offset);
        return { start: end, end, newText: additions.map((a) => `,${this.eol}${indent}${JSON.stringify(a)}`).join('') };
      }
      return { start: end, end, newText: additions.map((a) => `, ${JSON.stringify(a)}`).join('') };
    }
    return this.replaceValue(valueNode, [...items.map((i) => i.value), ...additions]);
  }

  /** Appends a value (object or scalar) to an array, formatted like its siblings. */
  appendToArray(array: Node, value: unknown): TextEdit {
    const children = array.children ?? [];
    if (children.length === 0) {
      const indent = indentationAt(this.text, array.offset);
      const inner = indent + this.indentUnit;
      return { start: array.offset + 1, end: array.offset + array.length - 1, newText: `${this.eol}${inner}${this.format(value, inner)}${this.eol}${indent}` };
    }
    const last = children[children.length - 1];
    const end = last.offset + last.length;
    if (this.isMultiline(array)) {
      const indent = indentationAt(this.text, last.offset);
      return { start: end, end, newText: `,${this.eol}${indent}${this.format(value, indent)}` };
    }
    return { start: end, end, newText: `, ${this.formatInline(value)}` };
  }
}

/**
 * Removes a node together with the separator between it and a sibling (the one before it, else
 * the one after it); undefined when it has no sibling, where each syntax decides what is left.
 */
export function removalBesideSiblings(node: Node): TextEdit | undefined {
  const siblings = node.parent?.children ?? [node];
  const index = siblings.indexOf(node);
  const end = node.offset + node.length;
  if (index > 0) {
    const previous = siblings[index - 1];
    return { start: previous.offset + previous.length, end, newText: '' };
  }
  if (index >= 0 && index < siblings.length - 1) return { start: node.offset, end: siblings[index + 1].offset, newText: '' };
  return undefined;
}
