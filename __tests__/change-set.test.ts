import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ChangeSetSchema, canonicalJson, changeSetOf, compareChangeSets, renderDifferences } from '../scripts/lib/change-set';
import type { PlanJson } from '../scripts/lib/plan-json';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const run = promisify(execFile);
// Real `terraform show -json` output of the plan-review e2e (against the same applied state).
const plan = (name: string) =>
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'plans', `${name}.plan.json`), 'utf8')) as PlanJson;

describe('the reviewed change set', () => {
  it('lists each resource and output the plan changes, with its actions and a hash, and no planned value', () => {
    // Act
    const changes = changeSetOf('vod-local', plan('ladder'));

    // Assess
    expect(ChangeSetSchema.parse(changes)).toEqual(changes);
    expect(changes.changes.map((c) => `${c.actions.join('+')} ${c.address}`)).toEqual([
      'update aws_cloudfront_distribution.Delivery_Distribution_CFF1B36C',
      'update aws_lambda_function.Ingest_SubmitJob_Function_B5229A13',
      'update aws_lambda_function.JobEvents_JobEventsFunction_7688DB5A',
      'update aws_s3_bucket_policy.Storage_OutputBucket_Policy_9FC16362',
    ]);
    const text = JSON.stringify(changes);
    expect(text).not.toContain('e2e-probe-4f1d9c-never-print-me');
    expect(text).not.toContain('ENCODING_LADDER');
    expect(text).not.toMatch(/vod-local-(source|output)/);
  });

  it('matches a plan with the same changes', () => {
    expect(compareChangeSets(changeSetOf('vod-local', plan('ladder')), changeSetOf('vod-local', plan('ladder')))).toEqual([]);
  });

  it('names every resource a different plan would change otherwise, and how', () => {
    // Act: reviewed the ladder change; main would rename a bucket instead.
    const differences = compareChangeSets(changeSetOf('vod-local', plan('ladder')), changeSetOf('vod-local', plan('rename')));

    // Assess
    const kinds = new Map(differences.map((d) => [d.address, d.kind]));
    expect([...kinds].find(([address]) => address.startsWith('aws_s3_bucket.Storage_SourceBucket'))?.[1]).toBe('not-reviewed');
    expect(kinds.get('aws_lambda_function.Ingest_SubmitJob_Function_B5229A13')).toBe('values');
    expect(kinds.get('aws_cloudfront_distribution.Delivery_Distribution_CFF1B36C')).toBeUndefined();
  });

  it('catches a change with the same actions and other values', () => {
    // Prepare: the same plan, with one planned attribute changed.
    const tampered = structuredClone(plan('ladder')) as unknown as {
      resource_changes: { address: string; change: { after: Record<string, unknown> } }[];
    };
    const submit = tampered.resource_changes.find((rc) => rc.address === 'aws_lambda_function.Ingest_SubmitJob_Function_B5229A13')!;
    submit.change.after = { ...submit.change.after, role: 'arn:aws:iam::123456789012:role/vod-local-admin' };

    // Act
    const differences = compareChangeSets(
      changeSetOf('vod-local', plan('ladder')),
      changeSetOf('vod-local', tampered as unknown as PlanJson),
    );

    // Assess
    expect(differences).toEqual([
      {
        address: 'aws_lambda_function.Ingest_SubmitJob_Function_B5229A13',
        kind: 'values',
        detail: 'update with other values than reviewed',
      },
    ]);
  });

  it('refuses a change set of another stack', () => {
    expect(compareChangeSets(changeSetOf('vod-dev', plan('ladder')), changeSetOf('vod-prod', plan('ladder')))).toEqual([
      expect.objectContaining({ kind: 'stack' }),
    ]);
  });

  it.each([
    [{ b: 1, a: [{ d: 2, c: 3 }] }, '{"a":[{"c":3,"d":2}],"b":1}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    ['x', '"x"'],
  ])('canonical JSON of %j is %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('the message says what differs and to re-run the PR plan', () => {
    const message = renderDifferences('vod-prod', [{ address: 'aws_s3_bucket.x', kind: 'not-reviewed', detail: 'would delete' }], false);

    expect(message).toContain('vod-prod: the plan of main differs from the plan reviewed on the pull request; nothing was applied.');
    expect(message).toContain('  - aws_s3_bucket.x: would delete');
    expect(message).toContain('Re-run the plan workflow');
  });
});

describe('npm run plan:changes / plan:compare', () => {
  let dir: string;
  const tsx = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const cli = (args: string[]) => run(process.execPath, [tsx, path.join(PROJECT_ROOT, 'scripts', 'plan-changes.ts'), ...args]);
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'vod-change-set-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the change set of the PR plan, passes the same plan at deploy, and stops a different one with exit 1', async () => {
    // Prepare: the PR plan, and main's plan that turned out different.
    const reviewedPlan = path.join(dir, 'reviewed', 'vod-local.plan.json');
    const deployPlan = path.join(dir, 'deploy', 'vod-local.plan.json');
    const changes = path.join(dir, 'vod-local.changes.json');
    for (const [file, name] of [
      [reviewedPlan, 'ladder'],
      [deployPlan, 'rename'],
    ] as const) {
      await run('mkdir', ['-p', path.dirname(file)]);
      writeFileSync(file, JSON.stringify(plan(name)));
    }

    // Act
    await cli(['--out', changes, reviewedPlan]);
    const same = await cli(['--reviewed', changes, reviewedPlan]);
    const different = cli(['--reviewed', changes, deployPlan]);

    // Assess
    expect(same.stdout).toContain('vod-local: the plan matches the reviewed change set (4 changes).');
    await expect(different).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /differs from the plan reviewed[\s\S]*aws_s3_bucket\.Storage_SourceBucket\w+: would [\s\S]*Re-run the plan workflow/,
      ),
    });
  }, 60_000);
});
