import type { Statement } from '../model';
import { awsPrincipalItems, documentRule, isAllow } from '../ruleSupport/context';
import { statementCovers } from '../actions';
import { CRYPTO_ACTIONS } from '../kms/actions';
import { kmsArnItems } from '../ruleSupport/kms';

const CONSEQUENCE = 'but not kms:DescribeKey: AWS service consoles cannot show or select the key, and integrations that look the key up first fail. Add kms:DescribeKey.';
const IDENTITY_MESSAGE = `This policy allows using the key ${CONSEQUENCE}`;
const KEY_POLICY_MESSAGE = `These principals may use the key ${CONSEQUENCE}`;

export default documentRule({
  meta: { id: 'missing-describe-key', severity: 'info', category: 'kms', summary: 'Key use allowed without kms:DescribeKey.', security: false, appliesTo: ['key-policy', 'identity-policy'] },
  check(context) {
    const { model, edits } = context;
    if (model.kind === 'resource-policy') return;
    const allows = model.statements.filter(isAllow);
    const grantsUse = (s: Statement) => CRYPTO_ACTIONS.some((a) => statementCovers(s, a));
    if (model.kind === 'identity-policy') {
      const usesKeys = allows.filter((s) => grantsUse(s) && kmsArnItems(s).length > 0);
      if (usesKeys.length === 0 || allows.some((s) => statementCovers(s, 'kms:DescribeKey'))) return;
      reportMissing(usesKeys[0]);
      return;
    }
    const describers = new Set<string>();
    for (const s of allows) if (statementCovers(s, 'kms:DescribeKey')) for (const p of awsPrincipalItems(s)) describers.add(p.value);
    for (const statement of allows) {
      if (!grantsUse(statement)) continue;
      const principals = awsPrincipalItems(statement);
      if (principals.length > 0 && !principals.every((p) => describers.has(p.value))) reportMissing(statement);
    }
    function reportMissing(statement: Statement) {
      const actions = statement.actions!;
      context.report(actions.element.keySpan, model.kind === 'identity-policy' ? IDENTITY_MESSAGE : KEY_POLICY_MESSAGE, {
        fixes: actions.negated ? [] : [{ title: 'Add "kms:DescribeKey"', edits: [edits.addToList(actions.element.value, actions.items, ['kms:DescribeKey'])], safe: true }],
      });
    }
  },
});
