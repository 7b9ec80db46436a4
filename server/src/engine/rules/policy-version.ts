import { spanOf, type PolicyModel } from '../model';
import { isPolicyVariable, POLICY_VARIABLE } from '../arn';
import type { Fix } from '../types';
import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'policy-version', awsChecks: ['MISSING_VERSION', 'INVALID_VERSION', 'VARIABLE_UNSUPPORTED_IN_VERSION'], severity: 'warning', category: 'grammar', summary: 'Version is missing, old (2008-10-17) or invalid.', security: false, wholePolicy: true },
  check(context) {
    const { model, edits } = context;
    const version = model.topElements.get('Version');
    if (!version) {
      // Without policy variables nothing depends on the version: Access Analyzer's "Missing version" advice.
      const variables = usesPolicyVariables(model);
      const message = variables
        ? 'No Version: AWS then uses 2008-10-17, where the policy variables here (such as ${aws:username}) stay literal text and match nothing. Add "Version": "2012-10-17".'
        : 'No Version: AWS then uses the old policy language (2008-10-17), where policy variables stay literal text; none is used here yet. Add "Version": "2012-10-17".';
      context.report({ start: model.root.offset, end: model.root.offset + 1 }, message, {
        severity: variables ? 'warning' : 'info',
        fixes: [{ title: 'Add "Version": "2012-10-17"', edits: [edits.addFirstProperty(model.root, 'Version', '2012-10-17')], safe: true }],
      });
      return;
    }
    if (version.value.type !== 'string' || version.value.parts) return; // element-type reports a wrong type; a template may fill it in
    const value = version.value.value as string;
    if (value === '2012-10-17') return;
    const fix: Fix = { title: 'Use "2012-10-17"', edits: [edits.replaceString(spanOf(version.value), '2012-10-17')], safe: true };
    if (value === '2008-10-17') {
      if (usesPolicyVariables(model)) {
        context.report(spanOf(version.value), 'Version 2008-10-17 is the old policy language: the policy variables here (such as ${aws:username}) are not substituted but read as literal text, so they match nothing. Use 2012-10-17.', { severity: 'error', fixes: [fix] });
      } else {
        context.report(spanOf(version.value), 'Version 2008-10-17 is the old policy language: policy variables such as ${aws:username} are not substituted. Use 2012-10-17.', { fixes: [fix] });
      }
    } else {
      context.report(spanOf(version.value), `"${value}" is not a policy language version; AWS accepts only "2012-10-17" (current) and "2008-10-17".`, { severity: 'error', fixes: [fix] });
    }
  },
});

/** Whether a Resource or Condition value of the policy holds an IAM policy variable (`${aws:username}`). */
function usesPolicyVariables(model: PolicyModel): boolean {
  const has = (value: unknown) => typeof value === 'string' && value.includes('${') && [...value.matchAll(POLICY_VARIABLE)].some((m) => isPolicyVariable(m[0].slice(2, -1)) && !['*', '?', '$'].includes(m[0].slice(2, -1)));
  for (const statement of model.statements) {
    if (statement.resources?.items.some((item) => has(item.value))) return true;
    if (statement.conditions.some((entry) => entry.values.some((v) => has(v.value)))) return true;
  }
  return false;
}
