/** The Terraform host in the registry: `.tf` and `.tofu` modules, read once its grammar is loaded. */
import type { Host } from '../host';
import { hostIdOfFileName } from '../fileNames';
import { attachedTerraformPolicies, isTerraformKeyWithoutPolicy, terraformBoundary, terraformKeyFacts } from './attachments';
import { readTerraform, SyntaxTreeCache } from './index';

export const terraformHost: Host = {
  id: 'terraform',
  claimsName: (fileName) => hostIdOfFileName(fileName) === 'terraform',
  // Without its grammar (`options.grammars.terraform`), a module reads as holding no policy.
  read: (text, options) => (options.fileName && terraformHost.claimsName(options.fileName) ? readTerraform(text, options.grammars?.terraform, options.buffers ? { trees: options.buffers.of('terraform', () => new SyntaxTreeCache()), key: options.fileName } : undefined, options.variables) : undefined),
  jsonFeatures: false,
  needsGrammar: true,
  attachedPolicies: (text, file, kind, name) => attachedTerraformPolicies(text, file.grammars?.terraform, kind, name),
  keyWithoutPolicy: (text, file, address) => isTerraformKeyWithoutPolicy(text, file.grammars?.terraform, address),
  keyFacts: (text, file, address) => terraformKeyFacts(text, file.grammars?.terraform, address),
  permissionsBoundary: (text, file, kind, name) => terraformBoundary(text, file.grammars?.terraform, kind, name),
};
