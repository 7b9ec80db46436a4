import { accessOf, serviceScope } from '../access';
import type { Fix } from '../types';
import { describeList, documentRule, type RuleContext } from '../ruleSupport/context';
import { MANAGEMENT_ACTIONS } from '../kms/actions';
import type { StatementAccess } from '../access';

/** aws:SourceAccount = the owner account: the one condition we can write without knowing the resource. */
function fixFor(context: RuleContext, statement: StatementAccess, owner: string | undefined): Fix[] {
  if (!owner || owner.includes('${')) return [];
  const s = statement.statement;
  const { edits } = context;
  const condition = s.condition?.value;
  const value = { 'aws:SourceAccount': owner };
  let edit;
  if (!condition) edit = edits.addProperty(s.node, 'Condition', { StringEquals: value });
  else if (condition.type === 'object') {
    const block = condition.children?.find((p) => p.children?.[0]?.value === 'StringEquals')?.children?.[1];
    if (block?.type === 'object') edit = edits.addProperty(block, 'aws:SourceAccount', owner);
    else if (!block) edit = edits.addProperty(condition, 'StringEquals', value);
  }
  // Not safe: a service that does not send aws:SourceAccount with its KMS requests is then refused.
  return edit ? [{ title: `Add "StringEquals": { "aws:SourceAccount": "${owner}" } (if the service sends it to KMS)`, edits: [edit], safe: false }] : [];
}

export default documentRule({
  meta: { id: 'service-principal-unscoped', awsChecks: ['RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL'], severity: 'info', category: 'kms', summary: 'A service principal without aws:SourceAccount/aws:SourceArn or an equivalent pin (the confused deputy).', security: true, appliesTo: ['key-policy'] },
  check(context) {
    const access = accessOf(context);
    for (const statement of access.statements) {
      if (statement.effect !== 'Allow' || statement.resources.appliesToKey === 'no' || statement.audience.admits === 'nobody') continue;
      const scope = serviceScope(statement, access.probes);
      if (!scope || !scope.usesKey || scope.pins.length > 0) continue;
      const actions = describeList(statement.actions.effective.map((a) => a.slice(4)), 4);
      const fixes = fixFor(context, statement, access.ownerAccount);
      // Advice as AWS publishes these statements, unless the service also gets the key's management or grants to anyone.
      const management = MANAGEMENT_ACTIONS.filter((a) => statement.actions.effective.includes(a));
      const grants = statement.createGrant?.verdict === 'unrestricted' && statement.actions.effective.includes('kms:CreateGrant');
      const danger = management.length > 0 ? ` It also gets ${describeList(management.map((a) => a.slice(4)), 3)}, which another account could then drive.` : grants ? ' It also gets kms:CreateGrant with no condition, so those grants can hand the key on.' : '';
      // A condition meant to pin it whose ARN names no account pins nothing: a mistake, not AWS's published shape.
      const loose = scope.loose.length > 0 ? ` Its condition on ${describeList([...new Set(scope.loose.map((e) => e.key))], 2)} has a wildcard where the account belongs, so it admits every account's resources.` : '';
      for (const service of scope.services) {
        if (!service.item || service.constraint.kind !== 'service') continue;
        const name = service.constraint.service;
        context.report(
          service.item,
          `${name} may use this key (${actions}) on behalf of any AWS account's resources: with no aws:SourceAccount or aws:SourceArn condition (or an encryption-context condition that names your account), another account can make ${name} use your key for its own resources (the confused deputy).${danger}${loose} Pin it to your account or resource, with the keys ${name}'s documentation says it sends to KMS.`,
          { fixes, severity: danger || loose ? 'warning' : 'info' },
        );
      }
    }
  },
});
