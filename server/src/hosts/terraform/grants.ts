/**
 * What a Terraform grant says, shared by `aws_kms_grant` blocks and a kms module's `grants`
 * input: operations a grant cannot allow, and constraint pairs written out as text.
 */
import { GRANTABLE_OPERATIONS } from '../../engine/kms/actions';
import { closestMatch } from '../../engine/text';
import type { HostedGrant, PolicyNode, PolicySource } from '../../engine/tree';

/** Each operation a grant cannot allow, as an error (AWS rejects the grant); whether there was one. */
export function reportInvalidOperations(source: PolicySource, operations: readonly PolicyNode[]): boolean {
  let rejected = false;
  for (const operation of operations) {
    if (operation.type !== 'string' || operation.parts || GRANTABLE_OPERATIONS.includes(operation.value)) continue;
    const prefixed = typeof operation.value === 'string' && operation.value.startsWith('kms:') && GRANTABLE_OPERATIONS.includes(operation.value.slice(4));
    const near = prefixed ? operation.value.slice(4) : closestMatch(String(operation.value), GRANTABLE_OPERATIONS, 3);
    rejected = true;
    source.findings.push({
      ruleId: 'grant-operation-invalid',
      severity: 'error',
      start: operation.offset,
      end: operation.offset + operation.length,
      message: `"${operation.value}" is not an operation a grant can allow${prefixed ? ' (grant operations are written without "kms:")' : ''}, so AWS rejects the grant.${near ? ` Did you mean "${near}"?` : ` A grant allows ${GRANTABLE_OPERATIONS.join(', ')}.`}`,
    });
  }
  return rejected;
}

/** An object of string keys and string values, each written out (no part a template fills in). */
function literalPairs(node: PolicyNode): Record<string, string> | undefined {
  if (node.type !== 'object') return undefined;
  const pairs: Record<string, string> = {};
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value || typeof key.value !== 'string' || typeof value.value !== 'string' || key.parts || value.parts) return undefined;
    pairs[key.value] = value.value;
  }
  return pairs;
}

/** A grant's encryption-context constraint, where every pair of each part given is written out as text; else undefined. */
export function constraintOf(equals: PolicyNode | undefined, subset: PolicyNode | undefined): HostedGrant['constraint'] {
  const read: NonNullable<HostedGrant['constraint']> = {};
  for (const [field, node] of [['equals', equals], ['subset', subset]] as const) {
    if (!node) continue;
    const pairs = literalPairs(node);
    if (!pairs) return undefined;
    read[field] = pairs;
  }
  return read.equals || read.subset ? read : undefined;
}
