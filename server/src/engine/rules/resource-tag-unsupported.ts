import type { Catalog } from '../catalog';
import type { Statement } from '../model';
import { documentRule, describeList } from '../ruleSupport/context';

const RESOURCE_TAG = 'aws:resourcetag/${tagkey}';

/**
 * The service prefixes among a statement's actions whose service defines no aws:ResourceTag key
 * for any of its resources (so no request to it carries one). Wildcard services, "*" and actions
 * a template fills in are left out: for those Keyshare cannot tell.
 */
function servicesWithoutResourceTag(catalog: Catalog, statement: Statement): string[] {
  let found: string[] | undefined;
  for (const item of statement.actions!.items) {
    const value = item.value;
    const colon = value.indexOf(':');
    if (colon <= 0 || item.node.parts) continue;
    const prefix = value.slice(0, colon).toLowerCase();
    if (/[*?$]/.test(prefix) || found?.includes(prefix)) continue;
    const service = catalog.service(prefix);
    if (!service || service.conditionKeys.has(RESOURCE_TAG)) continue;
    (found ??= []).push(prefix);
  }
  return found ?? [];
}

export default documentRule({
  meta: {
    id: 'resource-tag-unsupported',
    awsChecks: ['DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', 'DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', 'ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', 'ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE'],
    severity: 'warning',
    category: 'condition',
    summary: 'aws:ResourceTag on actions of services that never send it: a Deny that denies nothing, an Allow that allows nothing.',
    security: true,
    conditionsOnly: true,
  },
  check(context) {
    for (const statement of context.model.statements) {
      const actions = statement.actions;
      const effect = statement.effect?.value;
      if (!actions || actions.items.length === 0 || (effect !== 'Allow' && effect !== 'Deny')) continue;
      for (const entry of statement.conditions) {
        if (entry.key.length < 17 || !entry.lowerKey.startsWith('aws:resourcetag/') || entry.keyProperty.children?.[0]?.parts) continue;
        const operator = entry.parsed;
        // Only operators that are false when the key is missing: then the statement skips those actions.
        if (!operator || operator.negated || operator.ifExists || operator.base === 'Null' || operator.set === 'ForAllValues') continue;
        const deny = effect === 'Deny';
        if (actions.negated) {
          context.report(
            entry.keySpan,
            deny
              ? `Deny with NotAction and ${entry.key}: the actions of services that never send aws:ResourceTag are not denied by this statement, however their resources are tagged. List the actions to deny in Action instead.`
              : `Allow with NotAction and ${entry.key} allows only actions of services that send aws:ResourceTag; the others are not allowed by this statement. List the actions to allow in Action instead.`,
            { severity: deny ? 'warning' : 'info' },
          );
          break;
        }
        const services = servicesWithoutResourceTag(context.catalog, statement);
        if (services.length === 0) break;
        const names = describeList(services);
        context.report(
          entry.keySpan,
          deny
            ? `Requests to ${names} never carry aws:ResourceTag, so this Deny does not deny the actions of ${services.length === 1 ? 'that service' : 'those services'}, however their resources are tagged. Move those actions to a statement without ${entry.key}.`
            : `Requests to ${names} never carry aws:ResourceTag, so this statement does not allow the actions of ${services.length === 1 ? 'that service' : 'those services'}. Move those actions to a statement without ${entry.key}.`,
          { severity: deny ? 'warning' : 'info' },
        );
        break;
      }
    }
  },
});
