import type { StringItem } from '../model';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';
import { hasTemplatePlaceholder } from '../arn';
import type { PolicyNode } from '../tree';

export default documentRule({
  meta: { id: 'statement-sid', awsChecks: ['UNSUPPORTED_SID', 'UNIQUE_SIDS_REQUIRED', 'UNIQUE_SIDS_RECOMMENDED'], severity: 'error', category: 'grammar', summary: 'A Sid with characters IAM rejects, or used twice.', security: false },
  check(context) {
    const { model, edits } = context;
    const seen = new Map<string, StringItem>();
    const allSids = new Set(model.statements.map((s) => s.sid?.value).filter((v): v is string => !!v));
    for (const statement of model.statements) {
      const sid = statement.sid;
      // A Sid a template fills in (`"${var.name}Read"`) is judged once rendered, not as written.
      if (!sid || sid.value === '' || (sid.node as PolicyNode).parts || hasTemplatePlaceholder(sid.value)) continue;
      if (model.kind === 'identity-policy' && !/^[A-Za-z0-9]+$/.test(sid.value)) {
        const cleaned = sid.value.replace(/[^A-Za-z0-9]/g, '');
        const fixes: Fix[] = cleaned && !allSids.has(cleaned) ? [{ title: `Change Sid to "${cleaned}"`, edits: [edits.replaceString(sid, cleaned)], safe: true }] : [];
        context.report(sid, 'In an IAM identity policy a Sid may hold only letters and digits (A-Z, a-z, 0-9); IAM rejects the policy otherwise.', { fixes });
      }
      const first = seen.get(sid.value);
      if (first) {
        context.report(sid, `Sid "${sid.value}" is used by an earlier statement; Sids must be unique within a policy.`, {
          severity: model.kind === 'identity-policy' ? 'error' : 'warning',
          related: [{ start: first.start, end: first.end, message: 'first used here' }],
        });
      } else {
        seen.set(sid.value, sid);
      }
    }
  },
});
