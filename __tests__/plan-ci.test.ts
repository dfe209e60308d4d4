import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PlanCiError, planStacks, readPlanFiles } from '../scripts/lib/plan-ci';

describe('readPlanFiles', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'vod-plan-files-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['vod-dev.plan.json', 'vod-dev'],
    ['vod-prod.json', 'vod-prod'],
  ])('names the stack of %s %s', (file, stack) => {
    // Prepare
    writeFileSync(path.join(dir, file), JSON.stringify({ resource_changes: [] }));

    // Act
    const [summary] = readPlanFiles([path.join(dir, file)]);

    // Assess
    expect(summary!.stack).toBe(stack);
  });

  it('fails on a file that is not plan JSON, saying how to write one', () => {
    writeFileSync(path.join(dir, 'vod-dev.tfplan.json'), 'Terraform will perform the following actions:');

    expect(() => readPlanFiles([path.join(dir, 'vod-dev.tfplan.json')])).toThrow(PlanCiError);
    expect(() => readPlanFiles([path.join(dir, 'vod-dev.tfplan.json')])).toThrow(/is not plan JSON: write it with `terraform show -json/);
  });

  it('fails on a missing file, naming it', () => {
    expect(() => readPlanFiles([path.join(dir, 'missing.plan.json')])).toThrow(/cannot read plan JSON .*missing\.plan\.json/);
  });
});

describe('planStacks', () => {
  it('fails before running terraform when a stack was not synthesized, naming the stack and PIPELINE_ENVIRONMENTS', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vod-plan-ci-'));
    try {
      const run = planStacks({ stacks: ['vod-staging'], synthDir: dir, outDir: path.join(dir, 'plans'), cliConfig: '' });

      await expect(run).rejects.toThrow(PlanCiError);
      await expect(run).rejects.toThrow(/vod-staging: no synthesized stack at .*PIPELINE_ENVIRONMENTS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
