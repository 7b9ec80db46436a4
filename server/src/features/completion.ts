/** Completion: elements, values, actions, condition operators and keys, statement snippets. */
import * as fs from 'fs';
import * as path from 'path';
import { getLocation, type Node } from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver';
import { sharedCatalog } from '../catalog/iamData';
import { matchActions, type ConditionKeyInfo } from '../engine/catalog';
import { allOperators } from '../engine/rules/conditions';
import type { Analysis } from '../project';

const TOP_ELEMENTS: [string, string, string][] = [
  ['Version', '"2012-10-17"', 'The policy language version. Always "2012-10-17".'],
  ['Id', '"${1:key-policy}"', 'An optional identifier for the policy.'],
  ['Statement', '[\n\t$0\n]', 'The statements: who may (or may not) do what on which resource.'],
];
const STATEMENT_ELEMENTS: [string, string, string][] = [
  ['Sid', '"$1"', 'Statement ID. Identity policies: letters and digits only.'],
  ['Effect', '"${1|Allow,Deny|}"', 'Allow or Deny.'],
  ['Principal', '{ "AWS": "arn:aws:iam::${1:111122223333}:root" }', 'Who the statement applies to (key and resource policies only).'],
  ['NotPrincipal', '{ "AWS": "$1" }', 'Everyone except these principals. Avoid with Allow.'],
  ['Action', '[\n\t"$1"\n]', 'The actions, as service:Action (wildcards * and ? allowed).'],
  ['NotAction', '[\n\t"$1"\n]', 'Every action except these.'],
  ['Resource', '"${1:*}"', 'The resources. In a key policy "*" means this key.'],
  ['NotResource', '"$1"', 'Every resource except these.'],
  ['Condition', '{\n\t"${1:StringEquals}": {\n\t\t"$2": "$3"\n\t}\n}', 'When the statement applies.'],
];
const PRINCIPAL_TYPES: [string, string][] = [
  ['AWS', 'Accounts, roles and users: arn:aws:iam::<account>:root|role/...|user/...'],
  ['Service', 'AWS service principals such as logs.amazonaws.com'],
  ['Federated', 'SAML or OIDC identity providers'],
  ['CanonicalUser', 'S3 canonical user IDs'],
];

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

let statementSnippets: [string, Snippet][] | undefined;

/** Statement-level snippets ship in snippets/statements.code-snippets, next to the package root. */
function loadStatementSnippets(): [string, Snippet][] {
  if (statementSnippets) return statementSnippets;
  let dir = __dirname;
  for (let i = 0; i < 6 && !fs.existsSync(path.join(dir, 'snippets', 'statements.code-snippets')); i++) dir = path.dirname(dir);
  try {
    statementSnippets = Object.entries(JSON.parse(fs.readFileSync(path.join(dir, 'snippets', 'statements.code-snippets'), 'utf8')));
  } catch {
    statementSnippets = [];
  }
  return statementSnippets;
}

function existingKeys(node: Node | undefined): Set<string> {
  return new Set((node?.children ?? []).map((p) => p.children?.[0]?.value).filter((v): v is string => typeof v === 'string'));
}

