/**
 * The editor of a JSON wrapper (CLI output, a file of named policies): edits of a policy written
 * as JSON in the file go to the JSON editor; edits inside a policy given as a JSON string are made
 * by the JSON editor on the string's decoded text and written back re-escaped; a URL-encoded or
 * conservatively mapped string is never rewritten (`canEdit` refuses its nodes, and its edits
 * carry UNKNOWN_MARK, which the engine drops).
 */
import { UNKNOWN_MARK, type PolicyEditor, type PolicyNode as Node } from '../../engine/tree';
import type { Span, TextEdit } from '../../engine/types';
import { EmbeddedEditor } from '../cloudformation/editor';
import { JsonEditor } from './editor';
import { RefusingEditor } from '../refusingEditor';
import type { EmbeddedPolicy } from './wrappers';

/** A JSON string's inside (line breaks kept as `\n`, as the CLI writes them). */
const escapeForJsonString = (newText: string) => JSON.stringify(newText).slice(1, -1);

export class WrapperEditor implements PolicyEditor {
  private readonly base: JsonEditor;
  /** The strings that hold policies, in text order (they never overlap). */
  private readonly regions: { start: number; end: number; editor: PolicyEditor }[];

  constructor(
    text: string,
    embedded: readonly EmbeddedPolicy[],
    private readonly frozen: WeakSet<Node>,
  ) {
    this.base = new JsonEditor(text);
    this.regions = embedded
      .map((policy) => ({ ...policy.map.whole, editor: policy.editable ? new EmbeddedEditor(policy, escapeForJsonString) : new RefusingEditor(policy.map.whole) }))
      .sort((a, b) => a.start - b.start);
  }

  /** The editor of the text at `offset`: a policy string's (its quotes included) or the file's. */
  private at(offset: number): PolicyEditor {
    const regions = this.regions;
    let low = 0;
    let high = regions.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const region = regions[mid];
      if (offset < region.start) high = mid - 1;
      else if (offset >= region.end) low = mid + 1;
      else return region.editor;
    }
    return this.base;
  }

  canEdit(node: Node): boolean {
    return !this.frozen.has(node) && !node.parts;
  }

  /** An edit on a node the editor refuses covers the node, so the engine drops its fix (an insertion beside it would not). */
  private guard(node: Node, edit: TextEdit): TextEdit {
    if (this.canEdit(node)) return edit;
    return { start: node.offset, end: node.offset + Math.max(1, node.length), newText: UNKNOWN_MARK };
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
