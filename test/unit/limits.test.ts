// Limits that protect the user: what a hostile keyshare.json (a stranger's pull request in CI)
// can make Keyshare read, and for how long. Each case runs the built CLI with a timeout, so a
// hang fails the test instead of blocking the run.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigCache } from '../../server/src/project/configs';
import { projectFile, readRegularFile } from '../../server/src/project/files';
import { CONFIG_LIMITS, parseConfig } from '../../server/src/workspace/config';
import { KEY_ARN, policy, repoRoot, ROOT_STATEMENT, temporaryFolder, USAGE } from './helpers';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
const OWNER = '111122223333';
const B = '444455556666';
const APP = `arn:aws:iam::${B}:role/app`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * The CLI in a subprocess whose stdin stays open (as on a CI runner, where nothing ever writes
 * to it): a read of /dev/stdin or of a FIFO would wait forever. Killed after `seconds`. `stdin`:
 * a descriptor to give it as stdin (else a pipe Node makes, which Linux will not reopen).
 */
function run(args: string[], cwd: string, seconds = 30, stdin?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: [stdin ?? 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`keyshare ${args.join(' ')} did not finish within ${seconds} s (a hang)\n${stdout}${stderr}`));
    }, seconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

interface Report {
  file: string;
  ruleId: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
}

async function check(cwd: string, args: string[] = ['.'], stdin?: number): Promise<Run & { reports: Report[] }> {
  const result = await run(['check', ...args, '--format', 'json'], cwd, 30, stdin);
  let reports: Report[] = [];
  try {
    reports = JSON.parse(result.stdout) as Report[];
  } catch {
    assert.fail(`not JSON (exit ${result.code}): ${result.stdout.slice(0, 500)}\n${result.stderr}`);
  }
  return { ...result, reports };
}

const hasMkfifo = spawnSync('mkfifo', ['--version'], { encoding: 'utf8' }).status === 0;

function mkfifo(file: string): void {
  const made = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
}

/** A project folder: keyshare.json and files, relative to it. */
function project(config: unknown, files: Record<string, string> = {}): string {
  const dir = temporaryFolder('keyshare-limits-');
  fs.writeFileSync(path.join(dir, 'keyshare.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const keyPolicy = policy([ROOT_STATEMENT, { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }]);
const aliasPolicy = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: `arn:aws:kms:us-east-1:${OWNER}:alias/data` }]);
const rolePolicy = policy([{ Sid: 'UseKey', Effect: 'Allow', Action: USAGE, Resource: KEY_ARN }]);
const accounts = [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }];
const expectDecrypt = (key: string) => ({ principal: APP, action: 'kms:Decrypt', key, allowed: true });

before(() => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first (npm test does)');
});

test('a 20 MB keyshare.json is refused at once with a finding that names the limit; the policies are still checked', async () => {
  const entries = Array.from({ length: 400_000 }, (_, i) => ({ rule: '*', files: [`generated/${i}/**`] }));
  const dir = project({ ignore: entries }, { 'role.iam.json': aliasPolicy });
  // Padded to 20 MB: Keyshare must not read it all to know.
  const size = fs.statSync(path.join(dir, 'keyshare.json')).size;
  fs.appendFileSync(path.join(dir, 'keyshare.json'), ' '.repeat(Math.max(0, 20 * 1024 * 1024 - size)));
  const result = await check(dir);
  assert.equal(result.code, 1, result.stderr);
  assert.ok(result.seconds < 10, `${result.seconds} s`);
  const config = result.reports.filter((r) => r.file === 'keyshare.json');
  assert.equal(config.length, 1, JSON.stringify(config));
  assert.equal(config[0].ruleId, 'keyshare-json');
  assert.equal(config[0].severity, 'error');
  assert.deepEqual(config[0].range.start, { line: 0, character: 0 });
  assert.match(config[0].message, /^keyshare\.json is larger than 1 MB, .*no setting raises it.*: it is not read, and the files it would govern are checked without it\.$/);
  // Its "ignore everything" entries are not applied: the policy beside it is checked.
  assert.ok(result.reports.some((r) => r.file === 'role.iam.json' && r.ruleId === 'alias-arn-as-resource'));
});

