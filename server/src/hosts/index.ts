/**
 * Which host reads a text, and checking a whole text through it. Hosts are pure like the engine:
 * text and a file name in, policy trees with spans out.
 */
import type { Catalog } from '../engine/catalog';
import { checkPolicies, type CheckResult, type EngineHooks } from '../engine/check';
import type { PolicySource } from '../engine/tree';
import type { CheckOptions } from '../engine/types';
import { readJson } from './json';
import type { Grammars, Host } from './host';
import { jsonHost } from './json/host';
import { cloudFormationHost } from './cloudformation/host';
import { terraformHost } from './terraform/host';
import { terraformPlanHost } from './tfplan/host';
import { serverlessHost } from './serverless/host';
import { terraformJsonHost } from './tfjson/host';
import { pulumiHost } from './pulumi/host';
import { ansibleHost } from './ansible/host';

export type { Grammars, Host, TemplateFile } from './host';
export { HOST_FILE_GLOB, HOST_FILE_NAMES } from './fileNames';

/**
 * Every host, in the order they are asked: a host joins with one line here. The last one, the
 * JSON host, reads whatever the others leave.
 */
export const HOSTS: readonly Host[] = [terraformHost, terraformJsonHost, serverlessHost, pulumiHost, ansibleHost, cloudFormationHost, terraformPlanHost, jsonHost];

/**
 * The file's name or path (any separator) decides the host where the text alone cannot:
 * `.yaml`/`.yml`/`.template` are read as CloudFormation, `.json` as a policy unless it is a
 * template (CDK's `cdk.out/*.template.json` included).
 */
export type ReadOptions = Pick<CheckOptions, 'fileName' | 'expectPolicy' | 'parameters' | 'variables' | 'buffers'> & { grammars?: Grammars };

/** A check's options with the parsers its hosts read with. */
export type DocumentCheckOptions = CheckOptions & { grammars?: Grammars };

/** Reads the policies a text holds, with the host its name and content call for. */
export function readDocument(text: string, options: ReadOptions = {}): PolicySource {
  for (const host of HOSTS) {
    const source = host.read(text, options);
    if (source) return source;
  }
  return readJson(text, { expectPolicy: options.expectPolicy, fileName: options.fileName });
}

/** The host of this id (`PolicySource.host`). */
export function hostById(id: string | undefined): Host | undefined {
  return HOSTS.find((host) => host.id === id);
}

/** The host that reads a file of this name by its name alone, if any. */
export function hostOfFile(fileName: string): Host | undefined {
  return HOSTS.find((host) => host.claimsName(fileName));
}

/** Files of a host that may carry policies: what the project walks and watches. */
export function isHostFile(fileName: string): boolean {
  return hostOfFile(fileName) !== undefined;
}

/** Whether reading the file needs a parser loaded first (Terraform's grammar). */
export function needsGrammar(fileName: string): boolean {
  return hostOfFile(fileName)?.needsGrammar === true;
}

/** Checks every policy a text holds. */
export function checkDocument(text: string, catalog: Catalog, options: DocumentCheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  // The parsers are the hosts' business: the engine gets its own options only.
  const { grammars: _grammars, ...checkOptions } = options;
  return checkPolicies(readDocument(text, options), catalog, checkOptions, hooks);
}

/** Checks a standalone JSON policy text (the host most tests and tools start from). */
export function checkText(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readJson(text, { expectPolicy: options.expectPolicy }), catalog, options, hooks);
}
