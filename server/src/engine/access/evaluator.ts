/**
 * The evaluator: does one statement match one request? Three answers: it matches, it does not,
 * or it depends on facts Keyshare cannot know offline (and which). It reads the statement through
 * the access model (actions expanded once, principals placed once), the operators through
 * `operators.ts` and the request's keys through `request.ts`: the same table the access model's
 * readings for the rules use, so the rules and `explain` cannot read a key differently.
 *
 * IAM semantics followed (IAM User Guide, "Condition operators",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * and "Conditions with multiple context keys or values",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
 * - a missing key: `...IfExists` and `ForAllValues` are true, `ForAnyValue` is false, a negated
 *   operator is true, any other operator is false; `Null` tests presence;
 * - several values for one key are OR'ed (a negated operator: none may match);
 * - String operators are case-sensitive except `...IgnoreCase`; `ArnLike`/`ArnEquals` compare each
 *   of the six colon-separated fields with wildcards.
 */
import { isPolicyVariable, POLICY_VARIABLE } from '../arn';
import type { Catalog } from '../catalog';
import type { ConditionEntry, Statement } from '../model';
import { isWhollyUnknown, type PolicyNode } from '../tree';
import type { Constraint } from './conditions';
import { absentResult, nullTestsAbsence, type ParsedOperator } from './operators';
import { isRoleOfSession, requestValue, sessionRole, type AccessRequest, type Caller } from './request';
import type { StatementAccess } from './index';

export type Tri = true | false | undefined;

export interface StatementMatch {
  result: 'matches' | 'no' | 'depends';
  /** Key policies: the statement admits the caller's account (its root), so that account's IAM decides. */
  viaAccount?: boolean;
  /** What a `depends` rests on, each with how to supply it. */
  on: string[];
}

/** How the evaluator should read a statement's Resource for this request. */
export interface ResourceReading {
  /** Whether the statement's Resource covers the request's key. */
  covers(statement: StatementAccess): Tri;
  /** For a depends: what it rests on. */
  why(statement: StatementAccess): string;
}

const NO: StatementMatch = Object.freeze({ result: 'no', on: [] }) as StatementMatch;

/**
 * Whether the statement applies to the request. `owner`: the account of the policy (key
 * policies: the key's), for principals a template writes as its own account.
 */
export function matchStatement(access: StatementAccess, request: AccessRequest, catalog: Catalog, resource: ResourceReading, owner: string | undefined): StatementMatch {
  // A statement the access model reads as admitting nobody (a condition that can never be true) matches nothing.
  if (!access.effect || access.audience.admits === 'nobody') return NO;
  const lower = request.action.toLowerCase();
  if (!access.actions.kms.some((a) => a.toLowerCase() === lower)) return NO;
  const on: string[] = [];
  // A statement the template includes only under a condition (`!If [IsProd, ..., !Ref AWS::NoValue]`).
  const onlyIf = (access.statement.node as PolicyNode).onlyIf;
  if (onlyIf) on.push(templateCondition(onlyIf, 'the statement'));
  const covers = resource.covers(access);
  if (covers === false) return NO;
  if (covers === undefined) on.push(resource.why(access));

  let viaAccount = false;
  if (request.policy === 'key-policy') {
    const principal = principalMatch(access, request.caller, owner, request.where?.region);
    if (principal.result === 'no') return NO;
    if (principal.result === 'depends') on.push(...principal.on);
    viaAccount = principal.viaAccount === true;
  }

  let holds: Tri = true;
  for (const node of access.statement.filledInConditions) {
    holds = undefined;
    on.push(`the condition the template fills in (${describeUnknown(node)})`);
  }
  for (const entry of access.statement.conditions) {
    const result = conditionHolds(entry, request, catalog);
    if (result.value === false) return NO;
    if (result.value === undefined) {
      holds = undefined;
      on.push(result.needs ?? entry.key);
    }
  }
  const result = holds === true && on.length === 0 ? 'matches' : 'depends';
  return { result, viaAccount, on: [...new Set(on)] };
}

function templateCondition(condition: string, what: string): string {
  // A Terraform host says it in words ("key_users is not empty"); CloudFormation names a condition (`IsProd`, `!IsProd`).
  if (/\s/.test(condition)) return `${condition}: ${what} is there only then`;
  const negated = condition.startsWith('!');
  return `condition ${negated ? condition.slice(1) : condition} of the template: ${what} is there only when it is ${negated ? 'false' : 'true'}`;
}