test('a keyshare.json nested 10,000 deep: a finding on keyshare.json that names the depth limit, not a stack overflow', async () => {
  const dir = project('{"rules": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}', { 'owner/key.key-policy.json': keyPolicy, 'b/app.iam.json': aliasPolicy });
  const result = await check(dir);
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /call stack|cannot read configuration/);
  const config = result.reports.filter((r) => r.file === 'keyshare.json');
  assert.equal(config.length, 1, JSON.stringify(config));
  assert.equal(config[0].ruleId, 'keyshare-json');
  assert.match(config[0].message, new RegExp(`deeper than ${CONFIG_LIMITS.maxNesting} levels here.*no setting raises it.*it is not read`));
  // On the bracket that opens level 257 (the object is level 1).
  assert.deepEqual(config[0].range.start, { line: 0, character: '{"rules": '.length + CONFIG_LIMITS.maxNesting - 1 });
  // The policies are checked as under no keyshare.json: the refused one governs nothing (no
  // "declare this key in keyshare.json" for the key policy).
  assert.ok(result.reports.some((r) => r.file === 'b/app.iam.json' && r.ruleId === 'alias-arn-as-resource'));
  assert.ok(!result.reports.some((r) => r.ruleId === 'unknown-key-reference'));
  const text = await run(['check', '.'], dir);
  assert.match(text.stderr, /in 2 policies checked/);
});

test('an expect entry whose key is /dev/stdin: a finding, and no read of stdin', async () => {
  const dir = project({ accounts, expect: [expectDecrypt('/dev/stdin'), expectDecrypt('/dev/zero')] }, { 'b/app.iam.json': rolePolicy });
  // Stdin a FIFO that a writer holds open and never writes to, as a CI runner's may be.
  let stdin: number | undefined;
  if (hasMkfifo) {
    const fifo = path.join(temporaryFolder('keyshare-stdin-'), 'stdin');
    mkfifo(fifo);
    stdin = fs.openSync(fifo, fs.constants.O_RDWR); // the writer: an open for reading does not wait, a read does
  }
  let result;
  try {
    result = await check(dir, ['.'], stdin);
  } finally {
    if (stdin !== undefined) fs.closeSync(stdin);
  }
  assert.equal(result.code, 1, result.stderr);
  const found = result.reports.filter((r) => r.ruleId === 'access-expectation').map((r) => r.message);
  assert.deepEqual(found, [
    'This expectation cannot be checked: /dev/stdin: an absolute path: Keyshare reads only regular files inside the folder of keyshare.json (no setting allows others), so it is not read.',
    'This expectation cannot be checked: /dev/zero: an absolute path: Keyshare reads only regular files inside the folder of keyshare.json (no setting allows others), so it is not read.',
  ]);
});

test('FIFOs and devices inside the project named by expect, keys[].policy and principals[].policies: findings, never a read', async (t) => {
  if (!hasMkfifo) return t.skip('needs mkfifo');
  const otherKey = KEY_ARN.replace(/.{4}$/, 'ffff');
  const dir = project({
    accounts,
    keys: [{ arn: otherKey, policy: 'owner/fifo.key-policy.json' }, { arn: KEY_ARN, policy: 'owner/key.key-policy.json' }],
    principals: [{ arn: APP, policies: ['b/fifo.iam.json'] }],
    expect: [expectDecrypt('owner/fifo.key-policy.json'), expectDecrypt(otherKey), expectDecrypt(KEY_ARN), expectDecrypt('stdin.json'), expectDecrypt('owner')],
  }, { 'owner/key.key-policy.json': keyPolicy });
  mkfifo(path.join(dir, 'owner', 'fifo.key-policy.json'));
  fs.mkdirSync(path.join(dir, 'b'));
  mkfifo(path.join(dir, 'b', 'fifo.iam.json'));
  fs.symlinkSync('/dev/stdin', path.join(dir, 'stdin.json'));
  const result = await check(dir);
  assert.equal(result.code, 1, result.stderr);
  const found = result.reports.filter((r) => r.ruleId === 'access-expectation').map((r) => r.message);
  assert.deepEqual(found, [
    'This expectation cannot be checked: owner/fifo.key-policy.json: a FIFO, not a regular file: not read.',
    'This expectation cannot be checked: owner/fifo.key-policy.json: a FIFO, not a regular file: not read.',
    // The key policy is read; the principal's identity policy is a FIFO.
    'This expectation cannot be checked: b/fifo.iam.json: a FIFO, not a regular file: not read.',
    'This expectation cannot be checked: stdin.json: a link to a file outside the folder of keyshare.json: Keyshare reads only regular files inside the folder of keyshare.json (no setting allows others), so it is not read.',
    'This expectation cannot be checked: owner: is a directory.',
  ]);
});

