/**
 * Registry modules whose inputs are a key policy: `module "kms" { source =
 * "terraform-aws-modules/kms/aws" ... }` writes no policy text, yet its `key_users`,
 * `key_administrators`, `key_statements` (and the rest) are one. The module's own
 * `data "aws_iam_policy_document" "this"` (main.tf, v1 to v4) says which statement each input
 * becomes; that is mirrored here, so the rules and explain see the key policy the module
 * deploys. Statement parts the module writes are refused by the editor (the user cannot edit
 * them here); the values the user gives (principals, their own statements) stay editable.
 */
import type { HostedGrant, PolicyNode } from '../../engine/tree';
import { attribute, type Attribute, type ReadContext, type Use } from './context';
import { STATEMENT_ATTRIBUTES } from './documents';
import { isEmptyList, isNullLiteral, node, property } from './expressions';
import { constraintOf, reportInvalidOperations } from './grants';
import { registryModule } from './policyModules';
import { firstNamed, named, referencePath, unwrap, type SyntaxNode } from './syntax';

/** terraform-aws-modules/kms from the registry or from GitHub, with an optional `//subdir` and `?ref=`. */
const KMS_MODULE_SOURCE = registryModule('kms');

/** Whether a module block's `source` is a module this host reads the inputs of. */
export function isPolicyModuleSource(source: string): boolean {
  return KMS_MODULE_SOURCE.test(source.trim());
}

interface GeneratedStatement {
  sid: string;
  actions: readonly string[];
  /** `Bool kms:GrantIsForAWSResource true`, as the module writes for service users. */
  forAwsResource?: boolean;
}

