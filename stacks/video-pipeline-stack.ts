import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { PipelineConfig, pipelineId } from './config';
import { configureAwsProvider, configureBackend } from './lib/terraform-settings';
import { accountIdOf } from './lib/account';
import { Delivery } from './constructs/delivery';
import { Ingest } from './constructs/ingest';
import { JobEvents } from './constructs/job-events';
import { JobSweep } from './constructs/job-sweep';
import { JobsTable } from './constructs/jobs-table';
import { Monitoring } from './constructs/monitoring';
import { FunctionSettings } from './constructs/node-function';
import { Storage } from './constructs/storage';
import { Transcoding } from './constructs/transcoding';

export interface VideoPipelineStackProps {
  /** One environment's validated config (see stacks/config.ts). */
  readonly config: PipelineConfig;
}

/** One environment of the pipeline: provider and backend, then the constructs, then outputs. */
export class VideoPipelineStack extends TerraformStack {
  readonly storage: Storage;
  readonly transcoding: Transcoding;
  readonly jobsTable: JobsTable;
  readonly ingest: Ingest;
  readonly delivery: Delivery;
  readonly jobEvents: JobEvents;
  readonly jobSweep: JobSweep;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps) {
    super(scope, id);
    const { config } = props;
    const name = pipelineId(config);
    const functionSettings: FunctionSettings = { ...config.lambda, logRetentionDays: config.logRetentionDays };

    configureAwsProvider(this, config);
    configureBackend(this, config.backend, id);

    this.storage = new Storage(this, 'Storage', {
      name,
      accountId: accountIdOf(this),
      region: config.region,
      forceDestroy: config.forceDestroy,
      ...config.storage,
    });
    this.transcoding = new Transcoding(this, 'Transcoding', {
      name,
      sourceBucket: this.storage.sourceBucket,
      outputBucket: this.storage.outputBucket,
    });
    this.jobsTable = new JobsTable(this, 'JobsTable', { tableName: `${name}-jobs`, deletionProtection: !config.forceDestroy });
    this.ingest = new Ingest(this, 'Ingest', {
      pipelineId: name,
      sourceBucket: this.storage.sourceBucket,
      outputBucket: this.storage.outputBucket,
      transcoding: this.transcoding,
      jobsTable: this.jobsTable,
      ladder: config.transcoding.ladder,
      statusUpdateInterval: config.transcoding.statusUpdateInterval,
      accelerationMode: config.transcoding.accelerationMode,
      accelerationMinSourceMinutes: config.transcoding.accelerationMinSourceMinutes,
      functionSettings,
    });
    this.delivery = new Delivery(this, 'Delivery', {
      name,
      originBucket: this.storage.outputBucket,
      logBucket: this.storage.logBucket,
      priceClass: config.delivery.priceClass,
      corsAllowedOrigins: config.delivery.corsAllowedOrigins,
      responseHeadersPolicy: config.delivery.responseHeadersPolicy,
      waitForDeployment: config.delivery.waitForDeployment,
    });
    this.jobEvents = new JobEvents(this, 'JobEvents', {
      pipelineId: name,
      jobsTable: this.jobsTable,
      outputBucketName: this.storage.outputBucket.bucketName,
      distributionDomain: this.delivery.domainName,
      notificationEmail: config.notifications.email,
      functionSettings,
    });
    this.jobSweep = new JobSweep(this, 'JobSweep', {
      pipelineId: name,
      jobsTable: this.jobsTable,
      watchedFunctions: functionSettings,
      overdueJobMinutes: config.monitoring.overdueJobMinutes,
      intervalMinutes: config.monitoring.sweepIntervalMinutes,
      functionSettings,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      name,
      deadLetterQueues: {
        'submit-job': this.ingest.submitFunction.deadLetterQueue,
        'job-events': this.jobEvents.completionFunction.deadLetterQueue,
        'job-events-rule': this.jobEvents.ruleDeadLetterQueue,
        'job-sweep': this.jobSweep.sweepFunction.deadLetterQueue,
      },
      functions: {
        'submit-job': this.ingest.submitFunction,
        'job-events': this.jobEvents.completionFunction,
        'job-sweep': this.jobSweep.sweepFunction,
      },
      metricAlarms: this.jobSweep.metricAlarms,
    });

    const outputs: Record<string, string> = {
      pipeline_id: name,
      distribution_domain: this.delivery.domainName,
      distribution_id: this.delivery.distribution.id,
      source_bucket: this.storage.sourceBucket.bucketName,
      output_bucket: this.storage.outputBucket.bucketName,
      log_bucket: this.storage.logBucket.bucketName,
      jobs_table: this.jobsTable.table.name,
      notification_topic_arn: this.jobEvents.topic.arn,
      submit_function: this.ingest.submitFunction.fn.functionName,
      job_events_function: this.jobEvents.completionFunction.fn.functionName,
      job_state_rule: this.jobEvents.rule.name,
      job_sweep_function: this.jobSweep.sweepFunction.fn.functionName,
      job_sweep_schedule: this.jobSweep.schedule.name,
      mediaconvert_queue_arn: this.transcoding.queue.arn,
    };
    for (const [outputId, value] of Object.entries(outputs)) new TerraformOutput(this, outputId, { value });
  }
}
