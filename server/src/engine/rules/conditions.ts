/** The Condition element's operators: parsing and spelling them, shared by the condition rules, hover and completion. */
import type { ConditionEntry, Statement } from '../model';

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

const BASE_OPERATOR_SET: ReadonlySet<string> = new Set(BASE_OPERATORS);
const parsedOperators = new Map<string, ParsedOperator | null>();

/** Parses an operator; the answer is shared (frozen), as several rules ask about each entry. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let parsed = parsedOperators.get(operator);
  if (parsed === undefined) {
    if (parsedOperators.size >= 1000) parsedOperators.clear();
    parsed = parseOperatorUncached(operator) ?? null;
    parsedOperators.set(operator, parsed && Object.freeze(parsed));
  }
  return parsed ?? undefined;
}

function parseOperatorUncached(operator: string): ParsedOperator | undefined {
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
  if (!BASE_OPERATOR_SET.has(rest)) return undefined;
  if (rest === 'Null' && ifExists) return undefined;
  return { setPrefix, base: rest, ifExists };
}

export function formatOperator(parsed: ParsedOperator): string {
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
export function operatorBlocks(statement: Statement): Map<ConditionEntry['operatorProperty'], ConditionEntry[]> {
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

export function siblingOperatorExists(statement: Statement, name: string): boolean {
  return (statement.condition?.value.children ?? []).some((p) => p.children?.[0]?.value === name);
}
