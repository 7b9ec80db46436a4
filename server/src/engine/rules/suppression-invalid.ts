import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: hosts read `# keyshare:ignore` comments and CloudFormation Metadata
// (engine/suppressions.ts), and the engine reports each one that hides nothing for want of a
// rule id it knows or a reason.
export default reportedElsewhere('parse', {
  id: 'suppression-invalid', severity: 'warning', category: 'config', summary: 'A keyshare:ignore comment or Metadata entry without a known rule id or a reason: it hides nothing.', security: false,
});
