import { documentRule } from '../ruleSupport/context';
import { statementAnchor } from '../ruleSupport/grammar';

export default documentRule({
  meta: { id: 'principal-missing', awsChecks: ['MISSING_PRINCIPAL'], severity: 'error', category: 'grammar', summary: 'A key or resource policy statement without Principal.', security: false, appliesTo: ['key-policy', 'resource-policy', 'trust-policy'] },
  check(context) {
    const what = context.model.kind === 'key-policy' ? 'a key policy' : context.model.kind === 'trust-policy' ? 'a role trust policy' : 'a resource policy';
    for (const statement of context.model.statements) {
      if (statement.principals) continue;
      context.report(statementAnchor(statement), `Every statement in ${what} needs a Principal: who the statement applies to. Without it AWS rejects the policy.`);
    }
  },
});
