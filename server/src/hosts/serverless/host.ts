/**
 * The Serverless Framework host in the registry: `serverless.yml` and `serverless.yaml`, in any
 * folder. It must come before the CloudFormation host, which claims every `.yml`.
 */
import type { Host } from '../host';
import { attachedServerlessPolicies, isServerlessKeyWithoutPolicy } from './attachments';
import { readServerless } from './index';

/** The service file's base name (Serverless reads `serverless.yml`, else `serverless.yaml`). */
const SERVICE_FILE = /(^|[\\/])serverless\.ya?ml$/i;

export function isServerlessFile(fileName: string | undefined): boolean {
  return fileName !== undefined && SERVICE_FILE.test(fileName);
}

export const serverlessHost: Host = {
  id: 'serverless',
  claimsName: isServerlessFile,
  read: (text, options) => (isServerlessFile(options.fileName) ? readServerless(text) : undefined),
  jsonFeatures: false,
  needsGrammar: false,
  attachedPolicies: (text, _file, kind, name) => attachedServerlessPolicies(text, kind, name),
  keyWithoutPolicy: (text, _file, address) => isServerlessKeyWithoutPolicy(text, address),
};
