import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertStackPolicy } from './policy-check';
import { refusePlaceholderStateBucket } from './state-bucket';
import { runTerraform, terraformOrThrow } from './terraform';

/** Written next to cdk.tf.json only while the bucket does not exist yet; Terraform merges `*_override.tf.json`. */
export const BOOTSTRAP_OVERRIDE_FILE = 'bootstrap_override.tf.json';

/** Options of {@link bootstrapStateStack}. */
export interface BootstrapOptions {
  /** The synthesized state stack (`cdktf.out/stacks/state`). */
  readonly stackDir: string;
  /** TF_CLI_CONFIG_FILE for terraform; '' uses terraform's default. */
  readonly cliConfig: string;
  /**
   * Where the state lives between the first apply and its migration into the bucket:
   * outside cdktf.out, so no synth can delete it. Left behind only if a run dies in
   * between; the next run then resumes from it.
   */
  readonly localStateFile: string;
  /** Extra `terraform init -backend-config` values (the emulator's endpoint in tests). @default [] */
  readonly backendConfig?: readonly string[];
}

/** How {@link bootstrapStateStack} ended. */
export type BootstrapOutcome = 'created' | 'updated';

const BUCKET_MISSING = /S3 bucket "[^"]+" does not exist|NoSuchBucket/;

/**
 * `npm run bootstrap`: creates the state bucket with a temporary local state outside
 * cdktf.out, then moves that state into the bucket (`init -migrate-state`), so the
 * bootstrap stack's state is versioned in S3 like every other stack's. Once the bucket
 * exists, it is a plain apply through the S3 backend.
 * @throws StateBucketNotSetError for the placeholder bucket; PolicyCheckError; Error with terraform's output when a step fails.
 */
export async function bootstrapStateStack(options: BootstrapOptions): Promise<BootstrapOutcome> {
  // Ours, left behind only by a run that was killed mid-way; the policy check refuses any extra file.
  rmSync(path.join(options.stackDir, BOOTSTRAP_OVERRIDE_FILE), { force: true });
  assertStackPolicy(options.stackDir);
  const config = JSON.parse(readFileSync(path.join(options.stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: unknown } };
  refusePlaceholderStateBucket(config.terraform?.backend, `the state stack (${options.stackDir})`);
  const backendConfig = (options.backendConfig ?? []).map((c) => `-backend-config=${c}`);
  const override = path.join(options.stackDir, BOOTSTRAP_OVERRIDE_FILE);
  const apply = ['apply', '-auto-approve', '-input=false', '-no-color'];

  if (!existsSync(options.localStateFile)) {
    const init = await runTerraform(
      ['init', '-input=false', '-no-color', '-reconfigure', ...backendConfig],
      options.stackDir,
      options.cliConfig,
    );
    if (init.code === 0) {
      await terraformOrThrow(apply, options.stackDir, options.cliConfig);
      return 'updated';
    }
    if (!BUCKET_MISSING.test(init.stderr)) {
      throw new Error(`terraform init of the state stack failed in ${options.stackDir}:\n${init.stderr}`);
    }
  }

  // The bucket does not exist yet (or a run died before migrating): apply with local state.
  mkdirSync(path.dirname(options.localStateFile), { recursive: true });
  writeFileSync(override, JSON.stringify({ terraform: { backend: { local: { path: path.resolve(options.localStateFile) } } } }, null, 2));
  try {
    await terraformOrThrow(['init', '-input=false', '-no-color', '-reconfigure'], options.stackDir, options.cliConfig);
    await terraformOrThrow(apply, options.stackDir, options.cliConfig);
  } finally {
    rmSync(override, { force: true });
  }
  await terraformOrThrow(
    ['init', '-input=false', '-no-color', '-migrate-state', '-force-copy', ...backendConfig],
    options.stackDir,
    options.cliConfig,
  );
  const { stdout } = await terraformOrThrow(['state', 'list'], options.stackDir, options.cliConfig);
  if (stdout.trim() === '') {
    throw new Error(`the state in the bucket is empty after migrating ${options.localStateFile}; keep that file and run again.`);
  }
  rmSync(options.localStateFile, { force: true });
  rmSync(`${options.localStateFile}.backup`, { force: true });
  return 'created';
}
