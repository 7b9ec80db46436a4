import { documentRule } from '../ruleSupport/context';
import { literalText } from '../ruleSupport/policyChecks';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export default documentRule({
  meta: { id: 'condition-binary-value', awsChecks: ['TYPE_MISMATCH_STRING'], severity: 'warning', category: 'condition', summary: 'A BinaryEquals value that is not base64.', security: false, conditionsOnly: true },
  check(context) {
    for (const statement of context.model.statements) {
      for (const entry of statement.conditions) {
        if (entry.parsed?.family !== 'Binary') continue;
        for (const value of entry.values) {
          const text = literalText(value);
          if (text === undefined || (text !== '' && BASE64.test(text))) continue;
          context.report(value, `BinaryEquals compares a binary value written in base64, and "${text}" is not base64, so it never matches as meant. Write the bytes base64-encoded.`);
        }
      }
    }
  },
});
