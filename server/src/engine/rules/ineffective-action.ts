import { grantsRelated, shortActions, workspaceRule } from './workspaceContext';

export default workspaceRule({
  meta: { id: 'ineffective-action', severity: 'warning', category: 'workspace', summary: 'An IAM policy allows an action the key policy never allows.', security: false },
  workspace: {
    keyUse(context, { use, key, policy, grants }) {
      if (key.managed === 'aws' || !policy) return; // aws-managed-key-shared reports AWS managed keys
      const allowed = (action: string) => grants.some((g) => g.actions.has(action));
      // When none is allowed, counterpart-key-policy-missing reports the whole statement instead.
      if (![...use.actions.keys()].some(allowed)) return;
      let related: ReturnType<typeof grantsRelated> | undefined;
      for (const item of use.items) {
        if (item.actions.lower.some(allowed)) continue;
        related ??= grantsRelated(policy, grants);
        context.report(item.span, `"${item.item}" has no effect on ${key.name ?? key.arn}: its key policy never allows ${shortActions(item.actions.names)} to ${context.file.account ? `account ${context.file.account}` : "the template's account"}. ${use.local ? 'An IAM policy takes effect on a key only where the key policy allows it too.' : 'Cross-account permission is what both policies allow.'}`, { unnecessary: true, related });
      }
    },
  },
});
