/** Inserting a statement into a policy: into Statement, creating it (or the whole policy) if absent. */
import { parseTree, type Node } from 'jsonc-parser';
import { JsonEditor } from '../hosts/json/editor';
import { applyEdits } from '../engine/text';
import type { Span, TextEdit } from '../engine/types';
import type { Analysis } from '../project';

/** The Sids of the document's statements. */
function sidsOf(analysis: Analysis): Set<string> {
  const sids = new Set<string>();
  for (const statement of analysis.result.model?.statements ?? []) {
    const sid = statement.node.children?.find((p) => p.children?.[0]?.value === 'Sid')?.children?.[1];
    if (sid?.type === 'string') sids.add(sid.value as string);
  }
  return sids;
}

/**
 * A Sid no statement of the document uses: the proposed one, else with a number appended
 * ("UseSharedKey2", "Allow use of the key by 444455556666 2"). Identity policies allow only
 * letters and digits in a Sid, so the number is appended bare there.
 */
export function uniqueSid(sid: string, taken: Set<string>): string {
  if (!taken.has(sid)) return sid;
  const bare = /^[A-Za-z0-9]*$/.test(sid);
  for (let n = 2; ; n++) {
    const candidate = bare ? `${sid}${n}` : `${sid} ${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function insertStatementEdit(analysis: Analysis, statement: Record<string, unknown>): TextEdit {
  const model = analysis.result.model;
  const edits = new JsonEditor(analysis.text);
  if (!model) {
    if (analysis.text.trim() === '') {
      return { start: 0, end: analysis.text.length, newText: edits.format({ Version: '2012-10-17', Statement: [statement] }, '') + edits.eol };
    }
    throw new Error('This file is not a policy: it has no top-level object with "Statement".');
  }
  const list = model.statementElement?.value;
  if (!list) return edits.addProperty(model.root, 'Statement', [statement]);
  if (list.type === 'array') return edits.appendToArray(list, statement);
  if (list.type === 'object') {
    const existing = JSON.parse(analysis.text.slice(list.offset, list.offset + list.length));
    return edits.replaceValue(list, [existing, statement]);
  }
  throw new Error('"Statement" holds neither an array nor an object; fix it first.');
}

/**
 * The edit that inserts the statement (its Sid made unique in the document), and where the
 * statement lies in the text once the edit is applied, for the editor to reveal and select.
 */
export function insertStatement(analysis: Analysis, statement: Record<string, unknown>): { edit: TextEdit; inserted?: Span; newText: string } {
  const sid = typeof statement.Sid === 'string' ? uniqueSid(statement.Sid, sidsOf(analysis)) : undefined;
  const final = sid === undefined ? statement : { ...statement, Sid: sid };
  const edit = insertStatementEdit(analysis, final);
  const newText = applyEdits(analysis.text, [edit]);
  const root = parseTree(newText);
  const statements = root?.children?.find((p) => p.children?.[0]?.value === 'Statement')?.children?.[1];
  const nodes: Node[] = statements?.type === 'array' ? statements.children ?? [] : statements ? [statements] : [];
  const node = nodes.find((n) => n.children?.some((p) => p.children?.[0]?.value === 'Sid' && p.children?.[1]?.value === sid)) ?? nodes[nodes.length - 1];
  return { edit, newText, inserted: node ? { start: node.offset, end: node.offset + node.length } : undefined };
}
