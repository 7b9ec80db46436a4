/**
 * The CloudFormation host in the registry: YAML and `.template` files, and JSON whose content is a
 * template (CDK's `cdk.out/*.template.json`); other JSON, whatever its name, stays with the JSON host.
 */
import type { Host } from '../host';
import { hostIdOfFileName } from '../fileNames';
import { attachedPolicyResources, isTemplateKeyWithoutPolicy, templateBoundary, templateKeyFacts } from './attachments';
import { isTemplate, mayBeJsonTemplate, readCloudFormation, readJsonTemplateTree } from './index';
import { YamlTreeCache } from './yamlIncremental';

const YAML_NAME = /\.ya?ml$/i;
const TEMPLATE_NAME = /\.template(\.json)?$/i;

export const cloudFormationHost: Host = {
  id: 'cloudformation',
  claimsName: (fileName) => hostIdOfFileName(fileName) === 'cloudformation',
  read(text, options) {
    const name = options.fileName ?? '';
    const yamlName = YAML_NAME.test(name);
    const templateName = TEMPLATE_NAME.test(name);
    if (startsLikeJson(text)) {
      if (mayBeJsonTemplate(text) || templateName) {
        const tree = readJsonTemplateTree(text);
        if (tree && isTemplate(tree)) return readCloudFormation(text, 'json', tree, options.parameters);
      }
      // JSON that is no template stays with the JSON host, whatever its name (`policy.template.json`).
      if (!yamlName) return undefined;
    }
    const buffer = options.buffers && name ? { trees: options.buffers.of('cloudformation', () => new YamlTreeCache()), key: name } : undefined;
    if (yamlName || templateName) return readCloudFormation(text, 'yaml', undefined, options.parameters, buffer);
    if (!/\.json$/i.test(name) && (text.includes('AWSTemplateFormatVersion') || text.includes('Resources'))) {
      const source = readCloudFormation(text, 'yaml', undefined, options.parameters, buffer);
      if (source.policies.length > 0) return source;
    }
    return undefined;
  },
  jsonFeatures: false,
  needsGrammar: false,
  attachedPolicies: (text, file, kind, name) => attachedPolicyResources(text, isJsonName(file.fileName), kind, name),
  keyWithoutPolicy: (text, file, address) => isTemplateKeyWithoutPolicy(text, isJsonName(file.fileName), address),
  keyFacts: (text, file, address) => templateKeyFacts(text, isJsonName(file.fileName), address),
  permissionsBoundary: (text, file, kind, name) => templateBoundary(text, isJsonName(file.fileName), kind, name),
};

/** A template read as JSON: any name but YAML's and `.template`. */
function isJsonName(fileName: string): boolean {
  return !/\.(ya?ml|template)$/i.test(fileName);
}

/** The first character after white space and a byte order mark is `{`. */
function startsLikeJson(text: string): boolean {
  for (let i = 0; i < text.length && i < 4096; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d || ch === 0xfeff) continue;
    return ch === 0x7b;
  }
  return false;
}
