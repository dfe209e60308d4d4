/**
 * Security rules for GitHub Actions workflows, beyond what actionlint checks: the ways a pull
 * request's code or a planted artifact could reach cloud credentials.
 */
import { parse } from 'yaml';

/** The rules {@link checkWorkflowPolicy} enforces. */
export type WorkflowRule =
  /** An artifact of another run downloaded other than through `npm run reviewed:fetch`, which verifies the run first. */
  | 'artifact-provenance'
  /** A package install that runs install scripts in a job that can mint an OIDC token. */
  | 'install-scripts'
  /** The `pull_request_target` trigger: a fork's PR with the base repository's token and secrets. */
  | 'pull-request-target'
  /** `${{ }}` inside `run:`: the value is pasted into the script, so a branch name or title can inject commands. */
  | 'expression-in-run'
  /** An action or reusable workflow of another repository not pinned to a full commit SHA. */
  | 'unpinned-action';

/** One finding, with where it is. */
export interface WorkflowFinding {
  readonly rule: WorkflowRule;
  /** `job` or `job › step` (the step's name, `uses` or index). */
  readonly where: string;
  readonly message: string;
}

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly permissions?: Record<string, string> | string;
  readonly uses?: string;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on?: unknown;
  readonly jobs?: Record<string, Job>;
}

const PINNED = /@[0-9a-f]{40}$/;
const PINNED_IMAGE = /@sha256:[0-9a-f]{64}$/;
const INSTALL = /\b(npm\s+(ci|install|i|rebuild|add)|pnpm\s+(install|i|add)|yarn(\s+(install|add))?)\b/;
/** Inputs of actions/download-artifact that reach another run's artifacts. */
const CROSS_RUN_INPUTS = ['run-id', 'github-token', 'repository', 'artifact-ids'];
/** API calls and CLI commands that list or fetch other runs' artifacts. */
const ARTIFACT_API = /listArtifactsForRepo|listWorkflowRunArtifacts|downloadArtifact|getArtifact\b|gh\s+run\s+download|actions\/artifacts/;

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (typeof on === 'object' && on !== null) return Object.keys(on);
  return [];
}

function canMintToken(job: Job): boolean {
  return job.permissions === 'write-all' || (typeof job.permissions === 'object' && job.permissions['id-token'] === 'write');
}

function stepName(step: Step, index: number): string {
  return step.name ?? step.uses ?? `step ${index + 1}`;
}

/** Every rule a workflow breaks; empty when it keeps them all. */
export function checkWorkflowPolicy(text: string): WorkflowFinding[] {
  const workflow = (parse(text) ?? {}) as Workflow;
  const findings: WorkflowFinding[] = [];
  if (triggers(workflow.on).includes('pull_request_target')) {
    findings.push({
      rule: 'pull-request-target',
      where: 'on',
      message: 'pull_request_target runs with the base repository token and secrets on a fork’s PR; use pull_request',
    });
  }
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    if (job.uses !== undefined && !job.uses.startsWith('./') && !PINNED.test(job.uses)) {
      findings.push({ rule: 'unpinned-action', where: jobName, message: `${job.uses} is not pinned to a full commit SHA` });
    }
    const minting = canMintToken(job);
    (job.steps ?? []).forEach((step, index) => {
      const where = `${jobName} › ${stepName(step, index)}`;
      const uses = step.uses ?? '';
      if (uses !== '' && !uses.startsWith('./')) {
        const pinned = uses.startsWith('docker://') ? PINNED_IMAGE.test(uses) : PINNED.test(uses);
        if (!pinned)
          findings.push({ rule: 'unpinned-action', where, message: `${uses} is not pinned to a full commit SHA (or image digest)` });
      }
      const run = step.run ?? '';
      if (run.includes('${{')) {
        findings.push({ rule: 'expression-in-run', where, message: 'pass ${{ }} values through env: and quote "$VAR" in the script' });
      }
      if (minting) {
        for (const line of run.split('\n')) {
          if (INSTALL.test(line) && !line.includes('--ignore-scripts')) {
            findings.push({
              rule: 'install-scripts',
              where,
              message: `"${line.trim()}" runs install scripts in a job with id-token: write; add --ignore-scripts or install in a job without it`,
            });
          }
        }
      }
      const downloads = /(^|\/)[\w.-]*download-artifact@/.test(uses);
      const crossRun =
        downloads && (!uses.startsWith('actions/download-artifact@') || CROSS_RUN_INPUTS.some((k) => step.with?.[k] !== undefined));
      const script = typeof step.with?.script === 'string' ? step.with.script : '';
      if (crossRun || ARTIFACT_API.test(script) || ARTIFACT_API.test(run)) {
        findings.push({
          rule: 'artifact-provenance',
          where,
          message:
            'another run’s artifact is fetched without verifying that run; use `npm run reviewed:fetch`, which checks workflow, event, head repository and commit, then downloads by artifact id',
        });
      }
    });
  }
  return findings;
}
