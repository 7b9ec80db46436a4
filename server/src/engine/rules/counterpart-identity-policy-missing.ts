import { workspaceRule, resourceAccount } from '../ruleSupport/workspaceContext';

export default workspaceRule({
  meta: { id: 'counterpart-identity-policy-missing', severity: 'warning', category: 'workspace', summary: 'A key policy grants an account or role that no IAM policy in the workspace uses.', security: true },
  workspace: {
    grant(context, grant) {
      const keyArn = context.file.keyArn!;
      const key = context.key(keyArn);
      const owner = resourceAccount(keyArn);
      if (!grant.account || grant.account === owner) return;
      if (!key || context.accountUsesKey(grant.account, key) || !context.accountKnown(grant.account)) return;
      // An IAM policy that names the key's alias ARN means to use it, and grants nothing: point there.
      const byAlias = context.aliasUsersOf(grant.account, key);
      const aliasNote = byAlias.length
        ? ` ${byAlias.length === 1 ? 'One names' : `${byAlias.length} name`} the key's alias ARN as Resource, which grants nothing on the key: use ${keyArn} there.`
        : ` Add an IAM policy in ${grant.account} that allows these actions with the key ARN as Resource.`;
      context.report(grant.span,
        `This grants ${grant.principal} use of the key, but no IAM policy of account ${grant.account} in this workspace uses ${keyArn}: cross-account use needs both halves.${aliasNote}`,
        byAlias.length ? { related: byAlias.map(({ uri, range }) => ({ uri, range, start: 0, end: 0, message: "the key's alias ARN as Resource: it grants nothing on the key" })) } : undefined);
    },
  },
});
