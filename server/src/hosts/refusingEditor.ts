/**
 * An editor that refuses every edit: `canEdit` refuses every node and each edit carries
 * UNKNOWN_MARK, so `engine/check.ts` drops every fix and no edit can land outside the text. For
 * text that is output (a Terraform plan) or that cannot be written back (a URL-encoded policy).
 */
import { UNKNOWN_MARK, type PolicyEditor, type PolicyNode } from '../engine/tree';
import type { Span, TextEdit } from '../engine/types';

const whole = (node: PolicyNode): Span => ({ start: node.offset, end: node.offset + node.length });

export class RefusingEditor implements PolicyEditor {
  /** `within`: the one span every edit covers (a string that cannot be rewritten); else each edit covers what it was asked for. */
  constructor(private readonly within?: Span) {}

  private refused(span: Span): TextEdit {
    const at = this.within ?? span;
    return { start: at.start, end: at.end, newText: UNKNOWN_MARK };
  }

  canEdit(): boolean {
    return false;
  }
  replaceString(item: Span): TextEdit {
    return this.refused(item);
  }
  replaceValue(node: PolicyNode): TextEdit {
    return this.refused(whole(node));
  }
  addProperty(object: PolicyNode): TextEdit {
    return this.refused(whole(object));
  }
  addFirstProperty(object: PolicyNode): TextEdit {
    return this.refused(whole(object));
  }
  removeProperty(property: PolicyNode): TextEdit {
    return this.refused(whole(property));
  }
  renameKey(keySpan: Span): TextEdit {
    return this.refused(keySpan);
  }
  addToList(valueNode: PolicyNode): TextEdit {
    return this.refused(whole(valueNode));
  }
  appendToArray(array: PolicyNode): TextEdit {
    return this.refused(whole(array));
  }
}
