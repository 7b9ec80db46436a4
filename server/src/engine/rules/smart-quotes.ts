import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the lexical scan (engine/scan.ts) reports it before parsing, with its fixes.
export default reportedElsewhere('parse', {
  id: 'smart-quotes', awsChecks: ['JSON_SYNTAX_ERROR'], severity: 'error', category: 'json', summary: 'Typographic quotes where JSON needs straight double quotes.', security: false,
});
