/**
 * Policies inside the JSON that people save from the AWS CLI, consoles and API recorders, and
 * files that hold several named policies: every policy-shaped object (one with a Statement) under
 * a root that is no policy itself, and every string that holds one, as a JSON string
 * (`aws kms get-key-policy`: `{"Policy": "{\n  \"Version\" : ...}"}`) or URL-encoded as the IAM
 * API returns documents (`%7B%22Version%22...`). Each becomes a HostedPolicy with its kind when the
 * wrapper says it and an address from the wrapper's names (`RoleDetailList[app].RolePolicyList[decrypt]`).
 *
 * A policy in a string is parsed from its decoded text, and each character of that text maps back
 * to where the file spells it (a JSON escape, a `%XX` sequence or the character itself), so every
 * span lands on the text that spells it.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { looksLikePolicy } from '../../engine/model';
import type { HostedPolicy, PolicyNode } from '../../engine/tree';
import { TreeNode } from '../../engine/tree';
import type { Finding, PolicyKind, Span } from '../../engine/types';
import { mapSpan, mapString, type StringMap } from '../cloudformation/embedded';
import type { TemplateNode } from '../cloudformation/templateTree';
import { MAX_NESTING, scanText } from './scan';
import { parseStrict } from './strictParse';
import { syntaxFindings } from './syntax';

/** A policy written as a string in the file: its decoded JSON and where each of its characters is spelled. */
export interface EmbeddedPolicy {
  /** Text offset of each character of `json` (and of its end); undefined offsets: conservative, every span the whole string's. */
  map: StringMap;
  /** The policy's JSON text, decoded. */
  json: string;
  encoding: 'json-string' | 'url-encoded';
  /** Edits can be written back: a JSON string mapped exactly (never URL-encoded text). */
  editable: boolean;
  /** The tree of `json` (spans in `json`): the editor finds there the node a file node copies. Absent: parsed again from `json` when an edit needs it. */
  source?: PolicyNode;
  /** The policy's tree, spans in the file. */
  root?: PolicyNode;
  /** Keys its object repeats, as the strict parse found them (nodes of `root`); undefined when not parsed strictly. */
  duplicates?: readonly { key: PolicyNode; first: PolicyNode }[];
}

export interface WrappedPolicies {
  policies: HostedPolicy[];
  findings: Finding[];
  /** Policies given as strings, in text order. */
  embedded: EmbeddedPolicy[];
  /** Nodes no fix may rewrite: inside URL-encoded or conservatively mapped strings. */
  frozen: WeakSet<PolicyNode>;
}

/** Keys that hold an IAM policy document beside its names. */
const DOCUMENT_KEYS = new Set(['policydocument', 'document']);
/** Lists of get-account-authorization-details (and AWS Config's camelCase) whose documents are identity policies. */
const IDENTITY_LISTS = new Set(['userpolicylist', 'grouppolicylist', 'rolepolicylist', 'policyversionlist']);
/** An object naming the user, group or role whose inline policy it holds (get-role-policy and the like). */
const IDENTITY_OWNERS = new Set(['rolename', 'username', 'groupname']);
/** Names that label an element in an address, first found wins. */
const NAME_KEYS = ['policyname', 'rolename', 'username', 'groupname', 'versionid'];

/** Nodes visited at most (a wrapper of 100 MB stops here rather than stall). */
const MAX_VISITS = 5_000_000;

