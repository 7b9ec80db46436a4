/**
 * CloudFormation intrinsics as strings with unknown parts: `!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"`
 * keeps its literal text and names each variable; `!GetAtt DataKey.Arn` is the ARN of this
 * template's key; what cannot be known before deployment (`!ImportValue`, `!If`, ...) is a
 * wholly unknown string. Labels read as the user wrote them.
 */
import type { UnknownMeaning, ValuePart } from '../../engine/tree';
import { deref, member, members, scalarText, type TemplateNode } from './templateTree';

export interface ParameterFacts {
  default?: string;
  allowedPattern?: string;
  allowedValues?: string[];
}

/** What a template declares: its resources' types and its parameters. */
export interface TemplateFacts {
  resources: Map<string, string>;
  /** An AWS::IAM::Role's path and name, where the template writes both as text (`/app/` `reader`: `app/reader`). */
  roleNames: Map<string, string>;
  /** An AWS::KMS::Alias's name (`alias/data`), where the template writes it as text. */
  aliasNames: Map<string, string>;
  parameters: Map<string, ParameterFacts>;
  /** Values given for parameters (`--parameters`): what they are in the stack checked. */
  supplied?: Readonly<Record<string, string>>;
  /** Each parameter's declared `Type`. */
  parameterTypes: Map<string, string>;
}

/**
 * Whether a parameter of this type is, in the stack, the value given for it: a list
 * (`CommaDelimitedList`, `List<...>`) is several values, and an `AWS::SSM::Parameter::Value<...>`
 * parameter is given the name of a Systems Manager parameter whose value it takes.
 */
function takesGivenValue(type: string | undefined): boolean {
  if (!type) return true;
  return type !== 'CommaDelimitedList' && !type.startsWith('List<') && !type.startsWith('AWS::SSM::Parameter::Value<');
}

export function templateFacts(root: TemplateNode, supplied?: Readonly<Record<string, string>>): TemplateFacts {
  const resources = new Map<string, string>();
  const roleNames = new Map<string, string>();
  const aliasNames = new Map<string, string>();
  for (const [id, , resource] of members(member(root, 'Resources'))) {
    const type = scalarText(member(resource, 'Type'));
    if (type) resources.set(id, type);
    const aliasName = type === 'AWS::KMS::Alias' ? literalText(member(member(resource, 'Properties'), 'AliasName')) : undefined;
    if (aliasName?.startsWith('alias/')) aliasNames.set(id, aliasName);
    if (type === 'AWS::IAM::Role') {
      const properties = member(resource, 'Properties');
      const name = literalText(member(properties, 'RoleName'));
      const written = member(properties, 'Path');
      const rolePath = written === undefined ? '/' : literalText(written);
      if (name && rolePath?.startsWith('/') && rolePath.endsWith('/')) roleNames.set(id, rolePath.slice(1) + name);
    }
  }
  const parameters = new Map<string, ParameterFacts>();
  const parameterTypes = new Map<string, string>();
  for (const [name, , parameter] of members(member(root, 'Parameters'))) {
    const facts: ParameterFacts = {};
    const type = scalarText(member(parameter, 'Type'));
    if (type !== undefined) parameterTypes.set(name, type);
    const fallback = scalarText(member(parameter, 'Default'));
    if (fallback !== undefined) facts.default = fallback;
    const pattern = scalarText(member(parameter, 'AllowedPattern'));
    if (pattern !== undefined) facts.allowedPattern = pattern;
    const allowed = deref(member(parameter, 'AllowedValues'));
    if (allowed?.type === 'array') {
      const values = (allowed.children ?? []).map(scalarText).filter((v): v is string => v !== undefined);
      if (values.length > 0) facts.allowedValues = values;
    }
    parameters.set(name, facts);
  }
  return supplied ? { resources, roleNames, aliasNames, parameters, parameterTypes, supplied } : { resources, roleNames, aliasNames, parameters, parameterTypes };
}

/** A scalar written as text: not an intrinsic (a `!Sub` or `!Ref` gives no text here). */
function literalText(node: TemplateNode | undefined): string | undefined {
  return node && !intrinsicOf(node) ? scalarText(node) : undefined;
}

