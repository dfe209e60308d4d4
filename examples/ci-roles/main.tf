# The two roles the workflows assume through GitHub's OIDC provider:
#   - plan role (plan.yml, pull requests): reads the pipeline's resources and state, and
#     takes the state lock (a plan locks the state); it can change nothing else.
#   - deploy role, one per environment (apply-reviewed.yml, GitHub environments dev/prod):
#     manages only resources named <name_prefix>-<environment>* and that stack's state.
# Apply it once with admin credentials; put the role ARNs in the repository (plan) and
# environment (deploy) variables docs/plan-review.md lists.

terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "github_repository" {
  description = "owner/name of the repository whose workflows assume the roles."
  type        = string
}

variable "state_bucket" {
  description = "The state bucket (TF_STATE_BUCKET)."
  type        = string
}

variable "state_key_prefix" {
  description = "TF_STATE_KEY_PREFIX: each stack's state is <prefix>/<stack>.tfstate, its lock <prefix>/<stack>.tfstate.tflock."
  type        = string
  default     = "vod-pipeline"
}

variable "name_prefix" {
  description = "namePrefix of the pipeline environments: every resource is named <name_prefix>-<environment>..."
  type        = string
  default     = "vod"
}

variable "environments" {
  description = "Environments deployed from main, each with its own deploy role and GitHub environment."
  type        = list(string)
  default     = ["dev", "prod"]
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false when it already exists)."
  type        = bool
  default     = true
}

data "aws_caller_identity" "current" {}

locals {
  account       = data.aws_caller_identity.current.account_id
  oidc_host     = "token.actions.githubusercontent.com"
  oidc_arn      = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:aws:iam::${local.account}:oidc-provider/${local.oidc_host}"
  state_bucket  = "arn:aws:s3:::${var.state_bucket}"
  stack_objects = "${local.state_bucket}/${var.state_key_prefix}/${var.name_prefix}-*"
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

# ---- plan role: pull requests of this repository only ----

data "aws_iam_policy_document" "plan_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["repo:${var.github_repository}:pull_request"]
    }
  }
}

