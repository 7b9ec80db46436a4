/**
 * Pulumi YAML (`Pulumi.yaml`): the policies of its `resources`, each `type` the AWS provider's
 * (`aws:kms:Key`, `aws:iam:Policy`, ...). A policy is written as `fn::toJSON: { ... }`, as a JSON
 * string, or as a mapping; it is read through the CloudFormation finder, as the resource
 * CloudFormation would spell it, so intrinsic-free YAML, JSON strings and fixes work the same way.
 * `${resource.property}` interpolations are unknown values.
 */
import type { PolicySource } from '../../engine/tree';
import { YamlEditor } from '../cloudformation/editor';
import { readAsTemplate } from '../cloudformation/synthetic';
import { deref, member, members, syntheticNode, syntheticObject, syntheticProperty, type TemplateNode } from '../cloudformation/templateTree';
import { readYamlTree, reportYamlErrors, type YamlRead } from '../cloudformation/yamlTree';

/** Per AWS provider type: its policy properties, as the CloudFormation resource that has the same property. */
const POLICY_TYPES: Record<string, { cfn: string; properties: Record<string, string> }> = {
  'aws:kms/key:Key': { cfn: 'AWS::KMS::Key', properties: { policy: 'KeyPolicy' } },
  'aws:kms:Key': { cfn: 'AWS::KMS::Key', properties: { policy: 'KeyPolicy' } },
  'aws:kms/keyPolicy:KeyPolicy': { cfn: 'AWS::KMS::Key', properties: { policy: 'KeyPolicy' } },
  'aws:kms:KeyPolicy': { cfn: 'AWS::KMS::Key', properties: { policy: 'KeyPolicy' } },
  'aws:iam/policy:Policy': { cfn: 'AWS::IAM::ManagedPolicy', properties: { policy: 'PolicyDocument' } },
  'aws:iam:Policy': { cfn: 'AWS::IAM::ManagedPolicy', properties: { policy: 'PolicyDocument' } },
  'aws:iam/rolePolicy:RolePolicy': { cfn: 'AWS::IAM::Policy', properties: { policy: 'PolicyDocument' } },
  'aws:iam:RolePolicy': { cfn: 'AWS::IAM::Policy', properties: { policy: 'PolicyDocument' } },
  'aws:iam:UserPolicy': { cfn: 'AWS::IAM::Policy', properties: { policy: 'PolicyDocument' } },
  'aws:iam:GroupPolicy': { cfn: 'AWS::IAM::Policy', properties: { policy: 'PolicyDocument' } },
  'aws:iam/role:Role': { cfn: 'AWS::IAM::Role', properties: { assumeRolePolicy: 'AssumeRolePolicyDocument' } },
  'aws:iam:Role': { cfn: 'AWS::IAM::Role', properties: { assumeRolePolicy: 'AssumeRolePolicyDocument' } },
  'aws:s3:BucketPolicy': { cfn: 'AWS::S3::BucketPolicy', properties: { policy: 'PolicyDocument' } },
  'aws:sqs:QueuePolicy': { cfn: 'AWS::SQS::QueuePolicy', properties: { policy: 'PolicyDocument' } },
  'aws:sns:TopicPolicy': { cfn: 'AWS::SNS::TopicPolicy', properties: { policy: 'PolicyDocument' } },
};

/** Reads a `Pulumi.yaml` text; a text with no `resources` mapping holds no policy. */
export function readPulumi(text: string): PolicySource {
  const read = readYamlTree(text);
  return reportYamlErrors(readPulumiTree(text, read), read);
}

function readPulumiTree(text: string, read: YamlRead): PolicySource {
  const root = deref(read.root);
  const editor = new YamlEditor(text);
  const source: PolicySource = { text, host: 'pulumi', policies: [], findings: [], isPolicyFile: false, broken: read.errors > 0, template: true, editor };
  const resources = deref(member(root, 'resources'));
  if (!resources || resources.type !== 'object') return source;

  // The resources as CloudFormation would write them, over the user's own nodes.
  const template: TemplateNode[] = [];
  const names = new Map<string, string>();
  for (const [name, , resource] of members(resources)) {
    const type = POLICY_TYPES[String(deref(member(resource, 'type'))?.value ?? '')];
    const properties = deref(member(resource, 'properties'));
    if (!type || !properties) continue;
    const mapped: TemplateNode[] = [];
    for (const [property, , value] of members(properties)) {
      const cfnProperty = type.properties[property];
      if (!cfnProperty) continue;
      // `fn::toJSON: { ... }` is the document itself; a string or a mapping is read as it is.
      const document = deref(member(value, 'fn::toJSON')) ?? deref(member(value, 'fn::tojson')) ?? value;
      mapped.push(syntheticProperty(cfnProperty, document));
      names.set(`${name} ${cfnProperty}`, `${name} ${property}`);
    }
    if (mapped.length === 0) continue;
    template.push(syntheticProperty(name, syntheticObject(resource, [syntheticProperty('Type', syntheticNode('string', resource, type.cfn)), syntheticProperty('Properties', syntheticObject(properties, mapped))])));
  }
  if (template.length === 0) return source;
  return readAsTemplate(source, root!, template, editor, (address) => names.get(address));
}

