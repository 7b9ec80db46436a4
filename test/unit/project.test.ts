// The project layer on its own: what both the server and the CLI get for a file in its workspace.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { DEFAULT_SETTINGS, parseSettings, Project } from '../../server/src/project';
import { policy, USAGE, temporaryFolder } from './helpers';

const OWNER = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };
const KEY_POLICY = policy([ROOT, { Sid: 'B', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: USAGE, Resource: '*' }]);
const APP = policy([{ Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY }]);

let dir: string;
const file = (relative: string) => path.join(dir, relative);
const uri = (relative: string) => URI.file(file(relative)).toString();
const ids = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId).sort();

before(() => {
  dir = temporaryFolder('keyshare-project-');
  fs.mkdirSync(file('owner'));
  fs.mkdirSync(file('b'));
  fs.writeFileSync(file('keyshare.json'), JSON.stringify({ accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }], keys: [{ arn: KEY, policy: 'owner/key.key-policy.json' }], rules: { 'statement-sid': 'off' } }));
  fs.writeFileSync(file('owner/key.key-policy.json'), KEY_POLICY);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('check: a file in its project gets its options from keyshare.json, and its cross-file findings', () => {
  const project = new Project();
  const key = project.check(uri('owner/key.key-policy.json'), KEY_POLICY);
  assert.equal(key.analysis.options.keyArn, KEY);
  assert.equal(key.analysis.configFile, file('keyshare.json'));
  assert.deepEqual(ids(key.findings), ['counterpart-identity-policy-missing']);
  // The other half arrives: the key policy is affected, and clean when checked again.
  const app = project.check(uri('b/app.iam.json'), APP);
  assert.equal(app.analysis.options.account, B);
  assert.deepEqual(app.affected, [uri('owner/key.key-policy.json')]);
  assert.deepEqual(ids(app.findings), []);
  assert.deepEqual(ids(project.findings(key.analysis)), []);
  // And leaves again.
  assert.deepEqual(project.fileDeleted(uri('b/app.iam.json')), [uri('owner/key.key-policy.json')]);
  assert.deepEqual(ids(project.findings(key.analysis)), ['counterpart-identity-policy-missing']);
});

test('check: a keyshare.json gets its own problems; reads change nothing', () => {
  const project = new Project();
  const config = project.check(uri('keyshare.json'), '{ "colour": "blue" }');
  assert.deepEqual(ids(config.findings), ['keyshare-json']);
  assert.deepEqual(config.affected, []);
  const analysis = project.analyse(uri('b/app.iam.json'), APP);
  assert.equal(project.fileCount, 0, 'analyse alone does not index');
  assert.deepEqual(project.crossFileFindings(analysis), [], 'the index knows no key policy yet');
  assert.equal(project.fileCount, 0);
});

test('invalid UTF-8 read from disk is a json-syntax finding; the size limit comes from the settings', () => {
  const project = new Project();
  fs.writeFileSync(file('b/latin1.iam.json'), Buffer.from(policy([{ Sid: 'Caf\u00e9', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), 'latin1'));
  const analysis = project.analyseFile(file('b/latin1.iam.json'))!;
  assert.equal(analysis.result.findings[0].ruleId, 'json-syntax');
  assert.match(analysis.result.findings[0].message, /not valid UTF-8/);
  const small = project.analyse(uri('b/app.iam.json'), APP, { ...DEFAULT_SETTINGS, maxFileSize: 10 });
  assert.equal(small.tooLarge, true);
  assert.deepEqual(ids(small.result.findings), ['policy-size']);
});

test('a disk change of a closed file updates the index and names the files it affects', () => {
  const project = new Project();
  project.check(uri('owner/key.key-policy.json'), KEY_POLICY);
  fs.writeFileSync(file('b/disk.iam.json'), APP);
  assert.deepEqual(project.fileChanged(file('b/disk.iam.json')), [uri('owner/key.key-policy.json')]);
  fs.writeFileSync(file('b/disk.iam.json'), '{ "name": "not a policy any more" }');
  assert.deepEqual(project.fileChanged(file('b/disk.iam.json')), [uri('owner/key.key-policy.json')]);
  fs.unlinkSync(file('b/disk.iam.json'));
});

test('parseSettings: one parser for pulled and pushed settings', () => {
  assert.deepEqual(parseSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings({ rules: { 'wildcard-principal': 'hint', 'policy-size': 'loud', x: 3 }, maxFileSizeMB: 2 }), { rules: { 'wildcard-principal': 'hint' }, maxFileSize: 2 * 1024 * 1024 });
  assert.equal(parseSettings({ maxFileSizeMB: -1 }).maxFileSize, DEFAULT_SETTINGS.maxFileSize);
  assert.equal(parseSettings({ maxFileSizeMB: '3' }).maxFileSize, DEFAULT_SETTINGS.maxFileSize);
});
