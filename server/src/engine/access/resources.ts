/**
 * Whether a statement's Resource covers the key asked about: in a key policy the access model has
 * read it already; in an identity policy IAM reads the key ARN (alias ARNs and key IDs name no key).
 */
import type { PolicyNode } from '../tree';
import { parseArn } from '../arn';
import { keyResourceOf, wholeReference } from '../parts';
import { globMatch, statementLabel, withKnownParts, type KnownParts, type ResourceReading, type Tri } from './evaluator';
import type { StatementAccess } from './index';
import type { KeyFacts, PolicyInput } from './evaluate';

/** In a key policy, the access model has read the Resource against this key already. */
export function keyResource(): ResourceReading {
  return {
    covers: (s) => (s.resources.appliesToKey === 'yes' ? true : s.resources.appliesToKey === 'no' ? false : undefined),
    why: (s) => `whether the Resource of statement ${statementLabel(s.statement)} is this key (${s.resources.why ?? 'a value the template fills in'})`,
  };
}

/** Whether an identity policy statement's Resource covers the key (alias ARNs and key IDs do not: IAM reads the key ARN). */
export function identityResource(key: KeyFacts, policy: PolicyInput, account: string | undefined): ResourceReading {
  const sameFile = !!key.template && key.template.file === policy.file;
  const keyArn = parseArn(key.arn);
  // The identity policy's own account is the caller's; a template that also declares the key is in the key's Region.
  const known: KnownParts = { 'owner-account': account, partition: keyArn?.partition, region: sameFile ? keyArn?.region : undefined };
  return {
    covers: (s) => identityResourceCovers(s, key, sameFile, known),
    // A key known by its template only has the ARN its stack or module gets: the account and Region it is deployed to.
    why: (s) => `whether the Resource of statement ${statementLabel(s.statement)} is this key${/[*?]/.test(key.arn) ? ` (its ARN is ${key.arn} until keyshare.json declares it in "keys")` : ''}`,
  };
}

function identityResourceCovers(access: StatementAccess, key: KeyFacts, sameFile: boolean, known: KnownParts): Tri {
  const list = access.statement.resources;
  if (!list) return undefined;
  let any: Tri = false;
  for (const item of list.items) {
    const node = item.node as PolicyNode | undefined;
    if (node?.parts) {
      // A reference to a key of the same template names it; an alias ARN or a bare key ID names no key; other values the template fills in may.
      const named = keyResourceOf(node);
      const whole = wholeReference(node);
      if (named !== undefined && sameFile && key.template) {
        if (named === key.template.resource) {
          any = true;
          break;
        }
        continue;
      }
      if (whole && (whole.meaning === 'alias-arn' || whole.meaning === 'key-id' || whole.meaning === 'alias-name' || whole.meaning === 'resource-arn')) continue;
      // `arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/data`: what the template writes around its parts can rule the key out.
      const written = withKnownParts(node.parts, known);
      if (!globMatch(written.glob, key.arn, false) && !(/[*?]/.test(key.arn) && globMatch(key.arn, written.glob, false))) continue;
      if (!written.unknown && coversEvery(written.glob, key.arn)) {
        any = true;
        break;
      }
      if (any === false) any = undefined;
      continue;
    }
    const value = item.value.trim();
    if (coversEvery(value, key.arn)) {
      any = true;
      break;
    }
    // A key whose ARN is not declared (`arn:aws:kms:*:111122223333:key/*`): a Resource it could be is unknown.
    if (any === false && /[*?]/.test(key.arn) && globMatch(key.arn, value, false)) any = undefined;
  }
  if (list.negated) return any === true ? false : any === false ? true : undefined;
  return any;
}


/**
 * Whether a Resource pattern covers every key a key ARN pattern may be (a template's key, whose
 * Region and ID only deployment tells: `arn:aws:kms:*:111122223333:key/*`): it matches the key's
 * ARN with a text no policy writes in place of each unknown part, so its own wildcards took them.
 */
function coversEvery(pattern: string, keyArn: string): boolean {
  return globMatch(pattern, /[*?]/.test(keyArn) ? keyArn.replace(/[*?]/g, 'keyshare7s9any') : keyArn, false);
}

/**
 * For an action that acts on no key (kms:ListAliases, kms:CreateKey): IAM needs `"Resource": "*"`,
 * as the Service Authorization Reference lists no resource type for it.
 */
export function anyResource(): ResourceReading {
  return {
    covers: (s) => resourceItemsCover(s, (value) => value === '*'),
    why: (s) => `whether the Resource of statement ${statementLabel(s.statement)} is "*"`,
  };
}

/**
 * The alias side of kms:CreateAlias, UpdateAlias and DeleteAlias: an IAM policy must allow the
 * action on the alias (KMS guide, "Controlling access to aliases"). Which alias is not asked, so a
 * Resource that names some aliases only may or may not cover it.
 */
export function aliasResource(): ResourceReading {
  return {
    covers: (s) =>
      resourceItemsCover(s, (value) => {
        if (value === '*') return true;
        const arn = parseArn(value);
        if (!arn || !(arn.service === 'kms' || arn.service === '*') || !/^(alias\/|\*)/.test(arn.resource)) return false;
        // Every alias of the key's Region and account, or only some: which alias is not asked.
        return arn.resource === 'alias/*' || arn.resource === '*' ? true : undefined;
      }),
    why: (s) => `whether the Resource of statement ${statementLabel(s.statement)} covers the alias (name it, or use arn:aws:kms:<region>:<account>:alias/*)`,
  };
}

/** Whether a statement's Resource items cover a resource: any item that does (true), else any that may (undefined). */
function resourceItemsCover(access: StatementAccess, item: (value: string) => boolean | undefined): Tri {
  const list = access.statement.resources;
  if (!list) return undefined;
  let any: Tri = false;
  for (const entry of list.items) {
    const covered = (entry.node as PolicyNode | undefined)?.parts ? undefined : item(entry.value.trim());
    if (covered === true) {
      any = true;
      break;
    }
    if (covered === undefined) any = undefined;
  }
  if (list.negated) return any === true ? false : any === false ? undefined : undefined;
  return any;
}
