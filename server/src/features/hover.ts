/** Hover: what an action, condition key, operator, ARN or principal means; the document's kind. */
import { findNodeAtOffset, getNodePath, type Node } from 'jsonc-parser';
import type { Hover, Position } from 'vscode-languageserver';
import { sharedCatalog } from '../catalog/iamData';
import { checkAwsPrincipal, kmsResourceOf, parseArn } from '../engine/arn';
import { findConditionKey, matchActions } from '../engine/catalog';
import { modelAt } from '../engine/check';
import type { PolicyModel } from '../engine/model';
import { readOperator } from '../engine/access/operators';
import { KIND_NAMES } from '../engine/ruleSupport/context';
import type { KindSource } from '../engine/tree';
import { analyseText, type Analysis } from '../project';
import type { Finding } from '../engine/types';

const KIND_SOURCES: Record<KindSource, string> = {
  configuration: 'from keyshare.json',
  host: 'from the template property that holds it',
  'file name': 'from the file name',
  content: 'inferred from its content',
};

function isPropertyKey(node: Node): boolean {
  return node.parent?.type === 'property' && node.parent.children?.[0] === node;
}

const suppressedCache = new WeakMap<Analysis, Finding[]>();

/**
 * The findings that keyshare.json's `ignore` entries hide in this file: the file checked again
 * with those rules on (once per analysis, for hover only; nothing is published).
 */
function suppressedFindings(analysis: Analysis): Finding[] {
  const ignored = analysis.ignored ?? [];
  if (ignored.length === 0) return [];
  let found = suppressedCache.get(analysis);
  if (!found) {
    const rules = { ...analysis.options.rules };
    const every = ignored.some((entry) => entry.rule === '*');
    const ids = new Set(ignored.map((entry) => entry.rule));
    for (const id of Object.keys(rules)) if (every || ids.has(id)) delete rules[id];
    // Hidden are those the analysis does not hold (an entry with `sids` hides only its statements' findings).
    const shown = new Set(analysis.result.findings.map((f) => `${f.ruleId}:${f.start}:${f.end}`));
    found = analyseText(analysis.text, { ...analysis.options, rules }).findings.filter((f) => (every || ids.has(f.ruleId)) && !shown.has(`${f.ruleId}:${f.start}:${f.end}`));
    suppressedCache.set(analysis, found);
  }
  return found;
}

/** "Suppressed in keyshare.json" lines for the findings hidden at `offset`, with the ignore entry's reason. */
function suppressedHover(analysis: Analysis, offset: number): string | undefined {
  const here = suppressedFindings(analysis).filter((f) => f.start <= offset && offset <= f.end);
  if (here.length === 0) return undefined;
  return here.map((f) => {
    const entry = analysis.ignored!.find((e) => e.rule === f.ruleId) ?? analysis.ignored!.find((e) => e.rule === '*');
    return `*Suppressed by keyshare.json \`ignore\`* (\`${f.ruleId}\`${entry?.reason ? `: ${entry.reason}` : ', no reason given'}): ${f.message}`;
  }).join('\n\n');
}

export function hover(analysis: Analysis, position: Position): Hover | null {
  const offset = analysis.lines.offsetAt(position);
  const found = elementHover(analysis, offset);
  const suppressed = suppressedHover(analysis, offset);
  if (!suppressed) return found;
  if (!found) return { contents: { kind: 'markdown', value: suppressed } };
  const value = typeof found.contents === 'object' && 'value' in found.contents ? found.contents.value : '';
  return { ...found, contents: { kind: 'markdown', value: `${value}\n\n---\n\n${suppressed}` } };
}

function elementHover(analysis: Analysis, offset: number): Hover | null {
  const model = modelAt(analysis.result, offset);
  if (!model) return null;
  const node = findNodeAtOffset(model.root, offset, true);
  if (!node) return null;
  const path = getNodePath(node);
  const range = analysis.lines.rangeOf({ start: node.offset, end: node.offset + node.length });
  const markdown = (value: string): Hover => ({ contents: { kind: 'markdown', value }, range });

  if (node === model.root || (path.length === 1 && isPropertyKey(node))) return markdown(documentHover(analysis, model));
  if (path[0] !== 'Statement' || node.type !== 'string') return null;
  const element = path.find((p) => typeof p === 'string' && p !== 'Statement');
  const value = node.value as string;
  switch (element) {
    case 'Action':
    case 'NotAction':
      return isPropertyKey(node) ? null : markdown(actionHover(value));
    case 'Resource':
    case 'NotResource':
      return isPropertyKey(node) ? null : markdown(arnHover(analysis, value) ?? `Resource \`${value}\``);
    case 'Principal':
    case 'NotPrincipal':
      return isPropertyKey(node) ? null : markdown(principalHover(analysis, value));
    case 'Condition': {
      const conditionIndex = path.indexOf('Condition');
      const depth = path.length - conditionIndex;
      if (isPropertyKey(node) && depth === 2) return markdown(operatorHover(value));
      if (isPropertyKey(node) && depth === 3) return markdown(conditionKeyHover(value));
      return null;
    }
  }
  return null;
}

