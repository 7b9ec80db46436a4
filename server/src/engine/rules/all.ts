// Written by `npm run generate` from the rule files beside it (one rule per file): edit a rule in
// its own file; a new rule file is added here, after the last rule of its category.
import type { AnyRule } from './registry';
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
import conditionNeverMatches from './condition-never-matches';
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
import servicePrincipalUnscoped from './service-principal-unscoped';
import counterpartIdentityPolicyMissing from './counterpart-identity-policy-missing';
import counterpartKeyPolicyMissing from './counterpart-key-policy-missing';
import ineffectiveAction from './ineffective-action';
import unknownKeyReference from './unknown-key-reference';
import keyshareJson from './keyshare-json';
import accessExpectation from './access-expectation';

/** Every rule, in the order of the settings, the schema, the README table and SARIF (and the order rules run in). */
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
  conditionNeverMatches,
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
  servicePrincipalUnscoped,
  counterpartIdentityPolicyMissing,
  counterpartKeyPolicyMissing,
  ineffectiveAction,
  unknownKeyReference,
  keyshareJson,
  accessExpectation,
];
