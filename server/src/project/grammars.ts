/**
 * Loads tree-sitter and the Terraform grammar (both WebAssembly), once per process: the parser
 * is handed to the Terraform host with each read (`ReadOptions.grammars`), as the host is pure
 * and never reads files. The bundle finds the two `.wasm` files beside itself (scripts/build.js
 * copies them); tests and tools run from source find them in node_modules.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser as TreeSitterParser } from 'web-tree-sitter';
import type { Grammars } from '../hosts';

type Parser = TreeSitterParser;

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const TERRAFORM_WASM = 'tree-sitter-terraform.wasm';

// The one load of the WebAssembly, shared: the parser it gives is the same for every caller.
let loading: Promise<Parser> | undefined;

/** Every parser a host needs, loaded (what `Project#grammarsReady` awaits). */
export async function loadGrammars(): Promise<Grammars> {
  return { terraform: await loadTerraformGrammar() };
}

/** Terraform's parser; safe to call many times (loads once). */
export function loadTerraformGrammar(): Promise<Parser> {
  if (!loading) {
    loading = load();
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

function locate(name: string, fromSource: () => string): string {
  const beside = path.join(__dirname, name);
  return fs.existsSync(beside) ? beside : fromSource();
}

async function load(): Promise<Parser> {
  // Required here, not imported: only a process that meets a .tf pays for tree-sitter, and the
  // bundler takes the package's CommonJS build, which needs no import.meta.
  const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');
  const runtime = locate(RUNTIME_WASM, () => require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
  const grammar = locate(TERRAFORM_WASM, () => path.join(path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), TERRAFORM_WASM));
  await Parser.init({ wasmBinary: fs.readFileSync(runtime) } as object);
  const language = await Language.load(fs.readFileSync(grammar));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
