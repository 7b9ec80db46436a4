import type { LineRange } from '../text';
import { grantsRelated, shortActions, workspaceRule, type FileSummary } from '../ruleSupport/workspaceContext';

/** Where to point at a key policy: its Statement (inside a template, the policy's own place), else the file's start. */
function keyPolicyPlace(policy: FileSummary): { start: number; end: number; range: LineRange } {
  if (policy.statementAt) return { ...policy.statementAt.span, range: policy.statementAt.range };
  return { start: 0, end: 0, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

export default workspaceRule({
  meta: { id: 'counterpart-key-policy-missing', severity: 'error', category: 'workspace', summary: 'An IAM policy uses a key whose key policy does not allow it.', security: true },
  workspace: {
    keyUse(context, match) {
      const { use, key, policy, grants } = match;
      if (key.managed === 'aws' || !policy) return; // aws-managed-key-shared reports AWS managed keys
      if (match.sameAccount) return; // ineffective-action reports a key of the same account
      if ([...use.actions.keys()].some((action) => grants.some((g) => g.actions.has(action)))) return;
      const account = context.file.account ?? "the template's account";
      // A key-policy principal whose account the template fills in (`${var.workload_account}`) may be this account: advice, said as "if".
      const filledIn = policy.grants.filter((g) => !g.wildcard && (g.account === undefined || g.account.includes('${')) && g.principal.includes('${') && [...use.actions.keys()].some((a) => g.actions.has(a)));
      if (filledIn.length > 0) {
        context.report(use.span,
          `The key policy of ${key.name ?? key.arn} allows these actions only to ${filledIn.map((g) => g.principal).slice(0, 2).join(', ')}, whose account the template fills in: unless that is account ${account}, this statement grants nothing on the key. Give the value (--var-file, --parameters) to decide.`,
          { severity: 'info', related: [{ uri: policy.uri, ...keyPolicyPlace(policy), message: 'the key policy' }, ...grantsRelated(policy, filledIn)] });
        return;
      }
      const related = grantsRelated(policy, grants);
      context.report(use.span,
        `The key policy of ${key.name ?? key.arn} does not allow account ${account} ${grants.length ? `any of ${shortActions(use.actions.values())}` : 'at all'}, so this statement grants nothing on it. Add a statement to the key policy that allows ${account} (or this role) these actions.`,
        { related: [{ uri: policy.uri, ...keyPolicyPlace(policy), message: 'the key policy' }, ...related] });
    },
  },
});
