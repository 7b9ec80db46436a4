/**
 * Which policies of a template a role or user gets: the inline `Policies` of an AWS::IAM::Role
 * or User whose RoleName / UserName is the principal's name, and the AWS::IAM::ManagedPolicy and
 * AWS::IAM::Policy resources whose `Roles` / `Users` name it (by `!Ref` of that resource, or by
 * name) or that its `ManagedPolicyArns` reference. Answers the logical ids whose policies apply.
 */
import { readJsonTemplateTree } from './index';
import { intrinsicOf, type Intrinsic } from './intrinsics';
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
  for (const [id, , resource] of resources) {
    const resourceType = scalarText(member(resource, 'Type'));
    if (resourceType !== 'AWS::IAM::ManagedPolicy' && resourceType !== 'AWS::IAM::Policy') continue;
    for (const entry of deref(member(member(resource, 'Properties'), listField))?.children ?? []) {
      const ref = refOf(entry);
      if ((ref && principals.has(ref)) || scalarText(entry) === name) result.add(id);
    }
  }
  return [...result];
}

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/** Whether the template's resource `id` is a KMS key without a KeyPolicy (it then gets the default key policy). */
export function isTemplateKeyWithoutPolicy(text: string, json: boolean, id: string): boolean {
  const root = json ? readJsonTemplateTree(text) : readYamlTree(text).root;
  const resource = member(member(root, 'Resources'), id);
  if (!KEY_TYPES.has(scalarText(member(resource, 'Type')) ?? '')) return false;
  return member(member(resource, 'Properties'), 'KeyPolicy') === undefined;
}
