/**
 * Explaining access in a project: finds the key, its policy and the caller's identity policies
 * among the files of the workspace (keyshare.json `keys`, `principals`, the index), reads them,
 * and asks the engine's evaluator (engine/access/evaluate.ts). The CLI's `keyshare explain`, the
 * server's keyshare/explain and the `access-expectation` rule all answer through here.
 */
import * as path from 'path';
import { URI } from 'vscode-uri';
import { sharedCatalog } from '../catalog/iamData';
import { parseArn } from '../engine/arn';
import { callerOf, explain, isRoleOfSession, kmsActionsMatching, sessionRole, type Decider, type Explanation, type GrantFact, type KeyFacts, type OrganizationFacts, type PolicyInput } from '../engine/access/evaluate';
import { withKnownParts } from '../engine/access/evaluator';
import type { PolicyModel } from '../engine/model';
import { closestMatch, LineIndex, type LineRange } from '../engine/text';
import type { KeyshareConfig } from '../workspace/config';
import { useMatchesKey } from '../workspace/handshake';
import type { WorkspaceIndex } from '../workspace/index';
import { fileUri, uriFile } from '../workspace/uris';
import type { Project } from './project';
import { DEFAULT_SETTINGS } from './settings';
import { hostById, hostOfFile, readDocument } from '../hosts';
import type { TemplateKeyFacts } from '../hosts/host';
import { projectFile } from './files';

export interface ExplainQuery {
  principal: string;
  action: string;
  /** A key ARN, an alias of keyshare.json's keys, or a policy reference ("security/stack.yaml#DataKey"). */
  key: string;
  /** Identity policy files of the principal (absolute paths); else keyshare.json `principals`. */
  policies?: string[];
  context?: Record<string, string>;
  /** Where a policy reference is read from without a keyshare.json (the command line's folder). */
  referencesFrom?: string;
}

export interface ExplainCitation {
  uri: string;
  /** The file's path on disk. */
  file: string;
  range: LineRange;
  /** Where the policy sits in a template ("AppRole Policies[0]"); undefined for a policy file. */
  policy?: string;
  effect: 'Allow' | 'Deny';
  sid?: string;
  half: 'key' | 'identity' | 'grant';
}

export interface ExplainAnswer {
  verdict: Explanation['verdict'];
  principal: string;
  action: string;
  /** The key ARN the query resolved to (the query's key when it could not be resolved). */
  key: string;
  because: ExplainCitation[];
  depends: string[];
  /** Why it is denied when no statement says so. */
  notes: string[];
  summary: string;
  /** Per KMS action the query's action matched. */
  actions: { action: string; verdict: Explanation['verdict'] }[];
}

export class ExplainError extends Error {}

/** A policy as read for an answer: its model, and how to say where a statement is. */
interface ReadPolicy extends PolicyInput {
  uri: string;
  lines: LineIndex;
}

/**
 * Answers one query in the project of `anchor` (a file or folder governed by the keyshare.json
 * to read; its index should be built). Throws ExplainError when the key or a policy cannot be read.
 */
