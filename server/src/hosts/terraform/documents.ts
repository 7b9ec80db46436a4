/**
 * `data "aws_iam_policy_document"` blocks as policies, element by element: `statement` → a
 * statement, `principals` → the Principal map, `condition` → `{test: {variable: values}}`, a
 * default `Effect`/`Version` on the block header, `dynamic` blocks as their content is written,
 * and source and override documents merged by Sid as the data source merges them.
 */
import type { HostedPolicy, PolicyNode } from '../../engine/tree';
import { attribute, blockAttributes, blockHeader, type Attribute, type ReadContext, type Use } from './context';
import { isEmptyList, isNullLiteral, node, property } from './expressions';
import { firstNamed, named, referencePath, unwrap, type SyntaxNode } from './syntax';

const STATEMENT_ATTRIBUTE_LIST: Record<string, string> = {
  sid: 'Sid',
  effect: 'Effect',
  actions: 'Action',
  not_actions: 'NotAction',
  resources: 'Resource',
  not_resources: 'NotResource',
};

/** A statement's attribute names (`not_actions`) to its policy elements (`NotAction`): the data source's, and the kms module's `key_statements`. */
export const STATEMENT_ATTRIBUTES: ReadonlyMap<string, string> = new Map(Object.entries(STATEMENT_ATTRIBUTE_LIST));

interface DocumentInfo {
  name: string;
  block: SyntaxNode;
  policy: HostedPolicy;
  uses: Use[];
  /** Names of the documents in source_policy_documents / override_policy_documents. */
  merged: string[];
  sources: string[];
  overrides: string[];
  /** The statement blocks, each with the block that spans it (a dynamic block for its content). */
  statementBlocks: [SyntaxNode, SyntaxNode][];
  statements?: PolicyNode;
}

/** The policy documents of one read, and where each is used. */
export class DocumentReader {
  private readonly documents = new Map<string, DocumentInfo>();
  private readonly uses = new Map<string, Use[]>();
  /** Documents a module merges into a policy of its own (`source_policy_documents`): their statements only, with that kind. */
  private readonly mergedInto = new Map<string, Use>();

  constructor(private readonly cx: ReadContext) {}

  /** A document a module merges into its policy: checked as statements of that kind, not as a whole policy. */
  mergedBy(name: string, use: Use): void {
    if (!this.mergedInto.has(name)) this.mergedInto.set(name, use);
  }

  /** Documents given to a module this host does not read: the module may add statements of its own. */
  private readonly passed = new Set<string>();

  /** A document given as an input to a module this host does not read (`key_policy_documents = [data...json]`). */
  passedToModule(name: string): void {
    this.passed.add(name);
  }

  /** The uses of a document by name (it may be defined after its use). */
  use(name: string): Use[] {
    let uses = this.uses.get(name);
    if (!uses) this.uses.set(name, (uses = []));
    return uses;
  }

  /**
   * Adds the documents to the policies found, once every block is read. A document takes its kind
   * from where it is used. One used only as another's source or override is checked as part of
   * that one (merged as the data source merges), not alone.
   */
  finish(): void {
    const mergedOnly = new Set<string>();
    for (const info of this.documents.values()) for (const name of info.merged) if (this.documents.get(name)?.uses.length === 0) mergedOnly.add(name);
    for (const info of this.documents.values()) {
      if (info.merged.length > 0) this.merge(info);
      if (mergedOnly.has(info.name)) continue;
      const use = info.uses[0];
      const merged = this.mergedInto.get(info.name);
      if (use) {
        info.policy.kind = use.kind;
        info.policy.kindSource = 'host';
        info.policy.resource = use.resource;
      } else if (merged && info.statements) {
        // Its statements, as a fragment of the module's policy: no whole-policy rule judges them alone.
        info.policy.root = info.statements;
        info.policy.kind = merged.kind;
        info.policy.kindSource = 'host';
        info.policy.fragment = true;
      } else if (this.passed.has(info.name) && info.statements) {
        // Given to a module that may merge it with statements of its own (a key policy's root statement): a fragment too.
        info.policy.root = info.statements;
        info.policy.fragment = true;
      }
      this.cx.found.push({ at: info.block.startIndex, policy: info.policy });
    }
  }

