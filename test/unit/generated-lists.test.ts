// The registry's list of rule modules (engine/ruleSupport/all.ts), the settings in package.json, the
// keyshare.json schema's rule lists, the README's rule table and its table of IAM Access Analyzer
// checks are written from the rule files by `npm run generate`: none may drift from them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/engine';
import { RULE_MODULES } from '../../server/src/engine/ruleSupport/registry';
import { repoRoot } from './helpers';

interface Generated {
  file: string;
  current: string;
  expected: string;
}
const script = path.join(repoRoot, 'scripts', 'generate-rule-lists.js');
type RuleMeta = (typeof RULES)[number];
const generator = require(script) as {
  generate(read?: (file: string) => string, rules?: readonly RuleMeta[]): Generated[];
  loadRules(): RuleMeta[];
  README_START: string;
  README_END: string;
  AWS_CHECKS_START: string;
  AWS_CHECKS_END: string;
  AWS_CHECKS_PAGE: string;
};

test('the generated rule lists are up to date (npm run generate writes them)', () => {
  const result = spawnSync(process.execPath, [script, '--check'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  for (const { file, current, expected } of generator.generate()) assert.equal(current, expected, `${file} is stale: run npm run generate`);
});

test('a stale list is caught: a README row, a setting, a schema entry or a registered rule that is missing or extra', () => {
  const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const staleReads: Record<string, string>[] = [
    { 'README.md': read('README.md').replace(/\n\| \[`lockout-risk`\][^\n]*/, '') },
    { 'README.md': read('README.md').replace(/\n\| \[`PRIVATE_IP_ADDRESS`\][^\n]*/, '') },
    { 'package.json': read('package.json').replace('"json-syntax": {', '"no-such-rule": {},\n            "json-syntax": {') },
    { 'schemas/keyshare.schema.json': read('schemas/keyshare.schema.json').replace('"keyshare-json",\n', '') },
    { 'server/src/engine/ruleSupport/all.ts': read('server/src/engine/ruleSupport/all.ts').replace('  lockoutRisk,\n', '') },
  ];
  for (const overrides of staleReads) {
    const [file] = Object.keys(overrides);
    assert.notEqual(overrides[file], read(file), `the ${file} change took`);
    const results = generator.generate((f) => overrides[f.split(path.sep).join('/')] ?? read(f));
    const stale = results.filter((r) => r.current !== r.expected).map((r) => r.file.split(path.sep).join('/'));
    assert.deepEqual(stale, [file]);
  }
});

test('a stale Access Analyzer table is caught: a check a rule gains or drops changes the README only', () => {
  const rules = generator.loadRules();
  const changed = [
    rules.map((rule) => (rule.id === 'lockout-risk' ? { ...rule, awsChecks: ['MISSING_VERSION'] } : rule)),
    rules.map((rule) => (rule.id === 'source-ip-private' ? { ...rule, awsChecks: ['PRIVATE_IP_ADDRESS'] } : rule)),
    rules.map((rule) => (rule.id === 'source-ip-private' ? { ...rule, severity: 'warning' as const } : rule)),
  ];
  for (const variant of changed) {
    const stale = generator.generate(undefined, variant).filter((r) => r.current !== r.expected).map((r) => r.file);
    assert.ok(stale.includes('README.md'), JSON.stringify(stale));
    assert.ok(!stale.some((file) => file.endsWith('package.json') || file.endsWith('.schema.json')), JSON.stringify(stale));
  }
});

test('the README lists every Access Analyzer check a rule follows, sorted, linked to its anchor, with its rules and their severities', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(generator.AWS_CHECKS_START);
  const end = readme.indexOf(generator.AWS_CHECKS_END);
  assert.ok(start >= 0 && end > start, 'README.md has the aws-checks markers');
  const rows = readme.slice(start, end).split('\n').filter((line) => line.startsWith('| [`'));
  const codes = [...new Set(RULES.flatMap((rule) => rule.awsChecks ?? []))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.equal(rows.length, codes.length);
  const types: Record<string, string> = { error: 'ERROR', 'general-warning': 'WARNING', 'security-warning': 'SECURITY_WARNING', suggestion: 'SUGGESTION' };
  rows.forEach((row, i) => {
    const match = /^\| \[`([A-Z0-9_]+)`\]\(([^)]+)\) \| ([A-Z_]+) \| (.+) \| ([a-z, ]+) \|$/.exec(row);
    assert.ok(match, row);
    const [, code, url, findingType, rulesCell, severities] = match;
    assert.equal(code, codes[i]);
    const anchor = new RegExp(`^${generator.AWS_CHECKS_PAGE.replace(/[.]/g, '\\.')}#access-analyzer-reference-policy-checks-(error|general-warning|security-warning|suggestion)-${code.toLowerCase().replace(/_/g, '-')}$`).exec(url);
    assert.ok(anchor, `${code}: ${url}`);
    assert.equal(findingType, types[anchor[1]], code);
    const followers = RULES.filter((rule) => rule.awsChecks?.includes(code));
    assert.equal(rulesCell, followers.map((rule) => `[\`${rule.id}\`](docs/rules/${rule.id}.md)`).join(', '), code);
    assert.deepEqual([...new Set(severities.split(', '))], [...new Set(followers.map((rule) => rule.severity))], code);
    // A rule page that links the check links this anchor.
    for (const rule of followers) {
      const page = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      const linked = [...page.matchAll(/#access-analyzer-reference-policy-checks-([a-z0-9-]+)/g)].map((m) => m[1]).filter((a) => a.replace(/^(error|general-warning|security-warning|suggestion)-/, '') === code.toLowerCase().replace(/_/g, '-'));
      for (const a of linked) assert.equal(`${generator.AWS_CHECKS_PAGE}#access-analyzer-reference-policy-checks-${a}`, url, `${rule.id}.md links ${code}`);
    }
  });
});

test('every rule id is a setting, a keyshare.json schema entry and a README row', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const settings = Object.keys(pkg.contributes.configuration.properties['keyshare.rules'].properties);
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'keyshare.schema.json'), 'utf8'));
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(settings, ids);
  assert.deepEqual(Object.keys(schema.properties.rules.properties), ids);
  assert.deepEqual(schema.properties.ignore.items.properties.rule.examples, [...ids, '*']);
  for (const rule of RULES) assert.ok(readme.includes(`| [\`${rule.id}\`](docs/rules/${rule.id}.md) | ${rule.severity} |`), rule.id);
  const table = readme.slice(readme.indexOf(generator.README_START), readme.indexOf(generator.README_END));
  assert.equal(table.split('\n').filter((line) => line.startsWith('| [`')).length, ids.length);
});

