/**
 * Keyshare's own LSP requests and notifications: names, parameters and results, shared by the
 * client (client/src) and the server. Types and string constants only, so that importing it
 * pulls nothing of the server into the client's bundle. The names are stable: other editors'
 * integrations call them too.
 */
import { HOST_FILE_GLOB, HOST_FILE_NAMES } from './hosts/fileNames';
import type { KeyAccess } from './workspace/handshake';

export type { AccessRow, KeyAccess } from './workspace/handshake';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What the client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** Where rule pages live (a URI ending in '/'); default: the repository. */
  docsBase?: string;
  /** Delay between an edit and its check, in milliseconds (default 150). */
  debounceMs?: number;
  /** Index the workspace folders in the background (default true). */
  indexWorkspace?: boolean;
  /**
   * The editor reports JSON syntax errors in keyshare.json itself (VS Code's JSON support does):
   * the server then leaves those out, so one problem gets one message.
   */
  configSyntaxReported?: boolean;
}

/** What a validation checked and found (the CLI's `keyshare check` summary counts the same way). */
export interface ValidationSummary {
  /** Files read. */
  files: number;
  /** Policies checked: each policy file, each file of statement fragments, and every policy inside a template. */
  policies: number;
  /** Of the policies, files of statement fragments only. */
  fragments: number;
  /** Template files (`*.json.tpl`, CloudFormation, Terraform, plans, Serverless) that hold policies. */
  templates: number;
  /** Of the policies, those inside templates. */
  templatePolicies: number;
  /** keyshare.json files checked. */
  configs: number;
  /** JSON files that hold no policy. */
  notPolicies: number;
  /** Files that could not be read as text (binary, too large, unreadable). */
  unread: number;
  /** Findings by severity, hints apart. */
  counts: { error: number; warning: number; info: number; hint: number };
  /** The same numbers in the words `keyshare check` prints them ("2 errors, 1 warning, 0 infos, 1 hint in 5 policies checked"). */
  text: string;
}

/** Checks one open document now; null when it is not open. */
export const ValidateFileRequest = 'keyshare/validateFile';
export interface ValidateFileParams {
  uri: string;
}
export type ValidateFileResult = ValidationSummary | null;

/** Checks every policy file of the workspace folders and publishes their diagnostics. */
export const ValidateWorkspaceRequest = 'keyshare/validateWorkspace';
export type ValidateWorkspaceResult = ValidationSummary | null;

/** The Show Cross-Account Access table: per declared key, who may do what. */
export const AccessMapRequest = 'keyshare/accessMap';
export type AccessMapResult = KeyAccess[];

/** The edit that inserts a statement into an open policy. */
export const InsertStatementRequest = 'keyshare/insertStatement';
export interface InsertStatementParams {
  uri: string;
  statement: Record<string, unknown>;
}
export interface InsertStatementResult {
  range: Range;
  newText: string;
  /** Where the inserted statement lies once the edit is applied (to reveal and select it). */
  inserted?: Range;
}

/**
 * What Insert Cross-Account Statement may offer for a document: the side that fits its kind,
 * and the accounts and keys of its keyshare.json. (The server makes the inserted Sid unique.)
 */
export const InsertStatementChoicesRequest = 'keyshare/insertStatementChoices';
export interface InsertStatementChoicesParams {
  uri: string;
}
export interface InsertStatementChoices {
  /** `owner`: a key policy (allow another account to use this key); `user`: an identity policy (use another account's key); undefined: either. */
  side?: 'owner' | 'user';
  /** The document's own account, when known. */
  account?: string;
  /** keyshare.json accounts other than the document's own. */
  accounts: { id: string; name?: string }[];
  /** keyshare.json keys of other accounts (for an identity policy). */
  keys: { arn: string; aliases: string[] }[];
}

/** The status bar of a policy document: its kind, account and how its handshakes stand. */
export const DocumentStatusRequest = 'keyshare/documentStatus';
export interface DocumentStatusParams {
  uri: string;
}
export interface DocumentStatus {
  kind: string;
  /** A short label of the kind: "Key policy", "Identity policy", ... */
  label: string;
  account?: string;
  /** Accounts at the other end of this file's handshakes, and how many of them have both halves. */
  accounts: number;
  complete: number;
  /** The status bar text: "Key policy · 111122223333 · 2 accounts, 1 complete". */
  text: string;
  /** A longer explanation for the tooltip. */
  tooltip: string;
}
export type DocumentStatusResult = DocumentStatus | null;

/** Sent by the server when the cross-file index changed (a file edited, created or deleted): the access map may differ. */
export const IndexChangedNotification = 'keyshare/indexChanged';

/** The `data` of a fix-all code action that the server resolves (codeAction/resolve) when it is chosen. */
export interface FixAllData {
  uri: string;
  version: number;
  /** Fix all problems of this rule; all safe fixes when absent. */
  ruleId?: string;
}

/**
 * Node options the language server runs with, wherever it is started (VS Code, `keyshare lsp`,
 * the tests and the bench); V8 reads them only at process start. None are needed: the index of a
 * 10,000-file workspace holds about 36 MB and peaks near 135 MB with V8's defaults. Heap options
 * cost start-up time (a heap limit alone adds about 14 ms) and indexing speed (a 2 MB semi-space
 * about 40 %), so add one only with a bench run that shows it pays. `Project#build` stops
 * indexing, and says so, before the heap could fill.
 */
export const SERVER_EXEC_ARGV: readonly string[] = [];

/** Explain Access: can this principal call this action on this key, and which statements decide it. */
export const ExplainRequest = 'keyshare/explain';
export interface ExplainParams {
  /** A file or folder of the workspace whose keyshare.json to read (default: the first workspace folder). */
  uri?: string;
  principal: string;
  action: string;
  /** A key ARN, an alias of keyshare.json's keys, or a key policy reference. */
  key: string;
  /** Identity policies of the principal (file URIs); default: keyshare.json `principals`. */
  policies?: string[];
  context?: Record<string, string>;
}
export interface ExplainCitation {
  uri: string;
  range: Range;
  /** Where the policy sits in a template, if it does. */
  policy?: string;
  effect: 'Allow' | 'Deny';
  sid?: string;
  half: 'key' | 'identity' | 'grant';
}
export interface ExplainResult {
  verdict: 'allowed' | 'denied' | 'depends';
  principal: string;
  action: string;
  key: string;
  summary: string;
  because: ExplainCitation[];
  depends: string[];
  notes: string[];
  /** Set when the question could not be answered (an unknown alias, an unreadable policy). */
  error?: string;
}

/** What Explain Access may offer: the principals and keys the workspace knows, and the KMS actions. */
export const ExplainChoicesRequest = 'keyshare/explainChoices';
export interface ExplainChoicesParams {
  uri?: string;
}
export interface ExplainChoices {
  principals: { arn: string; detail?: string }[];
  keys: { key: string; detail?: string }[];
  actions: string[];
}

/** The languages whose documents a host may read, from the hosts' registry (for the client's document selector). */
export const HOST_LANGUAGES: readonly string[] = [...new Set(HOST_FILE_NAMES.flatMap((host) => host.languages))];
/** Every file a host may read, by name (the client's file watcher, and its selector for files without a language). */
export { HOST_FILE_GLOB };
