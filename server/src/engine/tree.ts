/**
 * The seam between hosts and the engine. A host (standalone JSON, a CloudFormation template, a
 * Terraform module) finds the policies in its text and gives each as a policy tree whose nodes
 * carry spans in the host's own text. The engine never sees host syntax: it reads the tree,
 * reports on spans, and asks the host's editor to render fixes.
 */
import type { Finding, PolicyKind, Span, TextEdit } from './types';
import type { Suppression } from './suppressions';

export type PolicyNodeType = 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null';

/**
 * A node of a policy tree. The shape is jsonc-parser's: a property node has the key (a string
 * node) and the value as its two children. Offsets are UTF-16 offsets into the host text.
 */
export interface PolicyNode {
  type: PolicyNodeType;
  offset: number;
  length: number;
  value?: any;
  children?: PolicyNode[];
  parent?: PolicyNode;
  colonOffset?: number;
  /**
   * A string that is partly or wholly unknown until a tool renders it (a template placeholder,
   * a CloudFormation intrinsic, a Terraform reference). `value` then spells each unknown part
   * as `${label}`; the parts say which pieces are literal.
   */
  parts?: readonly ValuePart[];
  /**
   * An element that exists only when a condition of the template holds (CloudFormation
   * `!If [Cond, <element>, !Ref AWS::NoValue]`): the condition as the template names it (`IsProd`,
   * `!IsProd` for the other branch).
   */
  onlyIf?: string;
}

/** One object shape for every node the engine walks (hosts that build trees use it, so the engine's property reads stay monomorphic). */
export class TreeNode implements PolicyNode {
  children: TreeNode[] | undefined = undefined;
  colonOffset: number | undefined = undefined;
  parts: readonly ValuePart[] | undefined = undefined;
  onlyIf: string | undefined = undefined;
  constructor(
    public type: PolicyNode['type'],
    public offset: number,
    public length: number,
    public value: any,
    public parent: TreeNode | undefined,
  ) {}
}

/** What a host knows of an unknown part, so rules can reason with it. */
export type UnknownMeaning =
  /** The account that holds the template or module (`${AWS::AccountId}`, the caller identity). */
  | 'owner-account'
  | 'partition'
  | 'region'
  /** The ARN of a key the host can name (`!GetAtt DataKey.Arn`, `aws_kms_key.data.arn`). */
  | 'key-arn'
  | 'key-id'
  | 'alias-name'
  | 'alias-arn'
  /** The ARN of another resource of the template, not a key (`aws_sqs_queue.x.arn`, `!GetAtt Queue.Arn`). */
  | 'resource-arn';

export type ValuePart =
  | { literal: string }
  | {
      /** How the user wrote it, for messages: `AWS::AccountId`, `var.account_id`, `!GetAtt DataKey.Arn`. */
      unknown: string;
      meaning?: UnknownMeaning;
      /** The resource it names, for key references: a logical id or a Terraform address. */
      resource?: string;
      /** For a key ID or alias reference: how the same template writes the key's ARN (`!GetAtt DataKey.Arn`, `aws_kms_key.data.arn`), for messages. */
      keyArn?: string;
      /** A template parameter's declared constraints, when the host knows them (CloudFormation `Parameters`). */
      parameter?: { default?: string; allowedPattern?: string; allowedValues?: string[] };
      /**
       * A conditional (`!If [UseKeys, !Ref KeyList, "*"]`): the branches whose value is literal, each
       * with the condition that picks it as the template names it (`UseKeys`, or `!UseKeys` for the other branch).
       */
      branches?: { condition: string; value: string }[];
      /** A value the command line can give: a CloudFormation parameter (`--parameters`) or a Terraform input variable (`--var-file`). */
      input?: 'parameter' | 'variable';
    };

/** A value a template fills in whole (`!If [...]`, `!Ref Actions`, `${var.principals}`): its type is unknown too. */
export function isWhollyUnknown(node: PolicyNode | undefined): boolean {
  return !!node && node.type === 'string' && !!node.parts && node.parts.length === 1 && 'unknown' in node.parts[0];
}

/** The marker the engine puts for an unknown part when it needs one string: it appears in no real value. */
export const UNKNOWN_MARK = '\u{f0000}';

/** Edits on the tree, rendered by the host in its own syntax, keeping the user's layout. */
export interface PolicyEditor {
  /** Replaces a string value. */
  replaceString(item: Span, value: string): TextEdit;
  /** Replaces any value (scalar, array or object). */
  replaceValue(node: PolicyNode, value: unknown): TextEdit;
  /** Adds `name: value` as the last property of an object. */
  addProperty(object: PolicyNode, name: string, value: unknown): TextEdit;
  /** Adds `name: value` as the first property of an object. */
  addFirstProperty(object: PolicyNode, name: string, value: unknown): TextEdit;
  /** Removes a property node, with its separator. */
  removeProperty(property: PolicyNode): TextEdit;
  /** Renames a property key; the span is the key node's. */
  renameKey(keySpan: Span, newName: string): TextEdit;
  /** Adds strings to a string-or-list value (Action, Resource). */
  addToList(valueNode: PolicyNode, items: readonly { value: string }[], additions: string[]): TextEdit;
  /** Appends a value to an array. */
  appendToArray(array: PolicyNode, value: unknown): TextEdit;
  /** Whether the edit may touch this node: false where the host would have to rewrite an intrinsic or expression. */
  canEdit?(node: PolicyNode): boolean;
}

