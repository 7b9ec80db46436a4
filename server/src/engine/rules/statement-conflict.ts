import { isWhollyUnknown, type PolicyNode } from '../tree';
import { documentRule } from '../ruleSupport/context';
import { statementAnchor } from '../ruleSupport/grammar';
import type { Statement } from '../model';
import type { PolicyKind } from '../types';

export default documentRule({
  meta: { id: 'statement-conflict', awsChecks: ['UNSUPPORTED_ELEMENT_COMBINATION', 'MISSING_ACTION', 'MISSING_RESOURCE'], severity: 'error', category: 'grammar', summary: 'Both X and NotX, or no Action or Resource, in one statement.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      for (const [plain, negated] of [['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']]) {
        const a = statement.elements.get(plain);
        const b = statement.elements.get(negated);
        // A value the template fills in whole may be null there (Terraform's `try(x, null)`, CloudFormation's AWS::NoValue): then only one is sent.
        // So may an element the template writes only under a condition (a Terraform dynamic block).
        if (a && b && !isWhollyUnknown(a.value) && !isWhollyUnknown(b.value) && !(a.value as PolicyNode).onlyIf && !(b.value as PolicyNode).onlyIf) {
          const later = a.propertySpan.start > b.propertySpan.start ? a : b;
          const earlier = later === a ? b : a;
          context.report(later.keySpan, `A statement cannot have both ${plain} and ${negated}; AWS rejects the policy. Keep one.`, {
            related: [{ ...earlier.keySpan, message: `${earlier.name} is here` }],
          });
        }
      }
      if (!statement.elements.has('Action') && !statement.elements.has('NotAction')) {
        context.report(statementAnchor(statement), 'This statement has no Action (or NotAction), so it allows or denies nothing and AWS rejects it.');
      }
      // A role trust policy names no Resource: the role it is attached to is the resource. So does an ECR
      // repository policy: the repository ("Private repository policy examples in Amazon ECR" omit it).
      if (context.model.kind !== 'trust-policy' && !repositoryPolicy(context.model.kind, statement) && !statement.elements.has('Resource') && !statement.elements.has('NotResource')) {
        const hint = context.model.kind === 'key-policy' ? ' In a key policy use "Resource": "*" (it means this key).' : '';
        context.report(statementAnchor(statement), `This statement has no Resource (or NotResource); AWS rejects it.${hint}`);
      }
    }
  },
});

/** A resource policy statement of ECR actions alone: the repository it is attached to is its resource. */
function repositoryPolicy(kind: PolicyKind, statement: Statement): boolean {
  const actions = statement.actions;
  return kind === 'resource-policy' && !!actions && !actions.negated && actions.items.length > 0 && actions.items.every((item) => /^ecr(-public)?:/i.test(item.value));
}
