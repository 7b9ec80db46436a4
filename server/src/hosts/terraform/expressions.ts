/**
 * HCL values as policy values: literals, tuples, objects, quoted templates and heredocs, and
 * `concat(...)`; anything else (a reference, a call, a conditional, a for expression) is a value
 * known only when Terraform runs, an unknown part with what is known of it (`references.ts`). A
 * for expression that makes strings from one template is a list of that template.
 */
import type { VariableValue } from '../../engine/types';
import type { PolicyNode, UnknownMeaning, ValuePart } from '../../engine/tree';
import type { HclEditor } from './editor';
import { firstNamed, named, referencePath, unwrap, type SyntaxNode } from './syntax';
import { referencePart } from './references';

/** Deeper HCL values are read as unknown: no policy nests like that, and the walk stays bounded. */
const MAX_DEPTH = 40;

/** Reads HCL values of one text into policy nodes, noting for the editor how each is written. */
export class ExpressionReader {
  constructor(
    private readonly text: string,
    private readonly editor: HclEditor,
    /** Template variables with literal values, when reading a template file. */
    private readonly known?: Record<string, string>,
    /** The module's input variable values (`var.name`), when the command line gives them (`--var-file`). */
    private readonly inputs?: Readonly<Record<string, VariableValue>>,
  ) {}

  /** The module's `aws_iam_role` resources whose name (and path) it writes: `path + name` by resource name. */
  roles = new Map<string, string>();

  /**
   * A reference the module itself answers: a role it names (`aws_iam_role.app.name` is `app`; its
   * `arn` is `arn:<partition>:iam::<account>:role/<path><name>`, only the partition and account
   * left to deployment, AWS's IAM identifiers page).
   */
  resolvedReference(expression: SyntaxNode): ValuePart[] | undefined {
    const path = referencePath(expression) ?? referencePath(unwrap(expression));
    if (!path || path.length !== 3 || path[0] !== 'aws_iam_role') return undefined;
    const role = this.roles.get(path[1]);
    if (role === undefined) return undefined;
    if (path[2] === 'name' || path[2] === 'id') return [{ literal: role.slice(role.lastIndexOf('/') + 1) }];
    if (path[2] !== 'arn') return undefined;
    return [{ literal: 'arn:' }, { unknown: 'data.aws_partition.current.partition', meaning: 'partition' }, { literal: ':iam::' }, { unknown: 'data.aws_caller_identity.current.account_id', meaning: 'owner-account' }, { literal: `:role/${role}` }];
  }

  /** An interpolation's parts: its known value, what the module answers, or one unknown part. */
  interpolationParts(interpolation: SyntaxNode): ValuePart[] {
    const known = this.knownValue(interpolation);
    if (known !== undefined) return [{ literal: known }];
    const expression = firstNamed(interpolation, 'expression');
    return (expression && this.resolvedReference(expression)) || [this.interpolationPart(interpolation)];
  }

  /** The value given for a module input variable (`var.name`), when this read has one. */
  inputValue(expression: SyntaxNode): VariableValue | undefined {
    if (!this.inputs) return undefined;
    const path = referencePath(expression) ?? referencePath(unwrap(expression));
    if (!path || path.length !== 2 || path[0] !== 'var') return undefined;
    return Object.prototype.hasOwnProperty.call(this.inputs, path[1]) ? this.inputs[path[1]] : undefined;
  }

