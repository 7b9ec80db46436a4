import { hasWildcard } from '../catalog';
import type { ConditionEntry, ScalarItem } from '../model';
import { documentRule, isAllow } from '../ruleSupport/context';
import { literalText } from '../ruleSupport/policyChecks';
import { trustPrincipals } from '../ruleSupport/trust';

const GITHUB = 'token.actions.githubusercontent.com';
const GITHUB_SUB = `${GITHUB}:sub`;
const GITHUB_REF = `${GITHUB}:ref`;
/**
 * Amazon Cognito identity pools: the trust policy of their roles must test the token's audience,
 * the identity pool ID (AWS STS API Reference, AssumeRoleWithWebIdentity; Amazon Cognito
 * Developer Guide, "IAM roles"): without it, an identity of any pool, in any account, may assume the role.
 */
const COGNITO = 'cognito-identity.amazonaws.com';
const COGNITO_AUD = `${COGNITO}:aud`;

/** A condition entry that restricts by the key's value (not a Null presence test, not negated). */
function restricts(entry: ConditionEntry): boolean {
  return !!entry.parsed && entry.parsed.family !== 'Null';
}

/**
 * What a wildcard in a GitHub subject lets in: repositories of any owner (the owner has a
 * wildcard, or the value does not start `repo:<owner>/<name>:`), every repository of one owner,
 * or every ref of one repository. Undefined for a value without a wildcard.
 */
function subjectReach(value: string): { reach: 'owners' | 'repositories' | 'refs'; owner?: string } | undefined {
  if (!hasWildcard(value)) return undefined;
  const repository = /^repo:([^/:]+)\/([^:]*):/.exec(value) ?? /^repo:([^/:]+)\/([^:]*)$/.exec(value);
  if (!repository || hasWildcard(repository[1])) return { reach: 'owners' };
  if (hasWildcard(repository[2]) || repository[2] === '') return { reach: 'repositories', owner: repository[1] };
  return { reach: 'refs' };
}

export default documentRule({
  meta: {
    id: 'oidc-trust-condition',
    awsChecks: ['MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL', 'MISSING_GITHUB_REPO_CONDITION_KEY', 'SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED'],
    severity: 'warning',
    category: 'kms',
    summary: "An OIDC provider trusted without a condition on its tokens' claims, or GitHub Actions trusted for any repository or branch.",
    security: true,
    appliesTo: ['trust-policy'],
  },
  check(context) {
    for (const statement of context.model.statements) {
      // A Deny narrows; and a template that fills in the Condition may restrict anything.
      if (!isAllow(statement) || statement.filledInConditions.length > 0) continue;
      const principals = trustPrincipals(statement)?.filter((principal) => principal.kind === 'oidc');
      if (!principals || principals.length === 0) continue;
      const keys = statement.conditions.filter(restricts).map((entry) => entry.lowerKey);
      for (const { item, provider } of principals) {
        if (provider === undefined) {
          // The provider's host is filled in by a template: only a statement with no condition at all is certainly open.
          if (statement.conditions.length === 0) {
            context.report(item, `This statement lets anyone with a token from this OIDC provider assume the role: it has no condition. Add conditions on the provider's claims (<provider>:aud for your application's client ID, and <provider>:sub for who may assume the role).`);
          }
          continue;
        }
        const prefix = `${provider.toLowerCase()}:`;
        const own = keys.filter((key) => key.startsWith(prefix));
        if (provider.toLowerCase() === GITHUB) {
          if (!own.includes(GITHUB_SUB)) {
            context.report(item, `This statement lets GitHub Actions workflows of any repository, including other people's, assume the role: it has no ${GITHUB_SUB} condition. Add one naming your repository and branch or environment (StringEquals "repo:<owner>/<repository>:ref:refs/heads/<branch>").`);
          }
          continue;
        }
        if (provider.toLowerCase() === COGNITO && own.length > 0 && !own.includes(COGNITO_AUD)) {
          context.report(item, `This statement lets identities of any Amazon Cognito identity pool, in any account, assume the role: it has no ${COGNITO_AUD} condition (${own.join(', ')} does not say which pool). Add StringEquals "${COGNITO_AUD}": "<region>:<identity pool ID>".`);
          continue;
        }
        if (own.length === 0) {
          context.report(item, `This statement lets anyone with a token from ${provider} assume the role: no condition tests the provider's claims. Add conditions with its prefix (${provider}:aud for your application's client ID, ${provider}:sub for who may assume the role).`);
        }
      }
      // GitHub subjects with a wildcard: any repository, or any ref when no ref condition names the branch.
      if (!principals.some((principal) => principal.provider?.toLowerCase() === GITHUB)) continue;
      const refCondition = keys.includes(GITHUB_REF);
      for (const entry of statement.conditions) {
        if (entry.lowerKey !== GITHUB_SUB || !entry.parsed || !entry.parsed.wildcards || entry.parsed.negated) continue;
        for (const value of entry.values) {
          const text = literalText(value as ScalarItem);
          const reach = text === undefined ? undefined : subjectReach(text);
          if (reach?.reach === 'owners' || reach?.reach === 'repositories') {
            const whose = reach.reach === 'owners' ? "repositories of any owner, other people's among them" : `every repository of ${reach.owner}`;
            context.report(value, `"${text}" matches workflows of ${whose}, so all of them can assume the role. Name one repository in ${GITHUB_SUB} ("repo:<owner>/<repository>:..."), and the branch there or in ${GITHUB_REF}.`);
          } else if (reach?.reach === 'refs' && !refCondition) {
            context.report(value, `"${text}" matches every branch, tag, pull request and environment of the repository, so any workflow run in it can assume the role. Name the branch or environment in ${GITHUB_SUB}, or add a ${GITHUB_REF} condition for it.`);
          }
        }
      }
    }
  },
});
