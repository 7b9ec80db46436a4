// The built CLI as a subprocess: exit codes, the JSON shape, SARIF against its schema, text.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import fc from 'fast-check';
import { KEY_ARN, policy, repoRoot, ROOT_STATEMENT, USAGE, temporaryFolder } from './helpers';
import { LspClient } from './lspClient';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');

function run(args: string[], cwd = repoRoot) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
before(() => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first (npm test does)');
  dir = temporaryFolder('keyshare-cli-');
  fs.mkdirSync(path.join(dir, '111122223333'));
  fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  fs.writeFileSync(path.join(dir, '111122223333', 'clean.key-policy.json'), policy([ROOT_STATEMENT, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: USAGE, Resource: '*' }]));
  fs.writeFileSync(path.join(dir, 'role.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]));
  fs.writeFileSync(path.join(dir, 'warn.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'not-a-policy' }));
  fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'bad.policy.json'), '{ "Statement": [ broken');
  fs.writeFileSync(path.join(dir, 'image.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
});

test('--version and --help', () => {
  const version = run(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /keyshare check \[paths\.\.\.\]/);
});

test('keyshare lsp --stdio serves the language server: diagnostics for an opened policy', async () => {
  const client = new LspClient(cli, ['lsp', '--stdio']);
  try {
    await client.initialize();
    const text = policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]);
    const diagnostics = await client.open('file:///lsp/role.iam.json', text);
    const alias = diagnostics.find((d) => d.code === 'alias-arn-as-resource');
    assert.ok(alias, JSON.stringify(diagnostics));
    assert.equal(alias.source, 'keyshare');
    assert.deepEqual(alias.range.start, { line: 9, character: 18 });
  } finally {
    await client.stop();
  }
});

test('keyshare lsp without --stdio is a usage error', () => {
  const result = run(['lsp']);
  assert.equal(result.code, 2);
  assert.equal(result.stderr, 'keyshare: keyshare lsp needs --stdio\n');
});

test('a clean policy exits 0', () => {
  const result = run(['check', path.join(dir, '111122223333', 'clean.key-policy.json')]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^0 errors, 0 warnings, 0 infos, 0 hints in 1 policy checked\n$/);
});

test('an error exits 1 with file:line:col, severity, message and rule id', () => {
  const result = run(['check', 'role.iam.json'], dir);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^role\.iam\.json:10:19: error An alias ARN as Resource .* \[alias-arn-as-resource\]$/m);
});