  read(block: SyntaxNode, name: string): void {
    if (this.documents.has(name)) return;
    const { editor } = this.cx;
    const body = firstNamed(block, 'body');
    const header = headerSpan(block);
    const root = node('object', block.startIndex, block.endIndex, undefined);
    root.children = [];
    const info: DocumentInfo = { name, block, policy: { root, address: `data.aws_iam_policy_document.${name}`, fragment: false }, uses: this.use(name), merged: [], sources: [], overrides: [], statementBlocks: [] };
    this.documents.set(name, info);
    editor.note(root, { k: 'document' });

    const items = body ? named(body) : [];
    let version: PolicyNode | undefined;
    const statements: PolicyNode[] = [];
    const opaque: SyntaxNode[] = [];
    for (const item of items) {
      if (item.type === 'attribute') {
        const found = attribute(item);
        if (!found) continue;
        if (isNullLiteral(found.value)) continue; // left out, as Terraform leaves it out
        if (found.name === 'version' || found.name === 'policy_id') {
          const entry = this.attributeProperty(found, found.name === 'version' ? 'Version' : 'Id', root, false);
          if (found.name === 'version') version = entry;
          else root.children.push(entry);
        } else if (found.name === 'source_policy_documents' || found.name === 'override_policy_documents') {
          this.mergedDocuments(info, found, opaque);
        }
      } else if (item.type === 'block') {
        const [type, label] = blockHeader(item, this.cx.text);
        if (type === 'statement') info.statementBlocks.push([item, item]);
        else if (type === 'dynamic' && label === 'statement') {
          const content = this.dynamicContent(item);
          if (content) info.statementBlocks.push([content, item]);
        }
      }
    }
    for (const [content, outer] of info.statementBlocks) statements.push(policyVariablesOf(this.statement(content, outer)));
    // Each stands for the statements it brings, unknown here: the policy holds more than is written.
    for (const element of opaque) statements.push(this.cx.values.unknown(element, element));
    // The data source writes "Version": "2012-10-17" unless told otherwise.
    if (!version) version = this.synthesized('Version', '2012-10-17', header);
    root.children.unshift(version);
    version.parent = root;
    const first = statements[0];
    const last = statements[statements.length - 1];
    const array = node('array', first ? first.offset : header.start, last ? last.offset + last.length : header.end, undefined);
    array.children = statements;
    for (const statement of statements) statement.parent = array;
    editor.note(array, { k: 'statements' });
    info.statements = array;
    const statementKey = node('string', array.offset, array.offset + Math.min(array.length, first ? 'statement'.length : array.length), 'Statement');
    root.children.push(property(statementKey, array, root, array.offset, array.offset + array.length));
    editor.refuse(statementKey);
  }

  /** source_policy_documents / override_policy_documents: the documents they name, and the elements only Terraform can read. */
  private mergedDocuments(info: DocumentInfo, list: Attribute, opaque: SyntaxNode[]): void {
    const value = unwrap(list.value);
    const elements = value.type === 'collection_value' ? named(named(value)[0] ?? value).filter((e) => e.type === 'expression') : [list.value];
    for (const element of elements) {
      const path = referencePath(element);
      if (!path || path[0] !== 'data' || path[1] !== 'aws_iam_policy_document' || !path[2]) {
        // A document only Terraform can read (`var.extra_policy`, `concat(...)`): statements the tool cannot see.
        opaque.push(element);
        continue;
      }
      info.merged.push(path[2]);
      (list.name === 'source_policy_documents' ? info.sources : info.overrides).push(path[2]);
    }
  }

