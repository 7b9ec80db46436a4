/** Completion: elements, values, actions, condition operators and keys, statement snippets. */
import * as fs from 'fs';
import * as path from 'path';
import { getLocation, type Node } from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range, type TextEdit } from 'vscode-languageserver';
import { sharedCatalog } from '../catalog/iamData';
import { matchActions, type ConditionKeyInfo } from '../engine/catalog';
import { allOperators } from '../engine/access/operators';
import type { PolicyKind } from '../engine/types';
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

const loadedSnippets = new Map<string, [string, Snippet][]>();

/**
 * The snippets ship in snippets/*.code-snippets, next to the package root: statements.code-snippets
 * (one statement) and documents.code-snippets (a whole policy). The server offers them where they
 * fit, so a whole policy is never offered inside a Statement array.
 */
function loadSnippets(file: 'statements' | 'documents'): [string, Snippet][] {
  const known = loadedSnippets.get(file);
  if (known) return known;
  const name = `${file}.code-snippets`;
  let dir = __dirname;
  for (let i = 0; i < 6 && !fs.existsSync(path.join(dir, 'snippets', name)); i++) dir = path.dirname(dir);
  let snippets: [string, Snippet][];
  try {
    snippets = Object.entries(JSON.parse(fs.readFileSync(path.join(dir, 'snippets', name), 'utf8')));
  } catch {
    snippets = [];
  }
  loadedSnippets.set(file, snippets);
  return snippets;
}

/** Which kind of policy a snippet belongs to, from its name: "... (key policy)" or "... (IAM policy ...)". */
export function snippetKind(name: string): PolicyKind | undefined {
  if (/\(key policy\)$|^Default key policy$/.test(name)) return 'key-policy';
  if (/\(IAM policy[^)]*\)$|^IAM policy/.test(name)) return 'identity-policy';
  return undefined;
}

/** The kind a policy is known to have, or undefined when only guessed from content that says little yet. */
function knownKind(analysis: Analysis): PolicyKind | undefined {
  const model = analysis.result.model;
  if (model && (model.kindSource !== 'content' || model.statements.length > 0)) return model.kind;
  const name = analysis.options.fileName ?? '';
  if (/\.key-policy\.json$/i.test(name)) return 'key-policy';
  if (/\.iam\.json$/i.test(name)) return 'identity-policy';
  return undefined;
}

/**
 * The commas a statement inserted at `start..end` of the Statement array needs: one after the
 * statement before it (an additional edit, where that statement ends) when none follows it yet,
 * and one after the inserted text when a statement follows without a comma in between.
 */
function statementCommas(analysis: Analysis, start: number, end: number): { before?: TextEdit; after: string } {
  const list = analysis.result.model?.statementElement?.value;
  if (!list || list.type !== 'array') return { after: '' };
  const text = analysis.text;
  const children = list.children ?? [];
  const previous = [...children].reverse().find((c) => c.offset + c.length <= start);
  const next = children.find((c) => c.offset >= end);
  let before: TextEdit | undefined;
  if (previous && !text.slice(previous.offset + previous.length, start).includes(',')) {
    const at = analysis.lines.positionAt(previous.offset + previous.length);
    before = { range: { start: at, end: at }, newText: ',' };
  }
  const after = next && !text.slice(end, next.offset).includes(',') ? ',' : '';
  return { before, after };
}

function existingKeys(node: Node | undefined): Set<string> {
  return new Set((node?.children ?? []).map((p) => p.children?.[0]?.value).filter((v): v is string => typeof v === 'string'));
}

export function completion(analysis: Analysis, position: Position): CompletionItem[] {
  const cursor = cursorAt(analysis, position);
  return cursor.location.isAtPropertyKey ? keyCompletions(cursor) : valueCompletions(cursor);
}

type ValueItem = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string, extra?: Partial<CompletionItem>) => CompletionItem;
type KeyItem = (label: string, valueSnippet: string, documentation: string, kind?: CompletionItemKind) => CompletionItem;

/** Where completion was asked: the JSON path, the string under the cursor (replaced whole), and item makers for that range. */
interface Cursor {
  analysis: Analysis;
  model: Analysis['result']['model'];
  text: string;
  offset: number;
  location: ReturnType<typeof getLocation>;
  path: ReturnType<typeof getLocation>['path'];
  inString: boolean;
  replaceStart: number;
  replaceEnd: number;
  range: Range;
  /** What is typed inside the string before the cursor. */
  typed: string;
  /** A quoted value, replacing the string under the cursor if there is one. */
  valueItem: ValueItem;
  keyItem: KeyItem;
}

