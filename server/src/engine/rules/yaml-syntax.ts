import { reportedElsewhere } from '../ruleSupport/context';

// No check of its own: the YAML hosts (CloudFormation, SAM, Serverless, Pulumi, Ansible) report the
// parser's first error while reading (hosts/cloudformation/yamlTree.ts#reportYamlErrors).
export default reportedElsewhere('parse', {
  id: 'yaml-syntax', severity: 'error', category: 'json', summary: 'A template or configuration that is not valid YAML: read only as far as the parser recovered.', security: false,
});
