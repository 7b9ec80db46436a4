/** The status bar of a policy document, and what Insert Cross-Account Statement may offer for it. */
import type { Analysis } from '../project';
import type { DocumentStatus, InsertStatementChoices } from '../protocol';
import type { KeyAccess } from '../workspace/handshake';
import type { KeyshareConfig } from '../workspace/config';

const LABELS: Record<string, string> = {
  'key-policy': 'Key policy',
  'identity-policy': 'Identity policy',
  'resource-policy': 'Resource policy',
  'trust-policy': 'Trust policy',
  scp: 'SCP',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Kind, account and handshake state of a checked policy, from its analysis and its index's access map. */
export function documentStatus(analysis: Analysis, access: KeyAccess[]): DocumentStatus | null {
  const model = analysis.result.model;
  if (!model || !analysis.result.isPolicy) return null;
  const label = LABELS[model.kind] ?? model.kind;
  const account = model.ownerAccount;
  const parts = [label, account ?? 'account unknown'];
  const tooltip = [`Keyshare: ${label.toLowerCase()}${account ? ` of account ${account}` : ', account unknown (declare it in keyshare.json)'}.`];
  let accounts = 0;
  let complete = 0;
  if (model.kind === 'key-policy') {
    const key = access.find((k) => k.policyUri === analysis.uri);
    if (key) {
      const byAccount = new Map<string, boolean>();
      for (const row of key.rows) if (/^\d{12}$/.test(row.account)) byAccount.set(row.account, (byAccount.get(row.account) ?? false) || row.status === 'complete');
      accounts = byAccount.size;
      complete = [...byAccount.values()].filter(Boolean).length;
      parts.push(`${plural(accounts, 'account')}, ${complete} complete`);
      tooltip.push(`Key ${key.arn}: shared with ${plural(accounts, 'other account')}; ${complete} of them ${complete === 1 ? 'has' : 'have'} the IAM half too.`);
    } else {
      parts.push('key not in keyshare.json');
      tooltip.push('No key of keyshare.json names this file as its policy, so its handshakes are not followed.');
    }
  } else if (model.kind === 'identity-policy') {
    const used = access.filter((k) => k.rows.some((r) => r.identityPolicies.includes(analysis.uri)));
    accounts = used.length;
    complete = used.filter((k) => k.rows.some((r) => r.status === 'complete' && r.identityPolicies.includes(analysis.uri))).length;
    if (accounts) {
      parts.push(`${plural(accounts, 'key')}, ${complete} complete`);
      tooltip.push(`Uses ${plural(accounts, 'key')} of other accounts; ${complete} of them ${complete === 1 ? 'grants' : 'grant'} this account in ${complete === 1 ? 'its' : 'their'} key policy.`);
    }
  }
  tooltip.push('Click for Show Cross-Account Access.');
  return { kind: model.kind, label, account, accounts, complete, text: parts.join(' · '), tooltip: tooltip.join('\n') };
}

/** The side of the handshake that fits the document, and keyshare.json's other accounts and keys. */
export function insertStatementChoices(analysis: Analysis, config: KeyshareConfig | undefined): InsertStatementChoices {
  const model = analysis.result.model;
  const name = analysis.options.fileName ?? '';
  const kind = model && (model.kindSource !== 'content' || model.statements.length > 0)
    ? model.kind
    : analysis.options.kind ?? (/\.key-policy\.json$/i.test(name) ? 'key-policy' : /\.iam\.json$/i.test(name) ? 'identity-policy' : undefined);
  const side = kind === 'key-policy' ? 'owner' : kind === 'identity-policy' ? 'user' : undefined;
  const account = model?.ownerAccount ?? analysis.options.account;
  return {
    side,
    account,
    accounts: (config?.accounts ?? []).filter((a) => a.id !== account).map((a) => ({ id: a.id, name: a.name })),
    keys: (config?.keys ?? []).filter((k) => k.arn && k.arn.split(':')[4] !== account).map((k) => ({ arn: k.arn, aliases: k.aliases })),
  };
}
