/**
 * keyshare.json: what the files cannot say about themselves (accounts, keys, organization,
 * rule severities, ignores). Parsing is tolerant: what is valid is used, the rest is reported.
 */
import { createScanner, parseTree, SyntaxKind, type Node } from 'jsonc-parser';
import picomatch from 'picomatch';
import { propertiesOf } from '../engine/model';
import { applySeverities } from '../engine/check';
import type { CheckOptions, Finding, PolicyKind } from '../engine/types';
import { RULES } from '../engine/ruleSupport/registry';
import { MAX_NESTING } from '../hosts/json/scan';
import { parseStrict } from '../hosts/json/strictParse';

export const CONFIG_FILE = 'keyshare.json';
/** The rule id of what is wrong in a keyshare.json (reported in the file itself). */
export const CONFIG_RULE = 'keyshare-json';

export type { AccountConfig, ConfigProblem, ExpectConfig, GrantConfig, IgnoreConfig, KeyConfig, KeyshareConfig, OrganizationConfig, PrincipalConfig } from './configTypes';
import type { AccountConfig, ConfigProblem, IgnoreConfig, KeyConfig, KeyshareConfig } from './configTypes';
import { ConfigReader } from './configReader';

/** The message of a JSON syntax problem in keyshare.json. */
export const CONFIG_SYNTAX_MESSAGE = 'keyshare.json is not valid JSON here.';

/**
 * What Keyshare reads of a keyshare.json. A keyshare.json is a few KB; one past these limits
 * (a stranger's pull request, a generated file gone wrong) is refused at once, said in the file,
 * and the files it would govern are checked without it. No setting raises them yet (one inside
 * keyshare.json could not be read past them; the editor settings and the CLI have none).
 */
export const CONFIG_LIMITS = Object.freeze({
  /** Bytes of UTF-8. */
  maxBytes: 1024 * 1024,
  /** Objects and arrays inside one another (as policies: AWS accepts far fewer). */
  maxNesting: MAX_NESTING,
});
export type ConfigLimits = typeof CONFIG_LIMITS;

const REFUSED = 'it is not read, and the files it would govern are checked without it';


export function emptyConfig(): KeyshareConfig {
  return { accounts: [], keys: [], principals: [], expect: [], grants: [], rules: {}, ignore: [] };
}

/**
 * Reads keyshare.json text; invalid parts are reported and skipped, never fatal. A text past the
 * limits is not read at all: one problem says which limit, and `refused` is set.
 */
export function parseConfig(text: string, limits: ConfigLimits = CONFIG_LIMITS): { config: KeyshareConfig; problems: ConfigProblem[]; refused?: boolean } {
  const config = emptyConfig();
  const problems: ConfigProblem[] = [];
  if (utf8LengthAbove(text, limits.maxBytes)) {
    const message = `keyshare.json is larger than ${megabytes(limits.maxBytes)}, the most Keyshare reads of a keyshare.json (a fixed limit, no setting raises it): ${REFUSED}.`;
    return { config, problems: [{ start: 0, end: Math.min(1, text.length), message }], refused: true };
  }
  const errors: { offset: number; length: number }[] = [];
  // Clean JSON (nearly always) takes the engine's fast parser; jsonc-parser says what is wrong otherwise.
  let root: Node | undefined = parseStrict(text, limits.maxNesting)?.root;
  if (!root) {
    // jsonc-parser recurses once per level: a deep text would overflow the stack.
    const deep = nestingAbove(text, limits.maxNesting);
    if (deep !== undefined) {
      const message = `keyshare.json nests objects and arrays deeper than ${limits.maxNesting} levels here, the most Keyshare reads (a fixed limit, no setting raises it): ${REFUSED}.`;
      return { config, problems: [{ start: deep, end: deep + 1, message }], refused: true };
    }
    root = parseTree(text, errors as never, { allowTrailingComma: false, disallowComments: true });
  }
  // An error at the end of the text (an object left open) is an empty span there, not one past it.
  for (const error of errors.slice(0, 5)) problems.push({ start: error.offset, end: Math.min(text.length, error.offset + Math.max(1, error.length)), message: CONFIG_SYNTAX_MESSAGE, syntax: true });
  if (!root || root.type !== 'object') {
    if (errors.length === 0) problems.push({ start: 0, end: Math.min(1, text.length), message: 'keyshare.json must hold a JSON object.' });
    return { config, problems };
  }
  const reader = new ConfigReader(config, problems);
  for (const element of propertiesOf(root)) {
    switch (element.name) {
      case 'accounts':
      case 'keys':
      case 'organization':
      case 'rules':
      case 'ignore':
      case 'principals':
      case 'expect':
      case 'grants':
        reader[element.name](element.value);
        break;
      case '$schema':
        reader.optionalString(element.value, '"$schema"');
        break;
      default:
        problems.push({ ...element.keySpan, message: `"${element.name}" is not a keyshare.json field (accounts, keys, organization, principals, expect, grants, rules, ignore).` });
    }
  }
  return { config, problems };
}

/** Whether `text` is more than `max` bytes in UTF-8 (a lone surrogate counts 3, as it is written). */
function utf8LengthAbove(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > max) return true;
  }
  return false;
}

function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The offset where nesting first goes past `max`, tokenized as jsonc-parser reads (strings, comments); undefined when it never does. */
function nestingAbove(text: string, max: number): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

