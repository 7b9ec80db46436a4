import { conditionReadings, identityKey, whyForValue } from '../access';
import { absentResult } from '../access/operators';
import { structuralAbsence } from '../access/request';
import { coveredActions } from '../actions';
import { METADATA_ACTIONS } from '../kms/actions';
import { ACCOUNT_ID, parseArn, REGION } from '../arn';
import { conditionPrefixKnown } from '../catalog';
import type { ConditionEntry, ScalarItem, Statement } from '../model';
import type { Fix } from '../types';
import { describeList, documentRule, type RuleContext } from '../ruleSupport/context';

/** org-condition-invalid reports malformed organization IDs and paths. */
const ORG_KEYS = new Set(['aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:resourceorgid', 'aws:resourceorgpaths']);
/** KMS's ViaService names where they differ from the service's own name. */
const VIA_SERVICE_NAMES: Record<string, string> = { ebs: 'ec2', aurora: 'rds', neptune: 'rds' };

/** The one region the statement's key lives in, if it says: the key ARN of the options, or its Resource. */
function regionOf(context: RuleContext, statement: Statement): string | undefined {
  const arns = context.options.keyArn ? [context.options.keyArn] : (statement.resources?.negated ? [] : statement.resources?.items.map((i) => i.value) ?? []);
  const regions = new Set(arns.map((a) => parseArn(a)).filter((a) => a?.service === 'kms' && REGION.test(a.region)).map((a) => a!.region));
  return regions.size === 1 ? [...regions][0] : undefined;
}

/** A value with exactly one right spelling: an account ARN where an account ID belongs, a ViaService name without its region. */
function fixFor(context: RuleContext, statement: Statement, key: string, value: ScalarItem): Fix[] {
  if (typeof value.value !== 'string') return [];
  const names = identityKey(key)?.names;
  if (names === 'account') {
    const arn = parseArn(value.value);
    if (arn && ACCOUNT_ID.test(arn.account)) return [{ title: `Use the account ID "${arn.account}"`, edits: [context.edits.replaceString(value, arn.account)], safe: false }];
  }
  if (names === 'via-service') {
    const match = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(value.value);
    const region = regionOf(context, statement);
    if (match && region) {
      const fixed = `${VIA_SERVICE_NAMES[match[1]] ?? match[1]}.${region}.amazonaws.com`;
      return [{ title: `Use "${fixed}"`, edits: [context.edits.replaceString(value, fixed)], safe: false }];
    }
  }
  return [];
}

export default documentRule({
  meta: { id: 'condition-never-matches', awsChecks: ['UNSUPPORTED_ACTION_FOR_CONDITION_KEY', 'MISSING_ACTION_FOR_CONDITION_KEY', 'IRRELEVANT_CONDITION_KEY_IN_POLICY', 'INVALID_SERVICE_PRINCIPAL_FORMAT'], severity: 'warning', category: 'condition', summary: 'A condition key never present in the request for this policy kind, or a value of a shape the key never has.', security: true, conditionsOnly: true },
  check(context) {
    // The statement's own entries: a Deny's guard that narrows an Allow is reported on the Deny.
    for (const statement of context.model.statements) {
      const consequence = statement.effect?.value === 'Deny' ? 'This Deny never applies.' : 'This statement never grants anything.';
      for (const reading of conditionReadings(context.model, statement, context.catalog)) {
        const entry = reading.entry;
        const lower = entry.lowerKey;
        if (ORG_KEYS.has(lower) || !conditionPrefixKnown(context.catalog, entry.key)) continue;
        if (reading.verdict === 'never') {
          if (reading.deadValues?.length) {
            // A kms:ViaService value that is no service endpoint: Access Analyzer's INVALID_SERVICE_PRINCIPAL_FORMAT, an ERROR.
            const severity = lower === 'kms:viaservice' ? { severity: 'error' as const } : {};
            for (const value of reading.deadValues) context.report(value, `${whyForValue(reading, value)}. ${consequence}`, { fixes: fixFor(context, statement, entry.key, value), ...severity });
          } else {
            // The key is never in these requests (the catalog's action keys, the request table): Access Analyzer's
            // MISSING_ACTION_FOR_CONDITION_KEY, an ERROR.
            context.report(entry.keySpan, `${reading.why}. ${consequence}`, { severity: 'error' });
          }
        } else if (reading.deadValues?.length && reading.verdict !== 'irrelevant') {
          for (const value of reading.deadValues) {
            context.report(value, `${entry.key} never has the value ${JSON.stringify(value.value)}: it matches nothing, and only the other values count.`, { fixes: fixFor(context, statement, entry.key, value), unnecessary: true });
          }
        } else {
          reportDeadActions(context, statement, entry);
        }
      }
    }
  },
});

/** Per expanded action list (shared by every statement with the same Action list) and key: the actions that never carry it. */
const absentActions = new WeakMap<ReadonlySet<string>, Map<string, readonly string[]>>();

function absentFor(context: RuleContext, covered: ReadonlySet<string>, key: string): readonly string[] {
  let byKey = absentActions.get(covered);
  if (!byKey) absentActions.set(covered, (byKey = new Map()));
  const cacheKey = `${context.model.kind}|${key.toLowerCase()}`;
  let absent = byKey.get(cacheKey);
  if (!absent) {
    absent = [...covered].filter((action) => structuralAbsence(key, context.model.kind, [action], context.catalog) !== undefined);
    if (byKey.size < 200) byKey.set(cacheKey, absent);
  }
  return absent;
}

/**
 * A condition that needs a key some of the statement's KMS actions never carry (the request model's
 * table, from the catalog): kms:GrantIsForAWSResource with kms:Decrypt, kms:EncryptionContext:* with
 * kms:DescribeKey. For those actions the condition is never true, so the statement never covers them.
 */
function reportDeadActions(context: RuleContext, statement: Statement, entry: ConditionEntry): void {
  const op = entry.parsed;
  if (!op || op.family === 'Null' || absentResult(op) || !entry.lowerKey.startsWith('kms:')) return;
  const covered = coveredActions(context.catalog, statement, 'kms');
  if (covered.size < 2) return;
  const actions = [...covered];
  const absent = absentFor(context, covered, entry.key);
  if (absent.length === 0) return;
  // Only actions the statement names one by one: a pattern (kms:Describe*, as AWS's CloudWatch Logs key policy writes) is read as meant for the others.
  const dead = absent.filter((action) => statement.actions!.items.some((item) => item.value.toLowerCase() === action.toLowerCase()));
  if (dead.length === 0 || dead.length === actions.length) return;
  const carriers = actions.filter((a) => !dead.includes(a));
  const verb = statement.effect?.value === 'Deny' ? 'denies' : 'allows';
  // Losing only metadata reads (DescribeKey) is advice; losing what the statement is for is a warning.
  // (Access Analyzer's UNSUPPORTED_ACTION_FOR_CONDITION_KEY, an ERROR.)
  const severity = dead.every((a) => METADATA_ACTIONS.has(a)) ? 'info' : 'error';
  context.report(entry.keySpan, `${entry.key} is in ${describeList(carriers.map((a) => a.slice(4)), 4)} requests here, never in ${describeList(dead.map((a) => a.slice(4)), 4)} requests: for those this condition is never true, so this statement never ${verb} them. Put them in a statement without this condition.`, { severity });
}