  /** An HCL expression as a policy value; anything but literals, tuples and objects is unknown. */
  value(expression: SyntaxNode, parent: PolicyNode | undefined, depth: number): PolicyNode {
    const n = unwrap(expression);
    let result: PolicyNode | undefined;
    if (depth <= MAX_DEPTH) {
      switch (n.type) {
        case 'literal_value':
          result = this.literal(named(n)[0] ?? n);
          break;
        case 'collection_value': {
          const collection = named(n)[0];
          if (collection?.type === 'tuple') result = this.tuple(collection, depth);
          else if (collection?.type === 'object') result = this.object(collection, depth);
          break;
        }
        case 'template_expr': {
          const template = named(n)[0];
          if (template) result = this.template(template, n);
          break;
        }
        case 'function_call':
          if (firstNamed(n, 'identifier')?.text === 'concat') result = this.concat(n, depth);
          break;
        case 'for_expr':
          result = this.forTuple(n, depth);
          break;
      }
    }
    if (!result) {
      const input = this.inputValue(expression);
      if (typeof input === 'string') {
        // The value the variable is given; the text still names the variable, so no fix rewrites it.
        result = node('string', expression.startIndex, expression.endIndex, input);
        this.editor.refuse(result);
      } else if (input !== undefined) {
        // A list given for it (`readers = ["*"]`): its elements, each spanning the reference.
        const list = node('array', expression.startIndex, expression.endIndex, undefined);
        list.children = input.map((item) => {
          const element = node('string', expression.startIndex, expression.endIndex, item);
          element.parent = list;
          this.editor.refuse(element);
          return element;
        });
        this.editor.refuse(list);
        result = list;
      }
    }
    if (!result) result = this.unknown(n === expression ? expression : n, expression);
    result.parent = parent;
    return result;
  }

  private literal(n: SyntaxNode): PolicyNode {
    switch (n.type) {
      case 'string_lit':
        return stringLiteral(this.text, n);
      case 'numeric_lit': {
        const number = Number(n.text);
        return Number.isFinite(number) ? node('number', n.startIndex, n.endIndex, number) : this.unknown(n, n);
      }
      case 'bool_lit':
        return node('boolean', n.startIndex, n.endIndex, n.text === 'true');
      case 'null_lit':
        return node('null', n.startIndex, n.endIndex, null);
    }
    return this.unknown(n, n);
  }

  /** A quoted template or a heredoc used as a value: literal pieces and unknown interpolations. */
  private template(template: SyntaxNode, outer: SyntaxNode): PolicyNode {
    const children = named(template);
    const heredoc = template.type === 'heredoc_template';
    let start: number;
    let end: number;
    if (heredoc) {
      const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
      if (identifiers.length < 2) return this.unknown(outer, outer);
      start = identifiers[0].endIndex;
      while (start < this.text.length && this.text[start] !== '\n') start++;
      start = Math.min(start + 1, identifiers[identifiers.length - 1].startIndex);
      end = identifiers[identifiers.length - 1].startIndex;
    } else {
      const close = children.find((c) => c.type === 'quoted_template_end');
      start = template.startIndex + 1;
      end = close ? close.startIndex : template.endIndex;
    }
    const parts: ValuePart[] = [];
    let cursor = start;
    let substituted = false;
    for (const child of children) {
      if (child.type !== 'template_interpolation' && child.type !== 'template_directive') continue;
      if (child.type === 'template_directive') return this.unknown(outer, outer);
      if (child.startIndex > cursor) parts.push({ literal: heredoc ? unescapeTemplate(this.text.slice(cursor, child.startIndex)) : decodeQuoted(this.text.slice(cursor, child.startIndex)) });
      const resolved = this.interpolationParts(child);
      if (resolved.every((p) => 'literal' in p)) substituted = true;
      parts.push(...resolved);
      cursor = child.endIndex;
    }
    if (end > cursor) parts.push({ literal: heredoc ? unescapeTemplate(this.text.slice(cursor, end)) : decodeQuoted(this.text.slice(cursor, end)) });
    const result = node('string', template.startIndex, template.endIndex, spell(parts));
    if (parts.some((p) => 'unknown' in p)) {
      result.parts = joinLiterals(parts);
      this.editor.refuse(result);
    } else if (substituted) {
      // Spelled with a variable's value: the text still names the variable, so no fix rewrites it.
      this.editor.refuse(result);
    }
    return result;
  }