const JSON_POLICY = /^\s*\{/;
const URL_POLICY = /^\s*%7B/i;
const URL_STATEMENT = /%22Statement%22/i;

function keyOf(property: PolicyNode): string | undefined {
  const key = property.children?.[0]?.value;
  return typeof key === 'string' ? key : undefined;
}

/** The string value of the first of `keys` (lower case, in order of preference) the object has. */
function stringMember(object: PolicyNode, keys: readonly string[]): string | undefined {
  let best: string | undefined;
  let rank = keys.length;
  for (const property of object.children ?? []) {
    const value = property.children?.[1];
    if (value?.type !== 'string') continue;
    const at = keys.indexOf(keyOf(property)?.toLowerCase() ?? '');
    if (at >= 0 && at < rank) {
      rank = at;
      best = value.value;
    }
  }
  return best;
}

function hasMember(object: PolicyNode, keys: ReadonlySet<string>): boolean {
  for (const property of object.children ?? []) if (keys.has(keyOf(property)?.toLowerCase() ?? '')) return true;
  return false;
}

function nameOf(node: PolicyNode | undefined): string | undefined {
  return node?.type === 'object' ? stringMember(node, NAME_KEYS) : undefined;
}

/** `IsDefaultVersion: false` (a policy version that is not in effect). */
function isOtherVersion(node: PolicyNode): boolean {
  if (node.type !== 'object') return false;
  for (const property of node.children ?? []) {
    if (keyOf(property)?.toLowerCase() !== 'isdefaultversion') continue;
    const value = property.children?.[1];
    return value?.value === false || value?.value === 'false';
  }
  return false;
}

/**
 * The kind the wrapper says: `key` holds the policy in `container`, which sits under `holder`
 * (the key of the property or list that holds the container, lower case).
 */
function kindFor(key: string, container: PolicyNode, holder: string): PolicyKind | undefined {
  if (key === 'assumerolepolicydocument') return 'trust-policy';
  if (key === 'keypolicy') return 'key-policy';
  // kms get-key-policy: {"Policy": "...", "PolicyName": "default"}. Without the name the shape is
  // also s3api get-bucket-policy's and lambda get-policy's: the content decides.
  if (key === 'policy' && stringMember(container, ['policyname']) !== undefined) return 'key-policy';
  if (DOCUMENT_KEYS.has(key) && (IDENTITY_LISTS.has(holder) || holder === 'policyversion' || hasMember(container, IDENTITY_OWNERS))) return 'identity-policy';
  return undefined;
}

/** Reads the policies under a root that is no policy itself. */
export function findWrappedPolicies(text: string, root: PolicyNode): WrappedPolicies {
  const result: WrappedPolicies = { policies: [], findings: [], embedded: [], frozen: new WeakSet() };
  new Finder(text, root, result).start();
  return result;
}

class Finder {
  private visits = 0;

  constructor(
    private readonly text: string,
    private readonly root: PolicyNode,
    private readonly result: WrappedPolicies,
  ) {}

  start(): void {
    if (this.root.type === 'object') this.visitObject(this.root, '', '', 0);
    else if (this.root.type === 'array') this.visitArray(this.root, '', '', 0);
  }

  /** The address of a policy found at `where`: the list element names it, not the document inside it. */
  private address(where: string, key: string): string {
    const inNamed = /^(.*\])\.(PolicyDocument|Document)$/i.exec(where);
    if (inNamed) return inNamed[1];
    // get-role-policy and the like: the document at the root is known by its PolicyName.
    if (where === key && DOCUMENT_KEYS.has(key.toLowerCase())) return nameOf(this.root) ?? where;
    return where;
  }

  private visitObject(object: PolicyNode, path: string, holder: string, depth: number): void {
    if (depth > MAX_NESTING) return;
    for (const property of object.children ?? []) {
      const key = keyOf(property);
      const value = property.children?.[1];
      if (key === undefined || !value || ++this.visits > MAX_VISITS) continue;
      const label = nameOf(value);
      const where = `${path}${path ? '.' : ''}${key}${label !== undefined ? `[${label}]` : ''}`;
      const lower = key.toLowerCase();
      this.visitValue(value, where, key, () => kindFor(lower, object, holder), lower, depth);
    }
  }

  private visitArray(array: PolicyNode, path: string, key: string, depth: number): void {
    if (depth > MAX_NESTING) return;
    const versions = key === 'policyversionlist';
    (array.children ?? []).forEach((element, index) => {
      if (++this.visits > MAX_VISITS) return;
      // Of a managed policy's versions, the default one is in effect; the others are not read.
      if (versions && isOtherVersion(element)) return;
      const where = `${path}[${nameOf(element) ?? index}]`;
      this.visitValue(element, where, '', () => undefined, key, depth);
    });
  }

  /** `holder`: the key the value sits under (for an element, its list's key), lower case. */
  private visitValue(value: PolicyNode, where: string, key: string, kind: () => PolicyKind | undefined, holder: string, depth: number): void {
    if (value.type === 'object') {
      if (looksLikePolicy(value)) this.add(value, this.address(where, key), kind());
      else this.visitObject(value, where, holder, depth + 1);
    } else if (value.type === 'array') {
      this.visitArray(value, where, holder, depth + 1);
    } else if (value.type === 'string' && typeof value.value === 'string') {
      const raw: string = value.value;
      const url = URL_POLICY.test(raw) && URL_STATEMENT.test(raw);
      if (url || (JSON_POLICY.test(raw) && raw.includes('"Statement"'))) this.embedded(value, this.address(where, key), kind(), url);
    }
  }

  private add(root: PolicyNode, address: string, kind: PolicyKind | undefined): void {
    // The policy's tree starts at its root, as a standalone policy's does (paths, hover, outline).
    root.parent = undefined;
    const policy: HostedPolicy = { root, address };
    if (kind) {
      policy.kind = kind;
      policy.kindSource = 'host';
    }
    this.result.policies.push(policy);
  }

  private report(span: Span, message: string, related?: Finding['related']): void {
    const finding: Finding = { ruleId: 'json-syntax', severity: 'error', ...span, message };
    if (related && related.length > 0) finding.related = related;
    this.result.findings.push(finding);
  }

  /** A policy given as a string: decoded, parsed, its tree copied with spans in the file. */
  private embedded(node: PolicyNode, address: string, kind: PolicyKind | undefined, url: boolean): void {
    const outer = mapString(this.text, node as TemplateNode, true);
    const map = url ? urlDecoded(outer) : outer;
    if (!map) {
      this.report(outer.whole, `${address} is URL-encoded, but not validly (a % not followed by two hex digits of UTF-8): its policy cannot be read.`);
      return;
    }
    const json = map.value;
    const mapped = (span: Span) => mapSpan(map, span.start, span.end);
    const parsed = parseStrict(json, MAX_NESTING);
    let tree = parsed?.root;
    // A strict parse is the editor's to repeat when a fix needs it: its tree is moved into the file in place.
    const reparsable = !!tree;
    if (!tree) {
      const scan = scanText(json);
      if (scan.tooDeepAt !== undefined) {
        this.report(outer.whole, `${address} nests deeper than ${MAX_NESTING} levels: this is not a policy AWS would accept, and it is not analysed further.`);
        return;
      }
      const errors: ParseError[] = [];
      tree = parseTree(scan.normalized, errors, { allowTrailingComma: true, disallowComments: false }) as PolicyNode | undefined;
      if (!tree || errors.length > 0) {
        const subject = `${address} holds a policy that is not valid JSON, and AWS rejects it`;
        for (const finding of syntaxFindings(scan.normalized, json.length, errors, tree, subject)) {
          this.report(mapped(finding), finding.message, finding.related?.map((r) => ({ ...mapped(r), message: r.message })));
        }
        return;
      }
      // Comments, trailing commas, typographic quotes inside the string: reported where they are, fixed by hand.
      for (const finding of scan.findings) {
        this.result.findings.push({ ruleId: finding.ruleId, severity: 'error', ...mapped(finding), message: finding.message, related: finding.related?.map((r) => ({ ...mapped(r), message: r.message })) });
      }
    }
    if (!looksLikePolicy(tree)) return;
    const editable = !url && !!map.offsets;
    const embedded: EmbeddedPolicy = { map, json, encoding: url ? 'url-encoded' : 'json-string', editable };
    const frozen = this.result.frozen;
    // Each character's file offset, read straight from the map (no span objects: a policy has many nodes).
    const offsets = map.offsets;
    const last = offsets ? offsets.length - 1 : 0;
    const at = (i: number) => offsets![i < 0 ? 0 : i > last ? last : i];
    if (reparsable && offsets) {
      moveInto(tree, at, editable ? undefined : frozen);
      embedded.root = tree;
      embedded.duplicates = parsed!.duplicates;
      this.result.embedded.push(embedded);
      this.add(tree, address, kind);
      return;
    }
    embedded.source = tree;
    const copy = (source: PolicyNode, parent: TreeNode | undefined, depth: number): TreeNode => {
      let node: TreeNode;
      if (offsets) {
        const start = at(source.offset);
        const end = at(source.offset + source.length);
        node = new TreeNode(source.type, start, end > start ? end - start : 0, source.value, parent);
        if (source.colonOffset !== undefined) node.colonOffset = at(source.colonOffset);
      } else {
        node = new TreeNode(source.type, map.whole.start, map.whole.end - map.whole.start, source.value, parent);
        if (source.colonOffset !== undefined) node.colonOffset = map.whole.start;
      }
      if (!editable) frozen.add(node);
      if (source.children && depth <= MAX_NESTING) {
        const children: TreeNode[] = new Array(source.children.length);
        for (let i = 0; i < children.length; i++) children[i] = copy(source.children[i], node, depth + 1);
        node.children = children;
      }
      return node;
    };
    const root = copy(tree, undefined, 0);
    embedded.root = root;
    this.result.embedded.push(embedded);
    this.add(root, address, kind);
  }
}

