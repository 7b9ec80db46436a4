import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the project layer checks keyshare.json's "expect" entries against the
// policies of the workspace (project/project.ts, crossFileFindings of a keyshare.json, through
// project/explain.ts and engine/access/evaluate.ts) and reports a failed one on its entry.
export default reportedElsewhere('config', {
  id: 'access-expectation', severity: 'error', category: 'config', summary: 'An expect entry of keyshare.json that the policies do not meet.', security: true,
});
