import path from 'node:path';
import { readFileSync } from 'node:fs';
import { KNOWN_AFTER_APPLY, SENSITIVE } from '../scripts/lib/plan-diff';
import { PlanJson, ResourceChangeJson } from '../scripts/lib/plan-json';
import { renderPlanSummary } from '../scripts/lib/plan-render';
import { summarizePlan, unreviewedDestruction } from '../scripts/lib/plan-summary';
import { LADDER_AFTER, LADDER_BEFORE, resource } from './support/plan-json';

describe('summarizePlan', () => {
  const plan: PlanJson = {
    resource_changes: [
      resource('aws_sqs_queue.new', ['create'], { after: { name: 'q' }, after_unknown: { arn: true } }),
      resource('aws_lambda_function.submit', ['update'], {
        before: { environment: [{ variables: { ENCODING_LADDER: LADDER_BEFORE } }] },
        after: { environment: [{ variables: { ENCODING_LADDER: LADDER_AFTER } }] },
      }),
      resource(
        'aws_s3_bucket.source',
        ['delete', 'create'],
        { before: { bucket: 'old' }, after: { bucket: 'new' }, replace_paths: [['bucket']] },
        'replace_because_cannot_update',
      ),
      resource('aws_s3_bucket_policy.old', ['delete'], { before: { policy: '{}' }, after: null }),
      resource('aws_s3_bucket.unchanged', ['no-op'], { before: { bucket: 'x' }, after: { bucket: 'x' } }),
      { ...resource('data.aws_iam_policy_document.d', ['read']), mode: 'data' as const, type: 'aws_iam_policy_document' },
    ],
    output_changes: {
      source_bucket: { actions: ['update'], before: 'old', after: 'new' },
      distribution_domain: { actions: ['create'], after_unknown: true },
      api_token: { actions: ['update'], before: 'tok-1', after: 'tok-2', before_sensitive: true, after_sensitive: true },
      unchanged: { actions: ['no-op'], before: 'x', after: 'x' },
    },
  };

  it('counts adds, changes, destroys and replacements separately', () => {
    expect(summarizePlan('vod-dev', plan).counts).toEqual({ create: 1, update: 1, delete: 1, replace: 1 });
  });

  it('lists destructive changes first, then updates, then creates', () => {
    const summary = summarizePlan('vod-dev', plan);

    expect(summary.resources.map((r) => `${r.kind} ${r.address}`)).toEqual([
      'replace aws_s3_bucket.source',
      'delete aws_s3_bucket_policy.old',
      'update aws_lambda_function.submit',
      'create aws_sqs_queue.new',
    ]);
  });

  it('shows changed outputs, masking sensitive ones and marking unknown ones', () => {
    expect(summarizePlan('vod-dev', plan).outputs).toEqual([
      { name: 'api_token', kind: 'update', before: SENSITIVE, after: SENSITIVE },
      { name: 'distribution_domain', kind: 'create', before: '(none)', after: KNOWN_AFTER_APPLY },
      { name: 'source_bucket', kind: 'update', before: '"old"', after: '"new"' },
    ]);
  });

  it('reports no changes for an empty plan', () => {
    const markdown = renderPlanSummary([summarizePlan('vod-prod', { resource_changes: [] })]);

    expect(markdown).toContain('### vod-prod: 0 to add, 0 to change, 0 to destroy, 0 to replace');
    expect(markdown).toContain('No changes.');
  });
});

describe('unreviewedDestruction', () => {
  const replaceSource = resource('aws_s3_bucket.source', ['delete', 'create'], { before: { bucket: 'a' }, after: { bucket: 'b' } });
  const deleteTable = resource('aws_dynamodb_table.jobs', ['delete'], { before: { name: 'jobs' } });
  const updateLambda = resource('aws_lambda_function.submit', ['update'], { before: { timeout: 60 }, after: { timeout: 90 } });

  it.each<[string, ResourceChangeJson[], ResourceChangeJson[], string[]]>([
    ['the same replacement as reviewed', [replaceSource], [replaceSource], []],
    ['an update where the review showed a replacement', [replaceSource], [updateLambda], []],
    ['a destroy the review did not show', [replaceSource], [replaceSource, deleteTable], ['delete aws_dynamodb_table.jobs']],
    ['a replacement where the review showed an update', [updateLambda], [replaceSource], ['replace aws_s3_bucket.source']],
  ])('finds %s', (_name, reviewed, current, expected) => {
    const found = unreviewedDestruction(
      summarizePlan('vod-prod', { resource_changes: reviewed }),
      summarizePlan('vod-prod', { resource_changes: current }),
    );

    expect(found.map((v) => `${v.kind} ${v.address}`)).toEqual(expected);
  });
});

