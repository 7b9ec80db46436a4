import { describeKind, documentRule } from './context';

export default documentRule({
  meta: { id: 'principal-not-allowed', awsChecks: ['UNSUPPORTED_PRINCIPAL', 'SCP_SYNTAX_ERROR_PRINCIPAL'], severity: 'error', category: 'grammar', summary: 'A Principal in an identity policy.', security: false, appliesTo: ['identity-policy', 'scp'] },
  check(context) {
    for (const statement of context.model.statements) {
      if (!statement.principals) continue;
      const element = statement.principals.element;
      const why =
        context.model.kind === 'scp'
          ? 'an SCP applies to the accounts it is attached to'
          : 'an identity policy applies to the user or role it is attached to';
      context.report(element.keySpan, `${describeKind(context.model)}, and ${why}, so it cannot name a ${element.name}; AWS rejects the policy. Remove it (to let another account in, edit the key policy instead).`, {
        fixes: [{ title: `Remove ${element.name}`, edits: [context.edits.removeProperty(element.property)], safe: true }],
      });
    }
  },
});
