/**
 * Policies written as JSON text in a module: heredocs and quoted strings, read by the JSON host
 * on a decoded copy whose offsets are mapped back into the .tf text; `templatefile(...)` and
 * `file(...)` calls, recorded for the project layer; and the template files those calls name,
 * read as a heredoc whose spans are moved back into the template's text.
 */
import type { HostedPolicy, PolicyNode, PolicySource, ValuePart } from '../../engine/tree';
import type { Finding, PolicyKind, TextEdit } from '../../engine/types';
import { readJson } from '../json';
import { readContext, type ReadContext, type Use } from './context';
import type { HclEditor } from './editor';
import { escapeAt, joinLiterals, spell } from './expressions';
import { copySubtree, firstNamed, named, unwrap, type SyntaxCursor, type SyntaxNode } from './syntax';

/** A `templatefile(...)` or `file(...)` call as the project layer hands it back with the file's text. */
export interface TemplateCall {
  vars?: Record<string, string>;
  kind?: PolicyKind;
  address?: string;
  resource?: string;
  function?: 'templatefile' | 'file';
}

/** Where a policy written as JSON text is used; none of it is known for a template read alone. */
type JsonUse = { kind?: PolicyKind; address?: string; resource?: string };

// ---- templatefile() and file() ------------------------------------------------------------------

/** Records a `templatefile(path, vars)` or `file(path)` call: the path, the literal vars and the others' names. */
export function recordTemplateFile(cx: ReadContext, call: SyntaxNode, fn: 'templatefile' | 'file', args: SyntaxNode[], use: Use): void {
  const pathNode = cx.values.value(args[0], undefined, 0);
  const vars: Record<string, string> = {};
  const unknownVars: string[] = [];
  const object = fn === 'templatefile' && args[1] ? cx.values.value(args[1], undefined, 0) : undefined;
  for (const property of object?.type === 'object' ? (object.children ?? []) : []) {
    const [key, value] = property.children ?? [];
    if (!key || !value || key.parts || key.value === '__proto__') continue;
    if (value.type === 'string' && !value.parts) vars[key.value] = value.value;
    else if (value.type === 'number' || value.type === 'boolean') vars[key.value] = String(value.value);
    else unknownVars.push(key.value);
  }
  cx.templateFiles.push({
    path: typeof pathNode.value === 'string' ? pathNode.value : cx.text.slice(pathNode.offset, pathNode.offset + pathNode.length),
    vars,
    unknownVars,
    span: { start: call.startIndex, end: call.endIndex },
    function: fn,
    kind: use.kind,
    address: use.address,
    resource: use.resource,
  });
}

/** A file `file(...)` reads: the JSON as it is, no variables, and `${` is literal. */
export function readFileTemplate(text: string, call: TemplateCall): PolicySource {
  const json = readJson(text, { expectPolicy: true, wrappers: false });
  for (const policy of json.policies) Object.assign(policy, { kind: call.kind, kindSource: call.kind ? 'host' : undefined, address: call.address, resource: call.resource });
  return json;
}

/** A template's text as the value of a heredoc (with a delimiter the text does not hold), so the grammar reads its interpolations and directives. */
export function templateAsHeredoc(text: string): { text: string; prefix: string } {
  let delimiter = 'KEYSHARE_TEMPLATE';
  while (text.includes(delimiter)) delimiter += '_';
  const prefix = `x = <<${delimiter}\n`;
  return { text: `${prefix}${text}\n${delimiter}\n`, prefix };
}

/**
 * Reads a template wrapped by `templateAsHeredoc` (the cursor at the wrapped module's root) into
 * `source`, whose text is the template's: every span, finding and fix moves back by the prefix.
 */
export function readTemplateHeredoc(cursor: SyntaxCursor, wrapped: { text: string; prefix: string }, source: PolicySource, editor: HclEditor, call: TemplateCall): true {
  const text = source.text;
  const inner: PolicySource = { ...source, text: wrapped.text, findings: [] };
  let top: SyntaxNode[] = [];
  if (cursor.gotoFirstChild()) top = [copySubtree(cursor, wrapped.text)];
  const policy = readTemplate(readContext(wrapped.text, inner, editor, call.vars ?? {}), top, call);
  const shift = wrapped.prefix.length;
  const stack: PolicyNode[] = policy ? [policy.root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.offset = Math.max(0, Math.min(text.length, node.offset - shift));
    node.length = Math.max(0, Math.min(text.length - node.offset, node.length));
    if (node.children) for (const child of node.children) stack.push(child);
  }
  const clamp = (offset: number) => Math.max(0, Math.min(text.length, offset - shift));
  for (const finding of inner.findings) {
    const moved: Finding = { ...finding, start: clamp(finding.start), end: clamp(finding.end) };
    if (finding.fixes) moved.fixes = finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, start: clamp(e.start), end: clamp(e.end) })) }));
    source.findings.push(moved);
  }
  editor.addJsonRegion({ start: 0, end: text.length });
  source.broken = inner.broken;
  source.keepFixesOf = inner.keepFixesOf;
  if (policy) source.policies.push(policy);
  source.isPolicyFile = source.policies.length > 0 || source.findings.length > 0;
  return true;
}

