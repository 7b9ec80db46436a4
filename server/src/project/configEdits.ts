/**
 * Edits of keyshare.json made by quick fixes: an entry appended to one of its arrays (`keys`,
 * `ignore`), in the file's own layout, or the text of a new keyshare.json holding it. Pure: the
 * caller has the file's text.
 */
import { parseTree } from 'jsonc-parser';
import { JsonEditor } from '../hosts/json/editor';
import type { TextEdit } from '../engine/types';

/** The edit that appends `entry` to the array `field` of a keyshare.json text (created when absent); undefined when the text is not an object. */
export function appendConfigEntry(text: string, field: 'keys' | 'ignore', entry: Record<string, unknown>): TextEdit | undefined {
  const root = parseTree(text);
  if (!root || root.type !== 'object') return undefined;
  const editor = new JsonEditor(text);
  const property = root.children?.find((p) => p.children?.[0]?.value === field);
  const value = property?.children?.[1];
  if (!value) return editor.addProperty(root, field, [entry]);
  if (value.type !== 'array') return undefined;
  return editor.appendToArray(value, entry);
}

/** The text of a new keyshare.json that holds one entry. */
export function newConfigText(field: 'keys' | 'ignore', entry: Record<string, unknown>): string {
  return `${JSON.stringify({ [field]: [entry] }, null, 2)}\n`;
}
