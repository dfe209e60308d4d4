import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { App } from 'cdktf';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bootstrapStateStack } from '../../scripts/lib/bootstrap';
import {
  LOCAL_STACK,
  MotoServer,
  emulatorS3BackendSettings,
  readOutputs,
  startMoto,
  writeEmulatorBackendConfig,
} from '../../scripts/lib/local-env';
import { PlanCiResult, planStacks } from '../../scripts/lib/plan-ci';
import { KNOWN_AFTER_APPLY, PlanJson, SENSITIVE } from '../../scripts/lib/plan-summary';
import { StateLockedError } from '../../scripts/lib/state-lock';
import { terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { PipelineConfigInput, parsePipelineConfig } from '../../stacks/config';
import { ENVIRONMENTS } from '../../stacks/environments';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { StateBackendStack } from '../../stacks/state-backend-stack';
import { VideoPipelineStack } from '../../stacks/video-pipeline-stack';
import { MediaConvertStub, startMediaConvertStub } from '../support/mediaconvert/server';
import { describeWithTools } from '../support/tiers';

const REGION = 'us-east-1';
const STATE_BUCKET = 'e2e-terraform-state';
const KEY_PREFIX = 'vod-pipeline';
const PIPELINE_STATE_KEY = `${KEY_PREFIX}/${LOCAL_STACK}.tfstate`;
const RENAMED_SOURCE_BUCKET = 'vod-local-uploads-renamed';
/** A value marked sensitive in the plan: it must never reach the summary. */
const SENSITIVE_PROBE = 'e2e-probe-4f1d9c-never-print-me';
const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'plans');
const run = promisify(execFile);

/** What differs from the local environment in one synth of the app. */
interface Variant {
  readonly config?: Partial<PipelineConfigInput>;
  readonly customize?: (stack: VideoPipelineStack) => void;
}