  /** A template variable's literal value (`templatefile`'s vars), or a module input's (`var.name`), when this read has one for it. */
  knownValue(interpolation: SyntaxNode): string | undefined {
    const expression = firstNamed(interpolation, 'expression');
    if (!expression) return undefined;
    if (this.inputs) {
      const input = this.inputValue(expression);
      return typeof input === 'string' ? input : undefined;
    }
    if (!this.known) return undefined;
    const variable = unwrap(expression);
    if (variable.type !== 'variable_expr') return undefined;
    const name = variable.text;
    return Object.prototype.hasOwnProperty.call(this.known, name) ? this.known[name] : undefined;
  }

  interpolationPart(interpolation: SyntaxNode): { unknown: string; meaning?: UnknownMeaning; resource?: string } {
    const expression = firstNamed(interpolation, 'expression');
    if (!expression) return { unknown: interpolation.text };
    return this.inputMarked(referencePart(expression, expression.text.trim()), expression);
  }

  /** A module input variable (`var.name`) is a value `--var-file` can give: the part says so. */
  private inputMarked<P extends { unknown: string; input?: 'variable' }>(part: P, expression: SyntaxNode): P {
    const path = referencePath(expression) ?? referencePath(unwrap(expression));
    if (path && path.length === 2 && path[0] === 'var') part.input = 'variable';
    return part;
  }

  /** A value known only when the tool runs: a reference, a call, a conditional, a for expression. */
  unknown(n: SyntaxNode, outer: SyntaxNode): PolicyNode {
    const label = outer.text.trim();
    const at = outer.type === 'expression' ? outer : n;
    const resolved = this.resolvedReference(at);
    if (resolved) {
      // The text still names the reference: no fix rewrites it.
      const value = node('string', outer.startIndex, outer.endIndex, spell(resolved));
      if (resolved.some((p) => 'unknown' in p)) value.parts = joinLiterals(resolved);
      this.editor.refuse(value);
      return value;
    }
    const part = this.inputMarked(referencePart(at, label), at);
    // Spelled without braces inside (`cond ? ["a:${x}"] : [y]`), so that the placeholder ends at its own `}`.
    const result = node('string', outer.startIndex, outer.endIndex, `\${${label.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))}}`);
    result.parts = [part];
    this.editor.refuse(result);
    return result;
  }

  /**
   * `concat([...], cond ? [] : [...], var.extra)` (how modules assemble Statement lists): the
   * literal lists' elements, a conditional's non-empty branch (it is there when the condition
   * holds), and one unknown element for each list only Terraform knows.
   */
  private concat(call: SyntaxNode, depth: number): PolicyNode {
    const array = node('array', call.startIndex, call.endIndex, undefined);
    array.children = [];
    const args = firstNamed(call, 'function_arguments');
    for (const argument of args ? named(args).filter((a) => a.type === 'expression') : []) {
      const list = optionalList(argument);
      if (!list) {
        array.children.push(this.unknown(argument, argument));
        continue;
      }
      for (const element of named(list)) if (element.type === 'expression') array.children.push(this.value(element, array, depth + 1));
    }
    for (const child of array.children) child.parent = array;
    // Its elements are edited where they are written; the call itself takes no element.
    this.editor.note(array, { k: 'none' });
    return array;
  }

  private tuple(tuple: SyntaxNode, depth: number): PolicyNode {
    const array = node('array', tuple.startIndex, tuple.endIndex, undefined);
    array.children = [];
    for (const element of named(tuple)) if (element.type === 'expression') array.children.push(this.value(element, array, depth + 1));
    this.editor.note(array, { k: 'value' });
    return array;
  }

