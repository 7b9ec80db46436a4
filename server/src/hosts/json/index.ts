/**
 * The JSON host: a standalone policy file, or a wrapper that holds policies (AWS CLI output, a
 * file of named policies: `wrappers.ts`). Clean strict JSON goes through the fast parser; anything
 * else through the lexical scan (smart quotes, comments, trailing commas, odd whitespace) and
 * jsonc-parser's tolerant parse of a same-length normalized copy, so every offset is an offset in
 * the user's text. A policy with a syntax error is still checked on the tree the parser
 * recovered, with a note that the result is partial (`syntax.ts`).
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { looksLikeFragment, looksLikePolicy } from '../../engine/model';
import type { HostedPolicy, PolicyNode, PolicySource } from '../../engine/tree';
import type { Finding, PolicyKind } from '../../engine/types';
import { JsonEditor } from './editor';
import { MAX_NESTING, scanText } from './scan';
import { parseStrict, type StrictParse } from './strictParse';
import { errorOffsets, partialParseFinding, splitMergedObjects, syntaxFindings } from './syntax';
import { isTemplateFileName, looksLikeTemplate, markForeignPlaceholders, markTemplateValues, maskTemplate, renderedName, type TemplateHole } from './template';
import { WrapperEditor } from './wrapperEditor';
import { findWrappedPolicies } from './wrappers';

export interface JsonReadOptions {
  /** The file claims to be a policy (its name or configuration): report it even when it is not one. */
  expectPolicy?: boolean;
  /** The file's name or path: its suffix may give the kind (`*.key-policy.json`) or make it a template (`*.json.tpl`). */
  fileName?: string;
  /**
   * Read the policies inside a root that is no policy (`wrappers.ts`). Default: on. Hosts that hand
   * the JSON host the JSON they hold (a Terraform heredoc) and render its edits themselves turn it
   * off: their editors would not re-escape a policy given as a string.
   */
  wrappers?: boolean;
  /** The text's strict parse, when the caller already made it (a host that read the same JSON first): not parsed again. */
  strict?: StrictParse;
}

/** Kinds that a file name states (`data.key-policy.json`, `app.iam.json`, `ci.trust-policy.json`, `guard.scp.json`). */
const KIND_SUFFIXES: readonly [string, PolicyKind][] = [
  ['.key-policy.json', 'key-policy'],
  ['.iam.json', 'identity-policy'],
  ['.trust-policy.json', 'trust-policy'],
  ['.scp.json', 'scp'],
];

export function kindFromFileName(fileName: string | undefined): PolicyKind | undefined {
  if (!fileName) return undefined;
  const name = renderedName(fileName).toLowerCase();
  for (const [suffix, kind] of KIND_SUFFIXES) if (name.endsWith(suffix)) return kind;
  return undefined;
}

/** Keys whose presence in a broken text says it was meant to be a policy or a statement. */
const POLICY_WORDS = /"(Statement|Effect|Action|NotAction)"\s*:/;

const LEXICAL_RULES: ReadonlySet<string> = new Set(['json-strict', 'smart-quotes']);

