/**
 * The policy model: statements and their elements with exact source spans, built from a
 * host's policy tree (for JSON, a tolerant parse, so rules run even when the text is not strict JSON).
 */
import { checkAwsPrincipal } from './arn';
import { readOperator, type ParsedOperator } from './access/operators';
import { isWhollyUnknown, type KindSource, type PolicyNode as Node, type PolicySource } from './tree';
import type { PolicyKind, Span } from './types';

export type { KindSource } from './tree';

export interface StringItem extends Span {
  value: string;
  node: Node;
}

/** A scalar inside a Condition: strings, booleans and numbers are all legal there. */
export interface ScalarItem extends Span {
  value: string | number | boolean | null;
  node: Node;
}

export interface Element {
  name: string;
  /** The key string, quotes included. */
  readonly keySpan: Span;
  /** The whole `"Key": value` property. */
  readonly propertySpan: Span;
  property: Node;
  value: Node;
}

export interface ListElement {
  element: Element;
  negated: boolean;
  /** String items; non-string items are reported by element-type and left out. */
  items: StringItem[];
  /** The items' values, encoded as one string: equal lists (common across policies) share cached analyses. */
  signature: string;
}

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

export interface PrincipalEntry {
  type: string;
  typeSpan: Span;
  /** The type's key node (a template may fill the type in: `principals.value.type`). */
  typeNode: Node;
  items: StringItem[];
}

export interface PrincipalElement {
  element: Element;
  negated: boolean;
  /** `"Principal": "*"`. */
  wildcard?: StringItem;
  entries: PrincipalEntry[];
}

export interface ConditionEntry {
  operator: string;
  operatorSpan: Span;
  /** The `"Operator": {...}` property. */
  operatorProperty: Node;
  key: string;
  keySpan: Span;
  keyProperty: Node;
  valueNode: Node;
  values: ScalarItem[];
  /** The key lower-cased (keys are case-insensitive): read once here, not by every rule. */
  lowerKey: string;
  /** The operator as IAM reads it; undefined for one that does not exist. */
  parsed: ParsedOperator | undefined;
}

export interface Statement {
  index: number;
  node: Node;
  span: Span;
  elements: Map<string, Element>;
  sid?: StringItem;
  effect?: StringItem;
  actions?: ListElement;
  resources?: ListElement;
  principals?: PrincipalElement;
  condition?: Element;
  conditions: ConditionEntry[];
  /** Parts of the Condition a template fills in whole (`Condition: !If [...]`, `StringEquals: !If [...]`): they may restrict anything. */
  filledInConditions: readonly Node[];
}

export type OwnerSource = 'configuration' | 'root statement' | 'unknown';

export interface PolicyModel {
  text: string;
  root: Node;
  kind: PolicyKind;
  kindSource: KindSource;
  ownerAccount?: string;
  ownerSource: OwnerSource;
  topElements: Map<string, Element>;
  statementElement?: Element;
  statements: Statement[];
  /** Where the policy sits in its host (a template resource), for messages; undefined for a standalone file. */
  /** An inline policy of one role, user or group (the host's `inlineIn`). */
  inlineIn?: 'role' | 'user' | 'group';
  /** A permissions boundary (the host's `boundary`): it grants nothing. */
  boundary?: boolean;
  address?: string;
  /** The template resource whose policy this is (a logical id, a Terraform address), when the host can tell. */
  resource?: string;
  /** A statement, or an array of statements, meant to be spliced into a policy: no Version, no whole-policy checks. */
  fragment: boolean;
  /** Whether any statement has a Condition element. */
  anyCondition: boolean;
  /** The host that read it: outside the JSON host, the text of `root` is that host's syntax (YAML, HCL), not the JSON AWS receives. */
  host?: PolicySource['host'];
}

export function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** Spans are computed on use: most elements are never reported, and a 1 MB policy has many. */
class PropertyElement implements Element {
  constructor(
    readonly name: string,
    readonly property: Node,
    readonly value: Node,
  ) {}

  get keySpan(): Span {
    return spanOf(this.property.children![0]);
  }

  get propertySpan(): Span {
    return spanOf(this.property);
  }
}

export function propertiesOf(node: Node | undefined): Element[] {
  if (!node || node.type !== 'object' || !node.children) return [];
  const result: Element[] = [];
  for (const property of node.children) {
    const element = elementOf(property);
    if (element) result.push(element);
  }
  return result;
}

/** A property's name, when it has a name and a value (a tolerant parse may leave either out). */
function keyOf(property: Node): unknown {
  const children = property.children;
  return children && children.length >= 2 ? children[0].value : undefined;
}

function elementOf(property: Node): Element | undefined {
  const name = keyOf(property);
  return typeof name === 'string' ? new PropertyElement(name, property, property.children![1]) : undefined;
}

