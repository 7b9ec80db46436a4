import { findConditionKey } from '../catalog';
import { formatOperator, type OperatorFamily, type ParsedOperator } from '../access/operators';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { operatorBlocks, siblingOperatorExists } from '../ruleSupport/conditions';

/** The operator families each key type is compared with (ARN keys take String operators too). */
const FAMILIES: Record<string, { families: readonly OperatorFamily[]; name: string; example: string }> = {
  String: { families: ['String'], name: 'String', example: 'StringEquals' },
  ARN: { families: ['Arn', 'String'], name: 'ARN', example: 'ArnLike' },
  Numeric: { families: ['Numeric'], name: 'Numeric', example: 'NumericLessThan' },
  Date: { families: ['Date'], name: 'Date', example: 'DateGreaterThan' },
  Bool: { families: ['Bool'], name: 'Bool', example: 'Bool' },
  IPAddress: { families: ['Ip'], name: 'IP address', example: 'IpAddress' },
  Binary: { families: ['Binary'], name: 'Binary', example: 'BinaryEquals' },
};

/**
 * Comparisons AWS documents beside the reference's type: aws:EpochTime takes Numeric operators
 * ("Data type: Date, Numeric"), so does kms:ValidTo in the KMS guide's example, and ARN operators compare any key whose values are ARNs, which the
 * reference often types String (AWS's own CloudWatch Logs key policy uses ArnLike on
 * kms:EncryptionContext:aws:logs:arn); condition-value-type reports values that are no ARN.
 */
function acceptedToo(key: string, type: string, family: OperatorFamily): boolean {
  // kms:ValidTo, a timestamp in seconds: the KMS guide's own example compares it with NumericLessThanEquals (conditions-kms.html#conditions-kms-valid-to).
  if (key.toLowerCase() === 'aws:epochtime' || key.toLowerCase() === 'kms:validto') return family === 'Numeric';
  return type === 'String' && family === 'Arn';
}

/** The same test in the key's own family, where there is exactly one (StringEquals on a Bool key: Bool). */
function targetFor(parsed: ParsedOperator, type: string): string | undefined {
  const base =
    type === 'Bool' ? (parsed.base === 'StringEquals' || parsed.base === 'StringEqualsIgnoreCase' ? 'Bool' : undefined)
    : type === 'Numeric' ? ({ StringEquals: 'NumericEquals', StringNotEquals: 'NumericNotEquals' } as Record<string, string>)[parsed.base]
    : type === 'Date' ? ({ StringEquals: 'DateEquals', StringNotEquals: 'DateNotEquals' } as Record<string, string>)[parsed.base]
    : undefined;
  return base && formatOperator({ ...parsed, base });
}

export default documentRule({
  meta: { id: 'condition-operator-key-type', awsChecks: ['TYPE_MISMATCH'], severity: 'warning', category: 'condition', summary: 'A condition operator of another type than its key (StringEquals on a Bool key, ...).', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      const blocks = operatorBlocks(statement);
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        // Null tests presence and takes any key; no key of the reference is typed Binary, so BinaryEquals
        // cannot be judged here (condition-binary-value checks its values); a key the template names is unknown.
        if (!parsed || parsed.family === 'Null' || parsed.family === 'Binary' || entry.keyProperty.children?.[0]?.parts) continue;
        const info = findConditionKey(context.catalog, entry.key);
        if (!info) continue;
        const type = info.type.replace(/^ArrayOf/, '');
        const expected = FAMILIES[type];
        if (!expected || expected.families.includes(parsed.family) || acceptedToo(info.key, type, parsed.family)) continue;
        const target = targetFor(parsed, type);
        const alone = (blocks.get(entry.operatorProperty) ?? []).length === 1;
        const fixes: Fix[] = target && alone && !siblingOperatorExists(statement, target)
          ? [{ title: `Change "${entry.operator}" to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: false }]
          : [];
        context.report(entry.keySpan, `${info.key} is of type ${info.type}, but ${entry.operator} compares ${parsed.family === 'Ip' ? 'IP addresses' : parsed.family + ' values'}: use a ${expected.name} operator such as ${target ?? expected.example}, or the comparison may not behave as intended.`, { fixes });
      }
    }
  },
});