export function explainAccess(project: Project, anchor: string, query: ExplainQuery): ExplainAnswer {
  const anchorUri = anchor.includes('://') ? anchor : URI.file(anchor).toString();
  const index = project.indexFor(anchorUri);
  const config = index.config;
  const folder = index.folder ?? query.referencesFrom;
  const read = (file: string, ref?: string): ReadPolicy[] => readPolicies(project, file, ref, folder);
  const caller = callerOf(query.principal);
  checkQuery(caller, query);
  // A session's role, with its path, where keyshare.json declares it.
  if (caller.kind === 'session') caller.roleArn = config.principals.map((p) => p.arn).find((arn) => isRoleOfSession(arn, caller.principal));
  const key = resolveKey(project, index, query.key, read, query.referencesFrom);
  const configured = configuredGrants(project, anchorUri, index.config, query.key, key.facts);
  if (configured.length) key.facts.grants = [...(key.facts.grants ?? []), ...configured];
  let identity: PolicyInput[] | undefined;
  let boundary: PolicyInput[] | undefined;
  let sessionOfRole: string | undefined;
  if (query.policies?.length) {
    identity = query.policies.flatMap((ref) => {
      // A template's policy by its logical ID or address (`stack.yaml#AppPolicy`), as keyshare.json "principals" names them.
      const [file, address] = splitRef(ref);
      const policies = read(file, address);
      if (!policies.length) throw new ExplainError(`${ref}: holds no policy that could be read`);
      return policies.filter((p) => p.model.kind !== 'key-policy');
    });
  } else {
    // A role session has its role's identity policies (a session policy can only narrow them).
    const declared = config.principals.find((p) => p.arn === caller.principal) ?? (caller.kind === 'session' && caller.roleArn ? config.principals.find((p) => p.arn === caller.roleArn) : undefined);
    if (declared && declared.arn !== caller.principal) sessionOfRole = declared.arn;
    if (declared && folder) identity = declared.policies.flatMap((ref) => {
      const [file, address] = splitRef(ref);
      return read(inProject(folder, file, ref), address).filter((p) => p.model.kind === 'identity-policy');
    });
    else identity = templateAttached(project, index, caller, read, (found) => (boundary = found));
  }
  const explanation = explain({ caller, action: query.action, key: key.facts, identity, boundary, context: query.context ?? {}, organization: organizationOf(config) }, sharedCatalog());
  const depends = [...explanation.depends];
  if (!identity && caller.kind !== 'service' && caller.kind !== 'root' && explanation.verdict === 'depends' && caller.account) {
    const candidates = identityCandidates(index, caller.account, key.facts);
    const names = candidates.map((uri) => displayOf(uri, folder));
    const i = depends.findIndex((d) => d.startsWith('the identity policies of'));
    const said = names.length
      ? `the identity policies of ${caller.principal}: of account ${caller.account}'s in this workspace, these use the key: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''} (name them with --policy, or in keyshare.json "principals")`
      : `the identity policies of ${caller.principal}: none of account ${caller.account}'s identity policies in this workspace uses this key`;
    if (i >= 0) depends[i] = said;
  }
  return {
    verdict: explanation.verdict,
    principal: caller.principal,
    action: query.action,
    key: key.facts.label ?? key.facts.arn,
    because: [...explanation.because.map((d) => cite(d)), ...explanation.grants.map((g) => g.ref as ExplainCitation)],
    depends,
    notes: sessionOfRole && explanation.verdict === 'allowed' ? [...(explanation.notes ?? []), `as a session of ${sessionOfRole}, with that role's identity policies; a session policy given when the role was assumed can only narrow them (IAM User Guide, "Session policies")`] : explanation.notes,
    summary: explanation.depends.length ? explanation.summary.replace(explanation.depends.join('; '), depends.join('; ')) : explanation.summary,
    actions: explanation.actions.map((a) => ({ action: a.action, verdict: a.verdict })),
  };
}

/**
 * A question Keyshare cannot answer gets an error, never a verdict: a misspelt action would make an
 * `expect ... allowed: false` entry pass silently.
 */
function checkQuery(caller: ReturnType<typeof callerOf>, query: ExplainQuery): void {
  if (caller.kind === 'other') {
    throw new ExplainError(`${query.principal}: not a principal Keyshare can place (give a role, user, assumed-role session or account root ARN, a 12-digit account ID, or a service principal such as logs.amazonaws.com)`);
  }
  if (caller.kind !== 'service' && !caller.account) throw new ExplainError(`${query.principal}: its ARN names no 12-digit account`);
  const action = query.action.trim();
  if (kmsActionsMatching(sharedCatalog(), action).length > 0) return;
  const colon = action.indexOf(':');
  const service = colon > 0 ? action.slice(0, colon).toLowerCase() : '';
  if (service !== 'kms' && service !== '*' && action !== '*') throw new ExplainError(`${action}: not a KMS action (explain answers for kms: actions, such as kms:Decrypt)`);
  const names = kmsActionsMatching(sharedCatalog(), 'kms:*');
  const guess = closestMatch(action.slice(colon + 1), names.map((n) => n.slice(4)), 3);
  throw new ExplainError(`${action}: matches no KMS action${guess ? ` (did you mean kms:${guess}?)` : ''}`);
}