test('on a terminal: colour and a progress line on stderr; piped: neither', (t) => {
  // util-linux script(1) gives the CLI a pseudo-terminal, as a person at a shell has.
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') !== true) return t.skip('needs util-linux script');
  const many = temporaryFolder('keyshare-tty-');
  for (let i = 0; i < 250; i++) fs.writeFileSync(path.join(many, `role-${i}.iam.json`), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]));
  try {
    const env = { ...process.env };
    delete env.NO_COLOR;
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} check .`;
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: many, encoding: 'utf8', env });
    assert.equal(terminal.status, 1, terminal.stdout);
    assert.match(terminal.stdout, /\x1b\[31merror\x1b\[0m An alias ARN as Resource/);
    assert.match(terminal.stdout, /^\rkeyshare: \d+\/250 files(\rkeyshare: \d+\/250 files)*\r\x1b\[K/, 'progress, then cleared before the findings');
    assert.match(terminal.stdout, /\n250 errors, 0 warnings, 0 infos, 0 hints in 250 policies checked\r?\n$/);
    const piped = spawnSync(process.execPath, [cli, 'check', '.'], { cwd: many, encoding: 'utf8', env });
    assert.equal(piped.status, 1);
    assert.doesNotMatch(piped.stdout + piped.stderr, /\x1b|\r/);
    assert.equal(piped.stdout.split('\n').filter(Boolean).length, 250);
  } finally {
    fs.rmSync(many, { recursive: true, force: true });
  }
});

test('a folder is walked: node_modules, binary and non-policy JSON are skipped quietly', () => {
  const result = run(['check', '.', '--format', 'json'], dir);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, '');
  const reports = JSON.parse(result.stdout) as { file: string; ruleId: string; severity: string; message: string; range: unknown }[];
  assert.deepEqual([...new Set(reports.map((r) => r.file))].sort(), ['role.iam.json', 'warn.json']);
  for (const r of reports) {
    assert.deepEqual(Object.keys(r).sort(), ['file', 'message', 'range', 'ruleId', 'severity']);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(r.severity));
  }
  const alias = reports.find((r) => r.ruleId === 'alias-arn-as-resource')!;
  assert.deepEqual(alias.range, { start: { line: 9, character: 18 }, end: { line: 9, character: 65 } });
  const text = run(['check', '.'], dir);
  assert.match(text.stderr, /^\d+ errors?, \d+ warnings?, \d+ infos?, \d+ hints? in 3 policies checked; 1 file is not a policy \(left alone\)\n$/);
});

test('--quiet reports errors only; --max-warnings turns warnings into exit 1', () => {
  const quiet = run(['check', 'warn.json', '--quiet', '--format', 'json'], dir);
  assert.equal(quiet.code, 0);
  assert.deepEqual(JSON.parse(quiet.stdout), []);
  assert.equal(run(['check', 'warn.json'], dir).code, 0);
  const strict = run(['check', 'warn.json', '--max-warnings', '0'], dir);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /more than --max-warnings 0/);
});

test('usage and I/O errors exit 2 with one line on stderr, other files still checked', () => {
  const usage = run(['check', '--format', 'xml']);
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr.trim(), 'keyshare: --format must be text, json, sarif, junit, github or gitlab, not "xml"');
  const missing = run(['check', 'nope.json', 'role.iam.json', '--format', 'json'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^keyshare: nope\.json: no such file or directory$/m);
  assert.ok(JSON.parse(missing.stdout).some((r: { ruleId: string }) => r.ruleId === 'alias-arn-as-resource'));
  assert.equal(run(['frobnicate']).code, 2);
});

test('keyshare.json: rule severities, ignores and a broken config', () => {
  const configDir = temporaryFolder('keyshare-config-');
  fs.writeFileSync(path.join(configDir, 'a.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]));
  fs.writeFileSync(path.join(configDir, 'keyshare.json'), JSON.stringify({ rules: { 'kms-resource-wildcard': 'error' } }));
  assert.equal(run(['check', '.'], configDir).code, 1);
  fs.writeFileSync(path.join(configDir, 'keyshare.json'), JSON.stringify({ ignore: [{ rule: 'kms-resource-wildcard', files: ['a.*'] }] }));
  const ignored = run(['check', '.', '--format', 'json'], configDir);
  assert.deepEqual(JSON.parse(ignored.stdout), []);
  fs.writeFileSync(path.join(configDir, 'keyshare.json'), '{\n  "rules": { "no-such-rule": "off", "kms-resource-wildcard": "error" },\n  "bogus": 1\n}\n');
  const broken = run(['check', '.', '--format', 'json'], configDir);
  assert.equal(broken.code, 1);
  assert.equal(broken.stderr, '');
  const reports = JSON.parse(broken.stdout) as { file: string; ruleId: string; severity: string; message: string; range: { start: { line: number; character: number } } }[];
  assert.deepEqual(reports.map((r) => [r.file, r.ruleId, r.severity, r.range.start.line, r.range.start.character, r.message]), [
    ['keyshare.json', 'keyshare-json', 'error', 1, 13, '"no-such-rule" is not a Keyshare rule id.'],
    ['keyshare.json', 'keyshare-json', 'error', 2, 2, '"bogus" is not a keyshare.json field (accounts, keys, organization, principals, expect, grants, rules, ignore).'],
    ['a.iam.json', 'kms-resource-wildcard', 'error', 9, 18, reports[2].message],
  ], 'the problems in keyshare.json come first, and its valid part still applies');

  // Named alone it is still checked; its own rules setting can make the problems warnings.
  assert.match(run(['check', 'keyshare.json'], configDir).stdout, /^keyshare\.json:2:14: error "no-such-rule" is not a Keyshare rule id\. \[keyshare-json\]$/m);
  fs.writeFileSync(path.join(configDir, 'keyshare.json'), '{ "rules": { "keyshare-json": "warning" }, "bogus": 1 }');
  const relaxed = run(['check', 'keyshare.json', '--format', 'json'], configDir);
  assert.equal(relaxed.code, 0);
  assert.deepEqual(JSON.parse(relaxed.stdout).map((r: { severity: string }) => r.severity), ['warning']);
  const explicit = run(['check', 'a.iam.json', '--config', 'missing.json'], configDir);
  assert.equal(explicit.code, 2);
});

test('--format sarif is valid SARIF 2.1.0 with rule metadata and help links', () => {
  const result = run(['check', '.', '--format', 'sarif'], dir);
  assert.equal(result.code, 1);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const log = JSON.parse(result.stdout) as { runs: any[] };
  const schemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const run0 = log.runs[0];
  const result0 = run0.results.find((r: { ruleId: string }) => r.ruleId === 'alias-arn-as-resource');
  assert.equal(run0.tool.driver.rules[result0.ruleIndex].id, 'alias-arn-as-resource');
  assert.match(run0.tool.driver.rules[result0.ruleIndex].helpUri, /docs\/rules\/alias-arn-as-resource\.md$/);
  assert.deepEqual(result0.locations[0].physicalLocation.region, { startLine: 10, startColumn: 19, endLine: 10, endColumn: 66 });
  assert.equal(result0.locations[0].physicalLocation.artifactLocation.uri, 'role.iam.json');
});

test('a binary or invalid UTF-8 file named as a policy gets one clear message', () => {
  // Named, a binary file is not checked: exit 2, as for a file that cannot be read, and the
  // summary says so (in a folder walk it is skipped quietly: see above).
  const binary = run(['check', 'image.json'], dir);
  assert.equal(binary.code, 2);
  assert.equal(binary.stdout, '');
  assert.equal(binary.stderr, 'keyshare: image.json: binary file\nno policies checked: 1 file could not be read (image.json)\n');
  const beside = run(['check', 'image.json', 'warn.json'], dir);
  assert.equal(beside.code, 2, 'also beside a file that is checked');
  assert.match(beside.stdout, /^warn\.json:\d+:\d+: warning .*\[kms-resource-wildcard\]$/m);
  assert.match(beside.stderr, /^keyshare: image\.json: binary file\n0 errors, 1 warning, 0 infos, 0 hints in 1 policy checked; 1 file could not be read \(image\.json\)\n$/);
  const file = path.join(dir, 'latin1.policy.json');
  fs.writeFileSync(file, Buffer.concat([Buffer.from('{"Version":"2012-10-17","Statement":[{"Sid":"Caf'), Buffer.from([0xe9]), Buffer.from(`","Effect":"Allow","Action":"kms:DescribeKey","Resource":"${KEY_ARN}"}]}`)]));
  const invalid = run(['check', 'latin1.policy.json', '--format', 'json'], dir);
  assert.equal(invalid.code, 1);
  assert.match(JSON.parse(invalid.stdout)[0].message, /not valid UTF-8/);
  fs.unlinkSync(file);
});