const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Input (a list of principal ARNs) → the statements the module writes for it when the list is not empty. */
const PRINCIPAL_INPUTS: readonly [string, readonly GeneratedStatement[]][] = [
  ['key_owners', [{ sid: 'KeyOwner', actions: ['kms:*'] }]],
  [
    'key_administrators',
    [
      {
        sid: 'KeyAdministration',
        actions: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:ReplicateKey', 'kms:ImportKeyMaterial'],
      },
    ],
  ],
  ['key_users', [{ sid: 'KeyUsage', actions: USE_ACTIONS }]],
  ['key_service_users', [{ sid: 'KeyServiceUsage', actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], forAwsResource: true }]],
  [
    'key_service_roles_for_autoscaling',
    [
      { sid: 'KeyServiceRolesASG', actions: USE_ACTIONS },
      { sid: 'KeyServiceRolesASGPersistentVol', actions: ['kms:CreateGrant'], forAwsResource: true },
    ],
  ],
  ['key_symmetric_encryption_users', [{ sid: 'KeySymmetricEncryption', actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] }]],
  ['key_hmac_users', [{ sid: 'KeyHMAC', actions: ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'] }]],
  ['key_asymmetric_public_encryption_users', [{ sid: 'KeyAsymmetricPublicEncryption', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'] }]],
  ['key_asymmetric_sign_verify_users', [{ sid: 'KeyAsymmetricSignVerify', actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'] }]],
];

type Span = { start: number; end: number };

/** Reads one kms module block into the key policy it deploys. */
export class KmsModuleReader {
  constructor(
    private readonly cx: ReadContext,
    /** Reads a `policy` input written as a policy (jsonencode, a document's `.json`, JSON text). */
    private readonly policyValue: (expression: SyntaxNode, use: Use) => void,
    /** A policy document (`data.aws_iam_policy_document.<name>`) the module merges into its key policy. */
    private readonly mergedDocument: (name: string, use: Use) => void,
  ) {}

  read(block: SyntaxNode, name: string): void {
    const body = firstNamed(block, 'body');
    if (!body) return;
    const inputs = new Map<string, Attribute>();
    for (const item of named(body)) {
      const found = item.type === 'attribute' ? attribute(item) : undefined;
      if (found) inputs.set(found.name, found);
    }
    const create = inputs.get('create');
    if (create && this.is(create.value, false)) return;
    const use: Use = { kind: 'key-policy', address: `module.${name}`, resource: `module.${name}` };
    const grants = inputs.get('grants');
    if (grants && !isNullLiteral(grants.value)) this.grants(grants, use.resource);
    // `coalesce(var.policy, <generated>)`: a policy given replaces the generated one.
    const given = inputs.get('policy');
    if (given && !isNullLiteral(given.value) && !this.is(given.value, '')) {
      this.policyValue(given.value, { ...use, address: `module.${name}.policy` });
      return;
    }
    const header = headerSpan(block);
    const statements: PolicyNode[] = [];
    const defaultInput = inputs.get('enable_default_policy');
    if (!defaultInput || !this.is(defaultInput.value, false)) {
      const span = defaultInput ? keySpan(defaultInput) : header;
      const statement = this.generated({ sid: 'Default', actions: ['kms:*'] }, span, this.ownerRoot(span));
      if (defaultInput && !this.is(defaultInput.value, true)) statement.onlyIf = 'enable_default_policy is true';
      statements.push(statement);
    }
    for (const [input, generated] of PRINCIPAL_INPUTS) {
      const found = inputs.get(input);
      if (!found || isNullLiteral(found.value) || isEmptyList(found.value)) continue;
      // Written out, or given (--var-file): a list known not to be empty writes the statement for certain.
      const probe = this.cx.values.value(found.value, undefined, 2);
      if (probe.type === 'array' && probe.children?.length === 0 && !unwrap(found.value).type.startsWith('function')) continue;
      const written = unwrap(found.value).type === 'collection_value' || (probe.type === 'array' && !!probe.children?.length && probe.children.every((c) => !c.parts));
      for (const [i, one] of generated.entries()) {
        // Each statement its own copy of the list (a node has one parent).
        const statement = this.generated(one, keySpan(found), i === 0 ? probe : this.cx.values.value(found.value, undefined, 2));
        // A list only Terraform knows may be empty, and then the module writes no statement.
        if (!written) statement.onlyIf = `${input} is not empty`;
        statements.push(statement);
      }
    }
    const dnssec = inputs.get('enable_route53_dnssec');
    if (dnssec && !this.is(dnssec.value, false)) statements.push(...this.dnssecStatements(dnssec, inputs.get('route53_dnssec_sources')));
    const own = inputs.get('key_statements');
    if (own && !isNullLiteral(own.value)) statements.push(...this.ownStatements(own, conditionsSpelling(this.text(inputs.get('version')), this.text(inputs.get('source')) ?? '')));
    // Documents merged in by the module's data source: statements only Terraform can read.
    for (const merged of ['source_policy_documents', 'override_policy_documents']) {
      const found = inputs.get(merged);
      if (!found || isNullLiteral(found.value) || isEmptyList(found.value)) continue;
      statements.push(this.cx.values.unknown(found.value, found.value));
      // A document of this module's file is checked there, as statements of a key policy (the root statement may be the module's).
      const list = unwrap(found.value);
      const elements = list.type === 'collection_value' ? named(named(list)[0] ?? list).filter((e) => e.type === 'expression') : [found.value];
      for (const element of elements) {
        const path = referencePath(element);
        if (path?.[0] === 'data' && path[1] === 'aws_iam_policy_document' && path[2]) this.mergedDocument(path[2], use);
      }
    }
    const root = this.object(block.startIndex, block.endIndex, [
      ['Version', this.fixed('2012-10-17', header)],
      ['Statement', this.array(statements, header)],
    ]);
    this.cx.found.push({ at: block.startIndex, policy: { root, kind: 'key-policy', kindSource: 'host', address: use.address, resource: use.resource, fragment: false } });
  }

  /**
   * `grants = { name = { grantee_principal, operations, constraints, retiring_principal } }`: each
   * an `aws_kms_grant` of the module's key, for explain, its operations checked.
   */
  private grants(input: Attribute, keyResource: string): void {
    const map = this.cx.values.value(input.value, undefined, 1);
    if (map.type !== 'object') return;
    for (const entry of map.children ?? []) {
      const [label, value] = entry.children ?? [];
      if (!label || !value || value.type !== 'object') continue;
      const grantee = member(value, 'grantee_principal');
      if (!grantee) continue;
      const operationList = member(value, 'operations');
      const operations = operationList?.type === 'array' ? (operationList.children ?? []) : [];
      const constraints = member(value, 'constraints');
      // One constraint object (v1 to v3) or a list of them (v4); one whose pairs are written out is compared, more than one is not read.
      const constrained = !!constraints && constraints.type !== 'null' && !(constraints.type === 'array' && constraints.children?.length === 0);
      const only = constraints?.type === 'object' ? constraints : constraints?.type === 'array' && constraints.children?.length === 1 ? constraints.children[0] : undefined;
      const grant: HostedGrant = {
        address: `module.${keyResource.slice('module.'.length)}.grants.${String(label.value)}`,
        span: { start: entry.offset, end: entry.offset + entry.length },
        keyResource,
        grantee,
        operations,
        operationsKnown: operationList?.type === 'array' && operations.every((o) => o.type === 'string' && !o.parts),
        constrained,
      };
      const constraint = only && constraintOf(member(only, 'encryption_context_equals'), member(only, 'encryption_context_subset'));
      if (constraint) grant.constraint = constraint;
      const retiring = member(value, 'retiring_principal');
      if (retiring && retiring.type !== 'null') grant.retiringPrincipal = retiring;
      if (reportInvalidOperations(this.cx.source, operations)) grant.rejected = true;
      (this.cx.source.grants ??= []).push(grant);
    }
  }

  /** A statement the module writes for an input: its actions as the module spells them, on `*`, to `principals` of a type. */
  private generated(statement: GeneratedStatement, span: Span, principals: PolicyNode, type = 'AWS'): PolicyNode {
    const entries: [string, PolicyNode][] = [
      ['Sid', this.fixed(statement.sid, span)],
      ['Effect', this.fixed('Allow', span)],
      ['Action', this.array(statement.actions.map((a) => this.fixed(a, span)), span, true)],
      ['Resource', this.fixed('*', span)],
      ['Principal', this.object(span.start, span.end, [[type, principals]], true)],
    ];
    if (statement.forAwsResource) entries.push(['Condition', this.forAwsResource(span)]);
    return this.object(span.start, span.end, entries);
  }

  private forAwsResource(span: Span): PolicyNode {
    return this.object(span.start, span.end, [['Bool', this.object(span.start, span.end, [['kms:GrantIsForAWSResource', this.fixed('true', span)]], true)]], true);
  }

  /** The Route 53 DNSSEC statements (`enable_route53_dnssec`), scoped by `route53_dnssec_sources` when it is given. */
  private dnssecStatements(input: Attribute, sources: Attribute | undefined): PolicyNode[] {
    const span = keySpan(input);
    const service = () => this.fixed('dnssec-route53.amazonaws.com', span);
    const sign = this.generated({ sid: 'Route53DnssecService', actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'] }, span, service(), 'Service');
    const grant = this.generated({ sid: 'Route53DnssecGrant', actions: ['kms:CreateGrant'], forAwsResource: true }, span, service(), 'Service');
    if (sources && !isNullLiteral(sources.value) && !isEmptyList(sources.value)) {
      // Each source adds aws:SourceAccount (its account_ids, else the module's account) and aws:SourceArn (its hosted_zone_arn, else every hosted zone).
      const condition = member(grant, 'Condition')!;
      const operators = condition.children!;
      operators.push(this.entry('StringEquals', this.object(span.start, span.end, [['aws:SourceAccount', this.cx.values.unknown(sources.value, sources.value)]], true), condition));
      operators.push(this.entry('ArnLike', this.object(span.start, span.end, [['aws:SourceArn', this.cx.values.unknown(sources.value, sources.value)]], true), condition));
    }
    if (!this.is(input.value, true)) sign.onlyIf = grant.onlyIf = 'enable_route53_dnssec is true';
    return [sign, grant];
  }

  /** `key_statements`: each object as the statement the module's dynamic block writes from it. */
  private ownStatements(input: Attribute, spelling: ConditionsSpelling): PolicyNode[] {
    const list = this.cx.values.value(input.value, undefined, 1);
    if (list.type !== 'array') return [list];
    return (list.children ?? []).map((element) => (element.type === 'object' ? this.ownStatement(element, spelling) : element));
  }

  private ownStatement(element: PolicyNode, spelling: ConditionsSpelling): PolicyNode {
    const entries: [string, PolicyNode, PolicyNode?][] = [];
    let effect = false;
    for (const field of element.children ?? []) {
      const [key, value] = field.children ?? [];
      if (!key || !value || value.type === 'null' || typeof key.value !== 'string') continue;
      const name = STATEMENT_ATTRIBUTES.get(key.value);
      if (name) {
        if ((name === 'NotAction' || name === 'NotResource') && value.type === 'array' && value.children?.length === 0) continue;
        if (name === 'Effect') effect = true;
        entries.push([name, value, key]);
      } else if (key.value === 'principals' || key.value === 'not_principals') {
        entries.push([key.value === 'principals' ? 'Principal' : 'NotPrincipal', this.principalMap(value), key]);
      } else if (key.value === 'condition' || key.value === 'conditions') {
        if (spelling && key.value !== spelling.name) this.droppedConditions(key, spelling);
        else entries.push(['Condition', this.conditionMap(value), key]);
      }
    }
    const span = { start: element.offset, end: element.offset + element.length };
    if (!effect) entries.unshift(['Effect', this.fixed('Allow', { start: span.start, end: Math.min(span.end, span.start + 1) })]);
    const statement = node('object', span.start, span.end, undefined);
    statement.children = entries.map(([name, value, key]) => this.entry(name, value, statement, key));
    return statement;
  }

  /** A statement's conditions under the name its module version does not read: Terraform drops them without a word. */
  private droppedConditions(key: PolicyNode, spelling: NonNullable<ConditionsSpelling>): void {
    this.cx.source.findings.push({
      ruleId: 'unknown-element',
      severity: 'error',
      start: key.offset,
      end: key.offset + key.length,
      message: `terraform-aws-modules/kms ${spelling.version} reads a statement's conditions from "${spelling.name}", not "${key.value}": Terraform drops this attribute without an error, and the statement is deployed without these conditions (checked here as deployed). Rename it "${spelling.name}".`,
      fixes: [{ title: `Rename to "${spelling.name}"`, edits: [{ start: key.offset, end: key.offset + key.length, newText: spelling.name }], safe: true }],
    });
  }

  /** An input written as text (`version`, `source`). */
  private text(input: Attribute | undefined): string | undefined {
    const value = input && this.cx.values.value(input.value, undefined, 0);
    return value?.type === 'string' && !value.parts ? value.value : undefined;
  }

  /** `[{ type, identifiers }]` as a Principal map; a list only Terraform knows stays unknown. */
  private principalMap(value: PolicyNode): PolicyNode {
    if (value.type !== 'array') return value;
    const map = node('object', value.offset, value.offset + value.length, undefined);
    map.children = [];
    for (const item of value.children ?? []) {
      const type = member(item, 'type');
      const identifiers = member(item, 'identifiers');
      if (!type || !identifiers) continue;
      map.children.push(property(type.type === 'string' ? type : this.fixed(String(type.value), spanOf(type)), identifiers, map, item.offset, item.offset + item.length));
    }
    return map;
  }

  /** `[{ test, variable, values }]` as a Condition map (`{test: {variable: values}}`). */
  private conditionMap(value: PolicyNode): PolicyNode {
    if (value.type !== 'array') return value;
    const map = node('object', value.offset, value.offset + value.length, undefined);
    map.children = [];
    for (const item of value.children ?? []) {
      const test = member(item, 'test');
      const variable = member(item, 'variable');
      const values = member(item, 'values');
      if (!test || !variable || !values || test.type !== 'string' || variable.type !== 'string') continue;
      const inner = node('object', item.offset, item.offset + item.length, undefined);
      inner.children = [property(variable, values, inner, item.offset, item.offset + item.length)];
      map.children.push(property(test, inner, map, item.offset, item.offset + item.length));
    }
    return map;
  }

  /** The owner account's root, as the module writes it (`arn:${partition}:iam::${account_id}:root`). */
  private ownerRoot(span: Span): PolicyNode {
    const root = this.fixed('arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root', span);
    root.parts = [{ literal: 'arn:' }, { unknown: 'data.aws_partition.current.partition', meaning: 'partition' }, { literal: ':iam::' }, { unknown: 'data.aws_caller_identity.current.account_id', meaning: 'owner-account' }, { literal: ':root' }];
    return root;
  }

  /** A string the module writes, not the user: it spans `span` and cannot be edited. */
  private fixed(value: string, span: Span): PolicyNode {
    const result = node('string', span.start, span.end, value);
    this.cx.editor.refuse(result);
    return result;
  }

  private array(items: PolicyNode[], span: Span, refused = false): PolicyNode {
    const first = items[0];
    const last = items[items.length - 1];
    const result = refused || !first ? node('array', span.start, span.end, undefined) : node('array', Math.min(first.offset, span.start), Math.max(last.offset + last.length, span.end), undefined);
    result.children = items;
    for (const item of items) item.parent = result;
    if (refused) this.cx.editor.refuse(result);
    return result;
  }

  /** An object of the entries given; `refused` when the module writes it whole. */
  private object(start: number, end: number, entries: [string, PolicyNode][], refused = false): PolicyNode {
    const result = node('object', start, end, undefined);
    result.children = entries.map(([name, value]) => this.entry(name, value, result));
    if (refused) this.cx.editor.refuse(result);
    return result;
  }

  /** `"name": value`, its key spanning what the user wrote for it (`key`) or else the value's start. */
  private entry(name: string, value: PolicyNode, parent: PolicyNode, written?: PolicyNode): PolicyNode {
    const at = written ?? value;
    const key = node('string', at.offset, written ? at.offset + at.length : at.offset, name);
    this.cx.editor.refuse(key);
    // Not refused as a whole: its value may be what the user wrote. The editor has no note of it, so it takes no structural edit.
    return property(key, value, parent, Math.min(key.offset, value.offset), Math.max(key.offset + key.length, value.offset + value.length));
  }

  /** Whether an input is written (or given) as exactly this literal: `false`, `true`, `""`. */
  private is(expression: SyntaxNode, literal: boolean | string): boolean {
    const value = this.cx.values.value(expression, undefined, 0);
    return value.value === literal && !value.parts && (value.type === 'boolean' || value.type === 'string');
  }
}

/** The attribute name the module version reads a statement's conditions from; undefined when the version is not known here. */
type ConditionsSpelling = { name: 'condition' | 'conditions'; version: string } | undefined;

/**
 * Up to v3.1.1 the module reads `try(statement.value.conditions, [])`; from v4.0.0 `key_statements`
 * is typed and read as `statement.value.condition`, and Terraform drops attributes a type does not
 * name. The version is the newest one the registry `version` constraint allows (the latest, v4 or
 * later, when there is none), or a git source's `?ref=vX.Y.Z`; a commit ref is not known here.
 */
export function conditionsSpelling(version: string | undefined, source: string): ConditionsSpelling {
  const ref = /[?&]ref=v?(\d+)(?:\.\d+)*(?:&|$)/.exec(source);
  const git = /github\.com/.test(source);
  let major: number | undefined;
  if (git) major = ref ? Number(ref[1]) : /[?&]ref=/.test(source) ? undefined : Infinity;
  else major = version === undefined ? Infinity : newestMajor(version);
  if (major === undefined) return undefined;
  const shown = git && ref ? `v${ref[0].replace(/^[?&]ref=v?/, '').replace(/&$/, '')}` : version ? `"${version}"` : '(the latest version)';
  return { name: major >= 4 ? 'condition' : 'conditions', version: shown };
}

/** The major version of the newest release a Terraform version constraint allows (Infinity: no upper bound); undefined when it cannot be read. */
function newestMajor(constraint: string): number | undefined {
  let newest = Infinity;
  for (const raw of constraint.split(',')) {
    const match = /^\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[\w.]+)?\s*$/.exec(raw);
    if (!match) return undefined;
    const [, operator = '=', majorText, minor, patch] = match;
    const major = Number(majorText);
    if (operator === '=' ) newest = Math.min(newest, major);
    else if (operator === '~>' && minor !== undefined) newest = Math.min(newest, major);
    else if (operator === '<') newest = Math.min(newest, minor === undefined && patch === undefined ? major - 1 : Number(minor) === 0 && Number(patch ?? 0) === 0 ? major - 1 : major);
    else if (operator === '<=') newest = Math.min(newest, major);
  }
  return newest;
}

function member(object: PolicyNode, name: string): PolicyNode | undefined {
  if (object.type !== 'object') return undefined;
  for (const entry of object.children ?? []) {
    const [key, value] = entry.children ?? [];
    if (key?.value === name) return value;
  }
  return undefined;
}

function spanOf(n: PolicyNode): Span {
  return { start: n.offset, end: n.offset + n.length };
}

/** The input's name: where findings on what the module writes for it land. */
function keySpan(input: Attribute): Span {
  return { start: input.key.startIndex, end: input.key.endIndex };
}

function headerSpan(block: SyntaxNode): Span {
  const open = firstNamed(block, 'block_start');
  return { start: block.startIndex, end: open ? open.endIndex : Math.min(block.endIndex, block.startIndex + 1) };
}