/** A template file wrapped as a heredoc: its one JSON policy. */
function readTemplate(cx: ReadContext, wrapped: SyntaxNode[], use: JsonUse): HostedPolicy | undefined {
  const attribute = wrapped[0] && firstNamed(wrapped[0], 'attribute');
  const value = attribute && firstNamed(attribute, 'expression');
  const template = value && named(unwrap(value))[0];
  if (!template || template.type !== 'heredoc_template') return undefined;
  readJsonPolicy(cx, template, { kind: use.kind, address: use.address, resource: use.resource });
  return cx.found[0]?.policy;
}

// ---- heredoc JSON -------------------------------------------------------------------------------

/** An interpolation inside a JSON string of the decoded copy, and where it is there. */
interface InsideHole {
  start: number;
  end: number;
  node: SyntaxNode;
}

/**
 * A policy written as JSON text: a heredoc, or a quoted string (`"{\"Version\": ...}"`). The
 * JSON host parses a decoded copy in which each interpolation keeps its length (inside a JSON
 * string as letters of that string, elsewhere as a number read back as an unknown value); the
 * tree's offsets are then mapped back into the .tf text. JSON in a quoted string is checked
 * but not edited (its escapes would have to be rewritten).
 */
export function readJsonPolicy(cx: ReadContext, template: SyntaxNode, use: JsonUse): void {
  const { kind, address, resource } = use;
  const heredoc = template.type === 'heredoc_template';
  const span = jsonTextSpan(cx.text, template);
  if (!span) return;
  const { start, end } = span;
  const holes = named(template).filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
  // A directive writes JSON we cannot see: the document is unknown, left unchecked.
  if (holes.some((h) => h.type === 'template_directive')) return;

  const { masked, map, inside, outside } = maskHoles(cx.text, start, end, holes, heredoc);
  // Not JSON text at all (a bare interpolation, a plain string): nothing to read.
  let first = 0;
  while (first < masked.length && (masked[first] === ' ' || masked[first] === '\t' || masked[first] === '\n' || masked[first] === '\r')) first++;
  if (masked[first] !== '{') return;

  const json = readJson(masked, { expectPolicy: true, wrappers: false });
  if (heredoc) cx.editor.addJsonRegion({ start, end });
  for (const finding of json.findings) cx.source.findings.push(mapFinding(finding, map, !heredoc || holes.length > 0));
  if (json.broken) {
    cx.source.broken = true;
    cx.source.keepFixesOf = json.keepFixesOf;
  }
  const root = json.policies[0]?.root;
  if (!root) return;
  mapTree(cx, root, masked, map, inside, outside);
  if (!heredoc) cx.editor.refuse(root);
  const policy: HostedPolicy = { root, kind, kindSource: 'host', address, resource, fragment: false };
  if (!kind) {
    delete policy.kind;
    delete policy.kindSource;
  }
  if (!resource) delete policy.resource;
  cx.found.push({ at: root.offset, policy });
}

/** The span of a heredoc's body or a quoted string's content; undefined when unterminated or empty. */
function jsonTextSpan(text: string, template: SyntaxNode): { start: number; end: number } | undefined {
  let start: number;
  let end: number;
  if (template.type === 'heredoc_template') {
    const identifiers = named(template).filter((c) => c.type === 'heredoc_identifier');
    if (identifiers.length < 2) return undefined; // unterminated: nothing reliable to check
    start = identifiers[0].endIndex;
    while (start < text.length && text[start] !== '\n') start++;
    start++;
    end = identifiers[identifiers.length - 1].startIndex;
  } else {
    const closed = template.endIndex - template.startIndex >= 2 && text[template.endIndex - 1] === '"';
    if (!closed) return undefined;
    start = template.startIndex + 1;
    end = template.endIndex - 1;
  }
  return start < end ? { start, end } : undefined;
}

/**
 * The decoded copy of text [start, end) with each interpolation masked at its length, the
 * source offset of each of its characters (and of its end), and where the holes are: inside a
 * JSON string, or elsewhere (by the offset of the number that stands for it).
 */
