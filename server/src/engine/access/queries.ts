/**
 * Questions the rules ask of the access model: who is outside the key's account, how a
 * statement's audience reads in a message, what a CreateGrant's conditions limit, which
 * statements can change the policy, and whether a statement works only through a service.
 */
import { arnFields } from '../arn';
import { hasWildcard, wildcardToRegExp } from '../catalog';
import { GRANTABLE_OPERATIONS, METADATA_ACTIONS } from '../kms/actions';
import type { ConditionEntry } from '../model';
import { isWhollyUnknown } from '../tree';
import { describeConstraint } from './conditions';
import { entriesFalseFor, STRANGER_SERVICE, strangerPasses, type Probe, type ProbeContext } from './probes';
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

/** A CreateGrant request made directly by a caller (no service in between), for anyone, with any operations. */
function directGrant(values: Record<string, readonly string[]> = {}): Probe {
  return { action: 'kms:CreateGrant', absent: ['kms:viaservice'], values: { 'kms:grantisforawsresource': ['false'], 'aws:viaawsservice': ['false'], ...values } };
}

/**
 * What a CreateGrant permission lets the caller hand on, as the evaluator answers three requests:
 * a grant not for an AWS resource; a grant made directly, not through a service; and a grant to a
 * principal of an account the policy does not name, with CreateGrant among its operations.
 */
export function grantReadingOf(entries: readonly ConditionEntry[], context: ProbeContext, filledIn = false): GrantReading {
  // A condition block the template fills in may hold any of the conditions below: not called unrestricted.
  if (filledIn) return { verdict: 'filled-in', why: 'the template fills in a condition block, which may limit the grants', entries: [] };
  // The entries that keep a request out because of how it is made, not entries that keep every request out.
  const deciding = (made: Probe, otherwise: Probe) => {
    const never = entriesFalseFor(entries, context, otherwise);
    return entriesFalseFor(entries, context, made).filter((e) => !never.includes(e));
  };
  const grant = (values: Record<string, readonly string[]>): Probe => ({ action: 'kms:CreateGrant', values });
  const forNoGrant = entriesFalseFor(entries, context, grant({ 'kms:grantisforawsresource': ['true'] }));
  const never = entriesFalseFor(entries, context, grant({ 'kms:grantisforawsresource': ['false'] })).filter((e) => forNoGrant.includes(e));
  if (never.length > 0) return { verdict: 'never', why: 'no CreateGrant request meets the condition', entries: never };
  const forResources = deciding(grant({ 'kms:grantisforawsresource': ['false'] }), grant({ 'kms:grantisforawsresource': ['true'] }));
  if (forResources.length > 0) return { verdict: 'aws-services', why: 'only integrated AWS services can create the grants (kms:GrantIsForAWSResource)', entries: forResources };
  const throughService = deciding(directGrant(), grant({ 'kms:grantisforawsresource': ['false'], 'aws:viaawsservice': ['true'] }));
  if (throughService.length > 0) {
    const entry = throughService[0];
    const why = entry.lowerKey === 'kms:viaservice' ? `grants can be created only through ${entry.values.map((v) => v.value).join(', ')} (kms:ViaService)` : `grants can be created only by AWS services acting with the principal's credentials (${entry.key})`;
    return { verdict: 'via-service', why, entries: throughService };
  }
  const operations = closedOperations(entries, context);
  const grantees = entries.filter((e) => e.lowerKey === 'kms:granteeprincipal');
  // A grantee of an account the policy does not name, its ARN written as the policy's wildcards allow.
  const grantee = grantees.filter((e) => {
    const stranger = strangerPasses(e, { names: 'arn', sometimesAbsent: false, within: directGrant() }, context);
    return !stranger.pass && !stranger.unknown;
  });
  if (grantee.length > 0 && operations.length > 0) {
    const [g, o] = [grantee[0], operations[0]];
    return { verdict: 'constrained', why: `grants go only to ${g.values.map((v) => v.value).join(', ')} and never include CreateGrant (${g.operator} kms:GranteePrincipal, ${o.operator} kms:GrantOperations ${o.values.map((v) => v.value).join(', ')})`, entries: [g, o] };
  }
  const partial = grantee.length ? 'kms:GranteePrincipal alone leaves the grant\'s operations open, CreateGrant among them' : operations.length ? 'kms:GrantOperations alone leaves the grantee open' : 'no condition limits the grantee or the grant';
  return { verdict: 'unrestricted', why: partial, entries: [grantee[0], operations[0]].filter((e): e is ConditionEntry => !!e) };
}

/**
 * The entries that keep CreateGrant out of every grant's operations (a grantee with CreateGrant
 * hands the key on again), or none. A grant's operations are a list the caller chooses: CreateGrant
 * alone, with the operations written, or with one not written, whichever an operator lets through.
 */
function closedOperations(entries: readonly ConditionEntry[], context: ProbeContext): ConditionEntry[] {
  const written = entries.filter((e) => e.lowerKey === 'kms:grantoperations').flatMap((e) => e.values.map((v) => String(v.value)));
  const unwritten = GRANTABLE_OPERATIONS.find((op) => op !== 'CreateGrant' && !written.some((w) => wildcardToRegExp(w).test(op)));
  const lists = [['CreateGrant'], ['CreateGrant', ...written], ...(unwritten ? [['CreateGrant', unwritten]] : [])];
  let deciding: ConditionEntry[] = [];
  for (const list of lists) {
    const blocking = entriesFalseFor(entries, context, directGrant({ 'kms:grantoperations': list }));
    if (blocking.length === 0) return [];
    if (deciding.length === 0) deciding = blocking;
  }
  return deciding;
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
      !onlyThroughService(s, access.probes) &&
      // "Anyone" includes the owner's own principals; an organization may hold the owner account.
      s.audience.to.some((p) => p.reach === 'owner' || p.reach === 'maybe' || p.constraint.kind === 'anyone'),
  );
}

/**
 * A statement that no direct call meets: only requests an AWS service makes on the caller's behalf
 * carry kms:ViaService (KMS guide, "kms:ViaService"), and no service calls PutKeyPolicy for
 * anyone, so such a statement lets nobody change the key policy.
 */
export function onlyThroughService(s: StatementAccess, context: ProbeContext): boolean {
  return entriesFalseFor(s.statement.conditions.filter((e) => e.lowerKey === 'kms:viaservice'), context, { absent: ['kms:viaservice'] }).length > 0;
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
export function serviceScope(access: StatementAccess, context: ProbeContext): ServiceScope | undefined {
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
    // The ARN of the caller's resource in the encryption context (aws:logs:arn, aws:cloudtrail:arn): a pin
    // when no service acting for a resource of another account can write a context that meets it.
    const arns = reading.entry.values.length > 0 && reading.entry.values.every((v) => isWhollyUnknown(v.node) || (typeof v.value === 'string' && v.value.startsWith('arn:')));
    if (!arns) continue;
    const stranger = strangerPasses(reading.entry, { names: 'arn', sometimesAbsent: true, source: true, within: { caller: STRANGER_SERVICE } }, context).pass;
    if (!stranger) pins.push(reading.entry);
    else if (stranger.by === 'wildcard' && hasWildcard(arnFields(stranger.written)[4] ?? '')) loose.push(reading.entry);
  }
  const usesKey = access.actions.effective.some((a) => !METADATA_ACTIONS.has(a));
  return { services, pins, usesKey, loose };
}