function cursorAt(analysis: Analysis, position: Position): Cursor {
  const text = analysis.text;
  const offset = analysis.lines.offsetAt(position);
  const location = getLocation(text, offset);
  const previous = location.previousNode;
  const inString = !!previous && previous.type === 'string' && offset > previous.offset && offset <= previous.offset + previous.length;
  const replaceStart = inString ? previous!.offset : offset;
  const replaceEnd = inString ? previous!.offset + previous!.length : offset;
  const range = analysis.lines.rangeOf({ start: replaceStart, end: replaceEnd });
  return {
    analysis,
    model: analysis.result.model,
    text,
    offset,
    location,
    path: location.path,
    inString,
    replaceStart,
    replaceEnd,
    range,
    typed: inString ? text.slice(previous!.offset + 1, offset) : '',
    valueItem: (label, kind, detail, documentation, extra = {}) => ({
      label,
      kind,
      detail,
      documentation: documentation ? { kind: MarkupKind.Markdown, value: documentation } : undefined,
      textEdit: { range, newText: JSON.stringify(label) },
      filterText: JSON.stringify(label),
      ...extra,
    }),
    keyItem: (label, valueSnippet, documentation, kind = CompletionItemKind.Property) => ({
      label,
      kind,
      documentation: { kind: MarkupKind.Markdown, value: documentation },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: `"${label}": ${valueSnippet}` },
      filterText: `"${label}"`,
    }),
  };
}

/** Property names: policy and statement elements, condition operators and keys, principal types. */
function keyCompletions({ analysis, model, path, keyItem }: Cursor): CompletionItem[] {
  if (path.length === 1) {
    const present = existingKeys(model?.root);
    return TOP_ELEMENTS.filter(([name]) => !present.has(name)).map(([name, snippet, doc]) => keyItem(name, snippet, doc));
  }
  const statementDepth = typeof path[1] === 'number' ? 3 : 2;
  if (path[0] === 'Statement' && path.length === statementDepth) {
    const index = typeof path[1] === 'number' ? path[1] : 0;
    const present = existingKeys(model ? (model.statements[index]?.node ?? model.statements[0]?.node) : undefined);
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

/** Values: whole policies in an empty file, statements between statements, Version, Effect and actions. */
function valueCompletions(cursor: Cursor): CompletionItem[] {
  const { analysis, model, text, offset, path, inString, replaceEnd, valueItem } = cursor;
  const last = path[path.length - 1];
  const element = typeof last === 'number' ? path[path.length - 2] : last;
  const kind = knownKind(analysis);
  const fits = (name: string) => !kind || snippetKind(name) === kind;
  if (path.length === 0 && !inString && (!model || offset <= model.root.offset || offset >= model.root.offset + model.root.length) && text.trim() === '') {
    // An empty file: whole policies of the kind its name gives.
    return loadSnippets('documents').filter(([name]) => fits(name)).map(([name, snippet], i) => snippetItem(cursor, name, snippet, i));
  }
  if (path.length === 1 && element === 'Version') return [valueItem('2012-10-17', CompletionItemKind.Value, 'current policy language')];
  if (path[0] !== 'Statement') return [];
  if ((path.length === 2 && typeof path[1] === 'number' && !inString) || (path.length === 1 && !inString)) {
    // Between statements in the Statement array: statements of this kind of policy, with the commas they need.
    const { before, after } = statementCommas(analysis, wordStart(cursor), replaceEnd);
    return loadSnippets('statements').filter(([name]) => fits(name)).map(([name, snippet], i) => snippetItem(cursor, name, snippet, i, after, before));
  }
  switch (element) {
    case 'Effect':
      return ['Allow', 'Deny'].map((v) => valueItem(v, CompletionItemKind.EnumMember));
    case 'Action':
    case 'NotAction':
      return actionItems(cursor.typed, valueItem, cursor.range);
    default:
      return [];
  }
}

/** Where the word typed before the cursor starts (a snippet prefix such as "ks-gr"): the string under the cursor, or the word. */
function wordStart({ text, offset, inString, replaceStart }: Cursor): number {
  return inString ? replaceStart : offset - (/[\w-]*$/.exec(text.slice(Math.max(0, offset - 64), offset))?.[0].length ?? 0);
}

/** A snippet replacing the word typed before the cursor. */
function snippetItem(cursor: Cursor, name: string, snippet: Snippet, i: number, after = '', before?: TextEdit): CompletionItem {
  return {
    label: snippet.prefix,
    kind: CompletionItemKind.Snippet,
    detail: name,
    documentation: { kind: MarkupKind.Markdown, value: snippet.description },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: cursor.analysis.lines.rangeOf({ start: wordStart(cursor), end: cursor.replaceEnd }), newText: snippet.body.join('\n') + after },
    additionalTextEdits: before ? [before] : undefined,
    filterText: snippet.prefix,
    sortText: String(i).padStart(3, '0'),
  };
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
