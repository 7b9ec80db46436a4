/**
 * YAML text to a template tree: the `yaml` package's parse (with the CloudFormation short tags
 * registered), walked into nodes of the policy tree's shape with spans in the user's text. Tags
 * come from the concrete syntax tree, so a tagged node's span starts at its `!Sub`.
 */
import type * as Yaml from 'yaml';
import type { Document, Node as YamlNode, ParsedNode, Scalar } from 'yaml';
import type { Span } from '../../engine/types';
import type { PolicySource } from '../../engine/tree';
import type { TemplateNode } from './templateTree';
import type { TemplateHole } from '../json/template';
import { mapSpansBack, reindentQuotedScalars } from './yamlLenient';

let loaded: typeof Yaml | undefined;
/** The yaml package, loaded on first use: a run that reads no YAML does not pay for it. */
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('yaml') as typeof Yaml);
}

/** The short forms CloudFormation accepts, each as a scalar, a sequence and a mapping. */
export const SHORT_TAGS = [
  '!Sub', '!Ref', '!GetAtt', '!Join', '!If', '!Select', '!Split', '!FindInMap', '!ImportValue', '!Base64', '!Cidr', '!GetAZs',
  '!Equals', '!And', '!Or', '!Not', '!Condition', '!Transform', '!ToJsonString', '!Length', '!ForEach',
];

const CUSTOM_TAGS = SHORT_TAGS.flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const },
  { tag, collection: 'map' as const },
]);

/** Deeper than this, a template is not a template: the walk stops (and the yaml package may refuse it first). */
export const MAX_DEPTH = 256;

export interface YamlError {
  start: number;
  end: number;
  message: string;
}

/** The first error of a parse, within the text. */
function firstErrorOf(doc: Document.Parsed | undefined, length: number): YamlError | undefined {
  const error = doc?.errors[0];
  if (!error) return undefined;
  const start = Math.max(0, Math.min(error.pos?.[0] ?? 0, length));
  const end = Math.max(start, Math.min(error.pos?.[1] ?? start, length));
  // The package's message ends with a code excerpt after a blank line: the first line says it.
  return { start, end, message: error.message.split('\n')[0].trim() };
}

/**
 * A text's first YAML error on its source, which then counts as a policy file (a broken file must
 * not pass CI unseen) and as broken (fixes could land anywhere). The others often follow from it.
 */
export function reportYamlErrors(source: PolicySource, read: YamlRead): PolicySource {
  if (read.errors === 0 || !read.firstError || read.templated) return source;
  const { start, message } = read.firstError;
  const end = Math.min(source.text.length, Math.max(read.firstError.end, start + 1));
  const more = read.errors > 1 ? ` The ${read.errors - 1} other error${read.errors > 2 ? 's' : ''} after it may follow from this one.` : '';
  source.findings.unshift({ ruleId: 'yaml-syntax', severity: 'error', start, end, message: `${message.replace(/\.$/, '')}: this is not valid YAML, so the file is read only as far as the parser recovered, and what it holds after this point may be missing.${more}` });
  source.isPolicyFile = true;
  source.broken = true;
  return source;
}

export interface YamlRead {
  root?: TemplateNode;
  /** The parse reported errors (the tree may still be usable). */
  errors: number;
  /** The first of them, where it is, as the yaml package words it. */
  firstError?: YamlError;
  /** The text has lines of another template language and is not YAML even without them: its errors are not judged. */
  templated?: boolean;
  /** Values another template language fills in whole (`CidrIp: {{ .Cidr }}`), read as quoted strings: unknown values. */
  holes?: TemplateHole[];
  /** The comments, in text order: only when asked for. */
  comments?: Span[];
  /** The text uses YAML aliases (`*name`): a part of it cannot be read alone. */
  aliases?: boolean;
  /** The text has directives (`%YAML 1.1`, `%TAG`): a part of it reads differently alone. */
  directives?: boolean;
}

/** A walk's read, and whether a mapping pair whose key is not a scalar was left out of its tree. */
export type WalkedYaml = YamlRead & { root: TemplateNode; unkeyedPairs?: boolean };

