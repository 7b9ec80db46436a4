import { isPolicyVariable, POLICY_VARIABLE } from '../arn';
import { documentRule } from '../ruleSupport/context';

/** The first policy variable in a value (`${aws:username}`), not IAM's escapes `${*}`, `${?}`, `${$}` nor a template's placeholder. */
function firstVariable(value: string): string | undefined {
  for (const match of value.matchAll(POLICY_VARIABLE)) {
    const inner = match[0].slice(2, -1);
    if (inner.includes(':') && isPolicyVariable(inner)) return match[0];
  }
  return undefined;
}

export default documentRule({
  meta: { id: 'policy-variable-operator', awsChecks: ['INVALID_VARIABLE_FOR_OPERATOR'], severity: 'error', category: 'condition', summary: 'A policy variable with an operator other than String and ARN operators.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        const parsed = entry.parsed;
        if (!parsed || parsed.family === 'String' || parsed.family === 'Arn') continue;
        for (const value of entry.values) {
          if (typeof value.value !== 'string' || value.node.parts || !value.value.includes('${')) continue;
          const variable = firstVariable(value.value);
          if (!variable) continue;
          context.report(value, `${parsed.base} cannot use the policy variable ${variable}: IAM substitutes variables only with String and ARN operators (StringEquals, StringLike, ArnLike, ...), so AWS rejects this condition.`);
        }
      }
    }
  },
});
