# Workload B's export bucket key. The second statement was meant for the partner
# organization, but its condition restricts nothing.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "exports_key" {
  statement {
    sid       = "EnableIAMUserPermissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "PartnerOrganization"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalOrgID"
      values   = ["o-*"]
    }
  }
}

resource "aws_kms_key" "exports" {
  description         = "Workload B export bucket"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.exports_key.json
}
