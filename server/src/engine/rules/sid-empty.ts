import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'sid-empty', awsChecks: ['EMPTY_SID_VALUE'], severity: 'info', category: 'grammar', summary: 'A Sid that is an empty string.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      const sid = statement.sid;
      if (!sid || sid.value !== '' || sid.node.parts) continue;
      const element = statement.elements.get('Sid')!;
      context.report(sid, 'Sid is an empty string: give the statement a name, or remove Sid (it is optional and changes no access).', {
        fixes: [{ title: 'Remove the empty Sid', edits: [context.edits.removeProperty(element.property)], safe: true }],
      });
    }
  },
});
