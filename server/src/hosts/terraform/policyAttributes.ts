/**
 * Which attributes of which AWS provider resource types hold a policy, and of which kind: one
 * list for the Terraform host (`.tf`) and the plan host (`terraform show -json`).
 */
import type { PolicyKind } from '../../engine/types';

export const POLICY_ATTRIBUTE_LIST: Readonly<Record<string, Readonly<Record<string, PolicyKind>>>> = {
  aws_kms_key: { policy: 'key-policy' },
  aws_kms_key_policy: { policy: 'key-policy' },
  aws_kms_replica_key: { policy: 'key-policy' },
  aws_kms_external_key: { policy: 'key-policy' },
  aws_kms_replica_external_key: { policy: 'key-policy' },
  aws_iam_policy: { policy: 'identity-policy' },
  aws_iam_role_policy: { policy: 'identity-policy' },
  aws_iam_user_policy: { policy: 'identity-policy' },
  aws_iam_group_policy: { policy: 'identity-policy' },
  aws_iam_role: { assume_role_policy: 'trust-policy' },
  aws_s3_bucket_policy: { policy: 'resource-policy' },
  aws_sqs_queue_policy: { policy: 'resource-policy' },
  aws_sns_topic_policy: { policy: 'resource-policy' },
  aws_s3_bucket: { policy: 'resource-policy' },
  aws_sqs_queue: { policy: 'resource-policy' },
  aws_sns_topic: { policy: 'resource-policy' },
  aws_secretsmanager_secret: { policy: 'resource-policy' },
  aws_secretsmanager_secret_policy: { policy: 'resource-policy' },
  aws_ecr_repository_policy: { policy: 'resource-policy' },
  // Only a service control policy (the default type) holds IAM policy grammar.
  aws_organizations_policy: { content: 'scp' },
};
