import { arnFields, isUnknownPart } from '../arn';
import { resourceArn } from '../ruleSupport/policyChecks';
import type { ScalarItem, StringItem } from '../model';
import { closestMatch } from '../text';
import type { Fix } from '../types';
import { documentRule, type RuleContext } from '../ruleSupport/context';

/**
 * The Regions of each partition. Source: the AWS SDK for JavaScript v3's partition table
 * (aws/aws-sdk-js-v3, packages/util-endpoints/src/lib/aws/partitions.json, commit 685ff5d0), with
 * ap-east-2 (Taipei) and ap-southeast-6 (New Zealand) from AWS's "AWS Region billing codes" page
 * (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html), as of
 * 2026-09. AWS opens Regions from time to time: a well-formed code missing here is reported as a
 * warning only, and this table is the one place to add it.
 */
const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  // aws
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  // aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
  'cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1',
  'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1', 'eusc-de-east-1',
]);

/** The partitions' Region patterns (the same table's regionRegex entries): a code that fits none is no Region. */
const REGION_SHAPES = [
  /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
  /^cn-\w+-\d+$/,
  /^us-gov-\w+-\d+$/,
  /^us-iso-\w+-\d+$/,
  /^us-isob-\w+-\d+$/,
  /^eu-isoe-\w+-\d+$/,
  /^us-isof-\w+-\d+$/,
  /^eusc-(de)-\w+-\d+$/,
];

/** The direction words AWS Region codes use (us-east-1, ap-northeast-3, eu-central-2): a code with another (us-middle-1) is none, new or not. */
const REGION_DIRECTIONS = /-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d+$/;

/** Keys whose values are Region codes. */
const REGION_KEYS = new Set(['aws:requestedregion', 'ec2:region']);

/** What is wrong with a Region code, or undefined when it is a known Region (or not judged). */
function regionProblem(region: string): { message: string; severity?: 'warning'; suggestion?: string } | undefined {
  if (region === '' || KNOWN_REGIONS.has(region) || /[*?]/.test(region) || region.includes('${')) return undefined;
  const suggestion = closestMatch(region.toLowerCase(), [...KNOWN_REGIONS], 2) ?? undefined;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  if (REGION_SHAPES.some((shape) => shape.test(region)) && REGION_DIRECTIONS.test(region)) {
    return { message: `"${region}" is not a Region Keyshare knows (its table is of 2026-09; if AWS has opened this Region since, ignore this).${hint}`, severity: 'warning', suggestion };
  }
  return { message: `"${region}" is not an AWS Region code (Region codes look like us-east-1).${hint}`, suggestion };
}

function report(context: RuleContext, item: StringItem | ScalarItem, region: string, what: string, consequence: string, replace: ((region: string) => string) | undefined): void {
  const problem = regionProblem(region);
  if (!problem) return;
  const fixes: Fix[] = problem.suggestion && replace ? [{ title: `Change the Region to "${problem.suggestion}"`, edits: [context.edits.replaceString(item, replace(problem.suggestion))], safe: problem.suggestion.toLowerCase() === region.toLowerCase() }] : [];
  context.report(item, `${what}: ${problem.message} ${consequence}`, { severity: problem.severity, fixes });
}

export default documentRule({
  meta: { id: 'arn-region-unknown', awsChecks: ['INVALID_ARN_REGION', 'INVALID_REGION'], severity: 'error', category: 'grammar', summary: 'A Region code that is no AWS Region, in a Resource ARN or a Region condition.', security: false },
  check(context) {
    for (const statement of context.model.statements) {
      // A key policy's Resource is key-policy-resource's business.
      if (context.model.kind !== 'key-policy') {
        for (const item of statement.resources?.items ?? []) {
          const found = resourceArn(item);
          if (!found || isUnknownPart(found.arn.region)) continue;
          const fields = arnFields(item.value);
          const replace = found.templated ? undefined : (region: string) => [...fields.slice(0, 3), region, ...fields.slice(4)].join(':');
          report(context, item, found.arn.region, `Resource "${item.value}"`, 'An ARN with a Region AWS does not have matches nothing.', replace);
        }
      }
      for (const entry of statement.conditions) {
        if (!REGION_KEYS.has(entry.lowerKey) || entry.parsed?.family !== 'String') continue;
        for (const value of entry.values) {
          if (typeof value.value !== 'string' || value.node.parts) continue;
          report(context, value, value.value, `${entry.key} "${value.value}"`, `${entry.key} never has such a value.`, (region) => region);
        }
      }
    }
  },
});
