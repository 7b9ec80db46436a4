/**
 * The policies of a template (KMS-FACTS fact 31): which resource properties hold one and of
 * which kind, and each as a policy tree for the engine, intrinsics read as strings with unknown
 * parts.
 */
import { ConditionEvaluator } from './conditions';
import { samKmsDocument } from './samPolicyTemplates';
import { parseTree, type ParseError } from 'jsonc-parser';
import type { HostedPolicy, PolicyNode, ValuePart } from '../../engine/tree';
import { TreeNode } from '../../engine/tree';
import type { Finding, PolicyKind } from '../../engine/types';
import { MAX_NESTING, scanText } from '../json/scan';
import { parseStrict } from '../json/strictParse';
import { mapSpan, mapString, type StringMap } from './embedded';
import { dynamicReferenceParts, IntrinsicReader, intrinsicOf, mergeParts, spell, templateFacts } from './intrinsics';
import { deref, member, members, scalarText, type TemplateNode } from './templateTree';

type Step = string | '[]';

interface PolicyProperty {
  path: Step[];
  kind: PolicyKind;
  /** SAM: a list of managed policy names, policy templates and policy documents: only documents count. */
  sam?: boolean;
  /** Only when the resource's `Type` property has this value (an Organizations policy's type). */
  when?: string;
}

const prop = (path: string, kind: PolicyKind): PolicyProperty => ({ path: path.split('.').flatMap((s) => (s.endsWith('[]') ? [s.slice(0, -2), '[]'] : [s])), kind });

const IDENTITY_DOCUMENT = [prop('PolicyDocument', 'identity-policy')];
const INLINE_POLICIES = prop('Policies[].PolicyDocument', 'identity-policy');
const SAM_POLICIES: PolicyProperty = { path: ['Policies'], kind: 'identity-policy', sam: true };

/** The resources whose identity policies are inline policies of one role, user or group. */
const INLINE_IN: Record<string, 'role' | 'user' | 'group'> = {
  'AWS::IAM::Role': 'role',
  'AWS::IAM::RolePolicy': 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::UserPolicy': 'user',
  'AWS::IAM::Group': 'group',
  'AWS::IAM::GroupPolicy': 'group',
};

/** Resource type to the properties that hold policies. */
export const POLICY_PROPERTIES: Record<string, PolicyProperty[]> = {
  'AWS::KMS::Key': [prop('KeyPolicy', 'key-policy')],
  'AWS::KMS::ReplicaKey': [prop('KeyPolicy', 'key-policy')],
  'AWS::IAM::Policy': IDENTITY_DOCUMENT,
  'AWS::IAM::ManagedPolicy': IDENTITY_DOCUMENT,
  'AWS::IAM::RolePolicy': IDENTITY_DOCUMENT,
  'AWS::IAM::UserPolicy': IDENTITY_DOCUMENT,
  'AWS::IAM::GroupPolicy': IDENTITY_DOCUMENT,
  'AWS::IAM::Role': [prop('AssumeRolePolicyDocument', 'trust-policy'), INLINE_POLICIES],
  'AWS::IAM::User': [INLINE_POLICIES],
  'AWS::IAM::Group': [INLINE_POLICIES],
  'AWS::SSO::PermissionSet': [prop('InlinePolicy', 'identity-policy')],
  'AWS::S3::BucketPolicy': [prop('PolicyDocument', 'resource-policy')],
  'AWS::SQS::QueuePolicy': [prop('PolicyDocument', 'resource-policy')],
  'AWS::SNS::TopicPolicy': [prop('PolicyDocument', 'resource-policy')],
  'AWS::S3::AccessPoint': [prop('Policy', 'resource-policy')],
  'AWS::SecretsManager::ResourcePolicy': [prop('ResourcePolicy', 'resource-policy')],
  'AWS::ECR::Repository': [prop('RepositoryPolicyText', 'resource-policy')],
  'AWS::Logs::ResourcePolicy': [prop('PolicyDocument', 'resource-policy')],
  'AWS::OpenSearchService::Domain': [prop('AccessPolicies', 'resource-policy')],
  'AWS::Elasticsearch::Domain': [prop('AccessPolicies', 'resource-policy')],
  'AWS::EFS::FileSystem': [prop('FileSystemPolicy', 'resource-policy')],
  'AWS::Backup::BackupVault': [prop('AccessPolicy', 'resource-policy')],
  'AWS::ApiGateway::RestApi': [prop('Policy', 'resource-policy')],
  'AWS::Kinesis::ResourcePolicy': [prop('ResourcePolicy', 'resource-policy')],
  'AWS::DynamoDB::Table': [prop('ResourcePolicy.PolicyDocument', 'resource-policy')],
  'AWS::CodeArtifact::Domain': [prop('PermissionsPolicyDocument', 'resource-policy')],
  'AWS::CodeArtifact::Repository': [prop('PermissionsPolicyDocument', 'resource-policy')],
  'AWS::Organizations::Policy': [{ ...prop('Content', 'scp'), when: 'SERVICE_CONTROL_POLICY' }],
  'AWS::Serverless::Function': [SAM_POLICIES],
  'AWS::Serverless::StateMachine': [SAM_POLICIES],
};

