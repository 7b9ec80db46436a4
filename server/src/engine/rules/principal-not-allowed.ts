import { documentRule } from './context';

export default documentRule({
  meta: { id: 'principal-not-allowed', severity: 'error', category: 'grammar', summary: 'A Principal in an identity policy.', security: false },
  check(context) {
    if (context.model.kind !== 'identity-policy') return;
    for (const statement of context.model.statements) {
      if (!statement.principals) continue;
      const element = statement.principals.element;
      context.report(element.keySpan, `An identity policy applies to the user or role it is attached to, so it cannot name a ${element.name}; IAM rejects the policy. Remove it (to let another account in, edit the key policy instead).`, {
        fixes: [{ title: `Remove ${element.name}`, edits: [context.edits.removeProperty(element.property)], safe: true }],
      });
    }
  },
});
