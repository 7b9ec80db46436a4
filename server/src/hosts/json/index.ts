/**
 * The JSON host: a standalone policy file. Clean strict JSON goes through the fast parser; anything
 * else through the lexical scan (smart quotes, comments, trailing commas, odd whitespace) and
 * jsonc-parser's tolerant parse of a same-length normalized copy, so every offset is an offset in
 * the user's text.
 */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { looksLikeFragment, looksLikePolicy } from '../../engine/model';
import type { HostedPolicy, PolicyNode, PolicySource } from '../../engine/tree';
import type { Finding, PolicyKind } from '../../engine/types';
import { JsonEditor } from './editor';
import { MAX_NESTING, scanText } from './scan';
import { parseStrict } from './strictParse';
import { isTemplateFileName, markTemplateValues, maskTemplate, renderedName, type TemplateHole } from './template';

export interface JsonReadOptions {
  /** The file claims to be a policy (its name or configuration): report it even when it is not one. */
  expectPolicy?: boolean;
  /** The file's name or path: its suffix may give the kind (`*.key-policy.json`) or make it a template (`*.json.tpl`). */
  fileName?: string;
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

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: "Expected ':'",
  CommaExpected: "Expected ','",
  CloseBraceExpected: "Expected '}'",
  CloseBracketExpected: "Expected ']'",
  EndOfFileExpected: 'Expected the end of the document',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'Unterminated comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in string (control characters must be escaped)',
};

const NEEDS_LEXICAL_SCAN = /[\u201c-\u201f\u2033\u00ab\u00bb\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Reads a standalone JSON policy file. */
export function readJson(text: string, options: JsonReadOptions = {}): PolicySource {
  const template = isTemplateFileName(options.fileName);
  const source: PolicySource = { text, host: 'json', policies: [], findings: [], isPolicyFile: false, broken: false, template, editor: new JsonEditor(text) };
  // A template is parsed with its placeholders and directives masked; the offsets are the same.
  const masked = template ? maskTemplate(text) : undefined;
  const parseText = masked ? masked.text : text;
  const holes = masked?.values ?? [];
  const kind = kindFromFileName(options.fileName);
  const expectPolicy = !!options.expectPolicy || !!kind;
  // Fast path: clean strict JSON needs neither the lexical scan nor the tolerant parser.
  const strict = NEEDS_LEXICAL_SCAN.test(parseText) ? undefined : parseStrict(parseText, MAX_NESTING);
  if (strict) {
    if (!looksLikePolicy(strict.root) && !looksLikeFragment(strict.root) && !expectPolicy) return source;
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
  const isPolicy = looksLikePolicy(root) || looksLikeFragment(root) || (mentionsStatement && errors.length > 0) || expectPolicy;
  if (!isPolicy) return source;
  source.isPolicyFile = true;
  source.broken = errors.length > 0;
  source.keepFixesOf = LEXICAL_RULES;

  for (const finding of scan.findings) source.findings.push({ severity: 'error', ...finding });
  if (!root && errors.length === 0) {
    source.findings.push({ ruleId: 'json-syntax', severity: 'error', start: 0, end: 0, message: 'The document is empty; a policy is a JSON object with a Statement.' });
  }
  for (const error of errors.slice(0, 20)) {
    const code = printParseErrorCode(error.error);
    source.findings.push({
      ruleId: 'json-syntax',
      severity: 'error',
      // jsonc-parser may place errors at or past the end (an unterminated comment or string).
      start: Math.min(error.offset, text.length),
      end: Math.min(text.length, error.offset + Math.max(error.length, 1)),
      message: `${PARSE_MESSAGES[code] ?? code}: this is not valid JSON, and AWS rejects the policy.`,
    });
  }
  if (root) {
    findDuplicateKeys(root, source.findings);
    addRoot(source, root, expectPolicy, kind, holes);
  }
  return source;
}

function addRoot(source: PolicySource, root: PolicyNode, expectPolicy: boolean, kind: PolicyKind | undefined, holes: readonly TemplateHole[]): void {
  source.isPolicyFile = true;
  markTemplateValues(root, holes);
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

/** Reports keys that repeat within an object of a policy tree (any host's). */
export function findDuplicateKeys(root: PolicyNode, findings: Finding[]): void {
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const children = node.children;
    if (!children) continue;
    if (node.type === 'object' && children.length > 1) {
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
