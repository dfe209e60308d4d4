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
import { KNOWN_AFTER_APPLY, SENSITIVE } from '../../scripts/lib/plan-diff';
import type { PlanJson } from '../../scripts/lib/plan-json';
import { StateLockedError } from '../../scripts/lib/state-lock';
import { terraformEnv, terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { PipelineConfigInput, parsePipelineConfig } from '../../stacks/config';
import { ENVIRONMENTS } from '../../stacks/environments';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { StateBackendStack } from '../../stacks/state-backend-stack';
import { VideoPipelineStack } from '../../stacks/video-pipeline-stack';
import { FaultProxy, ProxiedCall, startFaultProxy } from '../support/faults/proxy';
import { DEFAULT_INPUTS as DEFAULT_CI_INPUTS, boundaryArn, deployPolicy, planPolicy } from '../support/iam/ci-roles';
import { neverExercised, simulateCalls } from '../support/iam/recorded-simulation';
import { iamRequestsOf, newCallMemory } from '../support/iam/terraform-calls';
import { iamActionsOf } from '../support/iam/actions';
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

/** Who makes the calls of a step, in the CI the roles of examples/ci-roles serve. */
type Phase = 'bootstrap' | 'deploy' | 'pr-plan' | 'other';

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
  let directBackendConfig: string;
  let moto: MotoServer;
  let mediaconvert: MediaConvertStub;
  let s3: S3Client;
  let applied: PlanCiResult;
  // Recording proxies in front of moto and the MediaConvert stand-in: every AWS call terraform makes, by phase.
  let awsProxy: FaultProxy;
  let mediaconvertProxy: FaultProxy;
  const recorded: { phase: Phase; call: ProxiedCall }[] = [];
  let seen = { aws: 0, mediaconvert: 0 };

  /** Files the calls made since the last checkpoint under `phase`. */
  function checkpoint(phase: Phase): void {
    for (const call of awsProxy.requests.slice(seen.aws)) recorded.push({ phase, call });
    for (const call of mediaconvertProxy.requests.slice(seen.mediaconvert)) recorded.push({ phase, call });
    seen = { aws: awsProxy.requests.length, mediaconvert: mediaconvertProxy.requests.length };
  }

  /** Synthesizes the state stack and the local pipeline stack on the S3 backend, changed by `variant`. */
  function synthWith(variant: Variant = {}): (outdir: string) => void {
    return (outdir) => {
      const app = new App({ outdir });
      const state = new StateBackendStack(app, 'state', {
        bucketName: STATE_BUCKET,
        region: REGION,
        keyPrefix: KEY_PREFIX,
        emulator: { endpoint: awsProxy.url },
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
          emulator: { endpoint: awsProxy.url, mediaconvertEndpoint: mediaconvertProxy.url },
          // The deploy role creates roles only under its boundary (examples/ci-roles); the simulation checks each call.
          iam: { permissionsBoundaryArn: boundaryArn('local') },
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

  /**
   * The pull requests of steps 4 and 5: a cheaper top rung with a secret someone put in the
   * environment, and a source bucket rename on a protected stack.
   */
  async function planPullRequests(): Promise<Record<'ladder' | 'rename', PlanCiResult>> {
    const rungs = [
      { name: '1080p', width: 1920, height: 1080, qvbrQualityLevel: 8, maxBitrate: 5_000_000 },
      { name: '720p', width: 1280, height: 720, qvbrQualityLevel: 8, maxBitrate: 4_000_000 },
      { name: '480p', width: 854, height: 480, qvbrQualityLevel: 7, maxBitrate: 1_500_000 },
      { name: '360p', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 800_000 },
    ];
    const ladder: Variant = {
      config: { transcoding: { ladder: { rungs } } },
      customize: (stack) =>
        stack.ingest.submitFunction.fn.addOverride('environment.variables.E2E_API_TOKEN', `\${sensitive("${SENSITIVE_PROBE}")}`),
    };
    const rename: Variant = { customize: (stack) => stack.storage.sourceBucket.bucket.addOverride('bucket', RENAMED_SOURCE_BUCKET) };
    // Each its own synth directory: they run at once.
    const own = (dir: string) => ({ lock: false, synthDir: path.join(workDir, dir) });
    checkpoint('other');
    const [laddered, renamed] = await Promise.all([
      planCi('ladder', ladder, own('cdktf.out.ladder')),
      planCi('rename', rename, { ...own('cdktf.out.rename'), protectedStacks: [LOCAL_STACK] }),
    ]);
    checkpoint('pr-plan');
    capture('ladder', laddered);
    capture('rename', renamed);
    return { ladder: laddered, rename: renamed };
  }

  /**
   * Once step 3 has applied, its state has three readers that run side by side, as they would in CI:
   * the pull requests of steps 4 and 5 (plan.yml plans each on its own, read-only and without the
   * lock) and step 7's existing plain-HCL configuration (another team's apply, on its own state key).
   */
  let readers:
    { pullRequests: Promise<Record<'ladder' | 'rename', PlanCiResult>>; theirOutputs: Promise<Record<string, string>> } | undefined;
  function afterStep3(): NonNullable<typeof readers> {
    if (readers) return readers;
    readers = { pullRequests: planPullRequests(), theirOutputs: applyTheirConfiguration() };
    // Each step reports its own failure when it awaits its part; none goes unhandled meanwhile.
    readers.theirOutputs.catch(() => undefined);
    readers.pullRequests.catch(() => undefined);
    return readers;
  }

  /** Step 7's configuration: applied straight against moto, past the recording proxy (its calls are not the CI roles'). */
  async function applyTheirConfiguration(): Promise<Record<string, string>> {
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

    // Their apply
    await terraformOrThrow(
      [
        'init',
        '-input=false',
        '-no-color',
        `-backend-config=${directBackendConfig}`,
        ...[0, 2, 4].map((i) => `-backend-config=${theirState[i]}=${theirState[i + 1]}`),
      ],
      dir,
      cliConfig,
    );
    await terraformOrThrow(['apply', '-auto-approve', '-input=false', '-no-color', ...vars], dir, cliConfig);
    return readOutputs(dir, cliConfig);
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
    awsProxy = await startFaultProxy(moto.url, { keepRequests: true });
    mediaconvertProxy = await startFaultProxy(mediaconvert.url, { keepRequests: true });
    s3 = new S3Client({
      region: REGION,
      endpoint: moto.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    cliConfig = writeTerraformCliConfig(path.join(workDir, 'terraform'));
    backendConfig = writeEmulatorBackendConfig(path.join(workDir, 'emulator.s3.tfbackend'), awsProxy.url);
    directBackendConfig = writeEmulatorBackendConfig(path.join(workDir, 'moto.s3.tfbackend'), moto.url);
  });

  afterAll(async () => {
    // moto is thrown away with everything in it: no destroy needed.
    s3?.destroy();
    await awsProxy?.close();
    await mediaconvertProxy?.close();
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
    checkpoint('bootstrap');
    expect(outcome).toBe('created');
    expect(await objectKeys()).toEqual([`${KEY_PREFIX}/state.tfstate`]);
    expect(existsSync(localStateFile)).toBe(false);
  });

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
    checkpoint('bootstrap');
  });

  it('step 3 (in the bucket of step 1): plan:ci plans the local pipeline on the S3 backend, and the reviewed plan applies', async () => {
    // Act: what the deploy job does with the deploy role (plan with the lock, apply that plan).
    checkpoint('other');
    applied = await planCi('create');
    capture('create', applied);
    const { stackDir, planFile } = applied.planned[0]!;
    await terraformOrThrow(['apply', '-input=false', '-no-color', planFile], stackDir, cliConfig);
    checkpoint('deploy');

    // Assess: the summary of a first deploy.
    const [summary] = applied.summaries;
    expect(summary!.counts).toEqual(expect.objectContaining({ update: 0, delete: 0, replace: 0 }));
    expect(summary!.counts.create).toBeGreaterThan(40);
    expect(applied.markdown).toContain(`### ${LOCAL_STACK}: ${summary!.counts.create} to add, 0 to change, 0 to destroy, 0 to replace`);
    expect(applied.markdown).toContain(`| \`distribution_domain\` | \`(none)\` | \`${KNOWN_AFTER_APPLY}\` |`);
    expect(applied.markdown).toContain('**IAM policy**');
    expect(readFileSync(applied.summaryFile, 'utf8')).toBe(applied.markdown);
    expect(readFileSync(applied.planned[0]!.planTextFile, 'utf8')).toContain(
      `Plan: ${summary!.counts.create} to add, 0 to change, 0 to destroy.`,
    );
    // Assess: the state is in the bucket, encrypted, under the stack's key, with use_lockfile set.
    const backend = (JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: unknown } }).terraform
      .backend;
    expect(backend).toEqual({ s3: { bucket: STATE_BUCKET, region: REGION, key: PIPELINE_STATE_KEY, encrypt: true, use_lockfile: true } });
    expect(await objectKeys()).toEqual([`${KEY_PREFIX}/state.tfstate`, PIPELINE_STATE_KEY]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: PIPELINE_STATE_KEY }));
    expect(head.ServerSideEncryption).toBe('AES256');
  });

  it('step 4 (against the stack applied in step 3): a ladder change shows the Lambda environment diff as a cost change, and no sensitive value', async () => {
    // Act: a pull request's plan, as plan.yml runs it with the plan role (no lock).
    const result = (await afterStep3().pullRequests).ladder;

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
  });

  it('step 5 (against step 3): a bucket rename shows the replacement first and flagged, and fails a protected stack', async () => {
    // Act: a pull request's plan (no lock).
    const result = (await afterStep3().pullRequests).rename;

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
  });

  it('step 6 (state of step 3): a second plan while another run holds the lock fails with a lock error naming the lockfile', async () => {
    // Prepare: `terraform console` holds the state lock for as long as it runs.
    const { stackDir } = applied.planned[0]!;
    const holder: ChildProcess = spawn('terraform', ['console', '-no-color'], {
      cwd: stackDir,
      env: terraformEnv(process.env, {}, cliConfig),
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
  });

  it("step 7 (outputs of step 3): an existing plain-HCL configuration reads the stack's outputs from the same S3 backend", async () => {
    // Act: their apply started beside the pull-request plans (see afterStep3).
    const theirs = await afterStep3().theirOutputs;

    // Assess
    const ours = await readOutputs(applied.planned[0]!.stackDir, cliConfig);
    expect(theirs).toEqual({
      subscribed_topic_arn: ours.notification_topic_arn,
      upload_bucket: ours.source_bucket,
      playback_base_url: `https://${ours.distribution_domain}/`,
    });
    expect(await objectKeys()).toContain('media-app/terraform.tfstate');
  });

  it('step 8 (stack of step 3): the deploy role destroys the stack (terraform destroy through the S3 backend)', async () => {
    // Prepare: the configuration of step 3 (steps 4 and 5 synthesized theirs elsewhere).
    checkpoint('other');
    const { stackDir } = applied.planned[0]!;
    await terraformOrThrow(['init', '-input=false', '-no-color', '-reconfigure', `-backend-config=${backendConfig}`], stackDir, cliConfig);

    // Act
    await terraformOrThrow(['destroy', '-auto-approve', '-input=false', '-no-color'], stackDir, cliConfig);
    checkpoint('deploy');

    // Assess
    const { stdout } = await terraformOrThrow(['state', 'list'], stackDir, cliConfig);
    expect(stdout.trim()).toBe('');
    checkpoint('other');
  });

  // Every AWS call terraform made above, mapped to its IAM action and resource and decided by the IAM
  // simulator against the roles examples/ci-roles creates (the same policy templates).
  describe('step 9 (calls of steps 1-8): the CI roles, simulated on every recorded call', () => {
    const scope = { account: '123456789012', region: REGION, resourceTags: { PipelineId: LOCAL_STACK } };
    const deployRole = (protect: boolean) => ({
      arn: 'arn:aws:iam::123456789012:role/vod-github-deploy-local',
      account: '123456789012',
      policies: [deployPolicy('local', protect, { ...DEFAULT_CI_INPUTS, stateBucket: STATE_BUCKET, stateKeyPrefix: KEY_PREFIX })],
    });
    const planRole = {
      arn: 'arn:aws:iam::123456789012:role/vod-github-plan',
      account: '123456789012',
      policies: [planPolicy({ ...DEFAULT_CI_INPUTS, stateBucket: STATE_BUCKET, stateKeyPrefix: KEY_PREFIX })],
    };
    const callsOf = (phase: Phase) => recorded.filter((r) => r.phase === phase).map((r) => r.call);

    it('the deploy role allows every call of the apply and the destroy, and the calls create every role under the boundary', async () => {
      // Act
      const result = await simulateCalls(callsOf('deploy'), deployRole(false), scope);

      // Assess
      expect(result.requests.length).toBeGreaterThan(300);
      expect(result.denied).toEqual([]);
      const createRoles = result.requests.filter((r) => r.request.action === 'iam:CreateRole');
      expect(createRoles.map((r) => r.request.context?.['iam:PermissionsBoundary'])).toEqual(createRoles.map(() => boundaryArn('local')));
      expect([...result.exercised]).toEqual(expect.arrayContaining(['kms:createkey', 'iam:passrole', 'mediaconvert:createqueue']));
      process.stdout.write(
        `deploy role: ${result.requests.length} IAM requests from ${callsOf('deploy').length} calls, all allowed. ` +
          `Allowed but never exercised here (updates, tags, optional parts): ${neverExercised(deployRole(false).policies[0]!, result.exercised).join(', ')}\n`,
      );
    });

    it("a protected environment's deploy role is denied exactly the data-removing calls, and the settings its first apply creates", async () => {
      // Act
      const result = await simulateCalls(callsOf('deploy'), deployRole(true), scope);

      // Assess
      const denied = new Set(result.requests.filter((r) => r.decision !== 'Allowed').map((r) => r.request.action));
      expect([...denied].sort()).toEqual(
        expect.arrayContaining([
          'dynamodb:DeleteTable',
          's3:DeleteBucketPolicy',
          's3:PutBucketPublicAccessBlock',
          's3:PutBucketVersioning',
        ]),
      );
      expect(
        [...denied].filter(
          (a) =>
            ![
              'dynamodb:DeleteTable',
              's3:DeleteBucketPolicy',
              's3:PutBucketPublicAccessBlock',
              's3:PutBucketVersioning',
              's3:DeleteObject',
              's3:DeleteObjectVersion',
              // The destroy schedules the alarm topic's key for deletion: a protected environment keeps its keys.
              'kms:ScheduleKeyDeletion',
            ].includes(a),
        ),
      ).toEqual([]);
    });

    it('the plan role allows every call of the pull-request plans, and none of them writes', async () => {
      // Prepare: the key policy of the key step 3 created (KMS asks it too), as the calls recorded it.
      const memory = newCallMemory();
      for (const call of callsOf('deploy')) iamRequestsOf(call, scope, memory);

      // Act
      const result = await simulateCalls(callsOf('pr-plan'), planRole, scope, memory);

      // Assess
      expect(result.requests.length).toBeGreaterThan(50);
      expect(result.denied).toEqual([]);
      const levels = new Map(
        iamActionsOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...result.exercised], Resource: '*' }] }).map((a) => [
          a.action.toLowerCase(),
          a.accessLevel,
        ]),
      );
      expect([...result.exercised].filter((a) => levels.get(a) !== 'Read' && levels.get(a) !== 'List')).toEqual([]);
      expect(result.requests.some((r) => r.request.resource.endsWith('.tflock'))).toBe(false);
      process.stdout.write(
        `plan role: ${result.requests.length} IAM requests from ${callsOf('pr-plan').length} calls, all allowed, all Read/List. ` +
          `Allowed but never exercised here: ${neverExercised(planRole.policies[0]!, result.exercised).join(', ')}\n`,
      );
    });
  });
});
