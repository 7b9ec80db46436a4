// The built CLI's pipeline formats (JUnit XML, GitHub workflow commands, GitLab code quality) and
// the flags that choose what fails a pipeline (--rule, --skip-rule, --fail-on).
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { policy, repoRoot, ROOT_STATEMENT, temporaryFolder } from './helpers';
import { escapeGithubData, escapeGithubProperty, formatGithub, formatJunit } from '../../server/src/cli/formats';
import type { Report } from '../../server/src/cli/output';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ALIAS_MESSAGE = 'An alias ARN as Resource matches only the alias itself (CreateAlias, UpdateAlias, DeleteAlias); it grants nothing on the key behind it, so kms:Decrypt, kms:DescribeKey here have no effect. Use the key ARN, or key/* with a kms:ResourceAliases condition.';
const WILDCARD_MESSAGE = 'kms:Decrypt on "*" applies to every KMS key this role can reach, in any account that shares one with it. Name the key ARNs, or scope with a condition (kms:ResourceAliases, aws:ResourceTag, kms:ViaService).';
const DESCRIBE_MESSAGE = 'These principals may use the key but not kms:DescribeKey: AWS service consoles cannot show or select the key, and integrations that look the key up first fail. Add kms:DescribeKey.';

const STACK = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [kms:Decrypt, kms:DescribeKey]
                Resource: arn:aws:kms:us-east-1:111122223333:alias/data
`;

let dir: string;
before(() => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first (npm test does)');
  dir = temporaryFolder('keyshare-cli-formats-');
  // An error, a warning and an info, each in a file of its own.
  fs.writeFileSync(path.join(dir, 'role.iam.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/data' }]));
  fs.writeFileSync(path.join(dir, 'warn.json'), policy([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]));
  fs.mkdirSync(path.join(dir, 'key'));
  fs.writeFileSync(path.join(dir, 'key', 'info.key-policy.json'), policy([ROOT_STATEMENT, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: ['kms:Decrypt'], Resource: '*' }]));
  fs.writeFileSync(path.join(dir, 'stack.yaml'), STACK);
});

// --- GitHub ----------------------------------------------------------------------------------

test('--format github prints one workflow command per finding: ::error, ::warning, ::notice with file, line, columns and the rule id as title', () => {
  const result = run(['check', 'role.iam.json', 'warn.json', 'key', '--format', 'github'], dir);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, '');
  assert.deepEqual(result.stdout.split('\n'), [
    `::error file=role.iam.json,line=10,col=19,endLine=10,endColumn=66,title=alias-arn-as-resource::${ALIAS_MESSAGE}`,
    `::warning file=warn.json,line=10,col=19,endLine=10,endColumn=22,title=kms-resource-wildcard::${WILDCARD_MESSAGE}`,
    `::notice file=key/info.key-policy.json,line=19,col=7,endLine=19,endColumn=15,title=missing-describe-key::${DESCRIBE_MESSAGE}`,
    '',
  ]);
  // A template's finding names its policy and statement; what could not be read is an error annotation too.
  const template = run(['check', 'stack.yaml', 'gone.json', '--format', 'github'], dir);
  assert.equal(template.code, 2);
  assert.deepEqual(template.stdout.split('\n'), [
    `::error file=stack.yaml,line=19,col=27,endLine=19,endColumn=72,title=alias-arn-as-resource::[AppRole Policies[0], statement 1] ${ALIAS_MESSAGE}`,
    '::error file=gone.json,title=keyshare::gone.json was not checked: no such file or directory',
    '',
  ]);
  assert.equal(template.stderr, 'keyshare: gone.json: no such file or directory\n');
});

test('GitHub workflow commands escape as @actions/core does: %, CR and LF in the message; also : and , in properties', () => {
  assert.equal(escapeGithubData('100% sure\r\nnext: a, b'), '100%25 sure%0D%0Anext: a, b');
  assert.equal(escapeGithubProperty('dir,x/a:b%.json\n'), 'dir%2Cx/a%3Ab%25.json%0A');
  const report: Report = {
    file: 'odd, name:1.json',
    ruleId: 'wildcard-principal',
    severity: 'hint',
    message: 'Line one: 50%\nline two',
    range: { start: { line: 2, character: 4 }, end: { line: 5, character: 1 } },
    related: [{ file: 'other.json', range: { start: { line: 7, character: 2 }, end: { line: 7, character: 9 } }, message: 'the other half' }],
  };
  // A range over several lines gives lines only: GitHub takes columns for a range on one line.
  assert.equal(formatGithub([report]), '::notice file=odd%2C name%3A1.json,line=3,endLine=6,title=wildcard-principal::Line one: 50%25%0Aline two%0A\u21b3 other.json:8:3: the other half');
  assert.equal(formatGithub([{ ...report, related: undefined, suppressed: { reason: 'legacy' } }]), '::notice file=odd%2C name%3A1.json,line=3,endLine=6,title=wildcard-principal (suppressed)::Line one: 50%25%0Aline two (suppressed: legacy)');
});

// --- JUnit -----------------------------------------------------------------------------------

interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** Just enough of XML to read the report: a declaration, elements, attributes, text and the five entities; throws when tags do not nest. */
function parseXml(xml: string): XmlNode {
  const decode = (s: string) => s.replace(/&(#\d+|#x[0-9a-f]+|lt|gt|amp|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e]!;
  });
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  assert.notEqual(body, xml, 'an XML declaration first');
  const root: XmlNode = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length && (m = token.exec(body))) {
    at = token.lastIndex;
    const [, close, name, attrs, selfClosing, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      assert.ok(!/[&](?!(#\d+|#x[0-9a-f]+|lt|gt|amp|quot|apos);)/i.test(text), `a bare & in ${text}`);
      top.text += decode(text);
    } else if (close) {
      assert.equal(name, top.name, `</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, k, v] of attrs.matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[k] = decode(v);
      const node: XmlNode = { name, attributes, children: [], text: '' };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  assert.equal(at, body.length, `not XML at ${body.slice(at, at + 40)}`);
  assert.equal(stack.length, 1, `<${stack[stack.length - 1].name}> is not closed`);
  assert.equal(root.children.length, 1, 'one root element');
  return root.children[0];
}

