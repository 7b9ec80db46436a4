/** The engine's entry point: the policies a host found in a text in, models and findings (with fixes) out. */
import type { Catalog } from './catalog';
import { buildModel, type PolicyModel } from './model';
import { DocumentContext, type DocumentRule, type Rule } from './ruleSupport/context';
import { PolicyResults } from './policyResults';
import { DOCUMENT_RULES } from './ruleSupport/registry';
import { applySuppressions, malformedSuppressions } from './suppressions';
import { UNKNOWN_MARK, type PolicyNode, type PolicySource } from './tree';
import type { CheckOptions, Finding, Fix, Severity, Span } from './types';

export const ALL_RULES: readonly Rule[] = DOCUMENT_RULES;

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
  /** Per suppression the host found (`source.suppressions`): whether it hid one of these findings. */
  suppressionUse?: boolean[];
}

export interface EngineHooks {
  /** Called once per rule id the first time that rule throws. */
  onRuleError?(ruleId: string, error: unknown): void;
  /** Extra rules, for tests and for rules that live outside the engine. */
  extraRules?: readonly Rule[];
  /** Build the model only, run no rules (indexing files nobody is looking at). */
  modelOnly?: boolean;
}

const byOffset = new WeakMap<PolicyModel[], PolicyModel[]>();

/** The policy whose tree holds `offset` (a template holds several), else the first. */
export function modelAt(result: CheckResult, offset: number): PolicyModel | undefined {
  const { models } = result;
  if (models.length < 8) {
    for (const model of models) if (holds(model, offset)) return model;
    return result.model;
  }
  // Asked once per finding: a binary search over the policies sorted by where they start, once per result.
  let sorted = byOffset.get(models);
  if (!sorted) byOffset.set(models, (sorted = [...models].sort((a, b) => a.root.offset - b.root.offset)));
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid].root.offset <= offset) low = mid;
    else high = mid - 1;
  }
  if (holds(sorted[low], offset)) return sorted[low];
  for (const model of models) if (holds(model, offset)) return model; // trees that overlap (a module's generated statements)
  return result.model;
}

function holds(model: PolicyModel, offset: number): boolean {
  return offset >= model.root.offset && offset <= model.root.offset + model.root.length;
}

/** Checks every policy of a host's text. Options from configuration win over what the host says. */
export function checkPolicies(source: PolicySource, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  const findings = source.findings.slice();
  const models: PolicyModel[] = [];
  // An editor buffer with several policies: each policy's findings are kept for the next edit.
  const kept = options.buffers && options.fileName && source.policies.length > 1 && !source.broken && !hooks.extraRules && !hooks.modelOnly ? options.buffers.of('engine', () => new PolicyResults()).begin(options.fileName, catalog, options) : undefined;
  for (const policy of source.policies) {
    const kind = options.kind ?? policy.kind;
    const kindSource = options.kind ? 'configuration' : policy.kind ? (policy.kindSource ?? 'host') : undefined;
    // A key resource keyshare.json declares: its policy is checked with the key's ARN and account.
    const declared = policy.resource && kind === 'key-policy' ? options.keysByResource?.[policy.resource] : undefined;
    const modelOptions = declared ? { ...options, keyArn: declared, account: declared.split(':')[4] || options.account } : options;
    const model = buildModel(source.text, policy.root, kind, modelOptions.account, kindSource, !!policy.fragment);
    model.address = policy.address;
    model.host = source.host;
    model.resource = policy.resource;
    model.inlineIn = policy.inlineIn;
    model.boundary = policy.boundary;
    models.push(model);
    if (hooks.modelOnly) continue;
    const reused = kept?.reuse(source.text, policy, kind, modelOptions.keyArn);
    if (reused?.findings) {
      for (const finding of reused.findings) findings.push(finding);
      continue;
    }
    const before = findings.length;
    const context = new DocumentContext(model, catalog, modelOptions, source.editor, findings);
    runRules(context, rulesFor(model, modelOptions.rules), findings, hooks);
    if (hooks.extraRules) runRules(context, hooks.extraRules.filter((rule) => applies(rule, model) && modelOptions.rules?.[rule.id] !== 'off'), findings, hooks);
    if (reused) kept!.keep(reused.key, policy, findings.slice(before));
  }
  dropUneditableFixes(source, findings);
  if (source.broken) {
    // A fix computed on a broken tree could land anywhere: only the host's lexical fixes stay.
    for (const finding of findings) if (!source.keepFixesOf?.has(finding.ruleId)) delete finding.fixes;
  }
  const isPolicy = models.length > 0 || source.isPolicyFile;
  let reported = applySeverities(findings, options);
  let suppressionUse: boolean[] | undefined;
  if (source.suppressions?.length && !hooks.modelOnly) {
    suppressionUse = source.suppressions.map(() => false);
    if (!options.unsuppressed) reported = applySuppressions(reported, source.suppressions, suppressionUse);
    reported.push(...applySeverities(malformedSuppressions(source.suppressions), options));
  }
  reported.sort((a, b) => a.start - b.start || a.end - b.end);
  return { model: models[0], models, findings: reported, isPolicy, source, suppressionUse };
}

