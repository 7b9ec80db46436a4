import { hasWildcard, matchActions, type Catalog } from '../catalog';
import type { StringItem } from '../model';
import { UNKNOWN_MARK } from '../tree';
import { markedValue } from '../ruleSupport/trust';
import { describeList, documentRule } from '../ruleSupport/context';

/**
 * An action whose resource types all live in other services than every ARN of the statement's
 * Resource (`logs:PutLogEvents` on `arn:aws:ec2:...:vpc-flow-log/*`): the Service Authorization
 * Reference gives each resource type's ARN, and a request for the action names a resource of one of
 * those types, so the statement never applies to it. Only the ARN's service field is compared, where
 * both sides spell it out: a certain mismatch, never a guess about the rest of the ARN.
 */
export default documentRule({
  meta: { id: 'resource-service-mismatch', severity: 'warning', category: 'grammar', summary: 'An action whose resources are all of other services than every ARN in the statement\'s Resource: it never applies to that action.', security: true, appliesTo: ['identity-policy', 'resource-policy', 'scp'] },
  check(context) {
    for (const statement of context.model.statements) {
      const { resources, actions } = statement;
      if (!resources || resources.negated || !actions || actions.negated || resources.items.length === 0) continue;
      const services = resources.items.map((item) => serviceField(markedValue(item).trim()));
      // "*", a value the template fills in, a wildcard or a placeholder in the service field: any service may be meant.
      if (services.some((service) => service === undefined)) continue;
      const written = new Set(services as string[]);
      const never: { item: StringItem; services: Set<string> }[] = [];
      for (const item of actions.items) {
        const value = item.value.trim();
        if (item.node.parts || value.includes('${')) continue;
        const types = resourceServices(context.catalog, value);
        if (types && ![...types].some((service) => written.has(service))) never.push({ item, services: types });
      }
      if (never.length === 0) continue;
      const deny = statement.effect?.value === 'Deny';
      const arns = describeList([...written].map((service) => `${service} ARNs`), 3);
      for (const { item, services: acted } of never) {
        const action = item.value.trim();
        const their = describeList([...acted].map((service) => `"${service}"`), 3);
        context.report(item, `${action} acts only on resources whose ARNs have the service ${their}, and this statement's Resource holds only ${arns}: ${deny ? 'this Deny never denies it' : 'this Allow never allows it'}. Name a resource ${action} acts on, or move it to a statement that does.`);
      }
    }
  },
});

/** The service field of an ARN written out (`arn:aws:ec2:...` gives `ec2`); undefined for anything else or a field not spelled out. */
function serviceField(value: string): string | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const service = value.split(':')[2];
  if (service === undefined || service === '' || hasWildcard(service) || service.includes(UNKNOWN_MARK) || service.includes('$')) return undefined;
  return service.toLowerCase();
}

/**
 * The services of every resource type the actions an action entry matches act on, from their ARN
 * formats; undefined when one of those actions takes no resource (another rule's case), or the
 * catalog does not know them.
 */
function resourceServices(catalog: Catalog, action: string): Set<string> | undefined {
  const matched = matchActions(catalog, action).actions;
  if (matched.length === 0) return undefined;
  const services = new Set<string>();
  const prefix = action.slice(0, action.indexOf(':')).toLowerCase();
  const types = catalog.service(prefix)?.resourceTypes;
  if (!types) return undefined;
  for (const info of matched) {
    if (info.resourceTypes.length === 0) return undefined;
    for (const type of info.resourceTypes) {
      const service = types.get(type.toLowerCase())?.arn.split(':')[2];
      if (!service || service.includes('$') || hasWildcard(service)) return undefined;
      services.add(service.toLowerCase());
    }
  }
  return services;
}
