import { spanOf } from '../model';
import type { Fix } from '../types';
import { documentRule } from './context';

export default documentRule({
  meta: { id: 'policy-version', severity: 'warning', category: 'grammar', summary: 'Version is missing, old (2008-10-17) or invalid.', security: false, wholePolicy: true },
  check(context) {
    const { model, edits } = context;
    const version = model.topElements.get('Version');
    if (!version) {
      context.report({ start: model.root.offset, end: model.root.offset + 1 }, 'No Version: AWS then uses 2008-10-17, where policy variables such as ${aws:username} stay literal text. Add "Version": "2012-10-17".', {
        fixes: [{ title: 'Add "Version": "2012-10-17"', edits: [edits.addFirstProperty(model.root, 'Version', '2012-10-17')], safe: true }],
      });
      return;
    }
    if (version.value.type !== 'string') return; // element-type reports it
    const value = version.value.value as string;
    if (value === '2012-10-17') return;
    const fix: Fix = { title: 'Use "2012-10-17"', edits: [edits.replaceString(spanOf(version.value), '2012-10-17')], safe: true };
    if (value === '2008-10-17') {
      context.report(spanOf(version.value), 'Version 2008-10-17 is the old policy language: policy variables such as ${aws:username} are not substituted. Use 2012-10-17.', { fixes: [fix] });
    } else {
      context.report(spanOf(version.value), `"${value}" is not a policy language version; AWS accepts only "2012-10-17" (current) and "2008-10-17".`, { severity: 'error', fixes: [fix] });
    }
  },
});
