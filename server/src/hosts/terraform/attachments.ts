/**
 * Which policies of a Terraform module a role or user gets: the `inline_policy` blocks of an
 * `aws_iam_role` whose `name` is the principal's name, the `aws_iam_role_policy` resources whose
 * `role` names it (by reference to that role or by the name itself), and the `aws_iam_policy`
 * resources that `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment` or the role's
 * `managed_policy_arns` attach to it; likewise for users. Answers the resource addresses whose
 * policies apply (`aws_iam_role.app`, `aws_iam_role_policy.decrypt`, `aws_iam_policy.encrypt`).
 */
import { blockHeaderAt, decodeQuoted, forEachTopLevelBlock, walkModule } from './index';
import { literalString } from './expressions';
import type { TemplateKeyFacts } from '../host';
import { copySubtree, firstNamed, named, referencePath, unwrap, type SyntaxNode, type TerraformParser } from './syntax';

interface Resource {
  type: string;
  name: string;
  attributes: Map<string, SyntaxNode>;
}

const TYPES = {
  role: { principal: 'aws_iam_role', inline: 'aws_iam_role_policy', field: 'role', attachment: 'aws_iam_role_policy_attachment', list: 'roles' },
  user: { principal: 'aws_iam_user', inline: 'aws_iam_user_policy', field: 'user', attachment: 'aws_iam_user_policy_attachment', list: 'users' },
} as const;

const READ = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_key_policy', 'aws_kms_alias', 'aws_iam_role', 'aws_iam_user', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_policy_attachment']);

/** Resource addresses of the module whose policies apply to the role or user `name`; empty without the grammar or on any error. */
export function attachedTerraformPolicies(text: string, parser: TerraformParser | undefined, kind: 'role' | 'user', name: string): string[] {
  const types = TYPES[kind];
  const resources = readResources(text, parser);
  const principals = new Set<string>();
  const result = new Set<string>();
  for (const r of resources) {
    if (r.type !== types.principal || literalString(r.attributes.get('name'), text) !== name) continue;
    principals.add(r.name);
    result.add(`${r.type}.${r.name}`);
    for (const arn of elements(r.attributes.get('managed_policy_arns'))) addPolicy(result, arn);
  }
  // `role = aws_iam_role.app.name` (or .id), or the name written out.
  const names = (expression: SyntaxNode | undefined): boolean => {
    if (!expression) return false;
    const path = referencePath(expression);
    if (path && path.length === 3 && path[0] === types.principal && principals.has(path[1]) && (path[2] === 'name' || path[2] === 'id')) return true;
    return literalString(expression, text) === name;
  };
  for (const r of resources) {
    if (r.type === types.inline && names(r.attributes.get(types.field))) result.add(`${r.type}.${r.name}`);
    else if (r.type === types.attachment && names(r.attributes.get(types.field))) addPolicy(result, r.attributes.get('policy_arn'));
    else if (r.type === 'aws_iam_policy_attachment' && elements(r.attributes.get(types.list)).some(names)) addPolicy(result, r.attributes.get('policy_arn'));
  }
  return [...result];
}

/**
 * Whether `address` (`aws_kms_key.data`) is a key of the module without a policy, neither its own
 * `policy` argument nor an `aws_kms_key_policy` for it: it then gets the default key policy.
 */
export function isTerraformKeyWithoutPolicy(text: string, parser: TerraformParser | undefined, address: string): boolean {
  const [type, name] = address.split('.');
  if ((type !== 'aws_kms_key' && type !== 'aws_kms_replica_key') || !name) return false;
  const resources = readResources(text, parser);
  const key = resources.find((r) => r.type === type && r.name === name);
  if (!key || key.attributes.has('policy')) return false;
  return !resources.some((r) => {
    if (r.type !== 'aws_kms_key_policy') return false;
    const keyId = r.attributes.get('key_id');
    const path = keyId && referencePath(keyId);
    return !!path && path[0] === type && path[1] === name;
  });
}

/** The `aws_iam_policy` a role's or user's `permissions_boundary` references (`aws_iam_policy.boundary.arn`), for the role or user `name`. */
export function terraformBoundary(text: string, parser: TerraformParser | undefined, kind: 'role' | 'user', name: string): string | undefined {
  const types = TYPES[kind];
  for (const r of readResources(text, parser)) {
    if (r.type !== types.principal || literalString(r.attributes.get('name'), text) !== name) continue;
    const boundary = r.attributes.get('permissions_boundary');
    const path = boundary && referencePath(boundary);
    return path && path.length === 3 && path[0] === 'aws_iam_policy' && path[2] === 'arn' ? `aws_iam_policy.${path[1]}` : undefined;
  }
  return undefined;
}