const kids = (node: XmlNode, name: string) => node.children.filter((c) => c.name === name);

test('--format junit: a testsuite per file, a testcase per policy or file, a failure per finding at or above the fail level', () => {
  const result = run(['check', 'role.iam.json', 'warn.json', 'stack.yaml', '--format', 'junit'], dir);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, '');
  const root = parseXml(result.stdout);
  assert.equal(root.name, 'testsuites');
  const suites = kids(root, 'testsuite');
  assert.deepEqual(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.errors]), [
    ['role.iam.json', '1', '1', '0'],
    ['warn.json', '1', '0', '0'],
    ['stack.yaml', '2', '1', '0'],
  ]);
  assert.deepEqual([root.attributes.tests, root.attributes.failures, root.attributes.errors], ['4', '2', '0']);
  for (const suite of suites) assert.equal(kids(suite, 'testcase').length, Number(suite.attributes.tests));

  const [role, warn, stack] = suites.map((s) => kids(s, 'testcase'));
  assert.equal(role[0].attributes.name, 'role.iam.json', 'a file that is one policy: one case named by the file');
  const [failure] = kids(role[0], 'failure');
  assert.deepEqual(failure.attributes, { message: ALIAS_MESSAGE, type: 'alias-arn-as-resource' });
  assert.equal(failure.text, `role.iam.json:10:19: error ${ALIAS_MESSAGE} [alias-arn-as-resource]`);
  // Below the fail level: no failure, the finding in the case's output.
  assert.deepEqual(kids(warn[0], 'failure'), []);
  assert.equal(kids(warn[0], 'system-out')[0].text, `warn.json:10:19: warning ${WILDCARD_MESSAGE} [kms-resource-wildcard]`);
  // A template: one case per policy, by its address.
  assert.deepEqual(stack.map((c) => [c.attributes.name, c.attributes.classname, kids(c, 'failure').length]), [
    ['AppRole AssumeRolePolicyDocument', 'stack.yaml', 0],
    ['AppRole Policies[0]', 'stack.yaml', 1],
  ]);
  assert.match(kids(stack[1], 'failure')[0].text, /^stack\.yaml:19:27: error \[AppRole Policies\[0\], statement 1\] An alias ARN/);

  // --fail-on warning makes the warning a failure (and the exit code follows).
  const strict = parseXml(run(['check', 'warn.json', '--format', 'junit', '--fail-on', 'warning'], dir).stdout);
  const warnFailure = kids(kids(kids(strict, 'testsuite')[0], 'testcase')[0], 'failure');
  assert.deepEqual(warnFailure.map((f) => f.attributes.type), ['kms-resource-wildcard']);
});