export interface CstToken {
  type: string;
  offset: number;
  source?: string;
  start?: CstToken[] | CstToken;
  sep?: CstToken[];
  end?: CstToken[];
  props?: CstToken[];
  key?: CstToken | null;
  value?: CstToken;
  items?: { start?: CstToken[]; key?: CstToken | null; sep?: CstToken[]; value?: CstToken }[];
}

/** Every comment token of the concrete syntax tree (they sit in the start, sep, end and props lists of the tokens around them). */
function commentSpans(tokens: CstToken[]): Span[] {
  const spans: Span[] = [];
  const stack: (CstToken | null | undefined)[] = [...tokens];
  const list = (value: CstToken[] | CstToken | undefined) => {
    if (Array.isArray(value)) stack.push(...value);
    else if (value) stack.push(value);
  };
  while (stack.length > 0) {
    const token = stack.pop();
    if (!token) continue;
    if (token.type === 'comment') {
      spans.push({ start: token.offset, end: token.offset + (token.source?.length ?? 0) });
      continue;
    }
    list(token.start);
    list(token.sep);
    list(token.end);
    list(token.props);
    if (token.key) stack.push(token.key);
    if (token.value) stack.push(token.value);
    for (const item of token.items ?? []) {
      list(item.start);
      list(item.sep);
      if (item.key) stack.push(item.key);
      if (item.value) stack.push(item.value);
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Offsets of the tag tokens, in text order (a tag precedes its node with only space, anchors and breaks between). */
function tagOffsets(tokens: CstToken[]): number[] {
  const offsets: number[] = [];
  const stack: CstToken[] = [];
  const props = (list: CstToken[] | CstToken | undefined) => {
    if (!Array.isArray(list)) return;
    for (const token of list) if (token.type === 'tag') offsets.push(token.offset);
  };
  for (const token of tokens) if (token.type === 'document') stack.push(token);
  while (stack.length > 0) {
    const token = stack.pop()!;
    if (token.type === 'document') {
      props(token.start);
      if (token.value) stack.push(token.value);
      continue;
    }
    if (!token.items) continue;
    for (const item of token.items) {
      props(item.start);
      props(item.sep);
      if (item.key) stack.push(item.key);
      if (item.value) stack.push(item.value);
    }
  }
  return offsets.sort((a, b) => a - b);
}

/** The last tag offset before `offset`. */
function tagBefore(offsets: number[], offset: number): number | undefined {
  let low = 0;
  let high = offsets.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < offset) {
      found = offsets[mid];
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** Parses the first YAML document of a text. Never throws. */
export function parseYaml(text: string): { doc?: Document.Parsed; tokens: CstToken[] } {
  try {
    const { Composer, Parser } = yaml();
    const tokens = Array.from(new Parser().parse(text)) as unknown as CstToken[];
    const composer = new Composer({ customTags: CUSTOM_TAGS, uniqueKeys: false, strict: false, prettyErrors: false });
    for (const doc of composer.compose(tokens as never, true)) return { doc: doc as Document.Parsed, tokens };
    return { tokens };
  } catch {
    return { tokens: [] };
  }
}

/** Reads the first document of a YAML text into a template tree (with its comments when `comments`). */
export function readYamlTree(text: string, comments = false): YamlRead {
  const read = readYamlText(text, comments);
  if (read.errors === 0 || !TEMPLATE_LINE.test(text)) return read;
  // A template of another language (Go's `{{ if }}`, Jinja's `{% for %}` on lines of their own) is YAML once
  // rendered: read with those lines blank (offsets kept), or, if that does not parse either, not judged as YAML.
  const holes: TemplateHole[] = [];
  const rendered = readYamlText(renderedShape(text, holes), comments);
  return rendered.errors === 0 ? { ...rendered, holes } : { ...read, templated: true };
}

/**
 * The text as YAML its template renders to, offsets kept: directive lines blank, and a value that
 * starts with a directive (`CidrIp: {{ if .Private }}"10.0.0.0/8"{{ else }}"0.0.0.0/0"{{ end }}`) one
 * quoted string of the same length, whose `{{ }}` the hosts read as unknown parts.
 */
function renderedShape(text: string, holes: TemplateHole[]): string {
  return text.replace(TEMPLATE_LINES, (line) => ' '.repeat(line.length)).replace(TEMPLATE_VALUES, (_match, lead: string, value: string, offset: number) => {
    const inner = value.slice(1, -1).replace(/"/g, "'");
    const start = offset + lead.length;
    holes.push({ start, end: start + value.length, label: value.replace(/[{}]/g, '').trim() || 'value' });
    return `${lead}"${inner}"`;
  });
}

/** A line that is one directive of another template language and nothing else. */
const TEMPLATE_LINE = /^[ \t]*(\{\{[^\n]*\}\}|\{%[^\n]*%\})[ \t]*\r?$/m;
const TEMPLATE_LINES = new RegExp(TEMPLATE_LINE.source, 'gm');
/** A block value (after `key: ` or `- `) that starts with a directive, to the end of its line. */
const TEMPLATE_VALUES = /^([ \t]*(?:-[ \t]+|[^\s#'"{][^:\n]*:[ \t]+))(\{\{[^\n]*?\}\}[^\n]*?)[ \t]*\r?$/gm;

function readYamlText(text: string, comments: boolean): YamlRead {
  const { doc, tokens } = parseYaml(text);
  if (doc && doc.errors.some((error) => error.code === 'MISSING_CHAR')) {
    const lenient = readReindented(text, comments);
    if (lenient) return lenient;
  }
  const firstError = firstErrorOf(doc, text.length);
  if (!doc || !doc.contents) return { errors: doc?.errors.length ?? 1, firstError };
  const walked = walkYaml(text, doc, tokens, comments);
  if (!walked) return { errors: 1, firstError };
  const { unkeyedPairs: _unkeyed, ...read } = walked;
  if (firstError) read.firstError = firstError;
  return read;
}

/** A text whose quoted scalars run under their key (yamlLenient.ts), read from its re-indented copy: undefined unless that parses cleanly. */
function readReindented(text: string, comments: boolean): YamlRead | undefined {
  const lib = yaml();
  const copy = reindentQuotedScalars(text, (t) => new lib.Lexer().lex(t));
  if (!copy) return undefined;
  const { doc, tokens } = parseYaml(copy.text);
  if (!doc || !doc.contents || doc.errors.length > 0) return undefined;
  const walked = walkYaml(copy.text, doc, tokens, comments);
  if (!walked) return undefined;
  const { unkeyedPairs: _unkeyed, ...read } = walked;
  mapSpansBack(read.root, read.comments, copy.toOriginal);
  return read;
}

/** A parsed document as a template tree; `depth` is the depth its root has in the whole text. */
export function walkYaml(text: string, doc: Document.Parsed, tokens: readonly unknown[], comments: boolean, depth = 0): WalkedYaml | undefined {
  try {
    const cst = tokens as CstToken[];
    const walker = new YamlWalker(text, doc, tagOffsets(cst));
    const root = walker.node(doc.contents as YamlNode, depth);
    const read: WalkedYaml = { root, errors: doc.errors.length };
    if (comments) read.comments = commentSpans(cst);
    if (walker.aliases) read.aliases = true;
    if (walker.unkeyedPairs) read.unkeyedPairs = true;
    if (cst.some((token) => token.type === 'directive')) read.directives = true;
    return read;
  } catch {
    return undefined;
  }
}

class YamlWalker {
  private readonly seen = new Map<YamlNode, TemplateNode>();
  private readonly lib = yaml();
  aliases = false;
  unkeyedPairs = false;

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly tags: number[],
  ) {}

  node(yaml: YamlNode | null | undefined, depth: number, at = 0): TemplateNode {
    const { isAlias, isMap, isPair, isScalar, isSeq } = this.lib;
    if (!yaml || depth > MAX_DEPTH) return { type: 'null', offset: at, length: 0, value: null };
    const known = this.seen.get(yaml);
    if (known) return known;
    const range = (yaml as ParsedNode).range ?? [at, at, at];
    let start = Math.min(range[0], this.text.length);
    let end = Math.min(Math.max(range[1], start), this.text.length);
    const tag = yaml.tag && yaml.tag.startsWith('!') && !yaml.tag.startsWith('!!') ? yaml.tag : undefined;
    let tagged: TemplateNode['tag'];
    const contentOffset = start;
    if (tag) {
      const tagOffset = tagBefore(this.tags, start);
      tagged = tag;
      if (tagOffset !== undefined) start = tagOffset;
    }
    if (isAlias(yaml)) {
      this.aliases = true;
      const target = yaml.resolve(this.doc);
      const node: TemplateNode = { type: 'null', offset: start, length: end - start, value: null, alias: undefined };
      this.seen.set(yaml, node);
      const resolved = target ? this.node(target, depth + 1, start) : undefined;
      if (resolved) {
        node.type = resolved.type;
        node.alias = resolved;
      }
      return node;
    }
    if (isScalar(yaml)) {
      const node = this.scalar(yaml, start, end);
      if (tagged) {
        node.tag = tagged;
        node.contentOffset = contentOffset;
        if (node.type !== 'string') {
          node.type = 'string';
          node.value = String(node.value);
        }
      }
      this.seen.set(yaml, node);
      return node;
    }
    if (isMap(yaml)) {
      const node: TemplateNode = { type: 'object', offset: start, length: 0, children: [], tag: tagged, contentOffset: tagged ? contentOffset : undefined, flow: !!yaml.flow };
      this.seen.set(yaml, node);
      for (const pair of yaml.items) {
        if (!isPair(pair) || !isScalar(pair.key)) {
          this.unkeyedPairs = true;
          continue;
        }
        const keyRange = (pair.key as ParsedNode).range ?? [start, start, start];
        const key: TemplateNode = { type: 'string', offset: keyRange[0], length: keyRange[1] - keyRange[0], value: String(pair.key.value), style: styleOf(pair.key) };
        const value = this.node(pair.value as YamlNode | null, depth + 1, keyRange[1]);
        const propertyEnd = Math.max(value.offset + value.length, key.offset + key.length);
        const property: TemplateNode = { type: 'property', offset: key.offset, length: propertyEnd - key.offset, children: [key, value] };
        node.children!.push(property);
      }
      node.length = this.collectionEnd(yaml.flow, start, end, node.children!) - start;
      return node;
    }
    if (isSeq(yaml)) {
      const node: TemplateNode = { type: 'array', offset: start, length: 0, children: [], tag: tagged, contentOffset: tagged ? contentOffset : undefined, flow: !!yaml.flow };
      this.seen.set(yaml, node);
      for (const item of yaml.items) node.children!.push(this.node(item as YamlNode, depth + 1, end));
      node.length = this.collectionEnd(yaml.flow, start, end, node.children!) - start;
      return node;
    }
    return { type: 'null', offset: start, length: end - start, value: null };
  }

  /** A block collection ends where its last item does (the parser's range runs on over trailing breaks and comments). */
  private collectionEnd(flow: boolean | undefined, start: number, end: number, children: TemplateNode[]): number {
    if (flow || children.length === 0) return end;
    const last = children[children.length - 1];
    return Math.max(start, Math.min(end, last.offset + last.length));
  }

  private scalar(yaml: Scalar, start: number, end: number): TemplateNode {
    const style = styleOf(yaml);
    if (style === 'literal' || style === 'folded') {
      // The range runs over the block's trailing line breaks.
      while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    }
    const value = yaml.value;
    const base = { offset: start, length: end - start, style };
    if (typeof value === 'string') return { type: 'string', value, ...base };
    if (typeof value === 'boolean') return { type: 'boolean', value, ...base };
    if (value === null || value === undefined) return { type: 'null', value: null, ...base };
    if (typeof value === 'number' || typeof value === 'bigint') {
      // CloudFormation reads every scalar as a string: 111122223333 is an account ID, not a number.
      const source = this.text.slice(start, end);
      return { type: 'number', value: Number(value), ...base, source };
    }
    return { type: 'string', value: String(value), ...base };
  }
}

function styleOf(scalar: unknown): TemplateNode['style'] {
  switch ((scalar as Scalar).type) {
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'BLOCK_LITERAL':
      return 'literal';
    case 'BLOCK_FOLDED':
      return 'folded';
    default:
      return 'plain';
  }
}
