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
  const parser = new StrictParser(text, maxDepth);
  try {
    const root = parser.parseValue(undefined, 0);
    parser.skipWhitespace();
    return parser.pos === text.length ? { root, duplicates: parser.duplicates } : undefined;
  } catch (error) {
    if (error instanceof Reject || error instanceof RangeError) return undefined;
    throw error;
  }
}

const WHITESPACE_RUN = /[ \t\n\r]+/y;
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Native searches (indexOf, sticky regular expressions) instead of character loops: fast even
 * before the JIT has warmed up, which is most of a short CLI run.
 */
class StrictParser {
  pos = 0;
  readonly duplicates: StrictParse['duplicates'] = [];
  private readonly length: number;
  // The children of the open containers. Each container takes its own exact-size slice when it
  // closes: arrays grown by push reserve 17 slots, and a 1 MB policy has 36,000 containers.
  private readonly open: TreeNode[] = [];
  private top = 0; // open[top..] are stale: the array is never shortened, which costs more than it saves
  private nextBackslash: number;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.length = text.length;
    this.nextBackslash = text.indexOf('\\');
  }

  skipWhitespace(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
    WHITESPACE_RUN.lastIndex = this.pos;
    WHITESPACE_RUN.test(this.text);
    this.pos = WHITESPACE_RUN.lastIndex;
  }

  parseValue(parent: TreeNode | undefined, depth: number): TreeNode {
    this.skipWhitespace();
    if (this.pos >= this.length) throw new Reject();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.parseString(parent);
    if (c === 123 || c === 91) return this.parseContainer(parent, depth, c === 123);
    return this.parseLiteral(parent);
  }

  private parseString(parent: TreeNode | undefined): TreeNode {
    const { text } = this;
    const start = this.pos;
    const close = text.indexOf('"', start + 1);
    if (close < 0) throw new Reject();
    if (this.nextBackslash >= 0 && this.nextBackslash < start) this.nextBackslash = text.indexOf('\\', start);
    if (this.nextBackslash < 0 || this.nextBackslash > close) {
      const value = text.slice(start + 1, close);
      if (CONTROL_CHARACTER.test(value)) throw new Reject();
      this.pos = close + 1;
      return new TreeNode('string', start, this.pos - start, value, parent);
    }
    let pos = start + 1; // after the opening quote
    while (pos < this.length) {
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c === 92) {
        pos += 2;
        continue;
      }
      if (c < 32) throw new Reject();
      pos++;
    }
    if (pos >= this.length) throw new Reject();
    this.pos = ++pos; // after the closing quote
    try {
      return new TreeNode('string', start, pos - start, JSON.parse(text.slice(start, pos)), parent);
    } catch {
      throw new Reject();
    }
  }

  private parseContainer(parent: TreeNode | undefined, depth: number, isObject: boolean): TreeNode {
    if (depth >= this.maxDepth) throw new Reject();
    const { text } = this;
    const node = new TreeNode(isObject ? 'object' : 'array', this.pos, 0, undefined, parent);
    const close = isObject ? 125 : 93;
    this.pos++;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === close) {
      this.pos++;
      node.length = this.pos - node.offset;
      node.children = [];
      return node;
    }
    const first = this.top;
    for (;;) {
      // Parsed before it is stored: the member's own containers use the slots from top on.
      const child = isObject ? this.parseMember(node, depth, first) : this.parseValue(node, depth + 1);
      this.open[this.top++] = child;
      this.skipWhitespace();
      const next = text.charCodeAt(this.pos++);
      if (next === 44) continue;
      if (next === close) break;
      throw new Reject();
    }
    node.children = this.open.slice(first, this.top);
    this.top = first;
    node.length = this.pos - node.offset;
    return node;
  }

  /** One `"key": value` of an object whose properties so far are open[first..top). */
  private parseMember(node: TreeNode, depth: number, first: number): TreeNode {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 34) throw new Reject();
    const property = new TreeNode('property', this.pos, 0, undefined, node);
    const key = this.parseString(property);
    // Duplicate keys are found here, among this object's properties so far, instead of a second walk.
    for (let i = first; i < this.top; i++) {
      const earlier = this.open[i].children![0];
      if (earlier.value === key.value) {
        this.duplicates.push({ key, first: earlier });
        break;
      }
    }
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 58) throw new Reject();
    property.colonOffset = this.pos++;
    const value = this.parseValue(property, depth + 1);
    property.children = [key, value];
    property.length = value.offset + value.length - property.offset;
    return property;
  }

  private parseLiteral(parent: TreeNode | undefined): TreeNode {
    const { text } = this;
    const start = this.pos;
    if (text.startsWith('true', start)) {
      this.pos += 4;
      return new TreeNode('boolean', start, 4, true, parent);
    }
    if (text.startsWith('false', start)) {
      this.pos += 5;
      return new TreeNode('boolean', start, 5, false, parent);
    }
    if (text.startsWith('null', start)) {
      this.pos += 4;
      return new TreeNode('null', start, 4, null, parent);
    }
    let pos = start;
    while (pos < this.length) {
      const d = text.charCodeAt(pos);
      if ((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69) pos++;
      else break;
    }
    this.pos = pos;
    const raw = text.slice(start, pos);
    if (!NUMBER.test(raw)) throw new Reject();
    return new TreeNode('number', start, pos - start, Number(raw), parent);
  }
}
