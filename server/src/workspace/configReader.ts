/**
 * Reading keyshare.json's fields into its config, each problem reported where it is: one method
 * a field, sharing the checks every entry needs (an object of known fields, strings, arrays).
 */
import type { Node } from 'jsonc-parser';
import { propertiesOf, spanOf } from '../engine/model';
import { GRANTABLE_OPERATIONS } from '../engine/kms/actions';
import { RULES } from '../engine/ruleSupport/registry';
import { closestMatch } from '../engine/text';
import type { SeveritySetting } from '../engine/types';
import type { ConfigProblem, GrantConfig, KeyshareConfig, OrganizationConfig } from './configTypes';

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/.+|user\/.+)|sts::\d{12}:assumed-role\/.+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const SEVERITIES = ['off', 'error', 'warning', 'info', 'hint'];
const RULE_IDS = new Set(RULES.map((r) => r.id));

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

export class ConfigReader {
  constructor(
    readonly config: KeyshareConfig,
    readonly problems: ConfigProblem[],
  ) {}

  problem(node: Node, message: string): void {
    this.problems.push({ ...spanOf(node), message });
  }

  /** An array of strings; anything else is reported and left out. */
  strings(node: Node | undefined, what: string): string[] {
    if (!node) return [];
    if (node.type !== 'array') {
      this.problem(node, `${what} must be an array of strings.`);
      return [];
    }
    return (node.children ?? []).filter((c) => (c.type === 'string' ? true : (this.problem(c, `${what} must hold strings.`), false))).map((c) => c.value as string);
  }

  /** An entry's fields by name; a field it does not know is reported (`what`: the entry, for the message). */
  fieldsOf(entry: Node, known: string[], what: string): Map<string, Node> {
    const fields = new Map<string, Node>();
    if (entry.type !== 'object') {
      this.problem(entry, `${what} must be an object.`);
      return fields;
    }
    for (const p of propertiesOf(entry)) {
      if (!known.includes(p.name)) this.problems.push({ ...p.keySpan, message: `"${p.name}" is not a field of ${what} (${known.join(', ')}).` });
      fields.set(p.name, p.value);
    }
    return fields;
  }