test('--format junit: a path that cannot be read is a testsuite with an error, and the exit code is 2', () => {
  const result = run(['check', 'missing.json', 'key', '--format', 'junit'], dir);
  assert.equal(result.code, 2);
  const root = parseXml(result.stdout);
  assert.equal(root.attributes.errors, '1');
  const missing = kids(root, 'testsuite').find((s) => s.attributes.name === 'missing.json')!;
  assert.equal(missing.attributes.errors, '1');
  const [error] = kids(kids(missing, 'testcase')[0], 'error');
  assert.deepEqual(error.attributes, { message: 'no such file or directory', type: 'io-error' });
  assert.ok(kids(root, 'testsuite').some((s) => s.attributes.name === 'key/info.key-policy.json'), 'the other files are still reported');
});

test('JUnit XML stays well-formed whatever the message holds: markup, quotes, line breaks, control characters', () => {
  const report: Report = { file: 'a&b.json', ruleId: 'r', severity: 'error', message: '<tag attr="x">\'&\'\n\ttab\u0001\ud800', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  const root = parseXml(formatJunit({ reports: [report], checked: [], failOn: 'error' }));
  const failure = kids(kids(kids(root, 'testsuite')[0], 'testcase')[0], 'failure')[0];
  assert.equal(failure.attributes.message, '<tag attr="x">\'&\'\n\ttab\ufffd\ufffd', 'line breaks and tabs survive in an attribute');
  assert.equal(kids(root, 'testsuite')[0].attributes.name, 'a&b.json');
});

// --- GitLab ----------------------------------------------------------------------------------

/**
 * GitLab's code quality report, as https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
 * documents it: an array of issues, each with description, check_name, fingerprint (unique),
 * severity (info, minor, major, critical or blocker) and location.path (relative, not starting
 * with ./) with location.lines.begin (or location.positions.begin.line), an integer.
 */
const GITLAB_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(\\./|/)' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
          positions: { type: 'object', required: ['begin'], properties: { begin: { type: 'object', required: ['line'], properties: { line: { type: 'integer', minimum: 1 } } } } },
        },
        oneOf: [{ required: ['lines'] }, { required: ['positions'] }],
      },
    },
  },
};

test('--format gitlab is GitLab code quality JSON: valid against its documented shape, severities mapped, fingerprints unique and stable', () => {
  const result = run(['check', '.', '--format', 'gitlab'], dir);
  assert.equal(result.code, 1);
  const issues = JSON.parse(result.stdout) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(GITLAB_SCHEMA);
  assert.ok(validate(issues), JSON.stringify(validate.errors, null, 2));
  const of = (rule: string) => issues.find((i) => i.check_name === rule)!;
  assert.deepEqual(of('alias-arn-as-resource'), { description: ALIAS_MESSAGE, check_name: 'alias-arn-as-resource', fingerprint: of('alias-arn-as-resource').fingerprint, severity: 'major', location: { path: 'role.iam.json', lines: { begin: 10 } } });
  assert.equal(of('kms-resource-wildcard').severity, 'minor');
  assert.equal(of('missing-describe-key').severity, 'info');
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'one fingerprint per issue');

  // An error of a security rule is critical.
  const open = temporaryFolder('keyshare-gitlab-');
  fs.writeFileSync(path.join(open, 'open.key-policy.json'), policy([ROOT_STATEMENT, { Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }]));
  assert.equal((JSON.parse(run(['check', '.', '--format', 'gitlab'], open).stdout) as { check_name: string; severity: string }[]).find((i) => i.check_name === 'wildcard-principal')?.severity, 'critical');

  // Lines added above a finding do not make it a new issue: the fingerprint leaves the line out.
  fs.writeFileSync(path.join(open, 'role.iam.json'), fs.readFileSync(path.join(dir, 'role.iam.json'), 'utf8'));
  const before = (JSON.parse(run(['check', 'role.iam.json', '--format', 'gitlab'], open).stdout) as { fingerprint: string; location: { lines: { begin: number } } }[])[0];
  fs.writeFileSync(path.join(open, 'role.iam.json'), '\n\n' + fs.readFileSync(path.join(dir, 'role.iam.json'), 'utf8'));
  const after = (JSON.parse(run(['check', 'role.iam.json', '--format', 'gitlab'], open).stdout) as { fingerprint: string; location: { lines: { begin: number } } }[])[0];
  assert.equal(after.location.lines.begin, before.location.lines.begin + 2);
  assert.equal(after.fingerprint, before.fingerprint);
});

