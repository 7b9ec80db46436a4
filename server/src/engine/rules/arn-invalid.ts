import { ACCOUNT_ID, hasTemplatePlaceholder, hasWhitespace, isUnknownPart, KEY_ID, kmsResourceOf, looksLikePlaceholder, markPlaceholders, memoize, parseArn, PARTITIONS, REGION, withoutVariables } from '../arn';
import type { Fix } from '../types';
import { wildcardToRegExp } from '../catalog';
import { documentRule } from '../ruleSupport/context';
import { wholeReference } from '../parts';
import type { PolicyNode, UnknownMeaning, ValuePart } from '../tree';

/** Problems with one Resource ARN, or undefined when it is well formed. */
const arnProblem = memoize(arnProblemUncached);

function arnProblemUncached(written: string): string | undefined {
  if (written === '*') return undefined;
  // Template placeholders are well formed but unknown: the literal parts around them are checked.
  const templated = hasTemplatePlaceholder(written);
  const value = templated ? markPlaceholders(written) : written;
  if (hasWhitespace(value)) return 'has whitespace inside it, so it matches nothing';
  if (!value.startsWith('arn:')) {
    if (templated && isUnknownPart(value.split(':')[0])) return undefined; // `${bucket_arn}/*`: the ARN comes from the template
    return looksLikePlaceholder(value) ? 'is a placeholder, not an ARN' : 'is neither "*" nor an ARN (arn:partition:service:region:account:resource)';
  }
  const arn = parseArn(value);
  if (!arn) {
    // A `*` that ends an ARN's last segment written matches across the colons after it (`arn:aws:states:*`).
    if (templated || value.endsWith('*')) return undefined;
    return 'has fewer than the six colon-separated parts of an ARN (arn:partition:service:region:account:resource)';
  }
  if (looksLikePlaceholder(value)) return 'still holds a placeholder where a real value belongs';
  const plain = (s: string) => withoutVariables(s);
  if (!PARTITIONS.includes(arn.partition) && !/[*?]/.test(arn.partition) && !isUnknownPart(arn.partition)) return `has an unknown partition "${arn.partition}" (aws, aws-cn, aws-us-gov, ...)`;
  if (arn.service === '') return 'has no service part';
  if (arn.service === 'kms') {
    if (!REGION.test(plain(arn.region)) && !/[*?]/.test(arn.region) && !/^x$/.test(plain(arn.region)) && !isUnknownPart(arn.region)) return `has "${arn.region}" where a region such as us-east-1 belongs (KMS keys are regional)`;
    if (!ACCOUNT_ID.test(arn.account) && !/[*?$]/.test(arn.account) && !isUnknownPart(arn.account)) return `has "${arn.account}" where a 12-digit account ID belongs`;
    const resource = kmsResourceOf(arn);
    if (resource.type === 'key' && !KEY_ID.test(resource.id) && !/[*?$]/.test(resource.id) && !isUnknownPart(resource.id)) return `has "${resource.id}" where a key ID (a UUID, or mrk- and 32 hex digits for a multi-Region key) belongs`;
    // A wildcard may stand for the whole resource segment, slashes included (`arn:aws:kms:*:111122223333:*`: every key and alias).
    if (resource.type === 'other' && !(/[*?]/.test(resource.value) && ['key/1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/name'].some((r) => wildcardToRegExp(resource.value).test(r)))) {
      return 'names neither key/<key-id> nor alias/<name>';
    }
  }
  return undefined;
}

/** `arn:aws:states:*` written out to its six fields (`arn:aws:states:*:*:*`); undefined for anything else. */
function paddedShortArn(value: string): string | undefined {
  if (!value.startsWith('arn:') || !value.endsWith('*') || hasTemplatePlaceholder(value) || hasWhitespace(value) || parseArn(value)) return undefined;
  const fields = value.split(':').length;
  return fields >= 3 ? value + ':*'.repeat(6 - fields) : undefined;
}

/** What a value put where a key ID belongs is instead. */
const MISPLACED: Partial<Record<UnknownMeaning, string>> = {
  'key-arn': "the key's ARN",
  'alias-name': 'an alias name',
  'alias-arn': 'an alias ARN',
  'resource-arn': "another resource's ARN",
};

/** The template value a key ARN has in place of its key ID (`...:key/${DataKey.Arn}`), if it is no key ID. */
function misplacedKeyId(node: PolicyNode | undefined): Extract<ValuePart, { unknown: string }> | undefined {
  const parts = node?.parts;
  if (!parts || parts.length < 2) return undefined;
  const last = parts[parts.length - 1];
  const before = parts[parts.length - 2];
  const text = parts.map((part) => ('literal' in part ? part.literal : '${}')).join('');
  if (!('unknown' in last) || !('literal' in before) || !before.literal.endsWith(':key/') || !text.includes(':kms:')) return undefined;
  return last.meaning && MISPLACED[last.meaning] ? last : undefined;
}

export default documentRule({
  meta: { id: 'arn-invalid', awsChecks: ['INVALID_ARN_PREFIX', 'MISSING_ARN_FIELD', 'INVALID_PARTITION', 'INVALID_ARN_RESOURCE', 'INVALID_ARN_ACCOUNT'], severity: 'error', category: 'grammar', summary: 'A malformed Resource ARN.', security: false },
  check(context) {
    // Key policy Resources are key-policy-resource's business.
    if (context.model.kind === 'key-policy') return;
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) {
        const reference = wholeReference(item.node as PolicyNode);
        if (reference && (reference.meaning === 'key-id' || reference.meaning === 'alias-name')) {
          // `!Ref DataKey` is the key's ID, `aws_kms_alias.x.name` an alias name: IAM reads only ARNs (KMS guide, "Specifying KMS keys in IAM policy statements").
          const what = reference.meaning === 'key-id' ? "the key's ID" : 'an alias name';
          const use = reference.keyArn ? ` Use the key's ARN (${reference.keyArn}).` : ' Use the key ARN.';
          context.report(item, `Resource ${reference.unknown} is ${what}, not an ARN: in an IAM policy it matches nothing, so this statement grants nothing on the key.${use}`);
          continue;
        }
        const misplaced = misplacedKeyId(item.node as PolicyNode);
        if (misplaced) {
          // `key/${keyId}` with an ARN or an alias in it (a SAM KMSDecryptPolicy's KeyId: !GetAtt Key.Arn): the ARN names no key.
          context.report(item, `Resource "${item.value}" has ${misplaced.unknown} where the key ID belongs, and that is ${MISPLACED[misplaced.meaning!]}: the ARN names no key, so this statement grants nothing on it. Put the key's ID there.`);
          continue;
        }
        const problem = arnProblem(item.value);
        if (!problem) {
          const padded = paddedShortArn(item.value);
          if (padded) {
            context.report(item, `Resource "${item.value}" has fewer than the six colon-separated parts of an ARN. IAM still matches it, as a * that ends an ARN's segment matches across the colons after it, but Access Analyzer reports the missing fields. Write "${padded}".`, {
              severity: 'info',
              fixes: [{ title: `Change to "${padded}"`, edits: [context.edits.replaceString(item, padded)], safe: true }],
            });
          }
          continue;
        }
        const compact = item.value.replace(/\s+/g, '');
        const fixes: Fix[] = hasWhitespace(item.value) && !arnProblem(compact) ? [{ title: `Change to "${compact}"`, edits: [context.edits.replaceString(item, compact)], safe: true }] : [];
        context.report(item, `Resource "${item.value}" ${problem}.`, { fixes });
      }
    }
  },
});