  /**
   * `[for role in var.roles : "arn:aws:iam::${var.account}:role/${role}"]`: a list of strings of
   * one shape, read as a list of that one template (the iterator an unknown part). How many
   * elements there are is unknown, so no fix edits it. Other for expressions stay unknown.
   */
  private forTuple(expression: SyntaxNode, depth: number): PolicyNode | undefined {
    const tuple = named(expression)[0];
    if (tuple?.type !== 'for_tuple_expr') return undefined;
    const body = named(tuple).find((c) => c.type === 'expression');
    if (!body || unwrap(body).type !== 'template_expr') return undefined;
    const array = node('array', expression.startIndex, expression.endIndex, undefined);
    const element = this.value(body, array, depth + 1);
    array.children = [element];
    this.editor.refuse(array);
    this.editor.refuse(element);
    return array;
  }

  private object(object: SyntaxNode, depth: number): PolicyNode {
    const result = node('object', object.startIndex, object.endIndex, undefined);
    result.children = [];
    this.editor.note(result, { k: 'object' });
    for (const element of named(object)) {
      if (element.type !== 'object_elem') continue;
      // key = value: the first and second expression (the copy keeps no field names).
      const [keyExpression, valueExpression] = named(element).filter((e) => e.type === 'expression');
      if (!keyExpression || !valueExpression) continue;
      const keySyntax = unwrap(keyExpression);
      let key: PolicyNode;
      if (keySyntax.type === 'variable_expr') {
        key = node('string', keySyntax.startIndex, keySyntax.endIndex, keySyntax.text);
        this.editor.noteKey(key.offset, { k: 'identifier' });
      } else {
        key = this.keyNode(this.value(keyExpression, undefined, depth + 1));
      }
      const value = this.value(valueExpression, undefined, depth + 1);
      const entry = property(key, value, result, element.startIndex, element.endIndex);
      this.editor.note(entry, { k: 'object' });
      result.children.push(entry);
    }
    return result;
  }

  /** A value used as a map key: a string node (an expression's text when it is not a string). */
  keyNode(value: PolicyNode): PolicyNode {
    if (value.type === 'string') {
      this.editor.noteKey(value.offset, { k: value.parts ? 'none' : 'string' });
      return value;
    }
    const key = node('string', value.offset, value.offset + value.length, String(value.value ?? this.text.slice(value.offset, value.offset + value.length)));
    this.editor.noteKey(key.offset, { k: 'none' });
    return key;
  }
}

export function node(type: PolicyNode['type'], start: number, end: number, value: unknown): PolicyNode {
  const result: PolicyNode = { type, offset: start, length: Math.max(0, end - start), value };
  return result;
}

export function property(key: PolicyNode, value: PolicyNode, parent: PolicyNode | undefined, start: number, end: number): PolicyNode {
  const result = node('property', start, end, undefined);
  result.children = [key, value];
  result.parent = parent;
  key.parent = result;
  value.parent = result;
  return result;
}

/** A quoted string literal of `text` (its escapes decoded; an unterminated one up to its end). */
export function stringLiteral(text: string, n: SyntaxNode): PolicyNode {
  const closed = n.endIndex - n.startIndex >= 2 && text[n.endIndex - 1] === '"';
  return node('string', n.startIndex, n.endIndex, decodeQuoted(text.slice(n.startIndex + 1, closed ? n.endIndex - 1 : n.endIndex)));
}

/** Adjacent literal parts as one. */
export function joinLiterals(parts: ValuePart[]): ValuePart[] {
  const result: ValuePart[] = [];
  for (const part of parts) {
    const last = result[result.length - 1];
    if ('literal' in part && last && 'literal' in last) result[result.length - 1] = { literal: last.literal + part.literal };
    else result.push(part);
  }
  return result;
}

export function spell(parts: readonly ValuePart[]): string {
  let value = '';
  // An unknown part is spelled without braces inside (`${var.x != "" ? "${var.x}/" : ""}`), so it ends at its own `}`.
  for (const part of parts) value += 'literal' in part ? part.literal : `\${${part.unknown.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))}}`;
  return value;
}

