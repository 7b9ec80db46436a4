/**
 * Which host reads a text, and checking a whole text through it. Hosts are pure like the engine:
 * text and a file name in, policy trees with spans out.
 */
import type { Catalog } from '../engine/catalog';
import { checkPolicies, type CheckResult, type EngineHooks } from '../engine/check';
import type { PolicySource } from '../engine/tree';
import type { CheckOptions } from '../engine/types';
import { readJson } from './json';
import { isTerraformFileName, readTerraform } from './terraform';

export interface ReadOptions {
  /** The file's name or path (any separator); decides the host where the text alone cannot. */
  fileName?: string;
  /** The file claims to be a policy (its name or configuration). */
  expectPolicy?: boolean;
}

/** Reads the policies a text holds, with the host its name and content call for. */
export function readDocument(text: string, options: ReadOptions = {}): PolicySource {
  // Terraform needs its grammar loaded first (`await loadTerraformGrammar()`); until then a .tf reads as holding no policy.
  if (options.fileName && isTerraformFileName(options.fileName)) return readTerraform(text);
  return readJson(text, { expectPolicy: options.expectPolicy });
}

/** Checks every policy a text holds. */
export function checkDocument(text: string, catalog: Catalog, options: CheckOptions & ReadOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readDocument(text, options), catalog, options, hooks);
}

/** Checks a standalone JSON policy text (the host most tests and tools start from). */
export function checkText(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readJson(text, { expectPolicy: options.expectPolicy }), catalog, options, hooks);
}
