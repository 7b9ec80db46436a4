/** ARN and principal syntax. */
import { detached } from './text';
import { UNKNOWN_MARK, type PolicyNode } from './tree';
import { namesOwnAccount } from './parts';

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Memo for pure string functions called by many rules on the same values. */
export function memoize<T>(fn: (value: string) => T, limit = 20000): (value: string) => T {
  const cache = new Map<string, { result: T }>();
  return (value: string) => {
    let entry = cache.get(value);
    if (entry === undefined) {
      // Key and result kept here must not hold on to the document the value came from.
      const own = detached(value);
      entry = { result: fn(own) };
      if (cache.size >= limit) cache.clear();
      cache.set(own, entry);
    }
    return entry.result;
  };
}

export const parseArn = memoize(parseArnUncached);

function parseArnUncached(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.includes('${') ? arnFields(value) : value.split(':');
  if (parts.length < 6) return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

/** The colon-separated fields of an ARN, where a `${...}` (`${AWS::Partition}`, `${aws:username}`) is one piece of its field. */
export function arnFields(value: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let inside = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!inside && c === 36 /* $ */ && value.charCodeAt(i + 1) === 123 /* { */) inside = true;
    else if (inside && c === 125 /* } */) inside = false;
    else if (!inside && c === 58 /* : */) {
      fields.push(value.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(value.slice(start));
  return fields;
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

export type KmsResource = { type: 'key'; id: string } | { type: 'alias'; name: string } | { type: 'other'; value: string };

export function kmsResourceOf(arn: Arn): KmsResource {
  if (arn.resource.startsWith('key/')) return { type: 'key', id: arn.resource.slice(4) };
  if (arn.resource.startsWith('alias/')) return { type: 'alias', name: arn.resource };
  return { type: 'other', value: arn.resource };
}

export const ACCOUNT_ID = /^\d{12}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** The CreateAlias AliasName pattern. */
export const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;
export const ALIAS_MAX_LENGTH = 256;
export const AWS_MANAGED_ALIAS = /^alias\/aws\//;

/**
 * Anything in `${...}`: IAM's policy variables and the placeholders of template tools alike. The
 * inside stops at the next `${` (never nested in either), so text with many unclosed `${` is
 * scanned once, not once per `${`.
 */
export const POLICY_VARIABLE = /\$\{(?:[^}$]|\$(?!\{))*\}/g;

/**
 * IAM's own variables (`${aws:username}`, `${s3:prefix}`, `${www.amazon.com:user_id}`) and its
 * escapes `${*}`, `${?}`, `${$}`. Anything else in `${...}` is a placeholder of the tool that renders
 * the file (Terraform, CloudFormation's Fn::Sub, a `.json.tpl`): IAM never sees it.
 */
export function isPolicyVariable(inner: string): boolean {
  return inner === '*' || inner === '?' || inner === '$' || /^[a-z0-9][a-z0-9.-]*:[A-Za-z0-9][A-Za-z0-9/_.:+=@-]*$/.test(inner.trim());
}

/** Whether the value holds a template placeholder (a `${...}` that is no policy variable). */
export const hasTemplatePlaceholder = memoize((value: string): boolean => {
  if (!value.includes('${')) return false;
  for (const match of value.matchAll(POLICY_VARIABLE)) if (!isPolicyVariable(match[0].slice(2, -1))) return true;
  return false;
});

/** The value with each template placeholder replaced by one UNKNOWN_MARK (policy variables stay). */
export function markPlaceholders(value: string): string {
  return value.replace(POLICY_VARIABLE, (match) => (isPolicyVariable(match.slice(2, -1)) ? match : UNKNOWN_MARK));
}

/** Field `index` of a marked ARN, spelled as the template wrote it (placeholders may hold colons). */
function unmarkField(written: string, marked: string, index: number): string {
  const placeholders = written.match(POLICY_VARIABLE)?.filter((match) => !isPolicyVariable(match.slice(2, -1))) ?? [];
  const fields = marked.split(':');
  let before = 0;
  for (let i = 0; i < index; i++) before += fields[i].split(UNKNOWN_MARK).length - 1;
  let next = before;
  return fields[index].replace(new RegExp(UNKNOWN_MARK, 'gu'), () => placeholders[next++] ?? '');
}

/** A part of an ARN or principal that a template fills in: known to be well formed, unknown in value. */
export function isUnknownPart(part: string): boolean {
  return part.includes(UNKNOWN_MARK);
}

export function withoutVariables(value: string): string {
  return value.replace(POLICY_VARIABLE, 'x');
}

/** Text people leave where a real value belongs: {REGION}, [AccountID], <key-id>, AccountB-ID. */
export function looksLikePlaceholder(value: string): boolean {
  const stripped = value.replace(POLICY_VARIABLE, '');
  return /[{}[\]<>]/.test(stripped) || /account[-_ ]?[a-z]?[-_ ]?id/i.test(stripped) || /replace|example-?id|your-?/i.test(stripped);
}

export function hasWhitespace(value: string): boolean {
  return /\s/.test(value);
}

export type PrincipalCheck =
  /**
   * `templated`: the value holds template placeholders; `account` is then spelled as written
   * (`${account_id}`).
   */
  | { ok: true; account?: string; root?: boolean; templated?: boolean }
  | { ok: false; reason: string; fix?: string; uniqueId?: boolean };

const IAM_PRINCIPAL_RESOURCE = /^(root|user\/([\w+=,.@-]+\/)*[\w+=,.@-]+|role\/([\w+=,.@-]+\/)*[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)$/;
const STS_PRINCIPAL_RESOURCE = /^assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/;

/** Validates one value of a Principal's "AWS" entry. */
export const checkAwsPrincipal = memoize(checkAwsPrincipalUncached);

function checkAwsPrincipalUncached(value: string): PrincipalCheck {
  if (value === '*') return { ok: true };
  if (hasTemplatePlaceholder(value)) return checkTemplatedAwsPrincipal(value);
  if (value.includes('${')) {
    return { ok: false, reason: 'uses a policy variable, but IAM substitutes variables only in Resource and Condition values, never in Principal' };
  }
  if (ACCOUNT_ID.test(value)) return { ok: true, account: value, root: true };
  if (hasWhitespace(value)) {
    const compact = value.replace(/\s+/g, '');
    const fixed = checkAwsPrincipalUncached(compact);
    return { ok: false, reason: 'has whitespace inside it; AWS reads it as a different, invalid principal', fix: fixed.ok ? compact : undefined };
  }
  if (/^A(ROA|IDA)[A-Z0-9]{12,}$/.test(value)) {
    return { ok: false, uniqueId: true, reason: 'is a unique ID, not an ARN: AWS shows this when the role or user it named was deleted, and the grant no longer reaches anyone' };
  }
  const arn = parseArn(value);
  if (!arn) {
    if (looksLikePlaceholder(value)) return { ok: false, reason: 'is a placeholder, not an account ID or ARN' };
    return { ok: false, reason: 'is neither "*", a 12-digit account ID, nor an IAM ARN' };
  }
  if (looksLikePlaceholder(value)) return { ok: false, reason: 'holds a placeholder where a real value belongs' };
  if (!PARTITIONS.includes(arn.partition)) return { ok: false, reason: `has an unknown partition "${arn.partition}"` };
  if ((arn.service === 'iam' || arn.service === 'sts') && /[*?]/.test(value)) {
    return { ok: false, reason: 'has a wildcard, but a principal ARN matches no pattern: only "*" alone stands for every principal (to match role names, use "*" with an ArnLike aws:PrincipalArn condition)' };
  }
  if (arn.service === 'iam') {
    if (arn.region !== '') return { ok: false, reason: 'has a region, but IAM ARNs have none (arn:aws:iam::<account>:...)' };
    if (arn.account === 'cloudfront' && arn.resource.startsWith('user/CloudFront Origin Access Identity')) return { ok: true };
    if (!ACCOUNT_ID.test(arn.account)) return { ok: false, reason: `has "${arn.account}" where a 12-digit account ID belongs` };
    if (!IAM_PRINCIPAL_RESOURCE.test(arn.resource)) {
      return { ok: false, reason: `names "${arn.resource}", which is not a principal (root, user/..., role/... or federated-user/...)` };
    }
    return { ok: true, account: arn.account, root: arn.resource === 'root' };
  }
  if (arn.service === 'sts') {
    if (!ACCOUNT_ID.test(arn.account)) return { ok: false, reason: `has "${arn.account}" where a 12-digit account ID belongs` };
    if (!STS_PRINCIPAL_RESOURCE.test(arn.resource)) return { ok: false, reason: 'is an STS ARN but not assumed-role/<role>/<session>' };
    return { ok: true, account: arn.account };
  }
  return { ok: false, reason: `is an ARN of service "${arn.service}"; principals are IAM (or STS session) ARNs` };
}

/**
 * A principal with template placeholders: the literal parts around them are checked, the
 * placeholders are taken as well formed (`arn:aws:iam::${account_id}:root` is fine, `...:rooot` is not).
 */
function checkTemplatedAwsPrincipal(value: string): PrincipalCheck {
  const marked = markPlaceholders(value);
  if (hasWhitespace(marked)) return { ok: false, reason: 'has whitespace inside it; AWS reads it as a different, invalid principal' };
  if (!marked.startsWith('arn:')) {
    // A whole account ID or ARN from the template, or digits around a placeholder.
    if (/^(?=.*\d)[\d\u{f0000}]+$/u.test(marked)) return { ok: true, account: value, root: true, templated: true };
    // A whole placeholder may be an account ID or a whole ARN: the host's parts say which (engine/parts.ts).
    return { ok: true, templated: true };
  }
  const arn = parseArn(marked);
  if (!arn) return { ok: false, reason: 'has fewer than the six colon-separated parts of an ARN' };
  if (!isUnknownPart(arn.partition) && !PARTITIONS.includes(arn.partition)) return { ok: false, reason: `has an unknown partition "${arn.partition}"` };
  const account = isUnknownPart(arn.account) ? unmarkField(value, marked, 4) : arn.account;
  const resource = arn.resource.split(UNKNOWN_MARK).join('x');
  const service = isUnknownPart(arn.service) ? 'iam' : arn.service;
  if (service === 'iam' || service === 'sts') {
    if (arn.region !== '' && !isUnknownPart(arn.region)) return { ok: false, reason: 'has a region, but IAM ARNs have none (arn:aws:iam::<account>:...)' };
    if (!isUnknownPart(arn.account) && !ACCOUNT_ID.test(arn.account)) return { ok: false, reason: `has "${arn.account}" where a 12-digit account ID belongs` };
    const pattern = service === 'iam' ? IAM_PRINCIPAL_RESOURCE : STS_PRINCIPAL_RESOURCE;
    if (!isUnknownPart(arn.resource) && !pattern.test(resource)) {
      return { ok: false, reason: `names "${arn.resource.split(UNKNOWN_MARK).join('${…}')}", which is not a principal (root, user/..., role/... or federated-user/...)` };
    }
    const root = arn.resource === 'root';
    return { ok: true, account, root, templated: true };
  }
  return { ok: false, reason: `is an ARN of service "${arn.service}"; principals are IAM (or STS session) ARNs` };
}

/**
 * Whether an ARN's account field names an account other than the owner's. A placeholder is the
 * owner's when it spells the owner and unknown otherwise: neither is called another account.
 */
export function isOtherAccount(account: string, owner: string | undefined): boolean {
  if (hasTemplatePlaceholder(account)) return false;
  return !owner || account !== owner;
}

/**
 * The account a principal belongs to (undefined when it names none): the owner's where the host's
 * parts say the template fills in the account that holds the policy; a placeholder as spelled.
 */
export function accountOfPrincipal(value: string, owner: string | undefined, node?: PolicyNode): string | undefined {
  const check = checkAwsPrincipal(value);
  if (!check.ok) return undefined;
  if (namesOwnAccount(node)) return owner ?? check.account ?? value;
  return check.account;
}

function isServiceName(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(value) || /^[a-z0-9][a-z0-9.-]*\.amazon\.com$/.test(value);
}

export function checkServicePrincipal(written: string): PrincipalCheck {
  if (written === '*') return { ok: true };
  // `logs.${var.region}.amazonaws.com`: the placeholder is some text, the rest must still read as a service.
  const templated = hasTemplatePlaceholder(written);
  const value = templated ? markPlaceholders(written).split(UNKNOWN_MARK).join('x') : written;
  if (templated && value === 'x') return { ok: true, templated: true };
  if (hasWhitespace(value)) return { ok: false, reason: 'has whitespace inside it', fix: value.replace(/\s+/g, '') };
  if (isServiceName(value)) return { ok: true };
  // A placeholder may be the DNS suffix itself (`${data.aws_partition.current.dns_suffix}`, `${AWS::URLSuffix}`).
  if (templated && isServiceName(markPlaceholders(written).split(UNKNOWN_MARK).join('amazonaws.com'))) return { ok: true, templated: true };
  return { ok: false, reason: 'is not a service principal (<service>.amazonaws.com)' };
}

/** The web identity providers IAM names by host, not by ARN (IAM User Guide, "OIDC federated principals"). */
export const FEDERATED_PROVIDERS: readonly string[] = ['cognito-identity.amazonaws.com', 'www.amazon.com', 'graph.facebook.com', 'accounts.google.com'];

export function checkFederatedPrincipal(written: string): PrincipalCheck {
  if (FEDERATED_PROVIDERS.includes(written)) return { ok: true };
  const templated = hasTemplatePlaceholder(written);
  const value = templated ? markPlaceholders(written).split(UNKNOWN_MARK).join('x') : written;
  if (templated && (value === 'x' || /^arn:[^:]*:iam::[^:]*:(saml-provider|oidc-provider)\//.test(value))) return { ok: true, templated: true };
  const arn = parseArn(value);
  if (arn && arn.service === 'iam' && ACCOUNT_ID.test(arn.account) && /^(saml-provider|oidc-provider)\/\S+$/.test(arn.resource)) {
    return { ok: true, account: arn.account };
  }
  return { ok: false, reason: 'is not an identity provider (a SAML or OIDC provider ARN, or a web identity provider)' };
}

export function checkCanonicalUser(value: string): PrincipalCheck {
  // `!GetAtt OAI.S3CanonicalUserId`: the template fills the ID in at deployment.
  if (hasTemplatePlaceholder(value) && markPlaceholders(value).split(UNKNOWN_MARK).join('') === '') return { ok: true, templated: true };
  return /^[0-9a-f]{64}$/.test(value) ? { ok: true } : { ok: false, reason: 'is not a 64-character canonical user ID' };
}

/** The account an AWS principal value belongs to, if it names one. */
export function principalAccount(value: string): string | undefined {
  const check = checkAwsPrincipal(value);
  return check.ok ? check.account : undefined;
}
