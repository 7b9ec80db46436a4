/**
 * The one reader of condition operators (IAM User Guide, "IAM JSON policy elements: Condition
 * operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * The access model, the evaluator, the condition rules, hover and completion all read operators here.
 */
import { detached } from '../text';

export type OperatorFamily = 'String' | 'Arn' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Null';

export interface ParsedOperator {
  /** The set operator prefix, for multi-valued keys. */
  set?: 'ForAllValues' | 'ForAnyValue';
  /** The operator without prefix and IfExists (`StringNotLike`). */
  base: string;
  ifExists: boolean;
  /** Matches when the value does not (StringNotEquals, ArnNotLike, NotIpAddress...). */
  negated: boolean;
  family: OperatorFamily;
  /** Values may hold * and ? wildcards (StringLike, ArnLike and ArnEquals alike). */
  wildcards: boolean;
  /** The un-negated base of a negated operator (StringNotLike: StringLike); the base itself otherwise. */
  positive: string;
  ignoreCase: boolean;
}

// base: [family, negated, wildcards, positive]
const BASES: Record<string, [OperatorFamily, boolean, boolean, string?]> = {
  StringEquals: ['String', false, false],
  StringNotEquals: ['String', true, false, 'StringEquals'],
  StringEqualsIgnoreCase: ['String', false, false],
  StringNotEqualsIgnoreCase: ['String', true, false, 'StringEqualsIgnoreCase'],
  StringLike: ['String', false, true],
  StringNotLike: ['String', true, true, 'StringLike'],
  NumericEquals: ['Numeric', false, false],
  NumericNotEquals: ['Numeric', true, false, 'NumericEquals'],
  NumericLessThan: ['Numeric', false, false],
  NumericLessThanEquals: ['Numeric', false, false],
  NumericGreaterThan: ['Numeric', false, false],
  NumericGreaterThanEquals: ['Numeric', false, false],
  DateEquals: ['Date', false, false],
  DateNotEquals: ['Date', true, false, 'DateEquals'],
  DateLessThan: ['Date', false, false],
  DateLessThanEquals: ['Date', false, false],
  DateGreaterThan: ['Date', false, false],
  DateGreaterThanEquals: ['Date', false, false],
  Bool: ['Bool', false, false],
  BinaryEquals: ['Binary', false, false],
  IpAddress: ['Ip', false, false],
  NotIpAddress: ['Ip', true, false, 'IpAddress'],
  ArnEquals: ['Arn', false, true],
  ArnLike: ['Arn', false, true],
  ArnNotEquals: ['Arn', true, true, 'ArnEquals'],
  ArnNotLike: ['Arn', true, true, 'ArnLike'],
  Null: ['Null', false, false],
};

export const BASE_OPERATORS: readonly string[] = Object.keys(BASES);

/** Operators read so far: a policy spells the same few again and again. Shared and frozen. */
const operators = new Map<string, ParsedOperator | undefined>();

/** An operator as IAM reads it; undefined for one that does not exist (condition-operator-unknown reports it). */
export function readOperator(operator: string): ParsedOperator | undefined {
  let parsed = operators.get(operator);
  if (parsed === undefined && !operators.has(operator)) {
    parsed = parseOperator(operator);
    if (operators.size < 1000) operators.set(detached(operator), parsed && Object.freeze(parsed));
  }
  return parsed;
}

function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAllValues:')) set = 'ForAllValues';
  else if (rest.startsWith('ForAnyValue:')) set = 'ForAnyValue';
  if (set) rest = rest.slice(set.length + 1);
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASES[rest];
  if (!base || (rest === 'Null' && ifExists)) return undefined;
  return { set, base: rest, ifExists, negated: base[1], family: base[0], wildcards: base[2], positive: base[3] ?? rest, ignoreCase: rest.endsWith('IgnoreCase') };
}

/** Spells an operator from its parts. */
export function formatOperator(parsed: { set?: ParsedOperator['set']; base: string; ifExists: boolean }): string {
  return `${parsed.set ? parsed.set + ':' : ''}${parsed.base}${parsed.ifExists ? 'IfExists' : ''}`;
}

/** All operator spellings without set prefixes, for did-you-mean and completion. */
export function allOperators(): string[] {
  const result: string[] = [];
  for (const base of BASE_OPERATORS) {
    result.push(base);
    if (base !== 'Null') result.push(base + 'IfExists');
  }
  return result;
}

/**
 * An operator on a key the request does not carry: ForAllValues is true and ForAnyValue false,
 * ...IfExists is true, a negated operator is true, any other false ("Condition operators").
 */
export function absentResult(op: ParsedOperator): boolean {
  if (op.set === 'ForAllValues') return true;
  if (op.set === 'ForAnyValue') return false;
  if (op.ifExists) return true;
  return op.negated;
}

/** Whether a Null condition tests for absence: `"true"` (the key doesn't exist) rather than `"false"` (IAM User Guide, Null condition operator). */
export function nullTestsAbsence(values: readonly { value: unknown }[]): boolean {
  return values.some((v) => String(v.value).toLowerCase() === 'true');
}
