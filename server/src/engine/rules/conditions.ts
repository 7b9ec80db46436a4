/** The Condition element: operators, keys, value types, wildcards and set operators. */
import { conditionPrefixKnown, findConditionKey } from '../catalog';
import type { ConditionEntry, Statement } from '../model';
import { closestMatch } from '../text';
import type { Fix } from '../types';
import type { Rule } from './context';

export const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];

export interface ParsedOperator {
  setPrefix?: 'ForAllValues' | 'ForAnyValue';
  base: string;
  ifExists: boolean;
}

export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let setPrefix: ParsedOperator['setPrefix'];
  for (const prefix of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(prefix + ':')) {
      setPrefix = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  if (!BASE_OPERATORS.includes(rest)) return undefined;
  if (rest === 'Null' && ifExists) return undefined;
  return { setPrefix, base: rest, ifExists };
}

function formatOperator(parsed: ParsedOperator): string {
  return `${parsed.setPrefix ? parsed.setPrefix + ':' : ''}${parsed.base}${parsed.ifExists ? 'IfExists' : ''}`;
}

/** All operator spellings, for did-you-mean and completion. */
export function allOperators(): string[] {
  const result: string[] = [];
  for (const base of BASE_OPERATORS) {
    result.push(base);
    if (base !== 'Null') result.push(base + 'IfExists');
  }
  return result;
}

/** Each operator block once, with the entries under it. */
function operatorBlocks(statement: Statement): Map<ConditionEntry['operatorProperty'], ConditionEntry[]> {
  const blocks = new Map<ConditionEntry['operatorProperty'], ConditionEntry[]>();
  for (const entry of statement.conditions) {
    const list = blocks.get(entry.operatorProperty) ?? [];
    list.push(entry);
    blocks.set(entry.operatorProperty, list);
  }
  // Operator blocks with no keys still need checking.
  for (const operator of statement.condition?.value.children ?? []) if (!blocks.has(operator)) blocks.set(operator, []);
  return blocks;
}

function operatorName(property: ConditionEntry['operatorProperty']): { name: string; span: { start: number; end: number } } | undefined {
  const key = property.children?.[0];
  if (!key || typeof key.value !== 'string') return undefined;
  return { name: key.value, span: { start: key.offset, end: key.offset + key.length } };
}

function siblingOperatorExists(statement: Statement, name: string): boolean {
  return (statement.condition?.value.children ?? []).some((p) => p.children?.[0]?.value === name);
}

export const conditionOperatorUnknown: Rule = {
  id: 'condition-operator-unknown',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      for (const property of operatorBlocks(statement).keys()) {
        const operator = operatorName(property);
        if (!operator || parseOperator(operator.name)) continue;
        const prefixMatch = /^(ForAllValues:|ForAnyValue:)?(.*)$/i.exec(operator.name)!;
        const prefix = prefixMatch[1] ? (prefixMatch[1].toLowerCase().startsWith('forall') ? 'ForAllValues:' : 'ForAnyValue:') : '';
        const suggestion = closestMatch(prefixMatch[2], allOperators(), 3);
        const fixed = suggestion ? prefix + suggestion : undefined;
        context.report(operator.span, `"${operator.name}" is not a condition operator, so AWS rejects the policy.${fixed ? ` Did you mean "${fixed}"?` : ''}`, {
          fixes: fixed && !siblingOperatorExists(statement, fixed)
            ? [{ title: `Change to "${fixed}"`, edits: [context.edits.renameKey(operator.span, fixed)], safe: fixed.toLowerCase() === operator.name.toLowerCase() }]
            : [],
        });
      }
    }
  },
};

