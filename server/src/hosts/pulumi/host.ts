/**
 * The Pulumi YAML host in the registry: `Pulumi.yaml` (and `Pulumi.yml`), in any folder. It comes
 * before the CloudFormation host, which claims every `.yaml`.
 */
import type { Host } from '../host';
import { readPulumi } from './index';

const PROJECT_FILE = /(^|[\\/])Pulumi\.ya?ml$/;

export function isPulumiFile(fileName: string | undefined): boolean {
  return fileName !== undefined && PROJECT_FILE.test(fileName);
}

export const pulumiHost: Host = {
  id: 'pulumi',
  claimsName: isPulumiFile,
  read: (text, options) => (isPulumiFile(options.fileName) ? readPulumi(text) : undefined),
  jsonFeatures: false,
  needsGrammar: false,
};
