/** The template tree both template syntaxes read into: the policy tree's shape, plus what YAML adds. */
import type { PolicyNode } from '../../engine/tree';

export interface TemplateNode extends PolicyNode {
  children?: TemplateNode[];
  /** A YAML short-form intrinsic (`!Sub`); the span then starts at the tag. */
  tag?: string;
  /** For a tagged node: where its content (after the tag) starts. */
  contentOffset?: number;
  /** How a YAML scalar is written. */
  style?: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  /** A YAML flow collection (`[a, b]`, `{A: b}`). */
  flow?: boolean;
  /** A YAML alias (`*name`): the node it stands for. */
  alias?: TemplateNode;
  /** A YAML number as written. */
  source?: string;
}

/** The value of `name` in an object node. With duplicates, the last wins (as CloudFormation does). */
export function member(node: TemplateNode | undefined, name: string): TemplateNode | undefined {
  node = deref(node);
  if (!node || node.type !== 'object' || !node.children) return undefined;
  let found: TemplateNode | undefined;
  for (const property of node.children) {
    const key = property.children?.[0];
    if (key && key.value === name) found = property.children![1];
  }
  return found;
}

/** The properties of an object node as [name, key, value]. */
export function members(node: TemplateNode | undefined): [string, TemplateNode, TemplateNode][] {
  node = deref(node);
  const result: [string, TemplateNode, TemplateNode][] = [];
  if (!node || node.type !== 'object' || !node.children) return result;
  for (const property of node.children) {
    const [key, value] = property.children ?? [];
    if (key && value && typeof key.value === 'string') result.push([key.value, key, value]);
  }
  return result;
}

/** Follows YAML aliases (bounded: an alias of an alias of ...). */
export function deref(node: TemplateNode | undefined): TemplateNode | undefined {
  for (let i = 0; node?.alias && i < 64; i++) node = node.alias;
  return node?.alias ? undefined : node;
}

/** A scalar's text as CloudFormation reads it (every scalar is a string there). */
export function scalarText(node: TemplateNode | undefined): string | undefined {
  node = deref(node);
  if (!node) return undefined;
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return node.source ?? String(node.value);
  if (node.type === 'boolean') return String(node.value);
  return undefined;
}

/** A node a host builds around the user's (a template around Serverless statements): its spans are the node it stands for. */
export function syntheticNode(type: TemplateNode['type'], span: TemplateNode, value?: unknown): TemplateNode {
  return { type, offset: span.offset, length: span.length, value, children: type === 'object' || type === 'property' ? [] : undefined };
}

export function syntheticProperty(name: string, value: TemplateNode): TemplateNode {
  const node = syntheticNode('property', value);
  node.children = [syntheticNode('string', value, name), value];
  return node;
}

export function syntheticObject(span: TemplateNode, properties: TemplateNode[]): TemplateNode {
  const node = syntheticNode('object', span);
  node.children = properties;
  return node;
}