// The review flow on the real S3 backend: bootstrap the state bucket, plan:ci and apply
// the local pipeline with an S3 backend (use_lockfile, encrypt), review a ladder change
// and a bucket rename, meet a held lock, and read the outputs from plain HCL.
describeWithTools('plan review on the S3 backend (emulator)', ['terraform', 'mirror', 'moto'], () => {
  let workDir: string;
  let synthDir: string;
  let cliConfig: string;
  let backendConfig: string;
  let moto: MotoServer;
  let mediaconvert: MediaConvertStub;
  let s3: S3Client;
  let applied: PlanCiResult;

  /** Synthesizes the state stack and the local pipeline stack on the S3 backend, changed by `variant`. */
  function synthWith(variant: Variant = {}): (outdir: string) => void {
    return (outdir) => {
      const app = new App({ outdir });
      const state = new StateBackendStack(app, 'state', {
        bucketName: STATE_BUCKET,
        region: REGION,
        keyPrefix: KEY_PREFIX,
        emulator: { endpoint: moto.url },
      });
      // Emulator gaps (EMULATOR_BEHAVIOUR_GAPS), neither of them what this test is about: moto applies the
      // TLS-only Deny without its condition (every state read would fail), and waits ~55 s on a lifecycle read-back.
      state.stateBucket.policy.addOverride('count', 0);
      for (const lifecycle of state.node.findAll().filter((c) => c instanceof S3BucketLifecycleConfiguration)) {
        (lifecycle as S3BucketLifecycleConfiguration).addOverride('count', 0);
      }
      const config = parsePipelineConfig(
        {
          ...ENVIRONMENTS.local!,
          backend: { type: 's3', bucket: STATE_BUCKET, region: REGION, keyPrefix: KEY_PREFIX },
          emulator: { endpoint: moto.url, mediaconvertEndpoint: mediaconvert.url },
          ...variant.config,
        },
        'e2e local environment on the S3 backend',
      );
      const pipeline = new VideoPipelineStack(app, LOCAL_STACK, { config });
      variant.customize?.(pipeline);
      app.synth();
    };
  }

  function planCi(name: string, variant?: Variant, extra: Partial<Parameters<typeof planStacks>[0]> = {}): Promise<PlanCiResult> {
    return planStacks({
      stacks: [LOCAL_STACK],
      synthDir,
      synth: synthWith(variant),
      outDir: path.join(workDir, 'plans', name),
      cliConfig,
      backendConfig: [backendConfig],
      ...extra,
    });
  }

  /** With UPDATE_PLAN_FIXTURES=1, keeps the parts of a real plan the summary reads (no no-ops), for the unit tests and the README. */
  function capture(name: string, result: PlanCiResult): void {
    if (process.env.UPDATE_PLAN_FIXTURES !== '1') return;
    const plan = JSON.parse(readFileSync(result.planned[0]!.planJsonFile, 'utf8')) as PlanJson;
    const { format_version, terraform_version, output_changes } = plan;
    // No-ops carry whole resources and say nothing to a reviewer: left out to keep the fixtures small.
    const resource_changes = plan.resource_changes?.filter((rc) => !rc.change.actions.every((a) => a === 'no-op'));
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(
      path.join(FIXTURES, `${name}.plan.json`),
      `${JSON.stringify({ format_version, terraform_version, resource_changes, output_changes }, null, 1)}\n`,
    );
  }

  async function objectKeys(): Promise<string[]> {
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: STATE_BUCKET }));
    return (Contents ?? []).map((o) => o.Key!).sort();
  }

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-plan-e2e-'));
    synthDir = path.join(workDir, 'cdktf.out');
    // Bucket-policy conditions as AWS evaluates them: terraform writes the player page into the output bucket after its policy.
    moto = await startMoto({ awsConditionRule: true });
    mediaconvert = await startMediaConvertStub({ region: REGION, log: () => undefined });
    s3 = new S3Client({
      region: REGION,
      endpoint: moto.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    cliConfig = writeTerraformCliConfig(path.join(workDir, 'terraform'));
    backendConfig = writeEmulatorBackendConfig(path.join(workDir, 'emulator.s3.tfbackend'), moto.url);
  }, 60_000);

  afterAll(async () => {
    // moto is thrown away with everything in it: no destroy needed.
    s3?.destroy();
    await mediaconvert?.close();
    await moto?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('step 1: bootstraps the state bucket and moves the bootstrap state into it', async () => {
    // Prepare
    synthWith()(synthDir);
    const localStateFile = path.join(workDir, 'bootstrap', 'state.tfstate');

    // Act
    const outcome = await bootstrapStateStack({
      stackDir: path.join(synthDir, 'stacks', 'state'),
      cliConfig,
      localStateFile,
      backendConfig: [backendConfig],
    });

    // Assess
    expect(outcome).toBe('created');
    expect(await objectKeys()).toEqual([`${KEY_PREFIX}/state.tfstate`]);
    expect(existsSync(localStateFile)).toBe(false);
  }, 180_000);

  it('step 2 (after step 1): a synth of only the local environment deletes the state stack directory, but not the bootstrap state', async () => {
    // Act: exactly the new user's command from the issue, into the same synth directory.
    await run(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', synthDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PIPELINE_ENVIRONMENTS: 'local', CHECKPOINT_DISABLE: '1' },
    });

    // Assess
    expect(existsSync(path.join(synthDir, 'stacks', 'state'))).toBe(false);
    synthWith()(synthDir);
    const stateDir = path.join(synthDir, 'stacks', 'state');
    await terraformOrThrow(['init', '-input=false', '-no-color', `-backend-config=${backendConfig}`], stateDir, cliConfig);
    const { stdout } = await terraformOrThrow(['state', 'list'], stateDir, cliConfig);
    expect(stdout).toMatch(/^aws_s3_bucket\.StateBucket_\w+$/m);
  }, 120_000);

  it('step 3 (in the bucket of step 1): plan:ci plans the local pipeline on the S3 backend, and the reviewed plan applies', async () => {
    // Act
    applied = await planCi('create');
    capture('create', applied);
    const { stackDir, planFile } = applied.planned[0]!;
    await terraformOrThrow(['apply', '-input=false', '-no-color', planFile], stackDir, cliConfig);

    // Assess: the summary of a first deploy.
    const [summary] = applied.summaries;
    expect(summary!.counts).toEqual(expect.objectContaining({ update: 0, delete: 0, replace: 0 }));
    expect(summary!.counts.create).toBeGreaterThan(40);
    expect(applied.markdown).toContain(`### ${LOCAL_STACK}: ${summary!.counts.create} to add, 0 to change, 0 to destroy, 0 to replace`);
    expect(applied.markdown).toContain(`| \`distribution_domain\` | \`(none)\` | \`${KNOWN_AFTER_APPLY}\` |`);
    expect(applied.markdown).toContain('**IAM policy**');
    expect(readFileSync(applied.summaryFile, 'utf8')).toBe(applied.markdown);
    // Assess: the state is in the bucket, encrypted, under the stack's key, with use_lockfile set.
    const backend = (JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: unknown } }).terraform
      .backend;
    expect(backend).toEqual({ s3: { bucket: STATE_BUCKET, region: REGION, key: PIPELINE_STATE_KEY, encrypt: true, use_lockfile: true } });
    expect(await objectKeys()).toEqual([`${KEY_PREFIX}/state.tfstate`, PIPELINE_STATE_KEY]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: PIPELINE_STATE_KEY }));
    expect(head.ServerSideEncryption).toBe('AES256');
  }, 400_000);

  it('step 4 (against the stack applied in step 3): a ladder change shows the Lambda environment diff as a cost change, and no sensitive value', async () => {
    // Prepare: a cheaper top rung, and a secret someone put in the environment.
    const rungs = [
      { name: '1080p', width: 1920, height: 1080, qvbrQualityLevel: 8, maxBitrate: 5_000_000 },
      { name: '720p', width: 1280, height: 720, qvbrQualityLevel: 8, maxBitrate: 4_000_000 },
      { name: '480p', width: 854, height: 480, qvbrQualityLevel: 7, maxBitrate: 1_500_000 },
      { name: '360p', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 800_000 },
    ];
    const variant: Variant = {
      config: { transcoding: { ladder: { rungs } } },
      customize: (stack) =>
        stack.ingest.submitFunction.fn.addOverride('environment.variables.E2E_API_TOKEN', `\${sensitive("${SENSITIVE_PROBE}")}`),
    };

    // Act
    const result = await planCi('ladder', variant);
    capture('ladder', result);

    // Assess
    const md = result.markdown;
    const submit = result.summaries[0]!.resources.find((r) => r.address.includes('Ingest_SubmitJob'))!;
    expect(submit).toEqual(expect.objectContaining({ type: 'aws_lambda_function', kind: 'update' }));
    expect(md).toContain(
      `**encoding ladder**: \`environment.variables.ENCODING_LADDER › rungs[0].maxBitrate\`, \`environment.variables.ENCODING_LADDER › rungs[0].qvbrQualityLevel\``,
    );
    expect(md).toContain('| `environment.variables.ENCODING_LADDER › rungs[0].maxBitrate` | `6000000` | `5000000` |');
    expect(md).toContain(`| \`environment.variables.E2E_API_TOKEN\` | \`(none)\` | \`${SENSITIVE}\` |`);
    expect(readFileSync(result.planned[0]!.planJsonFile, 'utf8')).toContain(SENSITIVE_PROBE);
    expect(md).not.toContain(SENSITIVE_PROBE);
    expect(md).not.toContain('[!WARNING]');
  }, 180_000);

  it('step 5 (against step 3): a bucket rename shows the replacement first and flagged, and fails a protected stack', async () => {
    // Act
    const result = await planCi(
      'rename',
      { customize: (stack) => stack.storage.sourceBucket.bucket.addOverride('bucket', RENAMED_SOURCE_BUCKET) },
      { protectedStacks: [LOCAL_STACK] },
    );
    capture('rename', result);

    // Assess
    const md = result.markdown;
    const [first] = result.summaries[0]!.resources;
    expect(first).toEqual(expect.objectContaining({ type: 'aws_s3_bucket', kind: 'replace' }));
    expect(md.indexOf('> [!CAUTION]')).toBeLessThan(md.indexOf('> [!WARNING]'));
    expect(md.indexOf('> [!WARNING]')).toBeLessThan(md.indexOf('| stack |'));
    expect(md).toMatch(
      new RegExp(
        `- \\*\\*replace\\*\\* \`${first!.address}\`, forced by \`bucket\`: \`"vod-local-source-[^"]+"\` → \`"${RENAMED_SOURCE_BUCKET}"\``,
      ),
    );
    expect(md).toContain(`| 🔴 replace | \`${first!.address}\` | \`bucket\` (forces replacement)`);
    expect(result.violations).toEqual(expect.arrayContaining([{ stack: LOCAL_STACK, address: first!.address, kind: 'replace' }]));
    // The CLI turns a protected stack's replacement into a failing exit code.
    const cli = (args: string[]) =>
      run(process.execPath, [
        path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(PROJECT_ROOT, 'scripts', 'plan-summary.ts'),
        ...args,
      ]);
    await expect(cli(['--protect', LOCAL_STACK, result.planned[0]!.planJsonFile])).rejects.toMatchObject({ code: 1 });
    await expect(cli([result.planned[0]!.planJsonFile])).resolves.toMatchObject({ stdout: expect.stringContaining('forced by `bucket`') });
  }, 180_000);

  it('step 6 (state of step 3): a second plan while another run holds the lock fails with a lock error naming the lockfile', async () => {
    // Prepare: `terraform console` holds the state lock for as long as it runs.
    const { stackDir } = applied.planned[0]!;
    const holder: ChildProcess = spawn('terraform', ['console', '-no-color'], {
      cwd: stackDir,
      env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      for (let i = 0; i < 100 && !(await objectKeys()).includes(`${PIPELINE_STATE_KEY}.tflock`); i += 1)
        await new Promise((r) => setTimeout(r, 100));
      expect(await objectKeys()).toContain(`${PIPELINE_STATE_KEY}.tflock`);

      // Act
      const second = planCi('locked', undefined, { synth: undefined, lockTimeout: '0s' });

      // Assess
      await expect(second).rejects.toThrow(StateLockedError);
      await expect(second).rejects.toThrow(`lockfile s3://${STATE_BUCKET}/${PIPELINE_STATE_KEY}.tflock`);
    } finally {
      holder.stdin!.end();
      await exited;
    }
    expect(await objectKeys()).not.toContain(`${PIPELINE_STATE_KEY}.tflock`);
  }, 120_000);

  it("step 7 (outputs of step 3): an existing plain-HCL configuration reads the stack's outputs from the same S3 backend", async () => {
    // Prepare: their configuration, with the emulator's endpoints as a test-only override.
    const dir = path.join(workDir, 'existing-terraform');
    cpSync(path.join(PROJECT_ROOT, 'examples', 'existing-terraform'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'emulator_override.tf.json'),
      JSON.stringify({
        provider: {
          aws: {
            region: REGION,
            access_key: 'testing',
            secret_key: 'testing',
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
            skip_metadata_api_check: true,
            s3_use_path_style: true,
            endpoints: [{ s3: moto.url, sqs: moto.url, sns: moto.url, iam: moto.url, sts: moto.url }],
          },
        },
        data: {
          terraform_remote_state: {
            video_pipeline: {
              config: { bucket: STATE_BUCKET, key: PIPELINE_STATE_KEY, region: REGION, ...emulatorS3BackendSettings(moto.url) },
            },
          },
        },
      }),
    );
    const theirState = ['bucket', STATE_BUCKET, 'key', 'media-app/terraform.tfstate', 'region', REGION];
    const vars = ['-var', `state_bucket=${STATE_BUCKET}`, '-var', `pipeline_state_key=${PIPELINE_STATE_KEY}`];

    // Act
    await terraformOrThrow(
      [
        'init',
        '-input=false',
        '-no-color',
        `-backend-config=${backendConfig}`,
        ...[0, 2, 4].map((i) => `-backend-config=${theirState[i]}=${theirState[i + 1]}`),
      ],
      dir,
      cliConfig,
    );
    await terraformOrThrow(['apply', '-auto-approve', '-input=false', '-no-color', ...vars], dir, cliConfig);
    const theirs = await readOutputs(dir, cliConfig);

    // Assess
    const ours = await readOutputs(applied.planned[0]!.stackDir, cliConfig);
    expect(theirs).toEqual({
      subscribed_topic_arn: ours.notification_topic_arn,
      upload_bucket: ours.source_bucket,
      playback_base_url: `https://${ours.distribution_domain}/`,
    });
    expect(await objectKeys()).toContain('media-app/terraform.tfstate');
  }, 120_000);
});
