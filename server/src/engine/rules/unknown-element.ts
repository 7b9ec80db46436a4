import type { PolicyNode as Node } from '../tree';
import { propertiesOf } from '../model';
import { closestMatch } from '../text';
import { documentRule } from '../ruleSupport/context';
import { renameFix } from '../ruleSupport/grammar';

const TOP_ELEMENTS = ['Version', 'Id', 'Statement'];
const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

export default documentRule({
  meta: { id: 'unknown-element', awsChecks: ['INVALID_POLICY_ELEMENT'], severity: 'error', category: 'grammar', summary: 'An element name that is not part of the policy grammar.', security: false },
  check(context) {
    const { model } = context;
    const checkKeys = (node: Node, allowed: string[], where: string) => {
      // Nearly every key is allowed: look at the key text first, build an element only to report.
      const properties = node.children ?? [];
      if (properties.every((p) => allowed.includes(p.children?.[0]?.value))) return;
      for (const element of propertiesOf(node)) {
        if (allowed.includes(element.name)) continue;
        const suggestion = closestMatch(element.name, allowed, 2);
        context.report(
          element.keySpan,
          `"${element.name}" is not a${where} policy element, so AWS rejects the policy.${suggestion ? ` Did you mean "${suggestion}"?` : ` Allowed: ${allowed.join(', ')}.`}`,
          suggestion ? { fixes: [renameFix(context, element.keySpan, element.name, suggestion)] } : {},
        );
      }
    };
    // A fragment's root is a statement (or an array of them), not a policy.
    if (!model.fragment) checkKeys(model.root, TOP_ELEMENTS, ' top-level');
    for (const statement of model.statements) checkKeys(statement.node, STATEMENT_ELEMENTS, ' statement');
  },
});
