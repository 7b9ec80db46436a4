/**
 * Which policies of a template a role or user gets: the inline `Policies` of an AWS::IAM::Role
 * or User whose RoleName / UserName is the principal's name, and the AWS::IAM::ManagedPolicy and
 * AWS::IAM::Policy resources whose `Roles` / `Users` name it (by `!Ref` of that resource, or by
 * name) or that its `ManagedPolicyArns` reference, and the AWS::IAM::RolePolicy / UserPolicy whose
 * `RoleName` / `UserName` names it. Answers the logical ids whose policies apply.
 */
import { readJsonTemplateTree } from './index';
import { intrinsicOf, type Intrinsic } from './intrinsics';
import type { TemplateKeyFacts } from '../host';
import { deref, member, members, scalarText, type TemplateNode } from './templateTree';
import { readYamlTree } from './yamlTree';

const refOf = (node: TemplateNode | undefined): string | undefined => {
  const intrinsic: Intrinsic | undefined = intrinsicOf(node);
  return intrinsic?.name === 'Ref' ? scalarText(intrinsic.argument) : undefined;
};

/** Logical ids of the template's resources whose policies apply to the role or user `name`. */
export function attachedPolicyResources(text: string, json: boolean, kind: 'role' | 'user', name: string): string[] {
  const root = json ? readJsonTemplateTree(text) : readYamlTree(text).root;
  const resources = members(member(root, 'Resources'));
  const type = kind === 'role' ? 'AWS::IAM::Role' : 'AWS::IAM::User';
  const nameField = kind === 'role' ? 'RoleName' : 'UserName';
  const listField = kind === 'role' ? 'Roles' : 'Users';
  const principals = new Set<string>();
  const result = new Set<string>();
  for (const [id, , resource] of resources) {
    if (scalarText(member(resource, 'Type')) !== type) continue;
    if (scalarText(member(member(resource, 'Properties'), nameField)) !== name) continue;
    principals.add(id);
    result.add(id);
    for (const arn of deref(member(member(resource, 'Properties'), 'ManagedPolicyArns'))?.children ?? []) {
      const ref = refOf(arn);
      if (ref) result.add(ref);
    }
  }
  // AWS::IAM::RolePolicy / UserPolicy: the inline policy of the one role or user its RoleName / UserName names.
  const inlineType = kind === 'role' ? 'AWS::IAM::RolePolicy' : 'AWS::IAM::UserPolicy';
  for (const [id, , resource] of resources) {
    const resourceType = scalarText(member(resource, 'Type'));
    if (resourceType === inlineType) {
      const target = member(member(resource, 'Properties'), nameField);
      const ref = refOf(target);
      if ((ref && principals.has(ref)) || scalarText(target) === name) result.add(id);
      continue;
    }
    if (resourceType !== 'AWS::IAM::ManagedPolicy' && resourceType !== 'AWS::IAM::Policy') continue;
    for (const entry of deref(member(member(resource, 'Properties'), listField))?.children ?? []) {
      const ref = refOf(entry);
      if ((ref && principals.has(ref)) || scalarText(entry) === name) result.add(id);
    }
  }
  return [...result];
}

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/** The AWS::IAM::ManagedPolicy a role's or user's `PermissionsBoundary` names (`!Ref Boundary`), for the role or user `name`. */
export function templateBoundary(text: string, json: boolean, kind: 'role' | 'user', name: string): string | undefined {
  const root = json ? readJsonTemplateTree(text) : readYamlTree(text).root;
  const resources = member(root, 'Resources');
  const type = kind === 'role' ? 'AWS::IAM::Role' : 'AWS::IAM::User';
  const nameField = kind === 'role' ? 'RoleName' : 'UserName';
  for (const [, , resource] of members(resources)) {
    if (scalarText(member(resource, 'Type')) !== type || scalarText(member(member(resource, 'Properties'), nameField)) !== name) continue;
    const target = refOf(member(member(resource, 'Properties'), 'PermissionsBoundary'));
    return target && scalarText(member(member(resources, target), 'Type')) === 'AWS::IAM::ManagedPolicy' ? target : undefined;
  }
  return undefined;
}

/** Key properties as the condition keys that read them, with CreateKey's defaults (KMS API Reference, CreateKey). */
const KEY_PROPERTIES: [property: string, conditionKey: string, fallback: string][] = [
  ['KeySpec', 'kms:keyspec', 'SYMMETRIC_DEFAULT'],
  ['KeyUsage', 'kms:keyusage', 'ENCRYPT_DECRYPT'],
  ['MultiRegion', 'kms:multiregion', 'false'],
  ['Origin', 'kms:keyorigin', 'AWS_KMS'],
];

/** The template's key `id`: its properties as condition keys, and the AWS::KMS::Alias resources that target it. */
export function templateKeyFacts(text: string, json: boolean, id: string): TemplateKeyFacts | undefined {
  const root = json ? readJsonTemplateTree(text) : readYamlTree(text).root;
  const resources = member(root, 'Resources');
  const resource = member(resources, id);
  const type = scalarText(member(resource, 'Type')) ?? '';
  if (!KEY_TYPES.has(type)) return undefined;
  const props = member(resource, 'Properties');
  const properties: Record<string, string> = {};
  for (const [property, conditionKey, fallback] of KEY_PROPERTIES) {
    const written = member(props, property);
    // A value the template computes (!Ref, !If) is left unknown; a replica key is multi-Region by definition.
    const value = written === undefined ? (type === 'AWS::KMS::ReplicaKey' && property === 'MultiRegion' ? 'true' : type === 'AWS::KMS::ReplicaKey' ? undefined : fallback) : intrinsicOf(written) ? undefined : scalarText(written);
    if (value !== undefined) properties[conditionKey] = property === 'MultiRegion' ? value.toLowerCase() : value;
  }
  const aliases: string[] = [];
  for (const [, , alias] of members(resources)) {
    if (scalarText(member(alias, 'Type')) !== 'AWS::KMS::Alias') continue;
    const target = intrinsicOf(member(member(alias, 'Properties'), 'TargetKeyId'));
    const name = scalarText(member(member(alias, 'Properties'), 'AliasName'));
    if (!target || !name) continue;
    const named = target.name === 'Ref' ? scalarText(target.argument) : target.name === 'Fn::GetAtt' ? getAttTarget(target.argument) : undefined;
    if (named === id) aliases.push(name);
  }
  return { properties, aliases };
}

/** The resource of `!GetAtt Key.Arn` / `Fn::GetAtt: [Key, KeyId]`. */
function getAttTarget(argument: TemplateNode): string | undefined {
  const text = scalarText(argument);
  if (text !== undefined) return text.split('.')[0];
  return scalarText(deref(argument)?.children?.[0]);
}

/** Whether the template's resource `id` is a KMS key without a KeyPolicy (it then gets the default key policy). */
export function isTemplateKeyWithoutPolicy(text: string, json: boolean, id: string): boolean {
  const root = json ? readJsonTemplateTree(text) : readYamlTree(text).root;
  const resource = member(member(root, 'Resources'), id);
  if (!KEY_TYPES.has(scalarText(member(resource, 'Type')) ?? '')) return false;
  return member(member(resource, 'Properties'), 'KeyPolicy') === undefined;
}
