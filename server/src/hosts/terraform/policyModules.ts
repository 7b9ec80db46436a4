/**
 * Registry modules that take a policy document as an input (JSON text, usually
 * `data.aws_iam_policy_document.x.json` or `jsonencode({...})`) and deploy it as it is: the
 * policy is the user's, so it is read where the user wrote it. Each input with the flag the module
 * needs before it attaches the policy (`attach_policy = true`), where it has one.
 */
import type { PolicyKind } from '../../engine/types';

interface PolicyInput {
  name: string;
  kind: PolicyKind;
  /** The module's boolean input that must be `true` for the policy to be deployed. */
  when?: string;
}

interface PolicyModule {
  /** The registry address and the GitHub repository of the module (with `//subdir` where the module is a submodule). */
  source: RegExp;
  inputs: PolicyInput[];
}

/** `terraform-aws-modules/<name>/aws` from the registry, or `github.com/terraform-aws-modules/terraform-aws-<name>`, with an optional `?ref=`. */
export function registryModule(name: string, subdir = ''): RegExp {
  const sub = subdir ? `//${subdir}` : '(?://[^?]*)?';
  return new RegExp(`^(?:(?:registry\\.terraform\\.io/)?terraform-aws-modules/${name}/aws|(?:git::)?(?:(?:https|ssh)://)?(?:git@)?github\\.com[:/]terraform-aws-modules/terraform-aws-${name}(?:\\.git)?)${sub}(?:\\?.*)?$`);
}

const MODULES: PolicyModule[] = [
  // modules/iam-policy: `policy`, the policy document of the aws_iam_policy it creates.
  { source: registryModule('iam', 'modules/iam-policy'), inputs: [{ name: 'policy', kind: 'identity-policy' }] },
  // The bucket policy, attached when attach_policy is true.
  { source: registryModule('s3-bucket'), inputs: [{ name: 'policy', kind: 'resource-policy', when: 'attach_policy' }] },
  // The function role's extra policy, attached when attach_policy_json is true.
  { source: registryModule('lambda'), inputs: [{ name: 'policy_json', kind: 'identity-policy', when: 'attach_policy_json' }] },
];

/** The policy inputs of a module of this source, if it is one of these modules. */
export function policyInputsOf(source: string): readonly PolicyInput[] | undefined {
  const trimmed = source.trim();
  return MODULES.find((m) => m.source.test(trimmed))?.inputs;
}

/** Whether a module block's text may name one of these modules (a look before the block is copied). */
export const POLICY_MODULE_HINT = /terraform-aws-(?:kms|iam|s3-bucket|lambda)|(?:kms|iam|s3-bucket|lambda)\/aws/;
