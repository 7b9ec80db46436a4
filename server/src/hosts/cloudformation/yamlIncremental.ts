/**
 * Re-reading a YAML template after an edit without parsing all of it: when the edit lies inside
 * one entry of the top-level `Resources` block, only that entry's text is parsed again, and the
 * rest of the previous tree is kept (moved past the edit, in place: the previous tree is given up). Anything else (an edit across
 * entries, a changed indentation, aliases, directives, a text with parse errors) is a full parse.
 * The result must equal a full parse of the new text: `yaml-incremental.test.ts` holds that over
 * random edits.
 */
import { changedRange } from '../../engine/text';
import type { TemplateNode } from './templateTree';
import { parseYaml, readYamlTree, walkYaml, type YamlRead } from './yamlTree';

interface Parsed {
  text: string;
  read: YamlRead;
}

/** The last parse of each buffer being edited (by file name), a few buffers at most. */
export class YamlTreeCache {
  private readonly entries = new Map<string, Parsed>();

  constructor(private readonly capacity = 8) {}

  forget(key: string): void {
    this.entries.delete(key);
  }

  read(key: string, text: string, comments: boolean): YamlRead {
    const previous = this.entries.get(key);
    let read: YamlRead | undefined;
    if (previous && (!comments || previous.read.comments)) {
      read = previous.text === text ? previous.read : rereadEntry(previous, text, comments);
    }
    read ??= readYamlTree(text, comments);
    this.entries.delete(key);
    this.entries.set(key, { text, read });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return read;
  }
}

/** The new text's tree from the previous one (which it takes over), when the edit lies inside one resource entry; else undefined. */
export function rereadEntry(previous: Parsed, text: string, comments: boolean): YamlRead | undefined {
  const { read } = previous;
  const root = read.root;
  // Aliases tie parts together; directives (`%YAML 1.1`, `%TAG`) change how every part reads.
  if (!root || read.errors > 0 || read.aliases || read.directives || root.type !== 'object' || root.flow || root.tag) return undefined;
  const before = previous.text;
  const edit = changedRange(before, text);
  const topIndex = root.children!.findIndex((p) => p.children?.[0]?.value === 'Resources');
  if (topIndex < 0 || root.children!.some((p, i) => i !== topIndex && p.children?.[0]?.value === 'Resources')) return undefined;
  const resourcesProperty = root.children![topIndex];
  const resources = resourcesProperty.children![1];
  if (resources.type !== 'object' || resources.flow || resources.tag || !resources.children?.length) return undefined;

  // The entry whose lines hold the whole edit: from its key's line to the next entry's key line.
  const entries = resources.children;
  const lineStart = (offset: number) => before.lastIndexOf('\n', offset - 1) + 1;
  const zoneEndOf = (i: number) => (i + 1 < entries.length ? lineStart(entries[i + 1].offset) : topIndex + 1 < root.children!.length ? lineStart(root.children![topIndex + 1].offset) : before.length);
  let index = -1;
  for (let i = 0; i < entries.length; i++) {
    if (lineStart(entries[i].offset) <= edit.start && edit.oldEnd <= zoneEndOf(i) && edit.start < zoneEndOf(i)) {
      index = i;
      break;
    }
  }
  if (index < 0) return undefined;
  const zoneStart = lineStart(entries[index].offset);
  const zoneEnd = zoneEndOf(index);
  const column = entries[index].offset - zoneStart;
  const delta = text.length - before.length;
  // The zone's text must stay a part that ends where the text after it begins a line.
  if (zoneEnd < before.length && zoneEnd + delta > 0 && text[zoneEnd + delta - 1] !== '\n') return undefined;
  const slice = text.slice(zoneStart, zoneEnd + delta);
  if (!staysInside(slice, column)) return undefined;
  const { doc, tokens } = parseYaml(slice);
  if (!doc || !doc.contents || doc.errors.length > 0) return undefined;
  if (tokens.filter((t) => t.type === 'document').length !== 1 || tokens.some((t) => t.type === 'doc-end' || t.type === 'directive' || t.type === 'error')) return undefined;
  // The slice's root stands for the Resources block, one level down.
  const walked = walkYaml(slice, doc, tokens, comments, 1);
  // A pair without a plain key is left out of the tree, and its mapping's span then comes from the parser's: read whole.
  if (!walked || walked.aliases || walked.unkeyedPairs) return undefined;
  const part = walked.root;
  if (part.type !== 'object' || part.flow || part.tag || part.children?.length !== 1) return undefined;
  const entry = part.children[0];
  const key = entry.children?.[0];
  // The key starts the slice's first line, where the old one stood; an empty key (a name being retyped) is read whole.
  if (!key || key.offset !== column || key.length === 0 || key.value === '') return undefined;

  // From here on the previous tree is given up: the nodes after the edit move in place.
  shift(entry, zoneStart);
  const after = (node: TemplateNode) => shift(node, delta);
  const newEntries = [...entries.slice(0, index), entry, ...entries.slice(index + 1).map(after)];
  const newResources = withChildren(resources, newEntries);
  const newResourcesProperty = property(resourcesProperty, newResources);
  const top = [...root.children!.slice(0, topIndex), newResourcesProperty, ...root.children!.slice(topIndex + 1).map(after)];
  const newRoot = withChildren(root, top);
  const result: YamlRead = { root: newRoot, errors: 0 };
  if (comments) {
    const old = read.comments ?? [];
    result.comments = [
      ...old.filter((c) => c.end <= zoneStart),
      ...(walked.comments ?? []).map((c) => ({ start: c.start + zoneStart, end: c.end + zoneStart })),
      ...old.filter((c) => c.start >= zoneEnd).map((c) => ({ start: c.start + delta, end: c.end + delta })),
    ];
  }
  return result;
}

/**
 * Whether a resource entry's lines stay inside it: its key on the first line at `column`, and
 * every later line that holds more than a comment indented deeper (a line at `column` or less
 * would start another entry or leave the Resources block). A tab in the indentation is read whole.
 */
function staysInside(slice: string, column: number): boolean {
  let lineStart = 0;
  let first = true;
  while (lineStart < slice.length) {
    let end = slice.indexOf('\n', lineStart);
    if (end < 0) end = slice.length;
    let indent = lineStart;
    while (indent < end && slice.charCodeAt(indent) === 0x20) indent++;
    const next = slice.charCodeAt(indent);
    if (next === 0x09) return false;
    const blank = indent === end || (next === 0x0d && indent + 1 === end);
    if (first) {
      if (indent - lineStart !== column || blank || next === 0x23) return false;
      first = false;
    } else if (!blank && next !== 0x23 && indent - lineStart <= column) {
      return false;
    }
    lineStart = end + 1;
  }
  return !first;
}

/** A copy of a block collection with new children: it ends where its last child does. */
function withChildren(node: TemplateNode, children: TemplateNode[]): TemplateNode {
  const last = children[children.length - 1];
  return { ...node, children, length: last.offset + last.length - node.offset };
}

function property(node: TemplateNode, value: TemplateNode): TemplateNode {
  const key = node.children![0];
  return { ...node, children: [key, value], length: Math.max(value.offset + value.length, key.offset + key.length) - node.offset };
}

/** Moves every offset of a subtree by `delta`, in place (the tree it belonged to is not used again). */
function shift(node: TemplateNode, delta: number): TemplateNode {
  if (delta === 0) return node;
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    current.offset += delta;
    if (current.contentOffset !== undefined) current.contentOffset += delta;
    if (current.children) for (const child of current.children) stack.push(child);
  }
  return node;
}
