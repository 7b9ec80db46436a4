// keyshare explain against what the AWS documentation says: one case per documented fact.
//
// Every case names the AWS page it was written from (`source`) and the sentence of that page
// that decides the verdict (`quote`). The expected verdict is AWS's answer, not Keyshare's:
// where AWS's answer turns on a fact the workspace does not give (an organization membership
// keyshare.json does not declare, whether the call comes through a service, an encryption
// context not passed with `context`), the case expects `depends` and names that fact loosely.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runExplain } from '../../server/src/cli/explain';
import { policy, temporaryFolder, USAGE } from './helpers';

// ---------------------------------------------------------------------------------------------
// The AWS pages the cases are written from.
const KMS = 'https://docs.aws.amazon.com/kms/latest/developerguide';
const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';
const DOC = {
  aliasAccess: `${KMS}/alias-access.html`,
  cfnRolePolicy: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-rolepolicy.html',
  createKey: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html',
  boundaries: `${IAM}/access_policies_boundaries.html`,
  cfnRole: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html',
  grants: `${KMS}/grants.html`,
  multiRegionAuth: `${KMS}/multi-region-keys-auth.html`,
  listAliases: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html',
  sessionPolicies: `${IAM}/access_policies.html#policies_session`,
  cfnConditions: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html',
  multiRegionKeys: `${KMS}/multi-region-keys-overview.html`,
  resourceAliases: `${KMS}/conditions-kms.html#conditions-kms-resource-aliases`,
  keyPolicies: `${KMS}/key-policies.html`,
  defaultKeyPolicy: `${KMS}/key-policy-default.html`,
  controlAccess: `${KMS}/control-access.html`,
  otherAccounts: `${KMS}/key-policy-modifying-external-accounts.html`,
  troubleshooting: `${KMS}/policy-evaluation.html`,
  keysInIamPolicies: `${KMS}/cmks-in-iam-policies.html`,
  aliasAuthorization: `${KMS}/alias-authorization.html`,
  kmsConditionKeys: `${KMS}/conditions-kms.html`,
  servicePermissions: `${KMS}/key-policy-services.html`,
  putKeyPolicy: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html',
  grantConstraints: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html',
  tagAuthorization: `${KMS}/tag-authorization.html`,
  retireGrant: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html',
  scheduleKeyDeletion: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html',
  secretsCrossAccount: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html',
  evaluationLogic: `${IAM}/reference_policies_evaluation-logic.html`,
  crossAccountEvaluation: `${IAM}/reference_policies_evaluation-logic-cross-account.html`,
  principal: `${IAM}/reference_policies_elements_principal.html`,
  notPrincipal: `${IAM}/reference_policies_elements_notprincipal.html`,
  globalConditionKeys: `${IAM}/reference_policies_condition-keys.html`,
  conditionOperators: `${IAM}/reference_policies_elements_condition_operators.html`,
  multiValued: `${IAM}/reference_policies_condition-single-vs-multi-valued-context-keys.html`,
};

// ---------------------------------------------------------------------------------------------
// The accounts, keys and organization of the workspaces.
const OWNER = '111122223333';
const B = '444455556666';
const C = '555566667777';
/** An account keyshare.json says nothing about. */
const STRANGER = '999988887777';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/${KEY_ID}`;
const ALIAS_ARN = `arn:aws:kms:us-east-1:${OWNER}:alias/data`;
/** The AWS managed key for Amazon S3 of account B. */
const MANAGED = `arn:aws:kms:us-east-1:${B}:key/0000aaaa-12ab-34cd-56ef-1234567890ab`;
const ORG = 'o-a1b2c3d4e5';
const OU_PATH = `${ORG}/r-ab12/ou-ab12-11111111/`;
const OTHER_OU_PATH = `${ORG}/r-ab12/ou-ab12-22222222/`;
const S3_VIA = 's3.us-east-1.amazonaws.com';

const root = (account: string) => `arn:aws:iam::${account}:root`;
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const session = (account: string, roleName: string, name: string) => `arn:aws:sts::${account}:assumed-role/${roleName}/${name}`;

const KEY_POLICY_FILE = 'owner/key.key-policy.json';
/** The statement that lets the owner account's IAM policies decide (default key policy). */
const ENABLE_IAM = { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: root(OWNER) }, Action: 'kms:*', Resource: '*' };
const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];

/** A key policy statement. */
function allow(sid: string, principal: unknown, action: unknown, condition?: Record<string, unknown>) {
  return { Sid: sid, Effect: 'Allow', Principal: typeof principal === 'string' ? (principal === '*' ? { AWS: '*' } : { AWS: principal }) : principal, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) };
}
function deny(sid: string, principal: unknown, action: unknown, condition?: Record<string, unknown>) {
  return { ...allow(sid, principal, action, condition), Effect: 'Deny' };
}
/** An identity policy statement list. */
function iam(resource: unknown, action: unknown = USAGE, condition?: Record<string, unknown>, sid = 'UseKey') {
  return [{ Sid: sid, Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) }];
}
/** An identity policy that allows nothing in KMS. */
const NO_KMS = [{ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }];

/** keyshare.json `principals`: the identity policies of each principal. */
function principals(...entries: [string, ...string[]][]) {
  return { principals: entries.map(([arn, ...policies]) => ({ arn, policies })) };
}
/** keyshare.json for account B's role app with no KMS in its identity policy, and one grant of KEY to it. */
function appGrant(operations: string[], constraints: Record<string, Record<string, string>>) {
  return { ...principals([role(B, 'app'), 'b/app.iam.json']), grants: [{ key: KEY, grantee: role(B, 'app'), operations, constraints }] };
}
const ORGANIZATION = { organization: { id: ORG, units: [{ id: 'ou-ab12-11111111', path: OU_PATH, accounts: [B] }] } };
const ORGANIZATION_TWO_UNITS = { organization: { id: ORG, units: [{ id: 'ou-ab12-11111111', path: OU_PATH, accounts: [B] }, { id: 'ou-ab12-22222222', path: OTHER_OU_PATH, accounts: [C] }] } };

// ---------------------------------------------------------------------------------------------
// Templates: the key policy of KEY written in a CloudFormation template or a Terraform module.
const CFN_FILE = 'owner/stack.yaml';
const TF_FILE = 'owner/main.tf';
const cfnKey = { keys: [{ arn: KEY, policy: `${CFN_FILE}#DataKey`, aliases: ['alias/data'] }, { arn: MANAGED, aliases: ['alias/aws/s3'], managed: 'aws' }] };
const tfKey = { keys: [{ arn: KEY, policy: `${TF_FILE}#aws_kms_key.data`, aliases: ['alias/data'] }, { arn: MANAGED, aliases: ['alias/aws/s3'], managed: 'aws' }] };

/** A CloudFormation template whose DataKey has these key policy statements (YAML list items, 10 spaces in). */
function cfnTemplate(statements: string): string {
  return [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Description: Data key',
    'Resources:',
    '  DataKey:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      Description: Encrypts the data bucket',
    '      EnableKeyRotation: true',
    '      KeyPolicy:',
    "        Version: '2012-10-17'",
    '        Statement:',
    statements.replace(/^\n+|\s+$/g, ''),
    '  DataKeyAlias:',
    '    Type: AWS::KMS::Alias',
    '    Properties:',
    '      AliasName: alias/data',
    '      TargetKeyId: !Ref DataKey',
    '',
  ].join('\n');
}

const CFN_ENABLE_IAM = `
          - Sid: EnableIamPolicies
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'
            Action: 'kms:*'
            Resource: '*'`;


const CFN_LOGS = `
          - Sid: EnableIamPolicies
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'
            Action: 'kms:*'
            Resource: '*'
          - Sid: Logs
            Effect: Allow
            Principal:
              Service: !Sub 'logs.\${AWS::Region}.amazonaws.com'
            Action: 'kms:GenerateDataKey*'
            Resource: '*'
            Condition:
              ArnLike:
                'kms:EncryptionContext:aws:logs:arn': !Sub 'arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:app-*'`;
const TF_LOGS = `data "aws_region" "current" {}

resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "EnableIamPolicies", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:root" }, Action = "kms:*", Resource = "*" },
      {
        Sid       = "Logs"
        Effect    = "Allow"
        Principal = { Service = "logs.\${data.aws_region.current.name}.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:us-east-1:${OWNER}:log-group:app-*" } }
      }
    ]
  })
}
`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${OWNER}:log-group:app-orders`;

/** A role named app in the same template (CloudFormation YAML, resources 2 spaces in). */
const APP_ROLE = `  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
`;

// ---------------------------------------------------------------------------------------------
interface Case {
  name: string;
  /** The AWS documentation page the expected verdict comes from. */
  source: string;
  /** The sentence of that page that decides the verdict (at most 30 words). */
  quote: string;
  /** Workspace files: a string is written as is, an array is a policy's statements. */
  files: Record<string, string | unknown[]>;
  /** keyshare.json fields over the defaults (accounts, keys). */
  config?: Record<string, unknown>;
  principal: string;
  action: string;
  key?: string;
  context?: Record<string, string>;
  /** Identity policy files given on the command line (--policy), relative to the workspace. */
  policies?: string[];
  /** CloudFormation parameter values (--parameters). */
  parameters?: Record<string, string>;
  expect: 'allowed' | 'denied' | 'depends';
  /** What a `depends` answer depends on. */
  dependsOn?: RegExp;
}

/** A stack whose DataKey (of this KeySpec, or the default) lets role app decrypt only if it is a symmetric encryption key. */
function keySpecStack(keySpec?: string): string {
  const spec = keySpec ? `      KeySpec: ${keySpec}\n      KeyUsage: ENCRYPT_DECRYPT\n` : '';
  return `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
${spec}      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Root
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root' }
            Action: 'kms:*'
            Resource: '*'
          - Sid: AppSymmetricOnly
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/app' }
            Action: kms:Decrypt
            Resource: '*'
            Condition:
              StringEquals:
                kms:KeySpec: SYMMETRIC_DEFAULT
`;
}


/** A stack whose key has the default key policy and whose role app may decrypt with it, under a boundary that allows these actions. */
function boundaryStack(boundaryActions: string[]): string {
  return `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Data
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: [${boundaryActions.map((a) => `'${a}'`).join(', ')}]
            Resource: '*'
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: use-key
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: !GetAtt DataKey.Arn
`;
}

/** A stack whose key policy gives account B Decrypt only when its IsProd condition holds (Environment = prod). */
const CONDITIONAL_STACK = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Root
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'
            Action: 'kms:*'
            Resource: '*'
          - !If
            - IsProd
            - Sid: ProdReadersInB
              Effect: Allow
              Principal:
                AWS: arn:aws:iam::${B}:root
              Action: ['kms:Decrypt', 'kms:DescribeKey']
              Resource: '*'
            - !Ref AWS::NoValue
`;

