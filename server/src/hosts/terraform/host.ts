/** The Terraform host in the registry: `.tf` and `.tofu` modules, read once its grammar is loaded. */
import type { Host } from '../host';
import { hostIdOfFileName } from '../fileNames';
import { attachedTerraformPolicies, isTerraformKeyWithoutPolicy, terraformBoundary, terraformKeyFacts } from './attachments';
import { readTerraform, SyntaxTreeCache } from './index';

export const terraformHost: Host = {
  id: 'terraform',
  claimsName: (fileName) => hostIdOfFileName(fileName) === 'terraform',
  // Until its grammar is loaded (`await loadTerraformGrammar()`), a module reads as holding no policy.
  read: (text, options) => (options.fileName && terraformHost.claimsName(options.fileName) ? readTerraform(text, options.buffers ? { trees: options.buffers.of('terraform', () => new SyntaxTreeCache()), key: options.fileName } : undefined, options.variables) : undefined),
  jsonFeatures: false,
  needsGrammar: true,
  attachedPolicies: (text, _fileName, kind, name) => attachedTerraformPolicies(text, kind, name),
  keyWithoutPolicy: (text, _fileName, address) => isTerraformKeyWithoutPolicy(text, address),
  keyFacts: (text, _fileName, address) => terraformKeyFacts(text, address),
  permissionsBoundary: (text, _fileName, kind, name) => terraformBoundary(text, kind, name),
};
