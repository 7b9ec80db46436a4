// The registry's list of rule modules (engine/rules/all.ts), the settings in package.json, the
// keyshare.json schema's rule lists and the README's rule table are written from the rule files
// by `npm run generate`: none may drift from them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/engine';
import { RULE_MODULES } from '../../server/src/engine/rules/registry';
import { repoRoot } from './helpers';

interface Generated {
  file: string;
  current: string;
  expected: string;
}
const script = path.join(repoRoot, 'scripts', 'generate-rule-lists.js');
const generator = require(script) as { generate(read?: (file: string) => string): Generated[]; README_START: string; README_END: string };

test('the generated rule lists are up to date (npm run generate writes them)', () => {
  const result = spawnSync(process.execPath, [script, '--check'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  for (const { file, current, expected } of generator.generate()) assert.equal(current, expected, `${file} is stale: run npm run generate`);
});

test('a stale list is caught: a README row, a setting, a schema entry or a registered rule that is missing or extra', () => {
  const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const staleReads: Record<string, string>[] = [
    { 'README.md': read('README.md').replace(/\n\| \[`lockout-risk`\][^\n]*/, '') },
    { 'package.json': read('package.json').replace('"json-syntax": {', '"no-such-rule": {},\n            "json-syntax": {') },
    { 'schemas/keyshare.schema.json': read('schemas/keyshare.schema.json').replace('"keyshare-json",\n', '') },
    { 'server/src/engine/rules/all.ts': read('server/src/engine/rules/all.ts').replace('  lockoutRisk,\n', '') },
  ];
  for (const overrides of staleReads) {
    const [file] = Object.keys(overrides);
    assert.notEqual(overrides[file], read(file), `the ${file} change took`);
    const results = generator.generate((f) => overrides[f.split(path.sep).join('/')] ?? read(f));
    const stale = results.filter((r) => r.current !== r.expected).map((r) => r.file.split(path.sep).join('/'));
    assert.deepEqual(stale, [file]);
  }
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
