/**
 * CloudFormation parameter files for `--parameters`: the AWS CLI's form
 * (`[{ "ParameterKey": "Env", "ParameterValue": "prod" }]`) and the template configuration file's
 * (`{ "Parameters": { "Env": "prod" } }`), as CodePipeline and cfn-policy-validator take them.
 */
import * as fs from 'fs';
import * as path from 'path';

export class ParametersError extends Error {}

export function readParameters(files: readonly string[], cwd: string): Record<string, string> | undefined {
  if (files.length === 0) return undefined;
  const values: Record<string, string> = {};
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ParametersError(`--parameters ${file}: ${code === 'ENOENT' ? 'no such file' : code ? `cannot be read (${code})` : 'not JSON'}`);
    }
    if (Array.isArray(parsed)) {
      for (const entry of parsed) {
        const key = (entry as { ParameterKey?: unknown })?.ParameterKey;
        const value = (entry as { ParameterValue?: unknown })?.ParameterValue;
        // The stack's current value, which only the deployed stack knows: the parameter stays unknown.
        if (typeof key === 'string' && (entry as { UsePreviousValue?: unknown }).UsePreviousValue === true && value === undefined) {
          delete values[key];
          continue;
        }
        if (typeof key !== 'string' || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
          throw new ParametersError(`--parameters ${file}: each entry is { "ParameterKey": ..., "ParameterValue": ... }`);
        }
        values[key] = String(value);
      }
    } else if (parsed && typeof parsed === 'object' && typeof (parsed as { Parameters?: unknown }).Parameters === 'object' && (parsed as { Parameters?: unknown }).Parameters !== null) {
      for (const [key, value] of Object.entries((parsed as { Parameters: Record<string, unknown> }).Parameters)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new ParametersError(`--parameters ${file}: the value of ${key} is not a string`);
        values[key] = String(value);
      }
    } else {
      throw new ParametersError(`--parameters ${file}: not a parameter file (an array of { "ParameterKey", "ParameterValue" }, or { "Parameters": { ... } })`);
    }
  }
  return values;
}
