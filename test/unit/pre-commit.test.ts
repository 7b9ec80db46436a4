// The pre-commit hook this repository offers (.pre-commit-hooks.yaml): its fields, and that its entry runs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './helpers';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
const examples = path.join(repoRoot, 'examples');

function run(args: string[], cwd = repoRoot) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The hook file's one entry, read line by line (it is flat YAML: a list of one mapping of scalars and flow lists). */
function readHooks(text: string): Record<string, unknown>[] {
  const hooks: Record<string, unknown>[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^(- | {2})([a-z_]+): (.+)$/.exec(line);
    assert.ok(m, `unexpected line: ${raw}`);
    if (m[1] === '- ') hooks.push({});
    const value = m[3].trim();
    hooks[hooks.length - 1][m[2]] = value === 'true' ? true : value === 'false' ? false : value.startsWith('[') ? JSON.parse(value) : value.replace(/^'(.*)'$/, '$1');
  }
  return hooks;
}

test('.pre-commit-hooks.yaml: one hook, keyshare check on the policy files pre-commit passes', () => {
  const hooks = readHooks(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8'));
  assert.equal(hooks.length, 1);
  const hook = hooks[0];
  assert.equal(hook.id, 'keyshare');
  assert.equal(hook.entry, 'keyshare check');
  assert.equal(hook.language, 'node');
  assert.equal(hook.pass_filenames, true);
  assert.equal(typeof hook.name, 'string');
  const files = new RegExp(String(hook.files));
  for (const name of ['a.json', 'keys/data.key-policy.json', 'stack.yaml', 'stack.yml', 'stack.template', 'main.tf', 'role.json.tpl']) assert.ok(files.test(name), name);
  for (const name of ['README.md', 'main.ts', 'a.jsonl']) assert.ok(!files.test(name), name);
  // The entry runs: the package's bin is `keyshare`, and it takes the file names pre-commit adds.
  assert.equal(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).bin.keyshare, './server/out/cli.js');
  const [command, ...args] = String(hook.entry).split(' ');
  assert.equal(command, 'keyshare');
  const result = run([...args, 'workload-b/roles/ingest.iam.json', 'keyshare.json'], examples);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /ingest\.iam\.json:\d+:\d+: warning .*\[ineffective-action\]/);
});
