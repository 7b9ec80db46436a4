// Policies inside the JSON people save from the AWS CLI, consoles and API recorders, and files of
// several named policies: which policies are found (kind, address), findings with exact ranges
// on the text that spells them (inside escaped and URL-encoded strings), which fixes are offered,
// and a policy with a syntax error checked from a partial parse.
//
// The fixtures in test/fixtures/wrappers/ follow the output shapes documented in:
// - AWS CLI Command Reference, kms get-key-policy (output: Policy, a string; PolicyName, "default"):
//   https://awscli.amazonaws.com/v2/documentation/api/latest/reference/kms/get-key-policy.html
//   (the Policy string as KMS stores a console policy: `{\n  "Version" : "2012-10-17", ...`)
// - AWS CLI Command Reference, iam get-policy-version (PolicyVersion: Document, VersionId,
//   IsDefaultVersion, CreateDate):
//   https://awscli.amazonaws.com/v2/documentation/api/latest/reference/iam/get-policy-version.html
// - AWS CLI Command Reference, iam get-role (Role: Path, RoleName, RoleId, Arn, CreateDate,
//   AssumeRolePolicyDocument, ...): https://awscli.amazonaws.com/v2/documentation/api/latest/reference/iam/get-role.html
// - AWS CLI Command Reference, iam get-role-policy (RoleName, PolicyName, PolicyDocument):
//   https://awscli.amazonaws.com/v2/documentation/api/latest/reference/iam/get-role-policy.html
// - AWS CLI Command Reference, iam get-account-authorization-details (UserDetailList[].UserPolicyList,
//   GroupDetailList[].GroupPolicyList, RoleDetailList[].RolePolicyList and AssumeRolePolicyDocument,
//   Policies[].PolicyVersionList[].Document with IsDefaultVersion):
//   https://awscli.amazonaws.com/v2/documentation/api/latest/reference/iam/get-account-authorization-details.html
// - IAM API Reference, PolicyVersion and GetAccountAuthorizationDetails: "Policies returned by this
//   operation are URL-encoded compliant with RFC 3986" (the CLI decodes them; the raw API and
//   tools that record it do not): https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { applyEdits, type Finding } from '../../server/src/engine';
import { checkDocument } from '../../server/src/hosts';
import { percentDecode } from '../../server/src/hosts/json/wrappers';
import { covered, fixture, ofRule } from './helpers';

function run(text: string, fileName = 'saved.json') {
  const result = checkDocument(text, sharedCatalog(), { fileName });
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `${f.ruleId} range ${f.start}-${f.end} outside 0-${text.length}`);
    for (const r of f.related ?? []) assert.ok(r.start >= 0 && r.end >= r.start && r.end <= text.length, `${f.ruleId} related range outside`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.start >= 0 && e.end >= e.start && e.end <= text.length, `${f.ruleId} edit outside`);
  }
  return result;
}

function wrapper(name: string) {
  const text = fixture('wrappers', name);
  return { text, result: run(text, name) };
}

/** [address, kind the host gave, kind of the model] of every policy found. */
function found(result: ReturnType<typeof run>): [string | undefined, string | undefined, string][] {
  return result.source!.policies.map((p, i) => [p.address, p.kind, result.models[i].kind]);
}

const problems = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

