/**
 * Serverless Framework variables (`${self:custom.keyId}`, `${opt:stage, 'dev'}`, `${aws:accountId}`)
 * as unknown parts. Serverless fills them in before CloudFormation, and IAM, see the text, so they
 * are values a tool renders, never IAM policy variables; IAM's own variables (`${aws:username}`,
 * `${s3:prefix}`, `${cognito-identity.amazonaws.com:sub}`) stay in the text as they are.
 *
 * Sources: Serverless Framework docs, "Variables" (https://www.serverless.com/framework/docs/providers/aws/guide/variables)
 * and "Reference AWS-specific variables" (https://www.serverless.com/framework/docs/guides/variables/aws):
 * the `aws` source has exactly `accountId` and `region`.
 */
import type { PolicyNode, UnknownMeaning, ValuePart } from '../../engine/tree';
import { mergeParts, spell } from '../cloudformation/intrinsics';

/** The sources Serverless resolves itself (v3 and v4), none of which is an IAM service prefix. */
const SOURCES = new Set(['self', 'opt', 'sls', 'env', 'file', 'cf', 's3', 'ssm', 'param', 'aws', 'strToBool', 'git', 'vault', 'doppler', 'terraform']);

/**
 * The prefix of every label: the engine reads `${self:x}` in a value as an IAM policy variable
 * (a service prefix, a colon, a name), so the label is spelled so that it cannot be one.
 */
export const LABEL_PREFIX = 'sls ';

/** What a file adds to the built-in sources: the resolvers its `stages.<stage>.resolvers` name (v4). */
export interface VariableSources {
  extra: ReadonlySet<string>;
}

export const NO_EXTRA_SOURCES: VariableSources = { extra: new Set() };

type Unknown = Extract<ValuePart, { unknown: string }>;

/**
 * The Serverless variable `${inner}` is, or undefined when it is no Serverless variable (an IAM
 * policy variable, or another tool's placeholder): decided by its source, the text before the
 * first `:` or `(` (`cf.us-east-1:` names the source `cf`).
 */
export function serverlessVariable(inner: string, sources: VariableSources = NO_EXTRA_SOURCES): Unknown | undefined {
  const text = inner.trim();
  const match = /^([A-Za-z][\w-]*)(?:\.[\w-]+)?(?=[(:]|$)/.exec(text);
  if (!match) return undefined;
  const source = match[1];
  if (!SOURCES.has(source) && !sources.extra.has(source)) return undefined;
  const address = text.slice(match[0].length);
  if (source === 'aws') {
    // `${aws:username}`, `${aws:PrincipalTag/team}`: IAM's. Serverless's `aws` source has these two only.
    if (address === ':accountId') return part(text, 'owner-account');
    if (address === ':region') return part(text, 'region');
    return undefined;
  }
  // `${s3:prefix}` is IAM's; Serverless's S3 source reads an object, `${s3:bucket/key}`.
  if (source === 's3' && !address.includes('/')) return undefined;
  if (text === 'self:provider.region' || text === 'opt:region') return part(text, 'region');
  return part(text);
}

function part(text: string, meaning?: UnknownMeaning): Unknown {
  // `${self:custom.${opt:stage}}`: braces would end the engine's `${...}` early.
  const label = LABEL_PREFIX + text.replace(/[{}]/g, '');
  return meaning ? { unknown: label, meaning } : { unknown: label };
}

/**
 * The end (exclusive) of the `${...}` that opens at `open`: nested `${...}` and quoted fallbacks
 * (`${opt:stage, 'dev'}`) are skipped; -1 when it is not closed.
 */
function closeOf(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  /** The last character before this one that is not a space. */
  let last = '';
  for (let i = open + 2; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    // Only a fallback is quoted: right after its comma (`${opt:stage, 'dev'}`).
    if ((ch === "'" || ch === '"') && last === ',') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
    if (ch !== ' ' && ch !== '\t') last = ch;
  }
  return -1;
}

/** A string as parts: literal text, and each Serverless variable as an unknown part. Undefined when it holds none. */
export function splitVariables(text: string, sources: VariableSources = NO_EXTRA_SOURCES): ValuePart[] | undefined {
  if (!text.includes('${')) return undefined;
  const parts: ValuePart[] = [];
  let index = 0;
  let literalFrom = 0;
  let found = false;
  while (index < text.length) {
    const open = text.indexOf('${', index);
    if (open < 0) break;
    const close = closeOf(text, open);
    if (close < 0) break;
    const variable = serverlessVariable(text.slice(open + 2, close - 1), sources);
    if (variable) {
      if (open > literalFrom) parts.push({ literal: text.slice(literalFrom, open) });
      parts.push(variable);
      literalFrom = close;
      found = true;
    }
    index = close;
  }
  if (!found) return undefined;
  if (literalFrom < text.length) parts.push({ literal: text.slice(literalFrom) });
  return mergeParts(parts);
}

/**
 * The parts of a string node with its Serverless variables read: literal parts are split, and an
 * unknown part another reader made of one (`!Sub '...${self:custom.keyId}'` names it as a
 * CloudFormation variable) becomes Serverless's. Undefined when nothing changes.
 */
function partsOf(node: PolicyNode, sources: VariableSources): ValuePart[] | undefined {
  if (!node.parts) return typeof node.value === 'string' ? splitVariables(node.value, sources) : undefined;
  let changed = false;
  const result: ValuePart[] = [];
  for (const p of node.parts) {
    if ('literal' in p) {
      const split = splitVariables(p.literal, sources);
      if (split) {
        result.push(...split);
        changed = true;
        continue;
      }
    } else if (!p.unknown.startsWith(LABEL_PREFIX) && !p.resource) {
      const variable = serverlessVariable(p.unknown, sources);
      if (variable) {
        result.push(variable);
        changed = true;
        continue;
      }
    }
    result.push(p);
  }
  return changed ? mergeParts(result) : undefined;
}

/**
 * Marks the Serverless variables in every string of a policy tree (keys included): the value is
 * spelled with each as `${label}` and the node gets its parts, which the editor refuses to rewrite.
 */
export function markVariables(root: PolicyNode, sources: VariableSources): void {
  const stack: PolicyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children) {
      for (const child of node.children) stack.push(child);
      continue;
    }
    if (node.type !== 'string') continue;
    const parts = partsOf(node, sources);
    if (!parts) continue;
    node.value = spell(parts);
    node.parts = parts.some((p) => !('literal' in p)) ? parts : undefined;
  }
}