function describeUnknown(node: PolicyNode): string {
  return node.parts?.[0] && 'unknown' in node.parts[0] ? node.parts[0].unknown : 'a template value';
}

// ---- principals ----

type PrincipalAnswer = { result: 'matches' | 'no' | 'depends'; viaAccount?: boolean; on: string[] };

/**
 * Whether a key-policy statement's principals take in the caller: itself (its ARN, its role for a
 * session, "*", its service), or its account's root (then the account's IAM policies decide).
 * NotPrincipal: everyone except those listed; in a Deny that names a role or user but not its
 * account, AWS warns it "might deny access to the entire account", so that case depends.
 */
function principalMatch(access: StatementAccess, caller: Caller, owner: string | undefined, region: string | undefined): PrincipalAnswer {
  let best: PrincipalAnswer = { result: 'no', on: [] };
  for (const p of access.principals) {
    const node = p.item?.node as PolicyNode | undefined;
    let one = constraintMatch(p.constraint, caller, owner, node, region);
    if (one.result === 'matches' && node?.onlyIf) one = { result: 'depends', viaAccount: one.viaAccount, on: [templateCondition(node.onlyIf, `the principal ${p.item!.value}`)] };
    if (one.result === 'matches' && (best.result !== 'matches' || (best.viaAccount && !one.viaAccount))) best = one;
    else if (one.result === 'depends' && best.result === 'no') best = one;
  }
  if (best.result === 'no' || access.except.length === 0) return best;
  const excepted = access.except.map((c) => constraintMatch(c, caller, owner, undefined));
  const namesAccount = caller.kind === 'root' || caller.kind === 'service' || access.except.some((c) => c.kind === 'account' && c.account === caller.account);
  const namesExactly = access.except.some((c) => c.kind === 'principal' && globMatch(c.arn, caller.principal, true));
  if (excepted.some((e) => e.result === 'matches' && !e.viaAccount)) {
    // AWS checks the account, then the role, then the session: exempt for certain only when all are named.
    if (namesAccount && (namesExactly || caller.kind !== 'session')) return { result: 'no', on: [] };
    return { result: 'depends', on: [NOT_PRINCIPAL_ACCOUNT] };
  }
  if (excepted.some((e) => e.result === 'depends')) return { result: 'depends', on: [NOT_PRINCIPAL_ACCOUNT] };
  // Only the caller's account is named (or nobody it matches): AWS does not exempt the account's roles and users by that.
  return best;
}

const NOT_PRINCIPAL_ACCOUNT = 'how AWS matches the caller against NotPrincipal, which does not name its account, role and session all ("AWS might validate the account first, then the role, and then the assumed-role user", IAM User Guide, NotPrincipal): name each in NotPrincipal';

/** Whether a principal ARN names the caller; a session is its role's, whatever the role's path. */
function samePrincipal(arn: string, caller: Caller): boolean {
  if (globMatch(arn, caller.principal, true)) return true;
  if (caller.kind !== 'session') return false;
  const role = caller.roleArn ?? sessionRole(caller.principal);
  if (!role) return false;
  return globMatch(arn, role, true) || (!/[*?]/.test(arn) && isRoleOfSession(arn, caller.principal));
}

/** How to give a value the template or module leaves to its deployment (the command line's flags). */
const SUPPLY_HINT = {
  parameter: ' (a template parameter: keyshare explain --parameters gives its value)',
  variable: ' (a Terraform variable: keyshare explain --var-file gives its value)',
  none: '',
} as const;

