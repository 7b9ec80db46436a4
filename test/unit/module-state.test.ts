// ARCHITECTURE.md's "no module state": what changes behaviour (a parser, the docs base, the rules that
// failed) is handed in or lives on an instance, never in a module. A module may keep only what cannot
// change an answer: a memo of a pure function, a lazy load of a library, a scratch buffer. Each such
// binding is listed here with why; anything new at the top level of a module fails until it is.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@babel/parser';
import { repoRoot } from './helpers';

/** `file:name` of each module-level binding that may change after load, with why it cannot change behaviour. */
const ALLOWED: Record<string, string> = {
  'catalog/iamData.ts:shared': 'the IAM catalog, loaded once: the same data for every caller',
  'project/grammars.ts:loading': 'the WebAssembly load, once: the parser is handed to each read by the project',
  'project/analysis.ts:lastFileOf': 'memo of fileOf(uri), a pure function',
  'project/files.ts:readBuffer': 'scratch buffer for reads, overwritten by each',
  'hosts/cloudformation/yamlTree.ts:loaded': 'the yaml package, required on first use',
  'engine/actions.ts:coverCache': 'memo of action coverage, a pure function of its inputs',
  'engine/actions.ts:qualifiedNames': 'memo keyed by the catalog object',
  'engine/actions.ts:coveredLowerCache': 'memo keyed by the action set',
  'engine/catalog.ts:patternCache': 'compiled wildcard patterns',
  'engine/catalog.ts:matcherCache': 'compiled action matchers',
  'engine/check.ts:byOffset': 'memo keyed by the models array',
  'engine/check.ts:ruleLists': 'memo of the rules a set of options selects',
  'engine/text.ts:pool': 'interned strings: equal text, one copy',
  'engine/access/index.ts:kmsLists': 'memo keyed by the action set',
  'engine/access/index.ts:splits': 'memo keyed by the action list',
  'engine/access/request.ts:globalKeys': 'memo keyed by the catalog object',
  'engine/access/request.ts:keyCache': 'memo keyed by the catalog object',
  'engine/access/operators.ts:operators': 'parsed condition operators',
  'engine/access/evaluator.ts:globs': 'compiled condition wildcards',
  'engine/rules/resource-redundant.ts:patterns': 'compiled resource patterns',
  'engine/rules/condition-never-matches.ts:absentActions': 'memo keyed by the action set',
  'features/completion.ts:loadedSnippets': 'the snippet files, read once: they ship with the extension',
  'features/hover.ts:suppressedCache': 'memo keyed by the analysis',
  'workspace/handshake.ts:keyActions': 'memo keyed by the matched action list',
  'workspace/handshake.ts:sharedLower': 'memo keyed by the action list',
};

function sources(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

type Node = { type: string; kind?: string; declarations?: { id: { name?: string }; init?: { type: string; callee?: { name?: string } } | null }[]; declaration?: Node | null };

/** Module-level bindings that can change: every `let`/`var`, and every `const` holding a new Map, Set, WeakMap or WeakSet whose name is not a CONSTANT. */
function mutableBindings(text: string): string[] {
  const program = parse(text, { sourceType: 'module', plugins: ['typescript'] }).program;
  const found: string[] = [];
  for (const statement of program.body as unknown as Node[]) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (!declaration || declaration.type !== 'VariableDeclaration') continue;
    for (const d of declaration.declarations ?? []) {
      const name = d.id.name ?? '(pattern)';
      const collection = d.init?.type === 'NewExpression' && ['Map', 'Set', 'WeakMap', 'WeakSet'].includes(d.init.callee?.name ?? '');
      if (declaration.kind !== 'const' || (collection && !/^[A-Z][A-Z0-9_]*$/.test(name))) found.push(name);
    }
  }
  return found;
}

test('no module-level state but the memos and lazy loads listed, each with why it changes no answer', () => {
  const root = path.join(repoRoot, 'server', 'src');
  const files = sources(root);
  assert.ok(files.length > 100, 'the sources were found');
  const found = files.flatMap((file) => mutableBindings(fs.readFileSync(file, 'utf8')).map((name) => `${path.relative(root, file).split(path.sep).join('/')}:${name}`));
  assert.deepEqual(found.filter((binding) => !(binding in ALLOWED)), [], 'module-level state: hand it in, or put it on an instance');
  // An entry for a binding that is gone is dropped, so the list stays what the code is.
  assert.deepEqual(Object.keys(ALLOWED).filter((binding) => !found.includes(binding)), []);
});

test('the check finds the state it is meant to find', () => {
  assert.deepEqual(mutableBindings('let parser;\nexport let base = "x";\nconst cache = new Map();\nconst TABLE = new Set([1]);\nconst n = 1;\nfunction f() { let inner = 1; return inner; }'), ['parser', 'base', 'cache']);
});
