import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { PipelineConfig, pipelineId } from './config';
import { CLOUDFRONT_REGION, PIPELINE_TAG_KEY, configureAwsProvider, configureBackend, globalProviderOf } from './lib/terraform-settings';
import { applyPermissionsBoundary } from './lib/permissions-boundary';
import { accountIdOf, partitionOf } from './lib/account';
import { EncryptionKey } from './constructs/encryption-key';
import { ContentAnalysis } from './constructs/content-analysis';
import { Player } from './constructs/player';
import { Delivery } from './constructs/delivery';
import { DeliveryDomain } from './constructs/delivery-domain';
import { SignedPlayback } from './constructs/signed-playback';
import { WebAcl } from './constructs/web-acl';
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
  /** The custom domain; undefined unless `delivery.domain`. */
  readonly deliveryDomain?: DeliveryDomain;
  /** Private playback's key group; undefined unless `delivery.signedPlayback`. */
  readonly signedPlayback?: SignedPlayback;
  /** The distribution's web ACL; undefined unless `delivery.waf`. */
  readonly webAcl?: WebAcl;
  /** Rekognition content analysis; undefined unless `contentAnalysis.enabled`. */
  readonly contentAnalysis?: ContentAnalysis;
  /** The environment's customer-managed key; undefined unless `encryption.kmsKey` is `customer`. */
  readonly encryptionKey?: EncryptionKey;

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps) {
    super(scope, id);
    const { config } = props;
    const name = pipelineId(config);
    const functionSettings: FunctionSettings = { ...config.lambda, logRetentionDays: config.logRetentionDays };

    configureAwsProvider(this, { ...config, tags: { ...config.tags, [PIPELINE_TAG_KEY]: name } });
    configureBackend(this, config.backend, id);
    applyPermissionsBoundary(this, config.iam.permissionsBoundaryArn);
    if (config.encryption.kmsKey === 'customer') {
      this.encryptionKey = new EncryptionKey(this, 'EncryptionKey', {
        name,
        accountId: accountIdOf(this),
        partition: partitionOf(this),
        region: config.region,
      });
    }
    const encryptionKey = this.encryptionKey;

    this.storage = new Storage(this, 'Storage', {
      name,
      accountId: accountIdOf(this),
      region: config.region,
      forceDestroy: config.forceDestroy,
      ...config.storage,
      encryptionKey,
    });
    this.transcoding = new Transcoding(this, 'Transcoding', {
      name,
      sourceBucket: this.storage.sourceBucket,
      outputBucket: this.storage.outputBucket,
      encryptionKey,
    });
    this.jobsTable = new JobsTable(this, 'JobsTable', {
      tableName: `${name}-jobs`,
      deletionProtection: !config.forceDestroy,
      encryptionKey,
    });
    const { domain, signedPlayback, waf } = config.delivery;
    if (domain) {
      this.deliveryDomain = new DeliveryDomain(this, 'DeliveryDomain', {
        ...domain,
        globalProvider: globalProviderOf(this, config),
      });
    }
    if (signedPlayback) this.signedPlayback = new SignedPlayback(this, 'SignedPlayback', { name, publicKeys: signedPlayback.publicKeys });
    if (waf) this.webAcl = new WebAcl(this, 'WebAcl', { name, ...waf, globalProvider: globalProviderOf(this, config) });
    // Delivery and the notification topic first: the submit function announces uploads it refuses there.
    this.delivery = new Delivery(this, 'Delivery', {
      name,
      originBucket: this.storage.outputBucket,
      logBucket: this.storage.logBucket,
      ...(config.region === CLOUDFRONT_REGION ? {} : { logDeliveryProvider: globalProviderOf(this, config) }),
      priceClass: config.delivery.priceClass,
      ...(config.delivery.corsAllowedOrigins ? { corsAllowedOrigins: config.delivery.corsAllowedOrigins } : {}),
      production: config.production,
      ...(this.deliveryDomain
        ? { customDomain: { names: this.deliveryDomain.names, certificateArn: this.deliveryDomain.certificateArn } }
        : {}),
      ...(this.signedPlayback ? { trustedKeyGroupId: this.signedPlayback.keyGroup.id } : {}),
      ...(this.webAcl ? { webAclArn: this.webAcl.acl.arn } : {}),
      responseHeadersPolicy: config.delivery.responseHeadersPolicy,
      waitForDeployment: config.delivery.waitForDeployment,
      encryptionKey,
    });
    this.deliveryDomain?.addAliasRecords(this.delivery.distribution);
    this.jobEvents = new JobEvents(this, 'JobEvents', {
      pipelineId: name,
      queueArn: this.transcoding.queue.arn,
      jobsTable: this.jobsTable,
      outputBucketName: this.storage.outputBucket.bucketName,
      outputBucketArn: this.storage.outputBucket.bucketArn,
      distributionDomain: this.delivery.domainName,
      notificationEmail: config.notifications.email,
      prices: config.pricing,
      functionSettings,
      encryptionKey,
    });
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
      hdr: config.transcoding.hdr,
      prices: config.pricing,
      limits: config.limits,
      notificationTopicArn: this.jobEvents.topic.arn,
      functionSettings,
      encryptionKey,
    });
    this.jobSweep = new JobSweep(this, 'JobSweep', {
      pipelineId: name,
      jobsTable: this.jobsTable,
      watchedFunctions: functionSettings,
      overdueJobMinutes: config.monitoring.overdueJobMinutes,
      intervalMinutes: config.monitoring.sweepIntervalMinutes,
      functionSettings,
      encryptionKey,
    });
    if (config.contentAnalysis.enabled) {
      this.contentAnalysis = new ContentAnalysis(this, 'ContentAnalysis', {
        pipelineId: name,
        queueArn: this.transcoding.queue.arn,
        jobsTable: this.jobsTable,
        outputBucket: this.storage.outputBucket,
        distributionDomain: this.delivery.domainName,
        notificationTopic: this.jobEvents.topic,
        accountId: accountIdOf(this),
        minConfidence: config.contentAnalysis.minConfidence,
        topLabels: config.contentAnalysis.topLabels,
        functionSettings,
        encryptionKey,
      });
    }
    const analysis = this.contentAnalysis;
    this.monitoring = new Monitoring(this, 'Monitoring', {
      name,
      region: config.region,
      mediaconvertQueueArn: this.transcoding.queue.arn,
      deadLetterQueues: {
        'submit-job': this.ingest.submitFunction.deadLetterQueue,
        'job-events': this.jobEvents.completionFunction.deadLetterQueue,
        'job-events-rule': this.jobEvents.ruleDeadLetterQueue,
        'job-sweep': this.jobSweep.sweepFunction.deadLetterQueue,
        ...(analysis
          ? { 'content-analysis': analysis.analysisFunction.deadLetterQueue, 'content-analysis-delivery': analysis.deliveryDeadLetterQueue }
          : {}),
      },
      functions: {
        'submit-job': this.ingest.submitFunction,
        'job-events': this.jobEvents.completionFunction,
        'job-sweep': this.jobSweep.sweepFunction,
        ...(analysis ? { 'content-analysis': analysis.analysisFunction } : {}),
      },
      metricAlarms: { ...this.jobSweep.metricAlarms, ...analysis?.metricAlarms },
      alarmEmail: config.monitoring.alarmEmail,
      errorRateThresholdPercent: config.monitoring.errorRateThresholdPercent,
      errorRatePeriodMinutes: config.monitoring.errorRatePeriodMinutes,
      dailyCostBudgetUsd: config.monitoring.dailyCostBudgetUsd,
      contentAnalysis: analysis !== undefined,
      encryptionKey,
    });

    const player = config.player.enabled ? new Player(this, 'Player', { bucket: this.storage.outputBucket }) : undefined;

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
      alarm_topic_arn: this.monitoring.alarmTopic.arn,
      dashboard_name: this.monitoring.dashboard.dashboardName,
      ...(analysis ? { content_analysis_function: analysis.analysisFunction.fn.functionName } : {}),
      ...(this.deliveryDomain ? { delivery_names: this.deliveryDomain.names.join(',') } : {}),
      ...(this.webAcl ? { web_acl_arn: this.webAcl.acl.arn } : {}),
      ...(encryptionKey ? { kms_key_arn: encryptionKey.arn } : {}),
      ...(player ? { player_url: `https://${this.delivery.domainName}/${player.pageKey}` } : {}),
    };
    for (const [outputId, value] of Object.entries(outputs)) new TerraformOutput(this, outputId, { value });
    if (this.signedPlayback) {
      // `npm run sign -- <assetId> --key-id <this id>`: config key id → CloudFront public key id.
      const keyIds = Object.fromEntries(Object.entries(this.signedPlayback.publicKeys).map(([keyId, key]) => [keyId, key.id]));
      new TerraformOutput(this, 'signed_playback_key_ids', { value: keyIds });
    }
  }
}
