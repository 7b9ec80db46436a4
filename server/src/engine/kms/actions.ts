/**
 * One home for what Keyshare knows about KMS actions beyond the catalog: which take effect across
 * accounts, which are grant operations, which only read metadata, the standard statement lists.
 * Each list cites the AWS page it follows; rules, the access model, the handshake and `explain`
 * all read them from here.
 */

/**
 * The KMS operations whose permission takes effect when granted to a principal of another account
 * ("Cross-account use: Yes" in the KMS guide's "AWS KMS permissions" table,
 * https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html).
 * Granted across accounts, every other permission has no effect.
 */
export const CROSS_ACCOUNT_ACTIONS: readonly string[] = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeriveSharedSecret',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:GetKeyRotationStatus',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:Sign',
  'kms:Verify',
  'kms:VerifyMac',
];
const CROSS_ACCOUNT_LOWER = new Set(CROSS_ACCOUNT_ACTIONS.map((a) => a.toLowerCase()));

export function takesEffectAcrossAccounts(action: string): boolean {
  return CROSS_ACCOUNT_LOWER.has(action.toLowerCase());
}

/**
 * The grant operations: the statements of the console's "Allow attachment of persistent resources"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html) and RetireGrant.
 */
export const GRANT_OPERATIONS: ReadonlySet<string> = new Set(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:RetireGrant']);

/**
 * The operations a grant can allow (CreateGrant's `Operations`, as the AWS SDKs' GrantOperation
 * enumerates them), without the `kms:` prefix.
 */
export const GRANTABLE_OPERATIONS: readonly string[] = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'GetPublicKey',
  'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
];

/** KMS actions that only read a key's metadata: a principal with just these can do nothing with the key. */
export const METADATA_ACTIONS: ReadonlySet<string> = new Set(['kms:DescribeKey', 'kms:GetPublicKey', 'kms:GetKeyRotationStatus', 'kms:ListGrants', 'kms:GetKeyPolicy', 'kms:ListResourceTags', 'kms:ListKeyRotations', 'kms:ListKeyPolicies']);

/** The console default's "Allow use of the key" (key-policy-default.html, "Allows key users to use the KMS key"). */
export const USAGE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
export const CRYPTO_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];
/** Alias operations: an alias ARN in an IAM policy's Resource controls these, not the key (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html). */
export const ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'];
const ALIAS_LOWER = new Set(ALIAS_ACTIONS.map((a) => a.toLowerCase()));

export function isAliasAction(action: string): boolean {
  return ALIAS_LOWER.has(action.toLowerCase());
}

/** Actions that change or destroy the key, its policy or its lifecycle: the owner's business. */
export const MANAGEMENT_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:ReplicateKey',
  'kms:UpdatePrimaryRegion',
];

/**
 * The kms:ViaService endpoint prefix of the services whose AWS managed key's alias names them
 * (alias/aws/<name>); EBS encrypts through EC2 (KMS guide, "How Amazon EBS uses AWS KMS").
 */
export const MANAGED_KEY_ENDPOINTS: Record<string, string> = {
  s3: 's3',
  ebs: 'ec2',
  rds: 'rds',
  lambda: 'lambda',
  secretsmanager: 'secretsmanager',
  ssm: 'ssm',
  sns: 'sns',
  sqs: 'sqs',
  dynamodb: 'dynamodb',
};
