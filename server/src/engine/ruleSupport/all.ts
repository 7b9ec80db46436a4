// Written by `npm run generate` from the rule files in ../rules (one rule per file): edit a rule in
// its own file; a new rule file is added here, after the last rule of its category.
import type { AnyRule } from './registry';
import jsonSyntax from '../rules/json-syntax';
import jsonStrict from '../rules/json-strict';
import smartQuotes from '../rules/smart-quotes';
import duplicateKey from '../rules/duplicate-key';
import yamlSyntax from '../rules/yaml-syntax';
import planFormatVersion from '../rules/plan-format-version';
import policyVersion from '../rules/policy-version';
import unknownElement from '../rules/unknown-element';
import elementType from '../rules/element-type';
import statementEffect from '../rules/statement-effect';
import statementSid from '../rules/statement-sid';
import statementConflict from '../rules/statement-conflict';
import principalMissing from '../rules/principal-missing';
import principalNotAllowed from '../rules/principal-not-allowed';
import principalInvalid from '../rules/principal-invalid';
import actionUnknown from '../rules/action-unknown';
import arnInvalid from '../rules/arn-invalid';
import conditionOperatorUnknown from '../rules/condition-operator-unknown';
import conditionKeyUnknown from '../rules/condition-key-unknown';
import conditionValueType from '../rules/condition-value-type';
import conditionWildcardOperator from '../rules/condition-wildcard-operator';
import conditionSetOperator from '../rules/condition-set-operator';
import conditionNeverMatches from '../rules/condition-never-matches';
import conditionBinaryValue from '../rules/condition-binary-value';
import conditionBoolMultipleValues from '../rules/condition-bool-multiple-values';
import conditionEmpty from '../rules/condition-empty';
import conditionKeyCaseDuplicate from '../rules/condition-key-case-duplicate';
import conditionNullWithSetOperator from '../rules/condition-null-with-set-operator';
import conditionNumericRedundantValues from '../rules/condition-numeric-redundant-values';
import conditionOperatorKeyType from '../rules/condition-operator-key-type';
import conditionPairedKeys from '../rules/condition-paired-keys';
import conditionVpcIdFormat from '../rules/condition-vpc-id-format';
import ipRangeHostBits from '../rules/ip-range-host-bits';
import policyVariableOperator from '../rules/policy-variable-operator';
import sourceIpPrivate from '../rules/source-ip-private';
import sourceIpPrivateSubset from '../rules/source-ip-private-subset';
import resourceTagUnsupported from '../rules/resource-tag-unsupported';
import conditionKeyActionUnsupported from '../rules/condition-key-action-unsupported';
import s3KmsKeyIdValue from '../rules/s3-kms-key-id-value';
import policySize from '../rules/policy-size';
import actionRedundant from '../rules/action-redundant';
import arnAccountInvalid from '../rules/arn-account-invalid';
import arnRegionAccountNotAllowed from '../rules/arn-region-account-not-allowed';
import arnRegionMissing from '../rules/arn-region-missing';
import arnRegionUnknown from '../rules/arn-region-unknown';
import arnServiceCase from '../rules/arn-service-case';
import policyVariableSyntax from '../rules/policy-variable-syntax';
import principalEmpty from '../rules/principal-empty';
import resourceRedundant from '../rules/resource-redundant';
import serviceNameWildcard from '../rules/service-name-wildcard';
import sidEmpty from '../rules/sid-empty';
import statementMissing from '../rules/statement-missing';
import statementRedundant from '../rules/statement-redundant';
import actionTakesNoResource from '../rules/action-takes-no-resource';
import arnAccountMissing from '../rules/arn-account-missing';
import assumeActionMismatch from '../rules/assume-action-mismatch';
import rolesAnywhereActions from '../rules/roles-anywhere-actions';
import trustPolicyElement from '../rules/trust-policy-element';
import resourceServiceMismatch from '../rules/resource-service-mismatch';
import aliasArnAsResource from '../rules/alias-arn-as-resource';
import aliasNameInvalid from '../rules/alias-name-invalid';
import awsManagedKeyShared from '../rules/aws-managed-key-shared';
import keyPolicyResource from '../rules/key-policy-resource';
import wildcardPrincipal from '../rules/wildcard-principal';
import crossAccountAdmin from '../rules/cross-account-admin';
import grantWithoutAwsResourceCondition from '../rules/grant-without-aws-resource-condition';
import lockoutRisk from '../rules/lockout-risk';
import missingDescribeKey from '../rules/missing-describe-key';
import orgConditionInvalid from '../rules/org-condition-invalid';
import requestTagMisuse from '../rules/request-tag-misuse';
import s3SseKmsActions from '../rules/s3-sse-kms-actions';
import kmsResourceWildcard from '../rules/kms-resource-wildcard';
import servicePrincipalUnscoped from '../rules/service-principal-unscoped';
import passroleWildcard from '../rules/passrole-wildcard';
import servicePrincipalConditionKey from '../rules/service-principal-condition-key';
import serviceKeyUnusable from '../rules/service-key-unusable';
import createSlrWildcard from '../rules/create-slr-wildcard';
import keyPolicyAction from '../rules/key-policy-action';
import grantOperationInvalid from '../rules/grant-operation-invalid';
import servicePrincipalUntrustedKey from '../rules/service-principal-untrusted-key';
import oidcTrustCondition from '../rules/oidc-trust-condition';
import counterpartIdentityPolicyMissing from '../rules/counterpart-identity-policy-missing';
import counterpartKeyPolicyMissing from '../rules/counterpart-key-policy-missing';
import ineffectiveAction from '../rules/ineffective-action';
import unknownKeyReference from '../rules/unknown-key-reference';
import keyshareJson from '../rules/keyshare-json';
import accessExpectation from '../rules/access-expectation';
import suppressionInvalid from '../rules/suppression-invalid';
import suppressionUnused from '../rules/suppression-unused';

/** Every rule, in the order of the settings, the schema, the README table and SARIF (and the order rules run in). */
export const RULE_MODULES: readonly AnyRule[] = [
  jsonSyntax,
  jsonStrict,
  smartQuotes,
  duplicateKey,
  yamlSyntax,
  planFormatVersion,
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