export interface Intrinsic {
  /** `Ref`, `Fn::Sub`, `Condition`, ... */
  name: string;
  /** The argument: the tagged node itself for a short form, else the single member's value. */
  argument: TemplateNode;
  short: boolean;
}

/** The intrinsic a node is, if any: a short-form tag, or an object whose one key is `Ref` or `Fn::...`. */
export function intrinsicOf(node: TemplateNode | undefined): Intrinsic | undefined {
  node = deref(node);
  if (!node) return undefined;
  if (node.tag) {
    const short = node.tag.slice(1);
    const name = short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
    const content = node.contentOffset ?? node.offset;
    return { name, argument: { ...node, tag: undefined, contentOffset: undefined, offset: content, length: node.offset + node.length - content }, short: true };
  }
  if (node.type !== 'object' || node.children?.length !== 1) return undefined;
  const [key, value] = node.children[0].children ?? [];
  if (!key || !value || typeof key.value !== 'string') return undefined;
  if (key.value === 'Ref' || key.value.startsWith('Fn::')) return { name: key.value, argument: value, short: false };
  return undefined;
}

const PSEUDO: Record<string, UnknownMeaning | undefined> = {
  'AWS::AccountId': 'owner-account',
  'AWS::Partition': 'partition',
  'AWS::Region': 'region',
};

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

type Part = ValuePart;

function unknown(label: string, meaning?: UnknownMeaning, resource?: string): Part {
  const part: { unknown: string; meaning?: UnknownMeaning; resource?: string } = { unknown: label.replace(/[{}]/g, '') };
  if (meaning) part.meaning = meaning;
  if (resource) part.resource = resource;
  return part;
}

const MAX_DEPTH = 32;

export class IntrinsicReader {
  constructor(private readonly facts: TemplateFacts) {}

  /** A Ref's meaning: the key ID of a key, the name of an alias, an account, a parameter. */
  ref(name: string, label: string): Part {
    if (name in PSEUDO || name.startsWith('AWS::')) return unknown(name, PSEUDO[name]);
    const type = this.facts.resources.get(name);
    if (type && KEY_TYPES.has(type)) return { ...unknown(label, 'key-id', name), keyArn: `!GetAtt ${name}.Arn` };
    if (type === 'AWS::KMS::Alias') return unknown(label, 'alias-name', name);
    // A role's Ref is its name (AWS::IAM::Role, Return values), where the template writes it.
    const role = type === 'AWS::IAM::Role' ? this.facts.roleNames.get(name) : undefined;
    if (role !== undefined) return { literal: role.slice(role.lastIndexOf('/') + 1) };
    const parameter = this.facts.parameters.get(name);
    const takesValue = takesGivenValue(this.facts.parameterTypes.get(name));
    // A value given for the stack is the parameter's value there.
    if (parameter && takesValue && this.facts.supplied && Object.prototype.hasOwnProperty.call(this.facts.supplied, name)) return { literal: this.facts.supplied[name] };
    if (parameter) {
      const part = unknown(label) as { unknown: string; parameter?: ParameterFacts; input?: 'parameter' };
      if (parameter.default !== undefined || parameter.allowedPattern !== undefined || parameter.allowedValues) part.parameter = parameter;
      if (takesValue) part.input = 'parameter';
      return part;
    }
    return unknown(label);
  }

  getAtt(resource: string, attribute: string, label: string): Part {
    const type = this.facts.resources.get(resource);
    if (type && KEY_TYPES.has(type)) {
      if (attribute === 'Arn') return unknown(label, 'key-arn', resource);
      if (attribute === 'KeyId') return { ...unknown(label, 'key-id', resource), keyArn: `!GetAtt ${resource}.Arn` };
    }
    // Another resource's ARN (a queue, a role): known not to be a key.
    if (type && attribute === 'Arn' && type !== 'AWS::KMS::Alias') return unknown(label, 'resource-arn', resource);
    return unknown(label);
  }

  /** The parts of a value that should be a string: a literal scalar, or an intrinsic. Undefined for anything else. */
  parts(node: TemplateNode, depth = 0): Part[] | undefined {
    const intrinsic = intrinsicOf(node);
    if (!intrinsic) {
      const text = scalarText(node);
      return text === undefined ? undefined : [{ literal: text }];
    }
    return this.intrinsicParts(intrinsic, depth);
  }