test('one rule per file: each rule file holds the rule its name says, and every id is listed once', () => {
  const dir = path.join(repoRoot, 'server', 'src', 'engine', 'rules');
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  const ruleFiles = fs.readdirSync(dir).filter((name) => name.includes('-') && name.endsWith('.ts')).map((name) => name.slice(0, -3)).sort();
  assert.deepEqual(ruleFiles, [...ids].sort());
  for (const rule of RULE_MODULES) {
    const { id, severity, category, summary, security } = rule.meta;
    assert.ok(/^[a-z0-9]+(-[a-z0-9]+)+$/.test(id), id);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(severity), id);
    assert.ok(['json', 'grammar', 'condition', 'kms', 'workspace', 'config'].includes(category), id);
    assert.ok(summary.length > 0 && !summary.includes('\n'), id);
    assert.equal(typeof security, 'boolean', id);
    // Rules the parser or keyshare.json's reader report say so where they are defined.
    if (rule.kind === 'parse' || rule.kind === 'config') assert.match(fs.readFileSync(path.join(dir, `${id}.ts`), 'utf8'), /No check of its own/, id);
  }
});

test('engine/rules/ holds rule files only, one rule each, named by its id; what they share is in engine/ruleSupport/', () => {
  const folder = path.join(repoRoot, 'server', 'src', 'engine', 'rules');
  const files = fs.readdirSync(folder);
  assert.deepEqual(files.filter((name) => !/^[a-z0-9]+(-[a-z0-9]+)+\.ts$/.test(name)), []);
  assert.deepEqual(files.map((name) => name.slice(0, -3)).sort(), RULE_MODULES.map((rule) => rule.meta.id).sort());
});
