# A team's existing, plain-HCL Terraform that runs next to the video pipeline:
# it reads the pipeline's outputs from the pipeline's S3 state (read-only, no lock
# taken) and wires its own resources to them.
#
#   terraform init -backend-config=bucket=<their state bucket> -backend-config=key=media-app/terraform.tfstate -backend-config=region=us-east-1
#   terraform apply -var state_bucket=vod-pipeline-terraform-state -var pipeline_state_key=vod-pipeline/vod-prod.tfstate

terraform {
  required_version = ">= 1.10"

  # Their own state, configured at init (partial configuration).
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "region" {
  description = "Region of the pipeline and of these resources."
  type        = string
  default     = "us-east-1"
}

variable "state_bucket" {
  description = "The pipeline's state bucket (TF_STATE_BUCKET of the pipeline)."
  type        = string
}

variable "state_region" {
  description = "Region of the pipeline's state bucket (TF_STATE_REGION)."
  type        = string
  default     = "us-east-1"
}

variable "pipeline_state_key" {
  description = "State key of one pipeline stack: <TF_STATE_KEY_PREFIX>/<stack>.tfstate, e.g. vod-pipeline/vod-prod.tfstate."
  type        = string
}

provider "aws" {
  region = var.region
}

# The pipeline's outputs, read from its state in S3.
data "terraform_remote_state" "video_pipeline" {
  backend = "s3"
  config = {
    bucket = var.state_bucket
    key    = var.pipeline_state_key
    region = var.state_region
  }
}

data "aws_caller_identity" "current" {}

locals {
  pipeline   = data.terraform_remote_state.video_pipeline.outputs
  queue_name = "${local.pipeline.pipeline_id}-media-app-notifications"
  queue_arn  = "arn:aws:sqs:${var.region}:${data.aws_caller_identity.current.account_id}:${local.queue_name}"
}

# Their app hears about every finished job on its own queue; only our topic may send to it.
data "aws_iam_policy_document" "allow_pipeline_topic" {
  statement {
    sid       = "AllowPipelineTopic"
    actions   = ["sqs:SendMessage"]
    resources = [local.queue_arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.pipeline.notification_topic_arn]
    }
  }
}

resource "aws_sqs_queue" "job_notifications" {
  name                    = local.queue_name
  sqs_managed_sse_enabled = true
  policy                  = data.aws_iam_policy_document.allow_pipeline_topic.json
}

resource "aws_sns_topic_subscription" "job_notifications" {
  topic_arn = local.pipeline.notification_topic_arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.job_notifications.arn
}

# Their uploader may put videos into the pipeline's source bucket, nothing else.
data "aws_iam_policy_document" "upload_videos" {
  statement {
    sid       = "UploadVideos"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.pipeline.source_bucket}/uploads/*"]
  }
}

resource "aws_iam_policy" "upload_videos" {
  name   = "${local.pipeline.pipeline_id}-media-app-upload"
  policy = data.aws_iam_policy_document.upload_videos.json
}

output "subscribed_topic_arn" {
  description = "The pipeline topic their queue is subscribed to."
  value       = aws_sns_topic_subscription.job_notifications.topic_arn
}

output "upload_bucket" {
  description = "Where their uploader puts videos."
  value       = local.pipeline.source_bucket
}

output "playback_base_url" {
  description = "Base URL of every rendition the pipeline publishes."
  value       = "https://${local.pipeline.distribution_domain}/"
}
