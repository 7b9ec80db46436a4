/**
 * The Terraform plan host: the JSON of `terraform show -json plan.out` (and of `terraform show
 * -json` on a state), where every value is resolved and modules are expanded. The format is
 * HashiCorp's "JSON Output Format" (https://developer.hashicorp.com/terraform/internals/json-format):
 * a plan has `planned_values` and `resource_changes`, a state `values`, both a values
 * representation (`root_module.resources[]` with `address`, `mode`, `type`, `values`, and
 * `child_modules[]` of the same shape, recursively).
 *
 * Known by content, not name: a JSON object with `format_version` and `terraform_version`, and
 * `planned_values`, `values` or `resource_changes`. Formats 0.x and 1.x are read; another major
 * version is reported and not read, as the format's own page asks of its consumers.
 *
 * Policies are JSON strings in resource attributes (the Terraform host's `POLICY_ATTRIBUTE_LIST`), read from
 * `planned_values` (or the state's `values`) first, then from `resource_changes[].change.after`
 * for what the values representation lacks; each policy is read once. A value still unknown at
 * plan time is absent (or null) in both, and marked in `after_unknown`: it gives no policy.
 *
 * The `configuration` section is not read: its expressions carry references and constants, never
 * a .tf file or line, so there is nothing to point a finding at but the plan itself.
 */
import type { HostedPolicy, PolicyNode, PolicySource } from '../../engine/tree';
import type { PolicyKind } from '../../engine/types';
import { MAX_NESTING } from '../json/scan';
import { parseStrict } from '../json/strictParse';
import { RefusingEditor } from '../refusingEditor';
import { readPolicyString } from './policyString';
import { POLICY_ATTRIBUTE_LIST } from '../terraform/policyAttributes';

export const TERRAFORM_PLAN_HOST_ID = 'terraform-plan' as const;

/**
 * Resources whose `policy` attribute mirrors what a separate policy resource sets (the provider
 * reads it back into the resource's state): `setter.reference` names the resource by one of its `ids`.
 */
const POLICY_SETTERS: readonly { container: string; ids: readonly string[]; setter: string; reference: string }[] = [
  { container: 'aws_s3_bucket', ids: ['bucket', 'id'], setter: 'aws_s3_bucket_policy', reference: 'bucket' },
  { container: 'aws_sqs_queue', ids: ['url', 'id'], setter: 'aws_sqs_queue_policy', reference: 'queue_url' },
  { container: 'aws_sns_topic', ids: ['arn', 'id'], setter: 'aws_sns_topic_policy', reference: 'arn' },
  { container: 'aws_secretsmanager_secret', ids: ['arn', 'id'], setter: 'aws_secretsmanager_secret_policy', reference: 'secret_arn' },
];

/** Key types whose `policy` an `aws_kms_key_policy` of the same plan may set (the key then mirrors it). */
const KEY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key']);

/** One policy string of a resource instance. */
interface Slot {
  /** The resource instance's address (`module.kms.aws_kms_key.this[0]`). */
  resource: string;
  type: string;
  /** The attribute as the address names it: `policy`, `assume_role_policy`, `inline_policy["logs"]`. */
  attribute: string;
  kind: PolicyKind;
  string: PolicyNode;
  /** The resource instance's values (planned, state, or `after`). */
  values: PolicyNode;
  /** For an inline policy: its name. */
  inlineName?: string;
}

/** Whether a text may be a plan or state before it is parsed (most JSON is not). */
function mayBePlan(text: string): boolean {
  for (let i = 0; i < text.length && i < 4096; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d || ch === 0xfeff) continue;
    if (ch !== 0x7b) return false;
    return text.includes('"terraform_version"') && text.includes('"format_version"');
  }
  return false;
}

/** The member `name` of an object node (the last, as JSON.parse keeps). */
function member(node: PolicyNode | undefined, name: string): PolicyNode | undefined {
  if (node?.type !== 'object' || !node.children) return undefined;
  let found: PolicyNode | undefined;
  for (const property of node.children) if (property.children?.[0]?.value === name) found = property.children[1];
  return found;
}

function stringMember(node: PolicyNode | undefined, name: string): string | undefined {
  const value = member(node, name);
  return value?.type === 'string' ? value.value : undefined;
}

const elements = (node: PolicyNode | undefined): PolicyNode[] => (node?.type === 'array' ? (node.children ?? []) : []);

/** Whether a parsed root is a plan or a state: `format_version`, `terraform_version`, and values or changes. */
export function isPlanRoot(root: PolicyNode): boolean {
  if (root.type !== 'object') return false;
  if (member(root, 'format_version')?.type !== 'string' || !member(root, 'terraform_version')) return false;
  return ['planned_values', 'values', 'resource_changes'].some((name) => {
    const value = member(root, name);
    return value?.type === 'object' || value?.type === 'array';
  });
}

