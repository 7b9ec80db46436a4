import { isWhollyUnknown } from '../tree';
import { spanOf } from '../model';
import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'principal-empty', awsChecks: ['EMPTY_OBJECT_PRINCIPAL'], severity: 'info', category: 'grammar', summary: 'A Principal (or NotPrincipal) that is an empty object.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      const principals = statement.principals;
      if (!principals) continue;
      const value = principals.element.value;
      if (value.type !== 'object' || (value.children ?? []).length > 0 || isWhollyUnknown(value)) continue;
      const name = principals.element.name;
      const effect = principals.negated
        ? 'it excludes no one'
        : statement.effect?.value === 'Deny'
          ? 'this statement denies no one'
          : 'this statement applies to no one and grants nothing';
      context.report(spanOf(value), `${name} is an empty object, so ${effect}. Name the principals, for example { "AWS": "arn:aws:iam::111122223333:role/app" }.`);
    }
  },
});