/** Whether a template tree is a CloudFormation template (or SAM): a format version, or resources of AWS types. */
export function isTemplate(root: TemplateNode | undefined): boolean {
  root = deref(root);
  if (!root || root.type !== 'object') return false;
  if (member(root, 'AWSTemplateFormatVersion') !== undefined) return true;
  const transform = scalarText(member(root, 'Transform'));
  if (transform?.startsWith('AWS::Serverless')) return true;
  for (const [, , resource] of members(member(root, 'Resources'))) {
    const type = scalarText(member(resource, 'Type'));
    if (type && (type.startsWith('AWS::') || type.startsWith('Custom::'))) return true;
  }
  return false;
}

/** A policy given as a string, for the editor: its map and the JSON tree in the string's own coordinates. */
export interface EmbeddedPolicy {
  map: StringMap;
  /** JSON text of the string's value. */
  json: string;
  /** The tree of `json` (spans in the value): the editor finds there the node a template node copies. Absent: parsed again from `json` when an edit needs it. */
  source?: PolicyNode;
}

export interface TemplatePolicies {
  policies: HostedPolicy[];
  findings: Finding[];
  /** Nodes the editor must not rewrite: intrinsics, aliases, strings mapped conservatively. */
  frozen: WeakSet<PolicyNode>;
  embedded: EmbeddedPolicy[];
  /** The template's parameters, when values were given for them (to tell a name given to no template). */
  declaredParameters?: string[];
}

/** Copied nodes per template at most. */
const MAX_NODES = 2_000_000;
/** Nodes copied out of YAML aliases per template at most: an alias bomb ("billion laughs") stops here, as the yaml package's maxAliasCount would stop it. */
const MAX_ALIAS_NODES = 10_000;

export function findPolicies(text: string, root: TemplateNode, json: boolean, parameters?: Readonly<Record<string, string>>): TemplatePolicies {
  const result: TemplatePolicies = { policies: [], findings: [], frozen: new WeakSet(), embedded: [] };
  const facts = templateFacts(root, parameters);
  const reader = new IntrinsicReader(facts);
  if (parameters) result.declaredParameters = [...facts.parameters.keys()];
  const conditions = new ConditionEvaluator(root, facts);
  const builder = new TreeBuilder(text, json, reader, result, conditions);
  const boundaries = boundaryIds(root, conditions);
  for (const [id, , resource] of members(member(root, 'Resources'))) {
    const type = scalarText(member(resource, 'Type'));
    const properties = type ? POLICY_PROPERTIES[type] : undefined;
    if (!properties) continue;
    // A resource under a condition the parameter values given make false is not created.
    if (resourceCondition(resource, conditions) === false) continue;
    const props = member(resource, 'Properties');
    // CDK's synthesized templates say which construct made a resource: its findings name it.
    const construct = scalarText(member(member(resource, 'Metadata'), 'aws:cdk:path'));
    const before = result.policies.length;
    for (const property of properties) {
      if (property.when !== undefined && scalarText(member(props, 'Type')) !== property.when) continue;
      for (const [value, address] of walk(props, property.path, id)) {
        if (property.sam) {
          for (const [document, where, synthesized] of samDocuments(value, address)) builder.add(document, where, property.kind, id, synthesized);
        } else {
          builder.add(value, address, property.kind, id);
        }
      }
    }
    const inlineIn = INLINE_IN[type!];
    const boundary = type === 'AWS::IAM::ManagedPolicy' && (boundaries.has(id) || BOUNDARY_NAME.test(id) || BOUNDARY_NAME.test(spelledName(member(props, 'ManagedPolicyName'))));
    for (const policy of result.policies.slice(before)) {
      if (construct) policy.address = `${policy.address} (construct ${construct})`;
      if (inlineIn && policy.kind === 'identity-policy') policy.inlineIn = inlineIn;
      if (boundary) policy.boundary = true;
    }
  }
  return result;
}

