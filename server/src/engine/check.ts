/** The engine's entry point: text in, policy model and findings (with fixes) out. */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Catalog } from './catalog';
import { EditBuilder } from './edits';
import { buildModel, looksLikePolicy, type PolicyModel } from './model';
import { DocumentContext, type Rule } from './rules/context';
import { DOCUMENT_RULES } from './rules/registry';
import { MAX_NESTING, scanText } from './scan';
import { parseStrict } from './strictParse';
import type { CheckOptions, Finding, Severity } from './types';

export const ALL_RULES: readonly Rule[] = DOCUMENT_RULES;

export interface CheckResult {
  /** Undefined when the text is not a policy (then findings is empty unless expectPolicy). */
  model?: PolicyModel;
  findings: Finding[];
  /** Whether the text was recognized as a policy document. */
  isPolicy: boolean;
}

export interface EngineHooks {
  /** Called once per rule id the first time that rule throws. */
  onRuleError?(ruleId: string, error: unknown): void;
  /** Extra rules, for tests and for rules that live outside the engine. */
  extraRules?: readonly Rule[];
  /** Build the model only, run no rules (indexing files nobody is looking at). */
  modelOnly?: boolean;
}

const failedRules = new Set<string>();
const LEXICAL_RULES = new Set(['json-strict', 'smart-quotes']);

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

export function checkText(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  // Fast path: clean strict JSON needs neither the lexical scan nor the tolerant parser.
  const strict = NEEDS_LEXICAL_SCAN.test(text) ? undefined : parseStrict(text, MAX_NESTING);
  if (strict) {
    if (!looksLikePolicy(strict.root) && !options.expectPolicy) return { findings: [], isPolicy: false };
    const findings: Finding[] = strict.duplicates.map(({ key, first }) => duplicateKeyFinding(key, first));
    return analyse(text, strict.root, [], findings, catalog, options, hooks);
  }
  const scan = scanText(text);
  const findings: Finding[] = [];
  const mentionsStatement = /"Statement"\s*:/.test(scan.normalized);

  if (scan.tooDeepAt !== undefined) {
    if (!options.expectPolicy && !mentionsStatement) return { findings: [], isPolicy: false };
    findings.push({
      ruleId: 'json-syntax',
      severity: 'error',
      start: scan.tooDeepAt,
      end: scan.tooDeepAt + 1,
      message: `Nesting deeper than ${MAX_NESTING} levels: this is not a policy AWS would accept, and it is not analysed further.`,
    });
    return { findings: applySeverities(findings, options), isPolicy: true };
  }

  const errors: ParseError[] = [];
  const root = parseTree(scan.normalized, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const isPolicy = looksLikePolicy(root) || (mentionsStatement && errors.length > 0) || !!options.expectPolicy;
  if (!isPolicy) return { findings: [], isPolicy: false };

  for (const finding of scan.findings) findings.push({ severity: 'error', ...finding });
  if (!root && errors.length === 0) {
    findings.push({ ruleId: 'json-syntax', severity: 'error', start: 0, end: 0, message: 'The document is empty; a policy is a JSON object with a Statement.' });
  }
  for (const error of errors.slice(0, 20)) {
    const code = printParseErrorCode(error.error);
    findings.push({
      ruleId: 'json-syntax',
      severity: 'error',
      // jsonc-parser may place errors at or past the end (an unterminated comment or string).
      start: Math.min(error.offset, text.length),
      end: Math.min(text.length, error.offset + Math.max(error.length, 1)),
      message: `${PARSE_MESSAGES[code] ?? code}: this is not valid JSON, and AWS rejects the policy.`,
    });
  }
  if (root) findDuplicateKeys(root, findings);
  return analyse(text, root, errors, findings, catalog, options, hooks);
}

function analyse(
  text: string,
  root: Node | undefined,
  errors: ParseError[],
  findings: Finding[],
  catalog: Catalog,
  options: CheckOptions,
  hooks: EngineHooks,
): CheckResult {
  let model: PolicyModel | undefined;
  if (root && root.type === 'object') {
    model = buildModel(text, root, options.kind, options.account);
    if (!hooks.modelOnly) {
      const context = new DocumentContext(model, catalog, options, new EditBuilder(text), findings);
      runRules(context, ALL_RULES, findings, hooks);
      if (hooks.extraRules) runRules(context, hooks.extraRules, findings, hooks);
    }
  } else if (root && options.expectPolicy) {
    findings.push({ ruleId: 'element-type', severity: 'error', start: root.offset, end: root.offset + root.length, message: 'A policy is a JSON object with a Statement.' });
  }
  if (errors.length > 0) {
    // A fix computed on a broken tree could land anywhere: only the lexical fixes stay.
    for (const finding of findings) if (!LEXICAL_RULES.has(finding.ruleId)) delete finding.fixes;
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { model, findings: applySeverities(findings, options), isPolicy: true };
}

function runRules(context: DocumentContext, rules: readonly Rule[], findings: Finding[], hooks: EngineHooks): void {
  const settings = context.options.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (settings !== undefined && settings[rule.id] === 'off') continue;
    const before = findings.length;
    context.rule = rule;
    try {
      rule.check(context);
    } catch (error) {
      findings.length = before; // a failing rule reports nothing, not half
      if (!failedRules.has(rule.id)) {
        failedRules.add(rule.id);
        hooks.onRuleError?.(rule.id, error);
      }
    }
  }
}

function duplicateKeyFinding(key: Node, first: Node): Finding {
  return {
    ruleId: 'duplicate-key',
    severity: 'error',
    start: key.offset,
    end: key.offset + key.length,
    message: `"${key.value}" appears twice in this object. AWS rejects the policy or silently keeps only the last one; merge them.`,
    related: [{ start: first.offset, end: first.offset + first.length, message: 'first occurrence' }],
  };
}

function findDuplicateKeys(root: Node, findings: Finding[]): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const children = node.children;
    if (!children) continue;
    if (node.type === 'object' && children.length > 1) {
      const seen = new Map<string, Node>();
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

/** Applies the options' per-rule settings: drops "off" rules, replaces severities. */
export function applySeverities(findings: Finding[], options: CheckOptions): Finding[] {
  const overrides = options.rules;
  if (!overrides) return findings;
  const result: Finding[] = [];
  for (const finding of findings) {
    const setting = overrides[finding.ruleId];
    if (setting === 'off') continue;
    result.push(setting ? { ...finding, severity: setting as Severity } : finding);
  }
  return result;
}
