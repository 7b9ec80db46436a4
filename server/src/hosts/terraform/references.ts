/**
 * What a Terraform reference means, where the host can tell: the caller identity's account is the
 * owner's, a key's `.arn` is that key's ARN, an alias's `.arn` an alias ARN, another resource's or a
 * data source's `.arn` another resource's ARN. Shared by the HCL and the JSON syntax readers.
 */
import type { UnknownMeaning } from '../../engine/tree';
import { referencePath, type SyntaxNode } from './syntax';

/** What a reference means, when the host can tell. */
export function referencePart(expression: SyntaxNode, label: string): { unknown: string; meaning?: UnknownMeaning; resource?: string; keyArn?: string } {
  return referencePathPart(referencePath(expression), label);
}

/** What a reference means, from its path (`aws_kms_key.data.arn` as ['aws_kms_key', 'data', 'arn']). */
export function referencePathPart(path: string[] | undefined, label: string): { unknown: string; meaning?: UnknownMeaning; resource?: string; keyArn?: string } {
  const part: { unknown: string; meaning?: UnknownMeaning; resource?: string; keyArn?: string } = { unknown: label };
  if (!path) return part;
  const [a, b, , d] = path;
  const last = path[path.length - 1];
  if (a === 'data' && b === 'aws_caller_identity' && d === 'account_id') part.meaning = 'owner-account';
  else if (a === 'data' && b === 'aws_partition' && d === 'partition') part.meaning = 'partition';
  else if (a === 'data' && b === 'aws_region' && (d === 'name' || d === 'region' || d === 'id')) part.meaning = 'region';
  else if ((a === 'aws_kms_key' || a === 'aws_kms_replica_key' || a === 'aws_kms_external_key' || a === 'aws_kms_replica_external_key') && path.length === 3) {
    if (last === 'arn') part.meaning = 'key-arn';
    else if (last === 'key_id' || last === 'id') part.meaning = 'key-id';
    if (part.meaning) part.resource = `${a}.${path[1]}`;
    if (part.meaning === 'key-id') part.keyArn = `${a}.${path[1]}.arn`;
  } else if (a === 'aws_kms_alias' && path.length === 3) {
    if (last === 'arn') part.meaning = 'alias-arn';
    else if (last === 'name' || last === 'id') part.meaning = 'alias-name';
    else if (last === 'target_key_arn') part.meaning = 'key-arn';
    else if (last === 'target_key_id') part.meaning = 'key-id';
    if (part.meaning) part.resource = `${a}.${path[1]}`;
    // The alias's own attribute names the key it points at.
    if (part.meaning && part.meaning !== 'key-arn') part.keyArn = `${a}.${path[1]}.target_key_arn`;
  } else if (a === 'module' && path.length === 3 && (last === 'key_arn' || last === 'key_id')) {
    // The outputs a KMS key module gives (terraform-aws-modules/kms, cloudposse/kms-key): its key.
    part.meaning = last === 'key_arn' ? 'key-arn' : 'key-id';
    part.resource = `module.${path[1]}`;
    if (part.meaning === 'key-id') part.keyArn = `module.${path[1]}.key_arn`;
  } else if (a === 'module' && path.length === 4 && path[2] === 'aliases' && (last === 'arn' || last === 'name' || last === 'target_key_arn')) {
    // terraform-aws-modules/kms's `aliases` output: its aws_kms_alias resources by key (`module.kms.aliases["data"].arn`).
    part.meaning = last === 'arn' ? 'alias-arn' : last === 'name' ? 'alias-name' : 'key-arn';
    part.resource = `module.${path[1]}`;
    if (part.meaning !== 'key-arn') part.keyArn = `module.${path[1]}.key_arn`;
  } else if (path.length === 3 && last === 'arn' && /^aws_[a-z0-9_]+$/.test(a) && !a.startsWith('aws_kms_')) {
    part.meaning = 'resource-arn';
    part.resource = `${a}.${path[1]}`;
  } else if (a === 'data' && b === 'aws_kms_key' && path.length === 4) {
    if (d === 'arn') part.meaning = 'key-arn';
    else if (d === 'key_id' || d === 'id') part.meaning = 'key-id';
    if (part.meaning) part.resource = path.slice(0, 3).join('.');
  } else if (a === 'data' && b === 'aws_kms_alias' && path.length === 4) {
    if (d === 'arn') part.meaning = 'alias-arn';
    else if (d === 'name') part.meaning = 'alias-name';
    else if (d === 'target_key_arn') part.meaning = 'key-arn';
    else if (d === 'target_key_id') part.meaning = 'key-id';
    if (part.meaning) part.resource = path.slice(0, 3).join('.');
  } else if (a === 'data' && path.length === 4 && d === 'arn' && /^aws_[a-z0-9_]+$/.test(b) && !b.startsWith('aws_kms_')) {
    // A data source's ARN (`data.aws_s3_bucket.logs.arn`): another resource, read instead of created.
    part.meaning = 'resource-arn';
    part.resource = path.slice(0, 3).join('.');
  }
  return part;
}