/** A URL-encoded string's map: its decoded value, each character at the offset of its first `%XX`; undefined when not validly encoded. */
function urlDecoded(outer: StringMap): StringMap | undefined {
  const decoded = percentDecode(outer.value);
  if (!decoded) return undefined;
  const map: StringMap = { value: decoded.value, whole: outer.whole };
  if (outer.offsets) {
    const offsets = new Int32Array(decoded.index.length);
    for (let i = 0; i < offsets.length; i++) offsets[i] = outer.offsets[decoded.index[i]];
    map.offsets = offsets;
  }
  return map;
}

/** Moves a tree parsed from a string's value to the file: each offset through `at`; `frozen` takes every node when the editor may not rewrite them. */
function moveInto(root: PolicyNode, at: (i: number) => number, frozen: WeakSet<PolicyNode> | undefined): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const start = at(node.offset);
    const end = at(node.offset + node.length);
    if (node.colonOffset !== undefined) node.colonOffset = at(node.colonOffset);
    node.offset = start;
    node.length = end > start ? end - start : 0;
    frozen?.add(node);
    if (node.children) for (const child of node.children) stack.push(child);
  }
}

/**
 * Percent-decoding (RFC 3986, as the IAM API encodes documents: `+` stays a plus) with the index
 * in `encoded` of each UTF-16 unit of the result, and one more: the end. A character spelled by
 * several `%XX` (UTF-8) maps to its first one. Undefined when the escapes are not valid UTF-8.
 */
export function percentDecode(encoded: string): { value: string; index: number[] } | undefined {
  const index: number[] = [];
  const parts: string[] = [];
  let literalStart = 0;
  const hex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  let i = 0;
  while (i < encoded.length) {
    if (encoded.charCodeAt(i) !== 37) {
      index.push(i);
      i++;
      continue;
    }
    let j = i;
    while (j + 2 < encoded.length && encoded.charCodeAt(j) === 37 && hex(encoded.charCodeAt(j + 1)) && hex(encoded.charCodeAt(j + 2))) j += 3;
    if (j === i) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(encoded.slice(i, j));
    } catch {
      return undefined;
    }
    parts.push(encoded.slice(literalStart, i), decoded);
    let at = i;
    for (const ch of decoded) {
      const code = ch.codePointAt(0)!;
      for (let unit = 0; unit < ch.length; unit++) index.push(at);
      at += 3 * (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4);
    }
    i = j;
    literalStart = j;
  }
  parts.push(encoded.slice(literalStart));
  index.push(encoded.length);
  return { value: parts.join(''), index };
}
