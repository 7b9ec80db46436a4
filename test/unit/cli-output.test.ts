// The built CLI as a subprocess: help, I/O errors and empty paths, the summary (and that the
// editor's Validate Workspace counts the same), and SARIF for code scanning.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import { KEY_ARN, policy, repoRoot, ROOT_STATEMENT, USAGE, temporaryFolder } from './helpers';
import { LspClient } from './lspClient';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
const server = path.join(repoRoot, 'server', 'out', 'server.js');
const examples = path.join(repoRoot, 'examples');

function run(args: string[], cwd = repoRoot) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The numbers of the text summary line ("1 error, 2 warnings, 0 infos, 1 hint in 5 policies checked (…); …"). */
function summaryNumbers(stderr: string) {
  const line = stderr.trim().split('\n').pop()!;
  const m = /^(\d+) errors?, (\d+) warnings?, (\d+) infos?, (\d+) hints? in (\d+) polic(?:y|ies) checked(?: \(([^)]*)\))?(?:; (\d+) files? (?:is|are) not (?:a )?polic(?:y|ies) \(left alone\))?$/.exec(line);
  assert.ok(m, `not a summary line: ${line}`);
  const kinds = m[6] ?? '';
  const kind = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(kinds)?.[1] ?? 0);
  return {
    counts: { error: Number(m[1]), warning: Number(m[2]), info: Number(m[3]), hint: Number(m[4]) },
    policies: Number(m[5]),
    fragments: kind('statement fragment'),
    templates: kind('template'),
    templatePolicies: Number(/(\d+) in \d+ templates?/.exec(kinds)?.[1] ?? 0),
    notPolicies: Number(m[7] ?? 0),
  };
}

let dir: string;
before(() => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first (npm test does)');
  dir = temporaryFolder('keyshare-cli-output-');
});

test('keyshare --help, keyshare check --help, keyshare lsp --help and keyshare help <command> print usage and exit 0', () => {
  const top = run(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /keyshare check \[paths\.\.\.\]/);
  assert.match(top.stdout, /keyshare <command> --help/);
  for (const args of [['check', '--help'], ['check', '-h'], ['check', 'some/path', '--format', 'json', '--help'], ['help', 'check']]) {
    const help = run(args);
    assert.equal(help.code, 0, args.join(' '));
    assert.equal(help.stderr, '', 'no check ran');
    assert.match(help.stdout, /^Usage: keyshare check \[paths\.\.\.\] \[options\]/, args.join(' '));
    assert.match(help.stdout, /--format text\|json\|sarif/);
    assert.match(help.stdout, /--max-warnings <n>/);
    assert.match(help.stdout, /Exit codes: 0 no errors, 1 errors found/);
  }
  for (const args of [['lsp', '--help'], ['help', 'lsp']]) {
    const help = run(args);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: keyshare lsp --stdio/);
  }
  const unknown = run(['help', 'frobnicate']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'keyshare: unknown command "frobnicate" (try keyshare --help)\n');
});

