import { isWhollyUnknown, type PolicyNode as Node } from '../tree';
import { propertiesOf, spanOf } from '../model';
import type { Fix } from '../types';
import { documentRule, type RuleContext } from '../ruleSupport/context';

const LIST_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const PRINCIPAL_ELEMENTS = ['Principal', 'NotPrincipal'];

function isScalar(node: Node): boolean {
  return node.type === 'string' || node.type === 'number' || node.type === 'boolean';
}

/** A condition value: a scalar or a non-empty array of them. */
function isConditionValue(node: Node): boolean {
  return isScalar(node) || (node.type === 'array' && (node.children ?? []).length > 0 && node.children!.every(isScalar));
}

function expectString(context: RuleContext, name: string, node: Node | undefined): void {
  if (node && node.type !== 'string') context.report(spanOf(node), `${name} must be a string.`);
}

/** An empty array: Access Analyzer's "Empty array action/resource/principal/condition" suggestions (the element then does nothing). */
function isEmptyArray(node: Node): boolean {
  return node.type === 'array' && (node.children ?? []).length === 0;
}

const EMPTY = (what: string) => `${what} is an empty array, so it matches nothing and this statement has no effect. Name what it should match, or remove the statement.`;

function isStringList(node: Node): boolean {
  return node.type === 'string' || (node.type === 'array' && (node.children ?? []).length > 0 && node.children!.every((c) => c.type === 'string'));
}

export default documentRule({
  meta: { id: 'element-type', awsChecks: ['DATA_TYPE_MISMATCH', 'INVALID_CONDITION_DATA_TYPE', 'EMPTY_ARRAY_ACTION', 'EMPTY_ARRAY_CONDITION', 'EMPTY_ARRAY_CONDITION_FORALLVALUES', 'EMPTY_ARRAY_CONDITION_FORANYVALUE', 'EMPTY_ARRAY_CONDITION_IFEXISTS', 'EMPTY_ARRAY_PRINCIPAL', 'EMPTY_ARRAY_RESOURCE'], severity: 'error', category: 'grammar', summary: 'An element holds the wrong JSON type.', security: false },
  check(context) {
    const { model } = context;
    // A value the template fills in whole has an unknown type: only what is written is judged.
    expectString(context, 'Version', model.topElements.get('Version')?.value);
    expectString(context, 'Id', model.topElements.get('Id')?.value);
    // A fragment (a list of statements to splice in, Serverless's provider statements) is its own Statement array.
    const statementValue = model.statementElement?.value ?? (model.fragment && model.root.type === 'array' ? model.root : undefined);
    if (statementValue) {
      if (statementValue.type === 'array') {
        if ((statementValue.children ?? []).length === 0) context.report(spanOf(statementValue), 'Statement is empty: a policy needs at least one statement.');
        for (const child of statementValue.children ?? []) {
          if (child.type !== 'object' && !isWhollyUnknown(child)) context.report(spanOf(child), 'Each statement must be an object ({ "Effect": ..., "Action": ..., ... }).');
        }
      } else if (statementValue.type !== 'object' && !isWhollyUnknown(statementValue)) {
        context.report(spanOf(statementValue), 'Statement must be an array of statement objects (or a single object).');
      }
    }
    for (const statement of model.statements) {
      expectString(context, 'Sid', statement.elements.get('Sid')?.value);
      expectString(context, 'Effect', statement.elements.get('Effect')?.value);
      for (const name of LIST_ELEMENTS) {
        const element = statement.elements.get(name);
        if (element && isEmptyArray(element.value)) context.report(spanOf(element.value), EMPTY(name), { severity: 'info' });
        else if (element && !isStringList(element.value)) {
          context.report(spanOf(element.value), `${name} must be a string or a non-empty array of strings.`);
        }
      }
      for (const name of PRINCIPAL_ELEMENTS) {
        const element = statement.elements.get(name);
        if (!element) continue;
        const value = element.value;
        if (value.type === 'string') {
          if (value.value !== '*' && !isWhollyUnknown(value)) {
            const fix: Fix[] = /^arn:|^\d{12}$/.test(value.value)
              ? [{ title: `Wrap in { "AWS": ... }`, edits: [context.edits.replaceValue(value, { AWS: value.value })], safe: true }]
              : [];
            context.report(spanOf(value), `${name} as a string can only be "*"; name accounts and roles as { "AWS": "<ARN or account ID>" }.`, { fixes: fix });
          }
        } else if (value.type === 'object') {
          for (const entry of propertiesOf(value)) {
            if (isEmptyArray(entry.value)) context.report(spanOf(entry.value), EMPTY(`${name} "${entry.name}"`), { severity: 'info' });
            else if (!isStringList(entry.value)) context.report(spanOf(entry.value), `${name} "${entry.name}" must be a string or a non-empty array of strings.`);
          }
        } else {
          context.report(spanOf(value), `${name} must be "*" or an object such as { "AWS": [...] }.`);
        }
      }
      const condition = statement.condition?.value;
      if (condition) {
        if (isWhollyUnknown(condition)) {
          // filled in by the template
        } else if (condition.type !== 'object') {
          context.report(spanOf(condition), 'Condition must be an object of operators, e.g. { "StringEquals": { "aws:PrincipalOrgID": "o-..." } }.');
        } else {
          for (const operator of propertiesOf(condition)) {
            if (isWhollyUnknown(operator.value)) continue;
            if (operator.value.type !== 'object') {
              context.report(spanOf(operator.value), `The "${operator.name}" block must be an object of condition keys to values.`);
              continue;
            }
            for (const key of propertiesOf(operator.value)) {
              if (isEmptyArray(key.value)) context.report(spanOf(key.value), `The value of "${key.name}" is an empty array: ${emptyConditionEffect(operator.name)}. Give it values, or remove it.`, { severity: 'info' });
              else if (!isConditionValue(key.value)) context.report(spanOf(key.value), `The value of "${key.name}" must be a string, number, boolean or a non-empty array of them.`);
              else if (key.value.type === 'array') {
                const odd = mixedTypeValue(key.value);
                if (odd) context.report(spanOf(odd), `The values of "${key.name}" mix JSON types (${odd.type} beside ${key.value.children![0].type}): AWS wants condition values of one type. Write them all as strings, e.g. "${String(odd.value)}".`);
              }
            }
          }
        }
      }
    }
  },
});

/** The first value of a condition's array whose JSON type differs from the first value's (a template's values are not judged). */
function mixedTypeValue(node: Node): Node | undefined {
  const values = node.children!;
  const first = values[0];
  if (first.parts) return undefined;
  for (let i = 1; i < values.length; i++) if (values[i].type !== first.type && !values[i].parts) return values[i];
  return undefined;
}

/** What an empty condition value does, by its operator (Access Analyzer's empty-array condition suggestions). */
function emptyConditionEffect(operator: string): string {
  if (operator.startsWith('ForAllValues:')) return 'ForAllValues with no values matches only requests without the key';
  if (operator.startsWith('ForAnyValue:')) return 'ForAnyValue with no values never matches';
  if (operator.endsWith('IfExists')) return 'with IfExists it matches only requests without the key';
  return 'the condition never matches';
}