export const conditionKeyUnknown: Rule = {
  id: 'condition-key-unknown',
  severity: 'warning',
  check(context) {
    const { catalog } = context;
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (findConditionKey(catalog, entry.key)) continue;
        const colon = entry.key.indexOf(':');
        if (colon <= 0) {
          context.report(entry.keySpan, `"${entry.key}" is not a condition key; keys look like service:Name (for example aws:PrincipalOrgID).`, { severity: 'error' });
          continue;
        }
        const prefix = entry.key.slice(0, colon).toLowerCase();
        if (!conditionPrefixKnown(catalog, entry.key)) {
          context.report(entry.keySpan, `"${prefix}" is not a service with condition keys, so "${entry.key}" is never present and the condition never matches.`);
          continue;
        }
        const candidates =
          prefix === 'aws'
            ? catalog.globalConditionKeys().map((g) => g.key)
            : [...(catalog.service(prefix)?.conditionKeys.values() ?? [])].map((k) => k.key).filter((k) => !k.includes('${'));
        const suggestion = closestMatch(entry.key, candidates, 3);
        context.report(entry.keySpan, `"${entry.key}" is not a known condition key, so it is never present in requests and this condition ${entry.operator.includes('Not') ? 'always matches' : 'never matches'}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, {
          fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [context.edits.renameKey(entry.keySpan, suggestion)], safe: suggestion.toLowerCase() === entry.key.toLowerCase() }] : [],
        });
      }
    }
  },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

function valueProblem(base: string, value: string | number | boolean | null): string | undefined {
  const text = typeof value === 'string' ? value : String(value);
  if (text.includes('${')) return undefined;
  switch (base) {
    case 'Bool':
    case 'Null':
      return /^(true|false)$/i.test(text) ? undefined : `${base} compares with true or false, not "${text}"`;
    case 'NumericEquals': case 'NumericNotEquals': case 'NumericLessThan': case 'NumericLessThanEquals': case 'NumericGreaterThan': case 'NumericGreaterThanEquals':
      return /^-?\d+(\.\d+)?$/.test(text) ? undefined : `${base} needs a number, not "${text}"`;
    case 'DateEquals': case 'DateNotEquals': case 'DateLessThan': case 'DateLessThanEquals': case 'DateGreaterThan': case 'DateGreaterThanEquals':
      return ISO_DATE.test(text) || /^\d+$/.test(text) ? undefined : `${base} needs an ISO 8601 date (2026-01-31T00:00:00Z) or epoch seconds, not "${text}"`;
    case 'IpAddress': case 'NotIpAddress':
      return IPV4_CIDR.test(text) || (text.includes(':') && IPV6_CIDR.test(text)) ? undefined : `${base} needs an IP address or CIDR range, not "${text}"`;
    case 'ArnEquals': case 'ArnLike': case 'ArnNotEquals': case 'ArnNotLike':
      return text === '*' || text.startsWith('arn:') ? undefined : `${base} needs an ARN, not "${text}"`;
    default:
      return undefined;
  }
}

export const conditionValueType: Rule = {
  id: 'condition-value-type',
  severity: 'error',
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = parseOperator(entry.operator);
        if (!parsed) continue;
        for (const item of entry.values) {
          const problem = valueProblem(parsed.base, item.value);
          if (problem) context.report(item, `${problem}: the condition can never match as intended.`);
        }
      }
    }
  },
};

function hasLiteralWildcard(value: unknown): boolean {
  return typeof value === 'string' && /[*?]/.test(value.replace(/\$\{[^}]*\}/g, ''));
}

const LIKE_FOR: Record<string, string> = { StringEquals: 'StringLike', StringNotEquals: 'StringNotLike' };

export const conditionWildcardOperator: Rule = {
  id: 'condition-wildcard-operator',
  severity: 'warning',
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = parseOperator(entry.operator);
        if (!parsed || !['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'].includes(parsed.base)) continue;
        const wild = entry.values.find((v) => hasLiteralWildcard(v.value));
        if (!wild) continue;
        const like = LIKE_FOR[parsed.base];
        const target = like ? formatOperator({ ...parsed, base: like }) : undefined;
        const fixes: Fix[] =
          target && !siblingOperatorExists(statement, target)
            ? [{ title: `Change "${entry.operator}" to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: true }]
            : [];
        context.report(wild, `${parsed.base} compares "${wild.value}" literally: "*" and "?" are wildcards only with ${like ?? 'StringLike'}.`, { fixes });
      }
    }
  },
};

function isMultiValued(type: string | undefined): boolean {
  return !!type && type.startsWith('ArrayOf');
}

export const conditionSetOperator: Rule = {
  id: 'condition-set-operator',
  severity: 'warning',
  check(context) {
    for (const statement of context.model.statements) {
      const blocks = operatorBlocks(statement);
      for (const entry of statement.conditions) {
        const parsed = parseOperator(entry.operator);
        if (!parsed || parsed.base === 'Null') continue;
        const info = findConditionKey(context.catalog, entry.key);
        if (!info) continue;
        const alone = (blocks.get(entry.operatorProperty) ?? []).length === 1;
        if (isMultiValued(info.type) && !parsed.setPrefix) {
          const target = formatOperator({ ...parsed, setPrefix: 'ForAnyValue' });
          const fixes: Fix[] = alone && !siblingOperatorExists(statement, target)
            ? [{ title: `Change to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: true }]
            : [];
          context.report(entry.keySpan, `${info.key} is multi-valued (${info.type}): compare it with ForAnyValue: (any value matches) or ForAllValues:, e.g. "${target}". A plain ${parsed.base} on a multi-valued key does not behave as intended.`, { fixes });
        } else if (!isMultiValued(info.type) && parsed.setPrefix) {
          const target = formatOperator({ ...parsed, setPrefix: undefined });
          const risk = parsed.setPrefix === 'ForAllValues' ? ' ForAllValues also matches when the key is missing, which can allow more than intended.' : '';
          const fixes: Fix[] = alone && !siblingOperatorExists(statement, target)
            ? [{ title: `Change to "${target}"`, edits: [context.edits.renameKey(entry.operatorSpan, target)], safe: parsed.setPrefix === 'ForAnyValue' }]
            : [];
          context.report(entry.keySpan, `${info.key} is single-valued: use ${target} without ${parsed.setPrefix}:.${risk}`, { fixes });
        }
      }
    }
  },
};

export const conditionRules: Rule[] = [conditionOperatorUnknown, conditionKeyUnknown, conditionValueType, conditionWildcardOperator, conditionSetOperator];

