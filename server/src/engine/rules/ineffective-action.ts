import { grantsRelated, shortActions, workspaceRule } from '../ruleSupport/workspaceContext';

export default workspaceRule({
  meta: { id: 'ineffective-action', severity: 'warning', category: 'workspace', summary: 'An IAM policy allows an action the key policy never allows.', security: false },
  workspace: {
    keyUse(context, match) {
      const { use, key, policy, grants } = match;
      if (key.managed === 'aws' || !policy) return; // aws-managed-key-shared reports AWS managed keys
      const allowed = (action: string) => grants.some((g) => g.actions.has(action));
      // When none is allowed across accounts, counterpart-key-policy-missing reports the whole statement instead.
      if (!match.sameAccount && ![...use.actions.keys()].some(allowed)) return;
      let related: ReturnType<typeof grantsRelated> | undefined;
      for (const item of use.items) {
        if (item.actions.lower.some(allowed)) continue;
        related ??= grantsRelated(policy, grants);
        const account = context.file.account ? `account ${context.file.account}` : "the template's account";
        const message = match.sameAccount
          ? `"${item.item}" has no effect on ${key.name ?? key.arn}: its key policy lets no IAM policy of ${account} decide ${shortActions(item.actions.names)} (no statement for the account's root allows ${item.actions.names.length > 1 ? 'them' : 'it'}), so only the principals the key policy names can call ${item.actions.names.length > 1 ? 'them' : 'it'}. Add the root statement to the key policy, or name this role there.`
          : `"${item.item}" has no effect on ${key.name ?? key.arn}: its key policy never allows ${shortActions(item.actions.names)} to ${account}. ${use.local ? 'An IAM policy takes effect on a key only where the key policy allows it too.' : 'Cross-account permission is what both policies allow.'}`;
        context.report(item.span, message, { unnecessary: true, related });
      }
    },
  },
});
