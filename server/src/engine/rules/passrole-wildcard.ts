import { actionReachedVia, isEveryIamResource } from '../ruleSupport/policyChecks';
import { documentRule, isAllow } from '../ruleSupport/context';

const PASS_ROLE = 'iam:passrole';
/** The resource parts of an IAM ARN that are every role. */
const EVERY_ROLE = /^(\*|role\/\*)$/;

export default documentRule({
  meta: { id: 'passrole-wildcard', awsChecks: ['PASS_ROLE_WITH_STAR_IN_RESOURCE', 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE', 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION', 'PASS_ROLE_WITH_NOT_RESOURCE', 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE', 'PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE'], severity: 'warning', category: 'kms', summary: 'iam:PassRole allowed on every role ("*" or NotResource) without iam:PassedToService.', security: true, appliesTo: ['identity-policy'] },
  check(context) {
    // A permissions boundary grants nothing: its "*" only sets the most a principal may do.
    if (context.model.boundary) return;
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.resources || statement.filledInConditions.length > 0) continue;
      const via = actionReachedVia(statement, PASS_ROLE);
      if (!via) continue;
      const how = via === 'name' ? 'iam:PassRole' : via === 'wildcard' ? 'iam:PassRole (through a wildcard action)' : 'iam:PassRole (NotAction does not exclude it)';
      const resources = statement.resources;
      if (resources.negated) {
        context.report(resources.element.keySpan, `This statement allows ${how} on every role except those in NotResource, so its principals can hand almost any role, and its permissions, to an AWS service. Name the roles they may pass in Resource instead.`);
        continue;
      }
      // Scoped to the services the roles may be passed to: the check's own remedy.
      if (statement.conditions.some((entry) => entry.lowerKey === 'iam:passedtoservice')) continue;
      for (const item of resources.items) {
        if (!isEveryIamResource(item, EVERY_ROLE)) continue;
        context.report(item, `This statement allows ${how} on "${item.value}", every role: its principals can pass any role, with all its permissions, to a service they control (a privilege escalation). Name the roles in Resource, or add an iam:PassedToService condition.`);
      }
    }
  },
});
