import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the CloudFormation host reports it while reading the template
// (hosts/cloudformation/serviceKeys.ts), where a resource names the key a service encrypts with.
export default reportedElsewhere('parse', {
  id: 'service-key-unusable', severity: 'error', category: 'kms', summary: "A resource encrypted with a template key its service cannot use: the key's ID where its ARN is needed, or a key policy that does not let the service principal use the key.", security: false,
});
