/**
 * Ansible playbooks and task files: the policies that the AWS collection's modules take
 * (`amazon.aws.kms_key`'s `policy`, `iam_policy`'s `policy_json`, `iam_managed_policy`'s
 * `policy`, `iam_role`'s `assume_role_policy_document`), written as a YAML mapping or as JSON
 * text. They are read through the CloudFormation finder as the resource CloudFormation would
 * spell, so spans, JSON strings and fixes work the same way. A value that is one Jinja expression
 * (`"{{ lookup('file', 'policy.json') }}"`) is left alone: the file it reads is checked on its own.
 * Jinja inside a value (`arn:aws:iam::{{ account_id }}:root`) is an unknown part.
 */
import type { PolicySource } from '../../engine/tree';
import { markForeignPlaceholders } from '../json/template';
import { YamlEditor } from '../cloudformation/editor';
import { readAsTemplate } from '../cloudformation/synthetic';
import { deref, member, members, scalarText, syntheticNode, syntheticObject, syntheticProperty, type TemplateNode } from '../cloudformation/templateTree';
import { readYamlTree, reportYamlErrors } from '../cloudformation/yamlTree';

/** Per module (by its short name): the parameter that holds a policy, as the CloudFormation resource and property that hold the same. */
const MODULES: Record<string, { parameter: string; cfn: string; property: string }> = {
  kms_key: { parameter: 'policy', cfn: 'AWS::KMS::Key', property: 'KeyPolicy' },
  aws_kms: { parameter: 'policy', cfn: 'AWS::KMS::Key', property: 'KeyPolicy' },
  iam_policy: { parameter: 'policy_json', cfn: 'AWS::IAM::Policy', property: 'PolicyDocument' },
  iam_managed_policy: { parameter: 'policy', cfn: 'AWS::IAM::ManagedPolicy', property: 'PolicyDocument' },
  iam_role: { parameter: 'assume_role_policy_document', cfn: 'AWS::IAM::Role', property: 'AssumeRolePolicyDocument' },
  s3_bucket: { parameter: 'policy', cfn: 'AWS::S3::BucketPolicy', property: 'PolicyDocument' },
};

/** The collections whose modules these are (`amazon.aws.kms_key`, the older `community.aws.kms_key`, or the short name). */
const COLLECTIONS = ['amazon.aws.', 'community.aws.', ''];

/** Whether a text may hold such a task: one search before any parse. */
export function mayBeAnsible(text: string): boolean {
  return /(^|[\s.])(kms_key|aws_kms|iam_policy|iam_managed_policy|iam_role|s3_bucket)\s*:/m.test(text) && /^\s*-\s/m.test(text);
}

/** Reads the policies of an Ansible YAML text; undefined when it holds no task of these modules. */
export function readAnsible(text: string): PolicySource | undefined {
  const read = readYamlTree(text);
  const root = deref(read.root);
  if (!root || root.type !== 'array') return undefined;
  const tasks: { task: TemplateNode; module: string; arguments: TemplateNode }[] = [];
  collectTasks(root, tasks, 0);
  if (tasks.length === 0) return undefined;

  const template: TemplateNode[] = [];
  const addresses = new Map<string, string>();
  tasks.forEach(({ task, module, arguments: args }, index) => {
    const spec = MODULES[module];
    const value = deref(member(args, spec.parameter));
    // One Jinja expression (a lookup, a variable): what it reads is not here.
    if (!value || (value.type === 'string' && /^\s*\{\{[\s\S]*\}\}\s*$/.test(String(value.value)))) return;
    const id = `task${index}`;
    const name = scalarText(member(task, 'name'));
    addresses.set(`${id} ${spec.property}`, `${name ? `task "${name}"` : `${module} task ${index + 1}`} ${spec.parameter}`);
    template.push(syntheticProperty(id, syntheticObject(task, [syntheticProperty('Type', syntheticNode('string', task, spec.cfn)), syntheticProperty('Properties', syntheticObject(args, [syntheticProperty(spec.property, value)]))])));
  });
  const editor = new YamlEditor(text);
  const source: PolicySource = { text, host: 'ansible', policies: [], findings: [], isPolicyFile: false, broken: read.errors > 0, template: true, editor };
  if (template.length === 0) return reportYamlErrors(source, read);
  readAsTemplate(source, root, template, editor, (address) => addresses.get(address));
  for (const policy of source.policies) {
    policy.resource = undefined;
    // Jinja (`{{ account_id }}`) is rendered before AWS sees the policy: an unknown part.
    if (text.includes('{{')) markForeignPlaceholders(policy.root);
  }
  return reportYamlErrors(source, read);
}

/** Tasks of these modules in a playbook (plays' tasks, handlers, blocks) or a task file, in text order. */
function collectTasks(list: TemplateNode, into: { task: TemplateNode; module: string; arguments: TemplateNode }[], depth: number): void {
  if (depth > 8) return;
  for (const raw of list.children ?? []) {
    const item = deref(raw);
    if (!item || item.type !== 'object') continue;
    for (const [key, , value] of members(item)) {
      const inner = deref(value);
      if (['tasks', 'pre_tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always'].includes(key) && inner?.type === 'array') {
        collectTasks(inner, into, depth + 1);
        continue;
      }
      const module = COLLECTIONS.map((prefix) => (key.startsWith(prefix) ? key.slice(prefix.length) : undefined)).find((name) => name !== undefined && name in MODULES);
      if (module && inner?.type === 'object') into.push({ task: item, module, arguments: inner });
    }
  }
}
