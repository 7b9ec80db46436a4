/**
 * JSON templates (`*.json.tpl`, `*.json.tmpl`, `*.tftpl`): JSON that a tool renders before AWS sees
 * it. Directives (`%{ if ... }`) are blanked and placeholders outside strings (`"Resource": ${arns}`)
 * become strings of the same length, so the JSON parser reads the rest and every offset stays an
 * offset in the user's text. The parsed nodes at those places are then marked unknown.
 */
import type { PolicyNode, ValuePart } from '../../engine/tree';

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

const TEMPLATE_NAME = /\.(tpl|tmpl|tftpl|j2|jinja2?|erb)$/i;

/**
 * The marks other template languages leave in JSON that they render before AWS sees it: Jinja and
 * Ansible, Go templates, Handlebars and org-formation (`{{ x }}`, `{% if %}`, `{# #}`), ERB
 * (`<%= x %>`, `<% if %>`). Values they stand for are unknown, never invalid.
 */
const FOREIGN_VALUE = /\{\{[^{}]*\}\}|<%=[^%]*%>/g;
const FOREIGN_MARK = /\{\{|\{%|\{#|<%|%\{/;

/** Whether a text that does not parse as JSON holds template marks: then it is read as a template. */
export function looksLikeTemplate(text: string): boolean {
  return FOREIGN_MARK.test(text);
}

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

/** Where a foreign template mark opened at `start` (`{{`, `{%`, `{#`, `<%`) closes: the index after it, or -1. */
function foreignEnd(text: string, start: number): number {
  const open = text.slice(start, start + 2);
  const close = open === '{{' ? '}}' : open === '{%' ? '%}' : open === '{#' ? '#}' : '%>';
  const end = text.indexOf(close, start + 2);
  if (end < 0) return -1;
  const newline = text.indexOf('\n', start);
  // Like a placeholder, a mark spans one line; statements (`{% if %}`) may too, but give up rather than swallow the file.
  return newline >= 0 && newline < end && open !== '{%' && open !== '{#' ? -1 : end + 2;
}

const isForeignOpen = (text: string, i: number) => (text[i] === '{' && (text[i + 1] === '{' || text[i + 1] === '%' || text[i + 1] === '#')) || (text[i] === '<' && text[i + 1] === '%');

export function maskTemplate(text: string): MaskedTemplate {
  if (!text.includes('${') && !text.includes('%{') && !FOREIGN_MARK.test(text)) return { text, values: [] };
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
    } else if (isForeignOpen(text, i)) {
      const end = foreignEnd(text, i);
      if (end < 0) continue;
      const value = text[i + 1] === '{' || text.slice(i, i + 3) === '<%=';
      if (value) {
        // A value hole: a string of the same length, read as unknown.
        blank(chars, i, end, (k) => (k === i || k === end - 1 ? '"' : '_'));
        values.push({ start: i, end, label: text.slice(i, end).replace(/^\{\{-?|-?\}\}$|^<%=|%>$/g, '').trim() });
      } else {
        blank(chars, i, end, () => ' ');
        blankConditionalCommas(text, chars, i, end);
      }
      i = end - 1;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = closingBrace(text, i + 1);
      if (end < 0) continue;
      if (c === '%') {
        blank(chars, i, end + 1, () => ' ');
        blankConditionalCommas(text, chars, i, end + 1);
      } else {
        blank(chars, i, end + 1, (k) => (k === i || k === end ? '"' : '_'));
        values.push({ start: i, end: end + 1, label: text.slice(i + 2, end).trim() });
      }
      i = end;
    }
  }
  return { text: chars.join(''), values };
}

/**
 * A comma written only when a condition holds (`"{{ arn }}"{% if not loop.last %},{% endif %}`, Terraform's
 * `%{ if i < n - 1 },%{ endif }`): the template decides whether it is there, so it is masked like the
 * directives around it. `start`-`end` is an `if` directive's span; only commas and white space may
 * stand between it and the `endif` or `else` that follows.
 */
function blankConditionalCommas(text: string, chars: string[], start: number, end: number): void {
  if (!/^(\{%-?|%\{~?)\s*if\b/.test(text.slice(start, end))) return;
  let next = end;
  while (next < text.length && (text[next] === ',' || /\s/.test(text[next]))) next++;
  if (next === end || !/^(\{%-?|%\{~?)\s*(endif|else)\b/.test(text.slice(next, next + 12))) return;
  for (let k = end; k < next; k++) if (text[k] === ',') chars[k] = ' ';
}

/**
 * Strings holding other template languages' placeholders (`arn:{{ partition }}:iam::{{ account }}:root`):
 * given parts, each placeholder an unknown part spelled `${label}` as every host spells one, so rules
 * judge the literal rest only. The node's span stays the user's text.
 */
export function markForeignPlaceholders(root: PolicyNode): void {
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'string' && typeof node.value === 'string' && (node.value.includes('{{') || node.value.includes('<%='))) {
      // A value a template host has given parts already (`!Sub ...${AWS::AccountId}...{{.Cluster.ID}}`): its literal parts are split.
      const before = node.parts ?? [{ literal: node.value }];
      const parts = before.flatMap((part) => ('literal' in part ? splitForeign(part) : [part]));
      if (parts.length !== before.length || parts.some((part, i) => part !== before[i])) {
        node.parts = parts;
        node.value = parts.map((p) => ('literal' in p ? p.literal : '${' + p.unknown + '}')).join('');
      }
    }
    if (node.children) for (const child of node.children) stack.push(child);
  }
}

/** A literal with other template languages' placeholders as unknown parts; the same part when it has none. */
function splitForeign(literal: { literal: string }): ValuePart[] {
  const value = literal.literal;
  const parts: ValuePart[] = [];
  let cursor = 0;
  for (const match of value.matchAll(FOREIGN_VALUE)) {
    if (match.index! > cursor) parts.push({ literal: value.slice(cursor, match.index) });
    parts.push({ unknown: match[0].replace(/^\{\{-?|-?\}\}$|^<%=|%>$/g, '').trim().replace(/[{}]/g, '') || 'value' });
    cursor = match.index! + match[0].length;
  }
  if (parts.length === 0) return [literal];
  if (cursor < value.length) parts.push({ literal: value.slice(cursor) });
  return parts;
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
