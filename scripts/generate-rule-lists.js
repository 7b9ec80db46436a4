#!/usr/bin/env node
// Writes what mirrors the rule files (server/src/engine/rules/<rule-id>.ts): the registry's list
// of rule modules (engine/rules/all.ts), the `keyshare.rules` settings in package.json, the rule
// lists of the keyshare.json schema, and the README's rule table (between its rules:start and
// rules:end markers). With --check it writes nothing and exits 1 when any of them is stale.
// It reads each rule's metadata from the compiled rule files, so `npm run generate` compiles
// first. The rules keep the order they have; a new rule goes after the last rule of its category.
// (To retire a rule, delete its file and its two lines in all.ts.)
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const RULES_DIR = path.join('server', 'src', 'engine', 'rules');
const COMPILED_RULES = path.join(root, 'out', RULES_DIR);
const RULE_FILE = /^[a-z0-9]+(-[a-z0-9]+)+\.ts$/;
const ALL = path.join(RULES_DIR, 'all.ts');
const SETTINGS = ['off', 'error', 'warning', 'info', 'hint'];
const README_START = '<!-- rules:start (written by `npm run generate` from the rule files) -->';
const README_END = '<!-- rules:end -->';

function compiled(name) {
  const file = path.join(COMPILED_RULES, `${name}.js`);
  if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run \`npm run compile\` first (or \`npm run generate\`).`);
  return require(file);
}

/** The rules, as the rule files under engine/rules/ say, in the order so far (new ones placed by category). */
function loadRules() {
  const ids = fs.readdirSync(path.join(root, RULES_DIR)).filter((name) => RULE_FILE.test(name)).map((name) => name.slice(0, -3));
  const metaOf = new Map(ids.map((id) => {
    const rule = compiled(id).default;
    if (!rule || !rule.meta || rule.meta.id !== id) throw new Error(`${path.join(RULES_DIR, `${id}.ts`)} must export (default) the rule with meta.id "${id}".`);
    return [id, rule.meta];
  }));
  // The order so far is the one the generated settings keep (package.json is JSON: no TypeScript to read).
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const written = Object.keys(pkg.contributes.configuration.properties['keyshare.rules'].properties ?? {});
  const order = written.filter((id) => metaOf.has(id));
  for (const id of ids.filter((id) => !order.includes(id)).sort()) {
    const category = metaOf.get(id).category;
    const last = order.map((known) => metaOf.get(known).category).lastIndexOf(category);
    order.splice(last < 0 ? order.length : last + 1, 0, id);
  }
  return order.map((id) => metaOf.get(id));
}

const camel = (id) => id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

function allRules(_text, rules) {
  return [
    '// Written by `npm run generate` from the rule files beside it (one rule per file): edit a rule in',
    '// its own file; a new rule file is added here, after the last rule of its category.',
    "import type { AnyRule } from './registry';",
    ...rules.map((rule) => `import ${camel(rule.id)} from './${rule.id}';`),
    '',
    '/** Every rule, in the order of the settings, the schema, the README table and SARIF (and the order rules run in). */',
    'export const RULE_MODULES: readonly AnyRule[] = [',
    ...rules.map((rule) => `  ${camel(rule.id)},`),
    '];',
    '',
  ].join('\n');
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
const settingsOf = (rules) => Object.fromEntries(rules.map((rule) => [rule.id, { type: 'string', enum: [...SETTINGS] }]));

function packageJson(text, rules) {
  const pkg = JSON.parse(text);
  pkg.contributes.configuration.properties['keyshare.rules'].properties = settingsOf(rules);
  return json(pkg);
}

function schema(text, rules) {
  const schema = JSON.parse(text);
  // The schema offers values (examples) and validates nothing: keyshare-json reports what is wrong, once.
  schema.properties.rules.properties = Object.fromEntries(rules.map((rule) => [rule.id, { description: rule.summary, examples: [...SETTINGS] }]));
  schema.properties.ignore.items.properties.rule.examples = [...rules.map((rule) => rule.id), '*'];
  return json(schema);
}

function readme(text, rules) {
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${README_START} and ${README_END} around the rule table.`);
  const table = [
    '| rule | default | what it finds |',
    '| --- | --- | --- |',
    ...rules.map((rule) => `| [\`${rule.id}\`](docs/rules/${rule.id}.md) | ${rule.severity} | ${rule.summary.replace(/\|/g, '\\|')} |`),
  ];
  return `${text.slice(0, start + README_START.length)}\n${table.join('\n')}\n${text.slice(end)}`;
}

const TARGETS = [
  [ALL, allRules],
  ['package.json', packageJson],
  [path.join('schemas', 'keyshare.schema.json'), schema],
  ['README.md', readme],
];

/** Each generated file (relative to the repository root) with its current and its expected text. */
function generate(read = (file) => fs.readFileSync(path.join(root, file), 'utf8'), rules = loadRules()) {
  return TARGETS.map(([file, render]) => {
    const current = fs.existsSync(path.join(root, file)) || file !== ALL ? read(file) : '';
    return { file, current, expected: render(current, rules) };
  });
}

function main() {
  const check = process.argv.includes('--check');
  const results = generate();
  const stale = results.filter((r) => r.current !== r.expected);
  if (check) {
    for (const r of stale) console.error(`${r.file} is out of date with the rule files: run \`npm run generate\`.`);
    process.exitCode = stale.length ? 1 : 0;
    return;
  }
  for (const r of stale) fs.writeFileSync(path.join(root, r.file), r.expected);
  console.log(stale.length ? `Updated ${stale.map((r) => r.file).join(', ')}.` : 'The rule lists are up to date.');
}

module.exports = { generate, README_START, README_END };

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error.message ?? error);
    process.exitCode = 2;
  }
}
