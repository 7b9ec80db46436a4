/** Shared engine types. Offsets are UTF-16 code unit offsets into the host text. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface Span {
  start: number;
  end: number;
}

export interface TextEdit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The edits apply to this other document (its line ranges in `ranges`), not to the checked one. */
  uri?: string;
  ranges?: { start: { line: number; character: number }; end: { line: number; character: number } }[];
  /** Safe to apply without review (used for "fix all" and preferred quick fixes). */
  safe: boolean;
}

export interface RelatedSpan extends Span {
  message: string;
  /** Another document; undefined means the same one. */
  uri?: string;
  /** For another document: the line range there (its offsets need its text to convert). */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface Finding extends Span {
  ruleId: string;
  severity: Severity;
  message: string;
  fixes?: Fix[];
  related?: RelatedSpan[];
  /** The marked code has no effect (shown faded by editors). */
  unnecessary?: boolean;
}

export type PolicyKind = 'key-policy' | 'identity-policy' | 'resource-policy' | 'trust-policy' | 'scp';

export interface CheckOptions {
  /** Severity overrides per rule id. */
  rules?: Record<string, SeveritySetting>;
  /** Document kind, when known from configuration; otherwise inferred from content. */
  kind?: PolicyKind;
  /** Account that holds this document, when known from configuration or path. */
  account?: string;
  /** For key policies: the key's own ARN when known. */
  keyArn?: string;
  /**
   * For templates: the key ARN of each key resource keyshare.json declares (by logical id or
   * Terraform address); a key policy of that resource is checked with it as its `keyArn`.
   */
  keysByResource?: Record<string, string>;
  /** Report a document that is not a policy (for files that claim to be one). */
  expectPolicy?: boolean;
  /** The file's name or path: it picks the host, and may give the kind (`*.iam.json`) or make the file a template (`*.json.tpl`). */
  fileName?: string;
  /**
   * The text is an editor buffer, edited often: its host may keep what it read in this memory
   * (owned by the project, per host) to re-read only what the next edit changes, and the engine
   * the findings of each policy, to run the rules only on the policies an edit changed.
   */
  buffers?: BufferMemory;
  /** Terraform input variable values (`--var-file`): `var.name` is its value (a list of strings for a list). */
  variables?: Record<string, VariableValue>;
  /** CloudFormation parameter values (`--parameters`): a `Ref` or `${Name}` of a declared parameter is its value. */
  parameters?: Record<string, string>;
  /** Leave the file's own suppressions (`# keyshare:ignore`, CloudFormation Metadata) unapplied, to show what they hide. */
  unsuppressed?: boolean;
}

/** Per host, what it keeps between versions of the editor buffers it reads, by file name. */
export interface BufferMemory {
  /** The host's own store, made on first use. */
  of<T extends BufferStore>(host: string, create: () => T): T;
}

/** A host's store of buffers, which drops a buffer when its editor closes. */
export interface BufferStore {
  forget(fileName: string): void;
}

/** A Terraform input variable's value: a literal, or a list of literals (`readers = ["arn:...", ...]`). */
export type VariableValue = string | readonly string[];
