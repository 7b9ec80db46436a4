/** Condition blocks of a statement, as the condition rules walk them (operators are read by engine/access/operators.ts). */
import type { ConditionEntry, Statement } from '../model';

/** Each operator block once, with the entries under it. */
export function operatorBlocks(statement: Statement): Map<ConditionEntry['operatorProperty'], ConditionEntry[]> {
  const blocks = new Map<ConditionEntry['operatorProperty'], ConditionEntry[]>();
  for (const entry of statement.conditions) {
    const list = blocks.get(entry.operatorProperty) ?? [];
    list.push(entry);
    blocks.set(entry.operatorProperty, list);
  }
  // Operator blocks with no keys still need checking.
  for (const operator of statement.condition?.value.children ?? []) if (!blocks.has(operator)) blocks.set(operator, []);
  return blocks;
}

export function siblingOperatorExists(statement: Statement, name: string): boolean {
  return (statement.condition?.value.children ?? []).some((p) => p.children?.[0]?.value === name);
}
