import { hasWildcard } from '../catalog';
import { resourceAccount, workspaceRule } from './workspaceContext';

export default workspaceRule({
  meta: { id: 'unknown-key-reference', severity: 'hint', category: 'workspace', summary: 'A key of another account that the workspace does not know.', security: false },
  workspace: {
    unknownKey(context, use) {
      if (hasWildcard(use.resource)) return;
      const fix = context.declareKeyFix(use.resource);
      context.report(use.span, `Key ${use.resource} of account ${resourceAccount(use.resource)} is not known to this workspace (no key policy or keyshare.json entry), so this half of the handshake cannot be checked. Declare the key in keyshare.json.`, fix ? { fixes: [fix] } : {});
    },
  },
});
