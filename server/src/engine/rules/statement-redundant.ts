import type { PolicyNode } from '../tree';
import type { Statement } from '../model';
import { documentRule } from '../ruleSupport/context';
import { statementAnchor } from '../ruleSupport/grammar';

/**
 * A statement's content as one string, Sid left out: key order and list order change no
 * permission. A value a template fills in counts by how the template writes it (two `!If [...]`
 * are the same only when written the same), not by the label that stands for it.
 */
function canonical(node: PolicyNode, text: string, depth = 0): string {
  if (node.parts) return `T${JSON.stringify(text.slice(node.offset, node.offset + node.length))}`;
  switch (node.type) {
    case 'object': {
      const entries: string[] = [];
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value || (depth === 0 && key.value === 'Sid')) continue;
        entries.push(`${canonical(key, text, depth + 1)}:${canonical(value, text, depth + 1)}`);
      }
      return `{${entries.sort().join(',')}}`;
    }
    case 'array':
      return `[${(node.children ?? []).map((child) => canonical(child, text, depth + 1)).sort().join(',')}]`;
    case 'property':
      return '';
    default:
      return JSON.stringify(node.value ?? null);
  }
}

/** What two identical statements certainly share, built from the model's parts without walking the tree. */
function cheapKey(s: Statement): string {
  let key = `${s.effect?.value}|${s.actions?.signature}|${s.resources?.signature}|${s.elements.size}|`;
  const principals = s.principals;
  if (principals) key += principals.wildcard ? '*' : principals.entries.map((e) => `${e.type}=${e.items.map((i) => i.value).sort().join(',')}`).sort().join(';');
  return key + s.conditions.map((entry) => `${entry.operator}:${entry.lowerKey}:${entry.values.length}`).sort().join('|');
}

export default documentRule({
  meta: { id: 'statement-redundant', awsChecks: ['REDUNDANT_STATEMENT'], severity: 'info', category: 'grammar', summary: 'A statement identical to an earlier one (Sid aside).', security: false },
  check(context) {
    const statements = context.model.statements;
    if (statements.length < 2) return;
    // Statements with an Action list no other has cannot repeat one: most policies end here.
    const signatures = new Map<string | undefined, number>();
    for (const s of statements) signatures.set(s.actions?.signature, (signatures.get(s.actions?.signature) ?? 0) + 1);
    if (![...signatures.values()].some((n) => n > 1)) return;
    // A cheap key first (effect and the element lists' signatures): only statements that share it can be the same.
    const groups = new Map<string, number>();
    const cheap = statements.map(cheapKey);
    for (const key of cheap) groups.set(key, (groups.get(key) ?? 0) + 1);
    const seen = new Map<string, Statement>();
    for (let i = 0; i < statements.length; i++) {
      if (groups.get(cheap[i])! < 2) continue;
      const statement = statements[i];
      const key = canonical(statement.node, context.text);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, statement);
        continue;
      }
      context.report(statementAnchor(statement), `This statement repeats ${first.sid ? `statement "${first.sid.value}"` : 'an earlier statement'} (apart from its Sid): it grants or denies nothing more. Remove one, so that an edit to one cannot silently miss the other.`, {
        related: [{ ...statementAnchor(first), message: 'the same statement' }],
      });
    }
  },
});