test('paths that leave the project (absolute, .., a link out) get findings and are not read', async () => {
  // The files outside would decide the expectations if read: a key policy and a role policy that allow.
  const outside = temporaryFolder('keyshare-outside-');
  fs.writeFileSync(path.join(outside, 'key.key-policy.json'), keyPolicy);
  fs.writeFileSync(path.join(outside, 'app.iam.json'), rolePolicy);
  if (hasMkfifo) mkfifo(path.join(outside, 'secret.json')); // opened, it would hang the run
  const dir = project({
    accounts,
    keys: [
      { arn: KEY_ARN, policy: path.join(outside, 'key.key-policy.json') },
      { policy: '../outside/stack.yaml#DataKey' },
    ],
    principals: [{ arn: APP, policies: ['b/../../app.iam.json', path.join(outside, 'app.iam.json'), 'b/app.iam.json'] }],
    expect: [
      expectDecrypt(KEY_ARN),
      expectDecrypt(path.join(outside, 'key.key-policy.json')),
      expectDecrypt(`../${path.basename(outside)}/key.key-policy.json`),
      expectDecrypt('owner/../../secret.json'),
      expectDecrypt('owner/linked.key-policy.json'),
    ],
  }, { 'b/app.iam.json': rolePolicy, 'owner/readme.txt': 'x' });
  fs.symlinkSync(path.join(outside, 'key.key-policy.json'), path.join(dir, 'owner', 'linked.key-policy.json'));
  const result = await check(dir);
  assert.equal(result.code, 1, result.stderr);
  const config = result.reports.filter((r) => r.ruleId === 'keyshare-json').map((r) => r.message);
  const said = (written: string, why: string, what: string) => `"${written}" is ${why}: Keyshare reads only files inside the folder of keyshare.json (no setting allows others), so ${what} is not read. Name the file relative to keyshare.json, inside its folder.`;
  assert.deepEqual(config, [
    said(path.join(outside, 'key.key-policy.json'), 'an absolute path', "this key's policy"),
    said('../outside/stack.yaml#DataKey', 'a path that leaves the folder of keyshare.json', "this key's policy"),
    said('b/../../app.iam.json', 'a path that leaves the folder of keyshare.json', 'this identity policy'),
    said(path.join(outside, 'app.iam.json'), 'an absolute path', 'this identity policy'),
  ]);
  const refused = (written: string, why: string) => `This expectation cannot be checked: ${written}: ${why}: Keyshare reads only regular files inside the folder of keyshare.json (no setting allows others), so it is not read.`;
  const expectations = result.reports.filter((r) => r.ruleId === 'access-expectation').map((r) => r.message);
  assert.equal(expectations.length, 5, JSON.stringify(expectations));
  // The key is declared without its policy (refused), so the answer cannot be certain: the outside file was not read.
  assert.match(expectations[0], /^Expected .* to be allowed, but it is not certain\./);
  assert.deepEqual(expectations.slice(1), [
    refused(path.join(outside, 'key.key-policy.json'), 'an absolute path'),
    refused(`../${path.basename(outside)}/key.key-policy.json`, 'a path that leaves the folder of keyshare.json'),
    refused('owner/../../secret.json', 'a path that leaves the folder of keyshare.json'),
    refused('owner/linked.key-policy.json', 'a link to a file outside the folder of keyshare.json'),
  ]);
});

test('keyshare.json itself as a FIFO, or a folder: one line, no wait', async (t) => {
  if (!hasMkfifo) return t.skip('needs mkfifo');
  const dir = temporaryFolder('keyshare-limits-');
  fs.writeFileSync(path.join(dir, 'role.iam.json'), rolePolicy);
  mkfifo(path.join(dir, 'keyshare.json'));
  const result = await run(['check', 'role.iam.json'], dir);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^keyshare: keyshare\.json: cannot read configuration \(a FIFO, not a regular file: not read\)$/m);
  const folder = temporaryFolder('keyshare-limits-');
  fs.writeFileSync(path.join(folder, 'role.iam.json'), rolePolicy);
  fs.mkdirSync(path.join(folder, 'keyshare.json'));
  const asFolder = await run(['check', 'role.iam.json'], folder);
  assert.equal(asFolder.code, 2);
  assert.match(asFolder.stderr, /^keyshare: keyshare\.json: cannot read configuration \(is a directory\)$/m);
});

