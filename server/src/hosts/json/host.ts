/** The JSON host in the registry: standalone policies, JSON templates and wrappers; it reads whatever no other host claims. */
import type { Host } from '../host';
import { hostIdOfFileName } from '../fileNames';
import { readJson } from './index';

export const jsonHost: Host = {
  id: 'json',
  claimsName: (fileName) => hostIdOfFileName(fileName) === 'json',
  read: (text, options) => readJson(text, { expectPolicy: options.expectPolicy, fileName: options.fileName }),
  jsonFeatures: true,
  needsGrammar: false,
};
