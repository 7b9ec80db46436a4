/**
 * Terraform's JSON syntax (`*.tf.json`, and what CDK for Terraform synthesizes): the same
 * resources as `.tf` files, written as JSON. Three shapes hold policies:
 * - a resource's policy attribute holding the policy as a JSON string (read by the JSON host's
 *   wrapper reader, with exact spans inside the string), given its kind and address here;
 * - `data.aws_iam_policy_document.<name>`, whose `statement` objects are mapped onto a policy tree
 *   whose values are the JSON's own nodes (`actions` is the Action element, ...): findings land
 *   on the JSON as written, and no fix edits it (the element names differ);
 * - a policy attribute naming that document (`"${data.aws_iam_policy_document.key.json}"`), which
 *   gives the document its kind and address.
 * `${...}` references are unknown values with what the reference means (`aws_kms_key.data.arn` is
 * that key's ARN), as in `.tf` files.
 */
import { isPolicyVariable, POLICY_VARIABLE } from '../../engine/arn';
import { TreeNode, type HostedGrant, type HostedPolicy, type PolicyEditor, type PolicyNode, type PolicySource, type ValuePart } from '../../engine/tree';
import type { PolicyKind, VariableValue } from '../../engine/types';
import { readJsonTemplateTree } from '../cloudformation';
import { deref, member, members, type TemplateNode } from '../cloudformation/templateTree';
import { readJson } from '../json';
import { MAX_NESTING } from '../json/scan';
import { parseStrict } from '../json/strictParse';
import { referencePathPart } from '../terraform/references';
import { joinLiterals } from '../terraform/expressions';
import { reportInvalidOperations } from '../terraform/grants';
import { POLICY_ATTRIBUTE_LIST } from '../terraform/policyAttributes';

