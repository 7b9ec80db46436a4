/**
 * The Serverless Framework host: `serverless.yml`. Two places hold policies (Serverless Framework
 * docs, "IAM Permissions For Functions", https://www.serverless.com/framework/docs/providers/aws/guide/iam):
 *
 * - `provider.iam.role.statements` (and the older `provider.iamRoleStatements`): statements that
 *   Serverless merges into the identity policy of the functions' role, read as one statement
 *   fragment of an identity policy;
 * - `resources.Resources`: CloudFormation resources merged into the stack, read by the
 *   CloudFormation host's policy finder (key policies, IAM policies, bucket policies, ...).
 *
 * Both are read with one CloudFormation reader, so intrinsics in the statements (`!GetAtt
 * DataKey.Arn`) know the resources. Serverless variables become unknown parts (variables.ts).
 */
import { detectEol } from '../../engine/text';
import type { HostedPolicy, PolicyNode, PolicySource } from '../../engine/tree';
import type { Finding } from '../../engine/types';
import { findDuplicateKeys } from '../json';
import { TemplateEditor, YamlEditor } from '../cloudformation/editor';
import { findPolicies } from '../cloudformation/policies';
import { deref, member, members, syntheticNode, syntheticObject, syntheticProperty, type TemplateNode } from '../cloudformation/templateTree';
import { intrinsicOf } from '../cloudformation/intrinsics';
import { readYamlTree, reportYamlErrors, type YamlRead } from '../cloudformation/yamlTree';
import { commentSuppressions, metadataSuppressions } from '../cloudformation/suppressions';
import { DIRECTIVE } from '../../engine/suppressions';
import { markVariables, type VariableSources } from './variables';

/** Where the provider's statements sit, each as an address for messages. */
export const STATEMENT_PATHS: { path: string[]; address: string }[] = [
  { path: ['iam', 'role', 'statements'], address: 'provider.iam.role.statements' },
  { path: ['iamRoleStatements'], address: 'provider.iamRoleStatements' },
];

export const KEY_TYPES: ReadonlySet<string> = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/** Logical ids no template can spell (a NUL), for the statements handed to the CloudFormation finder. */
const STATEMENTS_ID = (index: number) => `\u0000serverless-statements-${index}`;

// The PolicySource host union (engine/tree.ts) does not name this host yet.
const HOST_ID = 'serverless' as const;

/** Reads a `serverless.yml` text. A text that is no Serverless service (no mapping) gives no policies. */
export function readServerless(text: string): PolicySource {
  const read = readYamlTree(text, text.includes(DIRECTIVE));
  return reportYamlErrors(readServerlessTree(text, read), read);
}

function readServerlessTree(text: string, read: YamlRead): PolicySource {
  const root = deref(read.root);
  const broken = read.errors > 0;
  if (!root || root.type !== 'object') return source(text, [], [], new YamlEditor(text), broken);

  const statements: { node: TemplateNode; address: string }[] = [];
  const provider = member(root, 'provider');
  for (const { path, address } of STATEMENT_PATHS) {
    let node: TemplateNode | undefined = provider;
    for (const step of path) node = member(node, step);
    node = deref(node);
    // A list of statements; `${file(./statements.yml)}` and the like are unknown until Serverless runs.
    if (node?.type === 'array' && !intrinsicOf(node)) statements.push({ node, address });
  }

  const template = templateOf(root, statements);
  const found = findPolicies(text, template, false);
  const sources = variableSources(root);
  const policies: HostedPolicy[] = [];
  for (const policy of found.policies) {
    const index = statements.findIndex((_, i) => policy.resource === STATEMENTS_ID(i));
    if (index < 0) {
      policies.push(policy);
      continue;
    }
    const array = statementsOf(policy.root);
    if (!array) continue;
    array.parent = undefined;
    policies.push({ root: array, fragment: true, kind: 'identity-policy', kindSource: 'host', address: statements[index].address });
  }
  policies.sort((a, b) => a.root.offset - b.root.offset);
  for (const policy of policies) markVariables(policy.root, sources);

  const findings: Finding[] = found.findings;
  for (const policy of policies) findDuplicateKeys(policy.root, findings);
  for (const finding of findings) {
    finding.start = Math.max(0, Math.min(finding.start, text.length));
    finding.end = Math.max(finding.start, Math.min(finding.end, text.length));
  }
  const editor = new TemplateEditor(new YamlEditor(text), found.frozen, found.embedded, detectEol(text));
  const result = source(text, policies, findings, editor, broken);
  const suppressions = read.comments ? commentSuppressions(text, read.comments, read.root) : [];
  const resources = member(root, 'resources');
  if (resources && text.includes('keyshare')) suppressions.push(...metadataSuppressions(resources));
  if (suppressions.length > 0) result.suppressions = suppressions;
  return result;
}

function source(text: string, policies: HostedPolicy[], findings: Finding[], editor: PolicySource['editor'], broken: boolean): PolicySource {
  return { text, host: HOST_ID, policies, findings, isPolicyFile: policies.length > 0, broken, template: true, editor };
}

/** The array the statements were copied into: the `Statement` of the document built around them. */
function statementsOf(document: PolicyNode): PolicyNode | undefined {
  const property = document.children?.[0];
  const array = property?.children?.[1];
  return property?.children?.[0]?.value === 'Statement' && array?.type === 'array' ? array : undefined;
}

/**
 * A template the CloudFormation finder reads: the resources (and parameters) of `resources`, an
 * object or a list of them, and one `AWS::IAM::Policy` per list of provider statements, so that one
 * reader, knowing every resource, reads them all.
 */
function templateOf(root: TemplateNode, statements: { node: TemplateNode; address: string }[]): TemplateNode {
  const resources: TemplateNode[] = [];
  const parameters: TemplateNode[] = [];
  for (const [name, target] of [['Resources', resources], ['Parameters', parameters]] as const) {
    for (const block of resourcesOf(root, name)) for (const entry of block.children ?? []) if (entry.type === 'property') target.push(entry);
  }
  statements.forEach(({ node }, index) => {
    const document = syntheticObject(node, [syntheticProperty('Statement', node)]);
    const resource = syntheticObject(node, [syntheticProperty('Type', syntheticNode('string', node, 'AWS::IAM::Policy')), syntheticProperty('Properties', syntheticObject(node, [syntheticProperty('PolicyDocument', document)]))]);
    resources.push(syntheticProperty(STATEMENTS_ID(index), resource));
  });
  return syntheticObject(root, [syntheticProperty('Resources', syntheticObject(root, resources)), syntheticProperty('Parameters', syntheticObject(root, parameters))]);
}

/** The `Resources` (or another section) of `resources`: an object, or a list of them (files Serverless reads are unknown). */
export function resourcesOf(root: TemplateNode | undefined, name = 'Resources'): TemplateNode[] {
  const section = deref(member(root, 'resources'));
  const parts = section?.type === 'array' ? (section.children ?? []) : section ? [section] : [];
  const result: TemplateNode[] = [];
  for (const part of parts) {
    const block = deref(member(part, name));
    if (block?.type === 'object') result.push(block);
  }
  return result;
}

/** The variable sources a file adds: the resolvers of its stages (`stages.default.resolvers.<name>`, v4). */
function variableSources(root: TemplateNode): VariableSources {
  const extra = new Set<string>();
  for (const [, , stage] of members(member(root, 'stages'))) {
    for (const [name] of members(member(stage, 'resolvers'))) extra.add(name);
  }
  return { extra };
}
