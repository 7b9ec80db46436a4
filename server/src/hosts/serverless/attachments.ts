/**
 * What `explain` asks of a service file: which of its policies apply to a role, and whether a key
 * of its resources has no key policy of its own.
 */
import { KEY_TYPES, STATEMENT_PATHS, resourcesOf } from './index';
import { deref, member, scalarText, type TemplateNode } from '../cloudformation/templateTree';
import { readYamlTree } from '../cloudformation/yamlTree';

/** A value the file spells out, not one Serverless fills in. */
function literal(node: TemplateNode | undefined): string | undefined {
  const text = scalarText(node);
  return text !== undefined && !text.includes('${') ? text : undefined;
}

/**
 * Whether `name` is the name of the functions' role: `provider.iam.role.name`, else Serverless's
 * default `<service>-<stage>-<region>-lambdaRole` (a stage or region the file leaves to the
 * command line may be any).
 */
function isFunctionsRole(root: TemplateNode | undefined, name: string): boolean {
  const provider = member(root, 'provider');
  const role = member(member(provider, 'iam'), 'role');
  const named = member(role, 'name');
  if (named !== undefined) return literal(named) === name;
  const service = literal(member(root, 'service')) ?? literal(member(member(root, 'service'), 'name'));
  if (service === undefined || !name.startsWith(`${service}-`) || !name.endsWith('-lambdaRole')) return false;
  const middle = name.slice(service.length + 1, -'-lambdaRole'.length);
  const match = /^(.+)-([a-z]{2}(?:-[a-z]+)+-\d+)$/.exec(middle);
  if (!match) return false;
  const stage = literal(member(provider, 'stage'));
  const region = literal(member(provider, 'region'));
  return (stage === undefined || stage === match[1]) && (region === undefined || region === match[2]);
}

/** The addresses of the provider statements that apply to the role `name` (the functions' role). */
export function attachedServerlessPolicies(text: string, kind: 'role' | 'user', name: string): string[] {
  if (kind !== 'role') return [];
  const root = deref(readYamlTree(text).root);
  if (!isFunctionsRole(root, name)) return [];
  const provider = member(root, 'provider');
  const result: string[] = [];
  for (const { path, address } of STATEMENT_PATHS) {
    let node = provider;
    for (const step of path) node = member(node, step);
    if (deref(node)?.type === 'array') result.push(address);
  }
  return result;
}

/** Whether the resource `id` of `resources.Resources` is a KMS key without a KeyPolicy (it then gets the default key policy). */
export function isServerlessKeyWithoutPolicy(text: string, id: string): boolean {
  const root = deref(readYamlTree(text).root);
  let found: TemplateNode | undefined;
  for (const resources of resourcesOf(root)) found = member(resources, id) ?? found;
  if (!KEY_TYPES.has(scalarText(member(found, 'Type')) ?? '')) return false;
  return member(member(found, 'Properties'), 'KeyPolicy') === undefined;
}
