#!/usr/bin/env node
// Writes what mirrors the rule files (server/src/engine/rules/<rule-id>.ts): the registry's list
// of rule modules (engine/ruleSupport/all.ts), the `keyshare.rules` settings in package.json, the rule
// lists of the keyshare.json schema, the README's rule table (between its rules:start and
// rules:end markers) and its table of IAM Access Analyzer checks (between aws-checks:start and
// aws-checks:end: each issue code a rule names in `meta.awsChecks`, with the rules that follow
// it). With --check it writes nothing and exits 1 when any of them is stale.
// It reads each rule's metadata from the compiled rule files, so `npm run generate` compiles
// first. The rules keep the order they have; a new rule goes after the last rule of its category.
// (To retire a rule, delete its file and its two lines in ruleSupport/all.ts.)
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const RULES_DIR = path.join('server', 'src', 'engine', 'rules');
const COMPILED_RULES = path.join(root, 'out', RULES_DIR);
// Every file of engine/rules/ is a rule (`<rule-id>.ts`); what they share lives in engine/ruleSupport/.
const RULE_FILE = /^[a-z0-9]+(-[a-z0-9]+)+\.ts$/;
const ALL = path.join('server', 'src', 'engine', 'ruleSupport', 'all.ts');
const SETTINGS = ['off', 'error', 'warning', 'info', 'hint'];
const README_START = '<!-- rules:start (written by `npm run generate` from the rule files) -->';
const README_END = '<!-- rules:end -->';
const AWS_CHECKS_START = '<!-- aws-checks:start (written by `npm run generate` from the rule files) -->';
const AWS_CHECKS_END = '<!-- aws-checks:end -->';
const DOCS = path.join('docs', 'rules');
/** The IAM User Guide's "IAM policy validation check reference"; each check has an anchor there. */
const AWS_CHECKS_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';
const AWS_CHECK_ANCHOR = /#access-analyzer-reference-policy-checks-(error|general-warning|security-warning|suggestion)-([a-z0-9]+(?:-[a-z0-9]+)*)/g;
/** The finding type of Access Analyzer's API for each kind of heading (anchor prefix) on that page. */
const FINDING_TYPES = { error: 'ERROR', 'general-warning': 'WARNING', 'security-warning': 'SECURITY_WARNING', suggestion: 'SUGGESTION' };
/**
 * The anchor's kind for the issue codes whose rule page does not link their check (the page
 * links are read first). A code in neither is listed without a finding type, linked to the page.
 */
const KNOWN_CHECK_KINDS = {
  EMPTY_ARRAY_ACTION: 'suggestion',
  EMPTY_ARRAY_CONDITION: 'suggestion',
  EMPTY_ARRAY_CONDITION_FORALLVALUES: 'suggestion',
  EMPTY_ARRAY_CONDITION_FORANYVALUE: 'suggestion',
  EMPTY_ARRAY_CONDITION_IFEXISTS: 'suggestion',
  EMPTY_ARRAY_PRINCIPAL: 'suggestion',
  EMPTY_ARRAY_RESOURCE: 'suggestion',
  INVALID_PRINCIPAL_FORMAT: 'error',
  INVALID_ROLE_REFERENCE: 'general-warning',
  INVALID_USER_REFERENCE: 'general-warning',
  INVALID_VERSION: 'error',
  MISSING_VERSION: 'general-warning',
  RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL: 'security-warning',
};

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
    '// Written by `npm run generate` from the rule files in ../rules (one rule per file): edit a rule in',
    '// its own file; a new rule file is added here, after the last rule of its category.',
    "import type { AnyRule } from './registry';",
    ...rules.map((rule) => `import ${camel(rule.id)} from '../rules/${rule.id}';`),
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

/** An issue code's part of its anchor: INVALID_ARN_REGION is invalid-arn-region. */
const kebab = (code) => code.toLowerCase().replace(/_/g, '-');

/**
 * Where each check is on AWS's page, by issue code: the anchors the rule pages link (a rule page
 * names its checks in its "IAM Access Analyzer" section), else KNOWN_CHECK_KINDS.
 */
