import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: engine/check.ts reports it while parsing (the parser's errors, an empty
// document, nesting too deep to be a policy).
export default reportedElsewhere('parse', {
  id: 'json-syntax', awsChecks: ['JSON_SYNTAX_ERROR'], severity: 'error', category: 'json', summary: 'The document is not valid JSON.', security: false,
});
