import { isWhollyUnknown } from '../tree';
import { looksLikePlaceholder } from '../arn';
import { accessOf, onlyThroughService, policyChangers, type AccessModel, type StatementAccess } from '../access';
import { documentRule } from '../ruleSupport/context';
import { itemsCovering } from '../actions';

/** Why a statement that names kms:PutKeyPolicy does not count, in words. */
function whyNot(statement: StatementAccess, access: AccessModel): string | undefined {
  if (statement.effect !== 'Allow' || !statement.actions.kms.includes('kms:PutKeyPolicy')) return undefined;
  const sid = statement.statement.sid ? `"${statement.statement.sid.value}"` : `statement ${statement.statement.index + 1}`;
  if (statement.resources.appliesToKey === 'no') return `${sid} applies to no key (${statement.resources.why})`;
  if (statement.audience.admits === 'nobody') {
    const never = statement.audience.because.find((c) => c.verdict === 'never');
    return `${sid} admits nobody${never ? ` (${never.why})` : ''}`;
  }
  if (!statement.actions.effective.includes('kms:PutKeyPolicy')) return `${sid} has kms:PutKeyPolicy taken away by a Deny statement`;
  if (onlyThroughService(statement, access.probes)) return `${sid} requires kms:ViaService, which no direct call to change the key policy carries`;
  return `${sid} grants it only to other accounts, where it has no effect`;
}

export default documentRule({
  meta: { id: 'lockout-risk', severity: 'warning', category: 'kms', summary: 'A key policy nobody could change again.', security: true, wholePolicy: true },
  check(context) {
    const { model } = context;
    if (model.kind !== 'key-policy' || model.statements.length === 0) return;
    const access = accessOf(context);
    let deniedToAll = false;
    for (const statement of access.statements) {
      if (statement.effect !== 'Deny' || statement.conditions.length > 0 || statement.except.length > 0 || statement.resources.appliesToKey === 'no') continue;
      if (!statement.principals.some((p) => p.constraint.kind === 'anyone')) continue;
      const items = itemsCovering(statement.statement, 'kms:PutKeyPolicy');
      const span = items[0] ?? (statement.statement.actions?.negated && statement.actions.kms.includes('kms:PutKeyPolicy') ? statement.statement.actions.element.keySpan : undefined);
      if (!span) continue;
      deniedToAll = true;
      context.report(span, 'This denies kms:PutKeyPolicy to everyone, with no condition: nobody, not even the account root, could ever change this key policy again. KMS refuses such a policy unless the lockout safety check is bypassed.', { severity: 'error' });
    }
    if (deniedToAll || policyChangers(access).length > 0) return;
    // Statements the template fills in (`!If [...]`, a source document only Terraform reads) may hold the key's administrators.
    const listed = model.statementElement?.value;
    if (listed && (isWhollyUnknown(listed) || listed.children?.some(isWhollyUnknown))) return;
    // A principal left as a documentation placeholder (`ACCOUNT_ID`, `<account-id>`) may be the owner's root once filled in; principal-invalid reports it.
    const placeholder = access.statements.some((s) => s.effect === 'Allow' && s.actions.kms.includes('kms:PutKeyPolicy') && s.statement.principals?.entries.some((e) => e.items.some((i) => looksLikePlaceholder(i.value))));
    if (placeholder) return;
    const near = access.statements.map((s) => whyNot(s, access)).filter((w): w is string => !!w);
    const anchor = model.statementElement?.keySpan ?? { start: model.root.offset, end: model.root.offset + 1 };
    context.report(anchor, `No statement that applies to this key lets a principal of the owner account call kms:PutKeyPolicy (no owner-root statement, no key administrator)${near.length ? `: ${near.join('; ')}` : ''}. Once set, this policy could never be changed; KMS's lockout safety check refuses it unless bypassed. Keep the "Enable IAM User Permissions" statement for the owner account's root.`);
  },
});
