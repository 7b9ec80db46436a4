// `keyshare rules` as a subprocess of the built CLI: every rule with its default severity and the
// IAM Access Analyzer checks it follows, as text and as JSON; usage errors exit 2.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../server/src/engine';
import { repoRoot } from './helpers';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Mappings that must hold (IAM User Guide, "IAM policy validation check reference"). */
const KNOWN: [rule: string, code: string][] = [
  ['source-ip-private', 'PRIVATE_IP_ADDRESS'],
  ['arn-region-unknown', 'INVALID_ARN_REGION'],
  ['arn-region-unknown', 'INVALID_REGION'],
  ['passrole-wildcard', 'PASS_ROLE_WITH_STAR_IN_RESOURCE'],
  ['json-syntax', 'JSON_SYNTAX_ERROR'],
  ['statement-effect', 'MISSING_EFFECT'],
  ['statement-sid', 'UNIQUE_SIDS_REQUIRED'],
  ['action-unknown', 'INVALID_ACTION'],
  ['condition-operator-unknown', 'INVALID_CONDITION_OPERATOR'],
  ['condition-wildcard-operator', 'WILDCARD_WITHOUT_LIKE_OPERATOR'],
  ['principal-not-allowed', 'UNSUPPORTED_PRINCIPAL'],
];

before(() => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first (npm test does)');
});

test('keyshare rules: one line per rule, id, default severity and its issue codes', () => {
  const result = run(['rules']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines.length, RULES.length);
  const byId = new Map(lines.map((line) => {
    const [id, severity, ...codes] = line.split(/\s{2,}/);
    return [id, { severity, codes: codes.length ? codes.join(' ').split(', ') : [] }];
  }));
  for (const rule of RULES) {
    const listed = byId.get(rule.id);
    assert.ok(listed, `${rule.id} is listed`);
    assert.equal(listed.severity, rule.severity, rule.id);
    assert.deepEqual(listed.codes, [...(rule.awsChecks ?? [])], rule.id);
  }
  const sourceIp = lines.find((line) => line.startsWith('source-ip-private '));
  assert.match(sourceIp ?? '', /^source-ip-private\s+error\s+PRIVATE_IP_ADDRESS, PRIVATE_NOT_IP_ADDRESS$/);
  // A rule that follows no check ends after its severity.
  assert.match(lines.find((line) => line.startsWith('lockout-risk ')) ?? '', /^lockout-risk\s+\w+$/);
});

test('keyshare rules --format json: an array of {id, severity, awsChecks}', () => {
  for (const args of [['rules', '--format', 'json'], ['rules', '--format=json']]) {
    const result = run(args);
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as { id: string; severity: string; awsChecks: string[] }[];
    assert.ok(Array.isArray(listed));
    assert.deepEqual(listed.map((rule) => rule.id), RULES.map((rule) => rule.id));
    for (const entry of listed) {
      assert.deepEqual(Object.keys(entry), ['id', 'severity', 'awsChecks']);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(entry.severity), entry.id);
      assert.ok(Array.isArray(entry.awsChecks), entry.id);
      for (const code of entry.awsChecks) assert.match(code, /^[A-Z0-9]+(_[A-Z0-9]+)*$/, entry.id);
      assert.deepEqual(entry.awsChecks, [...(RULES.find((rule) => rule.id === entry.id)?.awsChecks ?? [])], entry.id);
    }
    const byId = new Map(listed.map((entry) => [entry.id, entry]));
    for (const [rule, code] of KNOWN) assert.ok(byId.get(rule)?.awsChecks.includes(code), `${rule} follows ${code}`);
    assert.deepEqual(byId.get('lockout-risk')?.awsChecks, []);
  }
});

test('keyshare rules: usage errors exit 2, --help prints the usage', () => {
  for (const args of [['rules', '--bogus'], ['rules', '--format', 'sarif'], ['rules', '--format'], ['rules', 'some/path']]) {
    const result = run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stdout, '', args.join(' '));
    assert.match(result.stderr, /^keyshare: /, args.join(' '));
  }
  for (const args of [['rules', '--help'], ['help', 'rules']]) {
    const help = run(args);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: keyshare rules \[--format text\|json\]/);
  }
  assert.match(run(['--help']).stdout, /keyshare rules \[--format text\|json\]/);
});
