/** Inserting a statement into a policy: into Statement, creating it (or the whole policy) if absent. */
import { JsonEditor } from '../hosts/json/editor';
import type { TextEdit } from '../engine/types';
import type { Analysis } from '../project';

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