test('property: the CLI over mutated and hostile files never crashes and keeps ranges inside', () => {
  const fuzzDir = temporaryFolder('keyshare-fuzz-');
  const seeds = fs.readdirSync(path.join(repoRoot, 'test', 'fixtures', 'seeds')).map((f) => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'seeds', f)));
  const tokens = ['{', '}', '[', ']', ',', ':', '"', '\u201c', '\u00a0', '//', '"Statement"', '"Principal"', '\\', '\n'].map((t) => Buffer.from(t));
  const mutation = fc.record({
    seed: fc.integer({ min: 0, max: seeds.length - 1 }),
    flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    inserts: fc.array(fc.record({ at: fc.nat(), token: fc.integer({ min: 0, max: tokens.length - 1 }) }), { maxLength: 6 }),
    cut: fc.nat(),
  });
  const files = fc.sample(mutation, { numRuns: 60, seed: 42 }).map(({ seed, flips, inserts, cut }, i) => {
    let bytes = Buffer.from(seeds[seed]);
    for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
    for (const { at, token } of inserts) {
      const p = at % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, p), tokens[token], bytes.subarray(p)]);
    }
    bytes = bytes.subarray(0, bytes.length - (cut % Math.max(1, Math.floor(bytes.length / 3))));
    const name = `fuzz-${i}.policy.json`;
    fs.writeFileSync(path.join(fuzzDir, name), bytes);
    return name;
  });
  fs.writeFileSync(path.join(fuzzDir, 'deep.policy.json'), '{"Statement":' + '['.repeat(50000));
  const result = run(['check', '.', '--format', 'json'], fuzzDir);
  assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /internal error/);
  const reports = JSON.parse(result.stdout) as { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
  assert.ok(files.length === 60 && reports.length > 0);
  for (const report of reports) {
    const lines = fs.readFileSync(path.join(fuzzDir, report.file), 'utf8').split(/\r\n|\r|\n/);
    for (const end of [report.range.start, report.range.end]) {
      assert.ok(end.line < lines.length, `${report.file}: line ${end.line} outside ${lines.length} lines`);
      assert.ok(end.character <= lines[end.line].length, `${report.file}: character ${end.character} outside line ${end.line}`);
    }
  }
  fs.rmSync(fuzzDir, { recursive: true, force: true });
});

test('npm pack holds the command line, the server bundle, the IAM catalog and the Terraform grammar, and nothing else', () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = spawnSync(npm, ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const files: string[] = JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path);
  const outside = files.filter((f) => !/^server\/out\/iam-data\/(actions|conditionKeys|resourceTypes)\/[a-z0-9-]+\.json$/.test(f));
  assert.deepEqual(outside.sort(), [
    'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'schemas/keyshare.schema.json', 'server/out/cli.js',
    'server/out/iam-data/conditionPatterns.json', 'server/out/iam-data/serviceNames.json', 'server/out/iam-data/services.json',
    'server/out/iam-data/unassociatedConditions.json', 'server/out/server.js',
    'server/out/tree-sitter-terraform.LICENSE', 'server/out/tree-sitter-terraform.wasm',
    'server/out/web-tree-sitter.LICENSE', 'server/out/web-tree-sitter.js', 'server/out/web-tree-sitter.wasm', 'server/out/yaml.js',
  ]);
  assert.ok(files.includes('server/out/iam-data/actions/kms.json'));
  assert.ok(files.includes('server/out/iam-data/resourceTypes/kms.json'), 'the resource types (ARN formats, their condition keys)');
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(pkg.dependencies, undefined, 'the bundles need nothing installed beside them');
  assert.equal(pkg.files, undefined, 'vsce refuses "files" beside .vscodeignore; .npmignore says what npm packs');
});