// --- Choosing rules and the fail level --------------------------------------------------------

test('--rule and --skip-rule choose the rules reported, counted and failing, by glob; a glob that names no rule is a usage error', () => {
  const rules = (args: string[]) => [...new Set((JSON.parse(run(['check', '.', '--format', 'json', ...args], dir).stdout) as { ruleId: string }[]).map((r) => r.ruleId))].sort();
  const all = rules([]);
  assert.ok(all.includes('alias-arn-as-resource') && all.includes('kms-resource-wildcard') && all.includes('missing-describe-key'), all.join());
  assert.deepEqual(rules(['--rule', 'kms-*']), ['kms-resource-wildcard']);
  assert.deepEqual(rules(['--rule', 'kms-*', '--rule', 'alias-*']), ['alias-arn-as-resource', 'kms-resource-wildcard']);
  assert.deepEqual(rules(['--skip-rule', 'alias-arn-as-resource']), all.filter((r) => r !== 'alias-arn-as-resource'));
  assert.deepEqual(rules(['--rule', '{kms,missing}-*', '--skip-rule=missing-describe-key']), ['kms-resource-wildcard']);

  // The only error skipped: exit 0, and the summary counts what is reported.
  const skipped = run(['check', 'role.iam.json', 'warn.json', '--skip-rule', 'alias-arn-as-resource'], dir);
  assert.equal(skipped.code, 0);
  assert.doesNotMatch(skipped.stdout, /alias-arn-as-resource/);
  assert.equal(skipped.stderr, '0 errors, 1 warning, 0 infos, 0 hints in 2 policies checked\n');

  const typo = run(['check', '.', '--rule', 'kms-resource-wildcards'], dir);
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr, 'keyshare: --rule kms-resource-wildcards matches no rule id (keyshare rules lists them)\n');
  assert.equal(run(['check', '.', '--skip-rule'], dir).stderr, 'keyshare: --skip-rule needs a value\n');
});

test('--fail-on warning|info exits 1 on a finding at or above that severity; error is the default; --max-warnings works as before', () => {
  assert.equal(run(['check', 'warn.json'], dir).code, 0);
  assert.equal(run(['check', 'warn.json', '--fail-on', 'error'], dir).code, 0);
  assert.equal(run(['check', 'warn.json', '--fail-on', 'warning'], dir).code, 1);
  assert.equal(run(['check', 'warn.json', '--fail-on=info'], dir).code, 1);
  assert.equal(run(['check', 'key', '--fail-on', 'warning'], dir).code, 0, 'an info is below warning');
  assert.equal(run(['check', 'key', '--fail-on', 'info'], dir).code, 1);
  assert.equal(run(['check', 'role.iam.json', '--fail-on', 'info'], dir).code, 1, 'an error is above info');
  assert.equal(run(['check', 'warn.json', '--fail-on', 'warning', '--skip-rule', 'kms-resource-wildcard'], dir).code, 0);
  // --max-warnings: unchanged, beside --fail-on.
  assert.equal(run(['check', 'warn.json', '--max-warnings', '1'], dir).code, 0);
  const over = run(['check', 'warn.json', '--max-warnings', '0'], dir);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /^keyshare: 1 warning, more than --max-warnings 0$/m);
  const bad = run(['check', 'warn.json', '--fail-on', 'hint'], dir);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'keyshare: --fail-on must be error, warning or info, not "hint"\n');
});

