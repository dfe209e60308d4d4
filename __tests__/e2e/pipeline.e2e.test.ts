import { CloudFrontClient, GetDistributionCommand, ListOriginAccessControlsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  GetBucketEncryptionCommand,
  HeadObjectCommandOutput,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMULATOR_GAPS, plannedChanges, unexplainedChanges } from '../support/emulator-gaps';
import { LocalDeployment, MotoServer, deployLocalStack, startMoto } from '../../scripts/lib/local-env';
import { MediaConvertStub, startMediaConvertStub } from '../support/mediaconvert/server';
import { runTerraform, terraformOrThrow } from '../../scripts/lib/terraform';
import { encodeS3Key, s3Event, s3Record } from '../fixtures/s3-events';
import { readMediaFixture } from '../support/media-fixtures';
import { describeWithTools } from '../support/tiers';
import { Invocation, invokeBundledHandler } from './support/invoke-handler';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const AWKWARD_KEY = 'uploads/My Trip (2024) #1+final.MP4';

type Json = Record<string, unknown>;

// The whole tier: terraform apply of the real synthesized stack to moto, a video through
// the deployed handler code, the deployed rule and topic, then a plan. The local environment is
// applied here with its customer-managed key (encryption.kmsKey 'customer'), so the key, its alias
// and policy and every resource that names it go through the same apply and plan; the AWS-managed
// default is applied by the playback tier. No destroy here: moto is thrown away with everything
// in it, and terraform destroy of the pipeline stack is plan-review's step 8 (the default key
// variant, through the deploy role, every call simulated).
describeWithTools('local emulator end to end', ['terraform', 'mirror', 'moto'], () => {
  let workDir: string;
  let moto: MotoServer;
  let mediaconvert: MediaConvertStub;
  let deployment: LocalDeployment;
  const clients = {} as {
    s3: S3Client;
    lambda: LambdaClient;
    events: EventBridgeClient;
    sqs: SQSClient;
    sns: SNSClient;
    dynamodb: DynamoDBClient;
    cloudfront: CloudFrontClient;
  };
  /** Environment the deployed functions get from Lambda, pointed at the emulators. */
  let runtimeEnv: Record<string, string>;

  const out = (name: string): string => {
    const value = deployment.outputs[name];
    if (value === undefined) throw new Error(`stack has no output ${name}`);
    return value;
  };

  /** The deployed function's code (verified against Lambda's CodeSha256) and environment. */
  async function deployedFunction(functionName: string): Promise<{ dir: string; env: Record<string, string> }> {
    const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const stack = JSON.parse(readFileSync(path.join(deployment.stackDir, 'cdk.tf.json'), 'utf8')) as {
      resource: { aws_lambda_function: Record<string, { function_name: string; filename: string }> };
    };
    const resource = Object.values(stack.resource.aws_lambda_function).find((r) => r.function_name === functionName);
    const zipFile = path.join(deployment.stackDir, resource!.filename);
    expect(createHash('sha256').update(readFileSync(zipFile)).digest('base64')).toBe(fn.Configuration?.CodeSha256);
    const dir = path.join(workDir, 'code', functionName);
    execFileSync('python3', ['-m', 'zipfile', '-e', zipFile, dir]);
    return { dir, env: { ...(fn.Configuration?.Environment?.Variables ?? {}), ...runtimeEnv } };
  }

  async function invoke(functionName: string, event: unknown): Promise<Invocation> {
    const { dir, env } = await deployedFunction(functionName);
    return invokeBundledHandler(dir, event, env);
  }

  async function receiveAll(queueUrl: string, expected: number): Promise<Json[]> {
    const messages: Json[] = [];
    for (let attempt = 0; attempt < 10 && messages.length < expected; attempt += 1) {
      const { Messages } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
      );
      for (const m of Messages ?? []) messages.push(JSON.parse(m.Body ?? '{}') as Json);
    }
    return messages;
  }

  /**
   * moto applies the TLS-only deny without its condition to every object request (see
   * EMULATOR_BEHAVIOUR_GAPS), so the policy is lifted for the upload and then restored.
   */
  async function withBucketPolicyLifted<T>(bucket: string, action: () => Promise<T>): Promise<T> {
    const { Policy } = await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    await clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    try {
      return await action();
    } finally {
      await clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
    }
  }

  /** The state after the apply, as terraform read it back from the emulator: read once (nothing here changes it). */
  let appliedState: Promise<{ type: string; values: Record<string, unknown> }[]> | undefined;

  /** The stack's resources of `type` in the applied state. */
  async function stateOf(type: string): Promise<Record<string, unknown>[]> {
    appliedState ??= terraformOrThrow(['show', '-json', '-no-color'], deployment.stackDir, deployment.cliConfig).then(
      ({ stdout }) =>
        (JSON.parse(stdout) as { values: { root_module: { resources: { type: string; values: Record<string, unknown> }[] } } }).values
          .root_module.resources,
    );
    return (await appliedState).filter((r) => r.type === type).map((r) => r.values);
  }

  async function createQueue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-e2e-'));
    // Bucket-policy conditions as AWS evaluates them: terraform writes the player page into the output bucket after its policy.
    moto = await startMoto({ awsConditionRule: true });
    mediaconvert = await startMediaConvertStub({
      region: REGION,
      log: () => undefined,
      // Probe reads the upload from moto, as the service reads S3 with the caller's credentials.
      reader: async (bucket, key) =>
        (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray(),
    });
    const config = { region: REGION, endpoint: moto.url, credentials: CREDENTIALS };
    clients.s3 = new S3Client({ ...config, forcePathStyle: true });
    clients.lambda = new LambdaClient(config);
    clients.events = new EventBridgeClient(config);
    clients.sqs = new SQSClient(config);
    clients.sns = new SNSClient(config);
    clients.dynamodb = new DynamoDBClient(config);
    clients.cloudfront = new CloudFrontClient(config);
    runtimeEnv = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: moto.url,
      AWS_ENDPOINT_URL_MEDIACONVERT: mediaconvert.url,
    };
    deployment = await deployLocalStack({
      workDir,
      awsEndpoint: moto.url,
      mediaconvertEndpoint: mediaconvert.url,
      localSettings: { encryption: { kmsKey: 'customer' } },
    });
  });

  afterAll(async () => {
    for (const client of Object.values(clients)) client?.destroy();
    await mediaconvert?.close();
    await moto?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  describe('after terraform apply', () => {
    it('every bucket blocks public access, is encrypted and denies non-TLS requests', async () => {
      for (const bucket of [out('source_bucket'), out('output_bucket'), out('log_bucket')]) {
        const { PublicAccessBlockConfiguration } = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
        expect(PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        });
        const { ServerSideEncryptionConfiguration } = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
        // S3 server access logs can only be written to an SSE-S3 bucket; the others use the environment's key.
        expect(ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual(
          bucket === out('log_bucket')
            ? expect.objectContaining({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })
            : expect.objectContaining({
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: out('kms_key_arn') },
                BucketKeyEnabled: true,
              }),
        );
        const policy = JSON.parse((await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}') as {
          Statement: Json[];
        };
        expect(policy.Statement).toContainEqual(
          expect.objectContaining({
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it("creates the environment's one key: enabled, rotated, aliased, with the key policy as synthesized", async () => {
      // Act: the key as the provider read it back from the emulator (DescribeKey, GetKeyRotationStatus, GetKeyPolicy).
      const keys = await stateOf('aws_kms_key');
      const aliases = await stateOf('aws_kms_alias');

      // Assess
      expect(keys).toEqual([
        expect.objectContaining({ arn: out('kms_key_arn'), is_enabled: true, enable_key_rotation: true, deletion_window_in_days: 30 }),
      ]);
      expect(aliases).toEqual([expect.objectContaining({ name: 'alias/vod-local-key', target_key_arn: out('kms_key_arn') })]);
      const sids = (JSON.parse(String(keys[0]!.policy)) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
      expect(sids).toEqual(
        expect.arrayContaining(['AccountAdministersTheKey', 'CloudFrontDecryptForOwnDistribution', 'CloudWatchLogsEncryptOwnLogGroups']),
      );
    });

    it('encrypts the jobs table and the dead-letter queues with the key', async () => {
      // Act
      const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: out('jobs_table') }));
      const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'vod-local-job-events-rule-dlq' }));
      const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['KmsMasterKeyId'] }));

      // Assess
      expect(Table?.SSEDescription).toEqual(
        expect.objectContaining({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: out('kms_key_arn') }),
      );
      expect(Attributes?.KmsMasterKeyId).toBe(out('kms_key_arn'));
    });

    it('the output bucket lets only the deployed distribution read', async () => {
      const { Distribution } = await clients.cloudfront.send(new GetDistributionCommand({ Id: out('distribution_id') }));
      const policy = JSON.parse((await clients.s3.send(new GetBucketPolicyCommand({ Bucket: out('output_bucket') }))).Policy ?? '{}') as {
        Statement: Json[];
      };

      expect(policy.Statement.filter((s) => s.Effect === 'Allow')).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'AWS:SourceArn': Distribution?.ARN } },
        }),
      ]);
    });

    it('the distribution serves the output bucket over HTTPS with its OAC deployed', async () => {
      const { Distribution } = await clients.cloudfront.send(new GetDistributionCommand({ Id: out('distribution_id') }));
      const { OriginAccessControlList } = await clients.cloudfront.send(new ListOriginAccessControlsCommand({}));

      expect(Distribution?.DomainName).toBe(out('distribution_domain'));
      expect(Distribution?.DistributionConfig?.Origins?.Items?.[0]?.DomainName).toBe(`${out('output_bucket')}.s3.${REGION}.amazonaws.com`);
      expect(Distribution?.DistributionConfig?.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(OriginAccessControlList?.Items).toContainEqual(
        expect.objectContaining({
          Name: 'vod-local-output',
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      );
    });

    it('the functions run Node.js 22 on arm64 with their configuration', async () => {
      const submit = await clients.lambda.send(new GetFunctionCommand({ FunctionName: out('submit_function') }));
      const events = await clients.lambda.send(new GetFunctionCommand({ FunctionName: out('job_events_function') }));

      for (const fn of [submit, events]) {
        expect(fn.Configuration).toEqual(
          expect.objectContaining({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', Timeout: 60 }),
        );
      }
      expect(submit.Configuration?.Environment?.Variables).toEqual(
        expect.objectContaining({ PIPELINE_ID: 'vod-local', OUTPUT_BUCKET: out('output_bucket'), JOBS_TABLE: out('jobs_table') }),
      );
      expect(events.Configuration?.Environment?.Variables).toEqual(
        expect.objectContaining({ DISTRIBUTION_DOMAIN: out('distribution_domain'), TOPIC_ARN: out('notification_topic_arn') }),
      );
    });

    it('the rule matches this pipeline and targets the completion function', async () => {
      const rule = await clients.events.send(new DescribeRuleCommand({ Name: out('job_state_rule') }));
      const { Targets } = await clients.events.send(new ListTargetsByRuleCommand({ Rule: out('job_state_rule') }));
      const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: out('job_events_function') }));

      expect(JSON.parse(rule.EventPattern ?? '{}')).toEqual(
        expect.objectContaining({ detail: expect.objectContaining({ userMetadata: { pipeline: ['vod-local'] } }) }),
      );
      expect(Targets).toEqual([
        expect.objectContaining({
          Arn: fn.Configuration?.FunctionArn,
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        }),
      ]);
    });
  });

  describe('a video through the deployed code (steps 1-5, in order)', () => {
    let uploadEvent: Json;
    let createJob: Json;
    let head: HeadObjectCommandOutput;

    it('step 1: the phone video is uploaded under an awkward key, which the source bucket notification covers', async () => {
      // Prepare
      head = await withBucketPolicyLifted(out('source_bucket'), async () => {
        // A real phone video: 1920x1080 frames, a 90-degree matrix, the moov index at the end.
        await clients.s3.send(
          new PutObjectCommand({ Bucket: out('source_bucket'), Key: AWKWARD_KEY, Body: readMediaFixture('phone-portrait-rotated.mov') }),
        );
        return clients.s3.send(new HeadObjectCommand({ Bucket: out('source_bucket'), Key: AWKWARD_KEY }));
      });

      // Act
      const { LambdaFunctionConfigurations } = await clients.s3.send(
        new GetBucketNotificationConfigurationCommand({ Bucket: out('source_bucket') }),
      );

      // Assess
      const matching = (LambdaFunctionConfigurations ?? []).filter((c) =>
        (c.Filter?.Key?.FilterRules ?? []).every((r) =>
          r.Name?.toLowerCase() === 'suffix' ? AWKWARD_KEY.endsWith(r.Value ?? '') : AWKWARD_KEY.startsWith(r.Value ?? ''),
        ),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Events).toEqual(['s3:ObjectCreated:*']);
    });

    it('step 2 (after the upload of step 1): the deployed submit handler probes the phone video and creates an upright job that reads the exact object', async () => {
      // Prepare: the event S3 would send for the real object.
      expect(head.VersionId).toBeTruthy();
      uploadEvent = s3Event([
        s3Record({
          bucket: out('source_bucket'),
          key: encodeS3Key(AWKWARD_KEY),
          size: head.ContentLength,
          eTag: head.ETag?.replace(/"/g, ''),
          versionId: head.VersionId,
          sequencer: '0066A1B2C3D4E5F6A7',
        }),
      ]);

      // Act: Probe and the header's ranged GETs read the object, so the policy is lifted for them too.
      const invocation = await withBucketPolicyLifted(out('source_bucket'), () => invoke(out('submit_function'), uploadEvent));

      // Assess
      expect(invocation).toEqual(expect.objectContaining({ ok: true, result: { submitted: 1, duplicate: 0, failed: 0, skipped: 0 } }));
      expect(mediaconvert.probeRequests).toHaveLength(1);
      expect(mediaconvert.createdJobCount).toBe(1);
      createJob = mediaconvert.createJobRequests[0]!;
      expect((createJob.settings as { inputs: { fileInput: string }[] }).inputs[0]!.fileInput).toBe(
        `s3://${out('source_bucket')}/${AWKWARD_KEY}`,
      );
      expect(createJob.queue).toBe(out('mediaconvert_queue_arn'));
      const assetId = (createJob.userMetadata as Json).assetId as string;
      const { Item } = await clients.dynamodb.send(new GetItemCommand({ TableName: out('jobs_table'), Key: { assetId: { S: assetId } } }));
      expect(unmarshall(Item ?? {})).toEqual(
        expect.objectContaining({
          assetId,
          status: 'SUBMITTED',
          jobId: [...mediaconvert.jobs.keys()][0],
          sourceProfile: expect.objectContaining({ width: 1080, height: 1920, rotation: 90 }),
        }),
      );
      const settings = createJob.settings as {
        inputs: { videoSelector: { rotate: string } }[];
        outputGroups: { outputs: { videoDescription: { width: number; height: number } }[] }[];
      };
      expect(settings.inputs[0]!.videoSelector.rotate).toBe('AUTO');
      expect(settings.outputGroups[0]!.outputs.map((o) => [o.videoDescription.width, o.videoDescription.height])[0]).toEqual([1080, 1920]);
      expect(createJob.accelerationSettings).toEqual({ mode: expect.any(String) });
    });

    it('step 3 (after the job of step 2): a second delivery of the same event creates no second job', async () => {
      const invocation = await invoke(out('submit_function'), uploadEvent);

      expect(invocation.result).toEqual({ submitted: 0, duplicate: 1, failed: 0, skipped: 0 });
      expect(mediaconvert.createdJobCount).toBe(1);
    });

    it("step 4 (for the job of step 2): the deployed rule's pattern routes this pipeline's COMPLETE event and not another pipeline's", async () => {
      // moto's TestEventPattern answers with an empty body, and PutEvents fails while a matching
      // rule targets a Lambda (moto cannot run it). So the deployed rule's Lambda target is swapped
      // for an SQS probe and restored afterwards; the plan test below proves the restore is exact.
      const rule = out('job_state_rule');
      const { Targets } = await clients.events.send(new ListTargetsByRuleCommand({ Rule: rule }));
      // moto matches a scheduled rule (no pattern) against every event: the sweep's Lambda target goes too.
      const schedule = out('job_sweep_schedule');
      const { Targets: scheduleTargets } = await clients.events.send(new ListTargetsByRuleCommand({ Rule: schedule }));
      const probe = await createQueue('e2e-rule-probe');
      await clients.events.send(new RemoveTargetsCommand({ Rule: rule, Ids: (Targets ?? []).map((t) => t.Id!) }));
      await clients.events.send(new RemoveTargetsCommand({ Rule: schedule, Ids: (scheduleTargets ?? []).map((t) => t.Id!) }));
      await clients.events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'e2e-probe', Arn: probe.arn }] }));
      try {
        const ours = completeEvent();
        const theirs = { ...ours, userMetadata: { ...(ours.userMetadata as Json), pipeline: 'vod-other' } };
        await clients.events.send(
          new PutEventsCommand({
            Entries: [ours, theirs].map((detail) => ({
              Source: 'aws.mediaconvert',
              DetailType: 'MediaConvert Job State Change',
              Detail: JSON.stringify(detail),
            })),
          }),
        );

        const delivered = await receiveAll(probe.url, 2);
        expect(delivered.map((e) => ((e.detail as Json).userMetadata as Json).pipeline)).toEqual(['vod-local']);
      } finally {
        await clients.events.send(new RemoveTargetsCommand({ Rule: rule, Ids: ['e2e-probe'] }));
        await clients.events.send(new PutTargetsCommand({ Rule: rule, Targets }));
        await clients.events.send(new PutTargetsCommand({ Rule: schedule, Targets: scheduleTargets }));
      }
    });

    it('step 5 (for the job of step 2): the deployed completion handler records COMPLETE and notifies with distribution URLs', async () => {
      // Prepare
      const subscriber = await createQueue('e2e-notifications');
      await clients.sns.send(new SubscribeCommand({ TopicArn: out('notification_topic_arn'), Protocol: 'sqs', Endpoint: subscriber.arn }));
      const event = {
        version: '0',
        id: 'e2e',
        'detail-type': 'MediaConvert Job State Change',
        source: 'aws.mediaconvert',
        account: '123456789012',
        time: new Date().toISOString(),
        region: REGION,
        resources: [],
        detail: completeEvent(),
      };

      // Act
      const invocation = await invoke(out('job_events_function'), event);

      // Assess
      expect(invocation).toEqual(
        expect.objectContaining({ ok: true, result: expect.objectContaining({ outcome: 'notified', status: 'COMPLETE' }) }),
      );
      const [envelope] = await receiveAll(subscriber.url, 1);
      const notification = JSON.parse(String(envelope?.Message)) as Json & {
        outputs: { hls: { master: string; variants: string[] }; mp4: string[]; poster: string };
      };
      const base = `https://${out('distribution_domain')}/`;
      expect(notification).toEqual(
        expect.objectContaining({
          version: '1',
          status: 'COMPLETE',
          jobId: jobId(),
          assetId: assetId(),
          source: `s3://${out('source_bucket')}/${AWKWARD_KEY}`,
        }),
      );
      expect(notification.outputs.hls.master).toBe(`${base}${assetId()}/hls/my-trip-2024-1-final.m3u8`);
      for (const url of [...notification.outputs.hls.variants, ...notification.outputs.mp4, notification.outputs.poster])
        expect(url.startsWith(base)).toBe(true);
      const { Item } = await clients.dynamodb.send(
        new GetItemCommand({ TableName: out('jobs_table'), Key: { assetId: { S: assetId() } } }),
      );
      expect(unmarshall(Item ?? {})).toEqual(expect.objectContaining({ status: 'COMPLETE', jobId: jobId() }));
    });

    const jobId = () => [...mediaconvert.jobs.keys()][0]!;
    const assetId = () => (createJob.userMetadata as Json).assetId as string;
    /** The COMPLETE detail MediaConvert would send for the recorded job and its destinations. */
    function completeEvent(): Json {
      const groups = (
        createJob.settings as {
          outputGroups: {
            outputGroupSettings: { hlsGroupSettings?: { destination: string }; fileGroupSettings?: { destination: string } };
          }[];
        }
      ).outputGroups;
      const [hls, mp4, thumbs] = groups.map(
        (g) => g.outputGroupSettings.hlsGroupSettings?.destination ?? g.outputGroupSettings.fileGroupSettings?.destination ?? '',
      );
      return {
        timestamp: Date.now(),
        accountId: '123456789012',
        queue: out('mediaconvert_queue_arn'),
        jobId: jobId(),
        status: 'COMPLETE',
        userMetadata: createJob.userMetadata,
        outputGroupDetails: [
          {
            type: 'HLS_GROUP',
            playlistFilePaths: [`${hls}.m3u8`],
            outputDetails: ['1080p', '720p', '480p', '360p'].map((r) => ({ outputFilePaths: [`${hls}_${r}.m3u8`], durationInMs: 30_000 })),
          },
          { type: 'FILE_GROUP', outputDetails: [{ outputFilePaths: [`${mp4}_1080p.mp4`], durationInMs: 30_000 }] },
          {
            type: 'FILE_GROUP',
            outputDetails: [{ outputFilePaths: [`${thumbs}_thumb.0000005.jpg`] }, { outputFilePaths: [`${thumbs}_poster.0000000.jpg`] }],
          },
        ],
      };
    }
  });

  describe('plan (after the steps above)', () => {
    it('a plan after the apply shows no changes beyond the listed emulator gaps', async () => {
      // Act
      const plan = await runTerraform(
        ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-out=e2e.tfplan'],
        deployment.stackDir,
        deployment.cliConfig,
      );
      const shown = await terraformOrThrow(['show', '-json', 'e2e.tfplan'], deployment.stackDir, deployment.cliConfig);

      // Assess
      expect([0, 2]).toContain(plan.code);
      const changes = plannedChanges(JSON.parse(shown.stdout));
      expect(unexplainedChanges(changes)).toEqual([]);
      for (const change of changes.filter((c) => !c.derived)) expect(EMULATOR_GAPS.map((g) => g.resourceType)).toContain(change.type);
    });
  });
});
