// Written by `npm run generate` from the rule files beside it (one rule per file): edit a rule in
// its own file; a new rule file is added here, after the last rule of its category.
import type { AnyRule } from './registry';
import jsonSyntax from './json-syntax';
import jsonStrict from './json-strict';
import smartQuotes from './smart-quotes';
import duplicateKey from './duplicate-key';
import yamlSyntax from './yaml-syntax';
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
import conditionBinaryValue from './condition-binary-value';
import conditionBoolMultipleValues from './condition-bool-multiple-values';
import conditionEmpty from './condition-empty';
import conditionKeyCaseDuplicate from './condition-key-case-duplicate';
import conditionNullWithSetOperator from './condition-null-with-set-operator';
import conditionNumericRedundantValues from './condition-numeric-redundant-values';
import conditionOperatorKeyType from './condition-operator-key-type';
import conditionPairedKeys from './condition-paired-keys';
import conditionVpcIdFormat from './condition-vpc-id-format';
import ipRangeHostBits from './ip-range-host-bits';
import policyVariableOperator from './policy-variable-operator';
import sourceIpPrivate from './source-ip-private';
import sourceIpPrivateSubset from './source-ip-private-subset';
import resourceTagUnsupported from './resource-tag-unsupported';
import conditionKeyActionUnsupported from './condition-key-action-unsupported';
import s3KmsKeyIdValue from './s3-kms-key-id-value';
import policySize from './policy-size';
import actionRedundant from './action-redundant';
import arnAccountInvalid from './arn-account-invalid';
import arnRegionAccountNotAllowed from './arn-region-account-not-allowed';
import arnRegionMissing from './arn-region-missing';
import arnRegionUnknown from './arn-region-unknown';
import arnServiceCase from './arn-service-case';
import policyVariableSyntax from './policy-variable-syntax';
import principalEmpty from './principal-empty';
import resourceRedundant from './resource-redundant';
import serviceNameWildcard from './service-name-wildcard';
import sidEmpty from './sid-empty';
import statementMissing from './statement-missing';
import statementRedundant from './statement-redundant';
import actionTakesNoResource from './action-takes-no-resource';
import arnAccountMissing from './arn-account-missing';
import assumeActionMismatch from './assume-action-mismatch';
import rolesAnywhereActions from './roles-anywhere-actions';
import trustPolicyElement from './trust-policy-element';
import resourceServiceMismatch from './resource-service-mismatch';
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
import passroleWildcard from './passrole-wildcard';
import servicePrincipalConditionKey from './service-principal-condition-key';
import serviceKeyUnusable from './service-key-unusable';
import createSlrWildcard from './create-slr-wildcard';
import keyPolicyAction from './key-policy-action';
import grantOperationInvalid from './grant-operation-invalid';
import servicePrincipalUntrustedKey from './service-principal-untrusted-key';
import oidcTrustCondition from './oidc-trust-condition';
import counterpartIdentityPolicyMissing from './counterpart-identity-policy-missing';
import counterpartKeyPolicyMissing from './counterpart-key-policy-missing';
import ineffectiveAction from './ineffective-action';
import unknownKeyReference from './unknown-key-reference';
import keyshareJson from './keyshare-json';
import accessExpectation from './access-expectation';
import suppressionInvalid from './suppression-invalid';
import suppressionUnused from './suppression-unused';

/** Every rule, in the order of the settings, the schema, the README table and SARIF (and the order rules run in). */
export const RULE_MODULES: readonly AnyRule[] = [
  jsonSyntax,
  jsonStrict,
  smartQuotes,
  duplicateKey,
  yamlSyntax,
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
  conditionBinaryValue,
  conditionBoolMultipleValues,
  conditionEmpty,
  conditionKeyCaseDuplicate,
  conditionNullWithSetOperator,
  conditionNumericRedundantValues,
  conditionOperatorKeyType,
  conditionPairedKeys,
  conditionVpcIdFormat,
  ipRangeHostBits,
  policyVariableOperator,
  sourceIpPrivate,
  sourceIpPrivateSubset,
  resourceTagUnsupported,
  conditionKeyActionUnsupported,
  s3KmsKeyIdValue,
  policySize,
  actionRedundant,
  arnAccountInvalid,
  arnRegionAccountNotAllowed,
  arnRegionMissing,
  arnRegionUnknown,
  arnServiceCase,
  policyVariableSyntax,
  principalEmpty,
  resourceRedundant,
  serviceNameWildcard,
  sidEmpty,
  statementMissing,
  statementRedundant,
  actionTakesNoResource,
  arnAccountMissing,
  assumeActionMismatch,
  rolesAnywhereActions,
  trustPolicyElement,
  resourceServiceMismatch,
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
  passroleWildcard,
  servicePrincipalConditionKey,
  serviceKeyUnusable,
  createSlrWildcard,
  keyPolicyAction,
  grantOperationInvalid,
  servicePrincipalUntrustedKey,
  oidcTrustCondition,
  counterpartIdentityPolicyMissing,
  counterpartKeyPolicyMissing,
  ineffectiveAction,
  unknownKeyReference,
  keyshareJson,
  accessExpectation,
  suppressionInvalid,
  suppressionUnused,
];