/** Properties by name; with duplicates the last wins, as in AWS's parser. */
function elementMap(node: Node | undefined): Map<string, Element> {
  const map = new Map<string, Element>();
  if (!node || node.type !== 'object' || !node.children) return map;
  for (const property of node.children) {
    const element = elementOf(property);
    if (element) map.set(element.name, element);
  }
  return map;
}

function stringItem(node: Node): StringItem {
  return { value: node.value, start: node.offset, end: node.offset + node.length, node };
}

// Items are gathered here and copied out at their exact size: the model of a large policy lives
// through many young-generation collections, and arrays grown by push reserve 17 slots.
const gathered: StringItem[] = [];
const gatheredScalars: ScalarItem[] = [];

export function stringItems(node: Node | undefined): StringItem[] {
  if (!node) return [];
  if (node.type === 'string') return [stringItem(node)];
  if (node.type !== 'array' || !node.children) return [];
  for (const child of node.children) if (child.type === 'string') gathered.push(stringItem(child));
  return gathered.splice(0);
}

function isScalar(n: Node): boolean {
  return n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null';
}

function scalarItems(node: Node): ScalarItem[] {
  if (node.type !== 'array') return isScalar(node) ? [stringItem(node)] : [];
  for (const child of node.children ?? []) if (isScalar(child)) gatheredScalars.push(stringItem(child));
  return gatheredScalars.splice(0);
}

function listElement(elements: Map<string, Element>, name: string): ListElement | undefined {
  const plain = elements.get(name);
  const negated = elements.get('Not' + name);
  const element = plain ?? negated;
  if (!element) return undefined;
  const items = stringItems(element.value);
  // Length-prefixed, so no value (a policy string may hold any character) can fake a boundary.
  // Joined, not concatenated: one flat string, hashed as a cache key without being copied first.
  const pieces: string[] = [plain ? '' : '!'];
  for (const item of items) pieces.push(`${item.value.length}:`, item.value);
  return { element, negated: !plain, items, signature: pieces.join('') };
}

function principalElement(elements: Map<string, Element>): PrincipalElement | undefined {
  const plain = elements.get('Principal');
  const element = plain ?? elements.get('NotPrincipal');
  if (!element) return undefined;
  const result: PrincipalElement = { element, negated: !plain, entries: [] };
  if (element.value.type === 'string') {
    result.wildcard = stringItem(element.value);
  } else if (element.value.type === 'object') {
    for (const property of element.value.children ?? []) {
      const entry = elementOf(property);
      if (entry) result.entries.push({ type: entry.name, typeSpan: entry.keySpan, typeNode: property.children![0], items: stringItems(entry.value) });
    }
  }
  return result;
}

function conditionEntries(condition: Element | undefined): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  const value = condition?.value;
  if (!value || value.type !== 'object') return entries;
  for (const operatorProperty of value.children ?? []) {
    const operator = elementOf(operatorProperty);
    if (!operator || operator.value.type !== 'object') continue;
    for (const keyProperty of operator.value.children ?? []) {
      const key = elementOf(keyProperty);
      if (!key) continue;
      entries.push({
        operator: operator.name,
        operatorSpan: operator.keySpan,
        operatorProperty: operator.property,
        key: key.name,
        keySpan: key.keySpan,
        keyProperty: key.property,
        valueNode: key.value,
        values: scalarItems(key.value),
        lowerKey: key.name.toLowerCase(),
        parsed: readOperator(operator.name),
      });
    }
  }
  return entries;
}

const NO_NODES: readonly Node[] = Object.freeze([]);

function filledInConditions(condition: Element | undefined): readonly Node[] {
  const value = condition?.value;
  if (!value) return NO_NODES;
  if (isWhollyUnknown(value)) return [value];
  if (value.type !== 'object') return NO_NODES;
  let found: Node[] | undefined;
  for (const property of value.children ?? []) {
    const operator = property.children?.[1];
    if (operator && isWhollyUnknown(operator)) (found ??= []).push(operator);
  }
  return found ?? NO_NODES;
}

function buildStatement(node: Node, index: number): Statement {
  const elements = elementMap(node);
  const sid = elements.get('Sid');
  const effect = elements.get('Effect');
  const condition = elements.get('Condition');
  return {
    index,
    node,
    span: spanOf(node),
    elements,
    sid: sid?.value.type === 'string' ? stringItem(sid.value) : undefined,
    effect: effect?.value.type === 'string' ? stringItem(effect.value) : undefined,
    actions: listElement(elements, 'Action'),
    resources: listElement(elements, 'Resource'),
    principals: principalElement(elements),
    condition,
    conditions: conditionEntries(condition),
    filledInConditions: filledInConditions(condition),
  };
}

/** True when the root is an object with a Statement: the test for "this JSON is a policy". */
export function looksLikePolicy(root: Node | undefined): boolean {
  if (!root || root.type !== 'object' || !root.children) return false;
  for (const property of root.children) if (keyOf(property) === 'Statement') return true;
  return false;
}