  /** An intrinsic as string parts; a wholly unknown string where its value cannot be known. */
  intrinsicParts(intrinsic: Intrinsic, depth = 0): Part[] {
    const { name, argument, short } = intrinsic;
    const shortName = name.startsWith('Fn::') ? name.slice(4) : name;
    const written = short ? `!${shortName}` : name;
    const arg = deref(argument);
    if (!arg || depth > MAX_DEPTH) return [unknown(written)];
    switch (name) {
      case 'Ref': {
        const target = scalarText(arg);
        return target === undefined ? [unknown(written)] : [this.ref(target, `${written} ${target}`)];
      }
      case 'Fn::GetAtt': {
        let resource: string | undefined;
        let attribute: string | undefined;
        const text = scalarText(arg);
        if (text !== undefined) {
          const dot = text.indexOf('.');
          if (dot > 0) [resource, attribute] = [text.slice(0, dot), text.slice(dot + 1)];
        } else if (arg.type === 'array' && arg.children?.length === 2) {
          resource = scalarText(arg.children[0]);
          attribute = scalarText(arg.children[1]);
        }
        if (resource === undefined || attribute === undefined) return [unknown(written)];
        // A role whose name the template writes: its ARN is known but for the partition and account
        // (AWS::IAM::Role's Arn; IAM identifiers: arn:aws:iam::<account>:role/<path><name>).
        return this.roleArn(resource, attribute) ?? [this.getAtt(resource, attribute, `${written} ${resource}.${attribute}`)];
      }
      case 'Fn::Sub': {
        let template: string | undefined;
        let variables: TemplateNode | undefined;
        const text = scalarText(arg);
        if (text !== undefined) template = text;
        else if (arg.type === 'array' && arg.children && arg.children.length >= 1) {
          template = scalarText(arg.children[0]);
          variables = arg.children[1];
        }
        if (template === undefined) return [unknown(written)];
        return this.sub(template, variables, depth);
      }
      case 'Fn::Join': {
        if (arg.type !== 'array' || arg.children?.length !== 2) return [unknown(written)];
        const delimiter = scalarText(arg.children[0]);
        const list = deref(arg.children[1]);
        if (delimiter === undefined || list?.type !== 'array' || intrinsicOf(list)) return [unknown(written)];
        const result: Part[] = [];
        (list.children ?? []).forEach((item, index) => {
          if (index > 0 && delimiter !== '') result.push({ literal: delimiter });
          result.push(...(this.parts(item, depth + 1) ?? [unknown(written)]));
        });
        return result;
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg.type === 'array' ? (arg.children ?? []) : [];
        const name = scalarText(condition);
        if (name === undefined || !whenTrue || !whenFalse) return [unknown(written)];
        const part: Part & { branches?: { condition: string; value: string }[] } = unknown(`${written} ${name}`);
        const branches: { condition: string; value: string }[] = [];
        for (const [branch, picked] of [[whenTrue, name], [whenFalse, `!${name}`]] as const) {
          const parts = this.parts(branch, depth + 1);
          if (parts?.length === 1 && 'literal' in parts[0]) branches.push({ condition: picked, value: parts[0].literal });
        }
        if (branches.length > 0) part.branches = branches;
        return [part];
      }
      default: {
        const text = scalarText(arg);
        return [unknown(text !== undefined && text.length <= 80 ? `${written} ${text}` : written)];
      }
    }
  }

  /** `Fn::Sub`: literal text with `${Name}` variables; `${!Literal}` is the literal `${Literal}`. */
  sub(template: string, variables: TemplateNode | undefined, depth = 0): Part[] {
    const parts: Part[] = [];
    let index = 0;
    while (index < template.length) {
      const open = template.indexOf('${', index);
      const close = open < 0 ? -1 : template.indexOf('}', open + 2);
      if (open < 0 || close < 0) {
        parts.push({ literal: template.slice(index) });
        break;
      }
      if (open > index) parts.push({ literal: template.slice(index, open) });
      const inner = template.slice(open + 2, close);
      if (inner.startsWith('!')) {
        parts.push({ literal: '${' + inner.slice(1) + '}' });
      } else {
        parts.push(...this.variable(inner.trim(), variables, depth));
      }
      index = close + 1;
    }
    return parts;
  }