data "aws_iam_policy_document" "plan" {
  # The S3 backend also lists "env:/" (workspace keys) at init.
  statement {
    sid       = "ListStateKeys"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.state_key_prefix}/*", "env:/*"]
    }
  }
  statement {
    sid       = "ReadPipelineState"
    actions   = ["s3:GetObject"]
    resources = ["${local.stack_objects}.tfstate"]
  }
  # A plan takes the lock: it writes and removes <key>.tflock, and nothing else.
  statement {
    sid       = "TakeStateLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.stack_objects}.tfstate.tflock"]
  }
  statement {
    sid = "RefreshPipelineResources"
    actions = [
      "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetLifecycleConfiguration", "s3:GetEncryptionConfiguration",
      "s3:GetReplicationConfiguration", "s3:GetIntelligentTieringConfiguration", "s3:GetObjectLockConfiguration",
    ]
    resources = ["arn:aws:s3:::${var.name_prefix}-*"]
  }
  statement {
    sid = "RefreshNamedResources"
    actions = [
      "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConcurrency", "lambda:GetFunctionEventInvokeConfig",
      "lambda:GetPolicy", "lambda:ListVersionsByFunction", "lambda:ListTags",
      "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource",
      "sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:GetSubscriptionAttributes",
      "sqs:GetQueueAttributes", "sqs:ListQueueTags",
      "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource",
      "logs:ListTagsForResource",
      "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:GetDashboard",
      "mediaconvert:GetQueue", "mediaconvert:ListTagsForResource",
    ]
    resources = [
      "arn:aws:lambda:*:${local.account}:function:${var.name_prefix}-*",
      "arn:aws:iam::${local.account}:role/${var.name_prefix}-*",
      "arn:aws:events:*:${local.account}:rule/${var.name_prefix}-*",
      "arn:aws:sns:*:${local.account}:${var.name_prefix}-*",
      "arn:aws:sqs:*:${local.account}:${var.name_prefix}-*",
      "arn:aws:dynamodb:*:${local.account}:table/${var.name_prefix}-*",
      "arn:aws:logs:*:${local.account}:log-group:/aws/lambda/${var.name_prefix}-*",
      "arn:aws:cloudwatch:*:${local.account}:alarm:${var.name_prefix}-*",
      "arn:aws:cloudwatch::${local.account}:dashboard/${var.name_prefix}-*",
      "arn:aws:mediaconvert:*:${local.account}:queues/${var.name_prefix}-*",
    ]
  }
  # These reads take no resource ARN (describe-all calls, CloudFront ids chosen by AWS).
  statement {
    sid = "RefreshUnscopedReads"
    actions = [
      "sts:GetCallerIdentity", "logs:DescribeLogGroups", "sns:ListSubscriptionsByTopic",
      "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:ListTagsForResource",
      "cloudfront:GetOriginAccessControl", "cloudfront:GetResponseHeadersPolicy",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role" "plan" {
  name                 = "${var.name_prefix}-github-plan"
  assume_role_policy   = data.aws_iam_policy_document.plan_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "plan" {
  name   = "read-only-plan"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan.json
}

# ---- deploy roles: one per GitHub environment, main only through that environment ----

data "aws_iam_policy_document" "deploy_trust" {
  for_each = toset(var.environments)
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.key}"]
    }
  }
}

data "aws_iam_policy_document" "deploy" {
  for_each = toset(var.environments)
  # The S3 backend also lists "env:/" (workspace keys) at init.
  statement {
    sid       = "ListStateKeys"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.state_key_prefix}/*", "env:/*"]
    }
  }
  statement {
    sid       = "WriteStackStateAndLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_bucket}/${var.state_key_prefix}/${var.name_prefix}-${each.key}.tfstate*"]
  }
  statement {
    sid = "ManageOwnBuckets"
    actions = [
      "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucket*", "s3:PutBucket*", "s3:DeleteBucketPolicy",
      "s3:GetAccelerateConfiguration", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:GetEncryptionConfiguration",
      "s3:PutEncryptionConfiguration", "s3:GetReplicationConfiguration", "s3:GetIntelligentTieringConfiguration", "s3:GetObjectLockConfiguration",
      "s3:DeleteObject", "s3:DeleteObjectVersion",
    ]
    resources = ["arn:aws:s3:::${var.name_prefix}-${each.key}-*"]
  }
  statement {
    sid = "ManageOwnNamedResources"
    actions = [
      "lambda:*", "events:*", "sns:*", "sqs:*", "dynamodb:*",
      "mediaconvert:CreateQueue", "mediaconvert:GetQueue", "mediaconvert:UpdateQueue", "mediaconvert:DeleteQueue", "mediaconvert:TagResource",
      "mediaconvert:UntagResource", "mediaconvert:ListTagsForResource",
      "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource",
      "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards",
      "cloudwatch:GetDashboard", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource",
    ]
    resources = [
      "arn:aws:lambda:*:${local.account}:function:${var.name_prefix}-${each.key}-*",
      "arn:aws:events:*:${local.account}:rule/${var.name_prefix}-${each.key}-*",
      "arn:aws:sns:*:${local.account}:${var.name_prefix}-${each.key}-*",
      "arn:aws:sqs:*:${local.account}:${var.name_prefix}-${each.key}-*",
      "arn:aws:dynamodb:*:${local.account}:table/${var.name_prefix}-${each.key}-*",
      "arn:aws:mediaconvert:*:${local.account}:queues/${var.name_prefix}-${each.key}",
      "arn:aws:logs:*:${local.account}:log-group:/aws/lambda/${var.name_prefix}-${each.key}-*",
      "arn:aws:cloudwatch:*:${local.account}:alarm:${var.name_prefix}-${each.key}-*",
      "arn:aws:cloudwatch::${local.account}:dashboard/${var.name_prefix}-${each.key}-*",
    ]
  }
  statement {
    sid = "ManageOwnRoles"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
      "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
    ]
    resources = ["arn:aws:iam::${local.account}:role/${var.name_prefix}-${each.key}-*"]
  }
  # The functions' and MediaConvert's roles are handed only to those two services.
  statement {
    sid       = "PassOwnRolesToLambdaAndMediaConvert"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::${local.account}:role/${var.name_prefix}-${each.key}-*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com", "mediaconvert.amazonaws.com"]
    }
  }
  # CloudFront ids are chosen by AWS; these calls cannot be scoped by name.
  statement {
    sid = "ManageDelivery"
    actions = [
      "cloudfront:CreateDistribution", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", "cloudfront:GetDistribution",
      "cloudfront:GetDistributionConfig", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:ListTagsForResource",
      "cloudfront:CreateOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
      "cloudfront:GetOriginAccessControl", "cloudfront:CreateResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy",
      "cloudfront:DeleteResponseHeadersPolicy", "cloudfront:GetResponseHeadersPolicy",
      "sts:GetCallerIdentity", "logs:DescribeLogGroups", "sns:ListSubscriptionsByTopic",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role" "deploy" {
  for_each             = toset(var.environments)
  name                 = "${var.name_prefix}-github-deploy-${each.key}"
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust[each.key].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "deploy" {
  for_each = toset(var.environments)
  name     = "deploy-${var.name_prefix}-${each.key}"
  role     = aws_iam_role.deploy[each.key].id
  policy   = data.aws_iam_policy_document.deploy[each.key].json
}

output "plan_role_arn" {
  description = "Repository variable AWS_PLAN_ROLE_ARN."
  value       = aws_iam_role.plan.arn
}

output "deploy_role_arns" {
  description = "Environment variable AWS_DEPLOY_ROLE_ARN of each GitHub environment."
  value       = { for env, role in aws_iam_role.deploy : env => role.arn }
}
