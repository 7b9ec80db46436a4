import { hasTemplatePlaceholder, isUnknownPart } from '../arn';
import { resourceArn } from '../ruleSupport/policyChecks';
import { documentRule } from '../ruleSupport/context';

function wildService(service: string): boolean {
  return service !== '' && /[*?]/.test(service);
}

export default documentRule({
  meta: { id: 'service-name-wildcard', awsChecks: ['WILDCARD_IN_SERVICE_NAME'], severity: 'info', category: 'grammar', summary: 'A wildcard in the service name of an action or Resource ARN ("*code*:Get*").', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      for (const item of statement.actions?.items ?? []) {
        const value = item.value.trim();
        const colon = value.indexOf(':');
        if (value === '*' || colon < 0 || item.node.parts || hasTemplatePlaceholder(value) || !wildService(value.slice(0, colon))) continue;
        context.report(item, `"${item.value}" has a wildcard in its service name: it matches the actions of every service whose name fits "${value.slice(0, colon)}", including services AWS adds later. Name the services.`);
      }
      for (const item of statement.resources?.items ?? []) {
        if (item.value === '*') continue;
        const arn = resourceArn(item)?.arn;
        if (!arn || isUnknownPart(arn.service) || !wildService(arn.service)) continue;
        context.report(item, `"${item.value}" has a wildcard in its service name ("${arn.service}"): it matches the resources of every service whose name fits, including services AWS adds later. Name the services.`);
      }
    }
  },
});
