import type { Statement, StringItem } from '../model';
import { documentRule, isAllow } from '../ruleSupport/context';
import { itemsCovering, statementCovers } from '../actions';

export default documentRule({
  meta: { id: 's3-sse-kms-actions', severity: 'info', category: 'kms', summary: 'S3 access to SSE-KMS objects without the KMS actions it needs.', security: false },
  check(context) {
    const { model } = context;
    const allows = model.statements.filter(isAllow);
    const ofService = (item: StringItem, prefix: string) => item.value.slice(0, prefix.length).toLowerCase() === prefix;
    const names = (s: Statement, prefix: string) => !!s.actions && !s.actions.negated && s.actions.items.some((i) => ofService(i, prefix));
    // Only policies that name both S3 and KMS actions can miss this pairing.
    if (!allows.some((s) => names(s, 's3:'))) return;
    const kmsStatements = allows.filter((s) => names(s, 'kms:'));
    if (kmsStatements.length === 0) return;
    const target = kmsStatements[0];
    const needs: [string, string, string][] = [
      ['s3:PutObject', 'kms:GenerateDataKey', 'Uploading to a bucket encrypted with SSE-KMS needs kms:GenerateDataKey on the key'],
      ['s3:GetObject', 'kms:Decrypt', 'Reading SSE-KMS objects needs kms:Decrypt on the key'],
    ];
    for (const [s3Action, kmsAction, why] of needs) {
      const s3Items: StringItem[] = [];
      for (const s of allows) for (const item of itemsCovering(s, s3Action)) if (ofService(item, 's3:')) s3Items.push(item);
      if (s3Items.length === 0) continue;
      if (allows.some((s) => statementCovers(s, kmsAction))) continue;
      const actions = target.actions!;
      // Whether the bucket uses SSE-KMS with a key this policy names cannot be known here: advice, said as "if".
      context.report(s3Items[0], `If the bucket encrypts with SSE-KMS: ${why.charAt(0).toLowerCase()}${why.slice(1)}, and no statement here allows it, so the request would fail with AccessDenied from KMS.`, {
        fixes: [{ title: `Add "${kmsAction}"`, edits: [context.edits.addToList(actions.element.value, actions.items, [kmsAction])], safe: false }],
      });
    }
  },
});