test('parseConfig: the size limit counts UTF-8 bytes; the depth limit is exact; both refuse the whole file', () => {
  const padded = (text: string, bytes: number) => text + ' '.repeat(bytes - Buffer.byteLength(text, 'utf8'));
  const at = padded('{"rules": {}}', CONFIG_LIMITS.maxBytes);
  assert.deepEqual(parseConfig(at).problems, []);
  const over = parseConfig(padded('{"rules": {}}', CONFIG_LIMITS.maxBytes + 1));
  assert.equal(over.refused, true);
  assert.equal(over.problems.length, 1);
  // 400,000 characters of 3 bytes: under the limit in characters, over it in bytes.
  const wide = parseConfig(JSON.stringify({ accounts: [{ id: OWNER, name: '€'.repeat(400_000) }] }));
  assert.equal(wide.refused, true);
  assert.match(wide.problems[0].message, /larger than 1 MB/);
  const nested = (depth: number) => '{"rules": ' + '['.repeat(depth - 1) + ']'.repeat(depth - 1) + '}';
  // At the limit: read (and what is wrong in it said); one more level: refused.
  const atLimit = parseConfig(nested(CONFIG_LIMITS.maxNesting));
  assert.ok(!atLimit.refused);
  assert.match(atLimit.problems[0].message, /"rules" must be an object/);
  assert.equal(parseConfig(nested(CONFIG_LIMITS.maxNesting + 1)).refused, true);
  // Brackets in strings and comments do not count; a comment does not hide brackets after it.
  assert.ok(!parseConfig('{"rules": {}, "x": "' + '['.repeat(10_000) + '"}').refused);
  const hidden = parseConfig('{"rules": // "\n' + '['.repeat(10_000) + '\n"}');
  assert.equal(hidden.refused, true);
});

test('a refused keyshare.json governs no file; one within the limits does', () => {
  const deep = project('{"keys": ' + '['.repeat(5_000) + ']'.repeat(5_000) + '}');
  const cache = new ConfigCache();
  const file = path.join(deep, 'keyshare.json');
  const entry = cache.entry(file);
  assert.ok(entry.ok && entry.loaded.refused);
  assert.equal(cache.load(file), undefined);
  const fine = project({ accounts });
  assert.ok(cache.load(path.join(fine, 'keyshare.json')));
});

