/**
 * The constructs and stacks of the video pipeline, for users who compose them in their
 * own cdktf apps and test them with `Testing.synthScope`.
 */
export * from './config';
export * from './environments';
export * from './app';
export * from './state-backend-stack';
export * from './video-pipeline-stack';
export * from './lib/terraform-settings';
export * from './lib/account';
export * from './lib/policy';
export * from './constructs/secure-bucket';
export * from './constructs/storage';
export * from './constructs/node-function';
export * from './constructs/transcoding';
export * from './constructs/jobs-table';
export * from './constructs/ingest';
export * from './constructs/delivery';
export * from './constructs/job-events';
export * from './constructs/job-sweep';
export * from './constructs/monitoring';
