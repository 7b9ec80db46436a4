/**
 * The editor of a JSON wrapper (CLI output, a file of named policies): edits of a policy written
 * as JSON in the file go to the JSON editor; edits inside a policy given as a JSON string are made
 * by the JSON editor on the string's decoded text and written back re-escaped; a URL-encoded or
 * conservatively mapped string is never rewritten (`canEdit` refuses its nodes, and its edits
 * carry UNKNOWN_MARK, which the engine drops).
 */
import { UNKNOWN_MARK, type PolicyEditor, type PolicyNode as Node } from '../../engine/tree';
import type { Span, TextEdit } from '../../engine/types';
import { mapSpan } from '../cloudformation/embedded';
import { JsonEditor } from './editor';
import type { EmbeddedPolicy } from './wrappers';

/** Edits inside a JSON string: the JSON editor's edit on the decoded policy, its text escaped for the string. */
class EscapedEditor implements PolicyEditor {
  private readonly json: JsonEditor;

  constructor(private readonly policy: EmbeddedPolicy) {
    this.json = new JsonEditor(policy.json);
  }

  private node(node: Node): Node {
    return this.policy.nodes.get(node) ?? node;
  }

  /** A file span back in the decoded text (node spans are known; anything else through the map, which only grows). */
  private span(span: Span): Span {
    const start = this.policy.offsets.get(span.start) ?? this.unmap(span.start);
    const end = this.policy.offsets.get(span.end) ?? this.unmap(span.end);
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

  /** The edit in the file: its span mapped, its text a JSON string's inside (line breaks kept as `\n`, as the CLI writes them). */
  private back(edit: TextEdit): TextEdit {
    const span = mapSpan(this.policy.map, edit.start, edit.end);
    return { ...span, newText: JSON.stringify(edit.newText).slice(1, -1) };
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

/** Every edit of a string that cannot be written back: the engine drops a fix holding one. */
class RefusingEditor implements PolicyEditor {
  private readonly edit: TextEdit;

  constructor(whole: Span) {
    this.edit = { start: whole.start, end: whole.end, newText: UNKNOWN_MARK };
  }

  replaceString(): TextEdit {
    return this.edit;
  }
  replaceValue(): TextEdit {
    return this.edit;
  }
  addProperty(): TextEdit {
    return this.edit;
  }
  addFirstProperty(): TextEdit {
    return this.edit;
  }
  removeProperty(): TextEdit {
    return this.edit;
  }
  renameKey(): TextEdit {
    return this.edit;
  }
  addToList(): TextEdit {
    return this.edit;
  }
  appendToArray(): TextEdit {
    return this.edit;
  }
  canEdit(): boolean {
    return false;
  }
}

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
      .map((policy) => ({ ...policy.map.whole, editor: policy.editable ? new EscapedEditor(policy) : new RefusingEditor(policy.map.whole) }))
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