/** Key arguments as the condition keys that read them, with CreateKey's defaults (KMS API Reference, CreateKey; the provider passes them on). */
const KEY_ARGUMENTS: [argument: string, conditionKey: string, fallback: string][] = [
  ['customer_master_key_spec', 'kms:keyspec', 'SYMMETRIC_DEFAULT'],
  ['key_usage', 'kms:keyusage', 'ENCRYPT_DECRYPT'],
  ['multi_region', 'kms:multiregion', 'false'],
];

/** The module's key `address`: its arguments as condition keys, and the `aws_kms_alias` resources that target it. */
export function terraformKeyFacts(text: string, parser: TerraformParser | undefined, address: string): TemplateKeyFacts | undefined {
  const [type, name] = address.split('.');
  if ((type !== 'aws_kms_key' && type !== 'aws_kms_replica_key') || !name) return undefined;
  const resources = readResources(text, parser);
  const key = resources.find((r) => r.type === type && r.name === name);
  if (!key) return undefined;
  const properties: Record<string, string> = {};
  if (type === 'aws_kms_replica_key') properties['kms:multiregion'] = 'true';
  else {
    for (const [argument, conditionKey, fallback] of KEY_ARGUMENTS) {
      const written = key.attributes.get(argument);
      // A value the module computes (a variable, a conditional) is left unknown.
      const value = written ? (literalString(written, text) ?? boolean(written)) : fallback;
      if (value !== undefined) properties[conditionKey] = value;
    }
    // A key in a custom key store has another origin; without one, CreateKey's default, AWS_KMS.
    if (!key.attributes.has('custom_key_store_id')) properties['kms:keyorigin'] = 'AWS_KMS';
  }
  const aliases: string[] = [];
  for (const r of resources) {
    if (r.type !== 'aws_kms_alias') continue;
    const target = r.attributes.get('target_key_id');
    const path = target && referencePath(target);
    const alias = literalString(r.attributes.get('name'), text);
    if (alias && path && path[0] === type && path[1] === name) aliases.push(alias);
  }
  return { properties, aliases };
}

/** A literal `true` or `false`. */
function boolean(expression: SyntaxNode): string | undefined {
  const value = unwrap(expression);
  const literalValue = value.type === 'literal_value' ? firstNamed(value, 'bool_lit') : undefined;
  return literalValue ? literalValue.text : undefined;
}

/** `aws_iam_policy.encrypt.arn` attaches the policy `aws_iam_policy.encrypt`. */
function addPolicy(result: Set<string>, arn: SyntaxNode | undefined): void {
  const path = arn && referencePath(arn);
  if (path && path.length === 3 && path[0] === 'aws_iam_policy' && (path[2] === 'arn' || path[2] === 'id')) result.add(`${path[0]}.${path[1]}`);
}

/** The elements of a tuple (`[a, b]`); none for anything else. */
function elements(expression: SyntaxNode | undefined): SyntaxNode[] {
  if (!expression) return [];
  const value = unwrap(expression);
  const tuple = value.type === 'collection_value' ? named(value)[0] : undefined;
  return tuple?.type === 'tuple' ? named(tuple).filter((e) => e.type === 'expression') : [];
}

/** The module's top-level resources of the types above, with their attributes. */
function readResources(text: string, parser: TerraformParser | undefined): Resource[] {
  const resources: Resource[] = [];
  const read = walkModule(parser, text, (cursor) => {
    forEachTopLevelBlock(cursor, (at) => {
      const [block, type] = blockHeaderAt(at, text);
      if (block !== 'resource' || !READ.has(type)) return;
      const copy = copySubtree(at, text);
      const labels = named(copy).filter((c) => c.type === 'string_lit');
      // `resource "aws_kms_key" "data" {}` has no body at all: a resource with no attributes.
      const body = firstNamed(copy, 'body');
      if (labels.length < 2) return;
      const attributes = new Map<string, SyntaxNode>();
      for (const item of body ? named(body) : []) {
        if (item.type !== 'attribute') continue;
        const key = firstNamed(item, 'identifier');
        const value = firstNamed(item, 'expression');
        if (key && value) attributes.set(key.text, value);
      }
      resources.push({ type, name: decodeQuoted(text.slice(labels[1].startIndex + 1, labels[1].endIndex - 1)), attributes });
    });
    return true;
  });
  return read ? resources : [];
}
