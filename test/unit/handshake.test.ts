// Cross-file handshake rules on small multi-account workspaces in temporary folders.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runCheck } from '../../server/src/cli/check';
import { policy, USAGE, temporaryFolder } from './helpers';

const OWNER = '111122223333';
const B = '444455556666';
const C = '555566667777';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
const CROSS = ['counterpart-identity-policy-missing', 'counterpart-key-policy-missing', 'ineffective-action', 'unknown-key-reference', 'aws-managed-key-shared'];

function workspace(files: Record<string, unknown>, config: Record<string, unknown> = {}): string {
  const dir = temporaryFolder('keyshare-ws-');
  const fullConfig = {
    accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }, { id: C, paths: ['c/**'] }],
    keys: [{ arn: KEY, policy: 'owner/key.key-policy.json', aliases: ['alias/data'] }],
    ...config,
  };
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify(fullConfig, null, 2));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : policy(content as unknown[]));
  }
  return dir;
}

/** "file ruleId" for each cross-file finding. */
async function crossFindings(dir: string): Promise<string[]> {
  const run = await runCheck({ paths: ['.'], cwd: dir });
  return run.reports.filter((r) => CROSS.includes(r.ruleId)).map((r) => `${r.file} ${r.ruleId}`).sort();
}

const keyPolicy = (...statements: unknown[]) => [ROOT, ...statements];
const use = (resource: string, actions = USAGE, extra: Record<string, unknown> = {}) => [{ Sid: 'UseKey', Effect: 'Allow', Action: actions, Resource: resource, ...extra }];

test('a complete handshake (root principal, key ARN) is clean on both sides', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(KEY),
  });
  assert.deepEqual(await crossFindings(dir), []);
});

test('role principal in the key policy, alias-based IAM policy on the other side: clean', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B role', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/app` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(`arn:aws:kms:us-east-1:${OWNER}:key/*`, USAGE, { Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/data' } } }),
  });
  assert.deepEqual(await crossFindings(dir), []);
});

test('an alias condition for another alias does not count as using the key', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(`arn:aws:kms:us-east-1:${OWNER}:key/*`, USAGE, { Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/other' } } }),
  });
  assert.deepEqual(await crossFindings(dir), ['owner/key.key-policy.json counterpart-identity-policy-missing']);
});