/** Reads a `.tf.json` text; undefined when it is no Terraform configuration (no `resource` or `data`). */
export function readTerraformJson(text: string, fileName?: string, inputs?: Readonly<Record<string, VariableValue>>): PolicySource | undefined {
  // One strict parse serves both readings (the template tree here, the JSON host's below).
  const strict = parseStrict(text, MAX_NESTING);
  const root = deref(strict ? (strict.root as TemplateNode) : readJsonTemplateTree(text));
  if (!root || root.type !== 'object' || (!member(root, 'resource') && !member(root, 'data'))) return undefined;
  const source = readJson(text, { fileName, strict });
  source.host = 'terraform-json';
  source.template = true;
  const synthesized = new WeakSet<PolicyNode>();

  // Policies written as JSON strings: their kind and address from the attribute that holds them.
  for (const policy of source.policies) {
    const at = /^resource\.([^.]+)\.([^.]+)\.([^.[\s]+)/.exec(policy.address ?? '');
    const kind = at ? (POLICY_ATTRIBUTE_LIST as Record<string, Record<string, PolicyKind>>)[at[1]]?.[at[3]] : undefined;
    if (at && kind) {
      policy.kind = kind;
      policy.kindSource = 'host';
      policy.address = `${at[1]}.${at[2]}.${at[3]}`;
      policy.resource = `${at[1]}.${at[2]}`;
    }
    markReferences(policy.root);
  }

  // Policy documents, and the attributes that use them.
  const uses = documentUses(root);
  for (const [name, , document] of members(member(member(root, 'data'), 'aws_iam_policy_document'))) {
    const policyRoot = documentTree(document, synthesized);
    if (!policyRoot) continue;
    const use = uses.get(name);
    const hosted: HostedPolicy = { root: policyRoot, address: use?.address ?? `data.aws_iam_policy_document.${name}` };
    if (use) {
      hosted.kind = use.kind;
      hosted.kindSource = 'host';
      hosted.resource = use.resource;
    }
    source.policies.push(hosted);
  }
  source.policies.sort((a, b) => a.root.offset - b.root.offset);
  readGrants(root, source);
  if (inputs) {
    // `--var-file` values: `${var.name}` is its value, as the `.tf` host reads it; the names the file declares are noted.
    for (const policy of source.policies) applyInputs(policy.root, inputs);
    for (const grant of source.grants ?? []) for (const node of [grant.grantee, ...grant.operations]) applyInputs(node, inputs);
    source.declaredInputs = members(member(root, 'variable')).map(([name]) => name);
  }
  if (source.policies.length > 0 || source.grants?.length) source.isPolicyFile = true;
  source.editor = freezing(source.editor, synthesized);
  return source;
}

/** Which resource attribute names each document (`"${data.aws_iam_policy_document.key.json}"`). */
function documentUses(root: TemplateNode): Map<string, { kind: PolicyKind; address: string; resource: string }> {
  const uses = new Map<string, { kind: PolicyKind; address: string; resource: string }>();
  for (const [type, , resources] of members(member(root, 'resource'))) {
    const attributes = (POLICY_ATTRIBUTE_LIST as Record<string, Record<string, PolicyKind>>)[type];
    if (!attributes) continue;
    for (const [name, , body] of members(resources)) {
      for (const [attribute, , value] of members(body)) {
        const kind = attributes[attribute];
        const named = kind && typeof value.value === 'string' ? /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(value.value.trim()) : undefined;
        if (named && !uses.has(named[1])) uses.set(named[1], { kind, address: `${type}.${name}.${attribute}`, resource: `${type}.${name}` });
      }
    }
  }
  return uses;
}

const ELEMENTS: Record<string, string> = { sid: 'Sid', effect: 'Effect', actions: 'Action', not_actions: 'NotAction', resources: 'Resource', not_resources: 'NotResource' };

/** A policy document block as a policy tree over the JSON's own nodes. */
function documentTree(document: TemplateNode, synthesized: WeakSet<PolicyNode>): TreeNode | undefined {
  const statements = deref(member(document, 'statement'));
  if (!statements) return undefined;
  const make = (type: PolicyNode['type'], at: PolicyNode, value?: unknown, parent?: TreeNode): TreeNode => {
    const node = new TreeNode(type, at.offset, at.length, value, parent);
    synthesized.add(node);
    return node;
  };
  const property = (parent: TreeNode, keyAt: PolicyNode, name: string, value: TreeNode) => addProperty(make, parent, keyAt, name, value);
  const root = make('object', document);
  const version = member(document, 'version');
  const versionKey = keyOf(document, 'version');
  // The provider's default version; a zero-length span where the document starts.
  property(root, versionKey ?? { ...document, length: 0 }, 'Version', version ? copy(version, synthesized) : make('string', { ...document, length: 0 }, '2012-10-17'));
  const list = make('array', statements);
  property(root, keyOf(document, 'statement')!, 'Statement', list);
  for (const raw of statements.type === 'array' ? (statements.children ?? []) : [statements]) {
    const statement = deref(raw);
    if (!statement || statement.type !== 'object') continue;
    const node = make('object', statement, undefined, list);
    (list.children ??= []).push(node);
    let hasEffect = false;
    for (const [name, key, value] of members(statement)) {
      // `null` is unset, as in the provider (`"effect": null` is Allow).
      if (deref(value)?.type === 'null') continue;
      const element = ELEMENTS[name];
      if (element) {
        hasEffect ||= element === 'Effect';
        property(node, key, element, copy(value, synthesized));
      } else if (name === 'principals' || name === 'not_principals') {
        property(node, key, name === 'principals' ? 'Principal' : 'NotPrincipal', principalTree(value, make, synthesized));
      } else if (name === 'condition') {
        property(node, key, 'Condition', conditionTree(value, make, synthesized));
      }
    }
    // The provider's default effect: Allow, where the statement starts.
    if (!hasEffect) property(node, { ...statement, length: 0 }, 'Effect', make('string', { ...statement, length: 0 }, 'Allow'));
  }
  return root;
}

type Make = (type: PolicyNode['type'], at: PolicyNode, value?: unknown, parent?: TreeNode) => TreeNode;

/** `[{ "type": "AWS", "identifiers": [...] }]` as `{ "AWS": [...] }`, one key per type. */
function principalTree(value: TemplateNode, make: Make, synthesized: WeakSet<PolicyNode>): TreeNode {
  const entries = value.type === 'array' ? (value.children ?? []) : [value];
  // `{ type = "*", identifiers = ["*"] }` is the provider's spelling of `"Principal": "*"`.
  const everyone = entries.map((raw) => deref(member(deref(raw), 'type'))).find((type) => type?.value === '*');
  if (everyone) return make('string', everyone, '*');
  const object = make('object', value);
  for (const raw of entries) {
    const entry = deref(raw);
    const type = deref(member(entry, 'type'));
    const identifiers = deref(member(entry, 'identifiers'));
    if (!type || !identifiers || typeof type.value !== 'string') continue;
    addProperty(make, object, type, type.value, copy(identifiers, synthesized));
  }
  return object;
}

/** `[{ "test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": [...] }]` as `{ "StringEquals": { "aws:PrincipalOrgID": [...] } }`. */
function conditionTree(value: TemplateNode, make: Make, synthesized: WeakSet<PolicyNode>): TreeNode {
  const object = make('object', value);
  const blocks = new Map<string, TreeNode>();
  for (const raw of value.type === 'array' ? (value.children ?? []) : [value]) {
    const entry = deref(raw);
    const test = deref(member(entry, 'test'));
    const variable = deref(member(entry, 'variable'));
    const values = deref(member(entry, 'values'));
    if (!test || !variable || !values || typeof test.value !== 'string' || typeof variable.value !== 'string') continue;
    let block = blocks.get(test.value);
    if (!block) {
      block = make('object', entry!);
      addProperty(make, object, test, test.value, block);
      blocks.set(test.value, block);
    }
    addProperty(make, block, variable, variable.value, copy(values, synthesized));
  }
  return object;
}

/** Adds `name: value` to a mapped object, the key's span on the JSON key (or value) it stands for. */
function addProperty(make: Make, parent: TreeNode, keyAt: PolicyNode, name: string, value: TreeNode): void {
  const prop = make('property', keyAt, undefined, parent);
  prop.length = Math.max(keyAt.length, value.offset + value.length - keyAt.offset);
  prop.children = [make('string', keyAt, name, prop), value];
  value.parent = prop;
  (parent.children ??= []).push(prop);
}

/** The key node of a member, for spans. */
function keyOf(object: TemplateNode, name: string): TemplateNode | undefined {
  for (const [memberName, key] of members(object)) if (memberName === name) return key;
  return undefined;
}

/** A JSON value as policy-tree nodes, references marked. */
function copy(node: TemplateNode, synthesized: WeakSet<PolicyNode>, parent?: TreeNode): TreeNode {
  const result = new TreeNode(node.type, node.offset, node.length, node.value, parent);
  synthesized.add(result);
  if (node.children) result.children = node.children.map((child) => copy(child, synthesized, result));
  if (result.type === 'string') markReference(result);
  return result;
}

/** Every string of a tree: `${aws_kms_key.data.arn}` and the like become unknown parts with their meaning. */
function markReferences(root: PolicyNode): void {
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'string') markReference(node);
    if (node.children) stack.push(...node.children);
  }
}