/** `$${` and `%%{` are a literal `${` and `%{` in any template. */
function unescapeTemplate(raw: string): string {
  if (!raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if ((raw[i] === '$' || raw[i] === '%') && raw[i + 1] === raw[i] && raw[i + 2] === '{') {
      out += raw[i];
      i++;
      continue;
    }
    out += raw[i];
  }
  return out;
}

/** The text of a quoted HCL string: its escapes and template escapes decoded. */
export function decodeQuoted(raw: string): string {
  if (!raw.includes('\\')) return unescapeTemplate(raw);
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c;
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      const escape = escapeAt(raw, i, raw.length);
      out += escape.value;
      i += escape.length - 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** The backslash escape at `i` of a quoted string: what it stands for and how long it is. */
export function escapeAt(text: string, i: number, to: number): { value: string; length: number } {
  const next = text[i + 1];
  switch (next) {
    case 'n':
      return { value: '\n', length: 2 };
    case 'r':
      return { value: '\r', length: 2 };
    case 't':
      return { value: '\t', length: 2 };
    case '"':
    case '\\':
      return { value: next, length: 2 };
    case 'u':
    case 'U': {
      const digits = next === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, Math.min(to, i + 2 + digits));
      const code = hex.length === digits && isHex(hex) ? parseInt(hex, 16) : NaN;
      if (Number.isFinite(code) && code <= 0x10ffff) return { value: String.fromCodePoint(code), length: 2 + digits };
      return { value: '\\' + next, length: 2 };
    }
    default:
      return { value: '\\' + next, length: 2 };
  }
}

function isHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** `null` as written: an argument Terraform treats as not set. */
export function isNullLiteral(value: SyntaxNode): boolean {
  const inner = unwrap(value);
  if (inner.type === 'null_lit') return true;
  const children = inner.type === 'literal_value' ? named(inner) : [];
  return children.length === 1 && children[0].type === 'null_lit';
}

/** The tuple an argument of concat() adds: `[...]`, or `cond ? [] : [...]` (either order); undefined when only Terraform knows. */
function optionalList(argument: SyntaxNode): SyntaxNode | undefined {
  const direct = tupleOf(argument);
  if (direct) return direct;
  const inner = unwrap(argument);
  if (inner.type !== 'conditional') return undefined;
  const [, whenTrue, whenFalse] = named(inner).filter((e) => e.type === 'expression');
  if (!whenTrue || !whenFalse) return undefined;
  if (isEmptyList(whenFalse)) return tupleOf(whenTrue);
  if (isEmptyList(whenTrue)) return tupleOf(whenFalse);
  return undefined;
}

/** The tuple of a `[...]` as written, when the expression is one. */
function tupleOf(expression: SyntaxNode): SyntaxNode | undefined {
  const inner = unwrap(expression);
  const tuple = inner.type === 'collection_value' ? named(inner)[0] : undefined;
  return tuple?.type === 'tuple' ? tuple : undefined;
}

/** `[]` as written. */
export function isEmptyList(value: SyntaxNode): boolean {
  const tuple = tupleOf(value);
  return !!tuple && !named(tuple).some((e) => e.type === 'expression');
}

/** A plain quoted string without interpolations, decoded; undefined for anything else. */
export function literalString(expression: SyntaxNode | undefined, text: string): string | undefined {
  if (!expression) return undefined;
  const value = unwrap(expression);
  const string = value.type === 'literal_value' ? firstNamed(value, 'string_lit') : undefined;
  if (string) return decodeQuoted(text.slice(string.startIndex + 1, string.endIndex - 1));
  if (value.type !== 'template_expr') return undefined;
  const quoted = firstNamed(value, 'quoted_template');
  const parts = quoted ? named(quoted) : [];
  if (!quoted || parts.some((p) => p.type !== 'template_literal')) return undefined;
  return decodeQuoted(text.slice(quoted.startIndex + 1, quoted.endIndex - 1));
}