/** How a policy's kind was known, strongest first. */
export type KindSource = 'configuration' | 'host' | 'file name' | 'content';

/** One policy a host found in its text. */
export interface HostedPolicy {
  /** The policy document (an object with Statement), or a statement fragment (an object or an array of statements). */
  root: PolicyNode;
  kind?: PolicyKind;
  kindSource?: KindSource;
  /** Where in the host it sits, for messages: a logical id and property, a Terraform address. */
  address?: string;
  /** The resource whose policy this is, when the host can tell: a Terraform address (`aws_kms_key.data`), a logical id. */
  resource?: string;
  /** True for a single statement or an array of statements meant to be spliced into a policy. */
  fragment?: boolean;
  /** An identity policy embedded in one role, user or group (an inline policy), whose size quota differs from a managed policy's. */
  inlineIn?: 'role' | 'user' | 'group';
  /**
   * A managed policy used as a permissions boundary (a role's or user's `PermissionsBoundary`
   * names it, or its name says it is one): it sets the most a principal may do and grants nothing.
   */
  boundary?: boolean;
}

/** What a host gives the engine for one text. */
export interface PolicySource {
  /** The host's own text; every span points into it. */
  text: string;
  host: 'json' | 'cloudformation' | 'terraform' | 'terraform-json' | 'terraform-plan' | 'serverless' | 'pulumi' | 'ansible';
  policies: HostedPolicy[];
  /** Problems the host found itself (syntax, strict JSON, template errors). */
  findings: Finding[];
  /** Whether the text is a document of this host that should be reported on even with no policy (a broken policy file). */
  isPolicyFile: boolean;
  /** The text did not parse cleanly: fixes other than the host's own are dropped, as they could land anywhere. */
  broken: boolean;
  /** Rule ids whose fixes stay even on broken text (the host's own lexical fixes). */
  keepFixesOf?: ReadonlySet<string>;
  /** A template rendered by another tool (`*.json.tpl`, CloudFormation, Terraform). */
  template?: boolean;
  editor: PolicyEditor;
  /** Policies a host renders from another file (Terraform's `templatefile(...)`), for the project layer to check. */
  templateFiles?: TemplateFileCall[];
  /** KMS grants the text creates (Terraform `aws_kms_grant`): access paths of their keys for `explain`. */
  grants?: HostedGrant[];
  /** The editor refuses no node (plain JSON, no template values): fixes need no check against refused spans. */
  refusesNothing?: boolean;
  /** Suppressions written in the text (`# keyshare:ignore ...`, CloudFormation Metadata), with what each covers. */
  suppressions?: Suppression[];
  /** The inputs the text declares (CloudFormation parameters, Terraform variables), when it was read with values for them. */
  declaredInputs?: string[];
}

/** A call that renders a policy from a template file: its path as written and the variables known literally. */
export interface TemplateFileCall {
  /** The path argument; unknown parts spelled `${label}` (`${path.module}/policy.json.tpl`). */
  path: string;
  /** Template variables whose values are literal strings, numbers or booleans. */
  vars: Record<string, string>;
  /** Template variables given as expressions (unknown until the tool runs). */
  unknownVars: string[];
  /** The call's span in the host text. */
  span: Span;
  /** `templatefile` renders the template; `file` reads it as it is (no variables). */
  function: 'templatefile' | 'file';
  kind?: PolicyKind;
  address?: string;
  resource?: string;
}

/** A KMS grant a template creates: who may use which key for what, and whether a constraint narrows it. */
export interface HostedGrant {
  /** The grant's address (`aws_kms_grant.app`). */
  address: string;
  span: Span;
  /** The key's resource in the same template (`aws_kms_key.data`), when the key reference names one. */
  keyResource?: string;
  /** The grantee principal as written (parts for what the template fills in). */
  grantee: PolicyNode;
  /** The grant operations as written (`Decrypt`, no `kms:` prefix). */
  operations: PolicyNode[];
  /** Every operation is written out (not `var.operations`, not a reference). */
  operationsKnown: boolean;
  /** The grant has an encryption-context constraint (equals or subset). */
  constrained: boolean;
  /** The constraint's pairs, where the host reads them all as text. */
  constraint?: { equals?: Record<string, string>; subset?: Record<string, string> };
  /** The principal that may retire the grant, as written. */
  retiringPrincipal?: PolicyNode;
  /** An operation AWS does not accept in a grant: CreateGrant fails, and the grant never exists. */
  rejected?: boolean;
}