export function completion(analysis: Analysis, position: Position): CompletionItem[] {
  const model = analysis.result.model;
  const text = analysis.text;
  const offset = analysis.lines.offsetAt(position);
  const location = getLocation(text, offset);
  const path = location.path;
  const previous = location.previousNode;
  const inString = !!previous && previous.type === 'string' && offset > previous.offset && offset <= previous.offset + previous.length;
  const replaceStart = inString ? previous!.offset : offset;
  const replaceEnd = inString ? previous!.offset + previous!.length : offset;
  const range = analysis.lines.rangeOf({ start: replaceStart, end: replaceEnd });
  const typed = inString ? text.slice(previous!.offset + 1, offset) : '';

  /** A quoted value, replacing the string under the cursor if there is one. */
  const valueItem = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string, extra: Partial<CompletionItem> = {}): CompletionItem => ({
    label,
    kind,
    detail,
    documentation: documentation ? { kind: MarkupKind.Markdown, value: documentation } : undefined,
    textEdit: { range, newText: JSON.stringify(label) },
    filterText: JSON.stringify(label),
    ...extra,
  });
  const keyItem = (label: string, valueSnippet: string, documentation: string, kind: CompletionItemKind = CompletionItemKind.Property): CompletionItem => ({
    label,
    kind,
    documentation: { kind: MarkupKind.Markdown, value: documentation },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: `"${label}": ${valueSnippet}` },
    filterText: `"${label}"`,
  });

  const statementNode = (): Node | undefined => {
    if (!model || path[0] !== 'Statement') return undefined;
    const index = typeof path[1] === 'number' ? path[1] : 0;
    return model.statements[index]?.node ?? model.statements[0]?.node;
  };

  if (location.isAtPropertyKey) {
    if (path.length === 1) {
      const present = existingKeys(model?.root);
      return TOP_ELEMENTS.filter(([name]) => !present.has(name)).map(([name, snippet, doc]) => keyItem(name, snippet, doc));
    }
    const statementDepth = typeof path[1] === 'number' ? 3 : 2;
    if (path[0] === 'Statement' && path.length === statementDepth) {
      const present = existingKeys(statementNode());
      return STATEMENT_ELEMENTS.filter(([name]) => !present.has(name)).map(([name, snippet, doc]) => keyItem(name, snippet, doc));
    }
    const conditionAt = path.indexOf('Condition');
    if (conditionAt > 0 && path.length === conditionAt + 2) {
      return allOperators().flatMap((op) => [op, `ForAnyValue:${op}`, `ForAllValues:${op}`].filter((o) => o === op || /^String|^Arn/.test(op)))
        .map((op, i) => ({ ...keyItem(op, '{\n\t"$1": "$2"\n}', 'Condition operator', CompletionItemKind.Operator), sortText: String(i).padStart(4, '0') }));
    }
    if (conditionAt > 0 && path.length === conditionAt + 3) return conditionKeyItems(analysis, path, keyItem);
    const principalAt = path.findIndex((p) => p === 'Principal' || p === 'NotPrincipal');
    if (principalAt > 0 && path.length === principalAt + 2) return PRINCIPAL_TYPES.map(([name, doc]) => keyItem(name, '"$1"', doc, CompletionItemKind.EnumMember));
    return [];
  }

  const last = path[path.length - 1];
  const element = typeof last === 'number' ? path[path.length - 2] : last;
  if (path.length === 1 && element === 'Version') return [valueItem('2012-10-17', CompletionItemKind.Value, 'current policy language')];
  if (path[0] !== 'Statement') return [];
  if ((path.length === 2 && typeof path[1] === 'number') || (path.length === 1 && !inString)) {
    // Between statements in the Statement array: whole statements.
    return loadStatementSnippets().map(([name, snippet], i) => ({
      label: snippet.prefix,
      kind: CompletionItemKind.Snippet,
      detail: name,
      documentation: { kind: MarkupKind.Markdown, value: snippet.description },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: snippet.body.join('\n') },
      sortText: String(i).padStart(3, '0'),
    }));
  }
  switch (element) {
    case 'Effect':
      return ['Allow', 'Deny'].map((v) => valueItem(v, CompletionItemKind.EnumMember));
    case 'Action':
    case 'NotAction':
      return actionItems(typed, valueItem, range);
    default:
      return [];
  }
}

function actionItems(typed: string, valueItem: (label: string, kind: CompletionItemKind, detail?: string, doc?: string, extra?: Partial<CompletionItem>) => CompletionItem, range: Range): CompletionItem[] {
  const catalog = sharedCatalog();
  const colon = typed.indexOf(':');
  if (colon < 0) {
    const prefixes = [...catalog.servicePrefixes()].sort((a, b) => (a === 'kms' ? -1 : b === 'kms' ? 1 : a.localeCompare(b)));
    return prefixes.map((prefix, i) => ({
      label: `${prefix}:`,
      kind: CompletionItemKind.Module,
      detail: catalog.serviceName(prefix),
      textEdit: { range, newText: `"${prefix}:` },
      filterText: `"${prefix}:`,
      sortText: String(i).padStart(4, '0'),
      command: { title: 'Suggest actions', command: 'editor.action.triggerSuggest' },
    }));
  }
  const prefix = typed.slice(0, colon).toLowerCase();
  const service = catalog.service(prefix);
  if (!service) return [];
  const items = [valueItem(`${prefix}:*`, CompletionItemKind.Value, `every ${service.name} action`, undefined, { sortText: '0' })];
  for (const action of service.actions.values()) {
    items.push(valueItem(`${prefix}:${action.name}`, CompletionItemKind.Function, action.accessLevel, `${action.description}${action.resourceTypes.length ? `\n\nResource types: ${action.resourceTypes.join(', ')}` : ''}`));
  }
  return items;
}

function conditionKeyItems(analysis: Analysis, path: (string | number)[], keyItem: (label: string, snippet: string, doc: string, kind?: CompletionItemKind) => CompletionItem): CompletionItem[] {
  const catalog = sharedCatalog();
  const model = analysis.result.model;
  const statement = model?.statements[typeof path[1] === 'number' ? path[1] : 0];
  const keys = new Map<string, ConditionKeyInfo>();
  for (const item of statement?.actions?.items ?? []) {
    for (const action of matchActions(catalog, item.value).actions) {
      const service = catalog.service(action.service);
      for (const key of action.conditionKeys) {
        const info = service?.conditionKeys.get(key.toLowerCase());
        keys.set(key, info ?? { key, description: '', type: 'String' });
      }
    }
  }
  for (const global of catalog.globalConditionKeys()) keys.set(global.key, global);
  return [...keys.values()].map((info, i) => ({
    ...keyItem(info.key, info.type === 'Bool' ? '"${1|true,false|}"' : '"$1"', `\`${info.type}\`${info.description ? `\n\n${info.description}` : ''}`, CompletionItemKind.Field),
    detail: info.type,
    sortText: (info.key.startsWith('aws:') ? '1' : '0') + String(i).padStart(4, '0'),
  }));
}