/** A name that says its policy is a permissions boundary (`PermissionsBoundary`, `cdk-...-permissions-boundary-...`). */
const BOUNDARY_NAME = /permissions?[-_ ]?boundary/i;

/** Whether the resource's own `Condition` holds: undefined without one, or when the values given do not decide it. */
function resourceCondition(resource: TemplateNode, conditions: ConditionEvaluator): boolean | undefined {
  const name = scalarText(member(resource, 'Condition'));
  return name === undefined ? undefined : conditions.value(name);
}

/**
 * The logical IDs a role's or user's `PermissionsBoundary` references (`!Ref Policy`, or `!Sub`
 * naming it), and those whose `ManagedPolicyName` a boundary ARN ends with (`policy/my-boundary`).
 */
function boundaryIds(root: TemplateNode, conditions: ConditionEvaluator): Set<string> {
  const ids = new Set<string>();
  const arns: string[] = [];
  for (const [, , resource] of members(member(root, 'Resources'))) {
    if (resourceCondition(resource, conditions) === false) continue;
    const type = scalarText(member(resource, 'Type'));
    if (type !== 'AWS::IAM::Role' && type !== 'AWS::IAM::User') continue;
    const stack: (TemplateNode | undefined)[] = [member(member(resource, 'Properties'), 'PermissionsBoundary')];
    for (let visited = 0; stack.length > 0 && visited < 1000; visited++) {
      const node = deref(stack.pop());
      if (!node) continue;
      if (node.type === 'string' && typeof node.value === 'string') {
        // A Ref's target, or a name inside a !Sub string (`${BoundaryPolicy}`).
        ids.add(node.value);
        arns.push(node.value);
        for (const match of node.value.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) ids.add(match[1]);
      }
      for (const child of node.children ?? []) stack.push(child);
    }
  }
  for (const [id, , resource] of members(member(root, 'Resources'))) {
    if (scalarText(member(resource, 'Type')) !== 'AWS::IAM::ManagedPolicy') continue;
    const name = scalarText(member(member(resource, 'Properties'), 'ManagedPolicyName'));
    if (name && arns.some((arn) => arn.endsWith(`:policy/${name}`) || arn.endsWith(`/${name}`))) ids.add(id);
  }
  return ids;
}

/** The text a name property spells, its template values included as written (`${Qualifier}`). */
function spelledName(node: TemplateNode | undefined): string {
  const found = deref(node);
  if (!found) return '';
  if (found.type === 'string') return String(found.value);
  return (found.children ?? []).map(spelledName).join(' ');
}

function walk(node: TemplateNode | undefined, path: Step[], address: string): [TemplateNode, string][] {
  let current: [TemplateNode, string][] = node ? [[node, address]] : [];
  let first = true;
  for (const step of path) {
    const next: [TemplateNode, string][] = [];
    for (const [at, where] of current) {
      if (step === '[]') {
        const list = deref(at);
        if (list?.type !== 'array' || intrinsicOf(list)) continue;
        (list.children ?? []).forEach((child, index) => next.push([child, `${where}[${index}]`]));
      } else {
        const value = member(at, step);
        // The address names the property, and the list index, not the document inside it ("AppRole Policies[0]").
        if (value) next.push([value, step === 'PolicyDocument' && where.endsWith(']') ? where : `${where}${first ? ' ' : '.'}${step}`]);
      }
    }
    current = next;
    first = false;
  }
  return current;
}

/**
 * SAM `Policies`: a name, a document, or a list of names, policy templates (the KMS ones expanded)
 * and documents. Each document with its address, and whether the host wrote it (an expansion).
 */
function samDocuments(value: TemplateNode, address: string): [TemplateNode, string, boolean][] {
  const node = deref(value);
  if (!node) return [];
  const isDocument = (n: TemplateNode | undefined) => !intrinsicOf(n) && member(n, 'Statement') !== undefined;
  if (node.type === 'object') return isDocument(node) ? [[node, address, false]] : [];
  if (node.type !== 'array' || intrinsicOf(node)) return [];
  const result: [TemplateNode, string, boolean][] = [];
  (node.children ?? []).forEach((child, index) => {
    if (isDocument(child)) result.push([child, `${address}[${index}]`, false]);
    const kms = samKmsDocument(child);
    if (kms) result.push([kms, `${address}[${index}]`, true]);
  });
  return result;
}

class TreeBuilder {
  private count = 0;
  private aliased = 0;

