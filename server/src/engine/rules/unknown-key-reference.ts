import { hasWildcard } from '../catalog';
import { resourceAccount, workspaceRule } from '../ruleSupport/workspaceContext';

export default workspaceRule({
  meta: { id: 'unknown-key-reference', severity: 'hint', category: 'workspace', summary: 'A key of another account that the workspace does not know.', security: false },
  workspace: {
    unknownKey(context, use) {
      if (hasWildcard(use.resource)) return;
      // The key ID of a declared key, in another region or account: a typo in the ARN, not an unknown key.
      const keyId = use.resource.split(':').slice(5).join(':');
      const [, , , region, account] = use.resource.split(':');
      const declared = keyId.startsWith('key/') ? [...context.keys()].find((k) => k.arn.split(':').slice(5).join(':') === keyId) : undefined;
      if (declared) {
        const [, , , declaredRegion, declaredAccount] = declared.arn.split(':');
        const differs = [
          region !== declaredRegion ? `region ${region || '(none)'} where keyshare.json declares ${declaredRegion}` : '',
          account !== declaredAccount ? `account ${account || '(none)'} where keyshare.json declares ${declaredAccount}` : '',
        ].filter(Boolean).join(', and ');
        context.report(use.span, `This is the key ID of ${declared.arn}, but the ARN names ${differs}: a key ARN that names another region or account is another key, so this grants nothing on the declared one.`, {
          fixes: [{ title: `Use the declared key ARN ${declared.arn}`, edits: [{ start: use.span.start, end: use.span.end, newText: JSON.stringify(declared.arn) }], safe: false }],
        });
        return;
      }
      const fix = context.declareKeyFix(use.resource);
      context.report(use.span, `Key ${use.resource} of account ${resourceAccount(use.resource)} is not known to this workspace (no key policy or keyshare.json entry), so this half of the handshake cannot be checked. Declare the key in keyshare.json.`, fix ? { fixes: [fix] } : {});
    },
  },
});
