// A managed policy used as a permissions boundary grants nothing: it sets the most its role or
// user may do (IAM User Guide, "Permissions boundaries for IAM entities": a managed policy "to set
// the maximum permissions that an identity-based policy can grant"; IAM Identity Center API,
// PermissionsBoundary: "Policies used as permissions boundaries don't provide permissions").
// Its "Allow * on *" is the usual way to write one,
// so the rules about what a policy grants (passrole-wildcard, create-slr-wildcard) keep quiet on it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sharedCatalog } from '../../server/src/catalog/iamData';
import { checkDocument } from '../../server/src/hosts';
import { grammars, loadGrammarFirst } from './terraform-helpers';

loadGrammarFirst();

const GRANT_RULES = ['passrole-wildcard', 'create-slr-wildcard'];
const grantFindings = (text: string, fileName: string) =>
  checkDocument(text, sharedCatalog(), { fileName, grammars }).findings.filter((f) => GRANT_RULES.includes(f.ruleId)).map((f) => f.ruleId);

const managedPolicy = (id: string, extra = '') => `  ${id}:
    Type: AWS::IAM::ManagedPolicy
    Properties:${extra}
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
          - Effect: Deny
            Action: [iam:DeleteRolePermissionsBoundary, iam:PutRolePermissionsBoundary]
            Resource: "*"
`;

test('CloudFormation: a managed policy a role names as its PermissionsBoundary is a boundary', () => {
  const role = (reference: string) => `  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
      PermissionsBoundary: ${reference}
`;
  const template = (reference: string) => `Resources:\n${managedPolicy('Limits')}${role(reference)}`;
  assert.deepEqual(grantFindings(template('!Ref Limits'), 'stack.yaml'), []);
  assert.deepEqual(grantFindings(template('{ Ref: Limits }'), 'stack.yaml'), []);
  // The same policy no role uses as a boundary grants "*": both rules report it.
  assert.deepEqual(grantFindings(template('arn:aws:iam::aws:policy/PowerUserAccess'), 'stack.yaml').sort(), ['create-slr-wildcard', 'passrole-wildcard']);
});

test('CloudFormation: a managed policy whose name says it is a permissions boundary (the CDK bootstrap template\'s) is one', () => {
  assert.deepEqual(grantFindings(`Resources:\n${managedPolicy('CdkBoostrapPermissionsBoundaryPolicy')}`, 'stack.yaml'), []);
  const named = `Resources:\n${managedPolicy('Limits', '\n      ManagedPolicyName: !Sub cdk-${Qualifier}-permissions-boundary-${AWS::AccountId}')}`;
  assert.deepEqual(grantFindings(named, 'stack.yaml'), []);
});

test('Terraform: an aws_iam_policy a role\'s permissions_boundary references is a boundary', () => {
  const module = (boundary: string) => `resource "aws_iam_policy" "limits" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_role" "app" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  ${boundary}
}
`;
  assert.deepEqual(grantFindings(module('permissions_boundary = aws_iam_policy.limits.arn'), 'main.tf'), []);
  assert.deepEqual(grantFindings(module(''), 'main.tf').sort(), ['create-slr-wildcard', 'passrole-wildcard']);
  assert.deepEqual(grantFindings(module('').replace('"aws_iam_policy" "limits" {', '"aws_iam_policy" "limits" {\n  name = "team-permissions-boundary"'), 'main.tf'), []);
});

test('a boundary named by ARN (policy/<ManagedPolicyName>) in CloudFormation, and a user\'s permissions_boundary in Terraform', () => {
  const named = `Resources:\n${managedPolicy('Limits', '\n      ManagedPolicyName: team-limits')}  Dev:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::\${AWS::AccountId}:policy/team-limits
`;
  assert.deepEqual(grantFindings(named, 'stack.yaml'), []);
  const user = `resource "aws_iam_policy" "limits" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_user" "dev" {
  name                 = "dev"
  permissions_boundary = aws_iam_policy.limits.arn
}
`;
  assert.deepEqual(grantFindings(user, 'main.tf'), []);
  assert.deepEqual(grantFindings(user.replace('  permissions_boundary = aws_iam_policy.limits.arn\n', ''), 'main.tf').sort(), ['create-slr-wildcard', 'passrole-wildcard']);
});