  /**
   * The statements the data source writes for a document with source and override documents:
   * the sources' statements, then its own (replacing a source statement of the same Sid), then
   * the overrides' (replacing by Sid, else appended). Statements read from other blocks are
   * fresh nodes with those blocks' spans.
   */
  private merge(info: DocumentInfo): void {
    const array = info.statements;
    if (!array) return;
    const list: PolicyNode[] = [];
    const bySid = new Map<string, number>();
    const add = (statement: PolicyNode): void => {
      const sid = statementSid(statement);
      const at = sid ? bySid.get(sid) : undefined;
      if (at !== undefined) list[at] = statement;
      else {
        if (sid) bySid.set(sid, list.length);
        list.push(statement);
      }
    };
    const others = (names: string[], seen: Set<string>): PolicyNode[] => {
      const result: PolicyNode[] = [];
      for (const name of names) {
        const other = this.documents.get(name);
        if (!other || seen.has(name) || seen.size > 8) continue;
        const nested = new Set(seen).add(name);
        // A source's own sources come first, as the data source already merged them into its JSON.
        if (other.merged.length > 0) result.push(...others(other.sources, nested), ...other.statementBlocks.map(([c, o]) => this.statement(c, o)), ...others(other.overrides, nested));
        else for (const [content, outer] of other.statementBlocks) result.push(this.statement(content, outer));
      }
      return result;
    };
    const seen = new Set([info.name]);
    for (const statement of others(info.sources, seen)) add(statement);
    for (const statement of array.children ?? []) add(statement);
    for (const statement of others(info.overrides, seen)) add(statement);
    array.children = list;
    for (const statement of list) statement.parent = array;
  }

  private dynamicContent(block: SyntaxNode): SyntaxNode | undefined {
    const body = firstNamed(block, 'body');
    return body ? named(body).find((b) => b.type === 'block' && blockHeader(b, this.cx.text)[0] === 'content') : undefined;
  }

  /** A property no text spells (a default): its spans are the header's, and it cannot be edited. */
  private synthesized(name: string, value: string, span: { start: number; end: number }): PolicyNode {
    const key = node('string', span.start, span.end, name);
    const val = node('string', span.start, span.end, value);
    const result = property(key, val, undefined, span.start, span.end);
    this.cx.editor.refuse(key);
    this.cx.editor.refuse(val);
    this.cx.editor.refuse(result);
    return result;
  }

  /** `name = value` in a block as `"Name": value`: the key spans the attribute's name. */
  private attributeProperty(found: Attribute, jsonName: string, parent: PolicyNode, list: boolean): PolicyNode {
    const { editor } = this.cx;
    const key = node('string', found.key.startIndex, found.key.endIndex, jsonName);
    editor.noteKey(key.offset, { k: 'attribute' });
    const value = this.cx.values.value(found.value, undefined, 1);
    if (list) editor.note(value, { k: 'value', list: true });
    const result = property(key, value, parent, found.key.startIndex, found.value.endIndex);
    editor.note(result, { k: 'attribute' });
    return result;
  }

