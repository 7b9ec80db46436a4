import { describeKind, documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: {
    id: 'trust-policy-element',
    awsChecks: ['ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL', 'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE', 'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL'],
    severity: 'error',
    category: 'grammar',
    summary: 'NotPrincipal, Resource, NotResource or "Principal": "*" in a role trust policy, which IAM rejects.',
    security: false,
    appliesTo: ['trust-policy'],
  },
  check(context) {
    const kind = describeKind(context.model);
    for (const statement of context.model.statements) {
      const principals = statement.principals;
      if (principals?.negated) {
        context.report(principals.element.keySpan, `${kind}, and a role trust policy takes no NotPrincipal: IAM rejects the policy. Name who may assume the role in Principal instead.`);
      } else if (principals?.wildcard && principals.wildcard.value === '*' && !principals.wildcard.node.parts) {
        const wildcard = principals.wildcard;
        context.report(wildcard, `${kind}, and IAM rejects "Principal": "*" in a role trust policy as an invalid principal. Name the accounts, roles or services that may assume the role; {"AWS": "*"} is accepted, but then only conditions keep everyone else out.`, {
          fixes: [{ title: 'Change to {"AWS": "*"}', edits: [context.edits.replaceValue(wildcard.node, { AWS: '*' })], safe: false }],
        });
      }
      for (const name of ['Resource', 'NotResource']) {
        const element = statement.elements.get(name);
        if (!element) continue;
        context.report(element.keySpan, `${kind}, and a role trust policy applies to the role it is attached to: it takes no ${name}, and IAM rejects the policy. Remove it.`, {
          fixes: [{ title: `Remove ${name}`, edits: [context.edits.removeProperty(element.property)], safe: true }],
        });
      }
    }
  },
});