const NEEDS_LEXICAL_SCAN = /[\u201c-\u201f\u2033\u00ab\u00bb\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Reads a standalone JSON policy file. */
export function readJson(text: string, options: JsonReadOptions = {}): PolicySource {
  // A `.json` that a tool renders (`%{ if }`, `{{ var }}` where a value belongs) is read as the template it is.
  const template = isTemplateFileName(options.fileName) || (!options.strict && looksLikeTemplate(text) && !parseStrict(text, MAX_NESTING));
  const source: PolicySource = { text, host: 'json', policies: [], findings: [], isPolicyFile: false, broken: false, template, editor: new JsonEditor(text) };
  // A template is parsed with its placeholders and directives masked; the offsets are the same.
  const masked = template ? maskTemplate(text) : undefined;
  const parseText = masked ? masked.text : text;
  const holes = masked?.values ?? [];
  const kind = kindFromFileName(options.fileName);
  const expectPolicy = !!options.expectPolicy || !!kind;
  const wrappers = options.wrappers ?? true;
  // Fast path: clean strict JSON needs neither the lexical scan nor the tolerant parser.
  const strict = NEEDS_LEXICAL_SCAN.test(parseText) ? undefined : ((!masked && options.strict) || parseStrict(parseText, MAX_NESTING));
  if (strict) {
    if (!looksLikePolicy(strict.root) && !looksLikeFragment(strict.root)) {
      if (wrappers && addWrapped(source, parseText, strict.root, kind, holes, strict.duplicates)) return source;
      if (!expectPolicy) return source;
    }
    for (const { key, first } of strict.duplicates) source.findings.push(duplicateKeyFinding(key, first));
    addRoot(source, strict.root, expectPolicy, kind, holes);
    return source;
  }
  const scan = scanText(parseText);
  const mentionsStatement = POLICY_WORDS.test(scan.normalized);

  if (scan.tooDeepAt !== undefined) {
    if (!expectPolicy && !mentionsStatement) return source;
    source.isPolicyFile = true;
    source.broken = true;
    source.findings.push({
      ruleId: 'json-syntax',
      severity: 'error',
      start: scan.tooDeepAt,
      end: scan.tooDeepAt + 1,
      message: `Nesting deeper than ${MAX_NESTING} levels: this is not a policy AWS would accept, and it is not analysed further.`,
    });
    return source;
  }

  const errors: ParseError[] = [];
  const root = parseTree(scan.normalized, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true }) as PolicyNode | undefined;
  // Told before the tree is mended: the messages describe what the parser met.
  const syntax = syntaxFindings(scan.normalized, text.length, errors, root);
  if (errors.length > 0) splitMergedObjects(scan.normalized, root, errors);
  const policyRoot = looksLikePolicy(root) || looksLikeFragment(root);
  // A wrapper (CLI output, named policies) with a policy inside: those policies, read as far as the parser recovered.
  const wrapped = wrappers && !!root && !policyRoot && addWrapped(source, scan.normalized, root, kind, holes, undefined, errorOffsets(errors));
  const isPolicy = wrapped || policyRoot || (mentionsStatement && errors.length > 0) || expectPolicy;
  if (!isPolicy) return source;
  source.isPolicyFile = true;
  source.broken = errors.length > 0;
  source.keepFixesOf = LEXICAL_RULES;

  for (const finding of scan.findings) source.findings.push({ severity: 'error', ...finding });
  if (!root && errors.length === 0) {
    source.findings.push({ ruleId: 'json-syntax', severity: 'error', start: 0, end: 0, message: 'The document is empty; a policy is a JSON object with a Statement.' });
  }
  source.findings.push(...syntax);
  // With errors, the rules run only on a recovered tree that has a Statement (or statements): anything less says nothing.
  const checked = wrapped || (!!root && (policyRoot || errors.length === 0));
  if (root && checked && !wrapped) {
    findDuplicateKeys(root, source.findings, errorOffsets(errors));
    addRoot(source, root, expectPolicy, kind, holes);
  }
  if (checked && syntax.length > 0) source.findings.push(partialParseFinding(syntax[0]));
  return source;
}

/**
 * Reads the policies of a root that is no policy itself (`wrappers.ts`) into the source; true when
 * it held any (or a broken one). `duplicates`: the strict parse's repeated keys of the whole file;
 * `errors`: the offsets of the file's syntax errors.
 */
