/** What a rule receives, and small helpers rules share. */
import type { Catalog } from '../catalog';
import type { PolicyEditor } from '../tree';
import type { PolicyModel, Statement, StringItem } from '../model';
import type { CheckOptions, Finding, Fix, PolicyKind, RelatedSpan, Severity, Span } from '../types';
import type { WorkspaceVisitors } from './workspaceContext';

export interface ReportExtras {
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedSpan[];
  unnecessary?: boolean;
}

export interface RuleContext {
  text: string;
  model: PolicyModel;
  catalog: Catalog;
  options: CheckOptions;
  edits: PolicyEditor;
  report(span: Span, message: string, extras?: ReportExtras): void;
}

/** What the engine runs on each policy document (tests may pass their own as extra rules). */
export interface Rule {
  id: string;
  severity: Severity;
  check(context: RuleContext): void;
}

export type RuleCategory = 'json' | 'grammar' | 'condition' | 'kms' | 'workspace' | 'config';

/** What every rule says about itself: settings, the schema, the README, docs and SARIF read it. */
export interface RuleMeta {
  /** Stable: users' settings, suppressions and CI depend on it. */
  id: string;
  /** The default severity. */
  severity: Severity;
  category: RuleCategory;
  /** One line: what the rule finds. */
  summary: string;
  /** Whether a finding can mean access wider than intended, or a key nobody can manage. */
  security: boolean;
  /** The kinds of policy the rule applies to; every kind when absent. */
  appliesTo?: readonly PolicyKind[];
  /** Judges a whole policy (Version, size, who can still manage the key): not run on statement fragments. */
  wholePolicy?: boolean;
  /** Reads Condition elements only: not run on a policy that has none (most identity policies). */
  conditionsOnly?: boolean;
  /** The IAM Access Analyzer policy checks (issue codes) the rule follows, for users who map their findings. */
  awsChecks?: readonly string[];
}

/**
 * How a rule is run: `document` rules check one policy (the engine runs them on every
 * document); `workspace` rules look across files (the workspace index runs them); `parse` and
 * `config` rules are reported by the parser and by keyshare.json's reader, so their file holds
 * the metadata only.
 */
export type RuleKind = 'document' | 'workspace' | 'parse' | 'config';

export interface DocumentRule extends Rule {
  kind: 'document';
  meta: RuleMeta;
  /** A document rule may also look across files, for what one file cannot tell. */
  workspace?: WorkspaceVisitors;
}

/** A rule whose findings come from parsing (the document, or keyshare.json), not from a check of its own. */
export interface ReportedElsewhereRule {
  kind: 'parse' | 'config';
  meta: RuleMeta;
}

/** A rule reported by the parser or by keyshare.json's reader: its file holds its metadata, and says where its findings come from. */
export function reportedElsewhere(kind: ReportedElsewhereRule['kind'], meta: RuleMeta): ReportedElsewhereRule {
  return { kind, meta };
}

/** A document rule: its metadata beside its check. */
export function documentRule(rule: { meta: RuleMeta; check(context: RuleContext): void; workspace?: WorkspaceVisitors }): DocumentRule {
  return { ...rule, kind: 'document', id: rule.meta.id, severity: rule.meta.severity };
}

/** One context per document, handed to each rule in turn (`rule` says whose findings these are). */
export class DocumentContext implements RuleContext {
  readonly text: string;
  rule: Rule | undefined;

  constructor(
    readonly model: PolicyModel,
    readonly catalog: Catalog,
    readonly options: CheckOptions,
    readonly edits: PolicyEditor,
    private readonly sink: Finding[],
  ) {
    this.text = model.text;
  }

  report(span: Span, message: string, extras: ReportExtras = {}): void {
    const rule = this.rule!;
    const finding: Finding = { ruleId: rule.id, severity: extras.severity ?? rule.severity, message: shortenQuotedValues(message), start: span.start, end: span.end };
    if (extras.fixes?.length) finding.fixes = extras.fixes;
    if (extras.related?.length) finding.related = extras.related;
    if (extras.unnecessary) finding.unnecessary = true;
    this.sink.push(finding);
  }
}

/** The longest value a message quotes in full; the range already marks the whole value. */
const MAX_QUOTED = 160;
// A value has no spaces; between the quotes of two values there is prose, which has.
const LONG_QUOTE = new RegExp(`"([^"\\s]{${MAX_QUOTED + 1},})"`, 'g');

/** Quoted values (no spaces) over MAX_QUOTED characters keep their start and end around an ellipsis, so a 60 KB value is not a 60 KB message. */
export function shortenQuotedValues(message: string): string {
  if (message.length <= MAX_QUOTED + 2) return message;
  return message.replace(LONG_QUOTE, (_whole, inner: string) => `"${inner.slice(0, MAX_QUOTED - 32)}…${inner.slice(-30)}"`);
}

export const KIND_NAMES: Record<PolicyKind, string> = {
  'key-policy': 'KMS key policy',
  'identity-policy': 'IAM identity policy',
  'resource-policy': 'resource policy',
  'trust-policy': 'role trust policy',
  scp: 'service control policy',
};

const KIND_EVIDENCE: Record<PolicyModel['kindSource'], string> = {
  configuration: 'as keyshare.json says',
  host: 'from the template property that holds it',
  'file name': 'from its file name',
  content: 'from most of its statements',
};

/** "This file is an IAM identity policy (from its file name)": the kind and how it was known, for messages. */
export function describeKind(model: PolicyModel): string {
  return `This is ${/^[aeiou]/i.test(KIND_NAMES[model.kind]) ? 'an' : 'a'} ${KIND_NAMES[model.kind]} (${KIND_EVIDENCE[model.kindSource]})`;
}

export function isAllow(statement: Statement): boolean {
  return statement.effect?.value === 'Allow';
}

// On the statement itself, not in a WeakMap: it dies with the statement in young-generation collections.
const AWS_PRINCIPALS = Symbol('AWS principal items');
type WithPrincipals = Statement & { [AWS_PRINCIPALS]?: StringItem[] };

/** AWS principal items of a statement (not NotPrincipal). */
export function awsPrincipalItems(statement: Statement): StringItem[] {
  let items = (statement as WithPrincipals)[AWS_PRINCIPALS];
  if (!items) {
    const principals = statement.principals;
    items = [];
    if (principals && !principals.negated) {
      if (principals.wildcard) items.push(principals.wildcard);
      else for (const entry of principals.entries) if (entry.type === 'AWS') items.push(...entry.items);
    }
    (statement as WithPrincipals)[AWS_PRINCIPALS] = items;
  }
  return items;
}

export function describeList(values: string[], limit = 4): string {
  if (values.length <= limit) return values.join(', ');
  return `${values.slice(0, limit).join(', ')} and ${values.length - limit} more`;
}