function documentHover(analysis: Analysis, model: PolicyModel): string {
  const lines = [`**${KIND_NAMES[model.kind]}** (${KIND_SOURCES[model.kindSource]})`];
  if (model.address) lines.push(`In the template at \`${model.address}\``);
  if (model.ownerAccount) {
    const source = model.ownerSource === 'root statement' ? "inferred from the key policy's own root-account statement" : analysis.accountSource ?? 'from configuration';
    lines.push(`Account: \`${model.ownerAccount}\` (${source})`);
  } else {
    lines.push('Account: unknown. Declare it in keyshare.json, or keep the file below a folder named by the 12-digit account ID.');
  }
  if (analysis.options.keyArn) lines.push(`Key: \`${analysis.options.keyArn}\``);
  else if (model.kind === 'key-policy') {
    lines.push(analysis.configFile
      ? 'Key: unknown. No key in keyshare.json names this file as its `policy`, so identity policies cannot be matched to it (see the `unknown-key-reference` finding on "Statement").'
      : 'Key: unknown. Declare the key in keyshare.json (`keys[]` with this file as its `policy`) to match the identity policies that use it.');
  }
  lines.push(`${model.statements.length} statement${model.statements.length === 1 ? '' : 's'}`);
  for (const entry of analysis.ignored ?? []) {
    const what = entry.rule === '*' ? 'Every rule is' : `\`${entry.rule}\` is`;
    const where = entry.sids ? `off in statement${entry.sids.length === 1 ? '' : 's'} ${entry.sids.map((sid) => `"${sid}"`).join(', ')}` : 'off here';
    lines.push(`${what} ${where} (keyshare.json \`ignore\`)${entry.reason ? `: ${entry.reason}` : ', no reason given'}.`);
  }
  return lines.join('\n\n');
}

export function actionHover(value: string): string {
  const catalog = sharedCatalog();
  const match = matchActions(catalog, value);
  if (match.allServices) return `\`${value}\`: every action of ${value === '*' ? 'every service' : 'the matching services'}.`;
  if (match.unknownService) return `\`${value}\`: unknown service prefix.`;
  if (match.actions.length === 0) return `\`${value}\` matches no action.`;
  const service = catalog.service(match.actions[0].service)!;
  if (match.actions.length === 1 && !/[*?]/.test(value)) {
    const a = match.actions[0];
    const lines = [`**${service.prefix}:${a.name}** (${service.name}) · ${a.accessLevel}`, a.description];
    if (a.resourceTypes.length) lines.push(`Resource types: ${a.resourceTypes.map((r) => `\`${r}\``).join(', ')}`);
    if (a.conditionKeys.length) lines.push(`Condition keys:\n\n${groupConditionKeys(a.conditionKeys).map((line) => `- ${line}`).join('\n')}`);
    return lines.join('\n\n');
  }
  const names = match.actions.map((a) => `${service.prefix}:${a.name}`);
  const shown = names.slice(0, 40).map((n) => `- \`${n}\``).join('\n');
  return `\`${value}\` matches ${names.length} ${service.name} action${names.length === 1 ? '' : 's'}:\n\n${shown}${names.length > 40 ? `\n- … and ${names.length - 40} more` : ''}`;
}

/**
 * Condition keys, one line per family: keys that share a prefix up to their last ':' (such as
 * the sixty `kms:RecipientAttestation:...` keys) become one line with their count and a few names.
 */
export function groupConditionKeys(keys: readonly string[]): string[] {
  const families = new Map<string, string[]>();
  for (const key of keys) {
    const cut = key.lastIndexOf(':');
    const family = key.indexOf(':') < cut && !key.slice(cut).includes('${') ? key.slice(0, cut + 1) : key;
    const members = families.get(family) ?? [];
    members.push(key);
    families.set(family, members);
  }
  return [...families].map(([family, members]) => {
    if (members.length === 1) return `\`${members[0]}\``;
    const names = members.map((k) => k.slice(family.length));
    return `\`${family}*\` (${members.length} keys: ${names.slice(0, 3).join(', ')}, …)`;
  });
}

