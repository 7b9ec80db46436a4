/**
 * SAM policy templates that take a KMS key (`Policies: [KMSDecryptPolicy: {KeyId: ...}]`), expanded
 * to the statement SAM generates, so the rules and explain see the function role's key access.
 *
 * The definitions are SAM's own (aws/serverless-application-model,
 * samtranslator/policy_templates_data/policy_templates.json; listed in the AWS SAM Developer
 * Guide, "AWS SAM policy template list"): each allows its actions on
 * `arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}`, with `keyId` the
 * template's `KeyId`. A KeyId that is an alias, an alias ARN or a key ARN gives a Resource that
 * names no key, and the rules on the Resource say so.
 */
import type { TemplateNode } from './templateTree';
import { deref, member } from './templateTree';

const KEY_RESOURCE = 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}';

/** Template name → the actions its one statement allows. */
export const SAM_KMS_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  KMSDecryptPolicy: ['kms:Decrypt'],
  KMSEncryptPolicy: ['kms:Encrypt'],
};

/**
 * The policy document SAM generates for a KMS policy template entry (`{KMSDecryptPolicy: {KeyId: X}}`),
 * as a template subtree: every node spans the template's name, except the Resource, which spans
 * the KeyId value so that findings on the key land on what the user wrote. Undefined for any
 * other entry, or without a KeyId.
 */
export function samKmsDocument(entry: TemplateNode): TemplateNode | undefined {
  const node = deref(entry);
  if (!node || node.type !== 'object' || node.children?.length !== 1) return undefined;
  const [nameNode, argument] = node.children[0].children ?? [];
  const actions = typeof nameNode?.value === 'string' ? SAM_KMS_TEMPLATES[nameNode.value] : undefined;
  const keyId = member(argument, 'KeyId');
  if (!actions || !nameNode || !keyId) return undefined;
  const at = { offset: nameNode.offset, length: nameNode.length };
  const scalar = (value: string, span = at): TemplateNode => ({ type: 'string', value, offset: span.offset, length: span.length });
  const object = (entries: [string, TemplateNode][], span = at): TemplateNode => ({
    type: 'object',
    offset: span.offset,
    length: span.length,
    value: undefined,
    children: entries.map(([key, value]) => ({ type: 'property', offset: span.offset, length: span.length, value: undefined, children: [scalar(key, span), value] })),
  });
  const array = (items: TemplateNode[]): TemplateNode => ({ type: 'array', offset: at.offset, length: at.length, value: undefined, children: items });
  const keySpan = { offset: keyId.offset, length: keyId.length };
  const resource = object([['Fn::Sub', { type: 'array', offset: keySpan.offset, length: keySpan.length, value: undefined, children: [scalar(KEY_RESOURCE, keySpan), object([['keyId', keyId]], keySpan)] }]], keySpan);
  const statement = object([
    ['Effect', scalar('Allow')],
    ['Action', array(actions.map((action) => scalar(action)))],
    ['Resource', resource],
  ]);
  return object([
    ['Version', scalar('2012-10-17')],
    ['Statement', array([statement])],
  ]);
}
