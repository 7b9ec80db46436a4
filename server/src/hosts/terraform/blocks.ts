/**
 * A module's top-level blocks: which can hold a policy (locals, policy documents, the resources
 * of `POLICY_ATTRIBUTES`), each resource's policy attributes, and which of the shapes each
 * attribute's value is (a document's `.json`, a local, `jsonencode`, JSON text, a template).
 */
import type { HostedGrant, PolicyNode } from '../../engine/tree';
import { detached } from '../../engine/text';
import { attribute, blockAttributes, blockHeader, type ReadContext, type Use } from './context';
import { DocumentReader } from './documents';
import { decodeQuoted, literalString } from './expressions';
import { constraintOf, reportInvalidOperations } from './grants';
import { readJsonPolicy, recordTemplateFile } from './heredoc';
import { isPolicyModuleSource, KmsModuleReader } from './modules';
import { POLICY_MODULE_HINT, policyInputsOf } from './policyModules';
import { POLICY_ATTRIBUTE_LIST } from './policyAttributes';
import { copySubtree, firstNamed, nameAt, named, referencePath, unwrap, type CopiedNode, type SyntaxCursor, type SyntaxNode } from './syntax';

const POLICY_ATTRIBUTES = new Map(Object.entries(POLICY_ATTRIBUTE_LIST).map(([type, attributes]) => [type, new Map(Object.entries(attributes))]));

/** What the host reads of each resource: its policy attributes and what places them. */
const RESOURCE_ATTRIBUTES = new Map(
  [...POLICY_ATTRIBUTES].map(([type, attributes]) => [type, new Set([...attributes.keys(), 'key_id', 'type', 'inline_policy', 'permissions_boundary', 'name', 'path'])]),
);

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
 * The top-level blocks that can hold policies, copied out of tree-sitter; the others (variables,
 * locals, modules, most resources) are skipped after a look at their header.
 */
export function policyBlocks(cursor: SyntaxCursor, text: string, memo?: BlockMemo, variables?: string[]): SyntaxNode[] {
  const blocks: SyntaxNode[] = [];
  const seen: BlockMemo['blocks'] = memo ? new Map() : undefined!;
  forEachTopLevelBlock(cursor, (at) => {
    let key: string | undefined;
    if (memo) {
      // A block whose text was read before is taken from then, moved to where it is now.
      key = text.slice(at.startIndex, at.endIndex);
      const known = memo.blocks.get(key);
      if (known !== undefined) {
        seen.set(key, known);
        if (known) blocks.push(known.movedTo(text, at.startIndex));
        return;
      }
    }
    const copied = copyPolicyBlock(at, text, variables);
    if (memo) seen.set(detached(key!), copied ? copied.movedTo(detached(key!), -at.startIndex) : null);
    if (copied) blocks.push(copied);
  });
  if (memo) memo.blocks = seen;
  return blocks;
}

/**
 * The top-level blocks of a module being edited, by their text, as read at offset 0 of it (null:
 * a block that holds no policy). Only for a text without syntax errors: a block then reads the
 * same wherever it stands.
 */
export interface BlockMemo {
  blocks: Map<string, CopiedNode | null>;
}