function addWrapped(source: PolicySource, parseText: string, root: PolicyNode, kind: PolicyKind | undefined, holes: readonly TemplateHole[], duplicates: { key: PolicyNode; first: PolicyNode }[] | undefined, errors: readonly number[] = []): boolean {
  // Most JSON that is no policy holds none either: one search spares the walk.
  if (!parseText.includes('Statement')) return false;
  markTemplateValues(root, holes);
  if (hasForeignPlaceholders(source.text)) markForeignPlaceholders(root);
  const found = findWrappedPolicies(parseText, root);
  if (found.policies.length === 0 && found.findings.length === 0) return false;
  source.isPolicyFile = true;
  source.findings.push(...found.findings);
  for (const policy of found.policies) {
    if (!policy.kind && kind) {
      policy.kind = kind;
      policy.kindSource = 'file name';
    }
    source.policies.push(policy);
  }
  // Repeated keys inside the policies (the wrapper's own are no policy's concern).
  const inStrings = new Map(found.embedded.map((e) => [e.root, e]));
  for (const policy of found.policies) {
    const root = policy.root;
    const inString = inStrings.get(root);
    if (inString?.duplicates) for (const { key, first } of inString.duplicates) source.findings.push(duplicateKeyFinding(key, first));
    else if (inString || !duplicates) findDuplicateKeys(root, source.findings, errors);
    else for (const { key, first } of duplicates) if (key.offset > root.offset && key.offset < root.offset + root.length) source.findings.push(duplicateKeyFinding(key, first));
  }
  if (found.embedded.length > 0) source.editor = new WrapperEditor(source.text, found.embedded, found.frozen);
  return true;
}

const hasForeignPlaceholders = (text: string) => text.includes('{{') || text.includes('<%=');

function addRoot(source: PolicySource, root: PolicyNode, expectPolicy: boolean, kind: PolicyKind | undefined, holes: readonly TemplateHole[]): void {
  source.isPolicyFile = true;
  markTemplateValues(root, holes);
  if (hasForeignPlaceholders(source.text)) markForeignPlaceholders(root);
  // Plain JSON: no value is a template's, so the JSON editor refuses no node.
  else if (holes.length === 0) source.refusesNothing = true;
  const fragment = looksLikeFragment(root);
  if (root.type === 'object' || fragment) {
    const policy: HostedPolicy = { root, fragment };
    if (kind) {
      policy.kind = kind;
      policy.kindSource = 'file name';
    }
    source.policies.push(policy);
  } else if (expectPolicy) {
    source.findings.push({ ruleId: 'element-type', severity: 'error', start: root.offset, end: root.offset + root.length, message: 'A policy is a JSON object with a Statement.' });
  }
}

function duplicateKeyFinding(key: PolicyNode, first: PolicyNode): Finding {
  return {
    ruleId: 'duplicate-key',
    severity: 'error',
    start: key.offset,
    end: key.offset + key.length,
    message: `"${key.value}" appears twice in this object. AWS rejects the policy or silently keeps only the last one; merge them.`,
    related: [{ start: first.offset, end: first.offset + first.length, message: 'first occurrence' }],
  };
}

/**
 * Reports keys that repeat within an object of a policy tree (any host's). `errors`: offsets of
 * syntax errors; an object that holds one is what the parser made of broken text, and its
 * repeats may be the parser's, so it is not judged.
 */
export function findDuplicateKeys(root: PolicyNode, findings: Finding[], errors: readonly number[] = []): void {
  const stack: PolicyNode[] = [root];
  const sorted = errors.length > 1 ? errors.slice().sort((a, b) => a - b) : errors;
  const holdsError = (node: PolicyNode) => {
    // The first error after the object's start: inside it or not.
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sorted[mid] <= node.offset) low = mid + 1;
      else high = mid;
    }
    return low < sorted.length && sorted[low] < node.offset + node.length;
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    const children = node.children;
    if (!children) continue;
    if (node.type === 'object' && children.length > 1 && (errors.length === 0 || !holdsError(node))) {
      const seen = new Map<string, PolicyNode>();
      for (const property of children) {
        const key = property.children?.[0];
        if (!key || typeof key.value !== 'string') continue;
        const first = seen.get(key.value);
        if (first) {
          findings.push(duplicateKeyFinding(key, first));
        } else {
          seen.set(key.value, key);
        }
      }
    }
    for (const child of children) if (child.children) stack.push(child);
  }
}
