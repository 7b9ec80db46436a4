/**
 * A fast parser for strict JSON that builds the same tree shape as jsonc-parser. Most policies
 * are clean JSON, and this is several times faster on them; on anything it does not accept
 * (comments, trailing commas, errors, deep nesting) it returns undefined and the tolerant
 * jsonc-parser path takes over.
 */
import type { PolicyNode as Node } from '../../engine/tree';

class Reject extends Error {}

type NodeType = Node['type'];

/** Every node has every field, so code that walks the tree sees one object shape. */
class TreeNode implements Node {
  children: TreeNode[] | undefined;
  colonOffset: number | undefined;
  constructor(
    public type: NodeType,
    public offset: number,
    public length: number,
    public value: unknown,
    public parent: TreeNode | undefined,
  ) {
    this.children = undefined;
    this.colonOffset = undefined;
  }
}

export interface StrictParse {
  root: Node;
  /** Keys that repeat within one object: the repeat and the first occurrence. */
  duplicates: { key: Node; first: Node }[];
}

export function parseStrict(text: string, maxDepth: number): StrictParse | undefined {
  let pos = 0;
  const duplicates: StrictParse['duplicates'] = [];
  const length = text.length;
  // The children of the open containers. Each container takes its own exact-size slice when it
  // closes: arrays grown by push reserve 17 slots, and a 1 MB policy has 36,000 containers.
  const open: TreeNode[] = [];
  let top = 0; // open[top..] are stale: the array is never shortened, which costs more than it saves

  const WHITESPACE_RUN = /[ \t\n\r]+/y;
  const CONTROL_CHARACTER = /[\u0000-\u001f]/;
  // Native searches (indexOf, sticky regular expressions) instead of character loops: fast
  // even before the JIT has warmed up, which is most of a short CLI run.
  let nextBackslash = text.indexOf('\\');

  const skipWhitespace = () => {
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
    WHITESPACE_RUN.lastIndex = pos;
    WHITESPACE_RUN.test(text);
    pos = WHITESPACE_RUN.lastIndex;
  };

  const parseString = (parent: TreeNode | undefined): TreeNode => {
    const start = pos;
    const close = text.indexOf('"', start + 1);
    if (close < 0) throw new Reject();
    if (nextBackslash >= 0 && nextBackslash < start) nextBackslash = text.indexOf('\\', start);
    if (nextBackslash < 0 || nextBackslash > close) {
      const value = text.slice(start + 1, close);
      if (CONTROL_CHARACTER.test(value)) throw new Reject();
      pos = close + 1;
      return new TreeNode('string', start, pos - start, value, parent);
    }
    pos++; // opening quote
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c === 92) {
        pos += 2;
        continue;
      }
      if (c < 32) throw new Reject();
      pos++;
    }
    if (pos >= length) throw new Reject();
    pos++; // closing quote
    try {
      return new TreeNode('string', start, pos - start, JSON.parse(text.slice(start, pos)), parent);
    } catch {
      throw new Reject();
    }
  };

  const parseValue = (parent: TreeNode | undefined, depth: number): TreeNode => {
    skipWhitespace();
    if (pos >= length) throw new Reject();
    const c = text.charCodeAt(pos);
    if (c === 34) return parseString(parent);
    if (c === 123 || c === 91) {
      if (depth >= maxDepth) throw new Reject();
      const isObject = c === 123;
      const node = new TreeNode(isObject ? 'object' : 'array', pos, 0, undefined, parent);
      const close = isObject ? 125 : 93;
      pos++;
      skipWhitespace();
      if (text.charCodeAt(pos) === close) {
        pos++;
        node.length = pos - node.offset;
        node.children = [];
        return node;
      }
      const first = top;
      for (;;) {
        if (isObject) {
          skipWhitespace();
          if (text.charCodeAt(pos) !== 34) throw new Reject();
          const property = new TreeNode('property', pos, 0, undefined, node);
          const key = parseString(property);
          // Duplicate keys are found here, among this object's properties so far, instead of a second walk.
          for (let i = first; i < top; i++) {
            const earlier = open[i].children![0];
            if (earlier.value === key.value) {
              duplicates.push({ key, first: earlier });
              break;
            }
          }
          skipWhitespace();
          if (text.charCodeAt(pos) !== 58) throw new Reject();
          property.colonOffset = pos;
          pos++;
          const value = parseValue(property, depth + 1);
          property.children = [key, value];
          property.length = value.offset + value.length - property.offset;
          open[top++] = property;
        } else {
          const value = parseValue(node, depth + 1);
          open[top++] = value;
        }
        skipWhitespace();
        const next = text.charCodeAt(pos);
        pos++;
        if (next === 44) continue;
        if (next === close) break;
        throw new Reject();
      }
      node.children = open.slice(first, top);
      top = first;
      node.length = pos - node.offset;
      return node;
    }
    const start = pos;
    if (text.startsWith('true', pos)) {
      pos += 4;
      return new TreeNode('boolean', start, 4, true, parent);
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return new TreeNode('boolean', start, 5, false, parent);
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return new TreeNode('null', start, 4, null, parent);
    }
    while (pos < length) {
      const d = text.charCodeAt(pos);
      if ((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69) pos++;
      else break;
    }
    const raw = text.slice(start, pos);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) throw new Reject();
    return new TreeNode('number', start, pos - start, Number(raw), parent);
  };

  try {
    const root = parseValue(undefined, 0);
    skipWhitespace();
    return pos === length ? { root, duplicates } : undefined;
  } catch (error) {
    if (error instanceof Reject || error instanceof RangeError) return undefined;
    throw error;
  }
}
