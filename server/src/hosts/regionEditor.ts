/**
 * An editor of a text with regions edited apart (policies written as strings inside a template or
 * a JSON wrapper): each edit goes to the editor of the text it lands in, and an edit on a node
 * the host refuses (a value a template fills in, a frozen node) covers the whole node, so the
 * engine drops its fix.
 */
import type { PolicyEditor, PolicyNode as Node } from '../engine/tree';
import type { Span, TextEdit } from '../engine/types';

export abstract class RegionEditor implements PolicyEditor {
  /**
   * `refusedText`: what an edit on a refused node writes (undefined: what the edit would have
   * written; the engine drops it either way, as it covers a node it cannot edit).
   */
  constructor(
    private readonly frozen: WeakSet<Node>,
    private readonly refusedText?: string,
  ) {}

  /** The editor of the text at `offset`. */
  protected abstract at(offset: number): PolicyEditor;

  canEdit(node: Node): boolean {
    return !this.frozen.has(node) && !node.parts;
  }

  /** An edit on a node the editor refuses covers the node, so the engine drops its fix (an insertion beside it would not). */
  private guard(node: Node, edit: TextEdit): TextEdit {
    if (this.canEdit(node)) return edit;
    return { start: node.offset, end: node.offset + Math.max(1, node.length), newText: this.refusedText ?? edit.newText };
  }

  replaceString(item: Span, value: string): TextEdit {
    return this.at(item.start).replaceString(item, value);
  }
  replaceValue(node: Node, value: unknown): TextEdit {
    return this.guard(node, this.at(node.offset).replaceValue(node, value));
  }
  addProperty(object: Node, name: string, value: unknown): TextEdit {
    return this.guard(object, this.at(object.offset).addProperty(object, name, value));
  }
  addFirstProperty(object: Node, name: string, value: unknown): TextEdit {
    return this.guard(object, this.at(object.offset).addFirstProperty(object, name, value));
  }
  removeProperty(property: Node): TextEdit {
    return this.guard(property, this.at(property.offset).removeProperty(property));
  }
  renameKey(keySpan: Span, newName: string): TextEdit {
    return this.at(keySpan.start).renameKey(keySpan, newName);
  }
  addToList(valueNode: Node, items: readonly { value: string }[], additions: string[]): TextEdit {
    return this.guard(valueNode, this.at(valueNode.offset).addToList(valueNode, items, additions));
  }
  appendToArray(array: Node, value: unknown): TextEdit {
    return this.guard(array, this.at(array.offset).appendToArray(array, value));
  }
}
