// The GitHub Action's step script (action.yml runs scripts/github-action.js), run here as the
// runner would: a job summary and outputs in the files GitHub names, SARIF for code scanning,
// and keyshare's exit code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, temporaryFolder } from './helpers';

const script = path.join(repoRoot, 'scripts', 'github-action.js');

function runAction(inputs: Record<string, string>) {
  const runner = temporaryFolder('keyshare-action-');
  const env = { ...process.env, GITHUB_WORKSPACE: path.join(repoRoot, 'examples'), RUNNER_TEMP: runner, GITHUB_STEP_SUMMARY: path.join(runner, 'summary.md'), GITHUB_OUTPUT: path.join(runner, 'output'), ...inputs };
  const result = spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
  const read = (name: string) => (fs.existsSync(path.join(runner, name)) ? fs.readFileSync(path.join(runner, name), 'utf8') : '');
  return { code: result.status, summary: read('summary.md'), output: read('output'), runner };
}

test('on the examples: a job summary table, the SARIF file and the count as outputs, and exit 1 for their errors', () => {
  const { code, summary, output, runner } = runAction({ INPUT_PATHS: '.' });
  assert.equal(code, 1);
  const lines = summary.split('\n');
  assert.equal(lines[0], '## Keyshare');
  assert.equal(lines[2], '9 errors, 5 warnings, 3 infos, 1 hint in `.` (fails on error and above).');
  assert.equal(lines[4], '| Severity | Rule | Where | Finding |');
  assert.ok(lines.includes('| error | `alias-arn-as-resource` | workload-b/roles/reports.iam.json:11 | An alias ARN as Resource matches only the alias itself (CreateAlias, UpdateAlias, DeleteAlias); it grants nothing on the key behind it, so kms:Decrypt, kms:DescribeKey here have no effect. Use the key ARN, or key/* with a kms:ResourceAliases condition. |'));
  assert.equal(lines.filter((l) => l.startsWith('| error |')).length, 9);
  const sarifFile = path.join(runner, 'keyshare.sarif');
  assert.equal(output, `sarif-file=${sarifFile}\nfindings=18\n`);
  const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results.length, 18);
});

test('fail-on and paths are inputs: a clean folder passes, and info findings fail with fail-on info', () => {
  const clean = runAction({ INPUT_PATHS: 'workload-a' });
  assert.equal(clean.code, 0);
  assert.match(clean.summary, /^## Keyshare\n\n0 errors, 0 warnings, 0 infos, 1 hint in `workload-a`/);
  const strict = runAction({ INPUT_PATHS: 'security/keys/legacy.key-policy.json', INPUT_FAIL_ON: 'info' });
  assert.equal(strict.code, 1);
  assert.match(strict.summary, /\(fails on info and above\)/);
});
