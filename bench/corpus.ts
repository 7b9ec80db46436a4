/**
 * Deterministic corpus of key policies and identity policies across many accounts, for the
 * benchmark. The same seed always gives the same files.
 */

/** Mulberry32: tiny, fast, good enough to vary test data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const USAGE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export function accountId(n: number): string {
  return String(100000000000 + n * 7919).padStart(12, '0').slice(-12);
}

function hex(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
  return out;
}

export function keyArn(next: () => number, account: string): string {
  const id = `${hex(next, 8)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 12)}`;
  return `arn:aws:kms:${REGIONS[Math.floor(next() * REGIONS.length)]}:${account}:key/${id}`;
}

export function keyPolicy(next: () => number, owner: string, sharedWith: string[], extraStatements = 0): string {
  const statements: unknown[] = [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:role/KeyAdmin` }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'], Resource: '*' },
    { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: sharedWith.map((a) => `arn:aws:iam::${a}:root`) }, Action: USAGE, Resource: '*' },
    { Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: { AWS: sharedWith.map((a) => `arn:aws:iam::${a}:root`) }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
  ];
  for (let i = 0; i < extraStatements; i++) {
    const role = `arn:aws:iam::${sharedWith[i % sharedWith.length] ?? owner}:role/app-${i}-${hex(next, 6)}`;
    statements.push({
      Sid: `App${i}`,
      Effect: next() < 0.9 ? 'Allow' : 'Deny',
      Principal: { AWS: role },
      Action: USAGE.slice(0, 1 + Math.floor(next() * USAGE.length)),
      Resource: '*',
      Condition: next() < 0.5 ? { StringEquals: { 'kms:ViaService': `s3.${REGIONS[i % REGIONS.length]}.amazonaws.com` } } : { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': `alias/app-${i}-*` } },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements }, null, 2);
}

export function identityPolicy(next: () => number, keyArns: string[], statements = 2): string {
  const result: unknown[] = [];
  for (let i = 0; i < statements; i++) {
    const key = keyArns[Math.floor(next() * keyArns.length)];
    result.push({ Sid: `UseKey${i}`, Effect: 'Allow', Action: USAGE.slice(0, 2 + Math.floor(next() * 4)), Resource: key });
  }
  if (next() < 0.3) result.push({ Sid: 'Bucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bucket-${hex(next, 6)}/*` });
  return JSON.stringify({ Version: '2012-10-17', Statement: result }, null, 2);
}

/** A key policy of about `bytes` characters. */
export function keyPolicyOfSize(seed: number, bytes: number): string {
  const next = random(seed);
  const owner = accountId(1);
  const shared = [accountId(2), accountId(3)];
  let statements = 0;
  let text = keyPolicy(random(seed), owner, shared, statements);
  while (text.length < bytes) {
    statements = Math.max(statements + 1, Math.floor(statements * (bytes / text.length)));
    text = keyPolicy(random(seed), owner, shared, statements);
  }
  void next;
  return text;
}

export interface CorpusFile {
  path: string;
  text: string;
}

/**
 * A workspace: per account a folder (named by its 12-digit ID) with key and identity policies,
 * and a keyshare.json that declares every key, so the cross-file index has real work to do.
 */
export function workspace(seed: number, files: number): CorpusFile[] {
  const next = random(seed);
  const accounts = Math.max(4, Math.floor(files / 25));
  const result: CorpusFile[] = [];
  const keys: { arn: string; policy: string }[] = [];
  const sharedWith = new Map<string, string[]>();
  for (let i = 0; result.length < files - 1; i++) {
    const account = accountId(i % accounts);
    if (i % 5 === 0) {
      const first = (i + 1 + Math.floor(next() * (accounts - 1))) % accounts;
      const shared = [accountId(first), accountId((first + 1) % accounts)].filter((a) => a !== account);
      const arn = keyArn(next, account);
      const policyPath = `${account}/keys/key-${i}.key-policy.json`;
      keys.push({ arn, policy: policyPath });
      for (const grantee of shared) sharedWith.set(grantee, [...(sharedWith.get(grantee) ?? []), arn]);
      result.push({ path: policyPath, text: keyPolicy(next, account, shared, Math.floor(next() * 4)) });
    } else {
      // Mostly keys shared with this account (complete handshakes), now and then any key.
      const mine = sharedWith.get(account) ?? [];
      const candidates = mine.length && next() < 0.9 ? mine : keys.length ? keys.slice(-10).map((k) => k.arn) : [keyArn(next, account)];
      result.push({ path: `${account}/roles/role-${i}.iam.json`, text: identityPolicy(next, candidates, 1 + Math.floor(next() * 3)) });
    }
  }
  result.push({ path: 'keyshare.json', text: JSON.stringify({ keys: keys.map((k) => ({ arn: k.arn, policy: k.policy, aliases: [] })) }, null, 2) });
  return result;
}