/** The only offset of `needle` in `text`. */
function only(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the text`);
  assert.equal(text.indexOf(needle, at + 1), -1, `${needle} is in the text twice`);
  return at;
}

test('kms get-key-policy: the Policy string is the key policy (kind from the host), clean', () => {
  const { result } = wrapper('kms-get-key-policy.json');
  assert.deepEqual(found(result), [['Policy', 'key-policy', 'key-policy']]);
  assert.equal(result.source!.policies[0].kindSource, 'host');
  assert.equal(result.models[0].statements.length, 2);
  assert.deepEqual(problems(result.findings), []);
});

test('kms get-key-policy: a misspelt action inside the escaped string is marked on exactly its text, and its fix is written back escaped', () => {
  const { text, result } = wrapper('kms-get-key-policy-typo.json');
  const [unknown] = ofRule(result.findings, 'action-unknown');
  assert.ok(unknown, JSON.stringify(result.findings));
  const at = only(text, '\\"kms:Decrpyt\\"');
  assert.deepEqual([unknown.start, unknown.end], [at, at + '\\"kms:Decrpyt\\"'.length]);
  assert.equal(covered(text, unknown), '\\"kms:Decrpyt\\"');
  // The statement's span is the escaped text of that statement, from its \{ to its \}.
  const statement = result.models[0].statements[1];
  assert.ok(covered(text, statement.span).startsWith('{\\n    \\"Sid\\" : \\"Allow use of the key\\"'), covered(text, statement.span));
  assert.ok(covered(text, statement.span).endsWith('\\"Resource\\" : \\"*\\"\\n  }'));

  const fix = unknown.fixes?.find((f) => f.title.includes('kms:Decrypt'));
  assert.ok(fix, 'a fix inside the escaped string');
  const fixed = applyEdits(text, fix.edits);
  const saved = JSON.parse(fixed);
  assert.equal(saved.PolicyName, 'default');
  assert.deepEqual(JSON.parse(saved.Policy).Statement[1].Action, ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
  assert.deepEqual(problems(run(fixed).findings), []);
});

test('JSON escapes in the string (\\u, \\/, \\") map character by character', () => {
  const text = String.raw`{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"Use\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role\/app\"},\"Action\":[\"\u006bms:Decrpyt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}]}", "PolicyName": "default"}`;
  const result = run(text);
  const [unknown] = ofRule(result.findings, 'action-unknown');
  assert.equal(covered(text, unknown), String.raw`\"\u006bms:Decrpyt\"`);
  const principal = result.models[0].statements[1].principals!;
  assert.ok(covered(text, { start: principal.element.value.offset, end: principal.element.value.offset + principal.element.value.length }).includes(String.raw`role\/app`));
  const fixed = applyEdits(text, unknown.fixes![0].edits);
  assert.deepEqual(JSON.parse(JSON.parse(fixed).Policy).Statement[1].Action, ['kms:Decrypt', 'kms:DescribeKey']);
});

