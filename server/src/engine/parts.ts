/**
 * Reasoning from the parts a host gives for values a template fills in (`ValuePart.meaning`),
 * never from how a template language spells them: the engine and `explain` ask here.
 */
import { UNKNOWN_MARK, type PolicyNode, type ValuePart } from './tree';

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

const OWN = '\u{f0001}';

/**
 * Whether a principal value names the account that holds the policy through the host's parts: the
 * whole value, or the account field of an ARN, is an `owner-account` part (`${AWS::AccountId}`,
 * the Terraform caller identity). Other placeholders may name any account.
 */
export function namesOwnAccount(node: PolicyNode | undefined): boolean {
  const parts = node?.parts;
  if (!parts) return false;
  let text = '';
  for (const part of parts) text += 'literal' in part ? part.literal : part.meaning === 'owner-account' ? OWN : UNKNOWN_MARK;
  if (text === OWN) return true;
  const fields = text.split(':');
  return fields.length >= 6 && fields[4] === OWN;
}
