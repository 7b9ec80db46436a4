import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the Terraform host reports it while reading an aws_kms_grant
// (hosts/terraform/blocks.ts), on each operation that no grant can allow.
export default reportedElsewhere('parse', {
  id: 'grant-operation-invalid', severity: 'error', category: 'kms', summary: 'A KMS grant operation that grants cannot allow (a misspelling, "kms:" before it, or an administrative action).', security: false,
});
