/**
 * Every rule, in a fixed order, with its metadata: derived from the rule files (one rule per
 * file, its metadata beside its check). Docs, SARIF, settings, the keyshare.json schema and the
 * README's rule table all come from this list (`npm run generate` writes the last three).
 */
import type { DocumentRule, ReportedElsewhereRule, RuleMeta } from './context';
import type { WorkspaceRule } from './workspaceContext';

import jsonSyntax from './json-syntax';
import jsonStrict from './json-strict';
import smartQuotes from './smart-quotes';
import duplicateKey from './duplicate-key';
import policyVersion from './policy-version';
import unknownElement from './unknown-element';
import elementType from './element-type';
import statementEffect from './statement-effect';
import statementSid from './statement-sid';
import statementConflict from './statement-conflict';
import principalMissing from './principal-missing';
import principalNotAllowed from './principal-not-allowed';
import principalInvalid from './principal-invalid';
import actionUnknown from './action-unknown';
import arnInvalid from './arn-invalid';
import conditionOperatorUnknown from './condition-operator-unknown';
import conditionKeyUnknown from './condition-key-unknown';
import conditionValueType from './condition-value-type';
import conditionWildcardOperator from './condition-wildcard-operator';
import conditionSetOperator from './condition-set-operator';
import policySize from './policy-size';
import aliasArnAsResource from './alias-arn-as-resource';
import aliasNameInvalid from './alias-name-invalid';
import awsManagedKeyShared from './aws-managed-key-shared';
import keyPolicyResource from './key-policy-resource';
import wildcardPrincipal from './wildcard-principal';
import crossAccountAdmin from './cross-account-admin';
import grantWithoutAwsResourceCondition from './grant-without-aws-resource-condition';
import lockoutRisk from './lockout-risk';
import missingDescribeKey from './missing-describe-key';
import orgConditionInvalid from './org-condition-invalid';
import requestTagMisuse from './request-tag-misuse';
import s3SseKmsActions from './s3-sse-kms-actions';
import kmsResourceWildcard from './kms-resource-wildcard';
import counterpartIdentityPolicyMissing from './counterpart-identity-policy-missing';
import counterpartKeyPolicyMissing from './counterpart-key-policy-missing';
import ineffectiveAction from './ineffective-action';
import unknownKeyReference from './unknown-key-reference';
import keyshareJson from './keyshare-json';

/** The project's home; rule pages live under docs/rules/ there. */
export const REPOSITORY_URL = 'https://github.com/keyshare-dev/keyshare';
export const RULE_DOCS_URL = `${REPOSITORY_URL}/blob/main/docs/rules/`;

export type AnyRule = DocumentRule | WorkspaceRule | ReportedElsewhereRule;

/** The order of settings, the schema, the README table and SARIF (and the order rules run in). */
export const RULE_MODULES: readonly AnyRule[] = [
  jsonSyntax,
  jsonStrict,
  smartQuotes,
  duplicateKey,
  policyVersion,
  unknownElement,
  elementType,
  statementEffect,
  statementSid,
  statementConflict,
  principalMissing,
  principalNotAllowed,
  principalInvalid,
  actionUnknown,
  arnInvalid,
  conditionOperatorUnknown,
  conditionKeyUnknown,
  conditionValueType,
  conditionWildcardOperator,
  conditionSetOperator,
  policySize,
  aliasArnAsResource,
  aliasNameInvalid,
  awsManagedKeyShared,
  keyPolicyResource,
  wildcardPrincipal,
  crossAccountAdmin,
  grantWithoutAwsResourceCondition,
  lockoutRisk,
  missingDescribeKey,
  orgConditionInvalid,
  requestTagMisuse,
  s3SseKmsActions,
  kmsResourceWildcard,
  counterpartIdentityPolicyMissing,
  counterpartKeyPolicyMissing,
  ineffectiveAction,
  unknownKeyReference,
  keyshareJson,
];

export type RuleInfo = RuleMeta & { kind: AnyRule['kind'] };

export const RULES: readonly RuleInfo[] = RULE_MODULES.map((rule) => ({ ...rule.meta, kind: rule.kind }));

/** The rules the engine runs on each policy document. */
export const DOCUMENT_RULES: readonly DocumentRule[] = RULE_MODULES.filter((rule): rule is DocumentRule => rule.kind === 'document');

/** The rules the workspace index runs across files (a document rule may look across files too). */
export const WORKSPACE_RULES: readonly (DocumentRule | WorkspaceRule)[] = RULE_MODULES.filter(
  (rule): rule is DocumentRule | WorkspaceRule => rule.kind === 'workspace' || (rule.kind === 'document' && !!rule.workspace),
);

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id);
}
