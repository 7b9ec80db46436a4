import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the Terraform plan host reports it while reading (hosts/tfplan/index.ts), for a
// plan or state whose format_version has a major version it does not know.
export default reportedElsewhere('parse', {
  id: 'plan-format-version', severity: 'error', category: 'json', summary: "A Terraform plan or state JSON of a format major version Keyshare does not read: reported, not read.", security: false,
});
