import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { buildApp } from '../../stacks/app';
import { loadEnvironments } from '../../stacks/environment-loader';
import { ENVIRONMENTS } from '../../stacks/environments';
import { MotoServer, readOutputs, startMoto } from '../../scripts/lib/local-env';
import { runTerraform, terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { EMULATOR_GAPS, plannedChanges, unexplainedChanges } from '../support/emulator-gaps';
import { MediaConvertStub, startMediaConvertStub } from '../support/mediaconvert/server';
import { describeWithTools } from '../support/tiers';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

// `terraform apply` of the local environment with encryption.kmsKey 'customer' against moto:
// the key, its alias and policy, and every resource that names it are created as synthesized.
describeWithTools('customer-managed key applied to the emulator', ['terraform', 'mirror', 'moto'], () => {
  let workDir: string;
  let moto: MotoServer;
  let mediaconvert: MediaConvertStub;
  let stackDir: string;
  let cliConfig: string;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-cmk-'));
    moto = await startMoto({ awsConditionRule: true });
    // moto has no MediaConvert: the stand-in answers the queue's calls, as in the local pipeline.
    mediaconvert = await startMediaConvertStub({ region: REGION, log: () => undefined });
    const app = new App({ outdir: path.join(workDir, 'cdktf.out') });
    const local = { ...ENVIRONMENTS.local!, environment: 'cmk', encryption: { kmsKey: 'customer' } } as const;
    buildApp(app, loadEnvironments({ LOCAL_AWS_ENDPOINT: moto.url, LOCAL_MEDIACONVERT_ENDPOINT: mediaconvert.url }, { cmk: local }));
    app.synth();
    stackDir = path.join(workDir, 'cdktf.out', 'stacks', 'vod-cmk');
    cliConfig = writeTerraformCliConfig(path.join(workDir, 'terraform'));
    await terraformOrThrow(['init', '-input=false', '-no-color'], stackDir, cliConfig);
    await terraformOrThrow(['apply', '-auto-approve', '-input=false', '-no-color'], stackDir, cliConfig);
    outputs = await readOutputs(stackDir, cliConfig);
  }, 900_000);

  afterAll(async () => {
    await mediaconvert?.close();
    await moto?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const config = () => ({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS });

  /** The stack's resources of `type` as terraform read them back from the emulator after apply. */
  async function stateOf(type: string): Promise<Record<string, unknown>[]> {
    const { stdout } = await terraformOrThrow(['show', '-json', '-no-color'], stackDir, cliConfig);
    // An empty state (after destroy) has no `values` at all.
    const state = JSON.parse(stdout) as { values?: { root_module?: { resources?: { type: string; values: Record<string, unknown> }[] } } };
    return (state.values?.root_module?.resources ?? []).filter((r) => r.type === type).map((r) => r.values);
  }

  it('creates one enabled key with rotation, its alias, and the key policy as synthesized', async () => {
    // Act: the key as the provider read it back from the emulator (DescribeKey, GetKeyRotationStatus, GetKeyPolicy).
    const keys = await stateOf('aws_kms_key');
    const aliases = await stateOf('aws_kms_alias');

    // Assess
    expect(keys).toEqual([
      expect.objectContaining({ arn: outputs.kms_key_arn, is_enabled: true, enable_key_rotation: true, deletion_window_in_days: 30 }),
    ]);
    expect(aliases).toEqual([expect.objectContaining({ name: 'alias/vod-cmk-key', target_key_arn: outputs.kms_key_arn })]);
    const sids = (JSON.parse(String(keys[0]!.policy)) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
    expect(sids).toEqual(
      expect.arrayContaining(['AccountAdministersTheKey', 'CloudFrontDecryptForOwnDistribution', 'CloudWatchLogsEncryptOwnLogGroups']),
    );
  });

  it('encrypts the source and output buckets with the key (SSE-KMS, bucket key), the table and the dead-letter queues', async () => {
    // Prepare
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const keyArn = outputs.kms_key_arn!;

    // Act
    const rules = await Promise.all(
      [outputs.source_bucket!, outputs.output_bucket!].map(
        async (Bucket) => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules![0],
      ),
    );
    const { Table } = await new DynamoDBClient(config()).send(new DescribeTableCommand({ TableName: outputs.jobs_table! }));
    const sqs = new SQSClient(config());
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'vod-cmk-job-events-rule-dlq' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['KmsMasterKeyId'] }));

    // Assess
    for (const rule of rules) {
      expect(rule).toEqual(
        expect.objectContaining({
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          BucketKeyEnabled: true,
        }),
      );
    }
    expect(Table?.SSEDescription).toEqual(expect.objectContaining({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: keyArn }));
    expect(Attributes?.KmsMasterKeyId).toBe(keyArn);
  });

  it('plans no change after the apply beyond the listed emulator gaps: the emulator keeps what was applied', async () => {
    // Act
    const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', '-out=cmk.tfplan'], stackDir, cliConfig);
    const shown = await terraformOrThrow(['show', '-json', 'cmk.tfplan'], stackDir, cliConfig);

    // Assess
    expect([0, 2]).toContain(plan.code);
    const changes = plannedChanges(JSON.parse(shown.stdout));
    expect(unexplainedChanges(changes)).toEqual([]);
    for (const change of changes.filter((c) => !c.derived)) expect(EMULATOR_GAPS.map((g) => g.resourceType)).toContain(change.type);
  }, 300_000);

  it('is destroyed with the stack: nothing is left in the state', async () => {
    // Act
    await terraformOrThrow(['destroy', '-auto-approve', '-input=false', '-no-color'], stackDir, cliConfig);

    // Assess
    expect(await stateOf('aws_kms_key')).toEqual([]);
  }, 600_000);
});