test('{"Policy": ...} without PolicyName is also s3api get-bucket-policy\'s shape: the content decides the kind', () => {
  const key = JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] }) });
  const keyResult = run(key);
  assert.deepEqual(found(keyResult), [['Policy', undefined, 'key-policy']]);
  const bucket = JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-bucket/*' }] }) });
  assert.deepEqual(found(run(bucket)), [['Policy', undefined, 'resource-policy']]);
});

test('iam get-policy-version: the Document is an identity policy, known by its version, clean', () => {
  const { result } = wrapper('iam-get-policy-version.json');
  assert.deepEqual(found(result), [['PolicyVersion[v2]', 'identity-policy', 'identity-policy']]);
  assert.deepEqual(problems(result.findings), []);
});

test('a URL-encoded Document (the raw IAM API): ranges land on the %XX text, and no fix is offered', () => {
  const { text, result } = wrapper('iam-get-policy-version-url-encoded.json');
  assert.deepEqual(found(result), [['PolicyVersion[v1]', 'identity-policy', 'identity-policy']]);
  const [unknown] = ofRule(result.findings, 'action-unknown');
  assert.equal(covered(text, unknown), '%22kms%3ADecrpyt%22');
  const at = only(text, '%22kms%3ADecrpyt%22');
  assert.deepEqual([unknown.start, unknown.end], [at, at + '%22kms%3ADecrpyt%22'.length]);
  const statement = result.models[0].statements[0];
  assert.ok(covered(text, statement.span).startsWith('%7B%22Sid%22%3A%22UseDataKey%22'));
  assert.ok(covered(text, statement.span).endsWith('%7D'));
  assert.equal(covered(text, statement.resources!.items[0]), '%22arn%3Aaws%3Akms%3Aus-east-1%3A111122223333%3Akey%2F1234abcd-12ab-34cd-56ef-1234567890ab%22');
  for (const finding of result.findings) assert.equal(finding.fixes, undefined, `${finding.ruleId} offers a fix inside URL-encoded text`);
});

test('percent-decoding maps each character to its %XX (several for UTF-8) or its literal', () => {
  const decoded = percentDecode('a%20b%C3%A9%E2%82%AC+%F0%9F%94%91')!;
  assert.equal(decoded.value, 'a bé€+🔑');
  assert.deepEqual(decoded.index, [0, 1, 4, 5, 11, 20, 21, 21, 33]);
  assert.equal(percentDecode('%7B%ZZ'), undefined);
  assert.equal(percentDecode('%C3'), undefined);
});

test('malformed URL-encoding is reported on the whole string, not read', () => {
  const text = JSON.stringify({ PolicyVersion: { Document: '%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%E2%7D%5D%7D', VersionId: 'v1', IsDefaultVersion: true } }, null, 2);
  const result = run(text);
  assert.equal(result.models.length, 0);
  const [error] = ofRule(result.findings, 'json-syntax');
  assert.equal(covered(text, error), '"%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%E2%7D%5D%7D"');
});

test('iam get-role: the AssumeRolePolicyDocument is a trust policy, clean', () => {
  const { result } = wrapper('iam-get-role.json');
  assert.deepEqual(found(result), [['Role[app].AssumeRolePolicyDocument', 'trust-policy', 'trust-policy']]);
  assert.deepEqual(problems(result.findings), []);
});

test('iam get-role-policy: the PolicyDocument is an identity policy known by its PolicyName, clean', () => {
  const { result } = wrapper('iam-get-role-policy.json');
  assert.deepEqual(found(result), [['decrypt', 'identity-policy', 'identity-policy']]);
  assert.deepEqual(problems(result.findings), []);
});

test('iam get-account-authorization-details: every inline, trust and default-version policy, each with its names', () => {
  const { text, result } = wrapper('iam-get-account-authorization-details.json');
  assert.deepEqual(found(result), [
    ['UserDetailList[alice].UserPolicyList[list-keys]', 'identity-policy', 'identity-policy'],
    ['GroupDetailList[auditors].GroupPolicyList[audit]', 'identity-policy', 'identity-policy'],
    ['RoleDetailList[app].AssumeRolePolicyDocument', 'trust-policy', 'trust-policy'],
    ['RoleDetailList[app].RolePolicyList[decrypt]', 'identity-policy', 'identity-policy'],
    ['Policies[encrypt].PolicyVersionList[v2]', 'identity-policy', 'identity-policy'],
  ]);
  // The misspelling in the role's inline policy is found where it is; the one in the managed
  // policy's v1, which is not the default version, is not read.
  const unknown = ofRule(result.findings, 'action-unknown');
  assert.deepEqual(unknown.map((f) => covered(text, f)), ['"kms:Decrpyt"']);
  assert.equal(unknown[0].start, only(text, '"kms:Decrpyt"'));
  const decrypt = result.models[3];
  assert.ok(unknown[0].start > decrypt.root.offset && unknown[0].end < decrypt.root.offset + decrypt.root.length);
  assert.ok(text.includes('kms:Encrpyt'));
  assert.deepEqual(problems(result.findings).map((f) => f.ruleId), ['action-unknown']);
  // A fix in a document written as JSON in the file is the JSON editor's, laid out like the file.
  const fix = unknown[0].fixes![0];
  assert.equal(JSON.parse(applyEdits(text, fix.edits)).RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0].Action[0], 'kms:Decrypt');
});

test('files of named policies: an object of policies and a list of {PolicyName, PolicyDocument}', () => {
  const map = wrapper('named-policies.json');
  assert.deepEqual(found(map.result), [
    ['policies.app-decrypt', undefined, 'identity-policy'],
    ['policies.ci-encrypt', undefined, 'identity-policy'],
  ]);
  assert.deepEqual(problems(map.result.findings), []);
  const list = wrapper('named-policies-list.json');
  assert.deepEqual(found(list.result), [
    ['[app-decrypt]', undefined, 'identity-policy'],
    ['[ci-encrypt]', undefined, 'identity-policy'],
  ]);
  assert.deepEqual(ofRule(list.result.findings, 'action-unknown').map((f) => covered(list.text, f)), ['"kms:Encrpyt"']);
  // The file name still gives the kind where the wrapper does not.
  const named = run(map.text, 'app.iam.json');
  assert.deepEqual(named.source!.policies.map((p) => [p.kind, p.kindSource]), [['identity-policy', 'file name'], ['identity-policy', 'file name']]);
});

test('a policy at the root is read as before; JSON with no policy inside stays silent', () => {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }] }, null, 2);
  const result = run(policy, 'app.json');
  assert.equal(result.models.length, 1);
  assert.equal(result.source!.policies[0].address, undefined);
  const other = run(JSON.stringify({ name: 'x', config: { Policy: 'none', Document: '{"title": "Statement of work"}' } }, null, 2), 'package.json');
  assert.equal(other.isPolicy, false);
  assert.deepEqual(other.findings, []);
});

test('a policy string that is not valid JSON: its syntax error lands inside the string', () => {
  const text = JSON.stringify({ Policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "kms:*"}]}', PolicyName: 'default' }, null, 4);
  const result = run(text);
  assert.equal(result.models.length, 0);
  const [error] = ofRule(result.findings, 'json-syntax');
  assert.equal(covered(text, error), '\\"Action\\"');
  assert.match(error.message, /^Expected ',': Policy holds a policy that is not valid JSON/);
});

test('partial parse: a missing } between statements is one error, the statements are still checked, and the result says it is partial', () => {
  const { text, result } = wrapper('broken-missing-brace.json');
  const syntax = ofRule(result.findings, 'json-syntax');
  assert.deepEqual(syntax.map((f) => [f.severity, covered(text, f)]), [['error', '{'], ['info', '{']]);
  const [error, partial] = syntax;
  assert.equal(error.start, text.indexOf('{', text.indexOf('"Resource": "*"\n    ,')));
  assert.match(error.message, /is a '\}' missing before it\?/);
  assert.match(partial.message, /partial parse/);
  // jsonc-parser would have merged the two statements; they are read as the user wrote them.
  assert.equal(result.models[0].statements.length, 2);
  assert.deepEqual(ofRule(result.findings, 'duplicate-key'), []);
  assert.deepEqual(ofRule(result.findings, 'lockout-risk'), []);
  const [unknown] = ofRule(result.findings, 'action-unknown');
  assert.equal(unknown.start, only(text, '"kms:Decrpyt"'));
  assert.equal(covered(text, unknown), '"kms:Decrpyt"');
  assert.equal(unknown.fixes, undefined, 'no fixes on a broken text');
});

test('partial parse: a missing comma is one error on the next key, and findings after it are still reported', () => {
  const { text, result } = wrapper('broken-missing-comma.json');
  assert.deepEqual(ofRule(result.findings, 'json-syntax').map((f) => [f.severity, covered(text, f)]), [['error', '"Principal"'], ['info', '"Principal"']]);
  assert.equal(ofRule(result.findings, 'json-syntax')[0].start, only(text, '"Principal": { "AWS": "arn:aws:iam::111122223333:root" }'));
  assert.deepEqual(ofRule(result.findings, 'action-unknown').map((f) => covered(text, f)), ['"kms:Decrpyt"']);
  assert.deepEqual(problems(result.findings).map((f) => f.ruleId).sort(), ['action-unknown', 'json-syntax']);
});

test('partial parse: the five errors of one missing } are one finding, the other four its related information, all inside the file', () => {
  const { text, result } = wrapper('broken-last-brace.json');
  const syntax = ofRule(result.findings, 'json-syntax');
  assert.equal(syntax.filter((f) => f.severity === 'error').length, 1);
  const [error] = syntax;
  assert.equal(covered(text, error), ']');
  assert.equal(error.start, text.lastIndexOf(']'));
  assert.match(error.message, /Unexpected '\]' inside an object \(is a '\}' missing before it\?\).*The 4 errors after it follow from this one\./);
  assert.equal(error.related?.length, 4);
  for (const related of error.related!) assert.ok(related.start >= error.start && related.end <= text.length);
  assert.deepEqual(ofRule(result.findings, 'action-unknown').map((f) => covered(text, f)), ['"kms:Decrpyt"']);
});

test('partial parse: two independent mistakes stay two errors', () => {
  const text = fixture('wrappers', 'broken-missing-comma.json').replace('"Sid": "Allow use of the key",', '"Sid": "Allow use of the key"');
  const errors = ofRule(run(text).findings, 'json-syntax').filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => covered(text, f)), ['"Principal"', '"Effect"']);
});

test('partial parse: a broken file whose recovered tree has no Statement gets the syntax error and nothing else', () => {
  const text = '{\n  "Version": "2012-10-17"\n  "Statment": [\n    { "Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*" }\n  ]\n}\n';
  const result = checkDocument(text, sharedCatalog(), { fileName: 'app.key-policy.json' });
  assert.equal(result.models.length, 0);
  assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity, covered(text, f)]), [['json-syntax', 'error', '"Statment"']]);
});

test('hostile edits of wrappers: no throw, every range inside the text', () => {
  for (const name of ['kms-get-key-policy-typo.json', 'iam-get-policy-version-url-encoded.json', 'iam-get-account-authorization-details.json']) {
    const text = fixture('wrappers', name);
    for (let at = 0; at < text.length; at += 13) {
      run(text.slice(0, at) + text.slice(at + 1));
      run(text.slice(0, at) + '\\' + text.slice(at));
      run(text.slice(0, at) + '%' + text.slice(at));
    }
  }
});