/** Reads a Terraform plan or state; undefined when the text is neither (the JSON host reads it). */
export function readTerraformPlan(text: string): PolicySource | undefined {
  if (!mayBePlan(text)) return undefined;
  // A byte order mark (PowerShell's redirection writes one) as a space: the offsets stay the text's.
  const parsed = parseStrict(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, MAX_NESTING);
  if (!parsed || !isPlanRoot(parsed.root)) return undefined;
  const root = parsed.root;

  const version = member(root, 'format_version')!;
  if (!/^[01]\./.test(String(version.value))) return unsupportedFormat(text, version);

  const slots: Slot[] = [];
  const seen = new Set<string>();
  const add = (slot: Slot) => {
    const key = `${slot.resource}\u0000${slot.attribute}`;
    if (seen.has(key)) return;
    seen.add(key);
    slots.push(slot);
  };
  // The values representation first (planned, or the state's), then what only the changes hold.
  for (const name of ['planned_values', 'values']) {
    const module = member(member(root, name), 'root_module');
    if (module) visitModule(module, '', 0, add);
  }
  for (const change of elements(member(root, 'resource_changes'))) visitChange(change, add);

  const source: PolicySource = {
    text,
    host: TERRAFORM_PLAN_HOST_ID,
    policies: [],
    findings: [],
    isPolicyFile: false,
    broken: false,
    template: true,
    // A plan is Terraform's output: the fix belongs in the .tf that produced it.
    editor: new RefusingEditor(),
  };
  const keyOf = keyPolicyTargets(slots);
  for (const slot of withoutMirrors(slots, keyOf)) {
    const address = slot.attribute.startsWith('inline_policy') ? `${slot.resource}.${slot.attribute}` : slot.resource;
    const read = readPolicyString(text, slot.string, `the ${slot.attribute} of ${slot.resource}`);
    source.findings.push(...read.findings);
    if (!read.root) continue;
    const policy: HostedPolicy = { root: read.root, kind: slot.kind, kindSource: 'host', address, resource: keyOf.get(slot) ?? slot.resource };
    source.policies.push(policy);
  }
  source.policies.sort((a, b) => a.root.offset - b.root.offset);
  source.isPolicyFile = source.policies.length > 0 || source.findings.length > 0;
  return source;
}

/**
 * A plan or state of a format major version Keyshare does not know: HashiCorp's "JSON Output Format"
 * says to "reject any input which reports an unsupported major version", so it is reported, not read.
 */
function unsupportedFormat(text: string, version: PolicyNode): PolicySource {
  const message = `This is Terraform's JSON output format ${String(version.value)}; Keyshare reads formats 0.x and 1.x, and a new major version may move or change what it reads, so the policies in it are not checked. Check the .tf files instead, or a plan from a Terraform that writes format 1.x.`;
  return {
    text,
    host: TERRAFORM_PLAN_HOST_ID,
    policies: [],
    findings: [{ ruleId: 'plan-format-version', severity: 'error', start: version.offset, end: version.offset + version.length, message }],
    isPolicyFile: true,
    broken: true,
    template: true,
    editor: new RefusingEditor(),
  };
}

/** The resources of a module of a values representation, and its child modules, recursively. */
function visitModule(module: PolicyNode, moduleAddress: string, depth: number, add: (slot: Slot) => void): void {
  if (depth > MAX_NESTING) return;
  for (const resource of elements(member(module, 'resources'))) {
    const values = member(resource, 'values');
    const address = resourceAddress(resource, moduleAddress);
    if (address && values) slotsOf(address, resource, values, undefined, add);
  }
  for (const child of elements(member(module, 'child_modules'))) visitModule(child, stringMember(child, 'address') ?? moduleAddress, depth + 1, add);
}

/** One element of `resource_changes`: its `after`, unless it is a deposed object (on its way out). */
function visitChange(change: PolicyNode, add: (slot: Slot) => void): void {
  if (member(change, 'deposed')) return;
  const body = member(change, 'change');
  const after = member(body, 'after');
  const address = resourceAddress(change, stringMember(change, 'module_address') ?? '');
  if (address && after) slotsOf(address, change, after, member(body, 'after_unknown'), add);
}

/** `address` as the plan gives it, else built from the module, type, name and index. */
function resourceAddress(resource: PolicyNode, moduleAddress: string): string | undefined {
  const given = stringMember(resource, 'address');
  if (given) return given;
  const type = stringMember(resource, 'type');
  const name = stringMember(resource, 'name');
  if (!type || !name) return undefined;
  const index = member(resource, 'index');
  const key = index?.type === 'number' ? `[${index.value}]` : index?.type === 'string' ? `[${JSON.stringify(index.value)}]` : '';
  return `${moduleAddress ? `${moduleAddress}.` : ''}${stringMember(resource, 'mode') === 'data' ? 'data.' : ''}${type}.${name}${key}`;
}

