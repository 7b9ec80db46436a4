/**
 * Suppressions in a template: `# keyshare:ignore <rule-id> <reason>` comments (YAML), and a
 * resource's `Metadata: { keyshare: { ignore: [ { rule, reason } ] } }` (YAML and JSON), which
 * covers the whole resource, in the manner of cfn-lint's Metadata.
 */
import { commentCover, problemOf, readDirective, type Suppression } from '../../engine/suppressions';
import type { Span } from '../../engine/types';
import { deref, member, members, scalarText, type TemplateNode } from './templateTree';

/** The directives among a YAML text's comments, each covering its line and the node that starts there. */
export function commentSuppressions(text: string, comments: readonly Span[], root: TemplateNode | undefined): Suppression[] {
  const result: Suppression[] = [];
  const starts = new Set(comments.map((c) => c.start));
  for (const comment of comments) {
    const directive = readDirective(text.slice(comment.start, comment.end));
    if (!directive) continue;
    const covers = commentCover(text, comment, starts, (lineStart, lineEnd) => furthestEndFrom(root, lineStart, lineEnd));
    result.push({ ...directive, span: comment, covers, form: 'comment' });
  }
  return result;
}

/**
 * The furthest end of the nodes that start between `lineStart` and `lineEnd`: a property or a list
 * item (a statement), never the document or a sequence, whose first item on that line would
 * otherwise carry every item after it. Only subtrees that reach the line are walked.
 */
function furthestEndFrom(root: TemplateNode | undefined, lineStart: number, lineEnd: number): number {
  let furthest = lineEnd;
  const stack: TemplateNode[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const end = node.offset + node.length;
    if (end < lineStart || node.offset > lineEnd) continue;
    if (node.offset >= lineStart && node !== root && node.type !== 'array') furthest = Math.max(furthest, end);
    if (node.children) stack.push(...node.children);
  }
  return furthest;
}

/** Each resource's `Metadata.keyshare.ignore` entries, covering the resource. */
export function metadataSuppressions(root: TemplateNode): Suppression[] {
  const result: Suppression[] = [];
  const resources = deref(member(root, 'Resources'));
  for (const property of deref(resources)?.children ?? []) {
    const [, resource] = property.children ?? [];
    const ignore = deref(member(member(member(resource, 'Metadata'), 'keyshare'), 'ignore'));
    if (!ignore) continue;
    const covers = { start: property.offset, end: property.offset + property.length };
    const entries = ignore.type === 'array' ? (ignore.children ?? []) : [ignore];
    for (const entry of entries) {
      const span = { start: entry.offset, end: entry.offset + entry.length };
      const fields = new Map(members(entry).map(([name, , value]) => [name, value]));
      const ruleNode = deref(fields.get('rule'));
      const rules = ruleNode?.type === 'array' ? (ruleNode.children ?? []).map((c) => scalarText(c) ?? '') : [scalarText(ruleNode) ?? ''];
      const reason = scalarText(fields.get('reason'))?.trim() || undefined;
      const problem = entry.type !== 'object' || rules.every((r) => r === '')
        ? 'Each Metadata keyshare ignore entry is an object with a "rule" (a Keyshare rule id) and a "reason"; this one hides nothing.'
        : problemOf(rules, reason, 'metadata');
      result.push({ rules, reason, span, covers, form: 'metadata', problem });
    }
  }
  return result;
}