function checkAnchors(rules, read) {
  const kinds = new Map(); // kebab code -> anchor kind
  for (const rule of rules) {
    if (!rule.awsChecks || rule.awsChecks.length === 0) continue;
    const file = path.join(DOCS, `${rule.id}.md`);
    if (!fs.existsSync(path.join(root, file))) continue;
    for (const [, kind, name] of read(file).matchAll(AWS_CHECK_ANCHOR)) {
      const known = kinds.get(name);
      if (known && known !== kind) throw new Error(`${file} links the check ${name} as ${kind}, another rule page as ${known}.`);
      kinds.set(name, kind);
    }
  }
  const anchors = new Map();
  for (const code of new Set(rules.flatMap((rule) => rule.awsChecks ?? []))) {
    if (!/^[A-Z0-9]+(_[A-Z0-9]+)*$/.test(code)) throw new Error(`"${code}" is not an Access Analyzer issue code (upper snake case, such as INVALID_ARN_REGION).`);
    const linked = kinds.get(kebab(code));
    if (linked && KNOWN_CHECK_KINDS[code] && linked !== KNOWN_CHECK_KINDS[code]) throw new Error(`A rule page links the check ${code} as ${linked}, KNOWN_CHECK_KINDS says ${KNOWN_CHECK_KINDS[code]}.`);
    const kind = linked ?? KNOWN_CHECK_KINDS[code];
    anchors.set(code, kind ? { anchor: `access-analyzer-reference-policy-checks-${kind}-${kebab(code)}`, findingType: FINDING_TYPES[kind] } : undefined);
  }
  return anchors;
}

/** The README's table of Access Analyzer checks: each issue code a rule follows, sorted, with its rules. */
function awsChecksTable(rules, anchors) {
  const byCode = new Map();
  for (const rule of rules) for (const code of rule.awsChecks ?? []) byCode.set(code, [...(byCode.get(code) ?? []), rule]);
  const rows = [...byCode.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((code) => {
    const where = anchors.get(code);
    const followers = byCode.get(code);
    const severities = [...new Set(followers.map((rule) => rule.severity))];
    return `| [\`${code}\`](${AWS_CHECKS_PAGE}${where ? `#${where.anchor}` : ''}) | ${where ? where.findingType : '—'} | ${followers.map((rule) => `[\`${rule.id}\`](docs/rules/${rule.id}.md)`).join(', ')} | ${severities.length === 1 ? severities[0] : followers.map((rule) => rule.severity).join(', ')} |`;
  });
  return ['| AWS check | finding type | Keyshare rule | Keyshare severity |', '| --- | --- | --- | --- |', ...rows];
}

function readmeChecks(text, rules, anchors) {
  const start = text.indexOf(AWS_CHECKS_START);
  const end = text.indexOf(AWS_CHECKS_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${AWS_CHECKS_START} and ${AWS_CHECKS_END} around the Access Analyzer table.`);
  return `${text.slice(0, start + AWS_CHECKS_START.length)}\n${awsChecksTable(rules, anchors).join('\n')}\n${text.slice(end)}`;
}

const TARGETS = [
  [ALL, allRules],
  ['package.json', packageJson],
  [path.join('schemas', 'keyshare.schema.json'), schema],
  ['README.md', (text, rules, anchors) => readmeChecks(readme(text, rules), rules, anchors)],
];

/** Each generated file (relative to the repository root) with its current and its expected text. */
function generate(read = (file) => fs.readFileSync(path.join(root, file), 'utf8'), rules = loadRules()) {
  const anchors = checkAnchors(rules, read);
  return TARGETS.map(([file, render]) => {
    const current = fs.existsSync(path.join(root, file)) || file !== ALL ? read(file) : '';
    return { file, current, expected: render(current, rules, anchors) };
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

module.exports = { generate, loadRules, checkAnchors, README_START, README_END, AWS_CHECKS_START, AWS_CHECKS_END, AWS_CHECKS_PAGE };

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error.message ?? error);
    process.exitCode = 2;
  }
}
