/**
 * The Terraform host: the policies a module's `.tf` text holds, read from tree-sitter's syntax
 * tree (never from the text with patterns). Four shapes: `data "aws_iam_policy_document"` blocks,
 * `jsonencode({...})`, heredoc JSON and `templatefile(...)` (recorded for the project layer).
 * References and interpolations become unknown parts with what is known of them.
 *
 * The parser is handed in (`setTerraformParser`, done by `server/src/terraformGrammar.ts`), as
 * loading a grammar needs the file system and an async start. Until then `.tf` texts read as
 * holding no policy (isPolicyFile false): callers await `loadTerraformGrammar()` once per process.
 */
import type { HostedPolicy, PolicyNode, PolicySource, TemplateFileCall, UnknownMeaning, ValuePart } from '../../engine/tree';
import type { Finding, PolicyKind, TextEdit } from '../../engine/types';
import { readJson } from '../json';
import { HclEditor } from './editor';
import { copySubtree, firstNamed, nameAt, named, referencePath, unwrap, type SyntaxCursor, type SyntaxNode, type TerraformParser } from './syntax';

export type { TerraformParser } from './syntax';

let parser: TerraformParser | undefined;

/** Hands the host its parser (once per process, by the grammar loader). */
export function setTerraformParser(value: TerraformParser | undefined): void {
  parser = value;
}

export function terraformParserReady(): boolean {
  return parser !== undefined;
}


/** `.tf` and `.tofu` files (any separator, any case). */
export function isTerraformFileName(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tofu');
}

/** Which resource attributes hold which kind of policy. */
const POLICY_ATTRIBUTE_LIST: Record<string, Record<string, PolicyKind>> = {
  aws_kms_key: { policy: 'key-policy' },
  aws_kms_key_policy: { policy: 'key-policy' },
  aws_kms_replica_key: { policy: 'key-policy' },
  aws_kms_external_key: { policy: 'key-policy' },
  aws_kms_replica_external_key: { policy: 'key-policy' },
  aws_iam_policy: { policy: 'identity-policy' },
  aws_iam_role_policy: { policy: 'identity-policy' },
  aws_iam_user_policy: { policy: 'identity-policy' },
  aws_iam_group_policy: { policy: 'identity-policy' },
  aws_iam_role: { assume_role_policy: 'trust-policy' },
  aws_s3_bucket_policy: { policy: 'resource-policy' },
  aws_sqs_queue_policy: { policy: 'resource-policy' },
  aws_sns_topic_policy: { policy: 'resource-policy' },
  aws_s3_bucket: { policy: 'resource-policy' },
  aws_sqs_queue: { policy: 'resource-policy' },
  aws_sns_topic: { policy: 'resource-policy' },
  aws_secretsmanager_secret: { policy: 'resource-policy' },
  aws_secretsmanager_secret_policy: { policy: 'resource-policy' },
  aws_ecr_repository_policy: { policy: 'resource-policy' },
  // Only a service control policy (the default type) holds IAM policy grammar.
  aws_organizations_policy: { content: 'scp' },
};

const POLICY_ATTRIBUTES = new Map(Object.entries(POLICY_ATTRIBUTE_LIST).map(([type, attributes]) => [type, new Map(Object.entries(attributes))]));

/** What the host reads of each resource: its policy attributes and what places them. */
const RESOURCE_ATTRIBUTES = new Map(
  [...POLICY_ATTRIBUTES].map(([type, attributes]) => [type, new Set([...attributes.keys(), 'key_id', 'type', 'inline_policy'])]),
);

const STATEMENT_ATTRIBUTE_LIST: Record<string, string> = {
  sid: 'Sid',
  effect: 'Effect',
  actions: 'Action',
  not_actions: 'NotAction',
  resources: 'Resource',
  not_resources: 'NotResource',
};

const STATEMENT_ATTRIBUTES = new Map(Object.entries(STATEMENT_ATTRIBUTE_LIST));

/** Deeper HCL values are read as unknown: no policy nests like that, and the walk stays bounded. */
const MAX_DEPTH = 40;

/** Where a policy is used: the resource attribute that holds it. */
interface Use {
  kind: PolicyKind;
  address: string;
  resource: string;
}

interface DocumentInfo {
  name: string;
  block: SyntaxNode;
  policy: HostedPolicy;
  uses: Use[];
  /** Names of the documents in source_policy_documents / override_policy_documents. */
  merged: string[];
  sources: string[];
  overrides: string[];
  /** The statement blocks, each with the block that spans it (a dynamic block for its content). */
  statementBlocks: [SyntaxNode, SyntaxNode][];
  statements?: PolicyNode;
}