test('readRegularFile reads no further than the limit; projectFile keeps to the folder', (t) => {
  const dir = project({}, { 'a.json': 'x'.repeat(100), 'sub/b.json': '{}' });
  const limited = readRegularFile(path.join(dir, 'a.json'), 10);
  assert.ok(limited.ok && !limited.complete && limited.bytes.length === 11);
  const whole = readRegularFile(path.join(dir, 'a.json'), 100);
  assert.ok(whole.ok && whole.complete && whole.bytes.length === 100);
  assert.deepEqual(projectFile(dir, 'sub/b.json'), { ok: true, file: path.join(dir, 'sub', 'b.json') });
  assert.deepEqual(projectFile(dir, './sub/../a.json'), { ok: true, file: path.join(dir, 'a.json') });
  for (const written of ['/etc/passwd', '../x.json', 'sub/../../x.json', 'C:\\x.json', '..']) {
    const refused = projectFile(dir, written);
    assert.ok(!refused.ok && /not read$/.test(refused.message), `${written}: ${JSON.stringify(refused)}`);
  }
  assert.deepEqual(projectFile(dir, 'missing.json'), { ok: false, message: 'no such file or directory' });
  if (!hasMkfifo) return t.skip('needs mkfifo for the FIFO case');
  mkfifo(path.join(dir, 'pipe.json'));
  assert.deepEqual(projectFile(dir, 'pipe.json'), { ok: false, message: 'a FIFO, not a regular file: not read' });
  // Read directly, a FIFO is opened without waiting for a writer, and refused (in a child: a regression would block).
  const files = path.join(repoRoot, 'out', 'server', 'src', 'project', 'files.js');
  const script = `const f = require(${JSON.stringify(files)}); process.stdout.write(JSON.stringify([f.readPolicyFile(process.argv[1]), f.readRegularFile(process.argv[1], 100)]))`;
  const child = spawnSync(process.execPath, ['-e', script, path.join(dir, 'pipe.json')], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(child.status, 0, `${child.signal ?? ''} ${child.stderr}`);
  assert.deepEqual(JSON.parse(child.stdout), [
    { ok: false, reason: 'unreadable', message: 'a FIFO, not a regular file: not read' },
    { ok: false, message: 'a FIFO, not a regular file: not read' },
  ]);
});

test('a file over the size limit: CloudFormation and Terraform get one finding naming the setting; other large YAML stays quiet', () => {
  const { Project } = require('../../server/src/project') as typeof import('../../server/src/project');
  const { DEFAULT_SETTINGS } = require('../../server/src/project/settings') as typeof import('../../server/src/project/settings');
  const project = new Project();
  const settings = { ...DEFAULT_SETTINGS, maxFileSize: 1024 };
  const padding = '# ' + 'x'.repeat(2000) + '\n';
  const template = `AWSTemplateFormatVersion: '2010-09-09'\n${padding}Resources:\n  Key:\n    Type: AWS::KMS::Key\n`;
  const skipped = project.analyse('file:///project/stack.yaml', template, settings);
  assert.deepEqual(skipped.result.findings.map((f) => [f.ruleId, f.severity, f.message]), [
    ['policy-size', 'warning', 'This file is 2 KB, above the keyshare.maxFileSizeMB setting (1 KB): it is not analysed. Raise the setting (keyshare check --max-file-size) to check it.'],
  ]);
  const module = project.analyse('file:///project/main.tf', `# ${'x'.repeat(2000)}\nresource "aws_kms_key" "k" {}\n`, settings);
  assert.equal(module.result.findings.length, 1);
  const compose = project.analyse('file:///project/docker-compose.yaml', `services:\n${padding}  web:\n    image: nginx\n`, settings);
  assert.deepEqual(compose.result.findings, []);
});

test('keyshare check --max-file-size: a file over it is a note naming the flag; under it, the file is checked', async () => {
  const folder = temporaryFolder('keyshare-max-size-');
  const template = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: '*'\n            Action: 'kms:*'\n            Resource: '*'\n# ${'x'.repeat(3000)}\n`;
  fs.writeFileSync(path.join(folder, 'stack.yaml'), template);
  const small = await run(['check', 'stack.yaml', '--max-file-size', '0.001'], folder);
  // Not checked is not passed: a policy must not go through CI unseen.
  assert.equal(small.code, 2, small.stderr);
  assert.match(small.stderr, /stack\.yaml: larger than 1 KB, not checked \(raise the limit with --max-file-size\)/);
  // Found by a walk: a large file that may hold policies fails the run too; a large file of something else is only noted.
  fs.writeFileSync(path.join(folder, 'compose.yaml'), `services:\n  web:\n    image: nginx\n# ${'x'.repeat(3000)}\n`);
  const walked = await run(['check', '.', '--max-file-size', '0.001'], folder);
  assert.equal(walked.code, 2, walked.stderr);
  fs.rmSync(path.join(folder, 'stack.yaml'));
  const other = await run(['check', '.', '--max-file-size', '0.001'], folder);
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stderr, /compose\.yaml: larger than 1 KB, not checked/);
  fs.writeFileSync(path.join(folder, 'stack.yaml'), template);
  // A size so small it rounds to nothing is one byte, not no limit.
  const tiny = await run(['check', 'stack.yaml', '--max-file-size', '1e-9'], folder);
  assert.match(tiny.stderr, /larger than 1 byte, not checked/);
  const large = await run(['check', 'stack.yaml', '--max-file-size', '1'], folder);
  assert.equal(large.code, 1, large.stdout + large.stderr);
  assert.match(large.stdout, /\[wildcard-principal\]/);
  const bad = await run(['check', 'stack.yaml', '--max-file-size', '0'], folder);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-file-size takes a size in MB above 0, not "0"/);
});