test('--quiet prints what fails the check: errors by default, warnings too under --fail-on warning or --max-warnings', () => {
  assert.equal(run(['check', 'warn.json', '--quiet'], dir).stdout.includes('[kms-resource-wildcard]'), false);
  const failing = run(['check', 'warn.json', '--quiet', '--fail-on', 'warning'], dir);
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /\[kms-resource-wildcard\]/);
  assert.match(run(['check', 'warn.json', '--quiet', '--max-warnings', '0'], dir).stdout, /\[kms-resource-wildcard\]/);
});

test('keyshare check --help names the new formats and flags', () => {
  const help = run(['check', '--help'], dir).stdout;
  for (const text of ['--format text|json|sarif|junit|github|gitlab', '--rule <glob>', '--skip-rule <glob>', '--fail-on error|warning|info']) assert.ok(help.includes(text), text);
  const top = run(['--help'], dir).stdout;
  for (const text of ['--rule <glob>', '--skip-rule <glob>', '--fail-on error|warning|info', 'junit']) assert.ok(top.includes(text), text);
});

// --- Baselines -------------------------------------------------------------------------------

test('--write-baseline then --baseline: only new findings are reported, counted and fail; moving lines changes nothing', () => {
  const work = temporaryFolder('keyshare-baseline-');
  fs.writeFileSync(path.join(work, 'role.iam.json'), fs.readFileSync(path.join(dir, 'role.iam.json')));
  fs.writeFileSync(path.join(work, 'warn.json'), fs.readFileSync(path.join(dir, 'warn.json')));
  const written = run(['check', '.', '--write-baseline', 'keyshare-baseline.json'], work);
  assert.equal(written.code, 0, 'writing a baseline accepts what is there');
  assert.equal(written.stderr, 'keyshare: wrote 2 findings to keyshare-baseline.json; check with --baseline keyshare-baseline.json to report only new ones\n');
  const baseline = JSON.parse(fs.readFileSync(path.join(work, 'keyshare-baseline.json'), 'utf8'));
  assert.deepEqual(baseline.findings.map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`), ['alias-arn-as-resource role.iam.json', 'kms-resource-wildcard warn.json']);

  // The same files, their findings moved down by blank lines: nothing new.
  const moved = (name: string) => fs.writeFileSync(path.join(work, name), '\n\n\n' + fs.readFileSync(path.join(work, name), 'utf8'));
  moved('role.iam.json');
  const same = run(['check', 'role.iam.json', 'warn.json', '--baseline', 'keyshare-baseline.json', '--format', 'json'], work);
  assert.equal(same.code, 0);
  assert.deepEqual(JSON.parse(same.stdout), []);
  const text = run(['check', 'role.iam.json', 'warn.json', '--baseline', 'keyshare-baseline.json'], work);
  assert.match(text.stderr, /; 2 in the baseline \(not shown\)\n$/);

  // A new error is reported and fails; the accepted one stays hidden.
  fs.writeFileSync(path.join(work, 'new.json'), fs.readFileSync(path.join(dir, 'role.iam.json')));
  const fresh = run(['check', '.', '--baseline', 'keyshare-baseline.json', '--format', 'json'], work);
  assert.equal(fresh.code, 1);
  assert.deepEqual(JSON.parse(fresh.stdout).map((r: { file: string; ruleId: string }) => `${r.ruleId} ${r.file}`), ['alias-arn-as-resource new.json']);

  // From another folder, the baseline's paths still name the same files (they are relative to the baseline).
  const parent = run(['check', path.basename(work), '--baseline', path.join(path.basename(work), 'keyshare-baseline.json'), '--format', 'json'], path.dirname(work));
  assert.deepEqual(JSON.parse(parent.stdout).map((r: { ruleId: string }) => r.ruleId), ['alias-arn-as-resource']);
});

test('--baseline with a file that is missing or not a baseline is a usage error (exit 2, one line)', () => {
  const missing = run(['check', 'warn.json', '--baseline', 'nope.json'], dir);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'keyshare: --baseline nope.json: no such file (write one with --write-baseline nope.json)\n');
  const wrong = run(['check', 'warn.json', '--baseline', 'warn.json'], dir);
  assert.equal(wrong.code, 2);
  assert.equal(wrong.stderr, 'keyshare: --baseline warn.json: not a Keyshare baseline (write one with --write-baseline)\n');
});
