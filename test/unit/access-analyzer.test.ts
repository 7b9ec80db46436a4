// The rules that follow IAM Access Analyzer's policy checks (IAM User Guide, "IAM policy validation
// check reference", https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html):
// one documented trigger per check, cited by its anchor on that page, and the near misses that
// must stay clean (values a template fills in among them).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { RULES } from '../../server/src/engine';
import type { CheckOptions, Finding } from '../../server/src/engine';
import { checkDocument } from '../../server/src/hosts';
import { applyFix, covered, findings, ofRule, policy, repoRoot, ROOT_STATEMENT } from './helpers';
import { loadGrammarFirst, tf } from './terraform-helpers';

loadGrammarFirst();

const PAGE = 'access-analyzer-reference-policy-checks';
const OWNER = '111122223333';

/** An identity policy statement on S3, with what the case adds. */
const s3 = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-bucket/*', ...extra });
const identity = (...statements: unknown[]) => policy(statements);
const withCondition = (condition: Record<string, unknown>) => identity(s3({ Condition: condition }));
const resources = (action: string, ...values: string[]) => identity({ Effect: 'Allow', Action: action, Resource: values.length === 1 ? values[0] : values });
const keyPolicy = (...statements: unknown[]) => policy([ROOT_STATEMENT, ...statements]);
/** A role trust policy (known as one from its content: principals, sts: actions, no Resource). */
const trust = (...statements: unknown[]) => policy(statements);
const GITHUB_PROVIDER = `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com`;
const EKS_PROVIDER = `arn:aws:iam::${OWNER}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
const SAML_PROVIDER = `arn:aws:iam::${OWNER}:saml-provider/corp`;
const COGNITO_POOL = 'us-east-1:12345678-abcd-abcd-abcd-123456789012';
/** A statement trusting GitHub Actions' OIDC provider, with the conditions the case gives. */
const github = (condition?: Record<string, unknown>) => ({ Effect: 'Allow', Principal: { Federated: GITHUB_PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) });
const GITHUB_AUD = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' };

interface Case {
  /** The issue code and the anchor of its check on the AWS page. */
  code: string;
  anchor: string;
  text: string;
  options?: CheckOptions;
  /** The text the finding covers. */
  at?: string;
  /** What the message on that range says. */
  says?: RegExp;
}

/** One documented trigger per check: the rule that follows it must report there. */
const TRIGGERS: Record<string, Case[]> = {
  'statement-missing': [{ code: 'MISSING_STATEMENT', anchor: 'error-missing-statement', text: JSON.stringify({ Version: '2012-10-17' }), options: { expectPolicy: true }, at: '{' }],
  'sid-empty': [{ code: 'EMPTY_SID_VALUE', anchor: 'suggestion-empty-sid-value', text: identity({ Sid: '', ...s3() }), at: '""' }],
  'principal-empty': [{ code: 'EMPTY_OBJECT_PRINCIPAL', anchor: 'suggestion-empty-object-principal', text: keyPolicy({ Effect: 'Allow', Principal: {}, Action: 'kms:Decrypt', Resource: '*' }), at: '{}' }],
  'condition-empty': [{ code: 'EMPTY_OBJECT_CONDITION', anchor: 'suggestion-empty-object-condition', text: withCondition({}), at: '{}' }],
  'policy-variable-syntax': [
    { code: 'MISSING_BRACE_IN_VARIABLE', anchor: 'error-missing-brace-in-variable', text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/home/${aws:username/*'), at: '"arn:aws:s3:::example-bucket/home/${aws:username/*"' },
    { code: 'UNSUPPORTED_SPACE_IN_VARIABLE', anchor: 'error-unsupported-space-in-variable', text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/home/${aws: username}/*') },
    { code: 'EMPTY_VARIABLE', anchor: 'error-empty-variable', text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/home/${ }/*') },
    // The page's own example, with the default value's quotes left out.
    { code: 'MISSING_QUOTE_IN_VARIABLE', anchor: 'error-missing-quote-in-variable', text: resources('s3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, company-wide}') },
  ],
  'policy-variable-operator': [{ code: 'INVALID_VARIABLE_FOR_OPERATOR', anchor: 'error-invalid-variable-for-operator', text: withCondition({ DateGreaterThan: { 'aws:CurrentTime': '${aws:TokenIssueTime}' } }), at: '"${aws:TokenIssueTime}"' }],
  'principal-invalid': [
    // The page: "The following are supported principal keys: AWS, CanonicalUser, Federated, Service".
    { code: 'INVALID_PRINCIPAL_KEY', anchor: 'error-invalid-principal-key', text: keyPolicy({ Effect: 'Allow', Principal: { AWSS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*' }), at: '"AWSS"', says: /"AWSS" is not a principal type/ },
    { code: 'INVALID_SERVICE_PRINCIPAL_FORMAT', anchor: 'error-invalid-service-principal-format', text: keyPolicy({ Effect: 'Allow', Principal: { Service: 'logs' }, Action: 'kms:Decrypt', Resource: '*' }), at: '"logs"', says: /is not a service principal \(<service>\.amazonaws\.com\)/ },
    // The page: "You also cannot use a wildcard to match part of a name or an ARN."
    { code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', anchor: 'error-unsupported-wildcard-in-principal', text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/*` }, Action: 'kms:Decrypt', Resource: '*' }), at: `"arn:aws:iam::${OWNER}:role/*"`, says: /has a wildcard, .*only "\*" alone/ },
    { code: 'VARIABLE_UNSUPPORTED_IN_ELEMENT', anchor: 'error-variable-unsupported-in-element', text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:user/\${aws:username}` }, Action: 'kms:Decrypt', Resource: '*' }), says: /only in Resource and Condition values, never in Principal/ },
    // The page: "Update the federated principal to a domain name or a SAML metadata ARN": a provider's URL is neither.
    { code: 'INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY', anchor: 'error-invalid-federated-principal-syntax-in-role-trust-policy', text: trust({ Effect: 'Allow', Principal: { Federated: 'https://token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }), at: '"https://token.actions.githubusercontent.com"', says: /is not an identity provider/ },
  ],
  'action-unknown': [{ code: 'VARIABLE_UNSUPPORTED_IN_ELEMENT', anchor: 'error-variable-unsupported-in-element', text: resources('s3:${aws:username}', '*'), at: '"s3:${aws:username}"', says: /holds a policy variable, .*only in Resource and Condition values/ }],
  'policy-version': [
    { code: 'VARIABLE_UNSUPPORTED_IN_VERSION', anchor: 'error-variable-unsupported-in-version', text: policy([s3({ Resource: 'arn:aws:s3:::example-bucket/${aws:username}/*' })], { Version: '2008-10-17' }), at: '"2008-10-17"', says: /not substituted but read as literal text/ },
  ],
  'element-type': [
    // The page: "the Version global condition key requires a String data type. If you provide a date or an integer, the data type won't match."
    { code: 'DATA_TYPE_MISMATCH', anchor: 'error-data-type-mismatch', text: JSON.stringify({ Version: 20121017, Statement: [s3()] }), at: '20121017', says: /Version must be a string/ },
    { code: 'INVALID_CONDITION_DATA_TYPE', anchor: 'error-invalid-condition-data-type', text: withCondition({ StringEquals: { 'aws:SourceAccount': [OWNER, 444455556666] } }), at: '444455556666', says: /mix JSON types \(number beside string\)/ },
  ],
  'condition-operator-unknown': [{ code: 'NULL_WITH_IF_EXISTS', anchor: 'error-null-with-if-exists', text: withCondition({ NullIfExists: { 'aws:TagKeys': 'false' } }), at: '"NullIfExists"', says: /the Null operator takes no IfExists suffix/ }],
  // The page's example: aws:ARN, with aws:PrincipalArn as its replacement.
  'condition-key-unknown': [
    { code: 'DEPRECATED_GLOBAL_CONDITION_KEY', anchor: 'general-warning-deprecated-global-condition-key', text: withCondition({ ArnEquals: { 'aws:ARN': `arn:aws:iam::${OWNER}:role/app` } }), at: '"aws:ARN"', says: /unsupported and deprecated.*aws:PrincipalArn/ },
    { code: 'UNSUPPORTED_GLOBAL_CONDITION_KEY', anchor: 'error-unsupported-global-condition-key', text: withCondition({ ArnEquals: { 'aws:ARN': `arn:aws:iam::${OWNER}:role/app` } }), at: '"aws:ARN"', says: /not a supported global condition key/ },
  ],
  // The page: "AWS KMS ARNs aren't supported in the Resource element for Amazon S3 bucket policies", and the reverse in a key policy.
  'key-policy-resource': [
    { code: 'UNSUPPORTED_RESOURCE_ARN_IN_POLICY', anchor: 'error-unsupported-resource-arn-in-policy', text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: 'arn:aws:s3:::example-bucket' }), at: '"arn:aws:s3:::example-bucket"', says: /is an ARN of service "s3", not a KMS key/ },
  ],
  // The page: "you can't use a SAML principal in an Amazon S3 bucket policy"; nor in a key policy.
  'principal-not-allowed': [
    { code: 'FEDERATED_PRINCIPAL_NOT_SUPPORTED', anchor: 'error-federated-principal-not-supported', text: keyPolicy({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${OWNER}:saml-provider/corp` }, Action: 'kms:Decrypt', Resource: '*' }), at: '"Federated"', says: /only a role trust policy can name a federated identity provider/ },
  ],
  // The page: "AWS Key Management Service actions aren't supported in Amazon S3 bucket policies", and the reverse in a key policy.
  'key-policy-action': [
    { code: 'UNSUPPORTED_ACTION_IN_POLICY', anchor: 'error-unsupported-action-in-policy', text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: ['kms:Decrypt', 's3:GetObject'], Resource: '*' }), options: { kind: 'key-policy' }, at: '"s3:GetObject"', says: /is not a KMS action: a key policy governs only its own key/ },
  ],
  // The page: "If you use the aws:ResourceTag condition key and it's not supported by a service action, then the key is not included in the request context."
  'resource-tag-unsupported': [
    { code: 'DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', anchor: 'security-warning-deny-with-unsupported-tag-condition-key-for-service', text: identity({ Effect: 'Deny', Action: ['ec2:TerminateInstances', 'route53:ChangeResourceRecordSets'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } }), at: '"aws:ResourceTag/env"', says: /Requests to route53 never carry aws:ResourceTag, so this Deny does not deny/ },
    { code: 'DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', anchor: 'security-warning-deny-notaction-with-unsupported-tag-condition-key-for-service', text: identity({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } }), at: '"aws:ResourceTag/env"', says: /Deny with NotAction .* are not denied/ },
    { code: 'ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', anchor: 'suggestion-allow-with-unsupported-tag-condition-key-for-service', text: identity({ Effect: 'Allow', Action: ['sqs:SendMessage', 'route53:ChangeResourceRecordSets'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } }), at: '"aws:ResourceTag/env"', says: /does not allow the actions of that service/ },
    { code: 'ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE', anchor: 'suggestion-allow-notaction-with-unsupported-tag-condition-key-for-service', text: identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } }), at: '"aws:ResourceTag/env"', says: /allows only actions of services that send aws:ResourceTag/ },
  ],
  // The page: "Epoch time might not resolve to the precise time that you expect ... use the W3C standard".
  'condition-value-type': [
    { code: 'INVALID_DATE_VALUE', anchor: 'general-warning-invalid-date-value', text: withCondition({ DateLessThan: { 'aws:CurrentTime': '1893456000' } }), at: '"1893456000"', says: /epoch seconds, which might not resolve .*"2030-01-01T00:00:00Z"/ },
  ],
  'arn-region-unknown': [
    { code: 'INVALID_ARN_REGION', anchor: 'error-invalid-arn-region', text: resources('sqs:SendMessage', `arn:aws:sqs:useast1:${OWNER}:orders`) },
    { code: 'INVALID_REGION', anchor: 'error-invalid-region', text: withCondition({ StringEquals: { 'aws:RequestedRegion': 'EU' } }), at: '"EU"' },
  ],
  'arn-service-case': [{ code: 'INVALID_ARN_SERVICE_CASE', anchor: 'error-invalid-arn-service-case', text: resources('s3:GetObject', 'arn:aws:S3:::example-bucket/*') }],
  'arn-account-invalid': [{ code: 'INVALID_ARN_ACCOUNT', anchor: 'error-invalid-arn-account', text: resources('sqs:SendMessage', 'arn:aws:sqs:us-east-1:12345:orders') }],
  'arn-region-account-not-allowed': [
    // The page: "IAM is a global service. The Region portion of an IAM resource ARN is always kept blank."
    { code: 'ARN_REGION_NOT_ALLOWED', anchor: 'error-arn-region-not-allowed', text: resources('iam:GetRole', `arn:aws:iam:us-east-1:${OWNER}:role/app`) },
    // The page: "Amazon S3 does not support an account ID as a namespace in bucket ARNs."
    { code: 'ARN_ACCOUNT_NOT_ALLOWED', anchor: 'error-arn-account-not-allowed', text: resources('s3:ListBucket', `arn:aws:s3::${OWNER}:example-bucket`) },
  ],
  'arn-account-missing': [
    { code: 'MISSING_ARN_ACCOUNT', anchor: 'error-missing-arn-account', text: resources('sqs:SendMessage', 'arn:aws:sqs:us-east-1::orders'), at: '"arn:aws:sqs:us-east-1::orders"', says: /has no account, but every Amazon SQS ARN has one, so it matches nothing\. .*\(arn:aws:sqs:us-east-1:\*:orders\)/ },
  ],
  'arn-region-missing': [{ code: 'MISSING_ARN_REGION', anchor: 'error-missing-arn-region', text: resources('sqs:SendMessage', `arn:aws:sqs::${OWNER}:orders`) }],
  'condition-vpc-id-format': [
    { code: 'INVALID_VPC_FORMAT', anchor: 'error-invalid-vpc-format', text: withCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-123' } }), at: '"vpc-123"' },
    { code: 'INVALID_VPCE_FORMAT', anchor: 'error-invalid-vpce-format', text: withCondition({ StringEquals: { 'aws:SourceVpce': 'vpc-11223344' } }), at: '"vpc-11223344"' },
  ],
  'condition-binary-value': [{ code: 'TYPE_MISMATCH_STRING', anchor: 'general-warning-type-mismatch-string', text: withCondition({ BinaryEquals: { 'aws:PrincipalTag/checksum': 'not base64!' } }), at: '"not base64!"' }],
  'condition-bool-multiple-values': [{ code: 'INVALID_CONDITION_MULTIPLE_BOOLEAN', anchor: 'error-invalid-condition-multiple-boolean', text: withCondition({ Bool: { 'aws:SecureTransport': ['true', 'false'] } }) }],
  'condition-key-case-duplicate': [{ code: 'DUPLICATE_KEYS_WITH_DIFFERENT_CASE', anchor: 'error-duplicate-keys-with-different-case', text: withCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d', 'aws:SOURCEVPC': 'vpc-5e6f7a8b' } }), at: '"aws:SOURCEVPC"' }],
  // The page: "the aws:MultiFactorAuthPresent global condition key requires a condition operator with the Boolean data type".
  'condition-operator-key-type': [{ code: 'TYPE_MISMATCH', anchor: 'general-warning-type-mismatch', text: withCondition({ StringEquals: { 'aws:MultiFactorAuthPresent': 'true' } }), at: '"aws:MultiFactorAuthPresent"' }],
  'condition-null-with-set-operator': [{ code: 'NULL_WITH_QUALIFIER', anchor: 'suggestion-null-with-qualifier', text: withCondition({ 'ForAnyValue:Null': { 'aws:TagKeys': 'false' } }), at: '"ForAnyValue:Null"' }],
  // The page's example: "NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}.
  'condition-numeric-redundant-values': [{ code: 'REDUNDANT_CONDITION_VALUE_NUM', anchor: 'suggestion-redundant-condition-value-num', text: withCondition({ NumericLessThan: { 'aws:MultiFactorAuthAge': ['2700', '3600'] } }) }],
  // The page's example: aws:VpcSourceIp wants aws:SourceVpc beside it.
  'condition-paired-keys': [{ code: 'MISSING_PAIRED_CONDITION_KEYS', anchor: 'security-warning-missing-paired-condition-keys', text: withCondition({ IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' } }), at: '"aws:VpcSourceIp"' }],
  'source-ip-private': [
    { code: 'PRIVATE_IP_ADDRESS', anchor: 'error-private-ip-address', text: withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.0/16' } }), at: '"10.0.0.0/16"' },
    { code: 'PRIVATE_NOT_IP_ADDRESS', anchor: 'error-private-not-ip-address', text: identity(s3({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': ['192.168.0.0/16', '172.16.0.0/12'] } } })) },
  ],
  'source-ip-private-subset': [
    { code: 'PRIVATE_IP_ADDRESS_SUBSET', anchor: 'suggestion-private-ip-address-subset', text: withCondition({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '10.0.0.0/8'] } }), at: '"10.0.0.0/8"' },
    { code: 'PRIVATE_NOT_IP_ADDRESS_SUBSET', anchor: 'suggestion-private-not-ip-address-subset', text: identity(s3({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', 'fd00::/8'] } } })), at: '"fd00::/8"' },
  ],
  'ip-range-host-bits': [{ code: 'IMPROVE_IP_RANGE', anchor: 'suggestion-improve-ip-range', text: withCondition({ IpAddress: { 'aws:SourceIp': '203.0.113.10/24' } }), at: '"203.0.113.10/24"' }],
  // The page: "you can't use the aws:PrincipalOrgID condition key with the service principal cloudfront.amazonaws.com".
  'service-principal-condition-key': [
    {
      code: 'UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL',
      anchor: 'error-unsupported-condition-key-for-service-principal',
      text: policy([{ Sid: 'CloudFront', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }]),
      options: { kind: 'resource-policy' },
      at: '"aws:PrincipalOrgID"',
    },
  ],
  // The page: "You should use the aws:SourceAccount or aws:SourceArn condition keys when granting access to service principals instead of other condition keys, such as aws:Referer".
  'service-principal-untrusted-key': [
    {
      code: 'RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL',
      anchor: 'suggestion-recommended-condition-key-for-service-principal',
      text: keyPolicy({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringLike: { 'aws:Referer': 'https://www.example.com/*' } } }),
      at: '"aws:Referer"',
      says: /^To restrict cloudfront\.amazonaws\.com acting on your behalf, use aws:SourceArn or aws:SourceAccount instead of aws:Referer/,
    },
  ],
  'passrole-wildcard': [
    { code: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', anchor: 'security-warning-pass-role-with-star-in-resource', text: resources('iam:PassRole', '*'), at: '"*"' },
    { code: 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE', anchor: 'security-warning-pass-role-with-star-in-action-and-resource', text: resources('iam:*', 'arn:aws:iam::*:role/*'), at: '"arn:aws:iam::*:role/*"' },
    { code: 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION', anchor: 'security-warning-pass-role-with-star-in-resource-and-not-action', text: identity({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), at: '"*"' },
    { code: 'PASS_ROLE_WITH_NOT_RESOURCE', anchor: 'security-warning-pass-role-with-not-resource', text: identity({ Effect: 'Allow', Action: 'iam:PassRole', NotResource: `arn:aws:iam::${OWNER}:role/admin` }), at: '"NotResource"' },
    { code: 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE', anchor: 'security-warning-pass-role-with-star-in-action-and-not-resource', text: identity({ Effect: 'Allow', Action: 'iam:Pass*', NotResource: `arn:aws:iam::${OWNER}:role/admin` }), at: '"NotResource"' },
    { code: 'PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE', anchor: 'security-warning-pass-role-with-not-action-and-not-resource', text: identity({ Effect: 'Allow', NotAction: 's3:*', NotResource: `arn:aws:iam::${OWNER}:role/admin` }), at: '"NotResource"' },
  ],
  // The page: "This allows creating a service-linked role when you specify "Action": "*", "Action": "iam:*", or "Action": "iam:Create*"".
  'create-slr-wildcard': [
    { code: 'CREATE_SLR_WITH_STAR_IN_RESOURCE', anchor: 'general-warning-create-slr-with-star-in-resource', text: resources('iam:CreateServiceLinkedRole', '*'), at: '"*"', says: /allows iam:CreateServiceLinkedRole on "\*": .*any AWS service/ },
    { code: 'CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE', anchor: 'general-warning-create-slr-with-star-in-action-and-resource', text: resources('iam:Create*', 'arn:aws:iam::*:role/aws-service-role/*'), at: '"arn:aws:iam::*:role/aws-service-role/*"', says: /through a wildcard action/ },
    { code: 'CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION', anchor: 'general-warning-create-slr-with-star-in-resource-and-not-action', text: identity({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }), at: '"*"', says: /NotAction does not exclude it/ },
    { code: 'CREATE_SLR_WITH_NOT_RESOURCE', anchor: 'general-warning-create-slr-with-not-resource', text: identity({ Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', NotResource: `arn:aws:iam::${OWNER}:role/aws-service-role/ecs.amazonaws.com/*` }), at: '"NotResource"', says: /every resource except those in NotResource/ },
    { code: 'CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE', anchor: 'general-warning-create-slr-with-star-in-action-and-not-resource', text: identity({ Effect: 'Allow', Action: 'iam:*', NotResource: `arn:aws:iam::${OWNER}:role/admin` }), at: '"NotResource"' },
    { code: 'CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE', anchor: 'general-warning-create-slr-with-not-action-and-not-resource', text: identity({ Effect: 'Allow', NotAction: 's3:*', NotResource: `arn:aws:iam::${OWNER}:role/admin` }), at: '"NotResource"' },
  ],
  // The page: "Make sure that the condition key in the Condition element of the policy statement applies to every action in the Action element";
  // and "The condition key ... is not evaluated unless the specified action is in the Action element".
  'condition-key-action-unsupported': [
    {
      code: 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
      anchor: 'error-unsupported-action-for-condition-key',
      text: identity(s3({ Action: ['s3:PutObject', 's3:GetObject'], Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } })),
      at: '"s3:x-amz-server-side-encryption"',
      says: /^s3:GetObject does not support s3:x-amz-server-side-encryption: the condition is never true for it, so this statement never allows it\. Move it to a statement without this condition key\.$/,
    },
    {
      code: 'MISSING_ACTION_FOR_CONDITION_KEY',
      anchor: 'error-missing-action-for-condition-key',
      text: identity({ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }),
      at: '"iam:PassedToService"',
      says: /No action of this statement \(iam:GetRole\) supports iam:PassedToService, so the condition is never true.*iam:PassRole is the action whose requests carry it: add it/,
    },
  ],
  // The same checks for KMS's own keys, and the key-policy case of "Some condition keys aren't relevant for resource-based policies".
  'condition-never-matches': [
    {
      code: 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
      anchor: 'error-unsupported-action-for-condition-key',
      text: identity({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
      at: '"kms:GrantIsForAWSResource"',
      says: /is in CreateGrant requests here, never in Decrypt requests: for those this condition is never true/,
    },
    {
      code: 'MISSING_ACTION_FOR_CONDITION_KEY',
      anchor: 'error-missing-action-for-condition-key',
      text: identity({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
      at: '"kms:GrantIsForAWSResource"',
      says: /a kms:Decrypt request never carries .*This statement never grants anything/,
    },
    {
      code: 'IRRELEVANT_CONDITION_KEY_IN_POLICY',
      anchor: 'suggestion-irrelevant-condition-key-in-policy',
      text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ResourceAliases': 'alias/data' } } }),
      at: '"kms:ResourceAliases"',
      says: /KMS supports this key in IAM policies only; in a key policy it is never in the request/,
    },
  ],
  // S3 sets s3:x-amz-server-side-encryption-aws-kms-key-id to the key ARN; an alias never equals it.
  's3-kms-key-id-value': [
    {
      code: 'INVALID_KMS_KEY_VALUE',
      anchor: 'error-invalid-kms-key-value',
      text: identity({ Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'alias/data' } } }),
      at: '"alias/data"',
      says: /holds the ARN of the key S3 encrypts with, never an alias: "alias\/data" never matches it, so this condition is true for every request\. Use the key ARN/,
    },
  ],
  // The page's examples: iam:GetCredentialReport beside iam:Get*; role/jane-admin beside role/jane*.
  'action-redundant': [{ code: 'REDUNDANT_ACTION', anchor: 'suggestion-redundant-action', text: resources('iam:GetRole', '*').replace('"iam:GetRole"', '["iam:Get*", "iam:List*", "iam:GetCredentialReport"]'), at: '"iam:GetCredentialReport"' }],
  'resource-redundant': [
    {
      code: 'REDUNDANT_RESOURCE',
      anchor: 'suggestion-redundant-resource',
      text: resources('iam:GetRole', `arn:aws:iam::${OWNER}:role/jane-admin`, `arn:aws:iam::${OWNER}:role/jane-s3only`, `arn:aws:iam::${OWNER}:role/jane*`),
      at: `"arn:aws:iam::${OWNER}:role/jane-admin"`,
    },
  ],
  'statement-redundant': [{ code: 'REDUNDANT_STATEMENT', anchor: 'suggestion-redundant-statement', text: identity({ Sid: 'One', ...s3() }, { Sid: 'Two', ...s3() }), at: '"Sid": "Two"' }],
  // The page's example: "Resource": "arn:aws:*code*::111122223333:*".
  'service-name-wildcard': [{ code: 'WILDCARD_IN_SERVICE_NAME', anchor: 'suggestion-wildcard-in-service-name', text: resources('codecommit:GetRepository', `arn:aws:*code*::${OWNER}:*`), at: `"arn:aws:*code*::${OWNER}:*"` }],
  // The page: "Using ForAnyValue qualifier with the single-valued condition key {{key}} can be overly permissive", for audience keys.
  'condition-set-operator': [
    {
      code: 'FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE',
      anchor: 'security-warning-foranyvalue-with-audience-claim-type',
      text: trust(github({ 'ForAnyValue:StringEquals': GITHUB_AUD, StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main' } })),
      at: '"token.actions.githubusercontent.com:aud"',
      says: /^token\.actions\.githubusercontent\.com:aud is single-valued: use StringEquals without ForAnyValue:/,
    },
  ],
  // The page: "The characters in the role trust policy, excluding whitespace, exceed the character maximum"; IAM's default quota is 2,048.
  'policy-size': [
    {
      code: 'POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA',
      anchor: 'general-warning-policy-size-exceeds-role-trust-policy-quota',
      text: trust(...Array.from({ length: 30 }, (_, i) => ({ Sid: `Team${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/deployment-team-${i}` }, Action: 'sts:AssumeRole' }))),
      says: /^This role trust policy has \d+ characters without whitespace; IAM accepts 2,048 unless the account's "Role trust policy length" quota was raised/,
    },
  ],
  'assume-action-mismatch': [
    // A real ValidatePolicy answer: a Cognito identity pool trusted with sts:AssumeRole is an ERROR on Action[0].
    {
      code: 'MISMATCHED_ACTION_FOR_PRINCIPAL',
      anchor: 'error-mismatched-action-for-principal',
      text: trust({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': COGNITO_POOL } } }),
      at: '"sts:AssumeRole"',
      says: /^sts:AssumeRole is never called by this statement's principals: cognito-identity\.amazonaws\.com is an OIDC \(web identity\) provider, whose users call sts:AssumeRoleWithWebIdentity\..*Use sts:AssumeRoleWithWebIdentity\.$/,
    },
    // The page: "you can't use a SAML provider principal with the sts:AssumeRoleWithWebIdentity action".
    { code: 'MISMATCHED_ACTION_FOR_PRINCIPAL', anchor: 'error-mismatched-action-for-principal', text: trust({ Effect: 'Allow', Principal: { Federated: SAML_PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity' }), at: '"sts:AssumeRoleWithWebIdentity"', says: /is a SAML provider, whose users call sts:AssumeRoleWithSAML\..*Use sts:AssumeRoleWithSAML\./ },
    // "Ensure the provider is Federated": a web identity provider written as a service.
    { code: 'MISMATCHED_ACTION_FOR_PRINCIPAL', anchor: 'error-mismatched-action-for-principal', text: trust({ Effect: 'Allow', Principal: { Service: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }), at: '"sts:AssumeRoleWithWebIdentity"', says: /is an AWS service, which calls sts:AssumeRole\..*name it under "Federated"/ },
    // An account with the SAML operation.
    { code: 'MISMATCHED_ACTION_FOR_PRINCIPAL', anchor: 'error-mismatched-action-for-principal', text: trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'] }), at: '"sts:AssumeRoleWithSAML"', says: /is an AWS account or IAM principal, which calls sts:AssumeRole\./ },
  ],
  // The page: "The IAM Roles Anywhere service principal requires the sts:AssumeRole, sts:SetSourceIdentity, and sts:TagSession permissions".
  'roles-anywhere-actions': [
    {
      code: 'MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY',
      anchor: 'error-missing-action-for-roles-anywhere-trust-policy',
      text: trust({ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
      at: '"rolesanywhere.amazonaws.com"',
      says: /This one does not allow sts:SetSourceIdentity, so Roles Anywhere cannot issue credentials for this role/,
    },
  ],
  'trust-policy-element': [
    { code: 'ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL', anchor: 'error-role-trust-policy-syntax-error-notprincipal', text: trust({ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:role/admin` }, Action: 'sts:AssumeRole' }), at: '"NotPrincipal"', says: /takes no NotPrincipal: IAM rejects the policy/ },
    { code: 'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE', anchor: 'error-role-trust-policy-syntax-error-resource', text: trust({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }), options: { kind: 'trust-policy' }, at: '"Resource"', says: /takes no Resource, and IAM rejects the policy/ },
    // "Principal": "*" in a trust policy (a Deny among them): {"AWS": "*"} is the accepted spelling.
    { code: 'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL', anchor: 'error-role-trust-policy-unsupported-wildcard-in-principal', text: trust({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }), at: '"*"', says: /IAM rejects "Principal": "\*" in a role trust policy/ },
  ],
  'oidc-trust-condition': [
    { code: 'MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL', anchor: 'security-warning-missing-condition-key-for-oidc-principal', text: trust({ Effect: 'Allow', Principal: { Federated: EKS_PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity' }), at: `"${EKS_PROVIDER}"`, says: /lets anyone with a token from oidc\.eks\.us-east-1\.amazonaws\.com\/id\/EXAMPLED539D4633E53DE1B71EXAMPLE assume the role: no condition tests the provider's claims/ },
    // A condition on the audience alone still lets every repository's workflows in.
    { code: 'MISSING_GITHUB_REPO_CONDITION_KEY', anchor: 'security-warning-missing-github-repo-condition-key', text: trust(github({ StringEquals: GITHUB_AUD })), at: `"${GITHUB_PROVIDER}"`, says: /GitHub Actions workflows of any repository.*no token\.actions\.githubusercontent\.com:sub condition/ },
    { code: 'SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED', anchor: 'general-warning-specific-github-repo-and-branch-recommended', text: trust(github({ StringEquals: GITHUB_AUD, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' } })), at: '"repo:octo-org/octo-repo:*"', says: /matches every branch, tag, pull request and environment of the repository/ },
    { code: 'SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED', anchor: 'general-warning-specific-github-repo-and-branch-recommended', text: trust(github({ StringEquals: GITHUB_AUD, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } })), at: '"repo:*"', says: /repositories of any owner/ },
  ],
};

/** Near misses: each must be clean of its rule. */
const CLEAN: Record<string, { text: string; options?: CheckOptions }[]> = {
  'statement-missing': [{ text: identity(s3()) }, { text: JSON.stringify(s3()), options: { expectPolicy: true } }],
  'sid-empty': [{ text: identity({ Sid: 'ReadReports', ...s3() }) }, { text: identity(s3()) }],
  'principal-empty': [{ text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*' }) }],
  'condition-empty': [{ text: withCondition({ Bool: { 'aws:SecureTransport': 'true' } }) }, { text: identity(s3()) }],
  'policy-variable-syntax': [
    { text: resources('s3:ListBucket', "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}") },
    { text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/home/${aws:username}/*', 'arn:aws:s3:::example-bucket/${*}literal-star') },
    // A template's placeholders are the template's business, not IAM's.
    { text: resources('s3:GetObject', 'arn:aws:s3:::${bucket_name}/*', 'arn:${AWS::Partition}:s3:::example-bucket/*') },
  ],
  'policy-variable-operator': [{ text: withCondition({ StringEquals: { 's3:prefix': 'home/${aws:username}/' } }) }, { text: withCondition({ ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${OWNER}:\${aws:username}` } }) }],
  'principal-invalid': [
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: ['*', OWNER, `arn:aws:iam::${OWNER}:role/app`], Service: 'logs.us-east-1.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }) },
    // The federated principals of a role trust policy: provider ARNs, and the web identity providers named by host.
    { text: trust({ Effect: 'Allow', Principal: { Federated: [SAML_PROVIDER, GITHUB_PROVIDER, 'cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com'] }, Action: ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'] }) },
    // Role names are matched in a condition, where wildcards and variables belong.
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/\${aws:username}-*` } } }) },
  ],
  'action-unknown': [{ text: resources('s3:Get*', 'arn:aws:s3:::example-bucket/${aws:username}/*') }],
  'policy-version': [{ text: policy([s3({ Resource: 'arn:aws:s3:::example-bucket/${aws:username}/*' })]) }],
  'element-type': [
    { text: withCondition({ StringEquals: { 'aws:SourceAccount': [OWNER, '444455556666'] }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 }, Bool: { 'aws:SecureTransport': true } }) },
  ],
  'condition-operator-unknown': [{ text: withCondition({ Null: { 'aws:TagKeys': 'false' }, StringEqualsIfExists: { 'aws:RequestTag/team': 'a' } }) }],
  'condition-key-unknown': [
    { text: withCondition({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/app`, 'aws:SourceArn': `arn:aws:sns:us-east-1:${OWNER}:topic` } }) },
    // The Service Authorization Reference lists `secretsmanager:ResourceTag/tag-key`: `tag-key` stands for any tag key.
    { text: identity({ Effect: 'Allow', Action: 'secretsmanager:DeleteSecret', Resource: '*', Condition: { StringEquals: { 'secretsmanager:ResourceTag/managed-by': 'terraform', 'secretsmanager:ResourceTag/team/app': 'a' } } }) },
  ],
  'key-policy-resource': [{ text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*' }) }],
  'principal-not-allowed': [
    { text: policy([{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${OWNER}:saml-provider/corp` }, Action: 'sts:AssumeRoleWithSAML' }]), options: { kind: 'trust-policy' } },
    // Taken for a resource policy, a trust policy's statement (no Resource, an sts: action) is still not judged as one.
    { text: policy([{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }]), options: { kind: 'resource-policy' } },
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*' }) },
  ],
  'key-policy-action': [
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: ['KMS:Decrypt', 'kms:*', '*'], Resource: '*' }), options: { kind: 'key-policy' } },
    { text: keyPolicy({ Effect: 'Deny', Principal: { AWS: '*' }, NotAction: ['kms:Decrypt', 's3:GetObject'], Resource: '*' }), options: { kind: 'key-policy' } },
    { text: identity(s3()) },
  ],
  'resource-tag-unsupported': [
    { text: identity({ Effect: 'Deny', Action: ['ec2:TerminateInstances', 'sqs:DeleteQueue', 'kms:ScheduleKeyDeletion', 's3:DeleteBucket'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } }) },
    // A negated operator or IfExists is true when the key is missing: the statement then applies, as written.
    { text: identity({ Effect: 'Deny', Action: 'route53:ChangeResourceRecordSets', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/env': 'dev' }, StringEqualsIfExists: { 'aws:ResourceTag/team': 'a' } } }) },
    { text: identity({ Effect: 'Allow', Action: ['*', 'route*:Get*'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } }) },
  ],
  'condition-value-type': [{ text: withCondition({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, DateGreaterThan: { 'aws:TokenIssueTime': '2026-01-01' } }) }],
  'arn-region-unknown': [
    { text: resources('sqs:SendMessage', `arn:aws:sqs:us-east-1:${OWNER}:orders`, `arn:aws:sqs:*:${OWNER}:orders`, `arn:aws:sqs:eu-*:${OWNER}:orders`, `arn:aws-cn:sqs:cn-north-1:${OWNER}:orders`) },
    { text: withCondition({ StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'ap-southeast-6', 'us-gov-west-1'] } }) },
    // Null compares true or false, not a Region.
    { text: withCondition({ Null: { 'aws:RequestedRegion': 'false' } }) },
  ],
  'arn-service-case': [{ text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/*') }, { text: identity({ Effect: 'Allow', Action: 'S3:GetObject', Resource: 'arn:aws:s3:::example-bucket/*' }) }],
  'arn-account-invalid': [
    { text: resources('iam:GetPolicy', 'arn:aws:iam::aws:policy/ReadOnlyAccess', `arn:aws:iam::${OWNER}:policy/app`, 'arn:aws:iam::*:policy/app', 'arn:aws:iam::${aws:PrincipalAccount}:policy/app') },
    { text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/*') },
  ],
  'arn-region-account-not-allowed': [
    { text: resources('iam:GetRole', `arn:aws:iam::${OWNER}:role/app`, `arn:aws:iam:*:${OWNER}:role/other`) },
    // S3 access points have a Region and an account; buckets have neither.
    { text: resources('s3:GetObject', `arn:aws:s3:us-east-1:${OWNER}:accesspoint/reports/object/*`, 'arn:aws:s3:::example-bucket/*', `arn:aws:s3::${OWNER}:accesspoint/mfzwi23gnjvgw.mrap`) },
  ],
  'arn-region-missing': [
    { text: resources('sqs:SendMessage', `arn:aws:sqs:*:${OWNER}:orders`) },
    // Some of these services' ARNs have no Region.
    { text: resources('dynamodb:DescribeGlobalTable', `arn:aws:dynamodb::${OWNER}:global-table/orders`) },
    { text: resources('ec2:DescribeImages', 'arn:aws:ec2:us-east-1::image/*', `arn:aws:ec2::${OWNER}:ipam-pool/*`) },
  ],
  'condition-vpc-id-format': [
    { text: withCondition({ StringEquals: { 'aws:SourceVpc': ['vpc-1a2b3c4d', 'vpc-11223344556677889'], 'aws:SourceVpce': 'vpce-1a2b3c4d' } }) },
    { text: withCondition({ StringLike: { 'aws:SourceVpce': 'vpce-*' } }) },
  ],
  'condition-binary-value': [{ text: withCondition({ BinaryEquals: { 'aws:PrincipalTag/checksum': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }) }],
  'condition-bool-multiple-values': [{ text: withCondition({ Bool: { 'aws:SecureTransport': 'true' } }) }, { text: withCondition({ Bool: { 'aws:SecureTransport': ['true'] } }) }],
  'condition-key-case-duplicate': [
    { text: withCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d' }, StringNotEquals: { 'aws:sourcevpc': 'vpc-5e6f7a8b' } }) },
  ],
  'condition-operator-key-type': [
    { text: withCondition({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }) },
    // ARN keys take String operators, ARN operators compare ARN-valued String keys, aws:EpochTime takes Numeric operators, Null takes any key.
    { text: withCondition({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/*` }, NumericGreaterThan: { 'aws:EpochTime': '1767225600' }, Null: { 'aws:MultiFactorAuthAge': 'false' } }) },
    { text: withCondition({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${OWNER}:log-group:*` } }) },
    // The KMS guide's kms:ValidTo example: NumericLessThanEquals on a timestamp in seconds.
    { text: policy([ROOT_STATEMENT, { Sid: 'Import', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/importer` }, Action: 'kms:ImportKeyMaterial', Resource: '*', Condition: { NumericLessThanEquals: { 'kms:ValidTo': '1546257599.0' } } }]) },
  ],
  'condition-null-with-set-operator': [{ text: withCondition({ Null: { 'aws:TagKeys': 'false' } }) }],
  'condition-numeric-redundant-values': [{ text: withCondition({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }) }, { text: withCondition({ NumericEquals: { 'aws:MultiFactorAuthAge': ['0', '3600'] } }) }],
  'condition-paired-keys': [
    { text: withCondition({ IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' }, StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d' } }) },
    { text: withCondition({ IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' }, StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }) },
    // A Deny that lets through only that range narrows nothing an Allow grants.
    { text: identity(s3({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' } } })) },
  ],
  'source-ip-private': [
    { text: withCondition({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '10.0.0.0/8'] } }) },
    // A range wider than a private block is not private; aws:VpcSourceIp takes private ranges.
    { text: withCondition({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }) },
    { text: withCondition({ IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' }, StringEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d' } }) },
  ],
  'source-ip-private-subset': [{ text: withCondition({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7'] } }) }],
  'ip-range-host-bits': [{ text: withCondition({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7', '2001:db8::/32', '2001:db8::7'] } }) }],
  'service-principal-condition-key': [
    { text: policy([{ Sid: 'CloudFront', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } } }]), options: { kind: 'resource-policy' } },
    // A statement for an IAM principal may test the caller's organization.
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }) },
  ],
  'passrole-wildcard': [
    { text: resources('iam:PassRole', `arn:aws:iam::${OWNER}:role/app-ecs-task`) },
    { text: identity({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } }) },
    { text: identity({ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }) },
    { text: resources('s3:*', '*') },
  ],
  'create-slr-wildcard': [
    // One service's roles, a condition naming the services, a Deny, and NotAction that excludes the action.
    { text: resources('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/*') },
    { text: identity({ Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': 'access-analyzer.amazonaws.com' } } }) },
    { text: identity({ Effect: 'Deny', Action: 'iam:CreateServiceLinkedRole', Resource: '*' }) },
    { text: identity({ Effect: 'Allow', NotAction: ['iam:*', 's3:*'], Resource: '*' }) },
    { text: resources('iam:PassRole', '*') },
  ],
  'action-redundant': [
    // iam:*CredentialReport also matches iam:GenerateCredentialReport, which iam:Get* does not (the page's own near miss).
    { text: resources('iam:GetRole', '*').replace('"iam:GetRole"', '["iam:Get*", "iam:List*", "iam:*CredentialReport"]') },
    { text: resources('s3:GetObject', '*').replace('"s3:GetObject"', '["s3:GetObject", "s3:PutObject", "sqs:GetQueueUrl"]') },
  ],
  'resource-redundant': [
    { text: resources('iam:GetRole', `arn:aws:iam::${OWNER}:role/jane-admin`, `arn:aws:iam::${OWNER}:role/jane-s3only`) },
    { text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/a?c', 'arn:aws:s3:::example-bucket/ab*') },
  ],
  'statement-redundant': [{ text: identity({ Sid: 'One', ...s3() }, { Sid: 'Two', ...s3({ Action: 's3:PutObject' }) }) }],
  'arn-account-missing': [
    { text: resources('sqs:SendMessage', `arn:aws:sqs:us-east-1:${OWNER}:orders`, 'arn:aws:sqs:us-east-1:*:orders', 'arn:aws:sqs:*:*:*') },
    // Services with account-less ARNs: S3 buckets, EC2's public images, Route 53; KMS ARNs are arn-invalid's.
    { text: resources('s3:GetObject', 'arn:aws:s3:::example-bucket/*') },
    { text: resources('ec2:RunInstances', 'arn:aws:ec2:us-east-1::image/ami-12345678') },
    { text: resources('route53:GetHostedZone', 'arn:aws:route53:::hostedzone/Z111111QQQQQQQ') },
    { text: resources('kms:Decrypt', 'arn:aws:kms:us-east-1::key/1234abcd-12ab-34cd-56ef-1234567890ab') },
    { text: resources('iam:GetPolicy', 'arn:aws:iam::aws:policy/ReadOnlyAccess') },
  ],
  'service-principal-untrusted-key': [
    { text: keyPolicy({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudfront::${OWNER}:distribution/EDFDVBD6EXAMPLE` } } }) },
    // Not a service: the caller's own keys are the caller's business; a Null test, or a Deny, restricts nothing it trusts.
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringLike: { 'aws:UserAgent': 'aws-cli/*' } } }) },
    { text: keyPolicy({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': OWNER }, Null: { 'aws:Referer': 'true' } } }) },
    { text: keyPolicy({ Effect: 'Deny', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotLike: { 'aws:Referer': 'https://www.example.com/*' } } }) },
  ],
  'condition-never-matches': [
    { text: identity({ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }) },
    { text: identity({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ResourceAliases': 'alias/data' } } }) },
  ],
  's3-kms-key-id-value': [
    { text: identity({ Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } } }) },
    { text: identity({ Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringNotLike: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:*:111122223333:key/*' } } }) },
    // An alias under another key is kms:RequestAlias's business, and right there.
    { text: identity({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/data' } } }) },
  ],
  'condition-key-action-unsupported': [
    { text: identity({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }) },
    // As Access Analyzer does: actions with wildcards, "*" and NotAction are not judged; global keys are AWS's.
    { text: identity(s3({ Action: ['s3:Get*', 's3:PutObject'], Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } })) },
    { text: identity(s3({ Action: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } })) },
    { text: identity({ Effect: 'Deny', NotAction: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }) },
    { text: withCondition({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, Bool: { 'aws:SecureTransport': 'true' } }) },
    // Keys with a variable part, and the keys of an action's resource types.
    { text: identity(s3({ Action: ['s3:PutObject', 's3:PutObjectTagging'], Condition: { StringEquals: { 's3:RequestObjectTag/team': 'a' } } })) },
    { text: identity(s3({ Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'a', 's3:BucketTag/env': 'prod' } } })) },
    // KMS's own keys, and other services' keys in a key policy, are condition-never-matches's.
    { text: identity({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'backup' } } }) },
    { text: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/app` }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }) },
  ],
  'service-name-wildcard': [{ text: resources('codecommit:GetRepository', `arn:aws:codecommit:us-east-1:${OWNER}:*`) }, { text: resources('s3:GetObject', '*').replace('"s3:GetObject"', '"*"') }],
  'condition-set-operator': [
    { text: trust(github({ StringEquals: { ...GITHUB_AUD, 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main' } })) },
    // A multi-valued key with ForAnyValue.
    { text: withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }) },
  ],
  'policy-size': [
    // Whitespace does not count: indented, this one is longer than 2,048 characters, not without it.
    { text: JSON.stringify(JSON.parse(trust(...Array.from({ length: 15 }, (_, i) => ({ Sid: `Team${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/deployment-team-${i}` }, Action: 'sts:AssumeRole' })))), null, 8) },
  ],
  'assume-action-mismatch': [
    // Each kind of principal with its own action, and the actions that go with them.
    { text: trust({ Effect: 'Allow', Principal: { Federated: SAML_PROVIDER }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'], Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } }) },
    { text: trust(github({ StringEquals: { ...GITHUB_AUD, 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main' } })) },
    { text: trust({ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }) },
    { text: trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::444455556666:root` }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }) },
    // Two kinds in one statement, each with its action; wildcards and NotAction are not judged.
    { text: trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root`, Federated: SAML_PROVIDER }, Action: ['sts:AssumeRole', 'sts:AssumeRoleWithSAML'] }) },
    { text: trust({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: ['sts:AssumeRole*'], Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': COGNITO_POOL } } }) },
    // A provider a template fills in (a .json.tpl placeholder) may be any kind: never judged.
    { text: trust({ Effect: 'Allow', Principal: { Federated: '${oidc_provider_arn}' }, Action: 'sts:AssumeRole' }) },
  ],
  'roles-anywhere-actions': [
    { text: trust({ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] }) },
    { text: trust({ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:*' }) },
    // Split over two statements: together they allow all three.
    { text: trust({ Sid: 'Assume', Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Sid: 'Session', Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: ['sts:SetSourceIdentity', 'sts:TagSession'] }) },
    { text: trust({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
  ],
  'trust-policy-element': [
    { text: trust({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }) },
    { text: trust({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), options: { kind: 'trust-policy' } },
    // NotPrincipal and Resource are a resource policy's to have.
    { text: policy([{ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:*', Resource: 'arn:aws:s3:::example-bucket/*' }]), options: { kind: 'resource-policy' } },
  ],
  'oidc-trust-condition': [
    { text: trust(github({ StringEquals: { ...GITHUB_AUD, 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:environment:prod' } })) },
    // A wildcard after the repository, with the branch named in :ref, as the page says.
    { text: trust(github({ StringEquals: { ...GITHUB_AUD, 'token.actions.githubusercontent.com:ref': 'refs/heads/main' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' } })) },
    { text: trust({ Effect: 'Allow', Principal: { Federated: EKS_PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:default:app', 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com' } } }) },
    { text: trust({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': COGNITO_POOL } } }) },
    // A Deny narrows; a SAML provider is not an OIDC one; a provider a template fills in, under conditions, is not judged.
    { text: trust(github({ StringEquals: { ...GITHUB_AUD, 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main' } }), { Effect: 'Deny', Principal: { Federated: GITHUB_PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity' }) },
    { text: trust({ Effect: 'Allow', Principal: { Federated: SAML_PROVIDER }, Action: 'sts:AssumeRoleWithSAML' }) },
    { text: trust({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${OWNER}:oidc-provider/\${oidc_host}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { '${oidc_host}:sub': 'system:serviceaccount:default:app' } } }) },
  ],
};

for (const [rule, cases] of Object.entries(TRIGGERS)) {
  test(`${rule}: each check it follows triggers it (${cases.map((c) => c.code).join(', ')})`, () => {
    const page = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule}.md`), 'utf8');
    const meta = RULES.find((r) => r.id === rule);
    for (const c of cases) {
      // The rule's metadata and its page name the code, and the page links the check's anchor.
      assert.ok(meta?.awsChecks?.includes(c.code), `${rule} meta.awsChecks names ${c.code}`);
      assert.match(page, new RegExp(`awsChecks: .*\\b${c.code}\\b`), `${rule}.md names ${c.code}`);
      assert.ok(page.includes(`#${PAGE}-${c.anchor}`), `${rule}.md links #${PAGE}-${c.anchor}`);
      const hits = ofRule(findings(c.text, c.options), rule);
      assert.ok(hits.length > 0, `${c.code}: expected ${rule} on\n${c.text}`);
      if (c.at) assert.ok(hits.some((h) => covered(c.text, h) === c.at), `${c.code}: expected a finding on ${c.at}, got ${hits.map((h) => covered(c.text, h)).join(' | ')}`);
      if (c.says) assert.ok(hits.some((h) => (!c.at || covered(c.text, h) === c.at) && c.says!.test(h.message)), `${c.code}: expected a message matching ${c.says}, got ${hits.map((h) => h.message).join(' | ')}`);
    }
  });
  test(`${rule}: its near misses are clean`, () => {
    const clean = CLEAN[rule];
    assert.ok(clean && clean.length > 0, 'at least one clean case');
    for (const c of clean) assert.deepEqual(ofRule(findings(c.text, c.options), rule).map((f) => f.message), [], c.text);
  });
}

test('the severities follow the finding types: ERROR is error, SECURITY_WARNING and WARNING warning, SUGGESTION info', () => {
  const expected: Record<string, string> = {
    'statement-missing': 'error', 'policy-variable-syntax': 'error', 'policy-variable-operator': 'error', 'arn-region-unknown': 'error', 'arn-service-case': 'error',
    'arn-account-invalid': 'error', 'arn-region-account-not-allowed': 'error', 'arn-region-missing': 'error', 'arn-account-missing': 'error', 'condition-vpc-id-format': 'error',
    'condition-bool-multiple-values': 'error', 'condition-key-case-duplicate': 'error', 'principal-invalid': 'error', 'action-unknown': 'error', 'policy-version': 'error',
    'element-type': 'error', 'condition-operator-unknown': 'error', 'condition-key-unknown': 'error', 'key-policy-resource': 'error',
    'principal-not-allowed': 'error', 'key-policy-action': 'error', 'condition-key-action-unsupported': 'error',
    // A key the statement's actions never carry (the catalog): Access Analyzer's ERROR. Values of a shape the key never has stay warnings (the rule's page).
    'condition-never-matches': 'error', 's3-kms-key-id-value': 'error', 'resource-tag-unsupported': 'warning',
    // Epoch seconds are valid under Date operators, so Access Analyzer's WARNING ("might not resolve as expected") is info here.
    'condition-value-type': 'info', 'source-ip-private': 'error', 'service-principal-condition-key': 'error', 'service-principal-untrusted-key': 'info',
    'passrole-wildcard': 'warning', 'create-slr-wildcard': 'warning', 'condition-paired-keys': 'warning', 'condition-binary-value': 'warning', 'condition-operator-key-type': 'warning',
    'sid-empty': 'info', 'principal-empty': 'info', 'condition-empty': 'info', 'condition-null-with-set-operator': 'info', 'condition-numeric-redundant-values': 'info',
    'source-ip-private-subset': 'info', 'ip-range-host-bits': 'info', 'action-redundant': 'info', 'resource-redundant': 'info', 'statement-redundant': 'info', 'service-name-wildcard': 'info',
    'assume-action-mismatch': 'error', 'roles-anywhere-actions': 'error', 'trust-policy-element': 'error', 'policy-size': 'warning', 'condition-set-operator': 'warning',
    // Both SECURITY_WARNINGs and the GitHub (general) WARNING.
    'oidc-trust-condition': 'warning',
  };
  assert.deepEqual(Object.keys(expected).sort(), Object.keys(TRIGGERS).sort());
  for (const [rule, severity] of Object.entries(expected)) {
    const c = TRIGGERS[rule][0];
    for (const hit of ofRule(findings(c.text, c.options), rule)) assert.equal(hit.severity, severity, rule);
  }
});

test('resource-tag-unsupported: an Allow is a suggestion (info), a Deny a security warning (warning)', () => {
  const severities = (effect: string) => ofRule(findings(identity({ Effect: effect, Action: 'route53:ChangeResourceRecordSets', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } })), 'resource-tag-unsupported').map((f) => f.severity);
  assert.deepEqual(severities('Allow'), ['info']);
  assert.deepEqual(severities('Deny'), ['warning']);
});

test('condition-key-action-unsupported: true on a missing key (a negated operator, IfExists) is a warning; the one action that sets the key is offered', () => {
  const denyText = identity({ Effect: 'Deny', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
  const [deny] = ofRule(findings(denyText), 'condition-key-action-unsupported');
  assert.equal(deny.severity, 'warning');
  assert.match(deny.message, /s3:GetObject does not support .*always true for it, so this statement denies it whatever the condition says/);
  const text = identity({ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
  const [hit] = ofRule(findings(text), 'condition-key-action-unsupported');
  assert.equal(hit.severity, 'error');
  assert.deepEqual(JSON.parse(applyFix(text, hit.fixes![0])).Statement[0].Action, ['iam:GetRole', 'iam:PassRole']);
  assert.equal(hit.fixes![0].safe, false);
  // Another service's key beside KMS actions: kms:GenerateDataKey requests never carry S3's header.
  const mixed = identity({ Effect: 'Allow', Action: ['s3:PutObject', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
  assert.match(ofRule(findings(mixed), 'condition-key-action-unsupported')[0].message, /^kms:GenerateDataKey does not support/);
});

test('arn-region-unknown: a code no Region could have is an error with the nearest Region offered; a well-formed one missing from the table (a Region opened since) a warning', () => {
  const later = ofRule(findings(resources('sqs:SendMessage', `arn:aws:sqs:eu-south-3:${OWNER}:orders`)), 'arn-region-unknown');
  assert.deepEqual(later.map((f) => f.severity), ['warning']);
  // "esat" is no direction a Region code uses (INVALID_ARN_REGION, an ERROR).
  const text = resources('sqs:SendMessage', `arn:aws:sqs:us-esat-1:${OWNER}:orders`);
  const [hit] = ofRule(findings(text), 'arn-region-unknown');
  assert.equal(hit.severity, 'error');
  assert.match(hit.message, /Did you mean "us-east-1"/);
  assert.deepEqual(JSON.parse(applyFix(text, hit.fixes![0])).Statement[0].Resource, `arn:aws:sqs:us-east-1:${OWNER}:orders`);
  assert.equal(hit.fixes![0].safe, false);
});

test('quick fixes: the mechanical repairs the checks describe', () => {
  const fixOf = (text: string, rule: string) => {
    const [hit] = ofRule(findings(text), rule);
    assert.ok(hit?.fixes?.length, `${rule} offers a fix`);
    return { fixed: JSON.parse(applyFix(text, hit.fixes![0])), safe: hit.fixes![0].safe };
  };
  // "Replace address with {{addr}}": the network address, IPv6 in RFC 5952 form.
  const ip = fixOf(withCondition({ IpAddress: { 'aws:SourceIp': '2001:DB8:0:0:8:800:200C:417A/64' } }), 'ip-range-host-bits');
  assert.equal(ip.fixed.Statement[0].Condition.IpAddress['aws:SourceIp'], '2001:db8::/64');
  assert.equal(ip.safe, true);
  const space = fixOf(resources('s3:GetObject', 'arn:aws:s3:::example-bucket/home/${ aws:username }/*'), 'policy-variable-syntax');
  assert.equal(space.fixed.Statement[0].Resource, 'arn:aws:s3:::example-bucket/home/${aws:username}/*');
  const quote = fixOf(resources('s3:ListBucket', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, company-wide}'), 'policy-variable-syntax');
  assert.equal(quote.fixed.Statement[0].Resource, "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}");
  assert.equal(fixOf(resources('s3:GetObject', 'arn:aws:S3:::example-bucket/*'), 'arn-service-case').fixed.Statement[0].Resource, 'arn:aws:s3:::example-bucket/*');
  assert.equal(fixOf(resources('sqs:SendMessage', 'arn:aws:sqs:us-east-1:1111-2222-3333:orders'), 'arn-account-invalid').fixed.Statement[0].Resource, `arn:aws:sqs:us-east-1:${OWNER}:orders`);
  assert.equal(fixOf(resources('s3:GetObject', `arn:aws:s3:us-east-1:${OWNER}:example-bucket/*`), 'arn-region-account-not-allowed').fixed.Statement[0].Resource, 'arn:aws:s3:::example-bucket/*');
  assert.deepEqual(fixOf(withCondition({ StringEquals: { 'aws:MultiFactorAuthPresent': 'true' } }), 'condition-operator-key-type').fixed.Statement[0].Condition, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
  assert.deepEqual(fixOf(withCondition({ NumericLessThan: { 'aws:MultiFactorAuthAge': ['2700', '3600'] } }), 'condition-numeric-redundant-values').fixed.Statement[0].Condition, { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } });
  assert.deepEqual(fixOf(identity({ Sid: '', ...s3() }), 'sid-empty').fixed.Statement[0], s3());
  const service = fixOf(keyPolicy({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': OWNER, 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }), 'service-principal-condition-key');
  assert.deepEqual(service.fixed.Statement[1].Condition.StringEquals, { 'aws:SourceAccount': OWNER, 'aws:SourceOrgID': 'o-a1b2c3d4e5' });
  assert.equal(service.safe, false);
});

test('resource-redundant: "a*c" covers "a?c", not the reverse; ARNs compare case-sensitively', () => {
  const text = resources('s3:GetObject', 'arn:aws:s3:::example-bucket/a?c', 'arn:aws:s3:::example-bucket/a*c');
  assert.deepEqual(ofRule(findings(text), 'resource-redundant').map((f) => covered(text, f)), ['"arn:aws:s3:::example-bucket/a?c"']);
  assert.equal(ofRule(findings(resources('s3:GetObject', 'arn:aws:s3:::example-bucket/Reports/*', 'arn:aws:s3:::example-bucket/reports/*')), 'resource-redundant').length, 0);
});

test('passrole-wildcard: the message says how the statement reaches iam:PassRole', () => {
  const message = (text: string) => ofRule(findings(text), 'passrole-wildcard')[0]?.message ?? '';
  assert.match(message(resources('iam:PassRole', '*')), /allows iam:PassRole on "\*"/);
  assert.match(message(resources('*', '*')), /through a wildcard action/);
  assert.match(message(identity({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' })), /NotAction does not exclude it/);
  // NotAction that excludes iam:PassRole passes no role.
  assert.equal(ofRule(findings(identity({ Effect: 'Allow', NotAction: ['iam:*', 's3:*'], Resource: '*' })), 'passrole-wildcard').length, 0);
});

test('service-principal-condition-key: a negated operator makes the condition always true, and mixed principals are not reported', () => {
  const statement = (principal: unknown, condition: unknown) => keyPolicy({ Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*', Condition: condition });
  const [negated] = ofRule(findings(statement({ Service: 'logs.amazonaws.com' }, { StringNotEquals: { 'aws:PrincipalAccount': OWNER }, StringEquals: { 'aws:SourceAccount': OWNER } })), 'service-principal-condition-key');
  assert.match(negated.message, /always true/);
  assert.equal(ofRule(findings(statement({ Service: 'logs.amazonaws.com', AWS: `arn:aws:iam::${OWNER}:role/app` }, { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })), 'service-principal-condition-key').length, 0);
});

test('source-ip-private: IpAddress never matches, NotIpAddress always does', () => {
  const message = (operator: string) => ofRule(findings(withCondition({ [operator]: { 'aws:SourceIp': '10.1.0.0/16' } })), 'source-ip-private')[0].message;
  assert.match(message('IpAddress'), /never matches, so this statement never grants anything/);
  assert.match(message('NotIpAddress'), /true for every request/);
});

/** A CloudFormation template with one policy statement, written in YAML (its `!Sub` and `!Ref` are the template's). */
function template(statement: string): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  Region: { Type: String }',
    '  Cidr: { Type: String }',
    'Resources:',
    '  Policy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    ...statement.trim().split('\n').map((line, i) => `${i === 0 ? '          - ' : '            '}${line}`),
  ].join('\n');
}

function templateFindings(text: string): Finding[] {
  return checkDocument(text, sharedCatalog(), { fileName: 'stack.yaml' }).findings;
}

test('values a template fills in are unknown: no finding on them, the parts written out are still judged', () => {
  const unknownRegion = template('Effect: Allow\nAction: sqs:SendMessage\nResource: !Sub "arn:${AWS::Partition}:sqs:${Region}:${AWS::AccountId}:orders"');
  const clean = templateFindings(unknownRegion).filter((f) => f.ruleId.startsWith('arn-'));
  assert.deepEqual(clean.map((f) => f.ruleId), []);
  const unknownCidr = template('Effect: Allow\nAction: s3:GetObject\nResource: arn:aws:s3:::example-bucket/*\nCondition:\n  IpAddress:\n    aws:SourceIp: [!Ref Cidr]');
  assert.deepEqual(templateFindings(unknownCidr).filter((f) => ['source-ip-private', 'ip-range-host-bits'].includes(f.ruleId)), []);
  // The partition and the account come from the template; "role/*" is written out.
  const passRole = template('Effect: Allow\nAction: iam:PassRole\nResource: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"');
  assert.equal(ofRule(templateFindings(passRole), 'passrole-wildcard').length, 1);
  // So is the Region of an IAM ARN, though no fix is offered on a value the template renders.
  const iamRegion = template('Effect: Allow\nAction: iam:GetRole\nResource: !Sub "arn:${AWS::Partition}:iam:us-east-1:${AWS::AccountId}:role/app"');
  const [hit] = ofRule(templateFindings(iamRegion), 'arn-region-account-not-allowed');
  assert.ok(hit);
  assert.deepEqual(hit.fixes ?? [], []);
  // Two statements whose Resource the template picks differently are not the same statement.
  const picked = (sid: string, map: string) => `Sid: ${sid}\nEffect: Allow\nAction: sqs:ReceiveMessage\nResource: !If [IsProd, !FindInMap [Queues, !Ref AWS::AccountId, ${map}], "arn:aws:sqs:us-east-1:${OWNER}:unused"]`;
  const twoPicks = template(picked('One', 'orders')).replace(/$/, `\n${template(picked('Two', 'refunds')).split('\n').slice(11).join('\n')}`);
  assert.equal(ofRule(templateFindings(twoPicks), 'statement-redundant').length, 0, twoPicks);
});

test('s3-kms-key-id-value: a bare key ID is a warning; in a template, a key ID or alias reference is reported, the key ARN is not', () => {
  const keyId = identity({ Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-bucket/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': ['1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:us-east-1:111122223333:alias/data'] } } });
  assert.deepEqual(ofRule(findings(keyId), 's3-kms-key-id-value').map((f) => [covered(keyId, f), f.severity]), [['"1234abcd-12ab-34cd-56ef-1234567890ab"', 'warning'], ['"arn:aws:kms:us-east-1:111122223333:alias/data"', 'error']]);
  const stack = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Key:',
    '    Type: AWS::KMS::Key',
    '  Alias:',
    '    Type: AWS::KMS::Alias',
    '    Properties: { AliasName: alias/data, TargetKeyId: !Ref Key }',
    '  Policy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Deny',
    '            Action: s3:PutObject',
    '            Resource: arn:aws:s3:::example-bucket/*',
    '            Condition:',
    '              StringNotEquals:',
    '                s3:x-amz-server-side-encryption-aws-kms-key-id: [!Ref Key, !GetAtt Key.Arn, !Ref Alias]',
  ].join('\n');
  const found = ofRule(templateFindings(stack), 's3-kms-key-id-value');
  assert.deepEqual(found.map((f) => [covered(stack, f), f.severity]), [['!Ref Key', 'warning'], ['!Ref Alias', 'error']]);
  assert.match(found[0].message, /Use the key ARN \(!GetAtt Key\.Arn\)/);
});

// The four places where Keyshare contradicted the check reference, each now as the page says.
test('Null on aws:PrincipalOrgID tests presence: "true"/"false" are no organization IDs', () => {
  const text = policy([ROOT_STATEMENT, { Sid: 'Org', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, Null: { 'aws:PrincipalOrgID': 'false' } } }]);
  assert.deepEqual(ofRule(findings(text), 'org-condition-invalid'), []);
});

test('a unique ID as principal is a warning (General Warning – Invalid role reference), not an error', () => {
  const text = policy([ROOT_STATEMENT, { Sid: 'Gone', Effect: 'Allow', Principal: { AWS: 'AROAEXAMPLEID12345678' }, Action: 'kms:Decrypt', Resource: '*' }]);
  const found = ofRule(findings(text), 'principal-invalid');
  assert.deepEqual(found.map((f) => [covered(text, f), f.severity]), [['"AROAEXAMPLEID12345678"', 'warning']]);
  assert.doesNotMatch(found[0].message, /AWS rejects/);
});

test('empty arrays are suggestions (Suggestion – Empty array action, resource, principal, condition): info, never error', () => {
  const text = policy([ROOT_STATEMENT, { Sid: 'Empty', Effect: 'Allow', Principal: { AWS: [] }, Action: [], Resource: [], Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [] } } }]);
  const found = ofRule(findings(text), 'element-type');
  assert.deepEqual(found.map((f) => [covered(text, f), f.severity]), [['[]', 'info'], ['[]', 'info'], ['[]', 'info'], ['[]', 'info']]);
  assert.match(found.map((f) => f.message).join('\n'), /ForAnyValue with no values never matches/);
});

test('Date operators take epoch seconds as well as ISO 8601 (IAM User Guide, "Date condition operators")', () => {
  const text = policy([ROOT_STATEMENT, { Sid: 'Until', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: 'kms:Decrypt', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '1893456000' }, DateGreaterThan: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } } }]);
  assert.deepEqual(findings(text).filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId), []);
});

// S3 User Guide, "Replicating encrypted objects": the replication role's policy allows ReplicateObject, ReplicateDelete
// and ReplicateTags under StringLikeIfExists on the SSE keys, which only ReplicateObject carries.
test('condition-key-action-unsupported: an Allow under ...IfExists beside actions that carry the key is advice (AWS publishes it)', () => {
  const text = identity({ Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: 'arn:aws:s3:::destination-bucket/*', Condition: { StringLikeIfExists: { 's3:x-amz-server-side-encryption': ['aws:kms', 'AES256'], 's3:x-amz-server-side-encryption-aws-kms-key-id': [`arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`] } } });
  const hits = ofRule(findings(text), 'condition-key-action-unsupported');
  assert.ok(hits.length > 0);
  assert.deepEqual([...new Set(hits.map((h) => h.severity))], ['info']);
});

// Service Authorization Reference, Systems Manager: parameter resources take ssm:resourceTag/${TagKey}; the catalog spells the variable as a word.
test('condition-key-action-unsupported: a service tag key the catalog spells ".../tag-key" is a pattern, not a literal key', () => {
  const text = identity({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: '*', Condition: { StringEquals: { 'ssm:resourceTag/env': 'prod' } } });
  assert.deepEqual(ofRule(findings(text), 'condition-key-action-unsupported'), []);
});

const TRUST_RULES = ['assume-action-mismatch', 'roles-anywhere-actions', 'trust-policy-element', 'oidc-trust-condition'];

/** A CloudFormation role whose trust policy has the given statements (YAML lines, indented as list items). */
function roleTemplate(statements: string): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  ProviderArn: { Type: String }',
    '  OidcHost: { Type: String }',
    '  Actions: { Type: CommaDelimitedList }',
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    ...statements.trim().split('\n').map((line) => `          ${line}`),
  ].join('\n');
}

test('trust policies in a template: what the template fills in is never judged, what is written out is', () => {
  const trustFindings = (text: string) => templateFindings(text).filter((f) => TRUST_RULES.includes(f.ruleId));
  // The GitHub Actions role of AWS's example, with the partition and account filled in by !Sub.
  const github = roleTemplate(`
- Effect: Allow
  Principal:
    Federated: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"
  Action: sts:AssumeRoleWithWebIdentity
  Condition:
    StringEquals:
      token.actions.githubusercontent.com:aud: sts.amazonaws.com
      token.actions.githubusercontent.com:sub: repo:octo-org/octo-repo:ref:refs/heads/main`);
  assert.deepEqual(trustFindings(github).map((f) => f.message), []);
  // The same provider without the subject condition: the written host is GitHub's.
  assert.deepEqual(trustFindings(github.replace(/\n.*:sub: .*/, '')).map((f) => f.ruleId), ['oidc-trust-condition']);
  // A provider given as a parameter may be any kind, and actions a parameter gives may be any actions.
  const unknown = roleTemplate(`
- Effect: Allow
  Principal:
    Federated: !Ref ProviderArn
  Action: sts:AssumeRole
- Effect: Allow
  Principal:
    Service: rolesanywhere.amazonaws.com
  Action: !Ref Actions`);
  assert.deepEqual(trustFindings(unknown).map((f) => f.message), []);
  // An OIDC provider whose host the template fills in: conditions may name it, so it is judged only without any.
  const host = roleTemplate(`
- Effect: Allow
  Principal:
    Federated: !Sub "arn:aws:iam::\${AWS::AccountId}:oidc-provider/\${OidcHost}"
  Action: sts:AssumeRoleWithWebIdentity
  Condition: !If [HasSubject, { StringEquals: { "oidc.example.com:sub": app } }, !Ref AWS::NoValue]`);
  assert.deepEqual(trustFindings(host).map((f) => f.message), []);
  // Written out, the SAML provider and the action are known even with the account filled in: a mismatch.
  const saml = roleTemplate(`
- Effect: Allow
  Principal:
    Federated: !Sub "arn:aws:iam::\${AWS::AccountId}:saml-provider/corp"
  Action: sts:AssumeRole`);
  const [hit] = trustFindings(saml);
  assert.equal(hit?.ruleId, 'assume-action-mismatch');
  assert.equal(covered(saml, hit), 'sts:AssumeRole');
});

test('assume-action-mismatch: a principal left without its action is reported, with its action offered; the wrong action is changed', () => {
  const text = trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root`, Federated: SAML_PROVIDER }, Action: 'sts:AssumeRole' });
  const [hit] = ofRule(findings(text), 'assume-action-mismatch');
  assert.equal(covered(text, hit), `"${SAML_PROVIDER}"`);
  assert.match(hit.message, /No action of this statement is one .* calls: it is a SAML provider, whose users call sts:AssumeRoleWithSAML/);
  assert.deepEqual(JSON.parse(applyFix(text, hit.fixes![0])).Statement[0].Action, ['sts:AssumeRole', 'sts:AssumeRoleWithSAML']);
  const cognito = TRIGGERS['assume-action-mismatch'][0].text;
  const [wrong] = ofRule(findings(cognito), 'assume-action-mismatch');
  assert.equal(wrong.fixes![0].safe, false);
  assert.equal(JSON.parse(applyFix(cognito, wrong.fixes![0])).Statement[0].Action, 'sts:AssumeRoleWithWebIdentity');
  // With the right action already there, the wrong one is only to remove: no rewrite offered.
  const both = trust({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity'], Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': COGNITO_POOL } } });
  const [extra] = ofRule(findings(both), 'assume-action-mismatch');
  assert.match(extra.message, /Remove it \(sts:AssumeRoleWithWebIdentity is already there\)/);
  assert.deepEqual(extra.fixes ?? [], []);
});

test('roles-anywhere-actions: the fix adds the missing actions to the statement', () => {
  const text = trust({ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' });
  const [hit] = ofRule(findings(text), 'roles-anywhere-actions');
  assert.match(hit.message, /does not allow sts:TagSession or sts:SetSourceIdentity/);
  const fixed = applyFix(text, hit.fixes![0]);
  assert.deepEqual(JSON.parse(fixed).Statement[0].Action, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);
  assert.deepEqual(ofRule(findings(fixed), 'roles-anywhere-actions'), []);
});

test('trust-policy-element: Resource is removed safely; "*" becomes {"AWS": "*"} only on review', () => {
  const resource = TRIGGERS['trust-policy-element'][1];
  const [hit] = ofRule(findings(resource.text, resource.options), 'trust-policy-element');
  assert.equal(hit.fixes![0].safe, true);
  assert.equal(JSON.parse(applyFix(resource.text, hit.fixes![0])).Statement[0].Resource, undefined);
  const star = TRIGGERS['trust-policy-element'][2].text;
  const [wildcard] = ofRule(findings(star), 'trust-policy-element');
  assert.equal(wildcard.fixes![0].safe, false);
  assert.deepEqual(JSON.parse(applyFix(star, wildcard.fixes![0])).Statement[0].Principal, { AWS: '*' });
});

test('oidc-trust-condition: subjects naming one owner\'s every repository are reported; a Null test is no condition', () => {
  const owner = trust(github({ StringEquals: GITHUB_AUD, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/*' } }));
  assert.match(ofRule(findings(owner), 'oidc-trust-condition')[0].message, /every repository of octo-org/);
  const presence = trust({ Effect: 'Allow', Principal: { Federated: EKS_PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { Null: { 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'false' } } });
  assert.equal(ofRule(findings(presence), 'oidc-trust-condition').length, 1);
  // StringEquals compares literally: a "*" there is no wildcard (condition-wildcard-operator's business).
  const literal = trust(github({ StringEquals: { ...GITHUB_AUD, 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' } }));
  assert.deepEqual(ofRule(findings(literal), 'oidc-trust-condition'), []);
});

test('trust policies in Terraform: a provider or a subject the module fills in is not judged; a written-out service is', () => {
  const text = [
    'resource "aws_iam_openid_connect_provider" "github" {',
    '  url            = "https://token.actions.githubusercontent.com"',
    '  client_id_list = ["sts.amazonaws.com"]',
    '}',
    'resource "aws_iam_role" "deploy" {',
    '  name = "deploy"',
    '  assume_role_policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [{',
    '      Effect    = "Allow"',
    '      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }',
    '      Action    = "sts:AssumeRole"',
    '    }]',
    '  })',
    '}',
    'data "aws_iam_policy_document" "github" {',
    '  statement {',
    '    actions = ["sts:AssumeRoleWithWebIdentity"]',
    '    principals {',
    '      type        = "Federated"',
    '      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com"]',
    '    }',
    '    condition {',
    '      test     = "StringLike"',
    '      variable = "token.actions.githubusercontent.com:sub"',
    '      values   = ["repo:${var.org}/${var.repo}:*"]',
    '    }',
    '  }',
    '}',
    'resource "aws_iam_role" "github" {',
    '  name               = "github"',
    '  assume_role_policy = data.aws_iam_policy_document.github.json',
    '}',
    'data "aws_iam_policy_document" "anywhere" {',
    '  statement {',
    '    actions = ["sts:AssumeRole", "sts:TagSession"]',
    '    principals {',
    '      type        = "Service"',
    '      identifiers = ["rolesanywhere.amazonaws.com"]',
    '    }',
    '  }',
    '}',
    'resource "aws_iam_role" "anywhere" {',
    '  name               = "anywhere"',
    '  assume_role_policy = data.aws_iam_policy_document.anywhere.json',
    '}',
  ].join('\n');
  const found = tf(text).findings.filter((f) => TRUST_RULES.includes(f.ruleId));
  assert.deepEqual(found.map((f) => [f.ruleId, covered(text, f)]), [['roles-anywhere-actions', '"rolesanywhere.amazonaws.com"']]);
});
