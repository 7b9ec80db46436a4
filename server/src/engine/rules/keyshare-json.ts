import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: reading keyshare.json (workspace/config.ts, parseConfig and configFindings)
// reports it, in that file.
export default reportedElsewhere('config', {
  id: 'keyshare-json', severity: 'error', category: 'config', summary: 'An entry in keyshare.json that Keyshare cannot use, so it is ignored.', security: false,
});