// Real plans of the local pipeline on the S3 backend, kept by __tests__/e2e/plan-review.e2e.test.ts
// (UPDATE_PLAN_FIXTURES=1): the first deploy, a ladder change with a sensitive variable, a bucket rename.

const realPlan = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'plans', `${name}.plan.json`), 'utf8')) as PlanJson;
/** The value the e2e test put behind Terraform's sensitive(). */
const SENSITIVE_PROBE = 'e2e-probe-4f1d9c-never-print-me';

describe('summaries of real plans', () => {
  it.each([
    ['create', { create: 53, update: 0, delete: 0, replace: 0 }, 'create'],
    ['ladder', { create: 0, update: 4, delete: 0, replace: 0 }, 'update'],
    ['rename', { create: 0, update: 5, delete: 0, replace: 10 }, 'replace'],
  ])('counts the %s plan and lists its most destructive change first', (name, counts, firstKind) => {
    const summary = summarizePlan('vod-local', realPlan(name));

    expect(summary.counts).toEqual(counts);
    expect(summary.resources[0]!.kind).toBe(firstKind);
  });

  it('shows outputs of a first deploy that are unknown until apply as known after apply', () => {
    const { outputs } = summarizePlan('vod-local', realPlan('create'));

    expect(outputs.find((o) => o.name === 'distribution_domain')).toEqual(
      expect.objectContaining({ kind: 'create', after: KNOWN_AFTER_APPLY }),
    );
  });

  it('shows the ladder change inside ENCODING_LADDER as a cost change and masks the sensitive variable', () => {
    // Prepare
    const plan = realPlan('ladder');

    // Act
    const markdown = renderPlanSummary([summarizePlan('vod-local', plan)]);

    // Assess
    expect(JSON.stringify(plan)).toContain(SENSITIVE_PROBE);
    expect(markdown).not.toContain(SENSITIVE_PROBE);
    expect(markdown).toContain('| `environment.variables.ENCODING_LADDER › rungs[0].maxBitrate` | `6000000` | `5000000` |');
    expect(markdown).toContain(`| \`environment.variables.E2E_API_TOKEN\` | \`(none)\` | \`${SENSITIVE}\` |`);
    expect(markdown).toMatch(
      /#### 💰 Cost review\n\n- `aws_lambda_function\.Ingest_SubmitJob_Function_\w+` \(update\): \*\*encoding ladder\*\*/,
    );
  });

  it('lists the renamed bucket before the replacements it causes, with what forces it', () => {
    const [bucket, ...consequences] = summarizePlan('vod-local', realPlan('rename')).resources.filter((r) => r.kind === 'replace');

    expect(bucket!.changes).toEqual([
      {
        path: 'bucket',
        before: '"vod-local-source-123456789012-us-east-1"',
        after: '"vod-local-uploads-renamed"',
        forcesReplacement: true,
      },
    ]);
    for (const r of consequences) expect(r.changes.filter((c) => c.forcesReplacement).map((c) => c.after)).toEqual([KNOWN_AFTER_APPLY]);
  });

  it("docs/plan-review.md's example comments are rendered from the real plans", () => {
    const page = readFileSync(path.join(__dirname, '..', 'docs', 'plan-review.md'), 'utf8');
    const ladder = renderPlanSummary([summarizePlan('vod-local', realPlan('ladder'))]);
    const rename = renderPlanSummary([summarizePlan('vod-local', realPlan('rename'))], { protectedStacks: ['vod-local'] });

    expect(page).toContain(ladder);
    const renameExcerpt = /<!-- example: rename -->\n([\s\S]*?)<!-- \/example -->/.exec(page)?.[1] ?? '';
    expect(renameExcerpt.split('\n').length).toBeGreaterThan(10);
    for (const line of renameExcerpt.split('\n')) expect(rename.split('\n')).toContain(line);
  });
});