/**
 * A CloudFormation YAML template of about `bytes` characters holding `policies` policies: keys
 * with key policies (the owner root through !Sub, grants to parameter accounts), and roles
 * with a trust policy and an inline policy that names a key through !GetAtt.
 */
export function cloudFormationTemplate(seed: number, bytes = 200 * 1024, policies = 40): string {
  const keys = Math.ceil(policies / 3);
  const roles = Math.floor((policies - keys) / 2);
  const keyCount = policies - 2 * roles;
  let extra = 0;
  let text = cfnText(seed, keyCount, roles, extra);
  while (text.length < bytes) {
    extra = Math.max(extra + 1, Math.floor(extra * (bytes / text.length)));
    text = cfnText(seed, keyCount, roles, extra);
  }
  return text;
}

function cfnText(seed: number, keys: number, roles: number, extraStatements: number): string {
  const next = random(seed);
  const lines = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Description: Generated data platform stack',
    'Parameters:',
    '  ConsumerAccountId:',
    '    Type: String',
    "    AllowedPattern: '^\\d{12}$'",
    '  AuditAccountId:',
    '    Type: String',
    `    Default: '${accountId(9)}'`,
    'Resources:',
  ];
  const perKey = Math.ceil(extraStatements / Math.max(1, keys));
  for (let k = 0; k < keys; k++) {
    lines.push(
      `  DataKey${k}:`,
      '    Type: AWS::KMS::Key',
      '    Properties:',
      `      Description: !Sub 'Data key ${k} for \${AWS::StackName}'`,
      '      EnableKeyRotation: true',
      '      KeyPolicy:',
      "        Version: '2012-10-17'",
      '        Statement:',
      '          - Sid: Enable IAM User Permissions',
      '            Effect: Allow',
      '            Principal:',
      "              AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'",
      "            Action: 'kms:*'",
      "            Resource: '*'",
      '          - Sid: Allow use of the key',
      '            Effect: Allow',
      '            Principal:',
      '              AWS:',
      "                - !Sub 'arn:aws:iam::${ConsumerAccountId}:root'",
      "                - !Join ['', ['arn:aws:iam::', !Ref AuditAccountId, ':root']]",
      '            Action:',
      ...USAGE.map((a) => `              - '${a}'`),
      "            Resource: '*'",
    );
    for (let i = 0; i < perKey; i++) {
      lines.push(
        `          - Sid: App${k}x${i}`,
        `            Effect: ${next() < 0.9 ? 'Allow' : 'Deny'}`,
        '            Principal:',
        `              AWS: 'arn:aws:iam::${accountId(2 + (i % 5))}:role/app-${i}-${hex(next, 6)}'`,
        `            Action: [${USAGE.slice(0, 1 + Math.floor(next() * USAGE.length)).map((a) => `'${a}'`).join(', ')}]`,
        "            Resource: '*'",
        '            Condition:',
        '              StringEquals:',
        `                kms:ViaService: !Sub 's3.\${AWS::Region}.amazonaws.com'`,
      );
    }
    lines.push(`  DataKey${k}Alias:`, '    Type: AWS::KMS::Alias', '    Properties:', `      AliasName: alias/data-${k}`, `      TargetKeyId: !Ref DataKey${k}`);
  }
  for (let r = 0; r < roles; r++) {
    lines.push(
      `  AppRole${r}:`,
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      "        Version: '2012-10-17'",
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { Service: lambda.amazonaws.com }',
      "            Action: 'sts:AssumeRole'",
      '      Policies:',
      `        - PolicyName: use-data-key-${r}`,
      '          PolicyDocument:',
      "            Version: '2012-10-17'",
      '            Statement:',
      '              - Effect: Allow',
      "                Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']",
      `                Resource: !GetAtt DataKey${r % Math.max(1, keys)}.Arn`,
      '              - Effect: Allow',
      "                Action: ['s3:GetObject', 's3:PutObject']",
      `                Resource: !Sub 'arn:\${AWS::Partition}:s3:::bucket-${hex(next, 6)}/*'`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * A Terraform module of about `bytes` characters: keys with policy documents (some with dynamic
 * statements), roles with jsonencode policies, bucket policies as heredocs, and the variables,
 * aliases and buckets around them.
 */
export function terraformModuleOfSize(seed: number, bytes: number): string {
  const next = random(seed);
  const owner = accountId(1);
  const parts: string[] = [
    'variable "consumer_account_id" {\n  type = string\n}\n',
    'data "aws_caller_identity" "current" {}\ndata "aws_partition" "current" {}\n',
  ];
  let size = parts.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const shared = [accountId(2 + (i % 7)), accountId(3 + (i % 5))];
    const usage = USAGE.slice(0, 2 + Math.floor(next() * 4));
    const block = (() => {
      switch (i % 4) {
        case 0:
          return `resource "aws_kms_key" "key_${i}" {
  description         = "Key ${i}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key_${i}.json
}

resource "aws_kms_alias" "key_${i}" {
  name          = "alias/app-${i}"
  target_key_id = aws_kms_key.key_${i}.key_id
}

data "aws_iam_policy_document" "key_${i}" {
  statement {
    sid       = "EnableIAMUserPermissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:\${data.aws_partition.current.partition}:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "AllowUse"
    actions   = ${JSON.stringify(usage)}
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ${JSON.stringify(shared.map((a) => `arn:aws:iam::${a}:root`))}
    }
  }

  statement {
    sid       = "AllowGrants"
    actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ${JSON.stringify(shared.map((a) => `arn:aws:iam::${a}:root`))}
    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  dynamic "statement" {
    for_each = var.readers_${i % 3}
    content {
      sid       = "Read\${statement.key}"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }
}
`;
        case 1:
          return `resource "aws_iam_role" "app_${i}" {
  name               = "app-${i}"
  assume_role_policy = data.aws_iam_policy_document.assume_${i}.json
}

data "aws_iam_policy_document" "assume_${i}" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "app_${i}" {
  name = "use-keys"
  role = aws_iam_role.app_${i}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "UseKey"
        Effect   = "Allow"
        Action   = ${JSON.stringify(usage)}
        Resource = aws_kms_key.key_${i - 1}.arn
      },
      {
        Sid      = "UseSharedKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey"]
        Resource = "arn:aws:kms:us-east-1:\${var.consumer_account_id}:key/${hex(next, 8)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 12)}"
      },
    ]
  })
}
`;
        case 2:
          return `resource "aws_s3_bucket" "data_${i}" {
  bucket = "data-${hex(next, 8)}"
  tags = {
    Name  = "data-${i}"
    Owner = "${owner}"
  }
}

resource "aws_s3_bucket_policy" "data_${i}" {
  bucket = aws_s3_bucket.data_${i}.id
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadFromConsumer",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${shared[0]}:root"},
          "Action": ["s3:GetObject", "s3:ListBucket"],
          "Resource": ["arn:aws:s3:::data-${i}", "arn:aws:s3:::data-${i}/*"]
        }
      ]
    }
  EOF
}
`;
        default:
          return `resource "aws_iam_policy" "reader_${i}" {
  name   = "reader-${i}"
  policy = data.aws_iam_policy_document.reader_${i}.json
}

data "aws_iam_policy_document" "reader_${i}" {
  statement {
    sid       = "ReadKeys"
    actions   = ${JSON.stringify(usage)}
    resources = [aws_kms_key.key_${i - 3}.arn]
  }
  statement {
    sid       = "ReadBucket"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-${i - 1}/*"]
  }
}
`;
      }
    })();
    parts.push(block);
    size += block.length + 1;
  }
  return parts.join('\n');
}