  constructor(
    private readonly text: string,
    private readonly json: boolean,
    private readonly reader: IntrinsicReader,
    private readonly result: TemplatePolicies,
    private readonly conditions: ConditionEvaluator,
  ) {}

  /** `synthesized`: a document the host wrote (a SAM policy template's): no node of it can be edited. */
  add(value: TemplateNode, address: string, kind: PolicyKind, resource?: string, synthesized = false): void {
    const node = deref(value);
    if (!node) return;
    const intrinsic = intrinsicOf(node);
    let root: TreeNode | undefined;
    if (intrinsic) {
      // `KeyPolicy: !Sub '{"Statement": ...}'`: a JSON string with variables.
      if (intrinsic.name !== 'Fn::Sub') return;
      const argument = deref(intrinsic.argument);
      const template = argument?.type === 'string' ? argument : argument?.type === 'array' ? deref(argument.children?.[0]) : undefined;
      if (template?.type !== 'string') return;
      const variables = argument?.type === 'array' ? argument.children?.[1] : undefined;
      root = this.embedded(template, address, (s) => this.reader.sub(s, variables));
    } else if (node.type === 'string') {
      root = this.embedded(node, address);
    } else if (node.type === 'object') {
      root = this.copy(value, undefined, 0, undefined);
    }
    if (root && synthesized) this.freezeAll(root);
    if (root && root.type === 'object') this.result.policies.push({ root, kind, kindSource: 'host', address, resource });
  }

  private freezeAll(node: TreeNode): void {
    this.freeze(node);
    for (const child of node.children ?? []) this.freezeAll(child);
  }

  private freeze(node: TreeNode): TreeNode {
    this.result.frozen.add(node);
    return node;
  }

  /** Copies a template subtree into the policy tree; `fixed` gives every node one span (an alias's) and freezes it. */
  copy(source: TemplateNode, parent: TreeNode | undefined, depth: number, fixed: { offset: number; length: number } | undefined): TreeNode {
    const span = fixed ?? source;
    if (++this.count > MAX_NODES || depth > MAX_NESTING || (fixed && ++this.aliased > MAX_ALIAS_NODES)) return this.freeze(new TreeNode('null', span.offset, span.length, null, parent));
    if (source.alias) {
      const target = deref(source);
      if (!target) return this.freeze(new TreeNode('null', span.offset, span.length, null, parent));
      return this.copy(target, parent, depth + 1, fixed ?? { offset: source.offset, length: source.length });
    }
    const intrinsic = intrinsicOf(source);
    if (intrinsic) {
      const parts = mergeParts(this.reader.intrinsicParts(intrinsic));
      const node = new TreeNode('string', span.offset, span.length, spell(parts), parent);
      if (parts.some((p) => !('literal' in p))) node.parts = parts;
      return this.freeze(node);
    }
    let node: TreeNode;
    switch (source.type) {
      case 'object': {
        node = new TreeNode('object', span.offset, span.length, undefined, parent);
        node.children = [];
        for (const property of source.children ?? []) {
          const [key, value] = property.children ?? [];
          if (!key || !value) continue;
          const p = new TreeNode('property', fixed ? span.offset : property.offset, fixed ? span.length : property.length, undefined, node);
          const k = new TreeNode('string', fixed ? span.offset : key.offset, fixed ? span.length : key.length, key.value, p);
          if (fixed) this.freeze(p), this.freeze(k);
          p.colonOffset = property.colonOffset;
          p.children = [k, this.copy(value, p, depth + 1, fixed)];
          node.children.push(p);
        }
        break;
      }
      case 'array':
        node = new TreeNode('array', span.offset, span.length, undefined, parent);
        node.children = [];
        for (const child of source.children ?? []) {
          const conditional = conditionalElements(child);
          if (!conditional) {
            node.children.push(this.copy(child, node, depth + 1, fixed));
            continue;
          }
          for (const [element, condition] of conditional) {
            // Decided by the parameter values given: there (true) or not (false); else there only if it holds.
            const decided = this.conditions.value(condition);
            if (decided === false) continue;
            const copied = this.copy(element, node, depth + 1, fixed);
            if (decided === undefined) copied.onlyIf = condition;
            node.children.push(copied);
          }
        }
        break;
      case 'number':
        // A YAML scalar is a string to CloudFormation (111122223333 is an account ID); JSON keeps its numbers.
        node = source.source !== undefined ? new TreeNode('string', span.offset, span.length, source.source, parent) : new TreeNode('number', span.offset, span.length, source.value, parent);
        break;
      default: {
        node = new TreeNode(source.type, span.offset, span.length, source.value, parent);
        const parts = typeof source.value === 'string' ? dynamicReferenceParts(source.value) : undefined;
        if (parts?.some((p) => !('literal' in p))) {
          node.parts = parts;
          node.value = spell(parts);
          return this.freeze(node);
        }
      }
    }
    return fixed ? this.freeze(node) : node;
  }