function markReference(node: PolicyNode): void {
  if (node.parts || typeof node.value !== 'string' || !node.value.includes('${')) return;
  const value: string = node.value;
  const parts: ValuePart[] = [];
  let cursor = 0;
  for (const match of value.matchAll(POLICY_VARIABLE)) {
    const inner = match[0].slice(2, -1);
    // IAM's own policy variables (${aws:username}) stay as written.
    if (isPolicyVariable(inner)) continue;
    if (match.index! > cursor) parts.push({ literal: value.slice(cursor, match.index) });
    const path = /^[A-Za-z_][\w-]*(\.[\w-]+)+$/.test(inner.trim()) ? inner.trim().split('.') : undefined;
    parts.push(referencePathPart(path, inner.trim()));
    cursor = match.index! + match[0].length;
  }
  if (parts.length === 0) return;
  if (cursor < value.length) parts.push({ literal: value.slice(cursor) });
  node.parts = parts;
}

/** The parts `var.<name>` of every string under `root` that `inputs` gives a string for, as that string. */
function applyInputs(root: PolicyNode, inputs: Readonly<Record<string, VariableValue>>): void {
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children) stack.push(...node.children);
    if (node.type !== 'string' || !node.parts) continue;
    let changed = false;
    const parts = node.parts.map((part): ValuePart => {
      const name = 'unknown' in part && part.unknown.startsWith('var.') ? part.unknown.slice(4) : undefined;
      const value = name !== undefined && Object.prototype.hasOwnProperty.call(inputs, name) ? inputs[name] : undefined;
      if (typeof value !== 'string') return part;
      changed = true;
      return { literal: value };
    });
    if (!changed) continue;
    // Still parts (the text names the variable), so no fix rewrites it.
    node.parts = joinLiterals(parts);
    node.value = node.parts.map((p) => ('literal' in p ? p.literal : '${' + p.unknown + '}')).join('');
  }
}

/** `resource.aws_kms_grant`: the grants, as the `.tf` host reads them, and each operation no grant allows as an error. */
function readGrants(root: TemplateNode, source: PolicySource): void {
  for (const [name, , body] of members(member(member(root, 'resource'), 'aws_kms_grant'))) {
    const grantee = deref(member(body, 'grantee_principal'));
    if (!grantee) continue;
    const key = deref(member(body, 'key_id'));
    const keyNode = key ? copy(key, new WeakSet()) : undefined;
    const keyPart = keyNode?.parts?.length === 1 ? keyNode.parts[0] : undefined;
    const operationsNode = deref(member(body, 'operations'));
    const operations = operationsNode?.type === 'array' ? (operationsNode.children ?? []).map((n) => copy(n, new WeakSet())) : [];
    const grant: HostedGrant = {
      address: `aws_kms_grant.${name}`,
      span: { start: body.offset, end: body.offset + body.length },
      keyResource: keyPart && 'unknown' in keyPart && (keyPart.meaning === 'key-arn' || keyPart.meaning === 'key-id') ? keyPart.resource : undefined,
      grantee: copy(grantee, new WeakSet()),
      operations,
      operationsKnown: operationsNode?.type === 'array' && operations.every((o) => o.type === 'string' && !o.parts),
      constrained: !!member(body, 'constraints'),
    };
    if (reportInvalidOperations(source, operations)) grant.rejected = true;
    (source.grants ??= []).push(grant);
  }
}

/** The host's editor, refusing the nodes of a mapped policy document (their element names are not the JSON's keys). */
function freezing(editor: PolicyEditor, frozen: WeakSet<PolicyNode>): PolicyEditor {
  const base = editor.canEdit?.bind(editor);
  return Object.assign(Object.create(editor) as PolicyEditor, { canEdit: (node: PolicyNode) => !frozen.has(node) && (base ? base(node) : true) });
}
