import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the project layer reports it once a file's own and cross-file findings
// are known (project/project.ts, withInlineSuppressions), as either may be the one suppressed.
export default reportedElsewhere('parse', {
  id: 'suppression-unused', severity: 'hint', category: 'config', summary: 'A keyshare:ignore comment or Metadata entry that hides no finding.', security: false,
});
