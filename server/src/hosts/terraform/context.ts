/**
 * What the pieces of the Terraform reader share: one read's context (the text, the source it
 * fills, the editor, the expression reader, the policies found so far) and the few syntax
 * helpers that blocks and policy documents both use.
 */
import type { HostedPolicy, PolicySource, TemplateFileCall } from '../../engine/tree';
import type { PolicyKind, VariableValue } from '../../engine/types';
import type { HclEditor } from './editor';
import { ExpressionReader, stringLiteral } from './expressions';
import { firstNamed, named, type SyntaxNode } from './syntax';

/** Where a policy is used: the resource attribute that holds it. */
export interface Use {
  kind: PolicyKind;
  address: string;
  resource: string;
}

/** One read of one text. */
export interface ReadContext {
  readonly text: string;
  readonly source: PolicySource;
  readonly editor: HclEditor;
  /** HCL values as policy values, with the template variables this read knows. */
  readonly values: ExpressionReader;
  /** Hosted policies in text order, with where each starts. */
  readonly found: { at: number; policy: HostedPolicy }[];
  readonly templateFiles: TemplateFileCall[];
}

export function readContext(text: string, source: PolicySource, editor: HclEditor, known?: Record<string, string>, inputs?: Readonly<Record<string, VariableValue>>): ReadContext {
  return { text, source, editor, values: new ExpressionReader(text, editor, known, inputs), found: [], templateFiles: [] };
}

/** `name = value`: the name, the identifier that spells it and the value's expression. */
export interface Attribute {
  name: string;
  key: SyntaxNode;
  value: SyntaxNode;
}

export function attribute(node: SyntaxNode): Attribute | undefined {
  const key = firstNamed(node, 'identifier');
  const value = firstNamed(node, 'expression');
  return key && value ? { name: key.text, key, value } : undefined;
}

/** A block's attributes by name (its nested blocks aside). */
export function blockAttributes(block: SyntaxNode): Map<string, Attribute> {
  const map = new Map<string, Attribute>();
  const body = firstNamed(block, 'body');
  for (const item of body ? named(body) : []) {
    const found = item.type === 'attribute' ? attribute(item) : undefined;
    if (found) map.set(found.name, found);
  }
  return map;
}

/** The block type and its labels, unquoted. */
export function blockHeader(block: SyntaxNode, text: string): string[] {
  const result: string[] = [];
  for (const child of named(block)) {
    if (child.type === 'identifier') result.push(child.text);
    else if (child.type === 'string_lit') result.push(stringLiteral(text, child).value);
    else if (child.type === 'block_start' || child.type === 'body') break;
  }
  return result;
}
