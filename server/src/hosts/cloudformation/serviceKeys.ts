/**
 * Keys a service must use itself, checked where the template says so: a CloudWatch Logs log group
 * encrypted with a key of the same template. CloudWatch Logs encrypts with its own service
 * principal (`logs.<region>.amazonaws.com`), so the key policy must allow it; the default key
 * policy (a key with no KeyPolicy) allows only the account, and the log group is never created.
 * Its KmsKeyId must be the key's ARN: `!Ref` of a key is its ID.
 */
import type { Finding } from '../../engine/types';
import { intrinsicOf } from './intrinsics';
import { deref, member, members, scalarText, type TemplateNode } from './templateTree';

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/** Services that use the key with their own principal, by the resource property that names it. */
const SERVICE_KEYS: Record<string, { property: string; service: string; principal: RegExp; what: string }> = {
  'AWS::Logs::LogGroup': { property: 'KmsKeyId', service: 'CloudWatch Logs', principal: /^logs\.([a-z0-9-]+\.|\$\{[^}]+\}\.)?amazonaws\.com(\.cn)?$/, what: 'logs.<region>.amazonaws.com' },
};

const RULE = 'service-key-unusable';

export function serviceKeyFindings(root: TemplateNode): Finding[] {
  const findings: Finding[] = [];
  const resources = new Map(members(member(root, 'Resources')).map(([id, , node]) => [id, node]));
  for (const [, resource] of resources) {
    const uses = SERVICE_KEYS[scalarText(member(resource, 'Type')) ?? ''];
    const value = uses && member(member(resource, 'Properties'), uses.property);
    const intrinsic = intrinsicOf(value);
    if (!uses || !value || !intrinsic) continue;
    const target = referencedKey(intrinsic.name, deref(intrinsic.argument));
    const key = target && resources.get(target.id);
    if (!target || !key || !KEY_TYPES.has(scalarText(member(key, 'Type')) ?? '')) continue;
    const span = { start: value.offset, end: value.offset + value.length };
    if (target.byRef) {
      findings.push({ ruleId: RULE, severity: 'error', ...span, message: `${uses.property} is !Ref ${target.id}, the key's ID; ${uses.service} takes the key's ARN here, so the resource is not created. Use !GetAtt ${target.id}.Arn.` });
    }
    const policy = deref(member(member(key, 'Properties'), 'KeyPolicy'));
    if (!policy) {
      findings.push({ ruleId: RULE, severity: 'error', ...span, message: `${target.id} has no KeyPolicy, so it has the default key policy, which lets only the account's IAM principals use it: ${uses.service} (${uses.what}) cannot, and the resource is not created. Add a key policy statement that allows ${uses.what} to use the key.` });
      continue;
    }
    if (admitsService(policy, uses.principal) === false) {
      findings.push({ ruleId: RULE, severity: 'error', ...span, message: `No statement of ${target.id}'s key policy allows ${uses.service} (${uses.what}), so it cannot use the key and the resource is not created. Add a statement that allows ${uses.what} to use the key.` });
    }
  }
  return findings;
}

/** The template key a value names: `!GetAtt Key.Arn` (its ARN) or `!Ref Key` (its ID). */
function referencedKey(name: string, argument: TemplateNode | undefined): { id: string; byRef: boolean } | undefined {
  const text = scalarText(argument);
  if (name === 'Ref' && text) return { id: text, byRef: true };
  if (name !== 'Fn::GetAtt') return undefined;
  if (text?.endsWith('.Arn')) return { id: text.slice(0, -4), byRef: false };
  const [resource, attribute] = argument?.type === 'array' ? (argument.children ?? []).map(scalarText) : [];
  return resource && attribute === 'Arn' ? { id: resource, byRef: false } : undefined;
}

/** Whether an Allow statement names the service principal (or "*"); undefined when the policy is not written out. */
function admitsService(policy: TemplateNode, principal: RegExp): boolean | undefined {
  if (intrinsicOf(policy)) return undefined;
  const statements = deref(member(policy, 'Statement'));
  if (!statements || intrinsicOf(statements)) return undefined;
  const list = statements.type === 'array' ? (statements.children ?? []) : [statements];
  for (const raw of list) {
    const statement = deref(raw);
    if (!statement || statement.type !== 'object') return undefined;
    if (scalarText(member(statement, 'Effect')) !== 'Allow') continue;
    const who = deref(member(statement, 'Principal'));
    if (!who) continue;
    if (intrinsicOf(who)) return undefined;
    if (scalarText(who) === '*') return true;
    for (const [type, , values] of members(who)) {
      const items = deref(values);
      const texts = items?.type === 'array' ? (items.children ?? []).map(textOf) : [textOf(items)];
      if (texts.some((t) => t === undefined)) return undefined;
      if (type === 'AWS' && texts.includes('*')) return true;
      if (type === 'Service' && texts.some((t) => principal.test(t!))) return true;
    }
  }
  return false;
}

/** A scalar's text, or a `!Sub` template's text (`logs.${AWS::Region}.amazonaws.com`); undefined for other intrinsics. */
function textOf(node: TemplateNode | undefined): string | undefined {
  const intrinsic = intrinsicOf(node);
  if (!intrinsic) return scalarText(node);
  return intrinsic.name === 'Fn::Sub' ? scalarText(deref(intrinsic.argument)) : undefined;
}
