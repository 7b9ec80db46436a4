/**
 * Which host reads a text, and checking a whole text through it. Hosts are pure like the engine:
 * text and a file name in, policy trees with spans out.
 */
import type { Catalog } from '../engine/catalog';
import { checkPolicies, type CheckResult, type EngineHooks } from '../engine/check';
import type { PolicySource } from '../engine/tree';
import type { CheckOptions } from '../engine/types';
import { isTemplate, mayBeJsonTemplate, readCloudFormation, readJsonTemplateTree } from './cloudformation';
import { readJson } from './json';
import { isTerraformFileName, readTerraform } from './terraform';

/**
 * The file's name or path (any separator) decides the host where the text alone cannot:
 * `.yaml`/`.yml`/`.template` are read as CloudFormation, `.json` as a policy unless it is a
 * template (CDK's `cdk.out/*.template.json` included).
 */
export type ReadOptions = Pick<CheckOptions, 'fileName' | 'expectPolicy'>;

/** Reads the policies a text holds, with the host its name and content call for. */
export function readDocument(text: string, options: ReadOptions = {}): PolicySource {
  // Terraform needs its grammar loaded first (`await loadTerraformGrammar()`); until then a .tf reads as holding no policy.
  if (options.fileName && isTerraformFileName(options.fileName)) return readTerraform(text);
  const name = (options.fileName ?? '').toLowerCase();
  const yamlName = name.endsWith('.yaml') || name.endsWith('.yml');
  const templateName = name.endsWith('.template') || name.endsWith('.template.json');
  if (startsLikeJson(text)) {
    if (mayBeJsonTemplate(text) || templateName) {
      const tree = readJsonTemplateTree(text);
      if (tree && isTemplate(tree)) return readCloudFormation(text, 'json', tree);
    }
    // JSON that is no template stays with the JSON host, whatever its name (`policy.template.json`).
    if (!yamlName) return readJson(text, { expectPolicy: options.expectPolicy, fileName: options.fileName });
  }
  if (yamlName || templateName) return readCloudFormation(text, 'yaml');
  if (!name.endsWith('.json') && (text.includes('AWSTemplateFormatVersion') || text.includes('Resources'))) {
    const source = readCloudFormation(text, 'yaml');
    if (source.policies.length > 0) return source;
  }
  return readJson(text, { expectPolicy: options.expectPolicy, fileName: options.fileName });
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

/** Checks every policy a text holds. */
export function checkDocument(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readDocument(text, options), catalog, options, hooks);
}

/** Checks a standalone JSON policy text (the host most tests and tools start from). */
export function checkText(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readJson(text, { expectPolicy: options.expectPolicy }), catalog, options, hooks);
}
