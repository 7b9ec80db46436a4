/**
 * Terraform variable files for `--var-file`: `*.tfvars` (HCL, read with the module grammar) and
 * `*.tfvars.json`, as `terraform plan -var-file` takes them. Later files win, as in Terraform.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { VariableValue } from '../engine/types';
import { readVariableValues } from '../hosts/terraform/variables';
import { loadTerraformGrammar } from '../project/grammars';

export class VariablesError extends Error {}

export async function readVarFiles(files: readonly string[], cwd: string): Promise<Record<string, VariableValue> | undefined> {
  if (files.length === 0) return undefined;
  const values: Record<string, VariableValue> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new VariablesError(`--var-file ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})`}`);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (/\.json$/i.test(file)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new VariablesError(`--var-file ${file}: not JSON`);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new VariablesError(`--var-file ${file}: not a variables file (a JSON object of variable names to values)`);
      for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
        const literal = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
        if (literal(value)) values[name] = String(value);
        else if (Array.isArray(value) && value.every(literal)) values[name] = value.map(String);
        // A map, null or a list of anything else: the module's own value again, whatever an earlier file gave.
        else delete values[name];
      }
      continue;
    }
    const read = readVariableValues(text, await loadTerraformGrammar());
    if (!read) throw new VariablesError(`--var-file ${file}: could not be read as HCL`);
    if (read.problem) {
      const line = text.slice(0, read.problem.offset).split('\n').length;
      throw new VariablesError(`--var-file ${file}:${line}: ${read.problem.message}`);
    }
    Object.assign(values, read.values);
    for (const name of read.skipped) delete values[name];
  }
  return values;
}
