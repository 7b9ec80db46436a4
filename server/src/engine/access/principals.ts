/**
 * A statement's principals as the access model reads them: each Principal entry as a constraint
 * (anyone, an account, a role or user, a service, a federated provider), NotPrincipal as everyone
 * but those, and where each stands relative to the key's own account.
 */
import { accountOfPrincipal, checkAwsPrincipal, hasTemplatePlaceholder, parseArn, principalAccount } from '../arn';
import type { PolicyModel, Statement, StringItem } from '../model';
import { namesOwnAccount } from '../parts';
import type { PolicyNode } from '../tree';
import type { Constraint } from './conditions';
import type { EffectivePrincipal, Reach } from './index';

export function principalsOf(model: PolicyModel, statement: Statement, owner: string | undefined): { principals: EffectivePrincipal[]; except: Constraint[] } {
  if (model.kind === 'identity-policy') return { principals: [{ constraint: { kind: 'attached' }, conditions: [], reach: 'owner' }], except: [] };
  const element = statement.principals;
  if (!element) return { principals: [], except: [] };
  const written: EffectivePrincipal[] = [];
  if (element.wildcard) {
    if (element.wildcard.value === '*') written.push(principal({ kind: 'anyone' }, owner, element.wildcard));
  } else {
    for (const entry of element.entries) {
      for (const item of entry.items) {
        const constraint = principalConstraint(entry.type, item.value, owner, item.node as PolicyNode);
        if (constraint) written.push(principal(constraint, owner, item));
      }
    }
  }
  if (element.negated) {
    // NotPrincipal: everyone except those listed.
    return { principals: [principal({ kind: 'anyone' }, owner, undefined)], except: written.map((p) => p.constraint) };
  }
  return { principals: written, except: [] };
}

function principal(constraint: Constraint, owner: string | undefined, item: StringItem | undefined): EffectivePrincipal {
  return { constraint, item, conditions: [], reach: reachOf(constraint, owner) };
}

/** The command-line input that spells an account the template fills in (`${TrustedAccount}`, `${var.account_id}`), if one does. */
function suppliedBy(node: PolicyNode | undefined, account: string): 'parameter' | 'variable' | undefined {
  for (const part of node?.parts ?? []) {
    if ('unknown' in part && part.input && account === `\${${part.unknown}}`) return part.input;
  }
  return undefined;
}

function principalConstraint(type: string, value: string, owner: string | undefined, node?: PolicyNode): Constraint | undefined {
  if (value === '*') return { kind: 'anyone' };
  switch (type) {
    case 'AWS': {
      const check = checkAwsPrincipal(value);
      if (!check.ok) return undefined;
      const account = accountOfPrincipal(value, owner, node);
      // The account the template is deployed to (the host's parts say so) is the owner's, spelled or not.
      const own = namesOwnAccount(node);
      if ((check.root || (own && !value.startsWith('arn:'))) && account) {
        if (own) return { kind: 'account', account, own };
        const supply = suppliedBy(node, account);
        return supply ? { kind: 'account', account, supply } : { kind: 'account', account };
      }
      return own ? { kind: 'principal', arn: value, account: account ?? principalAccount(value), own } : { kind: 'principal', arn: value, account: account ?? principalAccount(value) };
    }
    case 'Service':
      return { kind: 'service', service: value };
    case 'Federated': {
      const arn = parseArn(value);
      return { kind: 'federated', provider: value, account: arn?.account || undefined };
    }
    case 'CanonicalUser':
      return { kind: 'canonical-user', id: value };
    default:
      return undefined;
  }
}

/** Where a constraint stands relative to the owner account. */
export function reachOf(c: Constraint, owner: string | undefined): Reach {
  switch (c.kind) {
    case 'anyone':
      return 'outside';
    case 'account':
    case 'principal':
    case 'federated': {
      if (c.kind === 'principal' && c.source && !c.account) return 'maybe';
      if (c.kind !== 'federated' && c.own) return 'owner';
      const account = c.kind === 'account' ? c.account : c.account;
      if (!account) return 'maybe';
      if (/[*?]/.test(account)) return 'outside';
      if (!owner) return 'maybe';
      if (account === owner) return 'owner';
      // An owner a template fills in (`${ACCOUNT_ID}`) may be this very account.
      if (hasTemplatePlaceholder(owner)) return 'maybe';
      // An account a template fills in (`${var.consumer_account_id}`) may be the owner or another.
      return hasTemplatePlaceholder(account) ? 'maybe' : 'outside';
    }
    case 'service':
    case 'aws-service':
      return 'service';
    case 'attached':
      return 'owner';
    default:
      // Organizations and OU paths usually hold other accounts; other keys cannot be placed offline.
      return 'maybe';
  }
}
