// The engine (and the format hosts) stay pure: no file system, no paths, no VS Code or LSP, no
// Node built-ins, no Buffer; and the engine depends on no layer above it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './helpers';

const SRC = path.join(repoRoot, 'server', 'src');
const PURE_FOLDERS = ['engine', 'hosts'];
const FORBIDDEN_MODULES = [/^fs(\/|$)/, /^path(\/|$)/, /^vscode$/, /^vscode-languageserver/, /^node:/];
/** Layers above the engine: what it may never import. */
const ABOVE_ENGINE = ['features', 'cli', 'workspace', 'project', 'lsp', 'cli.ts', 'server.ts'].map((p) => path.join(SRC, p));

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

interface Problem {
  file: string;
  what: string;
}

interface Token {
  kind: 'name' | 'string' | 'template' | 'punct';
  text: string;
  line: number;
}

const REGEX_AFTER = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

/**
 * A small TypeScript/JavaScript tokenizer: names, string literals, the text parts of template
 * literals (their substitutions are read as code) and punctuation, with comments and regular expression
 * literals skipped. Enough to find import specifiers and identifiers without a parser.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const braces: ('code' | 'template')[] = [];
  let line = 1;
  let i = 0;
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (!last) return true;
    if (last.kind === 'name') return REGEX_AFTER.has(last.text);
    if (last.kind === 'string' || last.kind === 'template') return false;
    return !(last.text === ')' || last.text === ']' || last.text === '}');
  };
  const readTemplate = () => {
    // From just after ` or after the } that closes a substitution.
    let value = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') { value += text.slice(i, i + 2); i += 2; continue; }
      if (c === '\n') line++;
      if (c === '`') { i++; tokens.push({ kind: 'template', text: value, line }); return; }
      if (c === '$' && text[i + 1] === '{') { i += 2; braces.push('template'); tokens.push({ kind: 'template', text: value, line }); return; }
      value += c;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      line += text.slice(i, stop).split('\n').length - 1;
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') { value += text[i + 1]; i += 2; } else value += text[i++];
      }
      i++;
      tokens.push({ kind: 'string', text: value, line });
      continue;
    }
    if (c === '`') { i++; readTemplate(); continue; }
    if (c === '/' && regexAllowed()) {
      let inClass = false;
      i++;
      while (i < text.length && text[i] !== '\n') {
        const r = text[i];
        if (r === '\\') { i += 2; continue; }
        if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (/[a-z]/i.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'string', text: '', line }); // a regular expression: a value, like a string
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 200))!;
      tokens.push({ kind: 'name', text: match[0], line });
      i += match[0].length;
      continue;
    }
    if (/\d/.test(c)) {
      const match = /^[\d._a-fA-FxXnoObB]+/.exec(text.slice(i, i + 100))!;
      tokens.push({ kind: 'name', text: match[0], line });
      i += match[0].length;
      continue;
    }
    if (c === '{') braces.push('code');
    if (c === '}' && braces.pop() === 'template') { i++; readTemplate(); continue; }
    tokens.push({ kind: 'punct', text: c, line });
    i++;
  }
  return tokens;
}

/** Module specifiers: import/export ... from, side-effect imports, import(), require(), import x = require(). */
function importsOf(tokens: Token[]): string[] {
  const result: string[] = [];
  tokens.forEach((token, k) => {
    const next = tokens[k + 1];
    const after = tokens[k + 2];
    if (token.kind !== 'name' || !next) return;
    if ((token.text === 'from' || token.text === 'import') && next.kind === 'string') result.push(next.text);
    else if ((token.text === 'import' || token.text === 'require') && next.text === '(' && after?.kind === 'string') result.push(after.text);
  });
  return result;
}

/** What breaks the engine's purity (and, with checkLayers, its place below the other layers) in one source text. */
function problemsIn(file: string, text: string, checkLayers: boolean): Problem[] {
  const problems: Problem[] = [];
  const rel = path.relative(repoRoot, file);
  const tokens = tokenize(text);
  for (const specifier of importsOf(tokens)) {
    if (FORBIDDEN_MODULES.some((pattern) => pattern.test(specifier))) problems.push({ file: rel, what: `imports ${specifier}` });
    if (checkLayers && specifier.startsWith('.')) {
      const target = path.resolve(path.dirname(file), specifier);
      const above = ABOVE_ENGINE.find((layer) => target === layer || target === layer.replace(/\.ts$/, '') || target.startsWith(layer + path.sep));
      if (above) problems.push({ file: rel, what: `imports ${specifier} (${path.relative(SRC, above)} is above the engine)` });
    }
  }
  tokens.forEach((token, k) => {
    if (token.kind !== 'name' || token.text !== 'Buffer') return;
    const before = tokens[k - 1];
    const member = before?.text === '.' && !/^(globalThis|global|window|self)$/.test(tokens[k - 2]?.text ?? '');
    if (!member) problems.push({ file: rel, what: `uses Buffer (line ${token.line})` });
  });
  return problems;
}

test('the engine and the hosts import no fs, path, vscode, LSP or node: modules, and use no Buffer', () => {
  const files = PURE_FOLDERS.flatMap((folder) => sourceFiles(path.join(SRC, folder)));
  assert.ok(files.some((f) => f.includes(`${path.sep}engine${path.sep}`)), 'the engine has source files');
  const problems = files.flatMap((file) => problemsIn(file, fs.readFileSync(file, 'utf8'), false));
  assert.deepEqual(problems, []);
});

test('the engine imports nothing from the features, the CLI, the workspace or project layer, or the server', () => {
  const problems = sourceFiles(path.join(SRC, 'engine')).flatMap((file) => problemsIn(file, fs.readFileSync(file, 'utf8'), true));
  assert.deepEqual(problems, []);
});

test('the boundary scan finds what it looks for (imports of every form, Buffer, layers above)', () => {
  const file = path.join(SRC, 'engine', 'rules', 'example.ts');
  const text = [
    "import * as fs from 'fs';",
    "import type { Connection } from 'vscode-languageserver/node';",
    "import { readFile } from 'node:fs/promises';",
    "export { join } from 'path';",
    "import { RULES } from './registry';",
    "import { WorkspaceIndex } from '../../workspace/index';",
    "import type { Thing } from '../../features/hover';",
    "const vscode = require('vscode');",
    "const later = () => import('../../project/config');",
    'const size = Buffer.byteLength("x");',
    'const other = globalThis.Buffer;',
    'const fine = holder.Buffer + "Buffer" + `${"import(\'fs\')"}`; // Buffer',
    "const pattern = /'fs'|\\/import/g; const quote = 'a/b'; /* require('path') */",
  ].join('\n');
  const found = problemsIn(file, text, true).map((p) => p.what.replace(/ \(.*\)$/, ''));
  assert.deepEqual(found, [
    'imports fs',
    'imports vscode-languageserver/node',
    'imports node:fs/promises',
    'imports path',
    'imports ../../workspace/index',
    'imports ../../features/hover',
    'imports vscode',
    'imports ../../project/config',
    'uses Buffer',
    'uses Buffer',
  ]);
});