function accountNote(analysis: Analysis, account: string): string {
  const owner = analysis.result.model?.ownerAccount;
  if (!owner || !/^\d{12}$/.test(account)) return `\`${account}\``;
  return account === owner ? `\`${account}\` (this document's account)` : `\`${account}\` (**external account**; this document belongs to ${owner})`;
}

function arnHover(analysis: Analysis, value: string): string | undefined {
  const arn = parseArn(value);
  if (!arn) return value === '*' ? (analysis.result.model?.kind === 'key-policy' ? '`*` in a key policy means **this key**.' : '`*`: every resource.') : undefined;
  const lines = [`**ARN** \`${value}\``, `- Partition: \`${arn.partition}\``, `- Service: \`${arn.service}\``];
  if (arn.region) lines.push(`- Region: \`${arn.region}\``);
  if (arn.account) lines.push(`- Account: ${accountNote(analysis, arn.account)}`);
  if (arn.service === 'kms') {
    const resource = kmsResourceOf(arn);
    if (resource.type === 'key') lines.push(`- Key: \`${resource.id}\`${resource.id.startsWith('mrk-') ? ' (multi-Region key)' : ''}`);
    else if (resource.type === 'alias') lines.push(`- Alias: \`${resource.name}\`${resource.name.startsWith('alias/aws/') ? ' (AWS managed key: cannot be shared)' : ''}`, '', 'An alias ARN as Resource controls only the alias operations (CreateAlias, UpdateAlias, DeleteAlias).');
    else lines.push(`- Resource: \`${arn.resource}\``);
  } else {
    lines.push(`- Resource: \`${arn.resource}\``);
  }
  return lines.join('\n');
}

function principalHover(analysis: Analysis, value: string): string {
  if (value === '*') return '`*`: **every principal in every AWS account**, unless a condition restricts it.';
  const check = checkAwsPrincipal(value);
  if (/^\d{12}$/.test(value)) return `Account ${accountNote(analysis, value)}: the same as \`arn:aws:iam::${value}:root\`, which delegates to that account's IAM policies.`;
  const arn = parseArn(value);
  if (check.ok && arn) {
    const what = arn.resource === 'root' ? "the account's root: KMS lets that account's IAM policies decide who uses the key" : arn.resource.split('/')[0].replace('-', ' ');
    return `**Principal** \`${value}\`\n- Account: ${accountNote(analysis, arn.account)}\n- ${what}`;
  }
  return `Principal \`${value}\``;
}

const OPERATOR_NOTES: Record<string, string> = {
  String: 'compares strings (case-sensitive unless IgnoreCase)',
  Numeric: 'compares numbers',
  Date: 'compares dates (ISO 8601 or epoch seconds)',
  Bool: 'compares with true or false',
  BinaryEquals: 'compares base64-encoded binary values',
  IpAddress: 'matches IP addresses or CIDR ranges',
  NotIpAddress: 'matches addresses outside the given ranges',
  Arn: 'compares ARNs (wildcards allowed)',
  Null: 'tests whether the key is absent (true) or present (false)',
};

function operatorHover(value: string): string {
  const parsed = readOperator(value);
  if (!parsed) return `\`${value}\` is not a condition operator.`;
  const family = Object.keys(OPERATOR_NOTES).find((k) => parsed.base.startsWith(k)) ?? parsed.base;
  const lines = [`**${value}**: ${OPERATOR_NOTES[family] ?? ''}${parsed.base.includes('Like') ? '; `*` and `?` are wildcards' : ''}.`];
  if (parsed.set === 'ForAnyValue') lines.push('ForAnyValue: true when at least one value in the request matches (for multi-valued keys).');
  if (parsed.set === 'ForAllValues') lines.push('ForAllValues: true when every value in the request matches, **also when the key is absent**.');
  if (parsed.ifExists) lines.push('IfExists: also true when the key is absent from the request.');
  return lines.join('\n\n');
}

function conditionKeyHover(value: string): string {
  const info = findConditionKey(sharedCatalog(), value);
  if (!info) return `\`${value}\` is not a known condition key.`;
  return [`**${info.key}** · \`${info.type}\`${info.type.startsWith('ArrayOf') ? ' (multi-valued: use ForAnyValue/ForAllValues)' : ''}`, info.description].filter(Boolean).join('\n\n');
}