test('an I/O error is one line on stderr without the absolute path, exit 2, and the other files are still checked', (t) => {
  if (process.platform !== 'linux') return t.skip('reading /proc/self/mem fails with EIO on Linux only');
  const io = fs.mkdtempSync(path.join(dir, 'io-'));
  fs.writeFileSync(path.join(io, 'role.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]));
  // A file that opens but cannot be read, for any user (root included): reading it fails with EIO.
  fs.symlinkSync('/proc/self/mem', path.join(io, 'mem.json'));
  const result = run(['check', 'mem.json', 'role.iam.json', '--format', 'json'], io);
  assert.equal(result.code, 2);
  assert.equal(result.stderr, 'keyshare: mem.json: input/output error\n');
  assert.deepEqual(JSON.parse(result.stdout).map((r: { file: string; ruleId: string }) => `${r.file} ${r.ruleId}`), ['role.iam.json alias-arn-as-resource']);
  // Named with an absolute path, the message names it as given and adds no path of its own.
  const absolute = run(['check', path.join(io, 'mem.json')], io);
  assert.equal(absolute.code, 2);
  assert.equal(absolute.stderr.split('\n')[0], 'keyshare: mem.json: input/output error');
});

test('a missing path: its error, then a summary that says it could not be read (not "0 errors … in 0 policies checked"), exit 2', () => {
  const ws = fs.mkdtempSync(path.join(dir, 'missing-'));
  fs.writeFileSync(path.join(ws, 'role.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]));
  const alone = run(['check', 'nope.json'], ws);
  assert.equal(alone.code, 2);
  assert.equal(alone.stdout, '');
  assert.equal(alone.stderr, 'keyshare: nope.json: no such file or directory\nno policies checked: 1 file could not be read (nope.json)\n');
  // Beside files that were checked, the counts stand and the summary still names what was not.
  const beside = run(['check', 'nope.json', 'role.iam.json', 'gone/'], ws);
  assert.equal(beside.code, 2);
  assert.match(beside.stdout, /^role\.iam\.json:10:19: error .*\[alias-arn-as-resource\]$/m);
  assert.equal(beside.stderr, 'keyshare: nope.json: no such file or directory\nkeyshare: gone: no such file or directory\n1 error, 0 warnings, 0 infos, 0 hints in 1 policy checked; 2 files could not be read (nope.json, gone)\n');
  const config = run(['check', 'role.iam.json', '--config', 'missing/keyshare.json'], ws);
  assert.equal(config.code, 2);
  assert.equal(config.stderr, 'keyshare: missing/keyshare.json: configuration file not found\nno policies checked: 1 file could not be read (missing/keyshare.json)\n');
});

test('messages name every path relative to the working folder, however it was given', () => {
  const ws = fs.mkdtempSync(path.join(dir, 'relative-'));
  fs.mkdirSync(path.join(ws, 'sub', 'empty'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'sub', 'role.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]));
  const absolute = (...parts: string[]) => path.join(ws, ...parts);
  // A missing file, a folder without policies and a policy, all named by absolute paths.
  const result = run(['check', absolute('nope.json'), absolute('sub', 'empty'), absolute('sub', 'role.iam.json')], ws);
  assert.equal(result.code, 2);
  assert.ok(!(result.stdout + result.stderr).includes(ws), result.stdout + result.stderr);
  assert.match(result.stdout, /^sub\/role\.iam\.json:10:19: error /m);
  assert.deepEqual(result.stderr.split('\n').filter((l) => l.startsWith('keyshare:')), ['keyshare: nope.json: no such file or directory', 'keyshare: no policies found in sub/empty: no files Keyshare reads (JSON, YAML, templates, Terraform)']);
  // Named from a folder below: ../ and the same names as the findings use.
  const below = run(['check', absolute('nope.json'), absolute('sub', 'role.iam.json')], absolute('sub', 'empty'));
  assert.match(below.stdout, /^\.\.\/role\.iam\.json:10:19: error /m);
  assert.match(below.stderr, /^keyshare: \.\.\/\.\.\/nope\.json: no such file or directory$/m);
  const config = run(['check', 'sub', '--config', absolute('missing.json')], ws);
  assert.equal(config.stderr.split('\n')[0], 'keyshare: missing.json: configuration file not found');
  // A keyshare.json that cannot be read: why, without an absolute path.
  fs.mkdirSync(absolute('sub', 'keyshare.json'));
  const unreadable = run(['check', absolute('sub')], ws);
  assert.equal(unreadable.code, 2);
  assert.match(unreadable.stderr, /^keyshare: sub\/keyshare\.json: cannot read configuration \(.+\)$/m);
  assert.ok(!unreadable.stderr.includes(ws), unreadable.stderr);
});

test('a path that holds no policy says so on stderr and exits 0', () => {
  const none = fs.mkdtempSync(path.join(dir, 'none-'));
  fs.mkdirSync(path.join(none, 'config'));
  fs.mkdirSync(path.join(none, 'empty'));
  fs.writeFileSync(path.join(none, 'config', 'package.json'), JSON.stringify({ name: 'x' }));
  fs.writeFileSync(path.join(none, 'config', 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
  fs.writeFileSync(path.join(none, 'config', 'data.json'), '[1, 2, 3]');
  const folder = run(['check', 'config'], none);
  assert.equal(folder.code, 0);
  assert.equal(folder.stdout, '');
  assert.equal(folder.stderr, 'keyshare: no policies found in config: 3 files, none a policy\n0 errors, 0 warnings, 0 infos, 0 hints in 0 policies checked; 3 files are not policies (left alone)\n');
  const empty = run(['check', 'empty', '--format', 'json'], none);
  assert.equal(empty.code, 0);
  assert.deepEqual(JSON.parse(empty.stdout), []);
  assert.equal(empty.stderr, 'keyshare: no policies found in empty: no files Keyshare reads (JSON, YAML, templates, Terraform)\n');
  const file = run(['check', 'config/package.json'], none);
  assert.equal(file.code, 0);
  assert.match(file.stderr, /^keyshare: no policies found in config\/package\.json: a file that holds no policy$/m);
  const files = run(['check', 'config/package.json', 'config/tsconfig.json'], none);
  assert.match(files.stderr, /^keyshare: no policies found in the 2 files given: none holds a policy$/m);
  // A path with a policy says nothing of the kind; a folder without one still does. Files named
  // beside a policy (a pre-commit hook passes every changed file) are only counted.
  fs.writeFileSync(path.join(none, 'clean.key-policy.json'), policy([ROOT_STATEMENT]));
  const mixed = run(['check', 'clean.key-policy.json', 'config', 'config/package.json'], none);
  assert.equal(mixed.code, 0);
  assert.deepEqual(mixed.stderr.split('\n').filter((l) => l.startsWith('keyshare:')), ['keyshare: no policies found in config: 3 files, none a policy']);
});

test('the summary counts errors, warnings, infos and hints apart, and policies, statement fragments, templates and other JSON', () => {
  const kinds = fs.mkdtempSync(path.join(dir, 'kinds-'));
  fs.writeFileSync(path.join(kinds, 'key.key-policy.json'), policy([ROOT_STATEMENT, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: USAGE, Resource: '*' }]));
  fs.writeFileSync(path.join(kinds, 'statements.json'), JSON.stringify([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN }], null, 2));
  fs.writeFileSync(path.join(kinds, 'role.json.tpl'), '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "arn:aws:kms:us-east-1:${account_id}:key/*" }\n  ]\n}\n');
  fs.writeFileSync(path.join(kinds, 'package.json'), JSON.stringify({ name: 'x' }));
  // One template file holding two policies counts as two policies.
  fs.writeFileSync(
    path.join(kinds, 'stack.yaml'),
    [
      'Resources:',
      '  DataKey:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      KeyPolicy:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
      '            Action: "kms:*"',
      '            Resource: "*"',
      '  ReadPolicy:',
      '    Type: AWS::IAM::ManagedPolicy',
      '    Properties:',
      '      PolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Effect: Allow',
      '            Action: [kms:Decrypt, kms:DescribeKey]',
      '            Resource: !GetAtt DataKey.Arn',
      '',
    ].join('\n'),
  );
  const text = run(['check', '.'], kinds);
  const numbers = summaryNumbers(text.stderr);
  assert.deepEqual({ ...numbers, counts: undefined }, { counts: undefined, policies: 5, fragments: 1, templates: 2, templatePolicies: 3, notPolicies: 1 }, text.stderr);
  const reports = JSON.parse(run(['check', '.', '--format', 'json'], kinds).stdout) as { severity: 'error' | 'warning' | 'info' | 'hint' }[];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) counts[r.severity]++;
  assert.deepEqual(numbers.counts, counts, 'the summary counts what the JSON output lists, by severity');
  assert.match(text.stderr, / in 5 policies checked \(1 statement fragment, 3 in 2 templates\); 1 file is not a policy \(left alone\)\n$/);
  assert.equal(text.stderr.split('\n').filter((l) => l.startsWith('keyshare:')).length, 0);
});

test('keyshare check on examples/ and Validate Workspace in the editor report the same numbers', async () => {
  const cliRun = run(['check', '.'], examples);
  assert.equal(cliRun.code, 1, cliRun.stderr);
  const fromCli = summaryNumbers(cliRun.stderr);
  const client = new LspClient(server);
  try {
    await client.initialize(examples, { debounceMs: 0 });
    await client.waitForLog(/Keyshare indexed \d+ JSON files/);
    const fromEditor = await client.request<{ policies: number; fragments: number; templates: number; templatePolicies: number; notPolicies: number; configs: number; counts: Record<string, number> }>('keyshare/validateWorkspace', {});
    assert.deepEqual(
      { counts: fromEditor.counts, policies: fromEditor.policies, fragments: fromEditor.fragments, templates: fromEditor.templates, templatePolicies: fromEditor.templatePolicies, notPolicies: fromEditor.notPolicies },
      fromCli,
    );
    assert.equal(fromEditor.configs, 1, 'examples/keyshare.json is checked too');
    assert.equal((fromEditor as unknown as { text: string }).text, cliRun.stderr.trim().split('\n').pop(), 'and in the same words');
    assert.ok(fromCli.counts.error > 0 && fromCli.counts.warning > 0 && fromCli.counts.hint > 0, 'the examples have findings of every kind the comparison needs');
  } finally {
    await client.stop();
  }
});

test('a cross-file finding names the other file in the text output', () => {
  const result = run(['check', '.'], examples);
  const lines = result.stdout.split('\n');
  const at = lines.findIndex((l) => /^workload-b\/roles\/ingest\.iam\.json:\d+:\d+: warning .*\[ineffective-action\]$/.test(l));
  assert.ok(at >= 0, result.stdout);
  assert.match(lines[at + 1], /^ {2}\u21b3 security\/keys\/data\.key-policy\.json:\d+:\d+: the key policy grants /);
  // Findings that point to no other file keep one line.
  const alias = lines.findIndex((l) => l.includes('[alias-arn-as-resource]'));
  assert.ok(!lines[alias + 1]?.startsWith('  \u21b3'));
});

test('SARIF for GitHub code scanning: security-severity and tags, help, relatedLocations; valid SARIF 2.1.0', () => {
  // GitHub's "SARIF support for code scanning" reference
  // (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)
  // documents what these fields do there:
  // - reportingDescriptor `properties.tags`: "security" makes the rule's alerts security alerts;
  // - reportingDescriptor `properties.security-severity`: a string holding a number from 0.0 to 10.0
  //   (over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low), used with the "security" tag;
  // - reportingDescriptor `help.text` / `help.markdown` and `helpUri`: the rule's help in the alert;
  // - result `relatedLocations`: "Code scanning will link to related locations when they are
  //   embedded in the result message" (SARIF's `[text](id)` message links).
  const result = run(['check', '.', '--format', 'sarif'], examples);
  assert.equal(result.code, 1);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const log = JSON.parse(result.stdout) as { runs: any[] };
  const schemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const rules = log.runs[0].tool.driver.rules as { id: string; helpUri: string; help: { text: string; markdown: string }; defaultConfiguration: { level: string }; properties: { tags: string[]; category: string; 'security-severity'?: string } }[];
  const rule = (id: string) => rules.find((r) => r.id === id)!;

  const wildcard = rule('wildcard-principal'); // a security rule, error by default
  assert.deepEqual(wildcard.properties.tags, ['security', wildcard.properties.category]);
  assert.equal(wildcard.properties['security-severity'], '8.0');
  const admin = rule('cross-account-admin'); // a security rule, warning by default
  assert.equal(admin.defaultConfiguration.level, 'warning');
  assert.deepEqual(admin.properties.tags, ['security', admin.properties.category]);
  assert.equal(admin.properties['security-severity'], '5.0');
  for (const r of rules) {
    assert.match(r.helpUri, new RegExp(`/docs/rules/${r.id}\\.md$`));
    assert.ok(r.help.text.length > 0 && r.help.markdown.includes(`(${r.helpUri})`), r.id);
    const severity = r.properties['security-severity'];
    if (severity !== undefined) {
      assert.match(severity, /^\d+\.\d$/, r.id);
      assert.ok(Number(severity) > 0 && Number(severity) <= 10, r.id);
      assert.ok(r.properties.tags.includes('security'), r.id);
    } else {
      assert.ok(!r.properties.tags.includes('security'), `${r.id}: security-severity goes with the security tag`);
    }
  }
  const alias = rule('alias-arn-as-resource');
  assert.equal(alias.properties['security-severity'], undefined, 'not a security rule: it breaks access, it does not open it');

  const results = log.runs[0].results as { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations?: { id: number; message: { text: string }; physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[] }[];
  const ineffective = results.find((r) => r.ruleId === 'ineffective-action')!;
  assert.equal(ineffective.locations[0].physicalLocation.artifactLocation.uri, 'workload-b/roles/ingest.iam.json');
  const other = ineffective.relatedLocations?.find((l) => l.physicalLocation.artifactLocation.uri === 'security/keys/data.key-policy.json');
  assert.ok(other, JSON.stringify(ineffective.relatedLocations));
  assert.equal(other.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.ok(other.physicalLocation.region.startLine > 1);
  assert.match(other.message.text, /the key policy grants/);
  assert.ok(ineffective.message.text.includes(`](${other.id})`), 'the message links to the other half');
  const text = run(['check', '.'], examples).stdout;
  assert.ok(text.includes(`  \u21b3 security/keys/data.key-policy.json:${other.physicalLocation.region.startLine}:${other.physicalLocation.region.startColumn}: `), 'text and SARIF name the same place');
});

test('--show-suppressed adds what keyshare.json ignore entries hide, marked with their reason, never failing the check', () => {
  const ws = fs.mkdtempSync(path.join(dir, 'suppressed-'));
  fs.writeFileSync(path.join(ws, 'a.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]));
  fs.writeFileSync(path.join(ws, 'b.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]));
  fs.writeFileSync(path.join(ws, 'keyshare.json'), JSON.stringify({
    rules: { 'kms-resource-wildcard': 'error' },
    ignore: [{ rule: 'kms-resource-wildcard', files: ['a.*'], reason: 'legacy role, removed in Q3' }, { rule: '*', files: ['b.*'] }],
  }));
  const plain = run(['check', '.', '--format', 'json'], ws);
  assert.equal(plain.code, 0);
  assert.deepEqual(JSON.parse(plain.stdout), [], 'without the flag the ignored findings stay hidden');

  const shown = run(['check', '.', '--format', 'json', '--show-suppressed'], ws);
  assert.equal(shown.code, 0, 'suppressed errors do not fail the check');
  const reports = JSON.parse(shown.stdout) as { file: string; ruleId: string; severity: string; suppressed?: boolean; reason?: string | null }[];
  assert.ok(reports.length >= 2);
  assert.ok(reports.every((r) => r.suppressed === true), JSON.stringify(reports));
  const a = reports.find((r) => r.file === 'a.iam.json' && r.ruleId === 'kms-resource-wildcard')!;
  assert.deepEqual([a.severity, a.reason], ['error', 'legacy role, removed in Q3']);
  const b = reports.find((r) => r.file === 'b.iam.json' && r.ruleId === 'kms-resource-wildcard')!;
  assert.equal(b.reason, null, 'an entry without a reason');

  const text = run(['check', '.', '--show-suppressed'], ws);
  assert.match(text.stdout, /^a\.iam\.json:\d+:\d+: error .* \[kms-resource-wildcard\] \(suppressed: legacy role, removed in Q3\)$/m);
  assert.match(text.stderr, /^0 errors, 0 warnings, 0 infos, 0 hints in 2 policies checked; \d+ suppressed \(shown\)\n$/);
  // SARIF marks them with its own suppressions (kept outside the file: external), and stays valid.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const log = JSON.parse(run(['check', '.', '--format', 'sarif', '--show-suppressed'], ws).stdout) as { runs: any[] };
  const schemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const sarifA = log.runs[0].results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri === 'a.iam.json');
  assert.deepEqual(sarifA.suppressions, [{ kind: 'external', status: 'accepted', justification: 'legacy role, removed in Q3' }]);

  // A reason that is not a string is a keyshare.json problem; the entry still applies.
  fs.writeFileSync(path.join(ws, 'keyshare.json'), '{ "ignore": [ { "rule": "kms-resource-wildcard", "files": ["a.*"], "reason": 3 } ] }');
  const broken = JSON.parse(run(['check', '.', '--format', 'json'], ws).stdout) as { file: string; ruleId: string; message: string }[];
  assert.deepEqual(broken.filter((r) => r.file === 'keyshare.json').map((r) => r.message), ['"reason" must be a string.']);
  assert.ok(!broken.some((r) => r.file === 'a.iam.json' && r.ruleId === 'kms-resource-wildcard'));
});

test('an ignore entry with "sids" hides its rule in those statements only; the others still report it', () => {
  const ws = fs.mkdtempSync(path.join(dir, 'sids-'));
  const statements = [
    { Sid: 'LegacyReaders', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    { Sid: 'NewReaders', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
  ];
  const text = policy(statements);
  fs.writeFileSync(path.join(ws, 'app.iam.json'), text);
  fs.writeFileSync(path.join(ws, 'keyshare.json'), JSON.stringify({
    rules: { 'kms-resource-wildcard': 'error' },
    ignore: [{ rule: 'kms-resource-wildcard', files: ['app.*'], sids: ['LegacyReaders'], reason: 'replaced in Q3' }],
  }));
  const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
  const checked = run(['check', '.', '--format', 'json'], ws);
  assert.equal(checked.code, 1, 'the statement outside the entry still fails the check');
  const reports = (JSON.parse(checked.stdout) as { file: string; ruleId: string; range: { start: { line: number } } }[]).filter((r) => r.ruleId === 'kms-resource-wildcard');
  assert.equal(reports.length, 1, JSON.stringify(reports));
  assert.ok(reports[0].range.start.line > lineOf('"NewReaders"'), 'the one left is in NewReaders');
  assert.ok(!JSON.parse(checked.stdout).some((r: { file: string }) => r.file === 'keyshare.json'), '"sids" is a known field');

  const shown = JSON.parse(run(['check', '.', '--format', 'json', '--show-suppressed'], ws).stdout) as { ruleId: string; suppressed?: boolean; reason?: string; range: { start: { line: number } } }[];
  const hidden = shown.filter((r) => r.suppressed);
  assert.equal(hidden.length, 1, JSON.stringify(shown));
  assert.equal(hidden[0].reason, 'replaced in Q3');
  assert.ok(hidden[0].range.start.line > lineOf('"LegacyReaders"') && hidden[0].range.start.line < lineOf('"NewReaders"'), 'the hidden one is in LegacyReaders');
});
