import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlanJson } from './plan-json';
import { ProtectionViolation, StackSummary, protectionViolations, summarizePlan } from './plan-summary';
import { renderPlanSummary } from './plan-render';
import { assertStackPolicy } from './policy-check';
import { StateLockedError, parseStateLockError } from './state-lock';
import { refusePlaceholderStateBucket } from './state-bucket';
import { runTerraform } from './terraform';

/** A terraform step of `plan:ci` failed for a reason other than the state lock. */
export class PlanCiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlanCiError';
  }
}

/** Options of {@link planStacks}. */
export interface PlanCiOptions {
  /** Stacks to plan, in order (e.g. `vod-dev`, `vod-prod`). */
  readonly stacks: readonly string[];
  /** The synthesized app: `<synthDir>/stacks/<stack>/cdk.tf.json`. */
  readonly synthDir: string;
  /**
   * Synthesizes the app into `synthDir` first. Leave it out to plan a configuration
   * synthesized earlier (deploy applies the reviewed PR's synth output this way).
   */
  readonly synth?: (outdir: string) => void;
  /** Where plan files, plan JSON and summary.md go. */
  readonly outDir: string;
  /** TF_CLI_CONFIG_FILE for terraform; '' uses terraform's default. */
  readonly cliConfig: string;
  /** Extra `-backend-config` values for `terraform init` (a file or key=value). @default [] */
  readonly backendConfig?: readonly string[];
  /** Stacks whose destroys and replacements fail the check. @default [] */
  readonly protectedStacks?: readonly string[];
  /** `-lock-timeout` of the plan. @default '0s' */
  readonly lockTimeout?: string;
  /**
   * Take the state lock. The PR plan runs with `false` (`-lock=false`): its role may not write the
   * lockfile, and a plan that is never applied needs no lock. @default true
   */
  readonly lock?: boolean;
  /** Extra environment for terraform. @default {} */
  readonly env?: NodeJS.ProcessEnv;
}

/** The files `plan:ci` writes for one stack. */
export interface PlannedStack {
  readonly stack: string;
  /** Directory terraform ran in. */
  readonly stackDir: string;
  /** Binary plan (`terraform apply <planFile>` in stackDir applies exactly it). */
  readonly planFile: string;
  /** `terraform show -json` of the plan: the summary's input. */
  readonly planJsonFile: string;
  /** What `terraform plan` printed (the refresh, then the plan), for humans reading the artifact. */
  readonly planTextFile: string;
}

/** What one `plan:ci` run produced. */
export interface PlanCiResult {
  readonly planned: readonly PlannedStack[];
  readonly summaries: readonly StackSummary[];
  readonly markdown: string;
  readonly summaryFile: string;
  /** Destroys and replacements in protected stacks: non-empty fails the check. */
  readonly violations: readonly ProtectionViolation[];
}

async function terraformStep(stack: string, args: string[], cwd: string, options: PlanCiOptions): Promise<string> {
  const result = await runTerraform(args, cwd, options.cliConfig, options.env ?? {});
  if (result.code === 0) return result.stdout;
  const output = `${result.stderr}\n${result.stdout}`;
  const lock = parseStateLockError(output);
  if (lock) throw new StateLockedError(stack, lock, { cause: new Error(output) });
  throw new PlanCiError(`${stack}: terraform ${args[0]} failed in ${cwd} (exit ${result.code}):\n${output.trim()}`);
}

/**
 * `npm run plan:ci`: synthesizes (unless told not to), then for each stack runs the policy
 * check (scripts/lib/policy-check.ts), refuses the placeholder state bucket, and runs
 * `terraform init` with its S3 backend, `plan -out` (its output kept as the text view) and `show -json`, and
 * writes the markdown summary of all of them to `<outDir>/summary.md`.
 * @throws PolicyCheckError or StateBucketNotSetError before any terraform command; StateLockedError
 * when another run holds a stack's lock; PlanCiError for other failures.
 */
export async function planStacks(options: PlanCiOptions): Promise<PlanCiResult> {
  options.synth?.(options.synthDir);
  mkdirSync(options.outDir, { recursive: true });
  const planned: PlannedStack[] = [];
  const summaries: StackSummary[] = [];
  for (const stack of options.stacks) {
    const stackDir = path.resolve(options.synthDir, 'stacks', stack);
    if (!existsSync(path.join(stackDir, 'cdk.tf.json'))) {
      throw new PlanCiError(
        `${stack}: no synthesized stack at ${stackDir}. Check the stack name (PIPELINE_ENVIRONMENTS decides which stacks are synthesized) or the synth directory.`,
      );
    }
    // Before terraform downloads a provider or reads a byte of state with these credentials.
    assertStackPolicy(stackDir);
    refusePlaceholderStateBucket(
      (JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: unknown } }).terraform?.backend,
      `${stack} (${stackDir})`,
    );
    const files: PlannedStack = {
      stack,
      stackDir,
      planFile: path.resolve(options.outDir, `${stack}.tfplan`),
      planJsonFile: path.resolve(options.outDir, `${stack}.plan.json`),
      planTextFile: path.resolve(options.outDir, `${stack}.plan.txt`),
    };
    const backendConfig = (options.backendConfig ?? []).map((c) => `-backend-config=${c}`);
    await terraformStep(stack, ['init', '-input=false', '-no-color', '-reconfigure', ...backendConfig], stackDir, options);
    // The plan's own output is the text view: a `terraform show` of the plan file would load the provider's schema again.
    const planText = await terraformStep(
      stack,
      [
        'plan',
        '-input=false',
        '-no-color',
        ...(options.lock === false ? ['-lock=false'] : [`-lock-timeout=${options.lockTimeout ?? '0s'}`]),
        `-out=${files.planFile}`,
      ],
      stackDir,
      options,
    );
    const json = await terraformStep(stack, ['show', '-json', files.planFile], stackDir, options);
    writeFileSync(files.planJsonFile, json);
    writeFileSync(files.planTextFile, planText);
    planned.push(files);
    summaries.push(summarizePlan(stack, JSON.parse(json) as PlanJson));
  }
  const protectedStacks = options.protectedStacks ?? [];
  const markdown = renderPlanSummary(summaries, { protectedStacks });
  const summaryFile = path.resolve(options.outDir, 'summary.md');
  writeFileSync(summaryFile, markdown);
  return { planned, summaries, markdown, summaryFile, violations: protectionViolations(summaries, protectedStacks) };
}

/** Reads saved plan JSON files; the stack name is the file name without `.plan.json` (or `.json`). */
export function readPlanFiles(files: readonly string[]): StackSummary[] {
  return files.map((file) => {
    const stack = path.basename(file).replace(/(\.plan)?\.json$/, '');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new PlanCiError(`cannot read plan JSON ${file}: ${(cause as Error).message}`, { cause });
    }
    let plan: PlanJson;
    try {
      plan = JSON.parse(text) as PlanJson;
    } catch (cause) {
      throw new PlanCiError(`${file} is not plan JSON: write it with \`terraform show -json <planfile> > ${stack}.plan.json\`.`, { cause });
    }
    return summarizePlan(stack, plan);
  });
}