/** Reads the policies of a Terraform text. Never throws on any input. */
export function readTerraform(text: string): PolicySource {
  const editor = new HclEditor(text);
  const source: PolicySource = { text, host: 'terraform', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
  const read = walkModule(text, (cursor) => {
    new Reader(text, source, editor).read(policyBlocks(cursor, text));
    return true;
  });
  if (!read) {
    // No grammar, or a syntax tree we could not walk: report nothing rather than something wrong.
    source.policies = [];
    source.findings = [];
    source.isPolicyFile = false;
  }
  return source;
}

/**
 * Parses a module and hands `walk` a cursor at its root, then frees the tree and the cursor.
 * Undefined without the grammar, or when tree-sitter or the walk fails.
 */
export function walkModule<T>(text: string, walk: (cursor: SyntaxCursor) => T): T | undefined {
  if (!parser) return undefined;
  let tree;
  try {
    tree = parser.parse(text);
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  let cursor: SyntaxCursor | undefined;
  try {
    cursor = tree.walk();
    return walk(cursor);
  } catch {
    return undefined;
  } finally {
    cursor?.delete();
    tree.delete();
  }
}

/** Calls `visit` with the cursor on each top-level block of the module, in text order (the cursor is left where it was). */
export function forEachTopLevelBlock(cursor: SyntaxCursor, visit: (cursor: SyntaxCursor) => void): void {
  if (cursor.nodeType !== 'config_file' || !cursor.gotoFirstChild()) return;
  do {
    if ((cursor.nodeType as string) !== 'body' || !cursor.gotoFirstChild()) continue;
    do {
      if ((cursor.nodeType as string) === 'block') visit(cursor);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  } while (cursor.gotoNextSibling());
}

/**
 * Reads a policy template (`policy.json.tpl`) as `templatefile(...)` renders it: variables the
 * call gives literally are substituted (a string that used one is checked with its value and
 * not edited), the others are unknown parts, `%{ }` directives leave the template unchecked.
 * Spans are in the template's text. The call's kind, when known, is the policy's.
 */
export function readTemplateFile(
  text: string,
  call: { vars?: Record<string, string>; kind?: PolicyKind; address?: string; resource?: string; function?: 'templatefile' | 'file' } = {},
): PolicySource {
  if (call.function === 'file') {
    // file() reads the JSON as it is: no variables, and `${` is literal.
    const json = readJson(text, { expectPolicy: true, wrappers: false });
    for (const policy of json.policies) Object.assign(policy, { kind: call.kind, kindSource: call.kind ? 'host' : undefined, address: call.address, resource: call.resource });
    return json;
  }
  const editor = new HclEditor(text);
  const source: PolicySource = { text, host: 'terraform', policies: [], findings: [], isPolicyFile: false, broken: false, template: true, editor };
  // The template becomes a heredoc, so the grammar reads its interpolations and directives.
  let delimiter = 'KEYSHARE_TEMPLATE';
  while (text.includes(delimiter)) delimiter += '_';
  const prefix = `x = <<${delimiter}\n`;
  const wrapped = `${prefix}${text}\n${delimiter}\n`;
  const inner: PolicySource = { ...source, text: wrapped, findings: [] };
  const read = walkModule(wrapped, (cursor) => {
    let top: SyntaxNode[] = [];
    if (cursor.gotoFirstChild()) top = [copySubtree(cursor, wrapped)];
    const policy = new Reader(wrapped, inner, editor, call.vars ?? {}).readTemplate(top, call.kind, call.address, call.resource);
    const shift = prefix.length;
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
  });
  if (!read) {
    source.policies = [];
    source.findings = [];
  }
  return source;
}

/**
 * The top-level blocks that can hold policies, copied out of tree-sitter; the others (variables,
 * locals, modules, most resources) are skipped after a look at their header.
 */
function policyBlocks(cursor: SyntaxCursor, text: string): SyntaxNode[] {
  const blocks: SyntaxNode[] = [];
  forEachTopLevelBlock(cursor, (at) => {
    const header = blockHeaderAt(at, text);
    if (header[0] === 'locals' || (header[0] === 'data' && header[1] === 'aws_iam_policy_document')) {
      blocks.push(copySubtree(at, text));
    } else if (header[0] === 'resource' && POLICY_ATTRIBUTES.has(header[1])) {
      // Of a resource, only what can hold or place a policy: a bucket's other settings can be long.
      const wanted = RESOURCE_ATTRIBUTES.get(header[1])!;
      blocks.push(copySubtree(at, text, (node, parent, depth) => depth !== 2 || parent.type !== 'body' || wanted.has(nameAt(node, text) ?? '')));
    }
  });
  return blocks;
}

/** The type and first label of the block at the cursor. */
export function blockHeaderAt(cursor: SyntaxCursor, text: string): string[] {
  const header: string[] = [];
  if (!cursor.gotoFirstChild()) return header;
  do {
    const type = cursor.nodeType;
    if (type === 'identifier') header.push(text.slice(cursor.startIndex, cursor.endIndex));
    else if (type === 'string_lit') header.push(decodeQuoted(text.slice(cursor.startIndex + 1, cursor.endIndex - 1)));
    else if (type !== 'comment') break;
  } while (header.length < 2 && cursor.gotoNextSibling());
  cursor.gotoParent();
  return header;
}

class Reader {
  private readonly documents = new Map<string, DocumentInfo>();
  private readonly templateFiles: TemplateFileCall[] = [];
  /** Hosted policies in text order, with where each starts. */
  private readonly found: { at: number; policy: HostedPolicy }[] = [];

  constructor(
    private readonly text: string,
    private readonly source: PolicySource,
    private readonly editor: HclEditor,
    /** Template variables with literal values, when reading a template file. */
    private readonly known?: Record<string, string>,
  ) {}

  /** A template file wrapped as a heredoc: its one JSON policy. */
  readTemplate(wrapped: SyntaxNode[], kind: PolicyKind | undefined, address: string | undefined, resource: string | undefined): HostedPolicy | undefined {
    const attribute = wrapped[0] && firstNamed(wrapped[0], 'attribute');
    const value = attribute && firstNamed(attribute, 'expression');
    const template = value && named(unwrap(value))[0];
    if (!template || template.type !== 'heredoc_template') return undefined;
    this.jsonPolicy(template, { kind, address, resource });
    return this.found[0]?.policy;
  }

  read(blocks: SyntaxNode[]): void {
    // Locals first: a resource's policy may be `local.key_policy`, defined anywhere in the file.
    for (const block of blocks) {
      if (block.type !== 'block' || this.blockHeader(block)[0] !== 'locals') continue;
      const body = firstNamed(block, 'body');
      for (const item of body ? named(body) : []) {
        const attribute = item.type === 'attribute' ? this.attribute(item) : undefined;
        if (attribute && !this.locals.has(attribute.name)) this.locals.set(attribute.name, attribute.value);
      }
    }
    for (const block of blocks) {
      if (block.type !== 'block') continue;
      const [type, ...labels] = this.blockHeader(block);
      if (type === 'data' && labels[0] === 'aws_iam_policy_document' && labels[1] !== undefined) this.document(block, labels[1]);
      else if (type === 'resource' && labels[0] && labels[1] !== undefined && POLICY_ATTRIBUTES.has(labels[0])) this.resource(block, labels[0], labels[1]);
    }
    // A document takes its kind from where it is used. One used only as another's source or
    // override is checked as part of that one (merged as the data source merges), not alone.
    const mergedOnly = new Set<string>();
    for (const info of this.documents.values()) for (const name of info.merged) if (this.documents.get(name)?.uses.length === 0) mergedOnly.add(name);
    for (const info of this.documents.values()) {
      if (info.merged.length > 0) this.merge(info);
      if (mergedOnly.has(info.name)) continue;
      const use = info.uses[0];
      if (use) {
        info.policy.kind = use.kind;
        info.policy.kindSource = 'host';
        info.policy.resource = use.resource;
      }
      this.found.push({ at: info.block.startIndex, policy: info.policy });
    }
    this.found.sort((a, b) => a.at - b.at);
    for (const { policy } of this.found) this.source.policies.push(policy);
    if (this.templateFiles.length > 0) this.source.templateFiles = this.templateFiles;
    if (this.source.policies.length > 0 || this.templateFiles.length > 0) this.source.isPolicyFile = true;
  }

  /** The block type and its labels, unquoted. */
  private blockHeader(block: SyntaxNode): string[] {
    const result: string[] = [];
    for (const child of named(block)) {
      if (child.type === 'identifier') result.push(child.text);
      else if (child.type === 'string_lit') result.push(this.stringLiteral(child).value);
      else if (child.type === 'block_start' || child.type === 'body') break;
    }
    return result;
  }

  // ---- resources ------------------------------------------------------------------------------

  private resource(block: SyntaxNode, type: string, name: string): void {
    const attributes = POLICY_ATTRIBUTES.get(type)!;
    const body = firstNamed(block, 'body');
    if (!body) return;
    if (type === 'aws_organizations_policy' && !this.isServiceControlPolicy(body)) return;
    for (const item of named(body)) {
      if (item.type === 'attribute') {
        const attribute = this.attribute(item);
        const kind = attribute && attributes.get(attribute.name);
        if (attribute && kind) this.policyValue(attribute.value, { kind, address: `${type}.${name}.${attribute.name}`, resource: this.policyResource(body, type, name) });
      } else if (item.type === 'block' && type === 'aws_iam_role') {
        const [blockType] = this.blockHeader(item);
        if (blockType !== 'inline_policy') continue;
        const inner = firstNamed(item, 'body');
        for (const attributeNode of inner ? named(inner) : []) {
          const attribute = attributeNode.type === 'attribute' ? this.attribute(attributeNode) : undefined;
          if (attribute?.name === 'policy') this.policyValue(attribute.value, { kind: 'identity-policy', address: `${type}.${name}.inline_policy`, resource: `${type}.${name}` });
        }
      }
    }
  }

  private isServiceControlPolicy(body: SyntaxNode): boolean {
    for (const item of named(body)) {
      const attribute = item.type === 'attribute' ? this.attribute(item) : undefined;
      if (attribute?.name !== 'type') continue;
      const value = this.value(attribute.value, undefined, 0);
      return value.type === 'string' && value.value === 'SERVICE_CONTROL_POLICY';
    }
    return true;
  }

  /** The resource a policy belongs to: an aws_kms_key_policy's is the key its key_id names. */
  private policyResource(body: SyntaxNode, type: string, name: string): string {
    if (type === 'aws_kms_key_policy') {
      for (const item of named(body)) {
        const attribute = item.type === 'attribute' ? this.attribute(item) : undefined;
        if (attribute?.name !== 'key_id') continue;
        const path = referencePath(attribute.value);
        if (path && path.length === 3 && (path[0] === 'aws_kms_key' || path[0] === 'aws_kms_replica_key') && (path[2] === 'id' || path[2] === 'key_id' || path[2] === 'arn')) return `${path[0]}.${path[1]}`;
      }
    }
    return `${type}.${name}`;
  }

  private attribute(node: SyntaxNode): { name: string; key: SyntaxNode; value: SyntaxNode } | undefined {
    const key = firstNamed(node, 'identifier');
    const value = firstNamed(node, 'expression');
    return key && value ? { name: key.text, key, value } : undefined;
  }

  /** A resource's policy attribute: which of the shapes it is. */
  private policyValue(expression: SyntaxNode, use: Use, depth = 0): void {
    const { kind, address, resource } = use;
    const path = referencePath(expression);
    if (path && path[0] === 'data' && path[1] === 'aws_iam_policy_document' && path[2] !== undefined) {
      this.documentUse(path[2]).push(use);
      return;
    }
    if (path && path[0] === 'local' && path.length === 2 && depth < 4) {
      const local = this.locals.get(path[1]);
      // A local used by several resources is checked once, with the first one's kind.
      if (local && !this.localsRead.has(path[1])) {
        this.localsRead.add(path[1]);
        this.policyValue(local, use, depth + 1);
      }
      return;
    }
    const node = unwrap(expression);
    if (node.type === 'conditional' && depth < 4) {
      // `var.policy != "" ? var.policy : local.default_policy`: each branch the module writes is a policy it may use.
      for (const branch of named(node).filter((e) => e.type === 'expression').slice(1)) this.policyValue(branch, use, depth + 1);
      return;
    }
    if (node.type === 'function_call') {
      const name = firstNamed(node, 'identifier')?.text;
      const args = firstNamed(node, 'function_arguments');
      const argList = args ? named(args).filter((a) => a.type === 'expression') : [];
      if (name === 'jsonencode' && argList.length === 1) {
        const root = this.value(argList[0], undefined, 0);
        if (root.type === 'object') this.found.push({ at: root.offset, policy: { root, kind, kindSource: 'host', address, resource, fragment: false } });
      } else if ((name === 'templatefile' || name === 'file') && argList.length >= 1) {
        this.templateFile(node, name, argList, use);
      }
      return;
    }
    if (node.type === 'template_expr') {
      const template = named(node)[0];
      // "${data.aws_iam_policy_document.x.json}" (Terraform 0.11 style) is the reference itself.
      const parts = template ? named(template).filter((c) => c.type !== 'quoted_template_end') : [];
      const inner = parts.length === 1 && parts[0].type === 'template_interpolation' ? firstNamed(parts[0], 'expression') : undefined;
      if (template?.type === 'quoted_template' && inner && depth < 4) this.policyValue(inner, use, depth + 1);
      else if (template) this.jsonPolicy(template, use);
    } else if (node.type === 'literal_value') {
      const literal = named(node)[0];
      if (literal?.type === 'string_lit') this.jsonPolicy(literal, use);
    }
  }

  /** The uses of a document by name (it may be defined after its use). */
  private documentUse(name: string): Use[] {
    let uses = this.uses.get(name);
    if (!uses) this.uses.set(name, (uses = []));
    return uses;
  }

  private readonly uses = new Map<string, Use[]>();
  private readonly locals = new Map<string, SyntaxNode>();
  private readonly localsRead = new Set<string>();

  private templateFile(call: SyntaxNode, fn: 'templatefile' | 'file', args: SyntaxNode[], use: Use): void {
    const pathNode = this.value(args[0], undefined, 0);
    const vars: Record<string, string> = {};
    const unknownVars: string[] = [];
    const object = fn === 'templatefile' && args[1] ? this.value(args[1], undefined, 0) : undefined;
    for (const property of object?.type === 'object' ? (object.children ?? []) : []) {
      const [key, value] = property.children ?? [];
      if (!key || !value || key.parts || key.value === '__proto__') continue;
      if (value.type === 'string' && !value.parts) vars[key.value] = value.value;
      else if (value.type === 'number' || value.type === 'boolean') vars[key.value] = String(value.value);
      else unknownVars.push(key.value);
    }
    this.templateFiles.push({
      path: typeof pathNode.value === 'string' ? pathNode.value : this.text.slice(pathNode.offset, pathNode.offset + pathNode.length),
      vars,
      unknownVars,
      span: { start: call.startIndex, end: call.endIndex },
      function: fn,
      kind: use.kind,
      address: use.address,
      resource: use.resource,
    });
  }

  // ---- heredoc JSON ---------------------------------------------------------------------------

  /**
   * A policy written as JSON text: a heredoc, or a quoted string (`"{\"Version\": ...}"`). The
   * JSON host parses a decoded copy in which each interpolation keeps its length (inside a JSON
   * string as letters of that string, elsewhere as a number read back as an unknown value); the
   * tree's offsets are then mapped back into the .tf text. JSON in a quoted string is checked
   * but not edited (its escapes would have to be rewritten).
   */
  private jsonPolicy(template: SyntaxNode, use: { kind?: PolicyKind; address?: string; resource?: string }): void {
    const { kind, address, resource } = use;
    const text = this.text;
    const heredoc = template.type === 'heredoc_template';
    const children = named(template);
    let start: number;
    let end: number;
    if (heredoc) {
      const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
      if (identifiers.length < 2) return; // unterminated: nothing reliable to check
      start = identifiers[0].endIndex;
      while (start < text.length && text[start] !== '\n') start++;
      start++;
      end = identifiers[identifiers.length - 1].startIndex;
    } else {
      const closed = template.endIndex - template.startIndex >= 2 && text[template.endIndex - 1] === '"';
      if (!closed) return;
      start = template.startIndex + 1;
      end = template.endIndex - 1;
    }
    if (start >= end) return;
    const holes = children.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
    // A directive writes JSON we cannot see: the document is unknown, left unchecked.
    if (holes.some((h) => h.type === 'template_directive')) return;

    const decoded: string[] = [];
    const map: number[] = [];
    const inside: { start: number; end: number; node: SyntaxNode }[] = [];
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
    const masked = decoded.join('');
    // Not JSON text at all (a bare interpolation, a plain string): nothing to read.
    let first = 0;
    while (first < masked.length && (masked[first] === ' ' || masked[first] === '\t' || masked[first] === '\n' || masked[first] === '\r')) first++;
    if (masked[first] !== '{') return;

    const json = readJson(masked, { expectPolicy: true, wrappers: false });
    if (heredoc) this.editor.addJsonRegion({ start, end });
    for (const finding of json.findings) this.source.findings.push(mapFinding(finding, map, !heredoc || holes.length > 0));
    if (json.broken) {
      this.source.broken = true;
      this.source.keepFixesOf = json.keepFixesOf;
    }
    const root = json.policies[0]?.root;
    if (!root) return;
    this.mapTree(root, masked, map, inside, outside);
    if (!heredoc) this.editor.refuse(root);
    const policy: HostedPolicy = { root, kind, kindSource: 'host', address, resource, fragment: false };
    if (!kind) {
      delete policy.kind;
      delete policy.kindSource;
    }
    if (!resource) delete policy.resource;
    this.found.push({ at: root.offset, policy });
  }

  /** Moves a JSON tree from the decoded copy's offsets to the text's, and reads the holes back as unknown parts. */
  private mapTree(root: PolicyNode, masked: string, map: number[], inside: { start: number; end: number; node: SyntaxNode }[], outside: Map<number, SyntaxNode>): void {
    const stack: PolicyNode[] = [root];
    while (stack.length > 0) {
      const current = stack.pop()!;
      const from = current.offset;
      const to = current.offset + current.length;
      if (current.type === 'number' && outside.has(from)) {
        const hole = outside.get(from)!;
        const part = this.interpolationPart(hole);
        current.type = 'string';
        current.value = `\${${part.unknown}}`;
        current.parts = [part];
        current.offset = hole.startIndex;
        current.length = hole.endIndex - hole.startIndex;
        this.editor.refuse(current);
        continue;
      }
      if (current.type === 'string' && inside.length > 0) {
        const holes = inside.filter((h) => h.start >= from && h.end <= to);
        if (holes.length > 0) {
          const parts: ValuePart[] = [];
          let cursor = from + 1;
          for (const hole of holes) {
            if (hole.start > cursor) parts.push({ literal: jsonLiteral(masked.slice(cursor, hole.start)) });
            const known = this.knownValue(hole.node);
            parts.push(known !== undefined ? { literal: known } : this.interpolationPart(hole.node));
            cursor = hole.end;
          }
          if (to - 1 > cursor) parts.push({ literal: jsonLiteral(masked.slice(cursor, to - 1)) });
          current.value = spell(parts);
          if (parts.some((p) => 'unknown' in p)) current.parts = joinLiterals(parts);
          this.editor.refuse(current);
        }
      }
      current.offset = map[Math.min(from, map.length - 1)];
      current.length = map[Math.min(to, map.length - 1)] - current.offset;
      if (current.colonOffset !== undefined) current.colonOffset = map[Math.min(current.colonOffset, map.length - 1)];
      if (current.children) for (const child of current.children) stack.push(child);
    }
  }

  // ---- aws_iam_policy_document ----------------------------------------------------------------

  private document(block: SyntaxNode, name: string): void {
    if (this.documents.has(name)) return;
    const body = firstNamed(block, 'body');
    const header = this.headerSpan(block);
    const root = node('object', block.startIndex, block.endIndex, undefined);
    root.children = [];
    const info: DocumentInfo = { name, block, policy: { root, address: `data.aws_iam_policy_document.${name}`, fragment: false }, uses: this.documentUse(name), merged: [], sources: [], overrides: [], statementBlocks: [] };
    this.documents.set(name, info);
    this.editor.note(root, { k: 'document' });

    const items = body ? named(body) : [];
    let version: PolicyNode | undefined;
    const statements: PolicyNode[] = [];
    const opaque: SyntaxNode[] = [];
    for (const item of items) {
      if (item.type === 'attribute') {
        const attribute = this.attribute(item);
        if (!attribute) continue;
        if (isNullLiteral(attribute.value)) continue; // left out, as Terraform leaves it out
        if (attribute.name === 'version' || attribute.name === 'policy_id') {
          const property = this.attributeProperty(attribute, attribute.name === 'version' ? 'Version' : 'Id', root, false);
          if (attribute.name === 'version') version = property;
          else root.children.push(property);
        } else if (attribute.name === 'source_policy_documents' || attribute.name === 'override_policy_documents') {
          const list = unwrap(attribute.value);
          const elements = list.type === 'collection_value' ? named(named(list)[0] ?? list).filter((e) => e.type === 'expression') : [attribute.value];
          for (const element of elements) {
            const path = referencePath(element);
            if (!path || path[0] !== 'data' || path[1] !== 'aws_iam_policy_document' || !path[2]) {
              // A document only Terraform can read (`var.extra_policy`, `concat(...)`): statements the tool cannot see.
              opaque.push(element);
              continue;
            }
            info.merged.push(path[2]);
            (attribute.name === 'source_policy_documents' ? info.sources : info.overrides).push(path[2]);
          }
        }
      } else if (item.type === 'block') {
        const [type, label] = this.blockHeader(item);
        if (type === 'statement') info.statementBlocks.push([item, item]);
        else if (type === 'dynamic' && label === 'statement') {
          const content = this.dynamicContent(item);
          if (content) info.statementBlocks.push([content, item]);
        }
      }
    }
    for (const [content, outer] of info.statementBlocks) statements.push(policyVariablesOf(this.statement(content, outer)));
    // Each stands for the statements it brings, unknown here: the policy holds more than is written.
    for (const element of opaque) statements.push(this.unknown(element, element));
    // The data source writes "Version": "2012-10-17" unless told otherwise.
    if (!version) version = this.synthesized('Version', '2012-10-17', header);
    root.children.unshift(version);
    version.parent = root;
    const first = statements[0];
    const last = statements[statements.length - 1];
    const array = node('array', first ? first.offset : header.start, last ? last.offset + last.length : header.end, undefined);
    array.children = statements;
    for (const statement of statements) statement.parent = array;
    this.editor.note(array, { k: 'statements' });
    info.statements = array;
    const statementKey = node('string', array.offset, array.offset + Math.min(array.length, first ? 'statement'.length : array.length), 'Statement');
    root.children.push(this.property(statementKey, array, root, array.offset, array.offset + array.length));
    this.editor.refuse(statementKey);
  }

  /**
   * The statements the data source writes for a document with source and override documents:
   * the sources' statements, then its own (replacing a source statement of the same Sid), then
   * the overrides' (replacing by Sid, else appended). Statements read from other blocks are
   * fresh nodes with those blocks' spans.
   */
  private merge(info: DocumentInfo): void {
    const array = info.statements;
    if (!array) return;
    const list: PolicyNode[] = [];
    const bySid = new Map<string, number>();
    const add = (statement: PolicyNode): void => {
      const sid = statementSid(statement);
      const at = sid ? bySid.get(sid) : undefined;
      if (at !== undefined) list[at] = statement;
      else {
        if (sid) bySid.set(sid, list.length);
        list.push(statement);
      }
    };
    const others = (names: string[], seen: Set<string>): PolicyNode[] => {
      const result: PolicyNode[] = [];
      for (const name of names) {
        const other = this.documents.get(name);
        if (!other || seen.has(name) || seen.size > 8) continue;
        const nested = new Set(seen).add(name);
        // A source's own sources come first, as the data source already merged them into its JSON.
        if (other.merged.length > 0) result.push(...others(other.sources, nested), ...other.statementBlocks.map(([c, o]) => this.statement(c, o)), ...others(other.overrides, nested));
        else for (const [content, outer] of other.statementBlocks) result.push(this.statement(content, outer));
      }
      return result;
    };
    const seen = new Set([info.name]);
    for (const statement of others(info.sources, seen)) add(statement);
    for (const statement of array.children ?? []) add(statement);
    for (const statement of others(info.overrides, seen)) add(statement);
    array.children = list;
    for (const statement of list) statement.parent = array;
  }

  private dynamicContent(block: SyntaxNode): SyntaxNode | undefined {
    const body = firstNamed(block, 'body');
    return body ? named(body).find((b) => b.type === 'block' && this.blockHeader(b)[0] === 'content') : undefined;
  }

  private headerSpan(block: SyntaxNode): { start: number; end: number } {
    const open = firstNamed(block, 'block_start');
    return { start: block.startIndex, end: open ? open.endIndex : Math.min(block.endIndex, block.startIndex + 1) };
  }

  /** A property no text spells (a default): its spans are the header's, and it cannot be edited. */
  private synthesized(name: string, value: string, span: { start: number; end: number }): PolicyNode {
    const key = node('string', span.start, span.end, name);
    const val = node('string', span.start, span.end, value);
    const property = this.property(key, val, undefined, span.start, span.end);
    this.editor.refuse(key);
    this.editor.refuse(val);
    this.editor.refuse(property);
    return property;
  }

  private property(key: PolicyNode, value: PolicyNode, parent: PolicyNode | undefined, start: number, end: number): PolicyNode {
    const property = node('property', start, end, undefined);
    property.children = [key, value];
    property.parent = parent;
    key.parent = property;
    value.parent = property;
    return property;
  }

  /** `name = value` in a block as `"Name": value`: the key spans the attribute's name. */
  private attributeProperty(attribute: { name: string; key: SyntaxNode; value: SyntaxNode }, jsonName: string, parent: PolicyNode, list: boolean): PolicyNode {
    const key = node('string', attribute.key.startIndex, attribute.key.endIndex, jsonName);
    this.editor.noteKey(key.offset, { k: 'attribute' });
    const value = this.value(attribute.value, undefined, 1);
    if (list) this.editor.note(value, { k: 'value', list: true });
    const property = this.property(key, value, parent, attribute.key.startIndex, attribute.value.endIndex);
    this.editor.note(property, { k: 'attribute' });
    return property;
  }

  /** A statement block (or a dynamic block's content) as a statement object. */
  private statement(block: SyntaxNode, outer: SyntaxNode): PolicyNode {
    const statement = node('object', outer.startIndex, outer.endIndex, undefined);
    statement.children = [];
    const body = firstNamed(block, 'body');
    const items = body ? named(body) : [];
    const open = firstNamed(block, 'block_start');
    const close = firstNamed(block, 'block_end');
    const lastItem = items[items.length - 1];
    this.editor.note(statement, {
      k: 'statement',
      insertAt: lastItem ? lastItem.endIndex : open ? open.endIndex : block.endIndex,
      close: close ? close.startIndex : block.endIndex,
      innerIndent: items[0] ? this.editor.indentAt(items[0].startIndex) : this.editor.indentAt(block.startIndex) + this.editor.indentUnit,
    });
    const principals: SyntaxNode[] = [];
    const notPrincipals: SyntaxNode[] = [];
    const conditions: SyntaxNode[] = [];
    // Blocks of a `dynamic` block: there once per element of its for_each, which may be empty.
    const dynamicBlocks = new Set<SyntaxNode>();
    let effect = false;
    for (const item of items) {
      if (item.type === 'attribute') {
        const attribute = this.attribute(item);
        const jsonName = attribute && STATEMENT_ATTRIBUTES.get(attribute.name);
        // An argument set to null is left out, as Terraform leaves it out (effect = null is the default, Allow).
        if (!attribute || !jsonName || isNullLiteral(attribute.value)) continue;
        // The data source writes NotAction and NotResource only when their list is not empty.
        if ((jsonName === 'NotAction' || jsonName === 'NotResource') && isEmptyList(attribute.value)) continue;
        if (jsonName === 'Effect') effect = true;
        statement.children.push(this.attributeProperty(attribute, jsonName, statement, jsonName !== 'Sid' && jsonName !== 'Effect'));
      } else if (item.type === 'block') {
        let [type, label] = this.blockHeader(item);
        let block: SyntaxNode | undefined = item;
        if (type === 'dynamic') {
          // dynamic "condition" { for_each = ...; content { ... } }: the content, as written.
          type = label;
          block = this.dynamicContent(item);
          if (block) dynamicBlocks.add(block);
        }
        if (!block) continue;
        if (type === 'principals') principals.push(block);
        else if (type === 'not_principals') notPrincipals.push(block);
        else if (type === 'condition') conditions.push(block);
      }
    }
    if (!effect) {
      const property = this.synthesized('Effect', 'Allow', this.headerSpan(block));
      property.parent = statement;
      statement.children.unshift(property);
    }
    const optional = (blocks: SyntaxNode[], property: PolicyNode): PolicyNode => {
      // Only dynamic blocks: the element is written only when a for_each is not empty.
      if (blocks.every((b) => dynamicBlocks.has(b)) && property.children?.[1]) property.children[1].onlyIf = 'its dynamic block\'s for_each is not empty';
      return property;
    };
    if (principals.length > 0) statement.children.push(optional(principals, this.principals(principals, 'Principal', statement)));
    if (notPrincipals.length > 0) statement.children.push(optional(notPrincipals, this.principals(notPrincipals, 'NotPrincipal', statement)));
    if (conditions.length > 0) statement.children.push(this.conditions(conditions, statement));
    statement.children.sort((a, b) => a.offset - b.offset);
    return statement;
  }

  private blockAttributes(block: SyntaxNode): Map<string, { name: string; key: SyntaxNode; value: SyntaxNode }> {
    const map = new Map<string, { name: string; key: SyntaxNode; value: SyntaxNode }>();
    const body = firstNamed(block, 'body');
    for (const item of body ? named(body) : []) {
      const attribute = item.type === 'attribute' ? this.attribute(item) : undefined;
      if (attribute) map.set(attribute.name, attribute);
    }
    return map;
  }

  /** principals { type, identifiers } blocks as a Principal map; type "*" with ["*"] as "*". */
  private principals(blocks: SyntaxNode[], name: string, statement: PolicyNode): PolicyNode {
    const start = blocks[0].startIndex;
    const end = blocks[blocks.length - 1].endIndex;
    const key = node('string', start, start + Math.min(name === 'Principal' ? 'principals'.length : 'not_principals'.length, end - start), name);
    this.editor.noteKey(key.offset, { k: 'block' });
    let value: PolicyNode | undefined;
    if (blocks.length === 1) {
      const attributes = this.blockAttributes(blocks[0]);
      const type = attributes.get('type');
      const identifiers = attributes.get('identifiers');
      if (type && identifiers) {
        const typeNode = this.value(type.value, undefined, 2);
        const list = unwrap(identifiers.value);
        if (typeNode.type === 'string' && typeNode.value === '*' && !typeNode.parts && list.type === 'collection_value') {
          const idNode = this.value(identifiers.value, undefined, 2);
          if (idNode.type === 'array' && idNode.children?.length === 1 && idNode.children[0].value === '*') value = idNode.children[0];
        }
      }
    }
    if (!value) {
      value = node('object', start, end, undefined);
      value.children = [];
      for (const block of blocks) {
        const attributes = this.blockAttributes(block);
        const type = attributes.get('type');
        const identifiers = attributes.get('identifiers');
        if (!type || !identifiers) continue;
        const typeNode = this.value(type.value, undefined, 2);
        const typeKey = typeNode.type === 'string' ? typeNode : node('string', typeNode.offset, typeNode.offset + typeNode.length, this.text.slice(typeNode.offset, typeNode.offset + typeNode.length));
        this.editor.noteKey(typeKey.offset, { k: typeKey.parts ? 'none' : 'string' });
        const ids = this.value(identifiers.value, undefined, 2);
        this.editor.note(ids, { k: 'value', list: true });
        const entry = this.property(typeKey, ids, value, block.startIndex, block.endIndex);
        this.editor.note(entry, { k: 'block' });
        value.children.push(entry);
      }
    }
    const property = this.property(key, value, statement, start, end);
    this.editor.note(property, blocks.length === 1 ? { k: 'block' } : { k: 'none' });
    return property;
  }

  /** condition { test, variable, values } blocks as a Condition map: { test: { variable: values } }. */
  private conditions(blocks: SyntaxNode[], statement: PolicyNode): PolicyNode {
    const start = blocks[0].startIndex;
    const end = blocks[blocks.length - 1].endIndex;
    const key = node('string', start, start + Math.min('condition'.length, end - start), 'Condition');
    this.editor.noteKey(key.offset, { k: 'block' });
    const value = node('object', start, end, undefined);
    value.children = [];
    this.editor.note(value, { k: 'condition', statement });
    for (const block of blocks) {
      const attributes = this.blockAttributes(block);
      const test = attributes.get('test');
      const variable = attributes.get('variable');
      const values = attributes.get('values');
      if (!test || !variable || !values) continue;
      const testNode = this.keyNode(this.value(test.value, undefined, 2));
      const variableNode = this.keyNode(this.value(variable.value, undefined, 2));
      const valuesNode = this.value(values.value, undefined, 2);
      this.editor.note(valuesNode, { k: 'value', list: true });
      const inner = node('object', block.startIndex, block.endIndex, undefined);
      this.editor.note(inner, { k: 'operator', statement, test: testNode.value });
      inner.children = [this.property(variableNode, valuesNode, inner, block.startIndex, block.endIndex)];
      this.editor.note(inner.children[0], { k: 'none' });
      const operator = this.property(testNode, inner, value, block.startIndex, block.endIndex);
      this.editor.note(operator, { k: 'block' });
      value.children.push(operator);
    }
    const property = this.property(key, value, statement, start, end);
    this.editor.note(property, blocks.length === 1 ? { k: 'block' } : { k: 'none' });
    return property;
  }

  /** A value used as a map key: a string node (an expression's text when it is not a string). */
  private keyNode(value: PolicyNode): PolicyNode {
    if (value.type === 'string') {
      this.editor.noteKey(value.offset, { k: value.parts ? 'none' : 'string' });
      return value;
    }
    const key = node('string', value.offset, value.offset + value.length, String(value.value ?? this.text.slice(value.offset, value.offset + value.length)));
    this.editor.noteKey(key.offset, { k: 'none' });
    return key;
  }

  // ---- HCL values -----------------------------------------------------------------------------

  /** An HCL expression as a policy value; anything but literals, tuples and objects is unknown. */
  private value(expression: SyntaxNode, parent: PolicyNode | undefined, depth: number): PolicyNode {
    const n = unwrap(expression);
    let result: PolicyNode | undefined;
    if (depth <= MAX_DEPTH) {
      switch (n.type) {
        case 'literal_value':
          result = this.literal(named(n)[0] ?? n);
          break;
        case 'collection_value': {
          const collection = named(n)[0];
          if (collection?.type === 'tuple') result = this.tuple(collection, depth);
          else if (collection?.type === 'object') result = this.object(collection, depth);
          break;
        }
        case 'template_expr': {
          const template = named(n)[0];
          if (template) result = this.template(template, n);
          break;
        }
        case 'function_call':
          if (firstNamed(n, 'identifier')?.text === 'concat') result = this.concat(n, depth);
          break;
      }
    }
    if (!result) result = this.unknown(n === expression ? expression : n, expression);
    result.parent = parent;
    return result;
  }

  private literal(n: SyntaxNode): PolicyNode {
    switch (n.type) {
      case 'string_lit':
        return this.stringLiteral(n);
      case 'numeric_lit': {
        const number = Number(n.text);
        return Number.isFinite(number) ? node('number', n.startIndex, n.endIndex, number) : this.unknown(n, n);
      }
      case 'bool_lit':
        return node('boolean', n.startIndex, n.endIndex, n.text === 'true');
      case 'null_lit':
        return node('null', n.startIndex, n.endIndex, null);
    }
    return this.unknown(n, n);
  }

  private stringLiteral(n: SyntaxNode): PolicyNode {
    const text = this.text;
    const closed = n.endIndex - n.startIndex >= 2 && text[n.endIndex - 1] === '"';
    return node('string', n.startIndex, n.endIndex, decodeQuoted(text.slice(n.startIndex + 1, closed ? n.endIndex - 1 : n.endIndex)));
  }

  /** A quoted template or a heredoc used as a value: literal pieces and unknown interpolations. */
  private template(template: SyntaxNode, outer: SyntaxNode): PolicyNode {
    const children = named(template);
    const heredoc = template.type === 'heredoc_template';
    let start: number;
    let end: number;
    if (heredoc) {
      const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
      if (identifiers.length < 2) return this.unknown(outer, outer);
      start = identifiers[0].endIndex;
      while (start < this.text.length && this.text[start] !== '\n') start++;
      start = Math.min(start + 1, identifiers[identifiers.length - 1].startIndex);
      end = identifiers[identifiers.length - 1].startIndex;
    } else {
      const close = children.find((c) => c.type === 'quoted_template_end');
      start = template.startIndex + 1;
      end = close ? close.startIndex : template.endIndex;
    }
    const parts: ValuePart[] = [];
    let cursor = start;
    for (const child of children) {
      if (child.type !== 'template_interpolation' && child.type !== 'template_directive') continue;
      if (child.type === 'template_directive') return this.unknown(outer, outer);
      if (child.startIndex > cursor) parts.push({ literal: heredoc ? unescapeTemplate(this.text.slice(cursor, child.startIndex)) : decodeQuoted(this.text.slice(cursor, child.startIndex)) });
      parts.push(this.interpolationPart(child));
      cursor = child.endIndex;
    }
    if (end > cursor) parts.push({ literal: heredoc ? unescapeTemplate(this.text.slice(cursor, end)) : decodeQuoted(this.text.slice(cursor, end)) });
    const result = node('string', template.startIndex, template.endIndex, spell(parts));
    if (parts.some((p) => 'unknown' in p)) {
      result.parts = parts;
      this.editor.refuse(result);
    }
    return result;
  }

  /** A template variable's literal value (`templatefile`'s vars), when this read has one for it. */
  private knownValue(interpolation: SyntaxNode): string | undefined {
    if (!this.known) return undefined;
    const expression = firstNamed(interpolation, 'expression');
    const variable = expression && unwrap(expression);
    if (!variable || variable.type !== 'variable_expr') return undefined;
    const name = variable.text;
    return Object.prototype.hasOwnProperty.call(this.known, name) ? this.known[name] : undefined;
  }

  private interpolationPart(interpolation: SyntaxNode): { unknown: string; meaning?: UnknownMeaning; resource?: string } {
    const expression = firstNamed(interpolation, 'expression');
    if (!expression) return { unknown: interpolation.text };
    return referencePart(expression, expression.text.trim());
  }

  /** A value known only when the tool runs: a reference, a call, a conditional, a for expression. */
  private unknown(n: SyntaxNode, outer: SyntaxNode): PolicyNode {
    const label = outer.text.trim();
    const part = referencePart(outer.type === 'expression' ? outer : n, label);
    // Spelled without braces inside (`cond ? ["a:${x}"] : [y]`), so that the placeholder ends at its own `}`.
    const result = node('string', outer.startIndex, outer.endIndex, `\${${label.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))}}`);
    result.parts = [part];
    this.editor.refuse(result);
    return result;
  }

  /**
   * `concat([...], cond ? [] : [...], var.extra)` (how modules assemble Statement lists): the
   * literal lists' elements, a conditional's non-empty branch (it is there when the condition
   * holds), and one unknown element for each list only Terraform knows.
   */
  private concat(call: SyntaxNode, depth: number): PolicyNode {
    const array = node('array', call.startIndex, call.endIndex, undefined);
    array.children = [];
    const args = firstNamed(call, 'function_arguments');
    for (const argument of args ? named(args).filter((a) => a.type === 'expression') : []) {
      const list = this.optionalList(argument);
      if (!list) {
        array.children.push(this.unknown(argument, argument));
        continue;
      }
      for (const element of named(list)) if (element.type === 'expression') array.children.push(this.value(element, array, depth + 1));
    }
    for (const child of array.children) child.parent = array;
    // Its elements are edited where they are written; the call itself takes no element.
    this.editor.note(array, { k: 'none' });
    return array;
  }

  /** The tuple an argument of concat() adds: `[...]`, or `cond ? [] : [...]` (either order); undefined when only Terraform knows. */
  private optionalList(argument: SyntaxNode): SyntaxNode | undefined {
    const direct = tupleOf(argument);
    if (direct) return direct;
    const inner = unwrap(argument);
    if (inner.type !== 'conditional') return undefined;
    const [, whenTrue, whenFalse] = named(inner).filter((e) => e.type === 'expression');
    if (!whenTrue || !whenFalse) return undefined;
    if (isEmptyList(whenFalse)) return tupleOf(whenTrue);
    if (isEmptyList(whenTrue)) return tupleOf(whenFalse);
    return undefined;
  }

  private tuple(tuple: SyntaxNode, depth: number): PolicyNode {
    const array = node('array', tuple.startIndex, tuple.endIndex, undefined);
    array.children = [];
    for (const element of named(tuple)) if (element.type === 'expression') array.children.push(this.value(element, array, depth + 1));
    this.editor.note(array, { k: 'value' });
    return array;
  }

  private object(object: SyntaxNode, depth: number): PolicyNode {
    const result = node('object', object.startIndex, object.endIndex, undefined);
    result.children = [];
    this.editor.note(result, { k: 'object' });
    for (const element of named(object)) {
      if (element.type !== 'object_elem') continue;
      // key = value: the first and second expression (the copy keeps no field names).
      const [keyExpression, valueExpression] = named(element).filter((e) => e.type === 'expression');
      if (!keyExpression || !valueExpression) continue;
      const keySyntax = unwrap(keyExpression);
      let key: PolicyNode;
      if (keySyntax.type === 'variable_expr') {
        key = node('string', keySyntax.startIndex, keySyntax.endIndex, keySyntax.text);
        this.editor.noteKey(key.offset, { k: 'identifier' });
      } else {
        key = this.keyNode(this.value(keyExpression, undefined, depth + 1));
      }
      const value = this.value(valueExpression, undefined, depth + 1);
      const property = this.property(key, value, result, element.startIndex, element.endIndex);
      this.editor.note(property, { k: 'object' });
      result.children.push(property);
    }
    return result;
  }
}

function statementSid(statement: PolicyNode): string | undefined {
  for (const property of statement.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key?.value === 'Sid' && value?.type === 'string' && value.value !== '' && !value.parts) return value.value;
  }
  return undefined;
}

function node(type: PolicyNode['type'], start: number, end: number, value: unknown): PolicyNode {
  const result: PolicyNode = { type, offset: start, length: Math.max(0, end - start), value };
  return result;
}

/** What a reference means, when the host can tell. */
function referencePart(expression: SyntaxNode, label: string): { unknown: string; meaning?: UnknownMeaning; resource?: string; keyArn?: string } {
  const path = referencePath(expression);
  const part: { unknown: string; meaning?: UnknownMeaning; resource?: string; keyArn?: string } = { unknown: label };
  if (!path) return part;
  const [a, b, , d] = path;
  const last = path[path.length - 1];
  if (a === 'data' && b === 'aws_caller_identity' && d === 'account_id') part.meaning = 'owner-account';
  else if (a === 'data' && b === 'aws_partition' && d === 'partition') part.meaning = 'partition';
  else if (a === 'data' && b === 'aws_region' && (d === 'name' || d === 'region' || d === 'id')) part.meaning = 'region';
  else if ((a === 'aws_kms_key' || a === 'aws_kms_replica_key' || a === 'aws_kms_external_key' || a === 'aws_kms_replica_external_key') && path.length === 3) {
    if (last === 'arn') part.meaning = 'key-arn';
    else if (last === 'key_id' || last === 'id') part.meaning = 'key-id';
    if (part.meaning) part.resource = `${a}.${path[1]}`;
    if (part.meaning === 'key-id') part.keyArn = `${a}.${path[1]}.arn`;
  } else if (a === 'aws_kms_alias' && path.length === 3) {
    if (last === 'arn') part.meaning = 'alias-arn';
    else if (last === 'name' || last === 'id') part.meaning = 'alias-name';
    else if (last === 'target_key_arn') part.meaning = 'key-arn';
    else if (last === 'target_key_id') part.meaning = 'key-id';
    if (part.meaning) part.resource = `${a}.${path[1]}`;
    // The alias's own attribute names the key it points at.
    if (part.meaning && part.meaning !== 'key-arn') part.keyArn = `${a}.${path[1]}.target_key_arn`;
  } else if (path.length === 3 && last === 'arn' && /^aws_[a-z0-9_]+$/.test(a) && !a.startsWith('aws_kms_')) {
    part.meaning = 'resource-arn';
    part.resource = `${a}.${path[1]}`;
  } else if (a === 'data' && b === 'aws_kms_key' && path.length === 4) {
    if (d === 'arn') part.meaning = 'key-arn';
    else if (d === 'key_id' || d === 'id') part.meaning = 'key-id';
    if (part.meaning) part.resource = path.slice(0, 3).join('.');
  } else if (a === 'data' && b === 'aws_kms_alias' && path.length === 4) {
    if (d === 'arn') part.meaning = 'alias-arn';
    else if (d === 'name') part.meaning = 'alias-name';
    else if (d === 'target_key_arn') part.meaning = 'key-arn';
    else if (d === 'target_key_id') part.meaning = 'key-id';
    if (part.meaning) part.resource = path.slice(0, 3).join('.');
  }
  return part;
}

/** Adjacent literal parts as one. */
function joinLiterals(parts: ValuePart[]): ValuePart[] {
  const result: ValuePart[] = [];
  for (const part of parts) {
    const last = result[result.length - 1];
    if ('literal' in part && last && 'literal' in last) result[result.length - 1] = { literal: last.literal + part.literal };
    else result.push(part);
  }
  return result;
}

function spell(parts: readonly ValuePart[]): string {
  let value = '';
  // An unknown part is spelled without braces inside (`${var.x != "" ? "${var.x}/" : ""}`), so it ends at its own `}`.
  for (const part of parts) value += 'literal' in part ? part.literal : `\${${part.unknown.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))}}`;
  return value;
}

/** `$${` and `%%{` are a literal `${` and `%{` in any template. */
function unescapeTemplate(raw: string): string {
  if (!raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if ((raw[i] === '$' || raw[i] === '%') && raw[i + 1] === raw[i] && raw[i + 2] === '{') {
      out += raw[i];
      i++;
      continue;
    }
    out += raw[i];
  }
  return out;
}

/**
 * The data source writes `&{aws:username}` as the policy variable `${aws:username}` (Terraform's
 * escape for IAM policy variables in aws_iam_policy_document): same length, so spans stay.
 */
function policyVariablesOf(statement: PolicyNode): PolicyNode {
  const stack: PolicyNode[] = [statement];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'string' && typeof n.value === 'string' && n.value.includes('&{')) {
      n.value = n.value.replace(/&\{/g, '${');
      if (n.parts) n.parts = n.parts.map((p) => ('literal' in p && p.literal.includes('&{') ? { literal: p.literal.replace(/&\{/g, '${') } : p));
    }
    if (n.children) stack.push(...n.children);
  }
  return statement;
}

/** The text of a quoted HCL string: its escapes and template escapes decoded. */
export function decodeQuoted(raw: string): string {
  if (!raw.includes('\\')) return unescapeTemplate(raw);
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c;
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      const escape = escapeAt(raw, i, raw.length);
      out += escape.value;
      i += escape.length - 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** The backslash escape at `i` of a quoted string: what it stands for and how long it is. */
function escapeAt(text: string, i: number, to: number): { value: string; length: number } {
  const next = text[i + 1];
  switch (next) {
    case 'n':
      return { value: '\n', length: 2 };
    case 'r':
      return { value: '\r', length: 2 };
    case 't':
      return { value: '\t', length: 2 };
    case '"':
    case '\\':
      return { value: next, length: 2 };
    case 'u':
    case 'U': {
      const digits = next === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, Math.min(to, i + 2 + digits));
      const code = hex.length === digits && isHex(hex) ? parseInt(hex, 16) : NaN;
      if (Number.isFinite(code) && code <= 0x10ffff) return { value: String.fromCodePoint(code), length: 2 + digits };
      return { value: '\\' + next, length: 2 };
    }
    default:
      return { value: '\\' + next, length: 2 };
  }
}

function isHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
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

/** `null` as written: an argument Terraform treats as not set. */
function isNullLiteral(value: SyntaxNode): boolean {
  const inner = unwrap(value);
  if (inner.type === 'null_lit') return true;
  const children = inner.type === 'literal_value' ? named(inner) : [];
  return children.length === 1 && children[0].type === 'null_lit';
}

/** The tuple of a `[...]` as written, when the expression is one. */
function tupleOf(expression: SyntaxNode): SyntaxNode | undefined {
  const inner = unwrap(expression);
  const tuple = inner.type === 'collection_value' ? named(inner)[0] : undefined;
  return tuple?.type === 'tuple' ? tuple : undefined;
}

/** `[]` as written. */
function isEmptyList(value: SyntaxNode): boolean {
  const tuple = tupleOf(value);
  return !!tuple && !named(tuple).some((e) => e.type === 'expression');
}