function constraintMatch(c: Constraint, caller: Caller, owner: string | undefined, node: PolicyNode | undefined, region?: string): PrincipalAnswer {
  const service = caller.kind === 'service';
  switch (c.kind) {
    case 'anyone':
      return { result: 'matches', on: [] };
    case 'account': {
      if (service || !caller.account) return { result: 'no', on: [] };
      // The template's own account is the policy's owner; another account the template fills in may be the caller's.
      const account = c.own && owner ? owner : c.account;
      if (!/^\d{12}$/.test(account)) return { result: 'depends', on: [`whether ${c.account} is account ${caller.account}${SUPPLY_HINT[c.supply ?? 'none']}`], viaAccount: caller.kind !== 'root' };
      if (account !== caller.account) return { result: 'no', on: [] };
      return caller.kind === 'root' ? { result: 'matches', on: [] } : { result: 'matches', viaAccount: true, on: [] };
    }
    case 'principal': {
      if (service) return { result: 'no', on: [] };
      if (node?.parts) {
        const written = templatedPrincipal(node, owner, region);
        const could = written.pattern.test(caller.principal) || (caller.kind === 'session' && written.pattern.test(sessionRole(caller.principal) ?? ''));
        if (!could) return { result: 'no', on: [] };
        return written.unknown ? { result: 'depends', on: [`whether ${written.spelled} is ${caller.principal}`] } : { result: 'matches', on: [] };
      }
      return samePrincipal(c.arn, caller) ? { result: 'matches', on: [] } : { result: 'no', on: [] };
    }
    case 'service': {
      if (!service) return { result: 'no', on: [] };
      if (node?.parts) {
        // `logs.${AWS::Region}.amazonaws.com`: the policy's Region filled in where known, other parts any text.
        const written = templatedPrincipal(node, owner, region);
        if (!written.pattern.test(caller.principal.toLowerCase())) return { result: 'no', on: [] };
        return written.unknown ? { result: 'depends', on: [`whether ${written.spelled} is ${caller.principal}`] } : { result: 'matches', on: [] };
      }
      return c.service.toLowerCase() === caller.principal.toLowerCase() ? { result: 'matches', on: [] } : { result: 'no', on: [] };
    }
    default:
      return { result: 'no', on: [] };
  }
}

/**
 * A principal ARN with parts a template fills in: the owner account and the partition resolved,
 * other parts any text. `unknown`: some part is neither, so a caller it could name gives `depends`.
 */
