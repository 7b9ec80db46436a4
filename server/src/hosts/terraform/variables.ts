/**
 * Terraform variable definitions files (`*.tfvars`), read with the same grammar as modules: each
 * top-level `name = value` whose value is a literal (a string without interpolation, a number, a
 * boolean) or a list of literals is a value for `var.name`. A map, null or a list of anything else
 * is listed as skipped, and left to the module. What Terraform refuses in such a file (blocks, references) is a problem.
 */
import { ExpressionReader } from './expressions';
import { HclEditor } from './editor';
import { walkModule } from './index';
import type { VariableValue } from '../../engine/types';
import { copySubtree, firstNamed, named, type TerraformParser } from './syntax';

export interface VariableValues {
  values: Record<string, VariableValue>;
  /** Names whose value is a map, null, or a list not all literals: left to the module. */
  skipped: string[];
  /** What Terraform would refuse in the file (a syntax error, a block, a reference, a name given twice), and where. */
  problem?: { offset: number; message: string };
}

/** The literal values a `.tfvars` text assigns; undefined without the grammar. */
export function readVariableValues(text: string, parser: TerraformParser): VariableValues | undefined {
  return walkModule(parser, text, (cursor, tree) => {
    const root = copySubtree(cursor, text);
    const result: VariableValues = { values: {}, skipped: [] };
    if (tree.rootNode.hasError) {
      // An ERROR node where there is one; a missing token (an unclosed brace) has none to point at.
      result.problem = { offset: findError(root)?.startIndex ?? text.length, message: 'not a variables file (expected name = value lines)' };
      return result;
    }
    const reader = new ExpressionReader(text, new HclEditor(text));
    const seen = new Set<string>();
    for (const body of named(root)) {
      if (body.type !== 'body') continue;
      for (const item of named(body)) {
        if (item.type === 'block') {
          result.problem = { offset: item.startIndex, message: 'a variables file holds name = value lines, not blocks (is this a module?)' };
          return result;
        }
        if (item.type !== 'attribute') continue;
        const name = firstNamed(item, 'identifier')?.text;
        const expression = firstNamed(item, 'expression');
        if (!name || !expression || expression.startIndex === expression.endIndex) {
          // `name =` with nothing after it: tree-sitter recovers with a missing value.
          result.problem = { offset: item.startIndex, message: 'not a variables file (expected name = value lines)' };
          return result;
        }
        if (seen.has(name)) {
          result.problem = { offset: item.startIndex, message: `${name} is given twice` };
          return result;
        }
        seen.add(name);
        const value = reader.value(expression, undefined, 0);
        if (value.parts) {
          result.problem = { offset: expression.startIndex, message: `${name}: a variables file holds literal values only, not references or function calls` };
          return result;
        }
        const literal = (n: typeof value) => n.type === 'string' || n.type === 'number' || n.type === 'boolean';
        if (literal(value)) result.values[name] = String(value.value);
        else if (value.type === 'array' && (value.children ?? []).every((c) => literal(c) && !c.parts)) result.values[name] = (value.children ?? []).map((c) => String(c.value));
        else result.skipped.push(name);
      }
    }
    return result;
  });
}

function findError(node: ReturnType<typeof copySubtree>): ReturnType<typeof copySubtree> | undefined {
  if (node.type === 'ERROR') return node;
  for (const child of node.children) {
    const found = findError(child);
    if (found) return found;
  }
  return undefined;
}
