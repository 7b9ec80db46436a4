/**
 * Reasoning from the parts a host gives for values a template fills in (`ValuePart.meaning`),
 * never from how a template language spells them: the engine and `explain` ask here.
 */
import type { PolicyNode, ValuePart } from './tree';

/**
 * The key resource of the same template a value names as a key ARN (`!GetAtt DataKey.Arn`,
 * `!Sub ${DataKey.Arn}`, `arn:...:key/${DataKey}`, `aws_kms_key.data.arn`); undefined otherwise.
 */
export function keyResourceOf(node: PolicyNode | undefined): string | undefined {
  const parts = node?.parts;
  if (!parts || parts.length === 0) return undefined;
  const last = parts[parts.length - 1];
  if (!('unknown' in last) || !last.resource) return undefined;
  if (parts.length === 1) return last.meaning === 'key-arn' ? last.resource : undefined;
  const before = parts[parts.length - 2];
  const first = parts[0];
  const keyPath = 'literal' in before && before.literal.endsWith(':key/') && 'literal' in first && first.literal.startsWith('arn:');
  return last.meaning === 'key-id' && keyPath ? last.resource : undefined;
}

/** A value that is wholly one reference of this meaning (`!Ref DataKey` as a key ID, `aws_kms_alias.x.arn`). */
export function wholeReference(node: PolicyNode | undefined): Extract<ValuePart, { unknown: string }> | undefined {
  const parts = node?.parts;
  if (!parts || parts.length !== 1 || !('unknown' in parts[0])) return undefined;
  return parts[0];
}
