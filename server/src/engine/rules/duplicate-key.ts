import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: engine/check.ts reports it from the parse (the strict parser's duplicates,
// or a walk of the tolerant parser's tree).
export default reportedElsewhere('parse', {
  id: 'duplicate-key', severity: 'error', category: 'json', summary: 'The same key twice in one object.', security: false,
});
