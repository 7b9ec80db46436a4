/** Every rule id with its default severity and one-line summary: docs, SARIF and settings use this. */
import type { Severity } from '../types';

/** The project's home; rule pages live under docs/rules/ there. */
export const REPOSITORY_URL = 'https://github.com/keyshare-dev/keyshare';
export const RULE_DOCS_URL = `${REPOSITORY_URL}/blob/main/docs/rules/`;

export interface RuleInfo {
  id: string;
  severity: Severity;
  category: 'json' | 'grammar' | 'condition' | 'kms' | 'workspace' | 'config';
  summary: string;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'json-syntax', severity: 'error', category: 'json', summary: 'The document is not valid JSON.' },
  { id: 'json-strict', severity: 'error', category: 'json', summary: 'Comments, trailing commas or non-JSON whitespace (such as U+00A0) that AWS rejects.' },
  { id: 'smart-quotes', severity: 'error', category: 'json', summary: 'Typographic quotes where JSON needs straight double quotes.' },
  { id: 'duplicate-key', severity: 'error', category: 'json', summary: 'The same key twice in one object.' },
  { id: 'policy-version', severity: 'warning', category: 'grammar', summary: 'Version is missing, old (2008-10-17) or invalid.' },
  { id: 'unknown-element', severity: 'error', category: 'grammar', summary: 'An element name that is not part of the policy grammar.' },
  { id: 'element-type', severity: 'error', category: 'grammar', summary: 'An element holds the wrong JSON type.' },
  { id: 'statement-effect', severity: 'error', category: 'grammar', summary: 'Effect is missing or not exactly Allow or Deny.' },
  { id: 'statement-sid', severity: 'error', category: 'grammar', summary: 'A Sid with characters IAM rejects, or used twice.' },
  { id: 'statement-conflict', severity: 'error', category: 'grammar', summary: 'Both X and NotX, or no Action or Resource, in one statement.' },
  { id: 'principal-missing', severity: 'error', category: 'grammar', summary: 'A key or resource policy statement without Principal.' },
  { id: 'principal-not-allowed', severity: 'error', category: 'grammar', summary: 'A Principal in an identity policy.' },
  { id: 'principal-invalid', severity: 'error', category: 'grammar', summary: 'A malformed principal: placeholder, whitespace, wrong ARN.' },
  { id: 'action-unknown', severity: 'error', category: 'grammar', summary: 'An action (or wildcard) that matches no AWS action.' },
  { id: 'arn-invalid', severity: 'error', category: 'grammar', summary: 'A malformed Resource ARN.' },
  { id: 'condition-operator-unknown', severity: 'error', category: 'condition', summary: 'A condition operator that does not exist.' },
  { id: 'condition-key-unknown', severity: 'warning', category: 'condition', summary: 'A condition key no AWS service defines.' },
  { id: 'condition-value-type', severity: 'error', category: 'condition', summary: 'A condition value of the wrong type for its operator.' },
  { id: 'condition-wildcard-operator', severity: 'warning', category: 'condition', summary: 'Wildcards with StringEquals, where they are literal.' },
  { id: 'condition-set-operator', severity: 'warning', category: 'condition', summary: 'A multi-valued key without ForAnyValue/ForAllValues, or the reverse.' },
  { id: 'policy-size', severity: 'warning', category: 'grammar', summary: 'The policy is larger than AWS accepts.' },
  { id: 'alias-arn-as-resource', severity: 'error', category: 'kms', summary: 'An alias ARN as Resource for key operations: it grants nothing on the key.' },
  { id: 'alias-name-invalid', severity: 'error', category: 'kms', summary: 'An alias name that KMS would never accept or match.' },
  { id: 'aws-managed-key-shared', severity: 'error', category: 'kms', summary: 'An attempt to use an AWS managed key (alias/aws/...) across accounts.' },
  { id: 'key-policy-resource', severity: 'warning', category: 'kms', summary: 'A key policy Resource other than "*".' },
  { id: 'wildcard-principal', severity: 'error', category: 'kms', summary: 'A "*" principal with no condition restricting it to your accounts.' },
  { id: 'cross-account-admin', severity: 'warning', category: 'kms', summary: 'Management rights on a key for principals outside its account.' },
  { id: 'grant-without-aws-resource-condition', severity: 'warning', category: 'kms', summary: 'CreateGrant without kms:GrantIsForAWSResource.' },
  { id: 'lockout-risk', severity: 'warning', category: 'kms', summary: 'A key policy nobody could change again.' },
  { id: 'missing-describe-key', severity: 'info', category: 'kms', summary: 'Key use allowed without kms:DescribeKey.' },
  { id: 'org-condition-invalid', severity: 'error', category: 'kms', summary: 'A malformed organization ID or organization path.' },
  { id: 'request-tag-misuse', severity: 'warning', category: 'kms', summary: 'aws:RequestTag on calls that carry no tags.' },
  { id: 's3-sse-kms-actions', severity: 'warning', category: 'kms', summary: 'S3 access to SSE-KMS objects without the KMS actions it needs.' },
  { id: 'kms-resource-wildcard', severity: 'warning', category: 'kms', summary: 'KMS key actions on every key ("*") in an identity policy.' },
  { id: 'counterpart-identity-policy-missing', severity: 'warning', category: 'workspace', summary: 'A key policy grants an account or role that no IAM policy in the workspace uses.' },
  { id: 'counterpart-key-policy-missing', severity: 'error', category: 'workspace', summary: 'An IAM policy uses a key whose key policy does not allow it.' },
  { id: 'ineffective-action', severity: 'hint', category: 'workspace', summary: 'An IAM policy allows an action the key policy never allows.' },
  { id: 'unknown-key-reference', severity: 'hint', category: 'workspace', summary: 'A key of another account that the workspace does not know.' },
  { id: 'keyshare-json', severity: 'error', category: 'config', summary: 'An entry in keyshare.json that Keyshare cannot use, so it is ignored.' },
];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id);
}