/** A Terraform key in the account the module is deployed to (data.aws_caller_identity), whose policy names B's reader role. */
const DEPLOY_ACCOUNT_KEY = `data "aws_caller_identity" "current" {}

resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ReaderRole"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${B}:role/reader" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}
`;

/** A CloudFormation JSON template whose ManagedPolicy (Decrypt on the owner's keys) is attached to its role ops. */
const OPS_STACK_JSON = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        OpsRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'ops', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } },
        OpsPolicy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'OpsRole' }], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${OWNER}:key/*` }] } } },
      },
    }, null, 2);

const CASES: Case[] = [
  // ---- Same account: the key policy alone, or the key policy handing the decision to IAM ----
  {
    name: 'same account: root statement + IAM policy naming the key ARN',
    source: DOC.defaultKeyPolicy,
    quote: 'It allows the account to use IAM policies to allow access to the KMS key, in addition to the key policy.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': iam(KEY) },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'same account: root statement but no IAM policy allows the key',
    source: DOC.troubleshooting,
    quote: 'Alice is denied access to the KMS key because there is no key policy, IAM policy, or grant that gives her the required permissions.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'same account: the account principal does not itself give a role permission',
    source: DOC.defaultKeyPolicy,
    quote: "When the principal in a key policy statement is the account principal, the policy statement doesn't give any IAM users or roles permission to use the KMS key.",
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Readers', root(OWNER), 'kms:Decrypt')], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'reports'), 'owner/app.iam.json']),
    principal: role(OWNER, 'reports'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'same account: key policy names the role, no IAM policy needed',
    source: DOC.controlAccess,
    quote: 'You can use the key policy alone to control access, which means the full scope of access to the KMS key is defined in a single document (the key policy).',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('App', role(OWNER, 'app'), USAGE)], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Encrypt',
    expect: 'allowed',
  },
  {
    name: 'same account: key policy without the root statement makes the IAM policy ineffective',
    source: DOC.keyPolicies,
    quote: 'Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a KMS key.',
    files: { [KEY_POLICY_FILE]: [allow('Admins', role(OWNER, 'admin'), ADMIN_ACTIONS)], 'owner/app.iam.json': iam(KEY, 'kms:*') },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'same account: without the root statement, the IAM policy adds nothing to what the key policy names',
    source: DOC.defaultKeyPolicy,
    quote: 'Without this permission, IAM policies that allow access to the key are ineffective, although IAM policies that deny access to the key are still effective.',
    files: { [KEY_POLICY_FILE]: [allow('AppDecrypt', role(OWNER, 'app'), 'kms:Decrypt')], 'owner/app.iam.json': iam(KEY, ['kms:Decrypt', 'kms:Encrypt']) },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Encrypt',
    expect: 'denied',
  },
  {
    name: 'same account: an IAM Deny works even when the key policy has no root statement',
    source: DOC.keyPolicies,
    quote: '(You can use an IAM policy to deny a permission to a KMS key without permission from a key policy.)',
    files: {
      [KEY_POLICY_FILE]: [allow('AppUse', role(OWNER, 'app'), USAGE)],
      'owner/app.iam.json': [{ Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }],
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'explicit Deny in the key policy wins over an Allow naming the same role',
    source: DOC.evaluationLogic,
    quote: 'An explicit deny in any policy overrides any allows.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AppAll', role(OWNER, 'app'), 'kms:*'), deny('NoDecrypt', role(OWNER, 'app'), 'kms:Decrypt')],
      'owner/app.iam.json': iam(KEY),
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },

  // ---- Across accounts: both halves ----
  {
    name: 'cross-account: key policy allows account B, B\'s IAM policy names the key ARN',
    source: DOC.otherAccounts,
    quote: "Cross-account access requires permission in the key policy of the KMS key and in an IAM policy in the external user's account.",
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'cross-account: key policy names B\'s role directly, with B\'s IAM policy',
    source: DOC.otherAccounts,
    quote: 'The key policy for the KMS key must give the external account (or users and roles in the external account) permission to use the KMS key.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('BApp', role(B, 'app'), USAGE)], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:GenerateDataKey',
    expect: 'allowed',
  },
  {
    name: 'cross-account: key policy names B\'s role but its IAM policies do not allow the key',
    source: DOC.crossAccountEvaluation,
    quote: 'The request is allowed only if both evaluations return a decision of Allow.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('BApp', role(B, 'app'), USAGE)], 'b/app.iam.json': NO_KMS },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'cross-account: B\'s IAM policy allows the key, the key policy does not name B',
    source: DOC.troubleshooting,
    quote: 'Cross-account IAM policies like this one are effective only when the key policy for the KMS key in account 2 gives account 1 permission to use the KMS key.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'cross-account: B may delegate only the actions the key policy gave B',
    source: DOC.troubleshooting,
    quote: 'Also, account 1 can only give its principals permission to perform the actions that the key policy gave to the account.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), 'kms:Decrypt')], 'b/app.iam.json': iam(KEY, ['kms:Decrypt', 'kms:Encrypt']) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Encrypt',
    expect: 'denied',
  },
  {
    name: 'cross-account: key policy names B\'s app role, B\'s other role is not allowed',
    source: DOC.keyPolicies,
    quote: 'No AWS principal ... has any permissions to a KMS key unless they are explicitly allowed, and never denied, in a key policy, IAM policy, or grant.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('BApp', role(B, 'app'), USAGE)], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'batch'), 'b/app.iam.json']),
    principal: role(B, 'batch'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'cross-account: PutKeyPolicy granted to B takes no effect',
    source: DOC.putKeyPolicy,
    quote: 'Cross-account use: No. You cannot perform this operation on a KMS key in a different AWS account.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountBAll', root(B), 'kms:*')], 'b/admin.iam.json': iam(KEY, 'kms:*') },
    config: principals([role(B, 'admin'), 'b/admin.iam.json']),
    principal: role(B, 'admin'),
    action: 'kms:PutKeyPolicy',
    expect: 'denied',
  },
  {
    name: 'cross-account: ScheduleKeyDeletion granted to B\'s role takes no effect',
    source: DOC.otherAccounts,
    quote: 'If you give a user in a different account permission for other operations, those permissions have no effect.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('BDelete', role(B, 'admin'), ['kms:ScheduleKeyDeletion', 'kms:DescribeKey'])], 'b/admin.iam.json': iam(KEY, ['kms:ScheduleKeyDeletion', 'kms:DescribeKey']) },
    config: principals([role(B, 'admin'), 'b/admin.iam.json']),
    principal: role(B, 'admin'),
    action: 'kms:ScheduleKeyDeletion',
    expect: 'denied',
  },
  {
    name: 'cross-account: CreateGrant is one of the operations that work across accounts',
    source: DOC.otherAccounts,
    quote: 'Cross-account permission is effective only for the following operations: Cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant, RevokeGrant',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountBGrants', root(B), ['kms:CreateGrant', 'kms:DescribeKey'])], 'b/app.iam.json': iam(KEY, ['kms:CreateGrant', 'kms:DescribeKey']) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:CreateGrant',
    expect: 'allowed',
  },
  {
    name: 'cross-account: an explicit Deny in B\'s IAM policy wins over both Allows',
    source: DOC.troubleshooting,
    quote: 'a caller can be denied access by an explicit DENY statement, or by the absence of an explicit ALLOW statement, in the key policy, IAM policy, or grant.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': [...iam(KEY), { Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }],
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'Principal "*" without a condition: another account with its IAM half is allowed',
    source: DOC.otherAccounts,
    quote: 'An asterisk gives every identity in every AWS account permission to use the KMS key, unless another policy statement explicitly denies it.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Everyone', '*', USAGE)], 'c/app.iam.json': iam(KEY) },
    config: principals([role(C, 'app'), 'c/app.iam.json']),
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'Principal "*" without a condition: another account still needs its IAM half',
    source: DOC.otherAccounts,
    quote: 'Users in other AWS accounts just need corresponding IAM permissions in their own accounts to use the KMS key.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Everyone', '*', USAGE)], 'c/app.iam.json': NO_KMS },
    config: principals([role(C, 'app'), 'c/app.iam.json']),
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'Principal "*" without a condition: the owner account\'s role needs no IAM policy',
    source: DOC.otherAccounts,
    quote: 'An asterisk gives every identity in every AWS account permission to use the KMS key, unless another policy statement explicitly denies it.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Everyone', '*', USAGE)], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },

  // ---- How IAM policies name the key ----
  {
    name: 'IAM policy naming the alias ARN as Resource grants nothing on the key (same account)',
    source: DOC.keysInIamPolicies,
    quote: 'You cannot use a key id, alias name, or alias ARN to identify a KMS key in an IAM policy statement.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': iam(ALIAS_ARN) },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'IAM policy naming the alias ARN as Resource grants nothing on the key (cross-account)',
    source: DOC.aliasAuthorization,
    quote: 'When an alias is the value of a resource element, the policy applies to the alias resource, not to any KMS key that might be associated with it.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)], 'b/app.iam.json': iam(ALIAS_ARN) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Encrypt',
    key: 'alias/data',
    expect: 'denied',
  },
  {
    name: 'IAM policy naming the bare key ID as Resource grants nothing',
    source: DOC.keysInIamPolicies,
    quote: 'To specify a KMS key in an IAM policy statement, you must use its key ARN.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': iam(KEY_ID) },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'IAM policy with key/* of the owner account and Region covers the key',
    source: DOC.keysInIamPolicies,
    quote: 'To specify multiple KMS keys in the account and Region, use wildcard characters (*) in the Region or resource ID positions of the key ARN.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)], 'b/app.iam.json': iam(`arn:aws:kms:us-east-1:${OWNER}:key/*`) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'IAM policy with key/* of another Region does not cover the key',
    source: DOC.keysInIamPolicies,
    quote: 'To specify all KMS keys in the US West (Oregon) Region of an account, use "Resource": "arn:aws:kms:us-west-2:111122223333:key/*".',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)], 'b/app.iam.json': iam(`arn:aws:kms:us-west-2:${OWNER}:key/*`) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'kms:ResourceAliases in an IAM policy: the key has the alias',
    source: DOC.kmsConditionKeys,
    quote: 'To satisfy the condition, the KMS key used in the operation must have the specified alias.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': iam(`arn:aws:kms:*:${OWNER}:key/*`, USAGE, { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/data' } }),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'kms:ResourceAliases in an IAM policy: the key does not have the alias',
    source: DOC.kmsConditionKeys,
    quote: 'ForAnyValue: At least one alias associated with the KMS key must match an alias in the policy condition.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': iam(`arn:aws:kms:*:${OWNER}:key/*`, USAGE, { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance' } }),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'kms:ResourceAliases in a key policy: the key is valid only in IAM policies, the statement never applies',
    source: DOC.kmsConditionKeys,
    quote: 'kms:ResourceAliases | String (list) | Multi-valued | KMS key resource operations | IAM policies only',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('ByAlias', role(OWNER, 'app'), USAGE, { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/data' } })],
      'owner/app.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'kms:RequestAlias: whether the request names the key by that alias is not known',
    source: DOC.kmsConditionKeys,
    quote: 'To satisfy this condition, the value of the KeyId parameter in the request must be a matching alias name or alias ARN.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': iam(`arn:aws:kms:*:${OWNER}:key/*`, USAGE, { StringEquals: { 'kms:RequestAlias': 'alias/data' } }),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /RequestAlias/i,
  },
  {
    name: 'kms:RequestAlias given in the context: the request names the key by that alias',
    source: DOC.kmsConditionKeys,
    quote: 'To satisfy this condition, the value of the KeyId parameter in the request must be a matching alias name or alias ARN.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': iam(`arn:aws:kms:*:${OWNER}:key/*`, USAGE, { StringEquals: { 'kms:RequestAlias': 'alias/data' } }),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    context: { 'kms:RequestAlias': 'alias/data' },
    expect: 'allowed',
  },
  {
    name: 'aws:ResourceAccount in an IAM policy: the key\'s owner matches',
    source: DOC.globalConditionKeys,
    quote: "Use this key to compare the requested resource owner's AWS account ID with the resource account in the policy.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': iam('*', USAGE, { StringEquals: { 'aws:ResourceAccount': OWNER } }),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'aws:ResourceAccount in an IAM policy: the key\'s owner is another account',
    source: DOC.globalConditionKeys,
    quote: "Use this key to compare the requested resource owner's AWS account ID with the resource account in the policy.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE)],
      'b/app.iam.json': iam('*', USAGE, { StringEquals: { 'aws:ResourceAccount': C } }),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },

  // ---- Principals: roles, role sessions, NotPrincipal ----
  {
    name: 'an assumed-role session of a role the key policy names (same account)',
    source: DOC.principal,
    quote: 'When you specify a role principal in a resource-based policy, the effective permissions for the principal are limited by any policy types that limit permissions for the role.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('App', role(OWNER, 'app'), USAGE)], 'owner/app.iam.json': NO_KMS },
    principal: session(OWNER, 'app', 'i-0abc123'),
    action: 'kms:Decrypt',
    policies: ['owner/app.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'an assumed-role session of B\'s role the key policy names, with the role\'s IAM policy',
    source: DOC.principal,
    quote: 'When they use those session credentials to perform operations in AWS, they become a role session principal.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('BApp', role(B, 'app'), USAGE)], 'b/app.iam.json': iam(KEY) },
    principal: session(B, 'app', 'deploy-42'),
    action: 'kms:Decrypt',
    policies: ['b/app.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'aws:PrincipalArn is the role ARN for a role session (the role declared, so its path is known)',
    source: DOC.globalConditionKeys,
    quote: 'For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed the role.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AppByArn', '*', USAGE, { ArnEquals: { 'aws:PrincipalArn': role(OWNER, 'app') } })], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: session(OWNER, 'app', 'worker'),
    action: 'kms:Encrypt',
    policies: ['owner/app.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'aws:PrincipalArn of a session, its role not declared: ArnLike role/* matches the role whatever its path',
    source: DOC.conditionOperators,
    quote: 'Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character match wildcards (*)',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AnyRole', '*', USAGE, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/*` } })], 'owner/app.iam.json': NO_KMS },
    principal: session(OWNER, 'app', 'i-0abc'),
    action: 'kms:Decrypt',
    policies: ['owner/app.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'aws:PrincipalArn of a session, its role not declared: a pattern with a path depends on the role\'s path',
    source: DOC.globalConditionKeys,
    quote: 'For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed the role.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('TeamRoles', '*', USAGE, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/team/*` } })], 'owner/app.iam.json': NO_KMS },
    principal: session(OWNER, 'app', 'i-0abc'),
    action: 'kms:Decrypt',
    policies: ['owner/app.iam.json'],
    expect: 'depends',
    dependsOn: /path/,
  },
  {
    name: 'NotPrincipal Deny: a role not listed is denied',
    source: DOC.notPrincipal,
    quote: 'the actions specified in the policy statement are explicitly denied to all principals except for the ones specified.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, { Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: { AWS: [role(OWNER, 'admin'), root(OWNER)] }, Action: 'kms:*', Resource: '*' }],
      'owner/app.iam.json': iam(KEY),
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'NotPrincipal Deny: the listed role is not denied, and its IAM policy allows',
    source: DOC.notPrincipal,
    quote: 'This example by itself does not grant access to Bob, it only omits Bob from the list of principals that are explicitly denied.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, { Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: { AWS: [role(OWNER, 'admin'), root(OWNER)] }, Action: 'kms:*', Resource: '*' }],
      'owner/admin.iam.json': iam(KEY, 'kms:*'),
    },
    config: principals([role(OWNER, 'admin'), 'owner/admin.iam.json']),
    principal: role(OWNER, 'admin'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    // AWS hedges ("might"): a NotPrincipal that names the role but not the session is not a certain exemption, nor a certain denial.
    name: 'NotPrincipal Deny listing the role but not its session: the answer depends on how AWS matches the session',
    source: DOC.notPrincipal,
    quote: 'If an assumed-role user (someone who is using a role) is being evaluated, AWS might validate the account first, then the role, and then the assumed-role user.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, { Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: { AWS: [role(OWNER, 'admin'), root(OWNER)] }, Action: 'kms:*', Resource: '*' }],
      'owner/admin.iam.json': iam(KEY, 'kms:*'),
    },
    principal: session(OWNER, 'admin', 'ops'),
    action: 'kms:Decrypt',
    policies: ['owner/admin.iam.json'],
    expect: 'depends',
    dependsOn: /NotPrincipal/,
  },
  {
    name: 'Deny unless aws:PrincipalAccount is listed: an unlisted account is denied',
    source: DOC.globalConditionKeys,
    quote: 'Use this key to compare the account to which the requesting principal belongs with the account identifier that you specify in the policy.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Everyone', '*', USAGE), deny('OnlyOurAccounts', '*', 'kms:*', { StringNotEquals: { 'aws:PrincipalAccount': [OWNER, B] } })],
      'c/app.iam.json': iam(KEY),
    },
    config: principals([role(C, 'app'), 'c/app.iam.json']),
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'Deny unless aws:PrincipalAccount is listed: a listed account is not denied',
    source: DOC.globalConditionKeys,
    quote: 'Use this key to compare the account to which the requesting principal belongs with the account identifier that you specify in the policy.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Everyone', '*', USAGE), deny('OnlyOurAccounts', '*', 'kms:*', { StringNotEquals: { 'aws:PrincipalAccount': [OWNER, B] } })],
      'b/app.iam.json': iam(KEY),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },

  // ---- Organizations ----
  {
    name: 'aws:PrincipalOrgID: B is declared in the organization',
    source: DOC.globalConditionKeys,
    quote: 'Use this key to compare the identifier of the organization in AWS Organizations to which the requesting principal belongs with the identifier specified in the policy.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Org', '*', USAGE, { StringEquals: { 'aws:PrincipalOrgID': ORG } })], 'b/app.iam.json': iam(KEY) },
    config: { ...ORGANIZATION, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'aws:PrincipalOrgID: no organization in keyshare.json, membership unknown',
    source: DOC.globalConditionKeys,
    quote: 'This key is included in the request context only if the principal is a member of an organization.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Org', '*', USAGE, { StringEquals: { 'aws:PrincipalOrgID': ORG } })], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /PrincipalOrgID|organi[sz]ation/i,
  },
  {
    name: 'aws:PrincipalOrgID: an account keyshare.json does not place',
    source: DOC.globalConditionKeys,
    quote: 'This key is included in the request context only if the principal is a member of an organization.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Org', '*', USAGE, { StringEquals: { 'aws:PrincipalOrgID': ORG } })], 'x/app.iam.json': iam(KEY) },
    config: ORGANIZATION,
    principal: role(STRANGER, 'app'),
    action: 'kms:Decrypt',
    policies: ['x/app.iam.json'],
    expect: 'depends',
    dependsOn: /PrincipalOrgID|organi[sz]ation/i,
  },
  {
    name: 'aws:PrincipalOrgPaths: B is in the OU',
    source: DOC.globalConditionKeys,
    quote: 'In a policy, this condition key ensures that the requester is an account member within the specified organization root or organizational units (OUs) in AWS Organizations.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('OU', '*', USAGE, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${OU_PATH}*` } })], 'b/app.iam.json': iam(KEY) },
    config: { ...ORGANIZATION_TWO_UNITS, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'aws:PrincipalOrgPaths: C is in another OU',
    source: DOC.globalConditionKeys,
    quote: 'In a policy, this condition key ensures that the requester is an account member within the specified organization root or organizational units (OUs) in AWS Organizations.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('OU', '*', USAGE, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${OU_PATH}*` } })], 'c/app.iam.json': iam(KEY) },
    config: { ...ORGANIZATION_TWO_UNITS, ...principals([role(C, 'app'), 'c/app.iam.json']) },
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'aws:PrincipalOrgPaths: no organization in keyshare.json',
    source: DOC.globalConditionKeys,
    quote: 'This key is included in the request context only if the principal is a member of an organization.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('OU', '*', USAGE, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${OU_PATH}*` } })], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /PrincipalOrgPaths|organi[sz]ation/i,
  },
  {
    name: 'StringNotEquals aws:PrincipalOrgID in a Deny: B is in the organization, not denied',
    source: DOC.conditionOperators,
    quote: 'If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE), deny('OrgOnly', '*', 'kms:*', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } })],
      'b/app.iam.json': iam(KEY),
    },
    config: { ...ORGANIZATION, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'StringNotEquals aws:PrincipalOrgID in a Deny: without the organization, the Deny may apply',
    source: DOC.conditionOperators,
    quote: 'If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE), deny('OrgOnly', '*', 'kms:*', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } })],
      'b/app.iam.json': iam(KEY),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /PrincipalOrgID|organi[sz]ation/i,
  },
  {
    name: 'StringNotEqualsIfExists aws:PrincipalOrgID in a Deny: membership unknown, the Deny may apply',
    source: DOC.conditionOperators,
    quote: 'If you are using an "Effect": "Deny" element with a negated condition operator like StringNotEqualsIfExists, the request is still denied even if the tag is missing.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountB', root(B), USAGE), deny('OrgOnly', '*', 'kms:*', { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } })],
      'b/app.iam.json': iam(KEY),
    },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Encrypt',
    expect: 'depends',
    dependsOn: /PrincipalOrgID|organi[sz]ation/i,
  },
  {
    name: 'Null aws:PrincipalOrgID false: B belongs to the declared organization',
    source: DOC.conditionOperators,
    quote: "use either true (the key doesn't exist — it is null) or false (the key exists and its value is not null).",
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AnyOrgMember', '*', 'kms:DescribeKey', { Null: { 'aws:PrincipalOrgID': 'false' } })], 'b/app.iam.json': iam(KEY) },
    config: { ...ORGANIZATION, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:DescribeKey',
    expect: 'allowed',
  },
  {
    name: 'ForAllValues on aws:PrincipalOrgPaths: an account in no known organization may match vacuously',
    source: DOC.multiValued,
    quote: 'It also returns true if there are no keys in the request',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('OUAll', '*', USAGE, { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': `${OU_PATH}*` } })], 'x/app.iam.json': iam(KEY) },
    config: ORGANIZATION,
    principal: role(STRANGER, 'app'),
    action: 'kms:Decrypt',
    policies: ['x/app.iam.json'],
    expect: 'depends',
    dependsOn: /PrincipalOrgPaths|organi[sz]ation/i,
  },

  // ---- KMS condition keys ----
  {
    name: 'kms:ViaService without context: depends on whether the call comes through S3',
    source: DOC.kmsConditionKeys,
    quote: 'The kms:ViaService condition key limits use of an KMS key to requests from specified AWS services.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('ViaS3', role(OWNER, 'app'), USAGE, { StringEquals: { 'kms:ViaService': S3_VIA } })], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:GenerateDataKey',
    expect: 'depends',
    dependsOn: /ViaService/i,
  },
  {
    name: 'kms:ViaService with the matching service in the context',
    source: DOC.kmsConditionKeys,
    quote: 'The kms:ViaService condition key limits use of an KMS key to requests from specified AWS services.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('ViaS3', role(OWNER, 'app'), USAGE, { StringEquals: { 'kms:ViaService': S3_VIA } })], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:GenerateDataKey',
    context: { 'kms:ViaService': S3_VIA },
    expect: 'allowed',
  },
  {
    name: 'kms:ViaService with another service in the context',
    source: DOC.kmsConditionKeys,
    quote: 'The kms:ViaService condition key limits use of an KMS key to requests from specified AWS services.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('ViaS3', role(B, 'app'), USAGE, { StringEquals: { 'kms:ViaService': S3_VIA } })], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    context: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' },
    expect: 'denied',
  },
  {
    name: 'StringEqualsIfExists kms:ViaService: the key is present with another service',
    source: DOC.conditionOperators,
    quote: 'If the policy key is present in the context of the request, process the key as specified in the policy.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('DirectOrS3', role(OWNER, 'app'), USAGE, { StringEqualsIfExists: { 'kms:ViaService': S3_VIA } })], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    context: { 'kms:ViaService': 'lambda.us-east-1.amazonaws.com' },
    expect: 'denied',
  },
  {
    name: 'root statement plus a ViaService-conditioned statement naming the role: the IAM path allows without the service',
    source: DOC.defaultKeyPolicy,
    quote: 'It allows the account to use IAM policies to allow access to the KMS key, in addition to the key policy.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('ViaS3', role(OWNER, 'app'), 'kms:Decrypt', { StringEquals: { 'kms:ViaService': S3_VIA } })], 'owner/app.iam.json': iam(KEY, 'kms:Decrypt') },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'root statement plus a ViaService-conditioned statement naming the role: without an IAM grant it depends on the service',
    source: DOC.kmsConditionKeys,
    quote: 'The kms:ViaService condition key limits use of an KMS key to requests from specified AWS services.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('ViaS3', role(OWNER, 'app'), 'kms:Decrypt', { StringEquals: { 'kms:ViaService': S3_VIA } })], 'owner/app.iam.json': NO_KMS },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /ViaService/i,
  },
  {
    name: 'kms:CallerAccount with Principal "*": the named account, with its IAM half',
    source: DOC.kmsConditionKeys,
    quote: 'You can use this condition key to allow or deny access to all identities (IAM users and roles) in an AWS account.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountBCallers', '*', USAGE, { StringEquals: { 'kms:CallerAccount': B } })], 'b/app.iam.json': iam(KEY) },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'kms:CallerAccount with Principal "*": another account',
    source: DOC.kmsConditionKeys,
    quote: 'You can use this condition key to allow or deny access to all identities (IAM users and roles) in an AWS account.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AccountBCallers', '*', USAGE, { StringEquals: { 'kms:CallerAccount': B } })], 'c/app.iam.json': iam(KEY) },
    config: principals([role(C, 'app'), 'c/app.iam.json']),
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'kms:EncryptionContext condition on DescribeKey: DescribeKey has no encryption context',
    source: DOC.servicePermissions,
    quote: 'If you use these condition keys to allow other operations, such as DescribeKey, permission will be denied.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Backups', role(OWNER, 'backup'), ['kms:Decrypt', 'kms:DescribeKey'], { StringEquals: { 'kms:EncryptionContext:purpose': 'backup' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:DescribeKey',
    expect: 'denied',
  },
  {
    name: 'kms:EncryptionContext condition on Decrypt, context not given',
    source: DOC.kmsConditionKeys,
    quote: 'To require a particular encryption context pair, use the kms:EncryptionContext:context-key condition key with the StringEquals operator.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Backups', role(OWNER, 'backup'), ['kms:Decrypt', 'kms:DescribeKey'], { StringEquals: { 'kms:EncryptionContext:purpose': 'backup' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /EncryptionContext/i,
  },
  {
    name: 'kms:EncryptionContext condition on Decrypt, the matching pair given',
    source: DOC.kmsConditionKeys,
    quote: 'To require a particular encryption context pair, use the kms:EncryptionContext:context-key condition key with the StringEquals operator.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Backups', role(OWNER, 'backup'), ['kms:Decrypt', 'kms:DescribeKey'], { StringEquals: { 'kms:EncryptionContext:purpose': 'backup' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:purpose': 'backup' },
    expect: 'allowed',
  },
  {
    name: 'kms:EncryptionContext condition on Decrypt, another value given',
    source: DOC.kmsConditionKeys,
    quote: 'To require a particular encryption context pair, use the kms:EncryptionContext:context-key condition key with the StringEquals operator.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Backups', role(OWNER, 'backup'), ['kms:Decrypt', 'kms:DescribeKey'], { StringEquals: { 'kms:EncryptionContext:purpose': 'backup' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:purpose': 'reports' },
    expect: 'denied',
  },
  {
    name: 'ForAllValues on kms:EncryptionContextKeys: a Decrypt request with no encryption context also passes',
    source: DOC.kmsConditionKeys,
    quote: "It doesn't require any encryption context keys, but it forbids unspecified encryption context keys.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('PurposeOnly', role(OWNER, 'backup'), 'kms:Decrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'purpose' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /EncryptionContext/i,
  },
  {
    name: 'kms:GrantIsForAWSResource on CreateGrant, not known whether a service calls',
    source: DOC.kmsConditionKeys,
    quote: "Allows or denies permission for the CreateGrant, ListGrants, or RevokeGrant operations only when an AWS services integrated with AWS KMS calls the operation on the user's behalf.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Attach', role(OWNER, 'app'), ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Bool: { 'kms:GrantIsForAWSResource': 'true' } })],
      'owner/app.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:CreateGrant',
    expect: 'depends',
    dependsOn: /GrantIsForAWSResource/i,
  },
  {
    name: 'kms:GrantIsForAWSResource on CreateGrant, a direct call',
    source: DOC.kmsConditionKeys,
    quote: "This policy condition doesn't allow the user to call these grant operations directly.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Attach', role(OWNER, 'app'), ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Bool: { 'kms:GrantIsForAWSResource': 'true' } })],
      'owner/app.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:CreateGrant',
    context: { 'kms:GrantIsForAWSResource': 'false' },
    expect: 'denied',
  },
  {
    name: 'kms:GrantIsForAWSResource on CreateGrant, called by an integrated service',
    source: DOC.kmsConditionKeys,
    quote: "Allows or denies permission for the CreateGrant, ListGrants, or RevokeGrant operations only when an AWS services integrated with AWS KMS calls the operation on the user's behalf.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Attach', role(OWNER, 'app'), ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Bool: { 'kms:GrantIsForAWSResource': 'true' } })],
      'owner/app.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:CreateGrant',
    context: { 'kms:GrantIsForAWSResource': 'true' },
    expect: 'allowed',
  },

  // ---- AWS managed keys ----
  {
    name: 'AWS managed key of B, used from account C',
    source: DOC.secretsCrossAccount,
    quote: "This is because you can't use the AWS managed key (aws/secretsmanager) for cross-account access.",
    files: { 'c/app.iam.json': iam('*', 'kms:Decrypt') },
    config: principals([role(C, 'app'), 'c/app.iam.json']),
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    key: MANAGED,
    expect: 'denied',
  },
  {
    name: 'AWS managed key of B, used in B, not known whether through S3',
    source: DOC.kmsConditionKeys,
    quote: 'This condition allows the KMS key to be used only for requests that come from the service that created the KMS key.',
    files: { 'b/app.iam.json': iam('*', 'kms:Decrypt') },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    key: MANAGED,
    expect: 'depends',
    dependsOn: /ViaService/i,
  },
  {
    name: 'AWS managed key of B, used in B through S3',
    source: DOC.kmsConditionKeys,
    quote: 'All AWS managed keys use a kms:ViaService condition key in their key policy document.',
    files: { 'b/app.iam.json': iam('*', 'kms:Decrypt') },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    key: MANAGED,
    context: { 'kms:ViaService': S3_VIA },
    expect: 'allowed',
  },
  {
    name: 'AWS managed key for S3 of B, used in B through EC2: only the service that created it may use it',
    source: DOC.kmsConditionKeys,
    quote: 'This condition allows the KMS key to be used only for requests that come from the service that created the KMS key.',
    files: { 'b/app.iam.json': iam('*', 'kms:Decrypt') },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    key: MANAGED,
    context: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' },
    expect: 'denied',
  },
  {
    name: 'AWS managed key for S3 of B, through S3 of another Region: its key policy names its own Region\'s endpoint',
    source: DOC.kmsConditionKeys,
    quote: 'This condition allows the KMS key to be used only for requests that come from the service that created the KMS key.',
    files: { 'b/app.iam.json': iam('*', 'kms:Decrypt') },
    config: principals([role(B, 'app'), 'b/app.iam.json']),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    key: MANAGED,
    context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
    expect: 'denied',
  },

  {
    name: 'kms:EncryptionAlgorithm on GenerateDataKey: a data key operation always uses SYMMETRIC_DEFAULT, so AWS\'s Deny of other algorithms leaves it',
    source: `${DOC.kmsConditionKeys}#conditions-kms-encryption-algorithm`,
    quote: 'These operations use only symmetric encryption KMS keys and the SYMMETRIC_DEFAULT algorithm',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('App', role(OWNER, 'app'), ['kms:GenerateDataKey*', 'kms:Decrypt']), deny('OtherAlgorithms', '*', 'kms:*', { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } })],
      'owner/app.iam.json': NO_KMS,
    },
    principal: role(OWNER, 'app'),
    action: 'kms:GenerateDataKey',
    policies: ['owner/app.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'Terraform: a key with no custom key store has origin AWS_KMS, so a statement for CloudHSM keys does not allow it',
    source: DOC.createKey,
    quote: 'You cannot change the origin after you create the KMS key. The default is AWS_KMS',
    files: {
      'owner/infra/main.tf': `resource "aws_kms_key" "data" {
  description = "Data"
}
resource "aws_iam_role_policy" "use" {
  name = "use-keys"
  role = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "*", Condition = { StringEquals = { "kms:KeyOrigin" = "AWS_CLOUDHSM" } } }]
  })
}
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    expect: 'denied',
  },

  // ---- Key policies written in CloudFormation templates ----
  {
    name: 'CloudFormation: !Sub root statement, same-account role with an IAM policy on the key ARN',
    source: DOC.defaultKeyPolicy,
    quote: 'It allows the account to use IAM policies to allow access to the KMS key, in addition to the key policy.',
    files: { [CFN_FILE]: cfnTemplate(CFN_ENABLE_IAM), 'owner/app.iam.json': iam(KEY) },
    config: { ...cfnKey, ...principals([role(OWNER, 'app'), 'owner/app.iam.json']) },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: key users statement for account B, B\'s role with its IAM half',
    source: DOC.otherAccounts,
    quote: "Cross-account access requires permission in the key policy of the KMS key and in an IAM policy in the external user's account.",
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: AllowAccountB
            Effect: Allow
            Principal:
              AWS: 'arn:aws:iam::${B}:root'
            Action:
              - kms:Encrypt
              - kms:Decrypt
              - kms:ReEncrypt*
              - kms:GenerateDataKey*
              - kms:DescribeKey
            Resource: '*'`),
      'b/app.iam.json': iam(KEY),
    },
    config: { ...cfnKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:ReEncryptFrom',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: kms:* to account B does not let B schedule deletion',
    source: DOC.scheduleKeyDeletion,
    quote: 'Cross-account use: No. You cannot perform this operation on a KMS key in a different AWS account.',
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: AccountBEverything
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::${B}:root'
            Action: 'kms:*'
            Resource: '*'`),
      'b/admin.iam.json': iam(KEY, 'kms:*'),
    },
    config: { ...cfnKey, ...principals([role(B, 'admin'), 'b/admin.iam.json']) },
    principal: role(B, 'admin'),
    action: 'kms:ScheduleKeyDeletion',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: organization-wide statement, no organization in keyshare.json',
    source: DOC.globalConditionKeys,
    quote: 'This key is included in the request context only if the principal is a member of an organization.',
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: AllowOrganization
            Effect: Allow
            Principal: '*'
            Action:
              - kms:Decrypt
              - kms:DescribeKey
            Resource: '*'
            Condition:
              StringEquals:
                aws:PrincipalOrgID: ${ORG}`),
      'b/app.iam.json': iam(KEY),
    },
    config: { ...cfnKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /PrincipalOrgID|organi[sz]ation/i,
  },
  {
    name: 'CloudFormation: key policy with only a key administrator, the app role\'s IAM policy is ineffective',
    source: DOC.keyPolicies,
    quote: 'Without permission from the key policy, IAM policies that allow permissions have no effect.',
    files: {
      [CFN_FILE]: cfnTemplate(`
          - Sid: KeyAdministrators
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/admin'
            Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion']
            Resource: '*'`),
      'owner/app.iam.json': iam(KEY, ['kms:Decrypt', 'kms:DescribeKey']),
    },
    config: { ...cfnKey, ...principals([role(OWNER, 'app'), 'owner/app.iam.json']) },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: key users statement limited to S3, the call comes through S3',
    source: DOC.kmsConditionKeys,
    quote: 'The kms:ViaService condition key limits use of an KMS key to requests from specified AWS services.',
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: AppThroughS3
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/app'
            Action:
              - kms:Decrypt
              - kms:GenerateDataKey
            Resource: '*'
            Condition:
              StringEquals:
                kms:ViaService: !Sub 's3.\${AWS::Region}.amazonaws.com'`),
      'owner/app.iam.json': NO_KMS,
    },
    config: { ...cfnKey, ...principals([role(OWNER, 'app'), 'owner/app.iam.json']) },
    principal: role(OWNER, 'app'),
    action: 'kms:GenerateDataKey',
    context: { 'kms:ViaService': S3_VIA },
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: persistent-resource grants statement, CreateGrant depends on a service calling',
    source: DOC.defaultKeyPolicy,
    quote: 'The kms:GrantIsForAWSResource policy condition doesn\'t allow the user to call these grant operations directly.',
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: AllowAttachmentOfPersistentResources
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/app'
            Action:
              - kms:CreateGrant
              - kms:ListGrants
              - kms:RevokeGrant
            Resource: '*'
            Condition:
              Bool:
                kms:GrantIsForAWSResource: true`),
      'owner/app.iam.json': NO_KMS,
    },
    config: { ...cfnKey, ...principals([role(OWNER, 'app'), 'owner/app.iam.json']) },
    principal: role(OWNER, 'app'),
    action: 'kms:CreateGrant',
    expect: 'depends',
    dependsOn: /GrantIsForAWSResource/i,
  },

  // ---- Round 4 of questions from AWS pages: sessions, template conditions, request facts from the key ----
  {
    name: 'a session of a role keyshare.json declares has that role\'s identity policies',
    source: DOC.sessionPolicies,
    quote: "Session policies limit the permissions that the role or user's identity-based policies grant to the session.",
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/ops.iam.json': iam('*', ['kms:Decrypt']) },
    config: principals([role(OWNER, 'ops'), 'owner/ops.iam.json']),
    principal: session(OWNER, 'ops', 'bob'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'a session of a role declared with no identity policies: the root statement alone lets nothing in',
    source: DOC.sessionPolicies,
    quote: 'Session policies limit permissions for a created session, but do not grant permissions.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM] },
    config: { principals: [{ arn: role(OWNER, 'ops'), policies: [] }] },
    principal: session(OWNER, 'ops', 'bob'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: a statement under a template condition that the parameter values given make true',
    source: DOC.cfnConditions,
    quote: 'These conditions are evaluated based on input parameters that you declare when you create or update a stack.',
    files: { [CFN_FILE]: CONDITIONAL_STACK, 'b/app.iam.json': iam(KEY) },
    config: { ...cfnKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    parameters: { Environment: 'prod' },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: the same statement when the parameter values given make its condition false',
    source: DOC.cfnConditions,
    quote: 'These conditions are evaluated based on input parameters that you declare when you create or update a stack.',
    files: { [CFN_FILE]: CONDITIONAL_STACK, 'b/app.iam.json': iam(KEY) },
    config: { ...cfnKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    parameters: { Environment: 'dev' },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: with no parameter values given, the statement under a condition depends on it',
    source: DOC.cfnConditions,
    quote: 'These conditions are evaluated based on input parameters that you declare when you create or update a stack.',
    files: { [CFN_FILE]: CONDITIONAL_STACK, 'b/app.iam.json': iam(KEY) },
    config: { ...cfnKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /condition IsProd/,
  },
  {
    name: 'kms:MultiRegion is known from the key ID: a single-Region key is not multi-Region',
    source: DOC.multiRegionKeys,
    quote: 'multi-Region keys have a distinctive key ID that begins with mrk-.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': iam(KEY, ['kms:Decrypt'], { Bool: { 'kms:MultiRegion': 'true' } }) },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'aws:RequestedRegion of a request that uses a key is the key\'s Region',
    source: DOC.multiRegionKeys,
    quote: 'KMS keys in a given Region can decrypt sensitive data only in that Region.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': [...iam(KEY, ['kms:Decrypt']), { Sid: 'EuOnly', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } }] },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'ForAllValues on kms:ResourceAliases of a key declared with "aliases": [] (none) is true',
    source: DOC.resourceAliases,
    quote: 'Without the ForAnyValue condition, this policy statement would have allowed the principal to use KMS keys that had no aliases.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/tester.iam.json': iam('*', ['kms:Decrypt'], { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/*Test*' } }) },
    config: { keys: [{ arn: KEY, policy: KEY_POLICY_FILE, aliases: [] }], ...principals([role(OWNER, 'tester'), 'owner/tester.iam.json']) },
    principal: role(OWNER, 'tester'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  // ---- Round 5: operations that need more than the key, or act on no key ----
  {
    name: 'CreateAlias needs the action on the alias too, which only an IAM policy gives: the key policy alone is not enough',
    source: DOC.aliasAccess,
    quote: 'the principal needs the following permissions for both the alias and for the associated KMS key.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AliasMgr', role(OWNER, 'aliasmgr'), ['kms:CreateAlias', 'kms:DeleteAlias'])], 'owner/aliasmgr.iam.json': NO_KMS },
    config: principals([role(OWNER, 'aliasmgr'), 'owner/aliasmgr.iam.json']),
    principal: role(OWNER, 'aliasmgr'),
    action: 'kms:CreateAlias',
    expect: 'denied',
  },
  {
    name: 'CreateAlias with the key policy on the key and an IAM policy on the alias ARNs',
    source: DOC.aliasAccess,
    quote: 'the principal needs the following permissions for both the alias and for the associated KMS key.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AliasMgr', role(OWNER, 'aliasmgr'), ['kms:CreateAlias'])], 'owner/aliasmgr.iam.json': iam(`arn:aws:kms:us-east-1:${OWNER}:alias/*`, ['kms:CreateAlias']) },
    config: principals([role(OWNER, 'aliasmgr'), 'owner/aliasmgr.iam.json']),
    principal: role(OWNER, 'aliasmgr'),
    action: 'kms:CreateAlias',
    expect: 'allowed',
  },
  {
    name: 'ListAliases acts on no key: a key policy that allows it gives nothing, only an IAM policy does',
    source: DOC.listAliases,
    quote: 'Required permissions: kms:ListAliases (IAM policy)',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('Lister', role(OWNER, 'lister'), ['kms:ListAliases', 'kms:ListKeys'])], 'owner/lister.iam.json': NO_KMS },
    config: principals([role(OWNER, 'lister'), 'owner/lister.iam.json']),
    principal: role(OWNER, 'lister'),
    action: 'kms:ListAliases',
    expect: 'denied',
  },
  {
    name: 'ListAliases allowed by an IAM policy on "*", whatever the key policy says',
    source: DOC.listAliases,
    quote: 'Required permissions: kms:ListAliases (IAM policy)',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/lister.iam.json': iam('*', ['kms:ListAliases']) },
    config: principals([role(OWNER, 'lister'), 'owner/lister.iam.json']),
    principal: role(OWNER, 'lister'),
    action: 'kms:ListAliases',
    expect: 'allowed',
  },
  {
    name: 'a CloudFormation JSON template (stack.json) attaches its ManagedPolicy to its role, as a YAML one does',
    source: DOC.defaultKeyPolicy,
    quote: 'Allows access to the AWS account and enables IAM policies',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/stack.json': OPS_STACK_JSON },
    principal: role(OWNER, 'ops'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'a session of a role that a template defines has the policies the template attaches to that role',
    source: DOC.sessionPolicies,
    quote: "Session policies limit the permissions that the role or user's identity-based policies grant to the session.",
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/stack.json': OPS_STACK_JSON },
    principal: session(OWNER, 'ops', 'nightly'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'an AWS::IAM::RolePolicy is the inline policy of the role its RoleName names (by !Ref or by name)',
    source: DOC.cfnRolePolicy,
    quote: 'Adds or updates an inline policy document that is embedded in the specified IAM role.',
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM],
      'owner/stack.yaml': `Resources:
${APP_ROLE}  UseKey:
    Type: AWS::IAM::RolePolicy
    Properties:
      PolicyName: use-key
      RoleName: !Ref AppRole
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: kms:Decrypt
            Resource: ${KEY}
`,
    },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: '--policy names a template\'s policy by its logical ID (stack.json#OpsPolicy)',
    source: DOC.defaultKeyPolicy,
    quote: 'Allows access to the AWS account and enables IAM policies',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'other/stack.json': OPS_STACK_JSON },
    policies: ['other/stack.json#OpsPolicy'],
    principal: role(OWNER, 'ops'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  // ---- Key policies written in Terraform ----
  {
    name: 'Terraform jsonencode: key policy allows account B, B\'s role with its IAM half',
    source: DOC.otherAccounts,
    quote: 'IAM policies in the external account must delegate the key policy permissions to its users and roles.',
    files: {
      [TF_FILE]: `resource "aws_kms_key" "data" {
  description         = "Encrypts the data bucket"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${OWNER}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowAccountB"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${B}:root" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}
`,
      'b/app.iam.json': iam(KEY),
    },
    config: { ...tfKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:DescribeKey',
    expect: 'allowed',
  },
  {
    name: 'Terraform key in the account it is deployed to: the role it names may be of another account, whose IAM must allow too',
    source: DOC.otherAccounts,
    quote: "Cross-account access requires permission in the key policy of the KMS key and in an IAM policy in the external user's account.",
    files: { ['infra/main.tf']: DEPLOY_ACCOUNT_KEY },
    config: { keys: [] },
    principal: role(B, 'reader'),
    action: 'kms:Decrypt',
    key: 'infra/main.tf#aws_kms_key.data',
    expect: 'depends',
    dependsOn: /the key's account/,
  },
  {
    name: 'Terraform key in the account it is deployed to: the role it names, with an IAM policy for the key, may decrypt from either account',
    source: DOC.otherAccounts,
    quote: 'The key policy for the KMS key must give the external account (or users and roles in the external account) permission to use the KMS key.',
    files: { ['infra/main.tf']: DEPLOY_ACCOUNT_KEY, 'b/reader.iam.json': iam('*', ['kms:Decrypt']) },
    config: { keys: [], ...principals([role(B, 'reader'), 'b/reader.iam.json']) },
    principal: role(B, 'reader'),
    action: 'kms:Decrypt',
    key: 'infra/main.tf#aws_kms_key.data',
    expect: 'allowed',
  },
  {
    name: 'Terraform: a role policy on every key of its account (key/*, any Region) covers the module\'s key, whose Region only deployment tells',
    source: DOC.keysInIamPolicies,
    quote: 'all KMS keys in all Regions of the account',
    files: {
      'owner/infra/main.tf': `data "aws_caller_identity" "current" {}
resource "aws_kms_key" "data" {
  description = "Data"
}
resource "aws_iam_role_policy" "use" {
  name = "use-keys"
  role = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "arn:aws:kms:*:\${data.aws_caller_identity.current.account_id}:key/*" }]
  })
}
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: a role policy on the stack\'s own Region and account key/* covers the stack\'s key',
    source: DOC.keysInIamPolicies,
    quote: 'all KMS keys in all Regions of the account',
    files: {
      'owner/infra/stack.yaml': `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Data
${APP_ROLE}      Policies:
        - PolicyName: use-keys
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: !Sub 'arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/*'
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: the key\'s KeySpec is read from the template; a statement for symmetric keys only does not cover an RSA key',
    source: DOC.kmsConditionKeys,
    quote: 'Some AWS KMS condition keys can control access to operations based on a property of the KMS key that is used in the operation.',
    files: {
      'owner/infra/stack.yaml': keySpecStack('RSA_2048'),
      'owner/app.iam.json': NO_KMS,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    policies: ['owner/app.iam.json'],
    expect: 'denied',
  },
  {
    name: 'CloudFormation: a key with no KeySpec is a symmetric encryption key (CreateKey\'s default)',
    source: DOC.createKey,
    quote: 'The default value, SYMMETRIC_DEFAULT, creates a KMS key with a 256-bit AES-GCM key',
    files: {
      'owner/infra/stack.yaml': keySpecStack(),
      'owner/app.iam.json': NO_KMS,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    policies: ['owner/app.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'Terraform: resource "aws_kms_key" "data" {} has the default key policy, so the account\'s IAM policy decides',
    source: DOC.defaultKeyPolicy,
    quote: 'Allows access to the AWS account and enables IAM policies',
    files: {
      'owner/infra/main.tf': `resource "aws_kms_key" "data" {}

resource "aws_iam_role_policy" "use" {
  name   = "use-key"
  role   = "app"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.data.arn }] })
}
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: a key with the default key policy does not let a service principal use it',
    source: DOC.defaultKeyPolicy,
    quote: 'Allows access to the AWS account and enables IAM policies',
    files: {
      'owner/infra/stack.yaml': `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
`,
    },
    config: { keys: [] },
    principal: 'logs.us-east-1.amazonaws.com',
    action: 'kms:Encrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: a role\'s permissions boundary that allows only S3 keeps its KMS permission from taking effect',
    source: DOC.boundaries,
    quote: "An entity's permissions boundary allows it to perform only the actions that are allowed by both its identity-based policies and its permissions boundaries.",
    files: { 'owner/infra/stack.yaml': boundaryStack(['s3:*']) },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: a permissions boundary that allows the KMS action leaves the role\'s permission as it is',
    source: DOC.boundaries,
    quote: "An entity's permissions boundary allows it to perform only the actions that are allowed by both its identity-based policies and its permissions boundaries.",
    files: { 'owner/infra/stack.yaml': boundaryStack(['s3:*', 'kms:Decrypt']) },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    expect: 'allowed',
  },
  {
    name: 'Terraform: a role\'s permissions_boundary that allows only S3 keeps its KMS permission from taking effect',
    source: DOC.boundaries,
    quote: "An entity's permissions boundary allows it to perform only the actions that are allowed by both its identity-based policies and its permissions boundaries.",
    files: {
      'owner/infra/main.tf': `resource "aws_kms_key" "data" {
  description = "Data"
}
resource "aws_iam_policy" "boundary" {
  name   = "boundary"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
resource "aws_iam_role" "app" {
  name                 = "app"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy   = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "use" {
  name   = "use-key"
  role   = aws_iam_role.app.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.data.arn }] })
}
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: a kms:ViaService value the stack fills in (its Region) still rules out another service',
    source: DOC.kmsConditionKeys,
    quote: 'The kms:ViaService condition key limits use of an AWS KMS key to requests from specified AWS services.',
    files: {
      'owner/infra/stack.yaml': `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: AppThroughSecretsManager
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/app' }
            Action: ['kms:Decrypt', 'kms:DescribeKey']
            Resource: '*'
            Condition:
              StringEquals:
                kms:ViaService: !Sub 'secretsmanager.\${AWS::Region}.amazonaws.com'
`,
      'owner/app.iam.json': NO_KMS,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    policies: ['owner/app.iam.json'],
    context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    expect: 'denied',
  },
  {
    name: 'Terraform: multi_region = true makes kms:MultiRegion true, and a Deny on multi-Region keys applies',
    source: DOC.multiRegionAuth,
    quote: 'To restrict them to single-Region KMS keys or multi-Region keys, use the kms:MultiRegion condition key',
    files: {
      'owner/infra/main.tf': `resource "aws_kms_key" "data" {
  description  = "Data"
  multi_region = true
}
resource "aws_iam_role_policy" "use" {
  name = "use-keys"
  role = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.data.arn },
      { Effect = "Deny", Action = "kms:*", Resource = "*", Condition = { Bool = { "kms:MultiRegion" = "true" } } }
    ]
  })
}
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: an alias the template points at the key counts for kms:ResourceAliases with ForAnyValue',
    source: DOC.aliasAuthorization,
    quote: 'allows or denies access to a KMS key based on the aliases associated with the KMS key',
    files: {
      'owner/infra/stack.yaml': `Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Finance data
  DataAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/finance-data
      TargetKeyId: !Ref DataKey
${APP_ROLE}      Policies:
        - PolicyName: finance-keys
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: '*'
                Condition:
                  ForAnyValue:StringLike:
                    kms:ResourceAliases: alias/finance-*
`,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    expect: 'allowed',
  },
  {
    name: 'Terraform: a key policy naming aws_iam_role.app.arn names the role the module defines (its name written, no path)',
    source: DOC.principal,
    quote: 'When you specify a role principal in a resource-based policy, the effective permissions for the principal are limited by any policy types that limit permissions for the role.',
    files: {
      'owner/infra/main.tf': `resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "AppUse", Effect = "Allow", Principal = { AWS = aws_iam_role.app.arn }, Action = ["kms:Decrypt", "kms:DescribeKey"], Resource = "*" }
    ]
  })
}
`,
      'owner/none.iam.json': NO_KMS,
    },
    config: { keys: [] },
    principal: session(OWNER, 'app', 'fn'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    policies: ['owner/none.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'Terraform: a grant to aws_iam_role.app.arn is a grant to the role the module defines',
    source: DOC.grants,
    quote: 'the grant allows the grantee principal to call the specified grant operations on the KMS key',
    files: {
      'owner/infra/main.tf': `data "aws_caller_identity" "current" {}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" }]
  })
}
resource "aws_kms_grant" "app" {
  name              = "app"
  key_id            = aws_kms_key.data.key_id
  grantee_principal = aws_iam_role.app.arn
  operations        = ["Decrypt", "DescribeKey"]
}
`,
      'owner/none.iam.json': NO_KMS,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/main.tf#aws_kms_key.data',
    policies: ['owner/none.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: !Sub role/\${AppRole} is the name the template gives the role',
    source: DOC.cfnRole,
    quote: 'When you pass the logical ID of this resource to the intrinsic Ref function, Ref returns the resource name.',
    files: {
      'owner/infra/stack.yaml': `Resources:
${APP_ROLE}  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: AppUse
            Effect: Allow
            Principal: { AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/\${AppRole}' }
            Action: ['kms:Decrypt', 'kms:DescribeKey']
            Resource: '*'
`,
      'owner/none.iam.json': NO_KMS,
    },
    config: { keys: [] },
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    key: 'owner/infra/stack.yaml#DataKey',
    policies: ['owner/none.iam.json'],
    expect: 'allowed',
  },
  {
    name: 'Terraform aws_iam_policy_document: only the root statement, B\'s IAM policy alone is not enough',
    source: DOC.otherAccounts,
    quote: 'Neither the key policy nor the IAM policy alone is sufficient—you must change both.',
    files: {
      [TF_FILE]: `data "aws_iam_policy_document" "key" {
  statement {
    sid     = "EnableIamPolicies"
    effect  = "Allow"
    actions = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${OWNER}:root"]
    }
  }
}

resource "aws_kms_key" "data" {
  description = "Encrypts the data bucket"
  policy      = data.aws_iam_policy_document.key.json
}
`,
      'b/app.iam.json': iam(KEY),
    },
    config: { ...tfKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'Terraform aws_iam_policy_document: Deny with not_principals, a role not listed',
    source: DOC.notPrincipal,
    quote: 'the actions specified in the policy statement are explicitly denied to all principals except for the ones specified.',
    files: {
      [TF_FILE]: `data "aws_iam_policy_document" "key" {
  statement {
    sid       = "EnableIamPolicies"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${OWNER}:root"]
    }
  }

  statement {
    sid       = "OnlyAdmin"
    effect    = "Deny"
    actions   = ["kms:*"]
    resources = ["*"]
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${OWNER}:role/admin", "arn:aws:iam::${OWNER}:root"]
    }
  }
}

resource "aws_kms_key" "data" {
  policy = data.aws_iam_policy_document.key.json
}
`,
      'owner/app.iam.json': iam(KEY),
    },
    config: { ...tfKey, ...principals([role(OWNER, 'app'), 'owner/app.iam.json']) },
    principal: role(OWNER, 'app'),
    action: 'kms:Encrypt',
    expect: 'denied',
  },
  {
    name: 'Terraform jsonencode: encryption context condition on DescribeKey',
    source: DOC.servicePermissions,
    quote: 'If you use these condition keys to allow other operations, such as DescribeKey, permission will be denied.',
    files: {
      [TF_FILE]: `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${OWNER}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "TenantData"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${OWNER}:role/tenant" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          StringEquals = { "kms:EncryptionContext:tenant" = "acme" }
        }
      }
    ]
  })
}
`,
      'owner/tenant.iam.json': NO_KMS,
    },
    config: { ...tfKey, ...principals([role(OWNER, 'tenant'), 'owner/tenant.iam.json']) },
    principal: role(OWNER, 'tenant'),
    action: 'kms:DescribeKey',
    expect: 'denied',
  },
  {
    name: 'Terraform aws_iam_policy_document: Principal "*" limited by kms:CallerAccount, another account',
    source: DOC.kmsConditionKeys,
    quote: 'It combines a Principal element that specifies all AWS identities with the kms:CallerAccount condition key to effectively allow access to all identities in AWS account 111122223333.',
    files: {
      [TF_FILE]: `data "aws_iam_policy_document" "key" {
  statement {
    sid       = "EnableIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${OWNER}:root"]
    }
  }

  statement {
    sid       = "AccountBCallers"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = ["${B}"]
    }
  }
}

resource "aws_kms_key" "data" {
  policy = data.aws_iam_policy_document.key.json
}
`,
      'c/app.iam.json': iam(KEY),
    },
    config: { ...tfKey, ...principals([role(C, 'app'), 'c/app.iam.json']) },
    principal: role(C, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'Terraform jsonencode: kms:ResourceAliases in the key policy never matches',
    source: DOC.kmsConditionKeys,
    quote: 'kms:ResourceAliases | String (list) | Multi-valued | KMS key resource operations | IAM policies only',
    files: {
      [TF_FILE]: `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${OWNER}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ByAlias"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${OWNER}:role/app" }
        Action    = ["kms:Encrypt", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          "ForAnyValue:StringEquals" = { "kms:ResourceAliases" = "alias/data" }
        }
      }
    ]
  })
}

resource "aws_kms_alias" "data" {
  name          = "alias/data"
  target_key_id = aws_kms_key.data.key_id
}
`,
      'owner/app.iam.json': NO_KMS,
    },
    config: { ...tfKey, ...principals([role(OWNER, 'app'), 'owner/app.iam.json']) },
    principal: role(OWNER, 'app'),
    action: 'kms:Encrypt',
    expect: 'denied',
  },
  {
    name: 'Terraform aws_iam_policy_document: OU statement, B declared in that OU',
    source: DOC.globalConditionKeys,
    quote: 'In a policy, this condition key ensures that the requester is an account member within the specified organization root or organizational units (OUs) in AWS Organizations.',
    files: {
      [TF_FILE]: `data "aws_iam_policy_document" "key" {
  statement {
    sid       = "EnableIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${OWNER}:root"]
    }
  }

  statement {
    sid       = "WorkloadsOU"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ForAnyValue:StringLike"
      variable = "aws:PrincipalOrgPaths"
      values   = ["${OU_PATH}*"]
    }
  }
}

resource "aws_kms_key" "data" {
  policy = data.aws_iam_policy_document.key.json
}
`,
      'b/app.iam.json': iam(KEY, ['kms:Decrypt', 'kms:DescribeKey']),
    },
    config: { ...tfKey, ...ORGANIZATION_TWO_UNITS, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: a service principal the template writes with its Region, encryption context not given',
    source: DOC.kmsConditionKeys,
    quote: 'To require a particular encryption context pair, use the kms:EncryptionContext:context-key condition key with the StringEquals operator.',
    files: { [CFN_FILE]: cfnTemplate(CFN_LOGS) },
    config: cfnKey,
    principal: 'logs.us-east-1.amazonaws.com',
    action: 'kms:GenerateDataKey',
    expect: 'depends',
    dependsOn: /kms:EncryptionContext:aws:logs:arn/,
  },
  {
    name: "CloudFormation: a service principal the template writes with its Region, the log group's encryption context given",
    source: DOC.kmsConditionKeys,
    quote: 'To require a particular encryption context pair, use the kms:EncryptionContext:context-key condition key with the StringEquals operator.',
    files: { [CFN_FILE]: cfnTemplate(CFN_LOGS) },
    config: cfnKey,
    principal: 'logs.us-east-1.amazonaws.com',
    action: 'kms:GenerateDataKey',
    context: { 'kms:EncryptionContext:aws:logs:arn': LOG_GROUP },
    expect: 'allowed',
  },
  {
    name: "CloudFormation: the service principal of another Region than the key's stack",
    source: DOC.troubleshooting,
    quote: 'a caller can be denied access by an explicit DENY statement, or by the absence of an explicit ALLOW statement, in the key policy, IAM policy, or grant.',
    files: { [CFN_FILE]: cfnTemplate(CFN_LOGS) },
    config: cfnKey,
    principal: 'logs.eu-west-1.amazonaws.com',
    action: 'kms:GenerateDataKey',
    context: { 'kms:EncryptionContext:aws:logs:arn': LOG_GROUP },
    expect: 'denied',
  },
  {
    name: 'Terraform: a service principal written with data.aws_region, encryption context not given',
    source: DOC.kmsConditionKeys,
    quote: 'To require a particular encryption context pair, use the kms:EncryptionContext:context-key condition key with the StringEquals operator.',
    files: { [TF_FILE]: TF_LOGS },
    config: tfKey,
    principal: 'logs.us-east-1.amazonaws.com',
    action: 'kms:GenerateDataKey',
    expect: 'depends',
    dependsOn: /kms:EncryptionContext:aws:logs:arn/,
  },
  {
    name: 'CloudFormation: an identity policy whose Resource is the alias ARN written with !Sub',
    source: DOC.keysInIamPolicies,
    quote: 'You cannot use a key id, alias name, or alias ARN to identify a KMS key in an IAM policy statement.',
    files: {
      [CFN_FILE]: cfnTemplate(CFN_ENABLE_IAM) + `${APP_ROLE}      Policies:
        - PolicyName: use-key
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: ByAliasArn
                Effect: Allow
                Action: kms:Decrypt
                Resource: !Sub 'arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:alias/data'
`,
    },
    config: cfnKey,
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'CloudFormation: a Deny unless kms:CallerAccount is the stack account (!Ref AWS::AccountId), another account calls',
    source: DOC.evaluationLogic,
    quote: 'An explicit deny in any policy overrides any allows.',
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: PartnerDecrypt
            Effect: Allow
            Principal:
              AWS: 'arn:aws:iam::${B}:root'
            Action: 'kms:Decrypt'
            Resource: '*'
          - Sid: DenyOtherAccounts
            Effect: Deny
            Principal: '*'
            Action: 'kms:*'
            Resource: '*'
            Condition:
              StringNotEquals:
                'kms:CallerAccount': !Ref AWS::AccountId`),
      'b/app.iam.json': iam(KEY),
    },
    config: { ...cfnKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'denied',
  },
  {
    name: 'Terraform: a conditional statement for the role beside the root statement, identity policies unknown: the condition is named',
    source: DOC.controlAccess,
    quote: 'You can use the key policy alone to control access, which means the full scope of access to the KMS key is defined in a single document (the key policy).',
    files: {
      [TF_FILE]: `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:root" }, Action = "kms:*", Resource = "*" },
      {
        Sid       = "TemporaryAccess"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${OWNER}:role/contractor" }
        Action    = "kms:Decrypt"
        Resource  = "*"
        Condition = { DateLessThan = { "aws:CurrentTime" = "2030-01-01T00:00:00Z" } }
      }
    ]
  })
}
`,
    },
    config: tfKey,
    principal: role(OWNER, 'contractor'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /aws:CurrentTime/,
  },
  {
    name: 'the encryption context given also gives kms:EncryptionContextKeys: a key outside the allowed set',
    source: DOC.kmsConditionKeys,
    quote: "It doesn't require any encryption context keys, but it forbids unspecified encryption context keys.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('PurposeOnly', role(OWNER, 'backup'), 'kms:Decrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'purpose' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:purpose': 'backup', 'kms:EncryptionContext:Department': 'IT' },
    expect: 'denied',
  },
  {
    name: 'the encryption context given also gives kms:EncryptionContextKeys: only the allowed key',
    source: DOC.kmsConditionKeys,
    quote: "It doesn't require any encryption context keys, but it forbids unspecified encryption context keys.",
    files: {
      [KEY_POLICY_FILE]: [ENABLE_IAM, allow('PurposeOnly', role(OWNER, 'backup'), 'kms:Decrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'purpose' } })],
      'owner/backup.iam.json': NO_KMS,
    },
    config: principals([role(OWNER, 'backup'), 'owner/backup.iam.json']),
    principal: role(OWNER, 'backup'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:purpose': 'backup' },
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: the key policy names the role of its own stack by !GetAtt AppRole.Arn (RoleName app)',
    source: DOC.controlAccess,
    quote: 'You can use the key policy alone to control access, which means the full scope of access to the KMS key is defined in a single document (the key policy).',
    files: {
      [CFN_FILE]: cfnTemplate(`${CFN_ENABLE_IAM}
          - Sid: AppUse
            Effect: Allow
            Principal:
              AWS: !GetAtt AppRole.Arn
            Action: ['kms:Encrypt', 'kms:Decrypt']
            Resource: '*'`) + APP_ROLE,
    },
    config: cfnKey,
    principal: role(OWNER, 'app'),
    action: 'kms:Encrypt',
    expect: 'allowed',
  },
  {
    name: 'CloudFormation: !GetAtt AppRole.Arn names role app, not role other',
    source: DOC.troubleshooting,
    quote: 'a caller can be denied access by an explicit DENY statement, or by the absence of an explicit ALLOW statement, in the key policy, IAM policy, or grant.',
    files: {
      [CFN_FILE]: cfnTemplate(`
          - Sid: AppUse
            Effect: Allow
            Principal:
              AWS: !GetAtt AppRole.Arn
            Action: ['kms:Encrypt', 'kms:Decrypt']
            Resource: '*'`) + APP_ROLE,
    },
    config: cfnKey,
    principal: role(OWNER, 'other'),
    action: 'kms:Encrypt',
    expect: 'denied',
  },
  {
    name: 'a grant with EncryptionContextEquals, the request has one more pair',
    source: DOC.grantConstraints,
    quote: 'The grant allows the operation only when the encryption context in the request is the same as the encryption context specified in this constraint.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'b/app.iam.json': NO_KMS },
    config: appGrant(['Decrypt'], { encryptionContextEquals: { app: 'billing' } }),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:app': 'billing', 'kms:EncryptionContext:env': 'prod' },
    expect: 'denied',
  },
  {
    name: 'a grant with EncryptionContextSubset, the request includes its pair and one more',
    source: DOC.grantConstraints,
    quote: 'The grant allows the cryptographic operation only when the encryption context in the request includes the key-value pairs specified in this constraint',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'b/app.iam.json': NO_KMS },
    config: appGrant(['Decrypt'], { encryptionContextSubset: { app: 'billing' } }),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:app': 'billing', 'kms:EncryptionContext:env': 'prod' },
    expect: 'allowed',
  },
  {
    name: 'a grant with an encryption-context constraint, no context given: depends on it',
    source: DOC.grantConstraints,
    quote: 'The grant allows the cryptographic operation only when the encryption context in the request includes the key-value pairs specified in this constraint',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'b/app.iam.json': NO_KMS },
    config: appGrant(['Decrypt'], { encryptionContextSubset: { app: 'billing' } }),
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /encryption context/i,
  },
  {
    name: 'a constrained grant that allows DescribeKey: the constraint does not apply to it',
    source: DOC.grantConstraints,
    quote: 'Grant constraints are not applied to operations that do not support an encryption context',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'b/app.iam.json': NO_KMS },
    config: appGrant(['Decrypt', 'DescribeKey'], { encryptionContextEquals: { app: 'billing' } }),
    principal: role(B, 'app'),
    action: 'kms:DescribeKey',
    expect: 'allowed',
  },
  {
    name: "Terraform: aws_kms_grant's retiring principal may retire it",
    source: DOC.retireGrant,
    quote: 'This operation can be called by the retiring principal for a grant',
    files: {
      [TF_FILE]: `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:root" }, Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_kms_grant" "app" {
  key_id             = aws_kms_key.data.key_id
  grantee_principal  = "arn:aws:iam::${B}:role/app"
  retiring_principal = "arn:aws:iam::${B}:role/janitor"
  operations         = ["Decrypt", "DescribeKey"]
}
`,
    },
    config: tfKey,
    principal: role(B, 'janitor'),
    action: 'kms:RetireGrant',
    expect: 'allowed',
  },
  {
    name: 'Terraform: aws_kms_grant with an encryption_context_equals constraint, the context given matches',
    source: DOC.grantConstraints,
    quote: 'The grant allows the operation only when the encryption context in the request is the same as the encryption context specified in this constraint.',
    files: {
      [TF_FILE]: `resource "aws_kms_key" "data" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${OWNER}:root" }, Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_kms_grant" "app" {
  key_id            = aws_kms_key.data.key_id
  grantee_principal = "arn:aws:iam::${B}:role/app"
  operations        = ["Decrypt"]
  constraints {
    encryption_context_equals = {
      app = "billing"
    }
  }
}
`,
      'b/app.iam.json': NO_KMS,
    },
    config: { ...tfKey, ...principals([role(B, 'app'), 'b/app.iam.json']) },
    principal: role(B, 'app'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:app': 'billing' },
    expect: 'allowed',
  },
  {
    name: "ABAC: the key's tag must match the caller's tag (${aws:PrincipalTag/Project}), neither given: both are named",
    source: DOC.tagAuthorization,
    quote: 'You can control access to AWS KMS keys based on the tags on the KMS key.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM], 'owner/app.iam.json': iam('arn:aws:kms:*:111122223333:key/*', 'kms:Decrypt', { StringEquals: { 'aws:ResourceTag/Project': '${aws:PrincipalTag/Project}' } }) },
    config: principals([role(OWNER, 'app'), 'owner/app.iam.json']),
    principal: role(OWNER, 'app'),
    action: 'kms:Decrypt',
    expect: 'depends',
    dependsOn: /aws:ResourceTag\/Project.*aws:PrincipalTag\/Project/,
  },
  {
    name: "a role session against aws:PrincipalArn, the role not declared: depends on the role's path, which the session ARN leaves out",
    source: DOC.globalConditionKeys,
    quote: 'For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed the role.',
    files: { [KEY_POLICY_FILE]: [ENABLE_IAM, allow('AppByArn', '*', USAGE, { ArnEquals: { 'aws:PrincipalArn': role(OWNER, 'app') } })], 'owner/app.iam.json': NO_KMS },
    principal: session(OWNER, 'app', 'worker'),
    action: 'kms:Encrypt',
    policies: ['owner/app.iam.json'],
    expect: 'depends',
    dependsOn: /path/,
  },
  {
    name: 'a session of a role with a path, the key policy naming that role: its session is that role',
    source: DOC.globalConditionKeys,
    quote: 'For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed the role.',
    files: { [KEY_POLICY_FILE]: [allow('TeamApp', role(OWNER, 'teams/app'), 'kms:Decrypt')] },
    principal: session(OWNER, 'app', 's1'),
    action: 'kms:Decrypt',
    expect: 'allowed',
  },
];

// ---------------------------------------------------------------------------------------------
function workspace(c: Case): string {
  const dir = temporaryFolder('keyshare-explain-aws-');
  const config = {
    accounts: [{ id: OWNER, paths: ['owner/**'] }, { id: B, paths: ['b/**'] }, { id: C, paths: ['c/**'] }],
    keys: [{ arn: KEY, policy: KEY_POLICY_FILE, aliases: ['alias/data'] }, { arn: MANAGED, aliases: ['alias/aws/s3'], managed: 'aws' }],
    ...c.config,
  };
  fs.writeFileSync(path.join(dir, 'keyshare.json'), JSON.stringify(config, null, 2));
  for (const [name, content] of Object.entries(c.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : policy(content));
  }
  return dir;
}

test('every case names its AWS page and a short deciding quote', () => {
  assert.ok(CASES.length >= 45, `${CASES.length} cases`);
  const names = new Set<string>();
  for (const c of CASES) {
    assert.ok(!names.has(c.name), `duplicate case name: ${c.name}`);
    names.add(c.name);
    assert.match(c.source, /^https:\/\/docs\.aws\.amazon\.com\//, c.name);
    assert.ok(c.quote.split(/\s+/).length <= 30, `${c.name}: quote over 30 words`);
    assert.equal(c.expect === 'depends', !!c.dependsOn, `${c.name}: dependsOn goes with depends`);
  }
  const templates = (file: string) => CASES.filter((c) => file in c.files).length;
  assert.ok(templates(CFN_FILE) >= 6 && templates(TF_FILE) >= 6);
});

for (const c of CASES) {
  test(c.name, async () => {
    const dir = workspace(c);
    const run = await runExplain({
      principal: c.principal,
      action: c.action,
      key: c.key ?? KEY,
      policies: (c.policies ?? []).map((p) => path.join(dir, p)),
      context: c.context ?? {},
      ...(c.parameters ? { parameters: c.parameters } : {}),
      paths: [],
      cwd: dir,
    });
    assert.ok(run.ok, `explain failed: ${run.ok ? '' : run.message}`);
    const answer = run.answer;
    const why = [
      `AWS (${c.source}): "${c.quote}"`,
      `Keyshare: ${answer.verdict}${answer.depends.length ? ` (depends on ${answer.depends.join('; ')})` : ''}`,
      ...answer.because.map((b) => `  ${b.half} ${path.relative(dir, b.file)} ${b.effect} ${b.sid ?? ''}`),
      ...answer.notes.map((n) => `  note: ${n}`),
    ].join('\n');
    assert.equal(answer.verdict, c.expect, why);
    if (c.dependsOn) assert.match(answer.depends.join('; '), c.dependsOn, why);
  });
}
