import { describeList, documentRule } from '../ruleSupport/context';
import { statementCovers } from '../actions';
import { absentResult } from '../access/operators';

const TAGGING_ACTIONS = ['kms:TagResource', 'kms:UntagResource', 'kms:CreateKey', 'kms:ReplicateKey'];

export default documentRule({
  meta: { id: 'request-tag-misuse', severity: 'warning', category: 'kms', summary: 'aws:RequestTag on calls that carry no tags.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      const tagEntries = statement.conditions.filter((c) => c.lowerKey.startsWith('aws:requesttag/'));
      if (tagEntries.length === 0 || !statement.actions) continue;
      if (statement.actions.items.some((i) => !i.value.toLowerCase().startsWith('kms:') && i.value !== '*')) continue;
      if (TAGGING_ACTIONS.some((a) => statementCovers(statement, a))) continue;
      for (const entry of tagEntries) {
        // On a key the request lacks, a negated or ...IfExists operator is always true: it restricts nothing, it does not block.
        const op = entry.parsed;
        if (!op || op.family === 'Null' || absentResult(op)) continue;
        const tag = entry.key.slice('aws:RequestTag/'.length);
        context.report(entry.keySpan, `aws:RequestTag compares tags sent in the request (TagResource, CreateKey); ${describeList(statement.actions.items.map((i) => i.value), 3)} carry none, so this condition never matches. For the caller's tags use aws:PrincipalTag, for the key's tags aws:ResourceTag.`, {
          fixes: [
            { title: `Use aws:PrincipalTag/${tag} (the caller's tag)`, edits: [context.edits.renameKey(entry.keySpan, `aws:PrincipalTag/${tag}`)], safe: false },
            { title: `Use aws:ResourceTag/${tag} (the key's tag)`, edits: [context.edits.renameKey(entry.keySpan, `aws:ResourceTag/${tag}`)], safe: false },
          ],
        });
      }
    }
  },
});
