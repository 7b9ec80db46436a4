import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the lexical scan (engine/scan.ts) reports it before parsing, with its fixes.
export default reportedElsewhere('parse', {
  id: 'json-strict', awsChecks: ['JSON_SYNTAX_ERROR'], severity: 'error', category: 'json', summary: 'Comments, trailing commas or non-JSON whitespace (such as U+00A0) that AWS rejects.', security: false,
});