export { pathOutsideFolder } from './configReader';

/** What is wrong in a keyshare.json, as `keyshare-json` findings, with the file's own setting for that rule. */
export function configFindings(config: KeyshareConfig, problems: ConfigProblem[]): Finding[] {
  const findings: Finding[] = problems.map((p) => ({ ruleId: CONFIG_RULE, severity: 'error', message: p.message, start: p.start, end: p.end }));
  return applySeverities(findings, { rules: config.rules });
}

export interface LoadedConfig {
  resolved: ResolvedConfig;
  problems: ConfigProblem[];
  text: string;
  /** Past a limit (CONFIG_LIMITS): not read; `problems` says why, and no file is governed by it. */
  refused?: boolean;
}

/** A keyshare.json's text, parsed and anchored at `folder` (the project layer reads the file). */
export function resolveConfigText(text: string, folder: string): LoadedConfig {
  const { config, problems, refused } = parseConfig(text);
  return { resolved: new ResolvedConfig(config, folder), problems, text, ...(refused ? { refused } : {}) };
}

export interface FileContext {
  options: CheckOptions;
  /** How the account was known, for hover and messages. */
  accountSource?: string;
  /** The ignore entries that apply to this file, with their reasons (for hover); those with `sids` hide findings in those statements only. */
  ignored: IgnoreConfig[];
}

const ACCOUNT_SEGMENT = /^\d{12}$/;

/** A parsed config anchored at the folder that holds it. Paths are relative, with '/'. */
export class ResolvedConfig {
  private readonly accountMatchers: { account: AccountConfig; match: (path: string) => boolean }[];
  private readonly ignoreMatchers: { entry: IgnoreConfig; rule: string; match: (path: string) => boolean }[];
  private readonly keysByPolicy = new Map<string, KeyConfig>();
  /** Keys whose policy is a template's resource ("security/stack.yaml#DataKey"). */
  private readonly templateKeys = new Map<string, KeyConfig>();

  constructor(readonly config: KeyshareConfig, readonly folder: string) {
    for (const key of config.keys) if (key.policy) (key.policy.includes('#') ? this.templateKeys : this.keysByPolicy).set(normalize(key.policy), key);
    this.accountMatchers = config.accounts.map((account) => ({ account, match: picomatch(account.paths.length ? account.paths : ['**'], { dot: true }) }));
    this.ignoreMatchers = config.ignore.map((entry) => ({ entry, rule: entry.rule, match: picomatch(entry.files.length ? entry.files : ['**'], { dot: true }) }));
  }

  /** The ignore entries that apply to a file (its path relative to the config's folder), in order. */
  suppressionsFor(relativePath: string): { rule: string; reason?: string }[] {
    const path = relativePath.split('\\').join('/');
    return this.ignoreMatchers.filter((m) => m.match(path)).map(({ entry }) => ({ rule: entry.rule, reason: entry.reason }));
  }

  /** Check options for a file, given its path relative to the config's folder (`ignores` false: the ignore entries left out). */
  contextFor(relativePath: string, ignores = true): FileContext {
    const path = relativePath.includes('\\') ? relativePath.split('\\').join('/') : relativePath;
    const options: CheckOptions = { rules: { ...this.config.rules } };
    let accountSource: string | undefined;
    const key = this.keysByPolicy.get(path);
    // Keys of this template, by resource: each key policy in it is checked with its key's ARN.
    for (const [policy, declared] of this.templateKeys) {
      if (declared.arn && policy.slice(0, policy.indexOf('#')) === path) (options.keysByResource ??= {})[policy.slice(policy.indexOf('#') + 1)] = declared.arn;
    }
    if (key) {
      options.kind = 'key-policy' as PolicyKind;
      options.keyArn = key.arn;
      options.account = key.arn.split(':')[4];
      accountSource = `keyshare.json: key ${key.arn}`;
    } else {
      const account = this.accountMatchers.find((m) => m.match(path))?.account;
      if (account) {
        options.account = account.id;
        accountSource = `keyshare.json: account ${account.name ? `"${account.name}" ` : ''}(${account.paths.join(', ') || 'all files'})`;
      } else {
        const segment = accountFromPath(path);
        if (segment) {
          options.account = segment;
          accountSource = `path segment ${segment}/`;
        }
      }
    }
    const ignored: IgnoreConfig[] = [];
    for (const ignore of ignores ? this.ignoreMatchers : []) {
      if (!ignore.match(path)) continue;
      ignored.push(ignore.entry);
      if (ignore.entry.sids) continue; // the rule runs; the project drops its findings inside those statements
      if (ignore.rule === '*') for (const rule of RULES) options.rules![rule.id] = 'off';
      else options.rules![ignore.rule] = 'off';
    }
    return { options, accountSource, ignored };
  }
}

function normalize(path: string): string {
  return path.replace(/^\.\//, '').split('\\').join('/');
}

/** Without a config, a path segment of exactly 12 digits names the account of files below it. */
export function accountFromPath(path: string): string | undefined {
  const segments = path.split(/[\\/]/);
  segments.pop();
  for (let i = segments.length - 1; i >= 0; i--) if (ACCOUNT_SEGMENT.test(segments[i])) return segments[i];
  return undefined;
}