  optionalString(node: Node | undefined, what: string): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.problem(node, `${what} must be a string.`);
      return undefined;
    }
    return node.value as string;
  }

  /** `accounts`: each a 12-digit id, a name and the paths whose files it owns. */
  accounts(value: Node): void {
    for (const entry of value.type === 'array' ? value.children ?? [] : (this.problem(value, '"accounts" must be an array.'), [])) {
      const fields = this.fieldsOf(entry, ['id', 'name', 'paths'], 'an account');
      if (entry.type !== 'object') continue;
      const id = fields.get('id');
      if (!id || id.type !== 'string' || !/^\d{12}$/.test(id.value)) {
        this.problem(id ?? entry, 'Each account needs "id": a 12-digit account ID.');
        continue;
      }
      this.config.accounts.push({ id: id.value, name: this.optionalString(fields.get('name'), '"name"'), paths: this.strings(fields.get('paths'), '"paths"') });
    }
  }

  /** `keys`: each a key ARN (or a template key by its policy reference), its policy file, aliases and who manages it. */
  keys(value: Node): void {
    for (const entry of value.type === 'array' ? value.children ?? [] : (this.problem(value, '"keys" must be an array.'), [])) {
      const fields = this.fieldsOf(entry, ['arn', 'policy', 'aliases', 'managed'], 'a key');
      if (entry.type !== 'object') continue;
      const arn = fields.get('arn');
      const policyNode = fields.get('policy');
      // A key of a template ("security/stack.yaml#DataKey") is known without its ARN inside that template.
      const templateKey = !arn && policyNode?.type === 'string' && policyNode.value.includes('#');
      if (!templateKey && (!arn || arn.type !== 'string' || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(arn.value))) {
        const partial = arn?.type === 'string' && /^arn:aws[a-z-]*:kms:[a-z0-9-]*:\d{0,12}:key\/[A-Za-z0-9-]*$/.test(arn.value);
        this.problem(arn ?? entry, partial
          ? 'Complete the key ARN: its region, account and key ID (aws kms describe-key --key-id <alias> prints it), e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab.'
          : 'Each key needs "arn": a key ARN such as arn:aws:kms:us-east-1:111122223333:key/<key-id>.');
        continue;
      }
      const managed = fields.get('managed');
      if (managed && (managed.type !== 'string' || !['customer', 'aws'].includes(managed.value))) this.problem(managed, '"managed" is "customer" or "aws".');
      const aliasesNode = fields.get('aliases');
      const aliases = this.strings(aliasesNode, '"aliases"');
      for (const alias of aliasesNode?.children ?? []) {
        if (alias.type === 'string' && !/^alias\/[a-zA-Z0-9/_-]+$/.test(alias.value)) this.problem(alias, 'An alias is alias/ followed by letters, digits, /, _ or -.');
      }
      let policy = this.optionalString(policyNode, '"policy"');
      const outside = policy !== undefined ? pathOutsideFolder(policy) : undefined;
      if (outside) {
        this.problem(policyNode!, outsideMessage(policy!, outside, "this key's policy"));
        policy = undefined;
        if (templateKey) continue; // known only by its template: nothing left of it
      }
      this.config.keys.push({
        arn: arn?.value ?? '',
        policy,
        aliases,
        ...(aliasesNode?.type === 'array' ? { aliasesWritten: true } : {}),
        managed: managed?.value === 'aws' ? 'aws' : 'customer',
      });
    }
  }

  /** `organization`: its ID and units, each with its accounts. */
  organization(value: Node): void {
    const fields = this.fieldsOf(value, ['id', 'units'], '"organization"');
    const id = fields.get('id');
    if (id && (id.type !== 'string' || !/^o-[a-z0-9]{10,32}$/.test(id.value))) this.problem(id, 'An organization ID is o- followed by 10 to 32 lowercase letters or digits.');
    const units: OrganizationConfig['units'] = [];
    const unitsNode = fields.get('units');
    if (unitsNode && unitsNode.type !== 'array') this.problem(unitsNode, '"units" must be an array.');
    for (const unit of unitsNode?.type === 'array' ? unitsNode.children ?? [] : []) {
      const unitFields = this.fieldsOf(unit, ['id', 'path', 'accounts'], 'a unit');
      if (unit.type !== 'object') continue;
      const unitId = unitFields.get('id');
      if (!unitId || unitId.type !== 'string' || !/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(unitId.value)) {
        this.problem(unitId ?? unit, 'Each unit needs an "id": an OU ID such as ou-ab12-11111111.');
        continue;
      }
      const accountsNode = unitFields.get('accounts');
      const accounts = this.strings(accountsNode, '"accounts"');
      for (const account of accountsNode?.children ?? []) if (account.type === 'string' && !/^\d{12}$/.test(account.value)) this.problem(account, 'An account ID is exactly 12 digits.');
      units.push({ id: unitId.value, path: this.optionalString(unitFields.get('path'), '"path"'), accounts });
    }
    this.config.organization = { id: id?.type === 'string' ? id.value : undefined, units };
  }

  /** `rules`: rule id to severity. */
  rules(value: Node): void {
    if (value.type !== 'object') this.problem(value, '"rules" must be an object of rule id to severity.');
    for (const rule of propertiesOf(value)) {
      if (!RULE_IDS.has(rule.name)) {
        this.problems.push({ ...rule.keySpan, message: `"${rule.name}" is not a Keyshare rule id.` });
      } else if (rule.value.type !== 'string' || !SEVERITIES.includes(rule.value.value)) {
        this.problem(rule.value, `A rule setting is one of ${SEVERITIES.join(', ')}.`);
      } else {
        this.config.rules[rule.name] = rule.value.value as SeveritySetting;
      }
    }
  }

  /** `ignore`: rule, files, reason and statements of each entry. */
  ignore(value: Node): void {
    for (const entry of value.type === 'array' ? value.children ?? [] : (this.problem(value, '"ignore" must be an array.'), [])) {
      const fields = this.fieldsOf(entry, ['rule', 'files', 'reason', 'sids'], 'an ignore entry');
      if (entry.type !== 'object') continue;
      const rule = fields.get('rule');
      if (!rule || rule.type !== 'string' || (rule.value !== '*' && !RULE_IDS.has(rule.value))) {
        this.problem(rule ?? entry, 'Each ignore entry needs "rule": a Keyshare rule id (or "*").');
        continue;
      }
      const reason = this.optionalString(fields.get('reason'), '"reason"');
      const sids = fields.has('sids') ? this.strings(fields.get('sids'), '"sids"') : [];
      this.config.ignore.push({ rule: rule.value, files: this.strings(fields.get('files'), '"files"'), ...(reason !== undefined ? { reason } : {}), ...(sids.length ? { sids } : {}) });
    }
  }

  /** `principals`: each role, user or root ARN with its identity policy files. */
  principals(value: Node): void {
    for (const entry of value.type === 'array' ? value.children ?? [] : (this.problem(value, '"principals" must be an array.'), [])) {
      const fields = this.fieldsOf(entry, ['arn', 'policies'], 'a principal');
      if (entry.type !== 'object') continue;
      const arn = fields.get('arn');
      if (!arn || arn.type !== 'string' || !PRINCIPAL_ARN.test(arn.value)) {
        this.problem(arn ?? entry, 'Each principal needs "arn": a role, user or account root ARN such as arn:aws:iam::444455556666:role/app.');
        continue;
      }
      const policiesNode = fields.get('policies');
      const policies = this.strings(policiesNode, '"policies"').filter((written, i) => {
        const outside = pathOutsideFolder(written);
        if (outside) this.problem((policiesNode!.children ?? []).filter((c) => c.type === 'string')[i], outsideMessage(written, outside, 'this identity policy'));
        return !outside;
      });
      this.config.principals.push({ arn: arn.value, policies });
    }
  }

  /** `expect`: what must and must not be possible (principal, action, key, allowed, context). */
  expect(value: Node): void {
    for (const entry of value.type === 'array' ? value.children ?? [] : (this.problem(value, '"expect" must be an array.'), [])) {
      const fields = this.fieldsOf(entry, ['principal', 'action', 'key', 'allowed', 'context'], 'an expect entry');
      if (entry.type !== 'object') continue;
      const principal = fields.get('principal');
      const action = fields.get('action');
      const key = fields.get('key');
      const allowed = fields.get('allowed');
      if (!principal || principal.type !== 'string' || !(PRINCIPAL_ARN.test(principal.value) || SERVICE_PRINCIPAL.test(principal.value))) {
        this.problem(principal ?? entry, 'Each expect entry needs "principal": a role, user or account root ARN, or a service principal.');
        continue;
      }
      if (!action || action.type !== 'string' || !/^(\*|kms:[A-Za-z*?]+)$/.test(action.value)) {
        this.problem(action ?? entry, 'Each expect entry needs "action": a KMS action such as kms:Decrypt (wildcards allowed).');
        continue;
      }
      if (!key || key.type !== 'string' || key.value === '') {
        this.problem(key ?? entry, 'Each expect entry needs "key": a key ARN, an alias of "keys", or a key policy reference.');
        continue;
      }
      if (!allowed || allowed.type !== 'boolean') {
        this.problem(allowed ?? entry, 'Each expect entry needs "allowed": true or false.');
        continue;
      }
      const context: Record<string, string> = {};
      const contextNode = fields.get('context');
      if (contextNode && contextNode.type !== 'object') this.problem(contextNode, '"context" must be an object of condition key to value.');
      for (const p of propertiesOf(contextNode?.type === 'object' ? contextNode : undefined)) {
        if (p.value.type === 'string' || p.value.type === 'number' || p.value.type === 'boolean') context[p.name] = String(p.value.value);
        else if (p.value.type === 'array' && (p.value.children ?? []).every((c) => c.type === 'string')) context[p.name] = (p.value.children ?? []).map((c) => c.value as string).join(',');
        else this.problem(p.value, 'A context value is a string (or an array of strings).');
      }
      this.config.expect.push({ principal: principal.value, action: action.value, key: key.value, allowed: allowed.value as boolean, context, span: spanOf(entry) });
    }
  }

  /** `grants`: grants a service or a script makes (key, grantee, operations, constraints). */
  grants(value: Node): void {
    for (const entry of value.type === 'array' ? value.children ?? [] : (this.problem(value, '"grants" must be an array.'), [])) {
      const fields = this.fieldsOf(entry, ['key', 'grantee', 'operations', 'constraints'], 'a grant');
      if (entry.type !== 'object') continue;
      const key = fields.get('key');
      const grantee = fields.get('grantee');
      if (!key || key.type !== 'string' || key.value === '') {
        this.problem(key ?? entry, 'Each grant needs "key": a key ARN, an alias of "keys", or a key policy reference.');
        continue;
      }
      if (!grantee || grantee.type !== 'string' || !(PRINCIPAL_ARN.test(grantee.value) || SERVICE_PRINCIPAL.test(grantee.value))) {
        this.problem(grantee ?? entry, 'Each grant needs "grantee": a role, user or account root ARN, or a service principal.');
        continue;
      }
      const operationsNode = fields.get('operations');
      const operations = this.strings(operationsNode, '"operations"').filter((operation, i) => {
        if (GRANTABLE_OPERATIONS.includes(operation)) return true;
        const bare = operation.startsWith('kms:') ? operation.slice(4) : operation;
        const near = GRANTABLE_OPERATIONS.includes(bare) ? bare : closestMatch(bare, GRANTABLE_OPERATIONS, 3);
        this.problem((operationsNode!.children ?? []).filter((c) => c.type === 'string')[i], `"${operation}" is not an operation a grant can allow${near ? `: did you mean "${near}"?` : ''} (grant operations are written without "kms:").`);
        return false;
      });
      if (operations.length === 0) {
        this.problem(operationsNode ?? entry, 'Each grant needs "operations": the grant operations it allows, such as ["Decrypt", "DescribeKey"].');
        continue;
      }
      const constraints = fields.get('constraints');
      if (constraints && constraints.type !== 'object') this.problem(constraints, '"constraints" is an object: { "encryptionContextEquals": {...} } or { "encryptionContextSubset": {...} }.');
      const grant: GrantConfig = { key: key.value, grantee: grantee.value, operations, constrained: !!constraints, span: spanOf(entry) };
      const constraint = constraints?.type === 'object' ? constraintPairs(constraints) : undefined;
      if (constraint) grant.constraint = constraint;
      this.config.grants.push(grant);
    }
  }
}

/** `{ "encryptionContextEquals": {...} }` / `{ "encryptionContextSubset": {...} }` as pairs; undefined when a value is not a string. */
function constraintPairs(constraints: Node): GrantConfig['constraint'] {
  const read: NonNullable<GrantConfig['constraint']> = {};
  for (const property of constraints.children ?? []) {
    const [name, value] = property.children ?? [];
    const field = name?.value === 'encryptionContextEquals' ? 'equals' : name?.value === 'encryptionContextSubset' ? 'subset' : undefined;
    if (!field || value?.type !== 'object') return undefined;
    const pairs: Record<string, string> = {};
    for (const pair of value.children ?? []) {
      const [k, v] = pair.children ?? [];
      if (typeof k?.value !== 'string' || typeof v?.value !== 'string') return undefined;
      pairs[k.value] = v.value;
    }
    read[field] = pairs;
  }
  return read.equals || read.subset ? read : undefined;
}
