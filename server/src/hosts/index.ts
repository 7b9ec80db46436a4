/**
 * Which host reads a text, and checking a whole text through it. Hosts are pure like the engine:
 * text and a file name in, policy trees with spans out.
 */
import type { Catalog } from '../engine/catalog';
import { checkPolicies, type CheckResult, type EngineHooks } from '../engine/check';
import type { PolicySource } from '../engine/tree';
import type { CheckOptions } from '../engine/types';
import { readJson } from './json';

export type ReadOptions = Pick<CheckOptions, 'fileName' | 'expectPolicy'>;

/** Reads the policies a text holds, with the host its name and content call for. */
export function readDocument(text: string, options: ReadOptions = {}): PolicySource {
  return readJson(text, { expectPolicy: options.expectPolicy, fileName: options.fileName });
}

/** Checks every policy a text holds. */
export function checkDocument(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readDocument(text, options), catalog, options, hooks);
}

/** Checks a standalone JSON policy text (the host most tests and tools start from). */
export function checkText(text: string, catalog: Catalog, options: CheckOptions = {}, hooks: EngineHooks = {}): CheckResult {
  return checkPolicies(readJson(text, { expectPolicy: options.expectPolicy }), catalog, options, hooks);
}
