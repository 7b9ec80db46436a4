import { kmsResourceOf, parseArn } from '../arn';
import { readOperator } from '../access/operators';
import { wholeReference } from '../parts';
import type { ScalarItem } from '../model';
import type { PolicyNode } from '../tree';
import { documentRule } from '../ruleSupport/context';

const KEY_ID_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** What a value names instead of a key ARN: an alias (name or ARN) or a bare key ID, as written or as a template reference. */
function misnamed(value: ScalarItem): { what: 'alias' | 'key-id'; reference?: string; keyArn?: string } | undefined {
  const reference = wholeReference(value.node as PolicyNode);
  if (reference) {
    if (reference.meaning === 'alias-arn' || reference.meaning === 'alias-name') return { what: 'alias', reference: reference.unknown, keyArn: reference.keyArn };
    if (reference.meaning === 'key-id') return { what: 'key-id', reference: reference.unknown, keyArn: reference.keyArn };
    return undefined;
  }
  if (typeof value.value !== 'string' || value.node.parts) return undefined;
  const text = value.value;
  if (text.startsWith('alias/')) return { what: 'alias' };
  if (KEY_ID.test(text)) return { what: 'key-id' };
  if (!text.startsWith('arn:')) return undefined;
  const arn = parseArn(text);
  return arn?.service === 'kms' && kmsResourceOf(arn).type === 'alias' ? { what: 'alias' } : undefined;
}

export default documentRule({
  meta: {
    id: 's3-kms-key-id-value',
    awsChecks: ['INVALID_KMS_KEY_VALUE'],
    severity: 'error',
    category: 'condition',
    summary: 'An alias or a key ID as the value of s3:x-amz-server-side-encryption-aws-kms-key-id, which S3 sets to the key ARN.',
    security: true,
    conditionsOnly: true,
  },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (entry.key.length !== KEY_ID_KEY.length || entry.key.toLowerCase() !== KEY_ID_KEY) continue;
        const operator = readOperator(entry.operator);
        if (!operator || operator.family !== 'String') continue;
        for (const value of entry.values) {
          const found = misnamed(value);
          if (!found) continue;
          const shown = found.reference ?? JSON.stringify(value.value);
          const instead = found.keyArn ? `Use the key ARN (${found.keyArn})` : 'Use the key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)';
          const outcome = entry.values.length > 1
            ? 'only the other values count'
            : `this condition is ${operator.negated ? 'true for every request' : 'never true'}`;
          if (found.what === 'alias') {
            context.report(value, `${entry.key} holds the ARN of the key S3 encrypts with, never an alias: ${shown} never matches it, so ${outcome}. ${instead}.`);
          } else {
            // S3 documents the key ARN for this key; a bare key ID is left a warning.
            context.report(value, `${entry.key} holds the ARN of the key S3 encrypts with: the key ID ${shown} does not match it, so ${outcome}. ${instead}.`, { severity: 'warning' });
          }
        }
      }
    }
  },
});
