import { isWhollyUnknown } from '../tree';
import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'statement-missing', awsChecks: ['MISSING_STATEMENT'], severity: 'error', category: 'grammar', summary: 'A policy without a Statement element.', security: false, wholePolicy: true },
  check(context) {
    const { model } = context;
    const root = model.root;
    // A statement fragment has no Statement of its own; a root a template fills in whole is unknown.
    if (model.statementElement || root.type !== 'object' || isWhollyUnknown(root)) return;
    context.report({ start: root.offset, end: root.offset + 1 }, 'This policy has no Statement, so it allows and denies nothing and AWS rejects it. Add "Statement": [ ... ] with at least one statement.');
  },
});