function cite(decider: Decider): ExplainCitation {
  const policy = decider.policy as ReadPolicy;
  const statement = decider.statement;
  return {
    uri: policy.uri,
    file: policy.file,
    range: policy.lines.rangeOf(statement.span),
    policy: policy.model.address,
    effect: decider.effect,
    sid: statement.sid?.value,
    half: decider.half,
  };
}

function displayOf(uri: string, folder: string | undefined): string {
  const file = uriFile(uri) ?? uri;
  return folder ? path.relative(folder, file).split(path.sep).join('/') : file;
}

export function splitRef(ref: string): [string, string | undefined] {
  const hash = ref.indexOf('#');
  return hash < 0 ? [ref, undefined] : [ref.slice(0, hash), ref.slice(hash + 1)];
}

/**
 * A file keyshare.json names (relative to its folder `folder`), as an absolute path, when it may
 * be read: a regular file inside that folder. Else an error that says what was not read and why.
 */
function inProject(folder: string, file: string, ref: string): string {
  const found = projectFile(folder, file);
  if (!found.ok) throw new ExplainError(`${ref}: ${found.message}`);
  return found.file;
}

function readPolicies(project: Project, file: string, address?: string, folder?: string): ReadPolicy[] {
  const uri = URI.file(file).toString();
  const open = project.openText(uri);
  // Named as keyshare.json names it when it is in the project: no absolute path in a finding.
  const shown = folder && file.startsWith(folder + path.sep) ? path.relative(folder, file).split(path.sep).join('/') : file;
  let analysis;
  if (open !== undefined) analysis = project.analyse(uri, open, DEFAULT_SETTINGS, { modelOnly: true });
  else {
    const read = project.read(file, DEFAULT_SETTINGS);
    if (!read.ok) throw new ExplainError(`${shown}: cannot be read (${read.message})`);
    analysis = project.analyse(fileUri(file), read.text, DEFAULT_SETTINGS, { modelOnly: true, invalidUtf8: read.invalidUtf8 });
  }
  // A Terraform policy names the resource it belongs to (aws_kms_key.data), beside its own address.
  const hosted = analysis.result.source?.policies;
  const resourceOf = (i: number) => (hosted && hosted.length === analysis.result.models.length ? (hosted[i] as { resource?: string }).resource : undefined);
  let models = analysis.result.models.filter((m: PolicyModel, i: number) => !address || matchesAddress(m, address) || resourceOf(i) === address);
  // An instance address of a count or for_each resource or module (`module.keys["a"]`, `aws_kms_key.this[0]`): the instances share one configuration.
  const configured = address?.replace(/\[[^\]]*\]/g, '');
  if (!models.length && configured && configured !== address) models = analysis.result.models.filter((m: PolicyModel, i: number) => matchesAddress(m, configured) || resourceOf(i) === configured);
  return models.map((model) => ({ file, shown, uri: analysis.uri, model, lines: analysis.lines }));
}

/** A template policy named by a reference: a CloudFormation logical id or a Terraform address. */
function matchesAddress(model: PolicyModel, address: string): boolean {
  const at = model.address ?? '';
  return at === address || at.startsWith(`${address} `) || at.startsWith(`${address}.`) || at.split(/[ ,]/).includes(address);
}

interface ResolvedKey {
  facts: KeyFacts;
}