/** An object with Effect and Action (or NotAction): a statement on its own. */
export function looksLikeStatement(node: Node | undefined): boolean {
  if (!node || node.type !== 'object') return false;
  let effect = false;
  let action = false;
  for (const property of node.children ?? []) {
    const name = keyOf(property);
    if (name === 'Effect') effect = true;
    else if (name === 'Action' || name === 'NotAction') action = true;
  }
  return effect && action;
}

/** A statement, or a non-empty array whose objects are mostly statements: a fragment to splice into a policy. */
export function looksLikeFragment(root: Node | undefined): boolean {
  if (!root) return false;
  if (root.type === 'object') return !looksLikePolicy(root) && looksLikeStatement(root);
  if (root.type !== 'array' || !root.children || root.children.length === 0) return false;
  let statements = 0;
  for (const child of root.children) if (looksLikeStatement(child)) statements++;
  return statements * 2 > root.children.length;
}

export function buildModel(text: string, root: Node, kind?: PolicyKind, account?: string, kindSource?: KindSource, fragment = false): PolicyModel {
  const topElements = fragment ? new Map<string, Element>() : elementMap(root);
  const statementElement = topElements.get('Statement');
  const statementNodes = fragment
    ? (root.type === 'array' ? (root.children ?? []).filter((child) => child.type === 'object') : [root])
    : statementElement?.value.type === 'array'
      ? (statementElement.value.children ?? []).filter((child) => child.type === 'object')
      : statementElement?.value.type === 'object'
        ? [statementElement.value]
        : [];
  // Built with push, not map: optimized and unoptimized map() can give arrays of different
  // element kinds, and a new kind late in a run deoptimizes every rule that walks statements.
  const statements: Statement[] = [];
  for (let i = 0; i < statementNodes.length; i++) statements.push(buildStatement(statementNodes[i], i));
  const inferredKind = kind ?? inferKind(statements);
  const rootOwner = account || inferredKind !== 'key-policy' ? undefined : rootStatementAccount(statements);
  // Built in one go, every field set: one object shape for the rules to see.
  const model: PolicyModel = {
    text,
    root,
    kind: inferredKind,
    kindSource: kind ? (kindSource ?? 'configuration') : 'content',
    ownerAccount: account || rootOwner,
    ownerSource: account ? 'configuration' : rootOwner ? 'root statement' : 'unknown',
    topElements,
    statementElement,
    statements,
    address: undefined,
    inlineIn: undefined,
    boundary: undefined,
    fragment,
    anyCondition: statements.some((s) => s.condition !== undefined),
  };
  return model;
}

const STS_ACTION = /^\s*sts:/i;
const KMS_ACTION = /^\s*kms:/i;
const ANY_ACTION = /^\s*\*\s*$/;

/**
 * The kind the content points to, when nothing stronger says. Most statements decide: one stray
 * Principal in an identity policy is that statement's mistake, not a key policy.
 */
function inferKind(statements: Statement[]): PolicyKind {
  let withPrincipal = 0;
  for (const statement of statements) if (statement.principals) withPrincipal++;
  if (withPrincipal === 0 || withPrincipal * 2 < statements.length) return 'identity-policy';
  let anyKms = false;
  let anyOther = false;
  let allSts = true;
  let anyResource = false;
  for (const statement of statements) {
    if (statement.resources) anyResource = true;
    for (const item of statement.actions?.items ?? []) {
      // Tested, not trimmed and lower-cased: no string is made per action.
      if (item.value.startsWith('kms:')) {
        anyKms = true;
        allSts = false;
        continue;
      }
      if (!STS_ACTION.test(item.value)) allSts = false;
      if (KMS_ACTION.test(item.value)) anyKms = true;
      else if (!ANY_ACTION.test(item.value)) anyOther = true;
    }
  }
  if (allSts && !anyResource && statements.some((s) => s.actions && s.actions.items.length > 0)) return 'trust-policy';
  return anyKms && !anyOther ? 'key-policy' : 'resource-policy';
}

/** The account whose root gets kms:* in the key policy: the default "Enable IAM User Permissions". */
function rootStatementAccount(statements: Statement[]): string | undefined {
  for (const statement of statements) {
    if (statement.effect?.value !== 'Allow' || !statement.principals || statement.principals.negated) continue;
    const grantsAll = statement.actions?.items.some((a) => a.value === 'kms:*' || a.value === '*') && !statement.actions.negated;
    if (!grantsAll || statement.conditions.length > 0) continue;
    for (const entry of statement.principals.entries) {
      if (entry.type !== 'AWS') continue;
      for (const item of entry.items) {
        // A templated root (`arn:aws:iam::${account_id}:root`) names the owner as the template spells it.
        const check = checkAwsPrincipal(item.value);
        if (check.ok && check.root && check.account) return check.account;
      }
    }
  }
  return undefined;
}
