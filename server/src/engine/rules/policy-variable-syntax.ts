import { memoize } from '../arn';
import type { ScalarItem, StringItem } from '../model';
import type { Fix } from '../types';
import { documentRule, type RuleContext } from '../ruleSupport/context';

/**
 * How a policy variable starts: a service or provider prefix and a colon (`aws:`, `s3:`,
 * `www.amazon.com:`). `${...}` without one is a template's placeholder (`${account_id}`), and
 * `AWS::AccountId` is CloudFormation's: neither is IAM's business.
 */
const VARIABLE_START = /^\s*[A-Za-z0-9][A-Za-z0-9.-]*\s*:\s*[A-Za-z0-9]/;
const QUOTED_DEFAULT = /^\s*'[^']*'\s*$/;

interface VariableProblem {
  code: 'MISSING_BRACE_IN_VARIABLE' | 'UNSUPPORTED_SPACE_IN_VARIABLE' | 'EMPTY_VARIABLE' | 'MISSING_QUOTE_IN_VARIABLE';
  message: string;
  /** The whole value as it should read, when the repair is mechanical. */
  replacement?: string;
  safe?: boolean;
}

/** Problems with the policy variables (`${...}`) in one value, in the order they appear. */
const variableProblems = memoize((text: string): readonly VariableProblem[] => {
  const problems: VariableProblem[] = [];
  for (let open = text.indexOf('${'); open >= 0; open = text.indexOf('${', open + 2)) {
    const close = text.indexOf('}', open + 2);
    const next = text.indexOf('${', open + 2);
    if (close < 0 || (next >= 0 && next < close)) {
      const rest = text.slice(open + 2, next >= 0 ? next : undefined);
      if (VARIABLE_START.test(rest)) {
        problems.push({ code: 'MISSING_BRACE_IN_VARIABLE', message: `The policy variable "\${${rest}" has no closing brace, so IAM cannot read it. Add } after the variable's name (\${aws:username}).` });
      }
      continue;
    }
    const inner = text.slice(open + 2, close);
    if (inner === '*' || inner === '?' || inner === '$') continue; // IAM's escapes for the characters themselves
    if (inner.trim() === '') {
      problems.push({ code: 'EMPTY_VARIABLE', message: `"\${${inner}}" is an empty policy variable. Put a variable in it (\${aws:username}) or remove the \${ }.` });
      continue;
    }
    const comma = inner.indexOf(',');
    const name = comma < 0 ? inner : inner.slice(0, comma);
    if (!VARIABLE_START.test(name)) continue;
    if (/\s/.test(name)) {
      const fixed = name.replace(/\s+/g, '');
      const rest = comma < 0 ? '' : inner.slice(comma);
      problems.push({
        code: 'UNSUPPORTED_SPACE_IN_VARIABLE',
        message: `The policy variable "\${${inner}}" has a space in its name; IAM allows none (only a default value after the comma may hold spaces).`,
        replacement: `${text.slice(0, open)}\${${fixed}${rest}}${text.slice(close + 1)}`,
        safe: true,
      });
    }
    if (comma >= 0 && !QUOTED_DEFAULT.test(inner.slice(comma + 1))) {
      const defaultValue = inner.slice(comma + 1).trim().replace(/^'|'$/g, '');
      problems.push({
        code: 'MISSING_QUOTE_IN_VARIABLE',
        message: `The default value of "\${${inner}}" must be in single quotes: \${${name.trim()}, '${defaultValue}'}.`,
        replacement: `${text.slice(0, open)}\${${name}, '${defaultValue}'}${text.slice(close + 1)}`,
        safe: false,
      });
    }
  }
  return problems;
});

function checkValue(context: RuleContext, item: StringItem | ScalarItem): void {
  // A value a template fills in is judged by its tool; only what is written here is IAM's.
  if (typeof item.value !== 'string' || item.node.parts || !item.value.includes('${')) return;
  for (const problem of variableProblems(item.value)) {
    const fixes: Fix[] = problem.replacement !== undefined ? [{ title: `Change to "${problem.replacement}"`, edits: [context.edits.replaceString(item, problem.replacement)], safe: !!problem.safe }] : [];
    context.report(item, `${problem.message} AWS rejects a policy with a malformed policy variable.`, { fixes });
  }
}

export default documentRule({
  meta: { id: 'policy-variable-syntax', awsChecks: ['MISSING_BRACE_IN_VARIABLE', 'UNSUPPORTED_SPACE_IN_VARIABLE', 'EMPTY_VARIABLE', 'MISSING_QUOTE_IN_VARIABLE'], severity: 'error', category: 'grammar', summary: 'A malformed policy variable: no closing brace, a space, empty, or an unquoted default.', security: false },
  check(context) {
    // IAM reads policy variables in Resource and in Condition values only (principal-invalid reports them in Principal).
    for (const statement of context.model.statements) {
      for (const item of statement.resources?.items ?? []) checkValue(context, item);
      for (const entry of statement.conditions) for (const value of entry.values) checkValue(context, value);
    }
  },
});
