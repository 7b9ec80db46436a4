/** The Terraform JSON host in the registry: `*.tf.json` (and CDK for Terraform's `cdk.tf.json`). */
import type { Host } from '../host';
import { hostIdOfFileName } from '../fileNames';
import { readTerraformJson } from './index';

export const terraformJsonHost: Host = {
  id: 'terraform-json',
  claimsName: (fileName) => hostIdOfFileName(fileName) === 'terraform-json',
  read: (text, options) => (options.fileName && terraformJsonHost.claimsName(options.fileName) ? readTerraformJson(text, options.fileName, options.variables) : undefined),
  jsonFeatures: true,
  needsGrammar: false,
};
