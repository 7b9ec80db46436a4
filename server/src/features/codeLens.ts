/**
 * Code lenses of the handshake: above each cross-account grant of a key policy, whether that
 * account's IAM half is in the workspace and which actions both halves allow; above each use of
 * a key in an IAM policy, what the key's policy grants this account. A read of the index.
 */
import * as path from 'path';
import type { Analysis } from '../project';
import { fileOf } from '../project';
import { grantReaches, useMatchesKey, type FileSummary, type KeyInfo } from '../workspace/handshake';
import type { WorkspaceIndex } from '../workspace/index';
import type { Range } from '../protocol';

export interface HandshakeLens {
  range: Range;
  title: string;
  /** The file that holds the other half, to open when the lens is clicked. */
  target?: string;
}

const short = (action: string) => action.replace(/^kms:/i, '');

function listActions(names: string[]): string {
  const sorted = [...new Set(names.map(short))].sort();
  if (sorted.length === 1) return `${sorted[0]} only`;
  if (sorted.length <= 4) return sorted.join(', ');
  return `${sorted.slice(0, 3).join(', ')} and ${sorted.length - 3} more`;
}

export function handshakeLenses(analysis: Analysis, index: WorkspaceIndex): HandshakeLens[] {
  const summary = index.summary(analysis.uri);
  if (!summary) return [];
  const display = (uri: string) => {
    const file = fileOf(uri) ?? uri;
    return index.folder ? path.relative(index.folder, file).split(path.sep).join('/') : path.basename(file);
  };
  const lenses: HandshakeLens[] = [];
  if (summary.kind === 'key-policy') {
    const key = summary.keyArn ? index.key(summary.keyArn) : undefined;
    const users = key ? index.usersOfKey(key) : [];
    for (const grant of summary.grants) {
      const account = grant.account;
      if (!account || account === summary.account) continue;
      const range = grant.range ?? analysis.lines.rangeOf(grant.span);
      if (!key) {
        lenses.push({ range, title: `${account}: declare this key in keyshare.json to follow its IAM half` });
        continue;
      }
      const halves = users.filter((u) => u.account === account);
      if (halves.length === 0) {
        lenses.push({ range, title: `${account}: no IAM policy in this workspace uses this key` });
        continue;
      }
      const both = new Set<string>();
      for (const user of halves) for (const use of user.uses) if (useMatchesKey(use, key)) for (const [lower, name] of use.actions) if (grant.actions.has(lower)) both.add(name);
      const files = halves.map((h) => display(h.uri));
      const where = files.length === 1 ? files[0] : `${files[0]} and ${files.length - 1} more`;
      lenses.push({
        range,
        title: both.size ? `${account}: IAM half in ${where}, ${listActions([...both])}` : `${account}: IAM half in ${where}, but no action both halves allow`,
        target: halves[0].uri,
      });
    }
  } else if (summary.kind === 'identity-policy') {
    const keys = [...index.keys()];
    for (const use of summary.uses) {
      const matched = keys.filter((k) => useMatchesKey(use, k) && k.arn.split(':')[4] !== summary.account);
      if (matched.length === 0) continue;
      const range = analysis.lines.rangeOf(use.span);
      for (const key of matched.slice(0, 3)) lenses.push(useLens(range, key, use.actions, summary, index, display));
    }
  }
  return lenses;
}

function useLens(range: Range, key: KeyInfo, actions: ReadonlyMap<string, string>, summary: FileSummary, index: WorkspaceIndex, display: (uri: string) => string): HandshakeLens {
  const name = key.aliases[0] ?? key.arn.split('/').pop()!;
  const owner = key.arn.split(':')[4];
  if (key.managed === 'aws') return { range, title: `${name}: an AWS managed key of ${owner}: no other account can use it` };
  const policy = key.policyUri ? index.summary(key.policyUri) : undefined;
  if (!policy) return { range, title: `${name}: the key policy of ${owner} is not in this workspace` };
  const both = new Set<string>();
  for (const grant of policy.grants) {
    if (!summary.account || !grantReaches(grant, summary.account, index.config)) continue;
    for (const [lower, actionName] of actions) if (grant.actions.has(lower)) both.add(actionName);
  }
  return {
    range,
    title: both.size ? `${name}: key policy in ${display(policy.uri)} grants ${listActions([...both])}` : `${name}: the key policy in ${display(policy.uri)} grants this account none of these actions`,
    target: policy.uri,
  };
}
