import { actionReachedVia, isEveryIamResource } from '../ruleSupport/policyChecks';
import { documentRule, isAllow } from '../ruleSupport/context';

const CREATE_SLR = 'iam:createservicelinkedrole';
/** The resource parts of an IAM ARN that are every service-linked role (of every service). */
const EVERY_SERVICE_LINKED_ROLE = /^(\*|role\/\*|role\/aws-service-role\/\*)$/;

export default documentRule({
  meta: {
    id: 'create-slr-wildcard',
    awsChecks: [
      'CREATE_SLR_WITH_STAR_IN_RESOURCE',
      'CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE',
      'CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION',
      'CREATE_SLR_WITH_NOT_RESOURCE',
      'CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE',
      'CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE',
    ],
    severity: 'warning',
    category: 'kms',
    summary: 'iam:CreateServiceLinkedRole allowed for every service ("*" or NotResource) without iam:AWSServiceName.',
    security: true,
    appliesTo: ['identity-policy'],
  },
  check(context) {
    // A permissions boundary grants nothing: its "*" only sets the most a principal may do.
    if (context.model.boundary) return;
    for (const statement of context.model.statements) {
      if (!isAllow(statement) || !statement.resources || statement.filledInConditions.length > 0) continue;
      const via = actionReachedVia(statement, CREATE_SLR);
      if (!via) continue;
      // Scoped to the services whose roles may be created: accepted, as AWS's own managed policies do.
      if (statement.conditions.some((entry) => entry.lowerKey === 'iam:awsservicename')) continue;
      const how = via === 'name' ? 'iam:CreateServiceLinkedRole' : via === 'wildcard' ? 'iam:CreateServiceLinkedRole (through a wildcard action)' : 'iam:CreateServiceLinkedRole (NotAction does not exclude it)';
      const resources = statement.resources;
      if (resources.negated) {
        context.report(resources.element.keySpan, `This statement allows ${how} on every resource except those in NotResource, so its principals can create service-linked roles for services nobody meant. Name the roles in Resource (arn:aws:iam::*:role/aws-service-role/<service>/*) instead.`);
        continue;
      }
      for (const item of resources.items) {
        if (!isEveryIamResource(item, EVERY_SERVICE_LINKED_ROLE)) continue;
        context.report(item, `This statement allows ${how} on "${item.value}": its principals can create the service-linked role of any AWS service. Name the service in Resource (arn:aws:iam::*:role/aws-service-role/<service>/*), or add an iam:AWSServiceName condition.`);
      }
    }
  },
});
