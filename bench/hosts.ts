/**
 * Generated files of the hosts added after CloudFormation and Terraform HCL (a Terraform plan,
 * Terraform JSON, Serverless, Pulumi YAML, Ansible), each holding `count` key policies, for the
 * bench's "read within 2x the parser's own time" figures.
 */
import { accountId, random } from './corpus';

const USAGE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'];

/** One key policy with a root statement and a cross-account use statement. */
function keyPolicy(next: () => number, i: number): object {
  const owner = accountId(1);
  const other = accountId(2 + (i % 7));
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: `Use${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other}:role/app-${i}` }, Action: USAGE.slice(0, 2 + Math.floor(next() * 3)), Resource: '*' },
    ],
  };
}

/** The policy as YAML lines, `indent` spaces in (flow lists and maps: what people write). */
function yamlPolicy(policy: object, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const p = policy as { Version: string; Statement: { Sid: string; Effect: string; Principal: { AWS: string }; Action: string | string[]; Resource: string }[] };
  const lines = [`${pad}Version: "${p.Version}"`, `${pad}Statement:`];
  for (const s of p.Statement) {
    const action = Array.isArray(s.Action) ? `[${s.Action.join(', ')}]` : `"${s.Action}"`;
    lines.push(`${pad}  - Sid: ${s.Sid}`, `${pad}    Effect: ${s.Effect}`, `${pad}    Principal:`, `${pad}      AWS: ${s.Principal.AWS}`, `${pad}    Action: ${action}`, `${pad}    Resource: "${s.Resource}"`);
  }
  return lines;
}

export type HostFormat = 'tfplan' | 'tfjson' | 'serverless' | 'pulumi' | 'ansible';

/** A file of the format with `count` key policies, and the name it is read under. */
export function hostFile(format: HostFormat, seed: number, count: number): { text: string; fileName: string } {
  const next = random(seed);
  const policies = Array.from({ length: count }, (_, i) => keyPolicy(next, i));
  switch (format) {
    case 'tfplan':
      return {
        fileName: 'plan.json',
        text: JSON.stringify({
          format_version: '1.2',
          terraform_version: '1.9.5',
          planned_values: {
            root_module: {
              resources: policies.map((policy, i) => ({
                address: `aws_kms_key.key_${i}`, mode: 'managed', type: 'aws_kms_key', name: `key_${i}`,
                provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0,
                values: { description: `Key ${i}`, enable_key_rotation: true, policy: JSON.stringify(policy) },
              })),
            },
          },
        }, null, 2),
      };
    case 'tfjson':
      return {
        fileName: 'main.tf.json',
        text: JSON.stringify({ resource: { aws_kms_key: Object.fromEntries(policies.map((policy, i) => [`key_${i}`, { description: `Key ${i}`, enable_key_rotation: true, policy: JSON.stringify(policy) }])) } }, null, 2),
      };
    case 'serverless':
      return {
        fileName: 'serverless.yml',
        text: ['service: bench', 'provider:', '  name: aws', '  runtime: nodejs20.x', 'resources:', '  Resources:', ...policies.flatMap((policy, i) => [`    Key${i}:`, '      Type: AWS::KMS::Key', '      Properties:', `        Description: Key ${i}`, '        KeyPolicy:', ...yamlPolicy(policy, 10)]), ''].join('\n'),
      };
    case 'pulumi':
      return {
        fileName: 'Pulumi.yaml',
        text: ['name: bench', 'runtime: yaml', 'resources:', ...policies.flatMap((policy, i) => [`  key${i}:`, '    type: aws:kms:Key', '    properties:', `      description: Key ${i}`, '      policy:', '        fn::toJSON:', ...yamlPolicy(policy, 10)]), ''].join('\n'),
      };
    case 'ansible':
      return {
        fileName: 'site.yml',
        text: ['- name: Keys', '  hosts: localhost', '  tasks:', ...policies.flatMap((policy, i) => [`    - name: Key ${i}`, '      amazon.aws.kms_key:', `        alias: key-${i}`, '        policy:', ...yamlPolicy(policy, 10)]), ''].join('\n'),
      };
  }
}
