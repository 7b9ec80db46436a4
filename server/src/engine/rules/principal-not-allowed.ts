import { describeKind, documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: {
    id: 'principal-not-allowed',
    awsChecks: ['UNSUPPORTED_PRINCIPAL', 'SCP_SYNTAX_ERROR_PRINCIPAL', 'FEDERATED_PRINCIPAL_NOT_SUPPORTED'],
    severity: 'error',
    category: 'grammar',
    summary: 'A Principal in an identity policy, or a federated principal outside a role trust policy.',
    security: false,
    appliesTo: ['identity-policy', 'scp', 'key-policy', 'resource-policy'],
  },
  check(context) {
    const kind = context.model.kind;
    for (const statement of context.model.statements) {
      if (!statement.principals) continue;
      if (kind === 'key-policy' || kind === 'resource-policy') {
        // Only a role trust policy lets an identity provider in (by AssumeRoleWithSAML or AssumeRoleWithWebIdentity):
        // a statement that reads like one (no Resource, or an sts: action) is left alone, whatever the file was taken for.
        if (!statement.resources || statement.actions?.items.some((item) => /^sts:/i.test(item.value))) continue;
        for (const entry of statement.principals.entries) {
          if (entry.type !== 'Federated' || entry.typeNode.parts) continue;
          context.report(entry.typeSpan, `${describeKind(context.model)}: only a role trust policy can name a federated identity provider as principal, so AWS does not accept "Federated" here. Let the provider's users assume a role, and name that role.`);
        }
        continue;
      }
      const element = statement.principals.element;
      const why =
        kind === 'scp'
          ? 'an SCP applies to the accounts it is attached to'
          : 'an identity policy applies to the user or role it is attached to';
      // A Principal the template writes only sometimes (a Terraform dynamic block over a for_each that may be empty).
      const onlyIf = element.value.onlyIf;
      if (onlyIf) {
        context.report(element.keySpan, `${describeKind(context.model)}, and ${why}, so it cannot name a ${element.name}. This one is written only when ${onlyIf}; if it is, AWS rejects the policy.`, { severity: 'info' });
        continue;
      }
      context.report(element.keySpan, `${describeKind(context.model)}, and ${why}, so it cannot name a ${element.name}; AWS rejects the policy. Remove it (to let another account in, edit the key policy instead).`, {
        fixes: [{ title: `Remove ${element.name}`, edits: [context.edits.removeProperty(element.property)], safe: true }],
      });
    }
  },
});