/** The block at the cursor copied out of tree-sitter if it can hold a policy; a `variable` block's name goes to `variables`. */
function copyPolicyBlock(at: SyntaxCursor, text: string, variables?: string[]): CopiedNode | undefined {
  const header = blockHeaderAt(at, text);
  if (variables && header[0] === 'variable' && header[1]) variables.push(header[1]);
  if (header[0] === 'locals' || (header[0] === 'data' && header[1] === 'aws_iam_policy_document')) return copySubtree(at, text);
  if (header[0] === 'resource' && header[1] === 'aws_kms_grant') return copySubtree(at, text);
  // A user holds no policy here, but its permissions_boundary says which aws_iam_policy is a boundary.
  if (header[0] === 'resource' && header[1] === 'aws_iam_user') return copySubtree(at, text, (node, parent, depth) => depth !== 2 || parent.type !== 'body' || nameAt(node, text) === 'permissions_boundary');
  // A module whose inputs are a key policy (its source is read once copied).
  // A module whose inputs may be a policy, or that is given a policy document (which it may add statements to).
  if (header[0] === 'module') {
    const block = text.slice(at.startIndex, at.endIndex);
    if (POLICY_MODULE_HINT.test(block) || block.includes('aws_iam_policy_document')) return copySubtree(at, text);
  }
  if (header[0] === 'resource' && POLICY_ATTRIBUTES.has(header[1])) {
    // Of a resource, only what can hold or place a policy: a bucket's other settings can be long.
    const wanted = RESOURCE_ATTRIBUTES.get(header[1])!;
    return copySubtree(at, text, (node, parent, depth) => depth !== 2 || parent.type !== 'body' || wanted.has(nameAt(node, text) ?? ''));
  }
  return undefined;
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

/** The policy documents an expression refers to (`data.aws_iam_policy_document.key.json`, in a list or a call too). */
function documentsIn(expression: SyntaxNode, depth = 0): string[] {
  const path = referencePath(expression);
  if (path && path[0] === 'data' && path[1] === 'aws_iam_policy_document' && path[2] !== undefined) return [path[2]];
  if (depth > 8) return [];
  return named(expression).flatMap((child) => documentsIn(child, depth + 1));
}

/** Reads the policies of a module's blocks (`policyBlocks`) into the context's source. */
export class BlockReader {
  private readonly documents: DocumentReader;
  private readonly locals = new Map<string, SyntaxNode>();
  private readonly localsRead = new Set<string>();
  /** The `aws_iam_policy` resources a role's `permissions_boundary` references. */
  private readonly boundaries = new Set<string>();
  /** The `aws_iam_policy` blocks by name, made on first use. */
  private policyBlocks: Map<string, SyntaxNode[]> | undefined;

  constructor(private readonly cx: ReadContext) {
    this.documents = new DocumentReader(cx);
  }

  read(blocks: SyntaxNode[]): void {
    const { cx } = this;
    // Locals first: a resource's policy may be `local.key_policy`, defined anywhere in the file.
    for (const block of blocks) {
      if (block.type !== 'block' || blockHeader(block, cx.text)[0] !== 'locals') continue;
      const body = firstNamed(block, 'body');
      for (const item of body ? named(body) : []) {
        const local = item.type === 'attribute' ? attribute(item) : undefined;
        if (local && !this.locals.has(local.name)) this.locals.set(local.name, local.value);
      }
    }
    this.noteRoles(blocks);
    for (const block of blocks) {
      if (block.type !== 'block') continue;
      const [type, ...labels] = blockHeader(block, cx.text);
      if (type === 'data' && labels[0] === 'aws_iam_policy_document' && labels[1] !== undefined) this.documents.read(block, labels[1]);
      else if (type === 'resource' && labels[0] === 'aws_kms_grant' && labels[1] !== undefined) this.grant(block, labels[1]);
      else if (type === 'resource' && labels[0] && labels[1] !== undefined && POLICY_ATTRIBUTES.has(labels[0])) this.resource(block, labels[0], labels[1]);
      else if (type === 'resource' && labels[0] === 'aws_iam_user') this.noteBoundary(firstNamed(block, 'body'));
      else if (type === 'module' && labels[0] !== undefined) this.module(block, labels[0]);
    }
    this.documents.finish();
    cx.found.sort((a, b) => a.at - b.at);
    for (const { policy } of cx.found) {
      if (policy.kind === 'identity-policy' && policy.resource && this.isBoundary(policy.resource, blocks)) policy.boundary = true;
      cx.source.policies.push(policy);
    }
    if (cx.templateFiles.length > 0) cx.source.templateFiles = cx.templateFiles;
    if (cx.source.policies.length > 0 || cx.templateFiles.length > 0) cx.source.isPolicyFile = true;
  }

  /** The roles whose name and path the module writes, for references to them (`aws_iam_role.app.arn`). */
  private noteRoles(blocks: SyntaxNode[]): void {
    for (const block of blocks) {
      if (block.type !== 'block') continue;
      const [kind, type, label] = blockHeader(block, this.cx.text);
      if (kind !== 'resource' || type !== 'aws_iam_role' || label === undefined) continue;
      const attributes = blockAttributes(block);
      const name = literalString(attributes.get('name')?.value, this.cx.text);
      // IAM's default path is "/" (IAM identifiers).
      const path = attributes.has('path') ? literalString(attributes.get('path')?.value, this.cx.text) : '/';
      if (name && path?.startsWith('/') && path.endsWith('/')) this.cx.values.roles.set(label, path.slice(1) + name);
    }
  }

  /** The `aws_iam_policy` a role's or user's `permissions_boundary` references. */
  private noteBoundary(body: SyntaxNode | undefined): void {
    for (const item of body ? named(body) : []) {
      const found = item.type === 'attribute' ? attribute(item) : undefined;
      const path = found?.name === 'permissions_boundary' ? referencePath(found.value) : undefined;
      if (path?.[0] === 'aws_iam_policy' && path[1]) this.boundaries.add(`aws_iam_policy.${path[1]}`);
    }
  }

  /** Whether `aws_iam_policy.x` is a permissions boundary: a role's `permissions_boundary` names it, or its name or `name` says so. */
  private isBoundary(resource: string, blocks: SyntaxNode[]): boolean {
    const [type, name] = resource.split('.');
    if (type !== 'aws_iam_policy' || !name) return false;
    if (this.boundaries.has(resource) || BOUNDARY_NAME.test(name)) return true;
    // Indexed once per read: a module with many policies would otherwise scan every block for each.
    if (!this.policyBlocks) {
      this.policyBlocks = new Map();
      for (const block of blocks) {
        const [kind, blockType, label] = blockHeader(block, this.cx.text);
        if (kind === 'resource' && blockType === 'aws_iam_policy' && label !== undefined) this.policyBlocks.set(label, [...(this.policyBlocks.get(label) ?? []), block]);
      }
    }
    for (const block of this.policyBlocks.get(name) ?? []) {
      const body = firstNamed(block, 'body');
      for (const item of body ? named(body) : []) {
        const found = item.type === 'attribute' ? attribute(item) : undefined;
        if (found?.name === 'name' && BOUNDARY_NAME.test(this.cx.text.slice(found.value.startIndex, found.value.endIndex))) return true;
      }
    }
    return false;
  }

  private resource(block: SyntaxNode, type: string, name: string): void {
    const attributes = POLICY_ATTRIBUTES.get(type)!;
    const body = firstNamed(block, 'body');
    if (!body) return;
    if (type === 'aws_iam_role') this.noteBoundary(body);
    if (type === 'aws_organizations_policy' && !this.isServiceControlPolicy(body)) return;
    for (const item of named(body)) {
      if (item.type === 'attribute') {
        const found = attribute(item);
        const kind = found && attributes.get(found.name);
        if (found && kind) this.policyValue(found.value, { kind, address: `${type}.${name}.${found.name}`, resource: policyResource(body, type, name) });
      } else if (item.type === 'block' && type === 'aws_iam_role') {
        const [blockType] = blockHeader(item, this.cx.text);
        if (blockType !== 'inline_policy') continue;
        const inner = firstNamed(item, 'body');
        for (const attributeNode of inner ? named(inner) : []) {
          const found = attributeNode.type === 'attribute' ? attribute(attributeNode) : undefined;
          if (found?.name === 'policy') this.policyValue(found.value, { kind: 'identity-policy', address: `${type}.${name}.inline_policy`, resource: `${type}.${name}` });
        }
      }
    }
  }

  /** A `constraints` block's pairs (`encryption_context_equals`, `encryption_context_subset`), where each is written out as text. */
  private constraintPairs(block: SyntaxNode): HostedGrant['constraint'] {
    const body = firstNamed(block, 'body');
    if (!body) return undefined;
    const fields = new Map<string, PolicyNode>();
    for (const item of named(body)) {
      const found = item.type === 'attribute' ? attribute(item) : undefined;
      if (found) fields.set(found.name, this.cx.values.value(found.value, undefined, 0));
    }
    return constraintOf(fields.get('encryption_context_equals'), fields.get('encryption_context_subset'));
  }

  /** `resource "aws_kms_grant"`: the grant for explain, and each operation a grant cannot allow as an error. */
  private grant(block: SyntaxNode, name: string): void {
    const body = firstNamed(block, 'body');
    if (!body) return;
    const { values } = this.cx;
    let keyResource: string | undefined;
    let grantee: HostedGrant['grantee'] | undefined;
    let operations: HostedGrant['operations'] = [];
    let operationsKnown = false;
    let constrained = false;
    let constraint: HostedGrant['constraint'];
    let retiring: HostedGrant['retiringPrincipal'];
    for (const item of named(body)) {
      if (item.type === 'block' && blockHeader(item, this.cx.text)[0] === 'constraints') {
        constrained = true;
        constraint = constraint === undefined ? this.constraintPairs(item) : undefined; // two blocks: not read
        continue;
      }
      const found = item.type === 'attribute' ? attribute(item) : undefined;
      if (!found) continue;
      const value = values.value(found.value, undefined, 0);
      if (found.name === 'retiring_principal') retiring = value;
      else if (found.name === 'key_id') {
        const part = value.parts?.length === 1 ? value.parts[0] : undefined;
        if (part && 'unknown' in part && (part.meaning === 'key-arn' || part.meaning === 'key-id')) keyResource = part.resource;
      } else if (found.name === 'grantee_principal') grantee = value;
      else if (found.name === 'operations') {
        operations = value.type === 'array' ? (value.children ?? []) : [];
        operationsKnown = value.type === 'array' && operations.every((o) => o.type === 'string' && !o.parts);
      }
    }
    if (!grantee) return;
    const address = `aws_kms_grant.${name}`;
    const grant: HostedGrant = { address, span: { start: block.startIndex, end: block.endIndex }, keyResource, grantee, operations, operationsKnown, constrained };
    if (constraint) grant.constraint = constraint;
    if (retiring) grant.retiringPrincipal = retiring;
    (this.cx.source.grants ??= []).push(grant);
    this.cx.source.isPolicyFile = true;
    if (reportInvalidOperations(this.cx.source, operations)) grant.rejected = true;
  }

  /** A module block: the KMS module's inputs are a key policy; other registry modules take a policy as an input. */
  private module(block: SyntaxNode, name: string): void {
    const attributes = new Map([...blockAttributes(block)].map(([name, found]) => [name, found.value]));
    const sourceNode = attributes.get('source');
    const source = sourceNode ? this.cx.values.value(sourceNode, undefined, 0) : undefined;
    if (source?.type !== 'string' || source.parts) return;
    if (isPolicyModuleSource(source.value)) {
      new KmsModuleReader(this.cx, (expression, use) => this.policyValue(expression, use), (input, use) => this.documents.mergedBy(input, use)).read(block, name);
      return;
    }
    const inputs = policyInputsOf(source.value);
    if (!inputs) {
      for (const value of attributes.values()) for (const document of documentsIn(value)) this.documents.passedToModule(document);
      return;
    }
    for (const input of inputs) {
      const value = attributes.get(input.name);
      if (!value) continue;
      // A policy the module attaches only when told: read where the flag is `true`, or an expression that may be.
      const flag = input.when ? attributes.get(input.when) : undefined;
      if (input.when && (!flag || this.cx.values.value(flag, undefined, 0).value === false)) continue;
      this.policyValue(value, { kind: input.kind, address: `module.${name}.${input.name}`, resource: `module.${name}` });
    }
  }

  private isServiceControlPolicy(body: SyntaxNode): boolean {
    for (const item of named(body)) {
      const found = item.type === 'attribute' ? attribute(item) : undefined;
      if (found?.name !== 'type') continue;
      const value = this.cx.values.value(found.value, undefined, 0);
      return value.type === 'string' && value.value === 'SERVICE_CONTROL_POLICY';
    }
    return true;
  }

  /** A resource's policy attribute: which of the shapes it is. */
  private policyValue(expression: SyntaxNode, use: Use, depth = 0): void {
    const { kind, address, resource } = use;
    const path = referencePath(expression);
    if (path && path[0] === 'data' && path[1] === 'aws_iam_policy_document' && path[2] !== undefined) {
      this.documents.use(path[2]).push(use);
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
        const root = this.cx.values.value(argList[0], undefined, 0);
        if (root.type === 'object') this.cx.found.push({ at: root.offset, policy: { root, kind, kindSource: 'host', address, resource, fragment: false } });
      } else if ((name === 'templatefile' || name === 'file') && argList.length >= 1) {
        recordTemplateFile(this.cx, node, name, argList, use);
      }
      return;
    }
    if (node.type === 'template_expr') {
      const template = named(node)[0];
      // "${data.aws_iam_policy_document.x.json}" (Terraform 0.11 style) is the reference itself.
      const parts = template ? named(template).filter((c) => c.type !== 'quoted_template_end') : [];
      const inner = parts.length === 1 && parts[0].type === 'template_interpolation' ? firstNamed(parts[0], 'expression') : undefined;
      if (template?.type === 'quoted_template' && inner && depth < 4) this.policyValue(inner, use, depth + 1);
      else if (template) readJsonPolicy(this.cx, template, use);
    } else if (node.type === 'literal_value') {
      const literal = named(node)[0];
      if (literal?.type === 'string_lit') readJsonPolicy(this.cx, literal, use);
    }
  }
}

/** A name that says its policy is a permissions boundary (`permissions_boundary`, `PermissionsBoundary`). */
const BOUNDARY_NAME = /permissions?[-_ ]?boundary/i;

/** The resource a policy belongs to: an aws_kms_key_policy's is the key its key_id names. */
function policyResource(body: SyntaxNode, type: string, name: string): string {
  if (type === 'aws_kms_key_policy') {
    for (const item of named(body)) {
      const found = item.type === 'attribute' ? attribute(item) : undefined;
      if (found?.name !== 'key_id') continue;
      const path = referencePath(found.value);
      if (path && path.length === 3 && (path[0] === 'aws_kms_key' || path[0] === 'aws_kms_replica_key') && (path[2] === 'id' || path[2] === 'key_id' || path[2] === 'arn')) return `${path[0]}.${path[1]}`;
    }
  }
  return `${type}.${name}`;
}