/**
 * Drops the fixes a host cannot render faithfully: an edit that would write an unknown value
 * (UNKNOWN_MARK, which hosts also return for edits they refuse) or that touches a node the
 * host's editor says it cannot edit (an intrinsic, a reference, an alias, a default no text
 * spells): rewriting `!GetAtt DataKey.Arn` as a literal would break the template.
 */
export function dropUneditableFixes(source: PolicySource, findings: Finding[]): void {
  let locked: Span[] | undefined;
  for (const finding of findings) {
    if (!finding.fixes) continue;
    locked ??= source.refusesNothing ? [] : lockedSpans(source);
    const spans = locked;
    const editable = (fix: Fix) => fix.uri !== undefined || !fix.edits.some((edit) => edit.newText.includes(UNKNOWN_MARK) || touches(spans, edit));
    if (finding.fixes.every(editable)) continue; // the common case: no copy
    const kept = finding.fixes.filter(editable);
    if (kept.length === 0) delete finding.fixes;
    else finding.fixes = kept;
  }
}

/** The nodes the editor refuses, outermost only, sorted: they never nest, so they are disjoint. */
function lockedSpans(source: PolicySource): Span[] {
  const spans: Span[] = [];
  const canEdit = source.editor.canEdit?.bind(source.editor);
  if (!canEdit) return spans;
  const stack: PolicyNode[] = source.policies.map((p) => p.root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!canEdit(node)) spans.push({ start: node.offset, end: node.offset + node.length });
    else if (node.children) for (const child of node.children) stack.push(child);
  }
  return spans.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Whether an edit overlaps a locked span, or inserts strictly inside one. */
function touches(spans: Span[], edit: Span): boolean {
  if (spans.length === 0) return false;
  // The last span that starts at or before the edit's end.
  let low = 0;
  let high = spans.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (spans[mid].start <= edit.end) low = mid;
    else high = mid - 1;
  }
  for (let i = low; i >= 0; i--) {
    const span = spans[i];
    if (span.end <= edit.start && span.end < edit.end) break; // disjoint and sorted: none before reaches the edit
    if (edit.start < span.end && edit.end > span.start) return true;
    if (edit.start === edit.end && edit.start > span.start && edit.start < span.end) return true;
  }
  return false;
}

/**
 * The document rules that apply to a policy (its kind, whether it is a fragment, whether it has
 * conditions) and that the options leave on: listed once per combination, not tested rule by
 * rule per file.
 */
const ruleLists = new Map<string, readonly Rule[]>();
function rulesFor(model: PolicyModel, settings: CheckOptions['rules']): readonly Rule[] {
  let key = `${model.kind}${model.fragment ? ' fragment' : ''}${model.anyCondition ? '' : ' no conditions'}`;
  // Options are made per file: the list is keyed by what the settings say, not by their object.
  if (settings) for (const id in settings) if (settings[id] === 'off') key += ` -${id}`;
  let rules = ruleLists.get(key);
  if (!rules) {
    if (ruleLists.size >= 1000) ruleLists.clear();
    ruleLists.set(key, (rules = ALL_RULES.filter((rule) => applies(rule, model) && settings?.[rule.id] !== 'off')));
  }
  return rules;
}

function applies(rule: Rule, model: PolicyModel): boolean {
  const meta = (rule as Partial<DocumentRule>).meta;
  if (!meta) return true;
  if (meta.appliesTo && !meta.appliesTo.includes(model.kind)) return false;
  if (meta.wholePolicy && model.fragment) return false;
  return !(meta.conditionsOnly && !model.anyCondition);
}

function runRules(context: DocumentContext, rules: readonly Rule[], findings: Finding[], hooks: EngineHooks): void {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const before = findings.length;
    context.rule = rule;
    try {
      rule.check(context);
    } catch (error) {
      findings.length = before; // a failing rule reports nothing, not half
      hooks.onRuleError?.(rule.id, error);
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
