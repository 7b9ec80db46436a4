/** Helpers the policy-grammar rules share (each rule lives in its own file beside this one). */
import type { Statement } from '../model';
import type { Fix, Span } from '../types';
import type { RuleContext } from './context';

/** The opening brace: where statement-level findings without a better anchor go. */
export function statementAnchor(statement: Statement): Span {
  const sid = statement.elements.get('Sid');
  return sid ? sid.propertySpan : { start: statement.span.start, end: statement.span.start + 1 };
}

export function renameFix(context: RuleContext, keySpan: Span, from: string, to: string): Fix {
  return { title: `Rename "${from}" to "${to}"`, edits: [context.edits.renameKey(keySpan, to)], safe: from.toLowerCase() === to.toLowerCase() };
}
