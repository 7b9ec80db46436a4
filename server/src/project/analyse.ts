/**
 * The one call into the engine. Everything that checks a text (the project layer, fix-all in
 * the server, the CLI through the project) goes through `analyseText`, so the engine's entry
 * can change in one place.
 */
import { sharedCatalog } from '../catalog/iamData';
import { applySeverities, type CheckResult, type EngineHooks } from '../engine/check';
import { checkDocument, type DocumentCheckOptions } from '../hosts';

export type { CheckResult, EngineHooks };
export { applySeverities };

export function analyseText(text: string, options: DocumentCheckOptions, hooks: EngineHooks = {}): CheckResult {
  return checkDocument(text, sharedCatalog(), options, hooks);
}