  /** A policy given as a JSON string: parsed, its spans mapped into the template. */
  private embedded(node: TemplateNode, address: string, sub?: (value: string) => ValuePart[]): TreeNode | undefined {
    if (typeof node.value !== 'string' || !node.value.trimStart().startsWith('{')) return undefined;
    const map = mapString(this.text, node, this.json);
    const json = map.value;
    let tree = parseStrict(json, MAX_NESTING)?.root;
    if (!tree) {
      const scan = scanText(json);
      const errors: ParseError[] = [];
      tree = scan.tooDeepAt === undefined ? (parseTree(scan.normalized, errors, { allowTrailingComma: true, disallowComments: false }) as PolicyNode | undefined) : undefined;
      if (!tree || errors.length > 0) {
        const first = errors[0];
        const span = first ? mapSpan(map, first.offset, first.offset + Math.max(1, first.length)) : map.whole;
        this.result.findings.push({
          ruleId: 'json-syntax',
          severity: 'error',
          ...span,
          message: `${address} is a string that is not valid JSON: the template passes it on to AWS as it is, and AWS rejects the policy.`,
        });
        return undefined;
      }
    }
    const embedded: EmbeddedPolicy = { map, json, source: tree };
    // With `!Sub`, the strings holding variables are refused by the editor (they have parts); the rest edits as JSON.
    const conservative = !map.offsets;
    const copy = (source: PolicyNode, parent: TreeNode | undefined, depth: number): TreeNode => {
      const span = mapSpan(map, source.offset, source.offset + source.length);
      const node = new TreeNode(source.type, span.start, span.end - span.start, source.value, parent);
      if (++this.count > MAX_NODES || depth > MAX_NESTING) return this.freeze(node);
      if (source.children) node.children = source.children.map((child) => copy(child, node, depth + 1));
      node.colonOffset = source.colonOffset === undefined ? undefined : mapSpan(map, source.colonOffset, source.colonOffset + 1).start;
      if (node.type === 'string' && typeof node.value === 'string' && ((sub && node.value.includes('${')) || node.value.includes('{{resolve:'))) {
        const parts = mergeParts(sub && node.value.includes('${') ? sub(node.value) : [{ literal: node.value }]);
        node.value = spell(parts);
        if (parts.some((p) => !('literal' in p))) node.parts = parts;
        // Its text holds a variable even when a supplied parameter spells it: never rewritten.
        else this.freeze(node);
      }
      if (conservative) this.freeze(node);
      return node;
    };
    const root = copy(tree, undefined, 0);
    if (!conservative) this.result.embedded.push(embedded);
    return root;
  }
}

/** `Fn::If [condition, a, b]` where both are objects (statements, principals maps): each is an element the template may write. */
/**
 * The elements a list element `Fn::If [condition, a, b]` may be, each with the condition it holds
 * under (`Cond`, or `!Cond` for the other side): the one element when the other side is
 * `Ref AWS::NoValue`, both when each is an object (a statement, a principal map). Undefined for
 * anything else, which is one value the template fills in.
 */
function conditionalElements(node: TemplateNode): [TemplateNode, string][] | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.name !== 'Fn::If') return undefined;
  const argument = deref(intrinsic.argument);
  const [name, whenTrue, whenFalse] = argument?.type === 'array' ? (argument.children ?? []) : [];
  if (!whenTrue || !whenFalse) return undefined;
  const isNoValue = (n: TemplateNode) => {
    const ref = intrinsicOf(n);
    return ref?.name === 'Ref' && deref(ref.argument)?.value === 'AWS::NoValue';
  };
  const isObject = (n: TemplateNode) => deref(n)?.type === 'object' && !intrinsicOf(n);
  const condition = scalarText(name);
  if (isNoValue(whenFalse) && !isNoValue(whenTrue)) return [[whenTrue, condition ?? 'its condition']];
  if (isNoValue(whenTrue) && !isNoValue(whenFalse)) return [[whenFalse, `!${condition ?? 'its condition'}`]];
  if (condition && isObject(whenTrue) && isObject(whenFalse)) return [[whenTrue, condition], [whenFalse, `!${condition}`]];
  return undefined;
}