function templatedPrincipal(node: PolicyNode, owner: string | undefined, region: string | undefined): { pattern: RegExp; spelled: string; unknown: boolean } {
  let unknown = false;
  let source = '';
  let spelled = '';
  for (const part of node.parts!) {
    if ('literal' in part) {
      source += escape(part.literal);
      spelled += part.literal;
      continue;
    }
    spelled += `\${${part.unknown}}`;
    if (part.meaning === 'owner-account' && owner) source += owner;
    else if (part.meaning === 'partition') source += 'aws(-cn|-us-gov)?';
    else if (part.meaning === 'region' && region) source += escape(region);
    else {
      unknown = true;
      source += '.+';
    }
  }
  return { pattern: new RegExp(`^${source}$`), spelled, unknown };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- conditions ----

export interface ConditionResult {
  value: Tri;
  /** For an unknown: the fact it depends on, and how to supply it. */
  needs?: string;
}

/** One condition entry against the request. */
export function conditionHolds(entry: ConditionEntry, request: AccessRequest, catalog: Catalog | undefined): ConditionResult {
  const op = entry.parsed;
  if (!op) return { value: false };
  const valueNode = entry.valueNode as PolicyNode;
  const actual = requestValue(entry.key, request, catalog);
  if (op.family === 'Null') {
    if (isWhollyUnknown(valueNode) && resolveParts(valueNode.parts!, request) === undefined) return { value: undefined, needs: `${entry.key}: the values the template fills in` };
    if (actual.state === 'unknown' && !actual.present) return { value: undefined, needs: actual.needs };
    const wantsAbsent = nullTestsAbsence(entry.values);
    return { value: (actual.state === 'absent') === wantsAbsent };
  }
  // A key the request lacks decides every other operator, whatever the values.
  if (actual.state === 'absent') return { value: absentResult(op) };
  // One value the template fills in; the policy's own account, Region and partition are known.
  if (isWhollyUnknown(valueNode) && resolveParts(valueNode.parts!, request) === undefined) return { value: undefined, needs: `${entry.key}: the values the template fills in` };
  if (actual.state === 'unknown' && entry.lowerKey === 'kms:resourcealiases' && request.knownAliases?.length && op.set === 'ForAnyValue' && !op.negated) {
    // ForAnyValue needs one alias that matches: one the key surely has is enough, whatever else it has.
    const known = conditionHolds(entry, { ...request, keyAliases: request.knownAliases }, catalog);
    if (known.value === true) return known;
  }
  if (actual.state === 'unknown' && entry.lowerKey === 'aws:principalarn') {
    const whateverPath = principalArnWhateverPath(entry, request, catalog, op.negated);
    if (whateverPath !== undefined) return { value: whateverPath };
  }
  if (actual.state === 'unknown') {
    // The values may need request facts too (`${aws:PrincipalTag/Project}`): name them all at once.
    const more = entry.values.map((item) => (typeof item.value === 'string' ? resolveVariables(item.value, request, catalog).needs : undefined)).filter((n): n is string => !!n && n !== actual.needs);
    return { value: undefined, needs: [actual.needs, ...new Set(more)].join('; ') };
  }
  // Expected values: policy variables are read from the request too.
  const expected: string[] = [];
  // Values a template fills in part of (`secretsmanager.${AWS::Region}.amazonaws.com`): what is written around the parts can still rule a value out.
  const partly: string[] = [];
  let partlyNeeds: string | undefined;
  for (const item of entry.values) {
    if (item.value === null) continue;
    const parts = (item.node as PolicyNode | undefined)?.parts;
    const written = parts ? resolveParts(parts, request) : String(item.value);
    if (written === undefined) {
      const around = withKnownParts(parts!, request.where ?? {});
      if (op.family !== 'String' && op.family !== 'Arn') return { value: undefined, needs: `${entry.key}: the value the template fills in (${String(item.value)})` };
      partly.push(around.glob);
      partlyNeeds ??= `${entry.key}: the value the template fills in (${String(item.value)})`;
      continue;
    }
    const resolved = resolveVariables(written, request, catalog);
    if (resolved.value === undefined) return { value: undefined, needs: resolved.needs };
    expected.push(resolved.value);
  }
  const matchesAny = (value: string): Tri => {
    let result: Tri = false;
    for (const e of expected) {
      const r = compare(op, value, e);
      if (r === true) return true;
      if (r === undefined) result = undefined;
    }
    // Could a filling match? Only if the value fits what is written around the parts (a glob no narrower than any filling).
    for (const glob of partly) if (op.family === 'Arn' ? arnMatch(glob, value) : globMatch(glob, value, op.ignoreCase)) result = undefined;
    return result;
  };
  const each = (value: string): Tri => {
    const r = matchesAny(value);
    return op.negated ? not(r) : r;
  };
  const values = actual.values;
  const answer: Tri = op.set === 'ForAllValues' ? all(values.map(each)) : any(values.map(each));
  return answer === undefined && partlyNeeds ? { value: undefined, needs: partlyNeeds } : { value: answer };
}

/**
 * A session's aws:PrincipalArn is its role's ARN, whose path the session ARN leaves out. Where the
 * entry gives the same answer for the role without a path and with a path no policy names
 * (`role/*` matches both), a wildcard took the path in, and the answer holds for every path.
 */
function principalArnWhateverPath(entry: ConditionEntry, request: AccessRequest, catalog: Catalog | undefined, negated: boolean): boolean | undefined {
  const { caller } = request;
  const role = caller.kind === 'session' && !caller.roleArn ? sessionRole(caller.principal) : undefined;
  if (!role) return undefined;
  const answer = (roleArn: string) => conditionHolds(entry, { ...request, caller: { ...caller, roleArn } }, catalog).value;
  const plain = answer(role);
  const pathed = answer(role.replace(':role/', ':role/keyshare-any-path-7s9/'));
  // The same answer both ways is certain only where the path went into a wildcard: a match, or a negated one's miss.
  if (plain !== pathed || plain === undefined) return undefined;
  return plain === !negated ? plain : undefined;
}

/** What is known of where a policy lives: its account, Region and partition (`AccessRequest.where`). */
export type KnownParts = NonNullable<AccessRequest['where']>;

/**
 * A value with parts, the policy's own account, Region and partition filled in where known, other
 * parts as `*` (`asWritten`: as the template spells them, known text that stands for itself).
 */
export function withKnownParts(parts: NonNullable<PolicyNode['parts']>, known: KnownParts, asWritten = false): { glob: string; unknown: boolean } {
  let glob = '';
  let unknown = false;
  for (const part of parts) {
    if ('literal' in part) glob += part.literal;
    else {
      const value = part.meaning === 'owner-account' || part.meaning === 'partition' || part.meaning === 'region' ? known[part.meaning] : undefined;
      if (value === undefined && !asWritten) unknown = true;
      glob += value ?? (asWritten ? `\${${part.unknown}}` : '*');
    }
  }
  return { glob, unknown };
}

/** A value the template writes with parts, all of them known; undefined when another part is unknown. */
function resolveParts(parts: NonNullable<PolicyNode['parts']>, request: AccessRequest): string | undefined {
  const written = withKnownParts(parts, request.where ?? {}, request.partsAsWritten);
  return written.unknown ? undefined : written.glob;
}

/** `${aws:username}` and the like, read from the request; template placeholders stay unknown. */
function resolveVariables(value: string, request: AccessRequest, catalog: Catalog | undefined): { value?: string; needs?: string } {
  if (!value.includes('${')) return { value };
  let needs: string | undefined;
  const resolved = value.replace(POLICY_VARIABLE, (match) => {
    const inner = match.slice(2, -1);
    if (inner === '*' || inner === '?' || inner === '$') return `\u0000${inner}`;
    if (!isPolicyVariable(inner)) {
      if (request.partsAsWritten) return match;
      needs ??= `the value the template fills in (${match})`;
      return match;
    }
    const [name, fallback] = inner.split(/\s*,\s*/);
    const actual = requestValue(name, request, catalog);
    if (actual.state === 'known' && actual.values.length === 1) return actual.values[0];
    if (actual.state === 'absent' && fallback !== undefined) return fallback.replace(/^'|'$/g, '');
    needs ??= actual.state === 'unknown' ? actual.needs : `${name}, which this request does not carry`;
    return match;
  });
  return needs ? { needs } : { value: resolved };
}

function compare(op: ParsedOperator, actual: string, expected: string): Tri {
  switch (op.family) {
    case 'String':
      if (op.wildcards) return globMatch(expected, actual, false);
      return op.ignoreCase ? actual.toLowerCase() === unescape(expected).toLowerCase() : actual === unescape(expected);
    case 'Arn':
      return arnMatch(expected, actual);
    case 'Bool':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'Numeric':
      return ordered(op.positive, Number(actual), Number(expected));
    case 'Date':
      return ordered(op.positive, dateOf(actual), dateOf(expected));
    case 'Ip':
      return ipInRange(actual, expected);
    case 'Binary':
      return actual === expected;
    default:
      return undefined;
  }
}

function ordered(base: string, a: number, e: number): Tri {
  if (Number.isNaN(a) || Number.isNaN(e)) return undefined;
  if (base.endsWith('LessThanEquals')) return a <= e;
  if (base.endsWith('LessThan')) return a < e;
  if (base.endsWith('GreaterThanEquals')) return a >= e;
  if (base.endsWith('GreaterThan')) return a > e;
  return a === e;
}

/** ISO 8601 dates, or epoch seconds. */
function dateOf(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

/** The escapes `${*}`, `${?}`, `${$}` marked by resolveVariables, back to their characters. */
function unescape(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000(.)/g, '$1') : value;
}

const globs = new Map<string, RegExp>();

/** IAM's `*` and `?` wildcards, case-sensitive unless told otherwise; escaped wildcards are literal. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const cacheKey = (ignoreCase ? 'i' : 's') + pattern;
  let re = globs.get(cacheKey);
  if (!re) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\u0000') source += escape(pattern[++i] ?? '');
      else if (c === '*') source += '.*';
      else if (c === '?') source += '.';
      else source += escape(c);
    }
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (globs.size > 5000) globs.clear();
    globs.set(cacheKey, re);
  }
  return re.test(value);
}

/** ArnLike / ArnEquals: the six colon-separated fields compared one by one, wildcards within each. */
function arnMatch(pattern: string, value: string): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return globMatch(pattern, value, false);
  for (let i = 0; i < 6; i++) if (!globMatch(p[i], v[i], false)) return false;
  return true;
}

function splitArn(value: string): string[] | undefined {
  const fields = value.split(':');
  if (fields.length < 6) return undefined;
  return [...fields.slice(0, 5), fields.slice(5).join(':')];
}

function ipInRange(ip: string, range: string): Tri {
  const a = ipv4(ip);
  const [base, bits] = range.split('/');
  const b = ipv4(base);
  if (a === undefined || b === undefined) return undefined;
  const n = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(n) || n < 0 || n > 32) return undefined;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    const v = Number(part);
    if (!/^\d{1,3}$/.test(part) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

function not(value: Tri): Tri {
  return value === undefined ? undefined : !value;
}

function all(list: Tri[]): Tri {
  if (list.includes(false)) return false;
  return list.includes(undefined) ? undefined : true;
}

function any(list: Tri[]): Tri {
  if (list.includes(true)) return true;
  return list.includes(undefined) ? undefined : false;
}

/** A statement's label for messages: its Sid, else its place. */
export function statementLabel(statement: Statement): string {
  return statement.sid ? `"${statement.sid.value}"` : `#${statement.index + 1}`;
}
