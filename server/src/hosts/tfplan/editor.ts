/**
 * The editor of a Terraform plan: it refuses every edit. A plan is Terraform's output, never
 * edited by hand (the fix belongs in the `.tf` that produced it), so `canEdit` refuses every node
 * and each edit carries UNKNOWN_MARK on the span it was asked for: `engine/check.ts` drops every
 * fix, and no edit could land outside the text.
 */
import { UNKNOWN_MARK, type PolicyEditor, type PolicyNode } from '../../engine/tree';
import type { Span, TextEdit } from '../../engine/types';

const refused = (span: Span): TextEdit => ({ start: span.start, end: span.end, newText: UNKNOWN_MARK });
const whole = (node: PolicyNode): Span => ({ start: node.offset, end: node.offset + node.length });

export class PlanEditor implements PolicyEditor {
  canEdit(): boolean {
    return false;
  }
  replaceString(item: Span): TextEdit {
    return refused(item);
  }
  replaceValue(node: PolicyNode): TextEdit {
    return refused(whole(node));
  }
  addProperty(object: PolicyNode): TextEdit {
    return refused(whole(object));
  }
  addFirstProperty(object: PolicyNode): TextEdit {
    return refused(whole(object));
  }
  removeProperty(property: PolicyNode): TextEdit {
    return refused(whole(property));
  }
  renameKey(keySpan: Span): TextEdit {
    return refused(keySpan);
  }
  addToList(valueNode: PolicyNode): TextEdit {
    return refused(whole(valueNode));
  }
  appendToArray(array: PolicyNode): TextEdit {
    return refused(whole(array));
  }
}
