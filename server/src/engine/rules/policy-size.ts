import type { PolicyNode } from '../tree';
import { documentRule } from '../ruleSupport/context';

const NON_ASCII = /[^\x00-\x7f]/;
/** The default quota on a role trust policy's length, adjustable in Service Quotas (IAM User Guide, "IAM and AWS STS quotas"). */
const TRUST_POLICY_QUOTA = 2048;
/** Identity policy quotas, in characters without whitespace (IAM User Guide, "IAM and AWS STS quotas"). */
const MANAGED_QUOTA = 6144;
const INLINE_QUOTA = { role: 10240, user: 2048, group: 5120 } as const;

/** The UTF-8 length of a string, as AWS counts it (a lone surrogate is 3 bytes, as in U+FFFD). */
function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length; // nearly every policy
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The length of `JSON.stringify(value)` for a string, without building it. */
function jsonStringLength(value: string): number {
  let length = 2;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x0c || code === 0x0a || code === 0x0d || code === 0x09) length += 2;
    else if (code < 0x20) length += 6;
    else if (code >= 0xd800 && code <= 0xdfff) {
      // A surrogate pair stays as it is; a lone surrogate is written \uXXXX.
      if (code < 0xdc00 && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        length += 2;
        i++;
      } else length += 6;
    } else length += 1;
  }
  return length;
}

/** The length of `compactJson(node)`, without building it: most policies are decided by it alone. */
export function compactJsonLength(node: PolicyNode, depth = 0): number {
  if (depth > 64) return 4;
  switch (node.type) {
    case 'object': {
      let length = 2;
      let entries = 0;
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        length += jsonStringLength(String(key.value)) + 1 + compactJsonLength(value, depth + 1);
        entries++;
      }
      return length + Math.max(0, entries - 1);
    }
    case 'array': {
      const children = node.children ?? [];
      let length = 2 + Math.max(0, children.length - 1);
      for (const child of children) length += compactJsonLength(child, depth + 1);
      return length;
    }
    case 'string':
      return jsonStringLength(String(node.value ?? ''));
    case 'number':
    case 'boolean':
      return String(node.value).length;
    default:
      return 4;
  }
}

/** The policy tree as compact JSON (an unknown part as its `${...}` spelling); no policy nests 64 deep, so deeper is cut. */
export function compactJson(node: PolicyNode, depth = 0): string {
  if (depth > 64) return 'null';
  switch (node.type) {
    case 'object':
      return `{${(node.children ?? []).map((property) => {
        const [key, value] = property.children ?? [];
        return key && value ? `${JSON.stringify(String(key.value))}:${compactJson(value, depth + 1)}` : '';
      }).filter((entry) => entry !== '').join(',')}}`;
    case 'array':
      return `[${(node.children ?? []).map((child) => compactJson(child, depth + 1)).join(',')}]`;
    case 'string':
      return JSON.stringify(String(node.value ?? ''));
    case 'number':
    case 'boolean':
      return String(node.value);
    default:
      return 'null';
  }
}

export default documentRule({
  meta: { id: 'policy-size', awsChecks: ['POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA', 'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA', 'POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA'], severity: 'warning', category: 'grammar', summary: 'The policy is larger than AWS accepts.', security: false, appliesTo: ['key-policy', 'identity-policy', 'resource-policy', 'trust-policy'], wholePolicy: true },
  check(context) {
    const { model } = context;
    const anchor = { start: model.root.offset, end: model.root.offset + 1 };
    // A UTF-16 unit is at most 3 UTF-8 bytes: most policies are decided by their length alone.
    const identityQuota = model.inlineIn ? INLINE_QUOTA[model.inlineIn] : MANAGED_QUOTA;
    const limit = model.kind === 'key-policy' ? 32768 / 3 : model.kind === 'trust-policy' ? TRUST_POLICY_QUOTA : model.kind === 'identity-policy' ? identityQuota : MANAGED_QUOTA;
    // A template's policy is measured as the compact JSON AWS is sent, not as its YAML or HCL;
    // rendered, a host's text is at most about four times as long (quotes, braces).
    const templated = model.host !== undefined && model.host !== 'json';
    if (templated && model.root.length * 4 <= limit) return;
    if ((templated ? compactJsonLength(model.root) : model.root.length) <= limit) return;
    const rendered = templated ? compactJson(model.root) : undefined;
    const length = rendered?.length ?? model.root.length;
    const policyText = rendered ?? context.text.slice(model.root.offset, model.root.offset + length);
    if (model.kind === 'key-policy') {
      const bytes = utf8Length(policyText);
      if (bytes > 32768) context.report(anchor, `This key policy is ${bytes} bytes; KMS accepts at most 32,768 (32 KB). Split grants into IAM policies or use grants.`, { severity: 'error' });
    } else if (model.kind === 'identity-policy') {
      const characters = policyText.replace(/\s+/g, '').length;
      if (model.inlineIn && characters > identityQuota) {
        context.report(anchor, `This inline policy of a ${model.inlineIn} has ${characters} characters without whitespace; IAM accepts at most ${identityQuota.toLocaleString('en-US')} for a ${model.inlineIn}'s inline policies (all of them together).`);
      } else if (!model.inlineIn && characters > MANAGED_QUOTA) {
        // How it is attached is not known here: judged as Access Analyzer judges an identity policy, by the managed quota.
        context.report(anchor, `This policy has ${characters} characters without whitespace; an IAM managed policy may have at most 6,144 (inline: 2,048 for users, 5,120 for groups, 10,240 for roles).`);
      }
    } else if (model.kind === 'trust-policy') {
      const characters = policyText.replace(/\s+/g, '').length;
      if (characters > TRUST_POLICY_QUOTA) context.report(anchor, `This role trust policy has ${characters} characters without whitespace; IAM accepts 2,048 unless the account's "Role trust policy length" quota was raised in Service Quotas. Raise it, or shorten the policy (fewer statements, principals in lists).`);
    }
  },
});
