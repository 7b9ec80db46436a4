import * as fs from 'fs';
import * as path from 'path';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { applyEdits, LineIndex, type CheckOptions, type Finding, type Fix } from '../../server/src/engine';
import { checkText } from '../../server/src/hosts';

/** The repository root, from out/test/unit or test/unit alike. */
export const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

export function fixture(...parts: string[]): string {
  return fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', ...parts), 'utf8');
}

export function check(text: string, options: CheckOptions = {}) {
  return checkText(text, sharedCatalog(), options);
}

export function findings(text: string, options: CheckOptions = {}): Finding[] {
  return check(text, options).findings;
}

export function ofRule(list: Finding[], ruleId: string): Finding[] {
  return list.filter((f) => f.ruleId === ruleId);
}

export function ruleIds(list: Finding[]): string[] {
  return [...new Set(list.map((f) => f.ruleId))].sort();
}

/** "line:col-line:col" (1-based) of a finding, as an editor shows it. */
export function where(text: string, finding: Finding): string {
  const index = new LineIndex(text);
  const start = index.positionAt(finding.start);
  const end = index.positionAt(finding.end);
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
}

export function covered(text: string, finding: { start: number; end: number }): string {
  return text.slice(finding.start, finding.end);
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

export function policy(statements: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statements }, null, 2);
}

export const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const ROOT_STATEMENT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
  Action: 'kms:*',
  Resource: '*',
};
export const USAGE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

const temporaryFolders: string[] = [];
process.on('exit', () => {
  for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
});

/** A new empty folder in the system's temporary folder, removed when the test file's process exits. */
export function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(require('os').tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}