function maskHoles(
  text: string,
  start: number,
  end: number,
  holes: SyntaxNode[],
  heredoc: boolean,
): { masked: string; map: number[]; inside: InsideHole[]; outside: Map<number, SyntaxNode> } {
  const decoded: string[] = [];
  const map: number[] = [];
  const inside: InsideHole[] = [];
  const outside = new Map<number, SyntaxNode>();
  let inString = false;
  let cursor = start;
  for (const hole of [...holes, undefined]) {
    const runEnd = hole ? hole.startIndex : end;
    const from = decoded.length;
    decodeRun(text, cursor, runEnd, !heredoc, decoded, map);
    inString = scanJsonString(decoded, from, decoded.length, inString);
    if (!hole) break;
    const at = decoded.length;
    const length = hole.endIndex - hole.startIndex;
    for (let i = 0; i < length; i++) {
      decoded.push(inString ? 'x' : i === 0 ? '0' : ' ');
      map.push(hole.startIndex + i);
    }
    if (inString) inside.push({ start: at, end: at + length, node: hole });
    else outside.set(at, hole);
    cursor = hole.endIndex;
  }
  map.push(end);
  return { masked: decoded.join(''), map, inside, outside };
}

/** Moves a JSON tree from the decoded copy's offsets to the text's, and reads the holes back as unknown parts. */
function mapTree(cx: ReadContext, root: PolicyNode, masked: string, map: number[], inside: InsideHole[], outside: Map<number, SyntaxNode>): void {
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const from = current.offset;
    const to = current.offset + current.length;
    if (current.type === 'number' && outside.has(from)) {
      const hole = outside.get(from)!;
      const known = cx.values.knownValue(hole);
      current.type = 'string';
      if (known !== undefined) {
        current.value = known;
      } else {
        const part = cx.values.interpolationPart(hole);
        current.value = `\${${part.unknown}}`;
        current.parts = [part];
      }
      current.offset = hole.startIndex;
      current.length = hole.endIndex - hole.startIndex;
      cx.editor.refuse(current);
      continue;
    }
    if (current.type === 'string' && inside.length > 0) {
      const holes = inside.filter((h) => h.start >= from && h.end <= to);
      if (holes.length > 0) {
        const parts: ValuePart[] = [];
        let cursor = from + 1;
        for (const hole of holes) {
          if (hole.start > cursor) parts.push({ literal: jsonLiteral(masked.slice(cursor, hole.start)) });
          parts.push(...cx.values.interpolationParts(hole.node));
          cursor = hole.end;
        }
        if (to - 1 > cursor) parts.push({ literal: jsonLiteral(masked.slice(cursor, to - 1)) });
        current.value = spell(parts);
        if (parts.some((p) => 'unknown' in p)) current.parts = joinLiterals(parts);
        cx.editor.refuse(current);
      }
    }
    current.offset = map[Math.min(from, map.length - 1)];
    current.length = map[Math.min(to, map.length - 1)] - current.offset;
    if (current.colonOffset !== undefined) current.colonOffset = map[Math.min(current.colonOffset, map.length - 1)];
    if (current.children) for (const child of current.children) stack.push(child);
  }
}

/** Whether position `to` is inside a JSON string, scanning literal JSON text from `from`. */
function scanJsonString(text: readonly string[], from: number, to: number, inString: boolean): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    }
  }
  return inString;
}

/** The value of raw JSON string content (escapes decoded), or the raw text when it does not decode. */
function jsonLiteral(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * Appends the decoded characters of source text [from, to) and, for each, its offset in the
 * source: template escapes (`$${`, `%%{`) always, a quoted string's backslash escapes too.
 */
function decodeRun(text: string, from: number, to: number, quoted: boolean, out: string[], map: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{' && i + 2 < to) {
      out.push(c);
      map.push(i);
      i++;
      continue;
    }
    if (quoted && c === '\\' && i + 1 < to) {
      const escape = escapeAt(text, i, to);
      for (let k = 0; k < escape.value.length; k++) {
        out.push(escape.value[k]);
        map.push(i);
      }
      i += escape.length - 1;
      continue;
    }
    out.push(c);
    map.push(i);
  }
}

/** A finding of the JSON host moved into the .tf text. */
function mapFinding(finding: Finding, map: number[], dropFixes: boolean): Finding {
  const at = (offset: number) => map[Math.max(0, Math.min(offset, map.length - 1))];
  const mapped: Finding = { ...finding, start: at(finding.start), end: at(finding.end) };
  if (finding.related) mapped.related = finding.related.map((r) => (r.uri ? r : { ...r, start: at(r.start), end: at(r.end) }));
  if (finding.fixes) {
    if (dropFixes) delete mapped.fixes;
    else mapped.fixes = finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e: TextEdit) => ({ ...e, start: at(e.start), end: at(e.end) })) }));
  }
  return mapped;
}