/** The policy strings of one resource instance's values; `unknown`: its `after_unknown`, for a change. */
function slotsOf(address: string, resource: PolicyNode, values: PolicyNode, unknown: PolicyNode | undefined, add: (slot: Slot) => void): void {
  // Data sources read policies that exist (an AWS managed policy through `data "aws_iam_policy"`): not the plan's to judge.
  if (stringMember(resource, 'mode') === 'data' || values.type !== 'object') return;
  const type = stringMember(resource, 'type') ?? typeFromAddress(address);
  const attributes = type ? POLICY_ATTRIBUTE_LIST[type] : undefined;
  if (!type || !attributes) return;
  // Tag, backup and AI opt-out policies have their own grammar: only a service control policy is IAM's.
  if (type === 'aws_organizations_policy' && (stringMember(values, 'type') ?? 'SERVICE_CONTROL_POLICY') !== 'SERVICE_CONTROL_POLICY') return;
  for (const [attribute, kind] of Object.entries(attributes)) {
    if (isUnknown(member(unknown, attribute))) continue;
    const string = member(values, attribute);
    if (isPolicyString(string)) add({ resource: address, type, attribute, kind, string, values });
  }
  if (type !== 'aws_iam_role' || isUnknown(member(unknown, 'inline_policy'))) return;
  const unknownInline = elements(member(unknown, 'inline_policy'));
  elements(member(values, 'inline_policy')).forEach((inline, index) => {
    if (isUnknown(member(unknownInline[index], 'policy'))) return;
    const string = member(inline, 'policy');
    if (!isPolicyString(string)) return;
    const name = stringMember(inline, 'name');
    const attribute = `inline_policy[${name ? JSON.stringify(name) : index}]`;
    add({ resource: address, type, attribute, kind: 'identity-policy', string, values, inlineName: name });
  });
}

/** A string that holds text: an unknown or unset policy is absent, null or empty. */
function isPolicyString(node: PolicyNode | undefined): node is PolicyNode {
  return node?.type === 'string' && typeof node.value === 'string' && node.value.trim() !== '';
}

const isUnknown = (node: PolicyNode | undefined) => node?.type === 'boolean' && node.value === true;

/** `module.a.aws_kms_key.this[0]` → `aws_kms_key`, for a resource given without its `type`. */
function typeFromAddress(address: string): string | undefined {
  const match = /(?:^|\.)([a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?$/.exec(address);
  return match?.[1];
}

/**
 * For each `aws_kms_key_policy` whose `key_id` names a key of the same plan (its `key_id`, `id`
 * or `arn`, known in a state and for keys that exist), the key's address: the policy's resource.
 */
function keyPolicyTargets(slots: readonly Slot[]): Map<Slot, string> {
  const keys = new Map<string, string>();
  for (const slot of slots) {
    if (!KEY_TYPES.has(slot.type)) continue;
    for (const name of ['key_id', 'id', 'arn']) {
      const value = stringMember(slot.values, name);
      if (value) keys.set(value, slot.resource);
    }
  }
  const targets = new Map<Slot, string>();
  for (const slot of slots) {
    const keyId = slot.type === 'aws_kms_key_policy' ? stringMember(slot.values, 'key_id') : undefined;
    const key = keyId ? keys.get(keyId) : undefined;
    if (key) targets.set(slot, key);
  }
  return targets;
}

/**
 * Drops the copies Terraform keeps of a policy another resource sets: a key's `policy` when an
 * `aws_kms_key_policy` of the plan sets it, a bucket's, queue's, topic's or secret's `policy` when
 * its policy resource does (`POLICY_SETTERS`), a role's `inline_policy` entry when an
 * `aws_iam_role_policy` of the plan writes it (the provider reads both back into the key's and
 * the role's state); the policy is reported on the resource that sets it.
 */
function withoutMirrors(slots: readonly Slot[], keyOf: ReadonlyMap<Slot, string>): Slot[] {
  const setKeys = new Set(keyOf.values());
  const rolePolicies = new Set<string>();
  for (const slot of slots) {
    if (slot.type !== 'aws_iam_role_policy') continue;
    const role = stringMember(slot.values, 'role');
    const name = stringMember(slot.values, 'name');
    if (role && name) rolePolicies.add(`${role}\u0000${name}`);
  }
  const setByOthers = new Set<string>();
  for (const { container, setter, reference } of POLICY_SETTERS) {
    for (const slot of slots) {
      const target = slot.type === setter ? stringMember(slot.values, reference) : undefined;
      if (target) setByOthers.add(`${container}\u0000${target}`);
    }
  }
  const mirrored = (slot: Slot) =>
    slot.attribute === 'policy' &&
    POLICY_SETTERS.some(({ container, ids }) => slot.type === container && ids.some((id) => {
      const value = stringMember(slot.values, id);
      return value !== undefined && setByOthers.has(`${container}\u0000${value}`);
    }));
  return slots.filter((slot) => {
    if (KEY_TYPES.has(slot.type) && slot.attribute === 'policy' && setKeys.has(slot.resource)) return false;
    if (mirrored(slot)) return false;
    if (slot.inlineName !== undefined) {
      const roles = [stringMember(slot.values, 'name'), stringMember(slot.values, 'id')];
      if (roles.some((role) => role && rolePolicies.has(`${role}\u0000${slot.inlineName}`))) return false;
    }
    return true;
  });
}
