/**
 * JSON templates (`*.json.tpl`, `*.json.tmpl`, `*.tftpl`): JSON that a tool renders before AWS sees
 * it. Directives (`%{ if ... }`) are blanked and placeholders outside strings (`"Resource": ${arns}`)
 * become strings of the same length, so the JSON parser reads the rest and every offset stays an
 * offset in the user's text. The parsed nodes at those places are then marked unknown.
 */
import type { PolicyNode } from '../../engine/tree';

export interface TemplateHole {
  start: number;
  end: number;
  /** What the template wrote, without `${` and `}`. */
  label: string;
}

export interface MaskedTemplate {
  text: string;
  /** Placeholders that stood where a JSON value belongs. */
  values: TemplateHole[];
}

const TEMPLATE_NAME = /\.(tpl|tmpl|tftpl)$/i;

export function isTemplateFileName(fileName: string | undefined): boolean {
  return !!fileName && TEMPLATE_NAME.test(fileName);
}

/** The file name without a template suffix: `key.json.tpl` reads as `key.json`. */
export function renderedName(fileName: string): string {
  return fileName.replace(TEMPLATE_NAME, '');
}

/** Where the `${`/`%{` opened at `start` closes: the index of its `}`, or -1. Nested braces and quoted strings count. */
function closingBrace(text: string, start: number): number {
  const placeholder = text[start - 1] === '$';
  let depth = 1;
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"') {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    } else if (c === '\n' && depth === 1 && placeholder) {
      return -1; // a placeholder does not span lines in practice; give up rather than swallow the file
    }
  }
  return -1;
}

function blank(chars: string[], start: number, end: number, fill: (i: number) => string): void {
  for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = fill(i);
}

export function maskTemplate(text: string): MaskedTemplate {
  if (!text.includes('${') && !text.includes('%{')) return { text, values: [] };
  const chars = text.split('');
  const values: TemplateHole[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        const end = closingBrace(text, i + 1);
        if (end < 0) continue;
        // Inside a string the placeholder stays (the value shows it); quotes inside it must not end the string.
        if (c === '%') blank(chars, i, end + 1, () => ' ');
        else blank(chars, i + 2, end, (k) => (text[k] === '"' || text[k] === '\\' ? '_' : text[k]));
        i = end;
      }
    } else if (c === '"') {
      inString = true;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = closingBrace(text, i + 1);
      if (end < 0) continue;
      if (c === '%') {
        blank(chars, i, end + 1, () => ' ');
      } else {
        blank(chars, i, end + 1, (k) => (k === i || k === end ? '"' : '_'));
        values.push({ start: i, end: end + 1, label: text.slice(i + 2, end).trim() });
      }
      i = end;
    }
  }
  return { text: chars.join(''), values };
}

/** Marks the nodes that stand where placeholders were as wholly unknown strings. */
export function markTemplateValues(root: PolicyNode, holes: readonly TemplateHole[]): void {
  if (holes.length === 0) return;
  const byStart = new Map(holes.map((hole) => [hole.start, hole]));
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'string') {
      const hole = byStart.get(node.offset);
      if (hole && hole.end === node.offset + node.length) {
        node.value = '${' + hole.label + '}';
        node.parts = [{ unknown: hole.label }];
      }
    }
    if (node.children) for (const child of node.children) stack.push(child);
  }
}
