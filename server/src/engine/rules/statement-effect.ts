import { closestMatch } from '../text';
import { documentRule } from '../ruleSupport/context';
import { statementAnchor } from '../ruleSupport/grammar';

export default documentRule({
  meta: { id: 'statement-effect', awsChecks: ['MISSING_EFFECT', 'INVALID_EFFECT'], severity: 'error', category: 'grammar', summary: 'Effect is missing or not exactly Allow or Deny.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      const element = statement.elements.get('Effect');
      if (!element) {
        context.report(statementAnchor(statement), 'This statement has no Effect: every statement needs "Effect": "Allow" or "Deny".');
        continue;
      }
      const effect = statement.effect;
      // A value the template fills in (`try(each.value.effect, null)`, `!Ref Effect`) is judged where it is written.
      if (!effect || effect.value === 'Allow' || effect.value === 'Deny' || effect.node.parts) continue;
      const suggestion = closestMatch(effect.value.trim(), ['Allow', 'Deny'], 2);
      context.report(effect, `Effect must be exactly "Allow" or "Deny" (case-sensitive), not "${effect.value}".`, {
        fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [context.edits.replaceString(effect, suggestion)], safe: effect.value.trim().toLowerCase() === suggestion.toLowerCase() }] : [],
      });
    }
  },
});
