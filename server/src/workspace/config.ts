/**
 * keyshare.json: what the files cannot say about themselves (accounts, keys, organization,
 * rule severities, ignores). Parsing is tolerant: what is valid is used, the rest is reported.
 */
import { createScanner, parseTree, SyntaxKind, type Node } from 'jsonc-parser';
import picomatch from 'picomatch';
import { propertiesOf, spanOf } from '../engine/model';
import { applySeverities } from '../engine/check';
import type { CheckOptions, Finding, PolicyKind, SeveritySetting } from '../engine/types';
import { RULES } from '../engine/rules/registry';
import { MAX_NESTING } from '../hosts/json/scan';
import { parseStrict } from '../hosts/json/strictParse';
import { GRANTABLE_OPERATIONS } from '../engine/kms/actions';
import { closestMatch } from '../engine/text';

export const CONFIG_FILE = 'keyshare.json';
/** The rule id of what is wrong in a keyshare.json (reported in the file itself). */
export const CONFIG_RULE = 'keyshare-json';

export type { AccountConfig, ConfigProblem, ExpectConfig, GrantConfig, IgnoreConfig, KeyConfig, KeyshareConfig, OrganizationConfig, PrincipalConfig } from './configTypes';
import type { AccountConfig, ConfigProblem, IgnoreConfig, KeyConfig, KeyshareConfig, OrganizationConfig } from './configTypes';

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

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/.+|user\/.+)|sts::\d{12}:assumed-role\/.+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const SEVERITIES = ['off', 'error', 'warning', 'info', 'hint'];
const RULE_IDS = new Set(RULES.map((r) => r.id));

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
  const problem = (node: Node, message: string) => problems.push({ ...spanOf(node), message });
  const strings = (node: Node | undefined, what: string): string[] => {
    if (!node) return [];
    if (node.type !== 'array') {
      problem(node, `${what} must be an array of strings.`);
      return [];
    }
    return (node.children ?? []).filter((c) => (c.type === 'string' ? true : (problem(c, `${what} must hold strings.`), false))).map((c) => c.value as string);
  };
  /** An entry's fields by name; a field it does not know is reported (`what`: the entry, for the message). */
  const fieldsOf = (entry: Node, known: string[], what: string): Map<string, Node> => {
    const fields = new Map<string, Node>();
    if (entry.type !== 'object') {
      problem(entry, `${what} must be an object.`);
      return fields;
    }
    for (const p of propertiesOf(entry)) {
      if (!known.includes(p.name)) problems.push({ ...p.keySpan, message: `"${p.name}" is not a field of ${what} (${known.join(', ')}).` });
      fields.set(p.name, p.value);
    }
    return fields;
  };
  const optionalString = (node: Node | undefined, what: string): string | undefined => {
    if (!node) return undefined;
    if (node.type !== 'string') {
      problem(node, `${what} must be a string.`);
      return undefined;
    }
    return node.value as string;
  };
  for (const element of propertiesOf(root)) {
    const value = element.value;
    switch (element.name) {
      case 'accounts':
        for (const entry of value.type === 'array' ? value.children ?? [] : (problem(value, '"accounts" must be an array.'), [])) {
          const fields = fieldsOf(entry, ['id', 'name', 'paths'], 'an account');
          if (entry.type !== 'object') continue;
          const id = fields.get('id');
          if (!id || id.type !== 'string' || !/^\d{12}$/.test(id.value)) {
            problem(id ?? entry, 'Each account needs "id": a 12-digit account ID.');
            continue;
          }
          config.accounts.push({ id: id.value, name: optionalString(fields.get('name'), '"name"'), paths: strings(fields.get('paths'), '"paths"') });
        }
        break;
      case 'keys':
        for (const entry of value.type === 'array' ? value.children ?? [] : (problem(value, '"keys" must be an array.'), [])) {
          const fields = fieldsOf(entry, ['arn', 'policy', 'aliases', 'managed'], 'a key');
          if (entry.type !== 'object') continue;
          const arn = fields.get('arn');
          const policyNode = fields.get('policy');
          // A key of a template ("security/stack.yaml#DataKey") is known without its ARN inside that template.
          const templateKey = !arn && policyNode?.type === 'string' && policyNode.value.includes('#');
          if (!templateKey && (!arn || arn.type !== 'string' || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(arn.value))) {
            const partial = arn?.type === 'string' && /^arn:aws[a-z-]*:kms:[a-z0-9-]*:\d{0,12}:key\/[A-Za-z0-9-]*$/.test(arn.value);
            problem(arn ?? entry, partial
              ? 'Complete the key ARN: its region, account and key ID (aws kms describe-key --key-id <alias> prints it), e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab.'
              : 'Each key needs "arn": a key ARN such as arn:aws:kms:us-east-1:111122223333:key/<key-id>.');
            continue;
          }
          const managed = fields.get('managed');
          if (managed && (managed.type !== 'string' || !['customer', 'aws'].includes(managed.value))) problem(managed, '"managed" is "customer" or "aws".');
          const aliasesNode = fields.get('aliases');
          const aliases = strings(aliasesNode, '"aliases"');
          for (const alias of aliasesNode?.children ?? []) {
            if (alias.type === 'string' && !/^alias\/[a-zA-Z0-9/_-]+$/.test(alias.value)) problem(alias, 'An alias is alias/ followed by letters, digits, /, _ or -.');
          }
          let policy = optionalString(policyNode, '"policy"');
          const outside = policy !== undefined ? pathOutsideFolder(policy) : undefined;
          if (outside) {
            problem(policyNode!, outsideMessage(policy!, outside, "this key's policy"));
            policy = undefined;
            if (templateKey) continue; // known only by its template: nothing left of it
          }
          config.keys.push({
            arn: arn?.value ?? '',
            policy,
            aliases,
            managed: managed?.value === 'aws' ? 'aws' : 'customer',
          });
        }
        break;
      case 'organization': {
        const fields = fieldsOf(value, ['id', 'units'], '"organization"');
        const id = fields.get('id');
        if (id && (id.type !== 'string' || !/^o-[a-z0-9]{10,32}$/.test(id.value))) problem(id, 'An organization ID is o- followed by 10 to 32 lowercase letters or digits.');
        const units: OrganizationConfig['units'] = [];
        const unitsNode = fields.get('units');
        if (unitsNode && unitsNode.type !== 'array') problem(unitsNode, '"units" must be an array.');
        for (const unit of unitsNode?.type === 'array' ? unitsNode.children ?? [] : []) {
          const unitFields = fieldsOf(unit, ['id', 'path', 'accounts'], 'a unit');
          if (unit.type !== 'object') continue;
          const unitId = unitFields.get('id');
          if (!unitId || unitId.type !== 'string' || !/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(unitId.value)) {
            problem(unitId ?? unit, 'Each unit needs an "id": an OU ID such as ou-ab12-11111111.');
            continue;
          }
          const accountsNode = unitFields.get('accounts');
          const accounts = strings(accountsNode, '"accounts"');
          for (const account of accountsNode?.children ?? []) if (account.type === 'string' && !/^\d{12}$/.test(account.value)) problem(account, 'An account ID is exactly 12 digits.');
          units.push({ id: unitId.value, path: optionalString(unitFields.get('path'), '"path"'), accounts });
        }
        config.organization = { id: id?.type === 'string' ? id.value : undefined, units };
        break;
      }
      case 'rules':
        if (value.type !== 'object') problem(value, '"rules" must be an object of rule id to severity.');
        for (const rule of propertiesOf(value)) {
          if (!RULE_IDS.has(rule.name)) {
            problems.push({ ...rule.keySpan, message: `"${rule.name}" is not a Keyshare rule id.` });
          } else if (rule.value.type !== 'string' || !SEVERITIES.includes(rule.value.value)) {
            problem(rule.value, `A rule setting is one of ${SEVERITIES.join(', ')}.`);
          } else {
            config.rules[rule.name] = rule.value.value as SeveritySetting;
          }
        }
        break;
      case 'ignore':
        for (const entry of value.type === 'array' ? value.children ?? [] : (problem(value, '"ignore" must be an array.'), [])) {
          const fields = fieldsOf(entry, ['rule', 'files', 'reason', 'sids'], 'an ignore entry');
          if (entry.type !== 'object') continue;
          const rule = fields.get('rule');
          if (!rule || rule.type !== 'string' || (rule.value !== '*' && !RULE_IDS.has(rule.value))) {
            problem(rule ?? entry, 'Each ignore entry needs "rule": a Keyshare rule id (or "*").');
            continue;
          }
          const reason = optionalString(fields.get('reason'), '"reason"');
          const sids = fields.has('sids') ? strings(fields.get('sids'), '"sids"') : [];
          config.ignore.push({ rule: rule.value, files: strings(fields.get('files'), '"files"'), ...(reason !== undefined ? { reason } : {}), ...(sids.length ? { sids } : {}) });
        }
        break;
      case 'principals':
        for (const entry of value.type === 'array' ? value.children ?? [] : (problem(value, '"principals" must be an array.'), [])) {
          const fields = fieldsOf(entry, ['arn', 'policies'], 'a principal');
          if (entry.type !== 'object') continue;
          const arn = fields.get('arn');
          if (!arn || arn.type !== 'string' || !PRINCIPAL_ARN.test(arn.value)) {
            problem(arn ?? entry, 'Each principal needs "arn": a role, user or account root ARN such as arn:aws:iam::444455556666:role/app.');
            continue;
          }
          const policiesNode = fields.get('policies');
          const policies = strings(policiesNode, '"policies"').filter((written, i) => {
            const outside = pathOutsideFolder(written);
            if (outside) problem((policiesNode!.children ?? []).filter((c) => c.type === 'string')[i], outsideMessage(written, outside, 'this identity policy'));
            return !outside;
          });
          config.principals.push({ arn: arn.value, policies });
        }
        break;
      case 'expect':
        for (const entry of value.type === 'array' ? value.children ?? [] : (problem(value, '"expect" must be an array.'), [])) {
          const fields = fieldsOf(entry, ['principal', 'action', 'key', 'allowed', 'context'], 'an expect entry');
          if (entry.type !== 'object') continue;
          const principal = fields.get('principal');
          const action = fields.get('action');
          const key = fields.get('key');
          const allowed = fields.get('allowed');
          if (!principal || principal.type !== 'string' || !(PRINCIPAL_ARN.test(principal.value) || SERVICE_PRINCIPAL.test(principal.value))) {
            problem(principal ?? entry, 'Each expect entry needs "principal": a role, user or account root ARN, or a service principal.');
            continue;
          }
          if (!action || action.type !== 'string' || !/^(\*|kms:[A-Za-z*?]+)$/.test(action.value)) {
            problem(action ?? entry, 'Each expect entry needs "action": a KMS action such as kms:Decrypt (wildcards allowed).');
            continue;
          }
          if (!key || key.type !== 'string' || key.value === '') {
            problem(key ?? entry, 'Each expect entry needs "key": a key ARN, an alias of "keys", or a key policy reference.');
            continue;
          }
          if (!allowed || allowed.type !== 'boolean') {
            problem(allowed ?? entry, 'Each expect entry needs "allowed": true or false.');
            continue;
          }
          const context: Record<string, string> = {};
          const contextNode = fields.get('context');
          if (contextNode && contextNode.type !== 'object') problem(contextNode, '"context" must be an object of condition key to value.');
          for (const p of propertiesOf(contextNode?.type === 'object' ? contextNode : undefined)) {
            if (p.value.type === 'string' || p.value.type === 'number' || p.value.type === 'boolean') context[p.name] = String(p.value.value);
            else if (p.value.type === 'array' && (p.value.children ?? []).every((c) => c.type === 'string')) context[p.name] = (p.value.children ?? []).map((c) => c.value as string).join(',');
            else problem(p.value, 'A context value is a string (or an array of strings).');
          }
          config.expect.push({ principal: principal.value, action: action.value, key: key.value, allowed: allowed.value as boolean, context, span: spanOf(entry) });
        }
        break;
      case 'grants':
        for (const entry of value.type === 'array' ? value.children ?? [] : (problem(value, '"grants" must be an array.'), [])) {
          const fields = fieldsOf(entry, ['key', 'grantee', 'operations', 'constraints'], 'a grant');
          if (entry.type !== 'object') continue;
          const key = fields.get('key');
          const grantee = fields.get('grantee');
          if (!key || key.type !== 'string' || key.value === '') {
            problem(key ?? entry, 'Each grant needs "key": a key ARN, an alias of "keys", or a key policy reference.');
            continue;
          }
          if (!grantee || grantee.type !== 'string' || !(PRINCIPAL_ARN.test(grantee.value) || SERVICE_PRINCIPAL.test(grantee.value))) {
            problem(grantee ?? entry, 'Each grant needs "grantee": a role, user or account root ARN, or a service principal.');
            continue;
          }
          const operationsNode = fields.get('operations');
          const operations = strings(operationsNode, '"operations"').filter((operation, i) => {
            if (GRANTABLE_OPERATIONS.includes(operation)) return true;
            const bare = operation.startsWith('kms:') ? operation.slice(4) : operation;
            const near = GRANTABLE_OPERATIONS.includes(bare) ? bare : closestMatch(bare, GRANTABLE_OPERATIONS, 3);
            problem((operationsNode!.children ?? []).filter((c) => c.type === 'string')[i], `"${operation}" is not an operation a grant can allow${near ? `: did you mean "${near}"?` : ''} (grant operations are written without "kms:").`);
            return false;
          });
          if (operations.length === 0) {
            problem(operationsNode ?? entry, 'Each grant needs "operations": the grant operations it allows, such as ["Decrypt", "DescribeKey"].');
            continue;
          }
          const constraints = fields.get('constraints');
          if (constraints && constraints.type !== 'object') problem(constraints, '"constraints" is an object: { "encryptionContextEquals": {...} } or { "encryptionContextSubset": {...} }.');
          config.grants.push({ key: key.value, grantee: grantee.value, operations, constrained: !!constraints, span: spanOf(entry) });
        }
        break;
      case '$schema':
        optionalString(value, '"$schema"');
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

/**
 * Why a path keyshare.json names is not read, told from its text alone: it is absolute, or its
 * `..` leave the folder of keyshare.json. Undefined when it stays inside (the project layer
 * still checks links, and that it is a regular file, before reading it).
 */
export function pathOutsideFolder(written: string): string | undefined {
  const file = written.split('#')[0].split('\\').join('/');
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) return 'an absolute path';
  let depth = 0;
  for (const segment of file.split('/')) {
    if (segment === '..') {
      if (--depth < 0) return 'a path that leaves the folder of keyshare.json';
    } else if (segment !== '' && segment !== '.') depth++;
  }
  return undefined;
}

/** The problem of a path keyshare.json names outside its folder (`what`: what is not read, for the message). */
function outsideMessage(written: string, why: string, what: string): string {
  return `"${written}" is ${why}: Keyshare reads only files inside the folder of keyshare.json (no setting allows others), so ${what} is not read. Name the file relative to keyshare.json, inside its folder.`;
}

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