test('a key policy grant with no IAM policy in that account: reported on the principal', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/unrelated.iam.json': use('arn:aws:s3:::bucket/*', ['s3:GetObject']),
  });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  const missing = run.reports.filter((r) => r.ruleId === 'counterpart-identity-policy-missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0].file, 'owner/key.key-policy.json');
  assert.match(missing[0].message, new RegExp(`no IAM policy of account ${B}`));
});

test('an IAM policy using a key whose policy does not allow the account: error on the Resource', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(KEY),
    'c/app.iam.json': use(KEY),
  });
  assert.deepEqual(await crossFindings(dir), ['c/app.iam.json counterpart-key-policy-missing']);
});

test('organization and OU sharing admit the accounts the config places in them', async () => {
  const organization = { id: 'o-a1b2c3d4e5', units: [{ id: 'ou-ab12-11111111', path: 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/', accounts: [B] }] };
  const ouKey = keyPolicy({ Sid: 'OU', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } } });
  const ou = workspace({ 'owner/key.key-policy.json': ouKey, 'b/app.iam.json': use(KEY), 'c/app.iam.json': use(KEY) }, { organization });
  assert.deepEqual(await crossFindings(ou), ['c/app.iam.json counterpart-key-policy-missing'], 'C is not in the OU');
  const orgKey = keyPolicy({ Sid: 'Org', Effect: 'Allow', Principal: { AWS: '*' }, Action: USAGE, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
  const org = workspace({ 'owner/key.key-policy.json': orgKey, 'b/app.iam.json': use(KEY), 'c/app.iam.json': use(KEY) }, { organization });
  assert.deepEqual(await crossFindings(org), [], 'both accounts are in the organization');
});

test('actions the key policy never allows are ineffective (seed 004: Decrypt allowed, Encrypt not)', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['kms:Decrypt'], Resource: '*' }),
    'b/app.iam.json': use(KEY, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']),
  });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  const ineffective = run.reports.filter((r) => r.ruleId === 'ineffective-action');
  assert.deepEqual(ineffective.map((r) => r.message.replace(/ on arn:\S+ /, ' on KEY ')), [
    `"kms:Encrypt" has no effect on KEY its key policy never allows Encrypt to account ${B}. Cross-account permission is what both policies allow.`,
    `"kms:GenerateDataKey*" has no effect on KEY its key policy never allows GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext to account ${B}. Cross-account permission is what both policies allow.`,
  ]);
  assert.equal(ineffective[0].severity, 'warning');
});

test('unknown keys of other accounts and keys declared AWS managed', async () => {
  const managed = `arn:aws:kms:us-east-1:${OWNER}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`;
  const dir = workspace({
    'b/app.iam.json': use('arn:aws:kms:eu-west-1:999988887777:key/5e698272-88c6-4f6b-970e-1d1dbd0c6412'),
    'c/app.iam.json': use(managed),
    // The key's own account uses it through its service: nothing is shared (KMS guide, kms:ViaService).
    'owner/app.iam.json': use(managed),
  }, { keys: [{ arn: managed, managed: 'aws', aliases: ['alias/aws/ebs'] }] });
  assert.deepEqual(await crossFindings(dir), ['b/app.iam.json unknown-key-reference', 'c/app.iam.json aws-managed-key-shared']);
});

test('same-account use needs no counterpart; rule settings turn cross-file rules off', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'Own role', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: USAGE, Resource: '*' }),
    'owner/app.iam.json': use(KEY),
    'c/app.iam.json': use(KEY),
  }, { rules: { 'counterpart-key-policy-missing': 'off' } });
  assert.deepEqual(await crossFindings(dir), []);
});

test('the examples workspace: each cross-file rule fires once', async () => {
  const examples = path.join(__dirname, '..', '..', '..', 'examples');
  const run = await runCheck({ paths: ['.'], cwd: examples });
  const counts: Record<string, number> = {};
  for (const r of run.reports) if (CROSS.includes(r.ruleId)) counts[r.ruleId] = (counts[r.ruleId] ?? 0) + 1;
  assert.deepEqual(counts, { 'aws-managed-key-shared': 1, 'counterpart-key-policy-missing': 1, 'counterpart-identity-policy-missing': 1, 'ineffective-action': 1, 'unknown-key-reference': 1 });
  assert.ok(!run.reports.some((r) => r.file.startsWith('workload-a/roles/app') || r.file.startsWith('security/keys/data')), 'correct handshakes stay clean');
});

test('checking some files (a pre-commit hook) finds the other half in files it was not given', async () => {
  const examples = path.join(__dirname, '..', '..', '..', 'examples');
  const whole = await runCheck({ paths: ['.'], cwd: examples });
  const cases: [string[], number][] = [[['security/keys/data.key-policy.json', 'security/keys/legacy.key-policy.json'], 2], [['workload-b/roles/ingest.iam.json'], 1], [['security'], 2]];
  for (const [subset, policies] of cases) {
    const run = await runCheck({ paths: subset, cwd: examples });
    const expected = whole.reports.filter((r) => subset.some((p) => r.file === p || r.file.startsWith(p + '/')));
    assert.ok(expected.some((r) => CROSS.includes(r.ruleId)), 'the subset has cross-file findings');
    assert.deepEqual(run.reports, expected, subset.join());
    assert.equal(run.filesChecked, policies, 'only the given files are checked and counted');
  }
});

test('unknown-key-reference offers to declare the key in keyshare.json, and the edit keeps it valid', async () => {
  const { WorkspaceIndex } = require('../../server/src/workspace/index') as typeof import('../../server/src/workspace/index');
  const { applyEdits } = require('../../server/src/engine') as typeof import('../../server/src/engine');
  for (const configText of ['{\n  "keys": []\n}\n', '{\n  "keys": [\n    { "arn": "' + KEY + '" }\n  ]\n}\n', '{}\n', '{\n  "accounts": []\n}\n']) {
    const index = new WorkspaceIndex(undefined, '/ws', configText);
    const unknown = 'arn:aws:kms:eu-west-1:999988887777:key/5e698272-88c6-4f6b-970e-1d1dbd0c6412';
    const fix = index.declareKeyFix(unknown)!;
    assert.equal(fix.uri, 'file:///ws/keyshare.json');
    const fixed = JSON.parse(applyEdits(configText, fix.edits));
    assert.ok(fixed.keys.some((k: { arn: string }) => k.arn === unknown), configText);
  }
});

test('the access model decides what a key policy grants across files', async () => {
  // A statement whose Resource is an alias ARN applies to no key: it is no half of a handshake.
  const alias = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: `arn:aws:kms:us-east-1:${OWNER}:alias/data` }),
    'b/app.iam.json': use(KEY),
  });
  assert.ok((await crossFindings(alias)).includes('b/app.iam.json counterpart-key-policy-missing'));
  // Management permissions granted to another account have no effect: the IAM policy's kms:PutKeyPolicy does nothing.
  const admin = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:*', Resource: '*' }),
    'b/app.iam.json': use(KEY, ['kms:Decrypt', 'kms:DescribeKey', 'kms:PutKeyPolicy']),
  });
  assert.deepEqual(await crossFindings(admin), ['b/app.iam.json ineffective-action']);
  // An unconditional Deny takes kms:Decrypt away from every grant.
  const denied = workspace({
    'owner/key.key-policy.json': keyPolicy(
      { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' },
      { Sid: 'No decrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    ),
    'b/app.iam.json': use(KEY, ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey']),
  });
  assert.deepEqual(await crossFindings(denied), ['b/app.iam.json ineffective-action']);
});

test('access map: an alias-ARN Resource in the key policy is never a complete handshake', async () => {
  const { WorkspaceIndex } = require('../../server/src/workspace/index') as typeof import('../../server/src/workspace/index');
  const { parseConfig } = require('../../server/src/workspace/config') as typeof import('../../server/src/workspace/config');
  const { summarize } = require('../../server/src/workspace/handshake') as typeof import('../../server/src/workspace/handshake');
  const { check } = require('./helpers') as typeof import('./helpers');
  const { sharedCatalog } = require('../../server/src/catalog/iamData') as typeof import('../../server/src/catalog/iamData');
  const configText = JSON.stringify({ accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }], keys: [{ arn: KEY, policy: 'owner/key.key-policy.json', aliases: ['alias/data'] }] });
  const statuses = (resource: string) => {
    const index = new WorkspaceIndex(parseConfig(configText).config, '/ws', configText);
    const add = (file: string, statements: unknown[], account: string) => {
      const text = policy(statements);
      const model = check(text, { account }).model!;
      index.update(`file:///ws/${file}`, summarize(`file:///ws/${file}`, model, text, sharedCatalog(), file.startsWith('owner/') ? KEY : undefined));
    };
    add('owner/key.key-policy.json', keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: resource }), OWNER);
    add('b/app.iam.json', use(KEY), B);
    return index.accessMap()[0].rows.map((r) => r.status);
  };
  assert.deepEqual(statuses('*'), ['complete']);
  assert.ok(!statuses(`arn:aws:kms:us-east-1:${OWNER}:alias/data`).includes('complete'));
});

test('Allow with NotPrincipal grants every account not listed, across files too', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'Everyone but C', Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${C}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(KEY),
  });
  assert.ok(!(await crossFindings(dir)).includes('b/app.iam.json counterpart-key-policy-missing'));
});

// The handshake per principal, as explain reasons (KMS guide, "Allowing users in other accounts to use a KMS key":
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html, and
// "Default key policy": without the root statement, IAM policies of the key's account have no effect).

test('a key policy without the root statement leaves its own account\'s IAM policies without effect', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': [{ Sid: 'Etl', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/etl` }, Action: 'kms:Encrypt', Resource: '*' }, { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/admin` }, Action: 'kms:*', Resource: '*' }],
    'owner/app.iam.json': use(KEY, ['kms:Encrypt', 'kms:Decrypt']),
  });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  const reports = run.reports.filter((r) => CROSS.includes(r.ruleId));
  assert.deepEqual(reports.map((r) => [r.file, r.ruleId, r.severity]), [
    ['owner/app.iam.json', 'ineffective-action', 'warning'],
    ['owner/app.iam.json', 'ineffective-action', 'warning'],
  ]);
  assert.match(reports[0].message, /^"kms:Encrypt" has no effect on .*: its key policy lets no IAM policy of account 111122223333 decide Encrypt \(no statement for the account's root allows it\)/);
  // With the root statement, the same IAM policy decides: clean.
  const withRoot = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'Etl', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/etl` }, Action: 'kms:Encrypt', Resource: '*' }),
    'owner/app.iam.json': use(KEY, ['kms:Encrypt', 'kms:Decrypt']),
  });
  assert.deepEqual(await crossFindings(withRoot), []);
});

test('a grant to one role of another account leaves another role\'s IAM policy without effect, when keyshare.json says whose it is', async () => {
  const files = {
    'owner/key.key-policy.json': keyPolicy({ Sid: 'Etl', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/etl` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(KEY),
  };
  const attached = workspace(files, { principals: [{ arn: `arn:aws:iam::${B}:role/app`, policies: ['b/app.iam.json'] }] });
  assert.deepEqual(await crossFindings(attached), ['b/app.iam.json counterpart-key-policy-missing']);
  // Attached to the role the key policy names: complete.
  const named = workspace(files, { principals: [{ arn: `arn:aws:iam::${B}:role/etl`, policies: ['b/app.iam.json'] }] });
  assert.deepEqual(await crossFindings(named), []);
  // Whose policy it is unknown: it may be etl's, so nothing is said.
  assert.deepEqual(await crossFindings(workspace(files)), []);
});

test('an IAM policy over all keys of an account is not "missing its counterpart" because one key does not share', async () => {
  const OTHER_KEY = `arn:aws:kms:us-east-1:${OWNER}:key/0000bbbb-12ab-34cd-56ef-1234567890ab`;
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'owner/other.key-policy.json': keyPolicy(),
    'b/app.iam.json': use(`arn:aws:kms:*:${OWNER}:key/*`),
  }, { keys: [{ arn: KEY, policy: 'owner/key.key-policy.json', aliases: [] }, { arn: OTHER_KEY, policy: 'owner/other.key-policy.json', aliases: [] }] });
  assert.deepEqual(await crossFindings(dir), []);
  // When no key of that account shares with it, it is.
  const none = workspace({
    'owner/key.key-policy.json': keyPolicy(),
    'owner/other.key-policy.json': keyPolicy(),
    'b/app.iam.json': use(`arn:aws:kms:*:${OWNER}:key/*`),
  }, { keys: [{ arn: KEY, policy: 'owner/key.key-policy.json', aliases: [] }, { arn: OTHER_KEY, policy: 'owner/other.key-policy.json', aliases: [] }] });
  assert.deepEqual(await crossFindings(none), ['b/app.iam.json counterpart-key-policy-missing', 'b/app.iam.json counterpart-key-policy-missing']);
});

// KMS Developer Guide, "Using aliases in IAM policies": an alias ARN as Resource controls access to the alias, not
// to the key behind it. The key policy's half then has no counterpart, and its finding points at the alias ARN.
test('a grant whose account names the key only by its alias ARN: the missing counterpart points there', async () => {
  const dir = workspace({
    'owner/key.key-policy.json': keyPolicy({ Sid: 'Share', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }),
    'b/app.iam.json': use(`arn:aws:kms:us-east-1:${OWNER}:alias/data`),
  });
  const run = await runCheck({ paths: ['.'], cwd: dir });
  const missing = run.reports.find((r) => r.ruleId === 'counterpart-identity-policy-missing');
  assert.ok(missing, JSON.stringify(run.reports.map((r) => r.ruleId)));
  assert.match(missing.message, /One names the key's alias ARN as Resource, which grants nothing on the key: use arn:aws:kms:us-east-1:111122223333:key\/1234abcd-12ab-34cd-56ef-1234567890ab there\.$/);
  assert.deepEqual(missing.related?.map((r) => [path.basename(r.file ?? ''), r.message]), [['app.iam.json', "the key's alias ARN as Resource: it grants nothing on the key"]]);
});

// A template's keys are declared per resource in keyshare.json (`main.tf.json#aws_kms_key.data`, `stack.json#DataKey`),
// as for YAML and HCL: the whole-file "no key names this key policy" advice is for standalone key policies only.
test('unknown-key-reference is not given to a key policy in a JSON template, declared or not', async () => {
  const template = JSON.stringify({ resource: { aws_kms_key: { data: { policy: JSON.stringify({ Version: '2012-10-17', Statement: keyPolicy() }) } } } });
  const declared = workspace({ 'owner/main.tf.json': template }, { keys: [{ arn: KEY, policy: 'owner/main.tf.json#aws_kms_key.data' }] });
  assert.deepEqual(await crossFindings(declared), []);
  const standalone = workspace({ 'owner/other.key-policy.json': keyPolicy() });
  assert.deepEqual(await crossFindings(standalone), ['owner/other.key-policy.json unknown-key-reference']);
});