function resolveKey(project: Project, index: WorkspaceIndex, written: string, read: (file: string, ref?: string) => ReadPolicy[], referencesFrom?: string): ResolvedKey {
  const config = index.config;
  const folder = index.folder ?? referencesFrom;
  const value = written.trim();
  let declared = config.keys.find((k) => k.arn === value);
  if (!declared && /^alias\//.test(value)) declared = config.keys.find((k) => k.aliases.includes(value));
  if (!declared && /^arn:[^:]+:kms:[^:]*:\d{12}:alias\//.test(value)) {
    const alias = value.slice(value.indexOf(':alias/') + 1);
    const account = parseArn(value)?.account;
    declared = config.keys.find((k) => k.aliases.includes(alias) && k.arn.split(':')[4] === account);
  }
  if (!declared && !value.startsWith('arn:') && !value.startsWith('alias/')) declared = config.keys.find((k) => k.policy && samePath(k.policy, value));
  if (!declared && value.startsWith('alias/aws/')) {
    throw new ExplainError(`${value}: an AWS managed key's alias names a different key in each account and region; give its key ARN (and declare it in keyshare.json with "managed": "aws")`);
  }
  let arn = declared?.arn;
  let policyRef = declared?.policy;
  if (!declared) {
    if (/^arn:[^:]+:kms:[^:]*:\d{12}:key\/./.test(value)) arn = value;
    else if (value.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(value)) throw new ExplainError(`${value}: no key in keyshare.json has this alias (declare the key's "aliases", or give its key ARN)`);
    else if (value.startsWith('arn:')) throw new ExplainError(`${value}: not a key ARN (arn:aws:kms:<region>:<account>:key/<key-id>), an alias or a key policy reference`);
    else if (/^(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$/i.test(value)) throw new ExplainError(`${value}: a key ID names no account or Region; give the key ARN (arn:aws:kms:<region>:<account>:key/${value})`);
    else policyRef = value;
  }
  let policy: ReadPolicy | undefined;
  let template: KeyFacts['template'];
  let defaultPolicy = false;
  if (policyRef && folder) {
    const [file, address] = splitRef(policyRef);
    const full = inProject(folder, file, policyRef);
    const policies = read(full, address).filter((p) => p.model.kind === 'key-policy');
    if (!policies.length) {
      // A key the template defines without a policy gets the default key policy: the owner account's root, kms:*.
      if (!address || !definesKeyWithoutPolicy(project, full, address)) throw new ExplainError(`${policyRef}: holds no key policy`);
      defaultPolicy = true;
      template = { file: full, resource: address };
      if (!arn) {
        const account = project.optionsFor(URI.file(full).toString()).options.account;
        arn = `arn:aws:kms:*:${account && /^\d{12}$/.test(account) ? account : '*'}:key/*`;
      }
    } else {
      policy = policies[0];
      // A file named without an address: the template resource of the key policy it holds (its grants are that key's).
      const resource = address ?? policy.model.resource;
      if (resource) template = { file: policy.file, resource };
      if (!arn) {
        // A key policy no key declares: its ARN is unknown, but its account is the policy's when
        // the policy spells it (a template's `${AWS::AccountId}` is any account).
        const account = policy.model.ownerAccount;
        arn = `arn:aws:kms:*:${account && /^\d{12}$/.test(account) ? account : '*'}:key/*`;
      }
    }
  } else if (policyRef && !folder) {
    throw new ExplainError(`${policyRef}: a policy reference is read from a keyshare.json's folder or the current folder, and neither is known here`);
  } else if (arn && (declared?.managed ?? 'customer') === 'customer') {
    // A key no keyshare.json entry gives a policy: the index may know its policy file.
    for (const summary of index.summaries) {
      if (summary.kind === 'key-policy' && summary.keyArn === arn) {
        const file = uriFile(summary.uri);
        if (file) policy = read(file).find((p) => p.model.kind === 'key-policy');
        break;
      }
    }
  }
  const grants = template ? grantsOf(project, template.file, template.resource, arn) : undefined;
  const keyFacts = template ? templateKeyFacts(project, template.file, template.resource) : undefined;
  // A key known only by its policy has a pattern for an ARN (`...:key/*`), which reads like "every key": it is named by its reference.
  const label = policyRef && !declared?.arn ? policyRef : undefined;
  return { facts: { arn: arn!, label, grants, aliases: declared?.aliases ?? [], aliasesDeclared: !!declared && (declared.aliases.length > 0 || !!declared.aliasesWritten), managed: declared?.managed ?? 'customer', policy, template, defaultPolicy, properties: keyFacts?.properties, knownAliases: keyFacts?.aliases.length ? keyFacts.aliases : undefined } };
}

/** keyshare.json's `grants` of the key asked about: by its ARN, an alias, its policy reference, or as written. */
function configuredGrants(project: Project, anchorUri: string, config: KeyshareConfig, written: string, facts: KeyFacts): GrantFact[] {
  if (config.grants.length === 0) return [];
  const declared = config.keys.find((k) => k.arn === facts.arn || (facts.label !== undefined && k.policy === facts.label));
  const names = new Set([written.trim(), facts.arn, ...(facts.label ? [facts.label] : []), ...(declared ? [declared.arn, ...declared.aliases, ...(declared.policy ? [declared.policy] : [])] : [])].filter((n): n is string => !!n));
  const grants = config.grants.filter((g) => names.has(g.key));
  const file = project.configFor(anchorUri);
  if (grants.length === 0 || !file) return [];
  const lines = new LineIndex(file.loaded.text);
  const uri = fileUri(file.file);
  return grants.map((g) => ({
    grantee: g.grantee,
    granteeKnown: true,
    operations: g.operations,
    operationsKnown: true,
    constrained: g.constrained,
    ...(g.constraint ? { constraint: g.constraint } : {}),
    ref: { uri, file: file.file, range: lines.rangeOf(g.span), policy: 'keyshare.json grants', effect: 'Allow', half: 'grant' } satisfies ExplainCitation,
  }));
}

/** The grants a template or module creates for its key `address` (Terraform `aws_kms_grant`), each citable. */
function grantsOf(project: Project, file: string, address: string, keyArn: string | undefined): GrantFact[] | undefined {
  const read = project.read(file);
  if (!read.ok) return undefined;
  const source = readDocument(read.text, { fileName: file, grammars: project.grammars });
  // A grant with an operation AWS does not accept is never created (check reports it).
  const grants = source.grants?.filter((g) => g.keyResource === address && !g.rejected);
  if (!grants?.length) return undefined;
  const lines = new LineIndex(read.text);
  const uri = fileUri(file);
  // A grantee the module writes but for its account and partition (`aws_iam_role.app.arn`): the key's.
  const key = keyArn ? parseArn(keyArn) : undefined;
  const place = { 'owner-account': key && /^\d{12}$/.test(key.account) ? key.account : undefined, partition: key?.partition };
  return grants.map((g) => {
    const resolved = g.grantee.parts ? withKnownParts(g.grantee.parts, place) : undefined;
    const known = (!g.grantee.parts && typeof g.grantee.value === 'string') || (!!resolved && !resolved.unknown);
    const citation: ExplainCitation = { uri, file, range: lines.rangeOf(g.span), policy: g.address, effect: 'Allow', half: 'grant' };
    return {
      grantee: resolved && !resolved.unknown ? resolved.glob : String(g.grantee.value),
      granteeKnown: known,
      operations: g.operations.filter((o) => typeof o.value === 'string' && !o.parts).map((o) => o.value as string),
      operationsKnown: g.operationsKnown,
      constrained: g.constrained,
      ...(g.constraint ? { constraint: g.constraint } : {}),
      ...(g.retiringPrincipal ? { retiring: { principal: String(g.retiringPrincipal.value), known: !g.retiringPrincipal.parts && typeof g.retiringPrincipal.value === 'string' } } : {}),
      ref: citation,
    };
  });
}

/** Whether a template or module defines `address` as a key with no policy of its own. */
function definesKeyWithoutPolicy(project: Project, file: string, address: string): boolean {
  const text = currentText(project, file);
  if (text === undefined) return false;
  return hostOfFile(file)?.keyWithoutPolicy?.(text, { fileName: file, grammars: project.grammars }, address) ?? false;
}

/** What the template says of its key: properties (KeySpec, MultiRegion...) and the aliases it points at it. */
function templateKeyFacts(project: Project, file: string, address: string): TemplateKeyFacts | undefined {
  const text = currentText(project, file);
  return text === undefined ? undefined : hostOfFile(file)?.keyFacts?.(text, { fileName: file, grammars: project.grammars }, address);
}

/** A file's text: the editor's buffer when it is open, else the disk's. */
function currentText(project: Project, file: string): string | undefined {
  const open = project.openText(URI.file(file).toString());
  if (open !== undefined) return open;
  const read = project.read(file);
  return read.ok ? read.text : undefined;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/^\.\//, '').split('\\').join('/');
  return norm(a) === norm(b);
}

function organizationOf(config: KeyshareConfig): OrganizationFacts | undefined {
  const org = config.organization;
  if (!org) return undefined;
  const members = new Set<string>(config.accounts.map((a) => a.id));
  for (const unit of org.units) for (const account of unit.accounts) members.add(account);
  return { id: org.id, units: org.units, members: [...members] };
}

/**
 * The identity policies the templates and modules of the caller's account attach to it (a
 * CloudFormation role or user whose RoleName / UserName is the caller's name, a Terraform
 * aws_iam_role or aws_iam_user whose name is); undefined when none does.
 */
function templateAttached(project: Project, index: WorkspaceIndex, caller: ReturnType<typeof callerOf>, read: (file: string, ref?: string) => ReadPolicy[], boundaryFound: (policies: PolicyInput[]) => void): PolicyInput[] | undefined {
  if ((caller.kind !== 'role' && caller.kind !== 'user' && caller.kind !== 'session') || !caller.account) return undefined;
  // A role session has its role's policies: the role is named in the session ARN.
  const kind = caller.kind === 'session' ? 'role' : caller.kind;
  const name = (caller.kind === 'session' ? (sessionRole(caller.principal) ?? caller.principal) : caller.principal).split('/').pop()!;
  const seen = new Set<string>();
  const found: PolicyInput[] = [];
  for (const summary of index.summaries) {
    // A template has one index entry per policy (`<uri>#<resource>`): read each template once.
    const uri = summary.uri.split('#')[0];
    if (summary.account !== caller.account || seen.has(uri)) continue;
    seen.add(uri);
    const file = uriFile(uri);
    let host = file ? hostOfFile(file) : undefined;
    // A `.json` file is a template by its content (`stack.json`, whose index entries name their resources): the host that reads it decides.
    if (!file || (!host?.attachedPolicies && !(summary.resource && file.toLowerCase().endsWith('.json')))) continue;
    const text = project.openText(uri) ?? (() => {
      const r = project.read(file);
      return r.ok ? r.text : undefined;
    })();
    if (text === undefined) continue;
    const template = { fileName: file, grammars: project.grammars };
    if (!host?.attachedPolicies) host = hostById(readDocument(text, template).host);
    if (!host?.attachedPolicies) continue;
    const ids = host.attachedPolicies(text, template, kind, name);
    for (const id of ids) found.push(...read(file, id).filter((p) => p.model.kind === 'identity-policy'));
    // The permissions boundary the template sets for it: the most its identity-based policies can grant.
    const boundary = host.permissionsBoundary?.(text, template, kind, name);
    const boundaryPolicies = boundary ? read(file, boundary).filter((p) => p.model.kind === 'identity-policy') : [];
    if (boundaryPolicies.length) boundaryFound(boundaryPolicies);
  }
  return found.length ? found : undefined;
}

/** Identity policies of an account (in the index) that use the key: the ones that would decide. */
function identityCandidates(index: WorkspaceIndex, account: string, key: KeyFacts): string[] {
  const info = { arn: key.arn, aliases: key.aliases, managed: key.managed };
  const result: string[] = [];
  for (const summary of index.summaries) {
    if (summary.kind !== 'identity-policy' || summary.account !== account) continue;
    if (summary.uses.some((use) => useMatchesKey(use, info) || use.resource === '*')) result.push(summary.uri);
  }
  return result.sort();
}

/** What the Explain Access pickers offer: the principals, keys and actions the workspace names. */
export function explainChoices(index: WorkspaceIndex): { principals: { arn: string; detail?: string }[]; keys: { key: string; detail?: string }[]; actions: string[] } {
  const principals = new Map<string, string | undefined>();
  for (const p of index.config.principals) principals.set(p.arn, `identity policies: ${p.policies.join(', ')}`);
  for (const summary of index.summaries) {
    // A principal a template fills in (`arn:aws:iam::${AWS::AccountId}:root`) is no ARN anyone can ask about.
    for (const grant of summary.grants) if (!grant.wildcard && grant.principal.startsWith('arn:') && !grant.principal.includes('${') && !principals.has(grant.principal)) principals.set(grant.principal, 'named in a key policy');
  }
  for (const account of index.config.accounts) {
    const root = `arn:aws:iam::${account.id}:root`;
    if (!principals.has(root)) principals.set(root, account.name ? `account ${account.name}` : 'account root');
  }
  const keys = index.config.keys.map((key) => ({ key: key.aliases[0] ?? key.arn, detail: key.aliases[0] ? key.arn : key.policy }));
  return {
    principals: [...principals].map(([arn, detail]) => ({ arn, detail })),
    keys,
    actions: ['kms:*', ...[...kmsActionsMatching(sharedCatalog(), 'kms:*')].sort()],
  };
}

