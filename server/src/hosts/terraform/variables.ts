/**
 * Terraform variable definitions files (`*.tfvars`), read with the same grammar as modules: each
 * top-level `name = value` whose value is a literal (a string without interpolation, a number, a
 * boolean) is a value for `var.name`. Lists, maps and expressions are not values a policy string
 * takes here, and are listed as skipped.
 */
import { ExpressionReader } from './expressions';
import { HclEditor } from './editor';
import { walkModule } from './index';
import { copySubtree, firstNamed, named } from './syntax';

export interface VariableValues {
  values: Record<string, string>;
  /** Names whose value is not a literal. */
  skipped: string[];
  /** The text does not parse as HCL (undefined when it does). */
  syntaxError?: { offset: number };
}

/** The literal values a `.tfvars` text assigns; undefined without the grammar. */
export function readVariableValues(text: string): VariableValues | undefined {
  return walkModule(text, (cursor, tree) => {
    const root = copySubtree(cursor, text);
    const result: VariableValues = { values: {}, skipped: [] };
    if (tree.rootNode.hasError) {
      // An ERROR node where there is one; a missing token (an unclosed brace) has none to point at.
      result.syntaxError = { offset: findError(root)?.startIndex ?? text.length };
      return result;
    }
    const reader = new ExpressionReader(text, new HclEditor(text));
    for (const body of named(root)) {
      if (body.type !== 'body') continue;
      for (const item of named(body)) {
        if (item.type !== 'attribute') continue;
        const name = firstNamed(item, 'identifier')?.text;
        const expression = firstNamed(item, 'expression');
        if (!name || !expression || expression.startIndex === expression.endIndex) {
          // `name =` with nothing after it: tree-sitter recovers with a missing value.
          result.syntaxError = { offset: item.startIndex };
          return result;
        }
        const value = reader.value(expression, undefined, 0);
        if (!value.parts && (value.type === 'string' || value.type === 'number' || value.type === 'boolean')) result.values[name] = String(value.value);
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
