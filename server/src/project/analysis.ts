/**
 * One file's check as the project keeps it (`Analysis`), and the small questions asked of a
 * document's name: is it keyshare.json, which file on disk is it.
 */
import type { LineIndex } from '../engine/text';
import type { Finding } from '../engine/types';
import { CONFIG_FILE, type IgnoreConfig } from '../workspace/config';
import { uriFile } from '../workspace/uris';
import { hostById, type DocumentCheckOptions } from '../hosts';
import type { CheckResult } from './analyse';

/** One file's check: its text, the options it was checked with and the engine's result. */
export interface Analysis {
  uri: string;
  /** The editor's document version (0 for a file read from disk). */
  version: number;
  text: string;
  lines: LineIndex;
  result: CheckResult;
  options: DocumentCheckOptions;
  /** How the account was known, for hover. */
  accountSource?: string;
  /** The keyshare.json that governs the file, if any. */
  configFile?: string;
  /** keyshare.json's ignore entries for this file (with their reasons): those without `sids` turn rules off, those with hide findings in those statements. */
  ignored?: IgnoreConfig[];
  tooLarge?: boolean;
  /** The file is a keyshare.json: its findings are what is wrong in it. */
  isConfig?: boolean;
  /** Set by `keptForCrossFile` for a key policy whose tree it let go: the undeclared-key finding, found before (null: none). */
  undeclaredKey?: Finding | null;
}

/** An analysis with every field present: one object shape wherever analyses are read. */
export function analysisOf(fields: Analysis): Analysis {
  return {
    uri: fields.uri,
    version: fields.version,
    text: fields.text,
    lines: fields.lines,
    result: fields.result,
    options: fields.options,
    accountSource: fields.accountSource,
    configFile: fields.configFile,
    ignored: fields.ignored,
    tooLarge: fields.tooLarge,
    isConfig: fields.isConfig,
    undeclaredKey: fields.undeclaredKey,
  };
}

/** Whether the text is JSON (a policy file, a JSON template): the JSON-only features (completion, formatting, folding) apply. */
export function isJsonText(analysis: Analysis): boolean {
  const host = analysis.result.source?.host;
  const known = hostById(host);
  return known ? known.jsonFeatures : !/\.(ya?ml|template|tf|tofu)$/i.test(analysis.uri);
}

export interface AnalyseOptions {
  version?: number;
  /** The model only, no rules: enough for the index. */
  modelOnly?: boolean;
  /** The text was read from bytes that are not valid UTF-8. */
  invalidUtf8?: boolean;
  /** Leave out keyshare.json's ignore entries (to show what they hide). */
  unsuppressed?: boolean;
}

export const INVALID_UTF8_MESSAGE = 'The file is not valid UTF-8; AWS requires UTF-8 policy text. Invalid bytes are shown as \uFFFD.';

export function isConfigFile(uriOrPath: string): boolean {
  if (!uriOrPath.endsWith(CONFIG_FILE)) return false;
  const before = uriOrPath.length - CONFIG_FILE.length - 1;
  return before < 0 || uriOrPath[before] === '/' || uriOrPath[before] === '\\';
}

// One check asks for the same document's path several times: the last answer is kept.
let lastFileOf: { uri: string; file: string | undefined } | undefined;

/** A file-system path for a document URI, or undefined for documents not on disk. */
export function fileOf(uri: string): string | undefined {
  if (lastFileOf?.uri === uri) return lastFileOf.file;
  const file = uriFile(uri);
  lastFileOf = { uri, file };
  return file;
}
