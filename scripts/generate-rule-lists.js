#!/usr/bin/env node
// Writes the rule lists that mirror the rule registry: the `keyshare.rules` settings in
// package.json, the rule lists of the keyshare.json schema, and the README's rule table (between
// its rules:start and rules:end markers). With --check it writes nothing and exits 1 when any of
// them is stale. It reads the compiled registry, so `npm run generate` compiles first.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const REGISTRY = path.join(root, 'out', 'server', 'src', 'engine', 'rules', 'registry.js');
const SETTINGS = ['off', 'error', 'warning', 'info', 'hint'];
const README_START = '<!-- rules:start (written by `npm run generate` from the rule files) -->';
const README_END = '<!-- rules:end -->';

function loadRules() {
  if (!fs.existsSync(REGISTRY)) throw new Error('The compiled registry is missing: run `npm run compile` first (or `npm run generate`).');
  return require(REGISTRY).RULES;
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
  schema.properties.rules.properties = settingsOf(rules);
  schema.properties.ignore.items.properties.rule.enum = [...rules.map((rule) => rule.id), '*'];
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
  ['package.json', packageJson],
  [path.join('schemas', 'keyshare.schema.json'), schema],
  ['README.md', readme],
];

/** Each generated file (relative to the repository root) with its current and its expected text. */
function generate(read = (file) => fs.readFileSync(path.join(root, file), 'utf8'), rules = loadRules()) {
  return TARGETS.map(([file, render]) => {
    const current = read(file);
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
