/**
 * Questions the rules ask of the access model: who is outside the key's account, how a
 * statement's audience reads in a message, what a CreateGrant's conditions limit, which
 * statements can change the policy, and whether a statement works only through a service.
 */
import { arnFields, hasTemplatePlaceholder } from '../arn';
import { wildcardToRegExp } from '../catalog';
import { METADATA_ACTIONS } from '../kms/actions';
import type { ConditionEntry } from '../model';
import { isWhollyUnknown } from '../tree';
import { describeConstraint, VIA_SERVICE } from './conditions';
import type { AccessModel, Audience, EffectivePrincipal, GrantReading, StatementAccess } from './index';

/** The principals of an audience that may be outside the owner account (other accounts, organizations, anyone). */
export function outsiders(audience: Audience): EffectivePrincipal[] {
  return audience.to.filter((p) => p.reach === 'outside' || p.reach === 'maybe');
}

/** The audience in words: "any AWS account", "account 444455556666 and callers in organization o-...". */
export function describeAudience(audience: Audience, limit = 3): string {
  if (audience.admits === 'nobody') return 'nobody';
  const names = [...new Set(audience.to.map((p) => describeConstraint(p.constraint)))];
  if (names.length <= limit) return names.join(', ');
  return `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

const truthy = (entry: ConditionEntry) => entry.values.length > 0 && entry.values.every((v) => String(v.value).toLowerCase() === 'true');

/** Values that pin one principal: no value whose wildcards reach the account part. */
function pinsPrincipal(entry: ConditionEntry, wildcards: boolean): boolean {
  return entry.values.length > 0 && entry.values.every((v) => {
    if (typeof v.value !== 'string' || v.value === '') return false;
    if (!wildcards || !/[*?]/.test(v.value)) return true;
    const parts = arnFields(v.value);
    return v.value.startsWith('arn:') && parts.length >= 6 && !parts.slice(0, 5).some((p) => /[*?]/.test(p));
  });
}

export function grantReadingOf(entries: readonly ConditionEntry[], filledIn = false): GrantReading {
  // A condition block the template fills in may hold any of the conditions below: not called unrestricted.
  if (filledIn) return { verdict: 'filled-in', why: 'the template fills in a condition block, which may limit the grants', entries: [] };
  let grantee: ConditionEntry | undefined;
  let operations: ConditionEntry | undefined;
  for (const entry of entries) {
    const op = entry.parsed;
    if (!op || op.negated) continue;
    const key = entry.lowerKey;
    if (key === 'kms:grantisforawsresource' && op.family === 'Bool' && !op.set && truthy(entry)) {
      return { verdict: 'aws-services', why: 'only integrated AWS services can create the grants (kms:GrantIsForAWSResource)', entries: [entry] };
    }
    if (key === 'aws:viaawsservice' && op.family === 'Bool' && !op.set && !op.ifExists && truthy(entry)) {
      // IAM User Guide, global condition keys: true only when an AWS service makes the request with the principal's credentials.
      return { verdict: 'via-service', why: 'grants can be created only by AWS services acting with the principal\'s credentials (aws:ViaAWSService)', entries: [entry] };
    }
    if (key === 'kms:viaservice' && (op.family === 'String') && !op.ifExists && !op.set) {
      // A value the template fills in (`secretsmanager.${AWS::Region}.amazonaws.com`) is taken to have the shape.
      const valid = entry.values.length > 0 && entry.values.every((v) => typeof v.value === 'string' && (VIA_SERVICE.test(v.value) || hasTemplatePlaceholder(v.value) || (op.wildcards && /[*?]/.test(v.value) && !/^[*?]/.test(v.value))));
      if (valid) return { verdict: 'via-service', why: `grants can be created only through ${entry.values.map((v) => v.value).join(', ')} (kms:ViaService)`, entries: [entry] };
    }
    if (key === 'kms:granteeprincipal' && (op.family === 'String' || op.family === 'Arn') && !op.ifExists && op.set !== 'ForAllValues' && pinsPrincipal(entry, op.wildcards)) grantee = entry;
    if (key === 'kms:grantoperations' && op.set === 'ForAllValues' && op.family === 'String' && entry.values.length > 0) {
      // A closed list that does not itself include CreateGrant (which would let the grantee hand the key on again).
      const closed = entry.values.every((v) => typeof v.value === 'string' && v.value !== '' && !wildcardToRegExp(v.value).test('CreateGrant') && (!op.wildcards || !/^[*?]+$/.test(v.value)));
      if (closed) operations = entry;
    }
  }
  if (grantee && operations) {
    return { verdict: 'constrained', why: `grants go only to ${grantee.values.map((v) => v.value).join(', ')} and allow only ${operations.values.map((v) => v.value).join(', ')} (kms:GranteePrincipal and ForAllValues kms:GrantOperations)`, entries: [grantee, operations] };
  }
  const partial = grantee ? 'kms:GranteePrincipal alone leaves the grant\'s operations open, CreateGrant among them' : operations ? 'ForAllValues kms:GrantOperations alone leaves the grantee open' : 'no condition limits the grantee or the grant';
  return { verdict: 'unrestricted', why: partial, entries: [grantee, operations].filter((e): e is ConditionEntry => !!e) };
}

/**
 * Statements that let someone who can still act call kms:PutKeyPolicy on this key: Allow, applying
 * to the key, admitting someone, with PutKeyPolicy left after the Deny statements, for a principal
 * that is (or may be) of the owner account: across accounts PutKeyPolicy has no effect.
 */
export function policyChangers(access: AccessModel): StatementAccess[] {
  return access.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      s.resources.appliesToKey !== 'no' &&
      s.audience.admits !== 'nobody' &&
      s.actions.effective.includes('kms:PutKeyPolicy') &&
      !onlyThroughService(s) &&
      // "Anyone" includes the owner's own principals; an organization may hold the owner account.
      s.audience.to.some((p) => p.reach === 'owner' || p.reach === 'maybe' || p.constraint.kind === 'anyone'),
  );
}

/**
 * A statement whose condition requires kms:ViaService: only requests an AWS service makes on the
 * caller's behalf carry that key (KMS guide, "kms:ViaService"), and no service calls PutKeyPolicy
 * for anyone, so such a statement lets nobody change the key policy.
 */
export function onlyThroughService(s: StatementAccess): boolean {
  return s.statement.conditions.some((entry) => {
    if (entry.lowerKey !== 'kms:viaservice') return false;
    const op = entry.parsed;
    return !!op && !op.negated && !op.ifExists && op.set !== 'ForAllValues' && op.family !== 'Null';
  });
}

/** KMS actions that only read a key's metadata: a service principal with just these can do nothing with the key. */

export interface ServiceScope {
  /** The service principals of the statement, as written. */
  services: EffectivePrincipal[];
  /** Condition entries that pin the calling service to your resources or accounts. */
  pins: ConditionEntry[];
  /** The statement lets the services use the key (more than read its metadata). */
  usesKey: boolean;
  /** Conditions written to pin the service that name no account (`arn:aws:logs:us-east-1:*:*`): they pin nothing. */
  loose: ConditionEntry[];
}

/**
 * Service principals of a statement and what pins them against the confused deputy:
 * aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths naming your accounts
 * or resources, or an encryption-context key whose ARN value names one account (the way the
 * CloudTrail and CloudWatch Logs key policies pin the trail or log group).
 */
export function serviceScope(access: StatementAccess): ServiceScope | undefined {
  const services = access.principals.filter((p) => p.constraint.kind === 'service');
  if (services.length === 0) return undefined;
  const pins: ConditionEntry[] = [];
  const loose: ConditionEntry[] = [];
  for (const reading of access.conditions) {
    if (reading.filledIn || (reading.verdict === 'restricts' && reading.admits?.some((c) => 'source' in c && c.source))) {
      pins.push(reading.entry);
      continue;
    }
    const key = reading.entry.lowerKey;
    if ((key === 'aws:sourcearn' || key === 'aws:sourceaccount') && reading.verdict === 'open') loose.push(reading.entry);
    if (!key.startsWith('kms:encryptioncontext:')) continue;
    const op = reading.entry.parsed;
    if (!op || op.negated || op.ifExists || op.set === 'ForAllValues' || (op.family !== 'String' && op.family !== 'Arn')) continue;
    const pinned = reading.entry.values.length > 0 && reading.entry.values.every((v) => {
      if (isWhollyUnknown(v.node)) return true; // the template fills the ARN in (`var.all ? [...] : [...]`): taken to pin
      if (typeof v.value !== 'string' || !v.value.startsWith('arn:')) return false;
      const account = arnFields(v.value)[4] ?? '';
      return /^\d{12}$/.test(account) || (account.includes('${') && !/[*?]/.test(account));
    });
    if (pinned) pins.push(reading.entry);
    else if (reading.entry.values.some((v) => typeof v.value === 'string' && v.value.startsWith('arn:') && /[*?]/.test(arnFields(v.value)[4] ?? ''))) loose.push(reading.entry);
  }
  const usesKey = access.actions.effective.some((a) => !METADATA_ACTIONS.has(a));
  return { services, pins, usesKey, loose };
}