  private variable(name: string, variables: TemplateNode | undefined, depth: number): Part[] {
    const given = member(variables, name);
    if (given) {
      const parts = this.parts(given, depth + 1);
      return parts ?? [unknown(name)];
    }
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return this.roleArn(name.slice(0, dot), name.slice(dot + 1)) ?? [this.getAtt(name.slice(0, dot), name.slice(dot + 1), name)];
    // An alias's name written into an ARN (`...:${DataAlias}`): Ref of AWS::KMS::Alias is the alias name, so the ARN is the alias's.
    const alias = this.facts.aliasNames.get(name);
    if (alias !== undefined) return [{ literal: alias }];
    return [this.ref(name, name)];
  }

  /**
   * A role whose name the template writes: its ARN is known but for the partition and account
   * (AWS::IAM::Role's Arn; IAM identifiers: arn:aws:iam::<account>:role/<path><name>).
   */
  private roleArn(resource: string, attribute: string): Part[] | undefined {
    const role = attribute === 'Arn' ? this.facts.roleNames.get(resource) : undefined;
    if (role === undefined) return undefined;
    return [{ literal: 'arn:' }, unknown('AWS::Partition', 'partition'), { literal: ':iam::' }, unknown('AWS::AccountId', 'owner-account'), { literal: `:role/${role}` }];
  }
}

/** The string a node has for its parts: literals as they are, each unknown part as `${label}`. */
export function spell(parts: readonly Part[]): string {
  let value = '';
  for (const part of parts) value += 'literal' in part ? part.literal : '${' + part.unknown + '}';
  return value;
}

/** Joins neighbouring literal parts. */
export function mergeParts(parts: readonly Part[]): Part[] {
  const result: Part[] = [];
  for (const part of parts) {
    const last = result[result.length - 1];
    if ('literal' in part && last && 'literal' in last) result[result.length - 1] = { literal: last.literal + part.literal };
    else if (!('literal' in part) || part.literal !== '') result.push(part);
  }
  return result.some((p) => 'literal' in p && p.literal.includes('{{resolve:')) ? dynamicReferences(result) : result;
}

/**
 * `{{resolve:service:reference}}`: CloudFormation puts the value in at deployment (CloudFormation
 * User Guide, "dynamic references"), so it is an unknown part; a reference may hold `!Sub`
 * variables (`{{resolve:ssm:/${Stack}/KeyId}}`), which it takes in whole. The label has a space,
 * so that no rule reads it as a policy variable.
 */
function dynamicReferences(parts: readonly Part[]): Part[] {
  const spelled = spell(parts);
  const result: Part[] = [];
  let literal = '';
  let at = 0;
  const flush = () => {
    if (literal) result.push({ literal });
    literal = '';
  };
  // Walk the spelled text, copying the parts between references as they were.
  const pieces: { text: string; part: Part }[] = parts.map((part) => ({ text: 'literal' in part ? part.literal : `\${${part.unknown}}`, part }));
  let index = 0;
  let offset = 0;
  while (at < spelled.length) {
    const open = spelled.indexOf('{{resolve:', at);
    const close = open < 0 ? -1 : spelled.indexOf('}}', open);
    const end = open < 0 || close < 0 ? spelled.length : open;
    // Copy [at, end) from the pieces.
    while (index < pieces.length && offset + pieces[index].text.length <= at) offset += pieces[index++].text.length;
    let cursor = at;
    while (cursor < end && index < pieces.length) {
      const piece = pieces[index];
      const from = cursor - offset;
      const to = Math.min(end - offset, piece.text.length);
      if ('literal' in piece.part) literal += piece.text.slice(from, to);
      else {
        flush();
        result.push(piece.part);
      }
      cursor = offset + to;
      if (to === piece.text.length) offset += pieces[index++].text.length;
    }
    if (end === spelled.length) break;
    flush();
    result.push(unknown(`dynamic reference ${spelled.slice(open + 2, close)}`));
    at = close + 2;
  }
  flush();
  return result;
}

/** A plain string's parts, where it holds a dynamic reference; undefined for text alone. */
export function dynamicReferenceParts(value: string): Part[] | undefined {
  return value.includes('{{resolve:') ? mergeParts([{ literal: value }]) : undefined;
}
