/**
 * The Ansible host in the registry: playbooks and task files (any `.yml`/`.yaml`) that use the AWS
 * collection's KMS and IAM modules, known by content. It comes before the CloudFormation host.
 */
import type { Host } from '../host';
import { mayBeAnsible, readAnsible } from './index';

export const ansibleHost: Host = {
  id: 'ansible',
  // No name of its own: a `.yml` is CloudFormation's by name, and this host reads it first when its tasks say so.
  claimsName: () => false,
  read: (text, options) => (options.fileName && /\.ya?ml$/i.test(options.fileName) && mayBeAnsible(text) ? readAnsible(text) : undefined),
  jsonFeatures: false,
  needsGrammar: false,
};