  /** A statement block (or a dynamic block's content) as a statement object. */
  private statement(block: SyntaxNode, outer: SyntaxNode): PolicyNode {
    const { editor } = this.cx;
    const statement = node('object', outer.startIndex, outer.endIndex, undefined);
    statement.children = [];
    const body = firstNamed(block, 'body');
    const items = body ? named(body) : [];
    const open = firstNamed(block, 'block_start');
    const close = firstNamed(block, 'block_end');
    const lastItem = items[items.length - 1];
    editor.note(statement, {
      k: 'statement',
      insertAt: lastItem ? lastItem.endIndex : open ? open.endIndex : block.endIndex,
      close: close ? close.startIndex : block.endIndex,
      innerIndent: items[0] ? editor.indentAt(items[0].startIndex) : editor.indentAt(block.startIndex) + editor.indentUnit,
    });
    const principals: SyntaxNode[] = [];
    const notPrincipals: SyntaxNode[] = [];
    const conditions: SyntaxNode[] = [];
    // Blocks of a `dynamic` block: there once per element of its for_each, which may be empty.
    const dynamicBlocks = new Set<SyntaxNode>();
    let effect = false;
    for (const item of items) {
      if (item.type === 'attribute') {
        const found = attribute(item);
        const jsonName = found && STATEMENT_ATTRIBUTES.get(found.name);
        // An argument set to null is left out, as Terraform leaves it out (effect = null is the default, Allow).
        if (!found || !jsonName || isNullLiteral(found.value)) continue;
        // The data source writes NotAction and NotResource only when their list is not empty.
        if ((jsonName === 'NotAction' || jsonName === 'NotResource') && isEmptyList(found.value)) continue;
        if (jsonName === 'Effect') effect = true;
        statement.children.push(this.attributeProperty(found, jsonName, statement, jsonName !== 'Sid' && jsonName !== 'Effect'));
      } else if (item.type === 'block') {
        let [type, label] = blockHeader(item, this.cx.text);
        let block: SyntaxNode | undefined = item;
        if (type === 'dynamic') {
          // dynamic "condition" { for_each = ...; content { ... } }: the content, as written.
          type = label;
          block = this.dynamicContent(item);
          if (block) dynamicBlocks.add(block);
        }
        if (!block) continue;
        if (type === 'principals') principals.push(block);
        else if (type === 'not_principals') notPrincipals.push(block);
        else if (type === 'condition') conditions.push(block);
      }
    }
    if (!effect) {
      const entry = this.synthesized('Effect', 'Allow', headerSpan(block));
      entry.parent = statement;
      statement.children.unshift(entry);
    }
    const optional = (blocks: SyntaxNode[], entry: PolicyNode): PolicyNode => {
      // Only dynamic blocks: the element is written only when a for_each is not empty.
      if (blocks.every((b) => dynamicBlocks.has(b)) && entry.children?.[1]) entry.children[1].onlyIf = 'its dynamic block\'s for_each is not empty';
      return entry;
    };
    if (principals.length > 0) statement.children.push(optional(principals, this.principals(principals, 'Principal', statement)));
    if (notPrincipals.length > 0) statement.children.push(optional(notPrincipals, this.principals(notPrincipals, 'NotPrincipal', statement)));
    if (conditions.length > 0) statement.children.push(this.conditions(conditions, statement));
    statement.children.sort((a, b) => a.offset - b.offset);
    return statement;
  }

  /** principals { type, identifiers } blocks as a Principal map; type "*" with ["*"] as "*". */
  private principals(blocks: SyntaxNode[], name: string, statement: PolicyNode): PolicyNode {
    const { editor, values, text } = this.cx;
    const start = blocks[0].startIndex;
    const end = blocks[blocks.length - 1].endIndex;
    const key = node('string', start, start + Math.min(name === 'Principal' ? 'principals'.length : 'not_principals'.length, end - start), name);
    editor.noteKey(key.offset, { k: 'block' });
    let value: PolicyNode | undefined;
    if (blocks.length === 1) {
      const attributes = blockAttributes(blocks[0]);
      const type = attributes.get('type');
      const identifiers = attributes.get('identifiers');
      if (type && identifiers) {
        const typeNode = values.value(type.value, undefined, 2);
        const list = unwrap(identifiers.value);
        if (typeNode.type === 'string' && typeNode.value === '*' && !typeNode.parts && list.type === 'collection_value') {
          const idNode = values.value(identifiers.value, undefined, 2);
          if (idNode.type === 'array' && idNode.children?.length === 1 && idNode.children[0].value === '*') value = idNode.children[0];
        }
      }
    }
    if (!value) {
      value = node('object', start, end, undefined);
      value.children = [];
      for (const block of blocks) {
        const attributes = blockAttributes(block);
        const type = attributes.get('type');
        const identifiers = attributes.get('identifiers');
        if (!type || !identifiers) continue;
        const typeNode = values.value(type.value, undefined, 2);
        const typeKey = typeNode.type === 'string' ? typeNode : node('string', typeNode.offset, typeNode.offset + typeNode.length, text.slice(typeNode.offset, typeNode.offset + typeNode.length));
        editor.noteKey(typeKey.offset, { k: typeKey.parts ? 'none' : 'string' });
        const ids = values.value(identifiers.value, undefined, 2);
        editor.note(ids, { k: 'value', list: true });
        const entry = property(typeKey, ids, value, block.startIndex, block.endIndex);
        editor.note(entry, { k: 'block' });
        value.children.push(entry);
      }
    }
    const result = property(key, value, statement, start, end);
    editor.note(result, blocks.length === 1 ? { k: 'block' } : { k: 'none' });
    return result;
  }

