# The roles the workflows assume through GitHub's OIDC provider, and the permissions boundary
# of every role the pipeline stack creates. The policies are JSON templates in policies/, which
# the IAM-simulator tests read too (__tests__/ci-roles-simulation.test.ts).
#   - plan role (plan.yml on pull requests): reads the pipeline's resources and state; no write
#     at all, lockfile included (the PR plan runs with -lock=false).
#   - deploy role, one per environment (apply-reviewed.yml on main, in GitHub environment <env>):
#     manages only resources named <name_prefix>-<env>-* (or tagged PipelineId = <name_prefix>-<env>
#     where AWS chooses the name), and creates roles only under that environment's boundary.
#     Environments in protected_environments can delete no data: see docs/threat-model.md.
# Apply it once per account with admin credentials (one account per environment is the
# recommended setup); put the role ARNs in the repository (plan) and environment (deploy)
# variables, and each boundary ARN in that environment's `iam.permissionsBoundaryArn`.

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

variable "github_repository_id" {
  description = "Numeric id of that repository (GitHub API: repos/<owner>/<name> .id): names can be reused, ids cannot."
  type        = number
}

variable "github_owner_id" {
  description = "Numeric id of the repository's owner (GitHub API: users/<owner> .id), for the immutable subject format."
  type        = number
}

variable "allow_name_only_subjects" {
  description = "Also accept the old name-only `sub` (repo:<owner>/<repo>:...), for repositories created before 2026-07-15 that have not opted in to immutable subjects."
  type        = bool
  default     = false
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
  description = "Environments deployed from main, each with its own deploy role, boundary and GitHub environment."
  type        = list(string)
  default     = ["dev", "prod"]
}

variable "protected_environments" {
  description = "Environments whose deploy role may delete no data: no object (version) deletion, versioning change, bucket policy/ACL/public-access-block removal or table deletion. Leave an environment out for its first apply, which creates those settings."
  type        = list(string)
  default     = ["prod"]
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false when it already exists)."
  type        = bool
  default     = true
}

data "aws_caller_identity" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  oidc_host = "token.actions.githubusercontent.com"
  oidc_arn  = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:aws:iam::${local.account}:oidc-provider/${local.oidc_host}"
  owner     = split("/", var.github_repository)[0]
  repo      = split("/", var.github_repository)[1]
  # GitHub's immutable subject (default for repositories created or renamed from 2026-07-15), and the old one on request.
  subject_prefixes = concat(
    ["repo:${local.owner}@${var.github_owner_id}/${local.repo}@${var.github_repository_id}"],
    var.allow_name_only_subjects ? ["repo:${var.github_repository}"] : [],
  )
  # The stack tags every resource with it (stacks/lib/terraform-settings.ts); it scopes what AWS names (keys, distributions).
  pipeline_tag_key = "PipelineId"
  template_vars = {
    account          = local.account
    name_prefix      = var.name_prefix
    state_bucket     = var.state_bucket
    state_key_prefix = var.state_key_prefix
    tag_key          = local.pipeline_tag_key
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_oidc_provider ? 1 : 0
  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

# ---- permissions boundary: one per environment, on every role the stack creates ----

resource "aws_iam_policy" "boundary" {
  for_each    = toset(var.environments)
  name        = "${var.name_prefix}-pipeline-boundary-${each.key}"
  description = "Permissions boundary of every role the ${var.name_prefix}-${each.key} pipeline creates."
  policy      = templatefile("${path.module}/policies/boundary.json.tftpl", merge(local.template_vars, { pipeline = "${var.name_prefix}-${each.key}" }))
}

# ---- plan role: the plan workflow of this repository on pull requests only ----

resource "aws_iam_role" "plan" {
  name = "${var.name_prefix}-github-plan"
  assume_role_policy = templatefile("${path.module}/policies/plan-trust.json.tftpl", {
    oidc_provider_arn = local.oidc_arn
    subjects          = [for prefix in local.subject_prefixes : "${prefix}:pull_request"]
    repository        = var.github_repository
    repository_id     = var.github_repository_id
  })
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "plan" {
  name   = "read-only-plan"
  role   = aws_iam_role.plan.id
  policy = templatefile("${path.module}/policies/plan.json.tftpl", local.template_vars)
}

# ---- deploy roles: one per GitHub environment, main's apply workflow only ----

resource "aws_iam_role" "deploy" {
  for_each = toset(var.environments)
  name     = "${var.name_prefix}-github-deploy-${each.key}"
  assume_role_policy = templatefile("${path.module}/policies/deploy-trust.json.tftpl", {
    oidc_provider_arn = local.oidc_arn
    subjects          = [for prefix in local.subject_prefixes : "${prefix}:environment:${each.key}"]
    repository        = var.github_repository
    repository_id     = var.github_repository_id
    environment       = each.key
  })
  max_session_duration = 3600
}

# The customer key's use and CloudFront log delivery: a managed policy, as the inline policy
# nears IAM's 10,240-character limit for a role's inline policies.
resource "aws_iam_policy" "deploy_keys_logs" {
  for_each    = toset(var.environments)
  name        = "${var.name_prefix}-deploy-keys-logs-${each.key}"
  description = "The ${var.name_prefix}-${each.key} deploy role's use of its own KMS key and CloudFront log delivery."
  policy      = templatefile("${path.module}/policies/deploy-keys-logs.json.tftpl", merge(local.template_vars, { pipeline = "${var.name_prefix}-${each.key}" }))
}

resource "aws_iam_role_policy_attachment" "deploy_keys_logs" {
  for_each   = toset(var.environments)
  role       = aws_iam_role.deploy[each.key].name
  policy_arn = aws_iam_policy.deploy_keys_logs[each.key].arn
}

resource "aws_iam_role_policy" "deploy" {
  for_each = toset(var.environments)
  name     = "deploy-${var.name_prefix}-${each.key}"
  role     = aws_iam_role.deploy[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      jsondecode(templatefile("${path.module}/policies/deploy.json.tftpl", merge(local.template_vars, {
        pipeline     = "${var.name_prefix}-${each.key}"
        boundary_arn = aws_iam_policy.boundary[each.key].arn
      }))).Statement,
      contains(var.protected_environments, each.key) ? jsondecode(file("${path.module}/policies/deploy-protect-data.json.tftpl")).Statement : [],
    )
  })
}

output "plan_role_arn" {
  description = "Repository variable AWS_PLAN_ROLE_ARN."
  value       = aws_iam_role.plan.arn
}

output "deploy_role_arns" {
  description = "Environment variable AWS_DEPLOY_ROLE_ARN of each GitHub environment."
  value       = { for env, role in aws_iam_role.deploy : env => role.arn }
}

output "permissions_boundary_arns" {
  description = "`iam.permissionsBoundaryArn` of each environment's pipeline config."
  value       = { for env, policy in aws_iam_policy.boundary : env => policy.arn }
}
