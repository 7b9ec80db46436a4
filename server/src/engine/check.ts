/** The engine's entry point: the policies a host found in a text in, models and findings (with fixes) out. */
import type { Catalog } from './catalog';
import { buildModel, type PolicyModel } from './model';
import { DocumentContext, type Rule } from './rules/context';
import { conditionRules } from './rules/conditions';
import { grammarRules } from './rules/grammar';
import { kmsRules } from './rules/kms';
import type { PolicyEditor, PolicyNode, PolicySource } from './tree';
import type { CheckOptions, Finding, Severity, Span } from './types';

export const ALL_RULES: readonly Rule[] = [...grammarRules, ...conditionRules, ...kmsRules];

export interface CheckResult {
  /** The first policy's model (most texts hold one); undefined when the text holds no policy. */
  model?: PolicyModel;
  /** Every policy the text holds, in text order. */
  models: PolicyModel[];
  findings: Finding[];
  /** Whether the text was recognized as holding a policy (or as a broken policy file). */
  isPolicy: boolean;
  /** The host's reading of the text (undefined when the text was not read, such as a file over the size limit). */
  source?: PolicySource;
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

/** Checks every policy of a host's text. Options from configuration win over what the host says. */
export function checkPolicies(source: PolicySource, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  const findings = source.findings.slice();
  const models: PolicyModel[] = [];
  for (const policy of source.policies) {
    const kind = options.kind ?? policy.kind;
    const kindSource = options.kind ? 'configuration' : policy.kind ? (policy.kindSource ?? 'host') : undefined;
    const model = buildModel(source.text, policy.root, kind, options.account, kindSource);
    model.address = policy.address;
    models.push(model);
    if (hooks.modelOnly) continue;
    const before = findings.length;
    const context = new DocumentContext(model, catalog, options, source.editor, findings);
    runRules(context, ALL_RULES, findings, hooks);
    if (hooks.extraRules) runRules(context, hooks.extraRules, findings, hooks);
    if (source.editor.canEdit) dropRefusedFixes(policy.root, source.editor, findings, before);
  }
  if (source.broken) {
    // A fix computed on a broken tree could land anywhere: only the host's lexical fixes stay.
    for (const finding of findings) if (!source.keepFixesOf?.has(finding.ruleId)) delete finding.fixes;
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  const isPolicy = models.length > 0 || source.isPolicyFile;
  return { model: models[0], models, findings: applySeverities(findings, options), isPolicy, source };
}

/**
 * Drops the fixes whose edits touch a node the host's editor refuses (an intrinsic, an alias, a
 * string it cannot map exactly): rewriting `!GetAtt DataKey.Arn` as a literal would break the template.
 */
function dropRefusedFixes(root: PolicyNode, editor: PolicyEditor, findings: Finding[], from: number): void {
  let refused: Span[] | undefined;
  for (let i = from; i < findings.length; i++) {
    const finding = findings[i];
    if (!finding.fixes) continue;
    refused ??= refusedSpans(root, editor);
    if (refused.length === 0) return;
    const spans = refused;
    const kept = finding.fixes.filter((fix) => fix.uri !== undefined || !fix.edits.some((edit) => touches(spans, edit)));
    if (kept.length > 0) finding.fixes = kept;
    else delete finding.fixes;
  }
}

/** Whether an edit overlaps one of the spans (disjoint, sorted by start: refused nodes are never nested). */
function touches(spans: Span[], edit: Span): boolean {
  let low = 0;
  let high = spans.length - 1;
  // The last span that starts before the edit ends.
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (spans[mid].start < edit.end) low = mid;
    else high = mid - 1;
  }
  for (let i = low; i >= 0 && i > low - 8; i--) {
    const span = spans[i];
    if (span.start < edit.end && span.end > edit.start) return true;
    if (span.end <= edit.start && span.start < edit.start) break;
  }
  return false;
}

function refusedSpans(root: PolicyNode, editor: PolicyEditor): Span[] {
  const spans: Span[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!editor.canEdit!(node)) {
      spans.push({ start: node.offset, end: node.offset + node.length });
      continue;
    }
    if (node.children) for (const child of node.children) stack.push(child);
  }
  return spans.sort((a, b) => a.start - b.start || a.end - b.end);
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