  /** condition { test, variable, values } blocks as a Condition map: { test: { variable: values } }. */
  private conditions(blocks: SyntaxNode[], statement: PolicyNode): PolicyNode {
    const { editor, values } = this.cx;
    const start = blocks[0].startIndex;
    const end = blocks[blocks.length - 1].endIndex;
    const key = node('string', start, start + Math.min('condition'.length, end - start), 'Condition');
    editor.noteKey(key.offset, { k: 'block' });
    const value = node('object', start, end, undefined);
    value.children = [];
    editor.note(value, { k: 'condition', statement });
    for (const block of blocks) {
      const attributes = blockAttributes(block);
      const test = attributes.get('test');
      const variable = attributes.get('variable');
      const valuesAttribute = attributes.get('values');
      if (!test || !variable || !valuesAttribute) continue;
      const testNode = values.keyNode(values.value(test.value, undefined, 2));
      const variableNode = values.keyNode(values.value(variable.value, undefined, 2));
      const valuesNode = values.value(valuesAttribute.value, undefined, 2);
      editor.note(valuesNode, { k: 'value', list: true });
      const inner = node('object', block.startIndex, block.endIndex, undefined);
      editor.note(inner, { k: 'operator', statement, test: testNode.value });
      inner.children = [property(variableNode, valuesNode, inner, block.startIndex, block.endIndex)];
      editor.note(inner.children[0], { k: 'none' });
      const operator = property(testNode, inner, value, block.startIndex, block.endIndex);
      editor.note(operator, { k: 'block' });
      value.children.push(operator);
    }
    const result = property(key, value, statement, start, end);
    editor.note(result, blocks.length === 1 ? { k: 'block' } : { k: 'none' });
    return result;
  }
}

function headerSpan(block: SyntaxNode): { start: number; end: number } {
  const open = firstNamed(block, 'block_start');
  return { start: block.startIndex, end: open ? open.endIndex : Math.min(block.endIndex, block.startIndex + 1) };
}

function statementSid(statement: PolicyNode): string | undefined {
  for (const entry of statement.children ?? []) {
    const [key, value] = entry.children ?? [];
    if (key?.value === 'Sid' && value?.type === 'string' && value.value !== '' && !value.parts) return value.value;
  }
  return undefined;
}

/**
 * The data source writes `&{aws:username}` as the policy variable `${aws:username}` (Terraform's
 * escape for IAM policy variables in aws_iam_policy_document): same length, so spans stay.
 */
function policyVariablesOf(statement: PolicyNode): PolicyNode {
  const stack: PolicyNode[] = [statement];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'string' && typeof n.value === 'string' && n.value.includes('&{')) {
      n.value = n.value.replace(/&\{/g, '${');
      if (n.parts) n.parts = n.parts.map((p) => ('literal' in p && p.literal.includes('&{') ? { literal: p.literal.replace(/&\{/g, '${') } : p));
    }
    if (n.children) stack.push(...n.children);
  }
  return statement;
}
