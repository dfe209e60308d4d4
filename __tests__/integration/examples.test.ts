import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { runTerraform, terraformEnv, terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { describeWithTools } from '../support/tiers';
import { TemplateValue, renderTemplate } from '../support/iam/ci-roles';

const EXAMPLES = readdirSync(path.join(PROJECT_ROOT, 'examples'));

// The HCL the docs quote (the CI roles, the existing configuration that reads our outputs) is
// real Terraform: formatted and valid against hashicorp/aws from the offline mirror.
describeWithTools('examples', ['terraform', 'mirror'], () => {
  let workDir: string;
  let cliConfig: string;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-examples-'));
    cliConfig = writeTerraformCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('are the CI roles and the existing configuration', () => {
    expect(EXAMPLES.sort()).toEqual(['ci-roles', 'existing-terraform']);
  });

  it("docs/plan-review.md quotes the plan role's state statements as they stand in examples/ci-roles", () => {
    const page = readFileSync(path.join(PROJECT_ROOT, 'docs', 'plan-review.md'), 'utf8');
    const policy = readFileSync(path.join(PROJECT_ROOT, 'examples', 'ci-roles', 'policies', 'plan.json.tftpl'), 'utf8');
    const quoted = /The state part of the plan role[^\n]*\n\n```json\n([\s\S]*?)```/.exec(page)?.[1] ?? '';

    expect(quoted).toContain('ReadPipelineStateNotTheLock');
    const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(normalize(policy)).toContain(normalize(quoted));
  });

  it.each(EXAMPLES)(
    'examples/%s is formatted and valid',
    async (example) => {
      // Prepare
      const dir = path.join(workDir, example);
      cpSync(path.join(PROJECT_ROOT, 'examples', example), dir, { recursive: true });

      // Act
      const fmt = await runTerraform(['fmt', '-check', '-diff', '-no-color'], dir, cliConfig);
      await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], dir, cliConfig);
      const validate = await terraformOrThrow(['validate', '-json', '-no-color'], dir, cliConfig);

      // Assess
      expect(fmt.stdout).toBe('');
      expect(JSON.parse(validate.stdout)).toEqual(expect.objectContaining({ valid: true, error_count: 0 }));
    },
    120_000,
  );

  it.each<[string, Record<string, TemplateValue>]>([
    [
      'deploy.json.tftpl',
      {
        account: '123456789012',
        name_prefix: 'vod',
        state_bucket: 'acme-state',
        state_key_prefix: 'vod-pipeline',
        tag_key: 'PipelineId',
        pipeline: 'vod-dev',
        boundary_arn: 'arn:aws:iam::123456789012:policy/vod-pipeline-boundary-dev',
      },
    ],
    [
      'plan.json.tftpl',
      { account: '123456789012', name_prefix: 'vod', state_bucket: 'acme-state', state_key_prefix: 'vod-pipeline', tag_key: 'PipelineId' },
    ],
    ['boundary.json.tftpl', { account: '123456789012', pipeline: 'vod-dev' }],
    ['deploy-keys-logs.json.tftpl', { account: '123456789012', tag_key: 'PipelineId', pipeline: 'vod-dev' }],
    [
      'deploy-trust.json.tftpl',
      {
        oidc_provider_arn: 'arn:aws:iam::1:oidc-provider/x',
        subjects: ['repo:a@1/b@2:environment:dev', 'repo:a/b:environment:dev'],
        repository: 'a/b',
        repository_id: 2,
        environment: 'dev',
      },
    ],
  ])(
    "the tests render %s as terraform's templatefile() does",
    (file, vars) => {
      // Prepare: terraform console evaluates the same call main.tf makes.
      const dir = path.join(workDir, 'render');
      cpSync(path.join(PROJECT_ROOT, 'examples', 'ci-roles', 'policies'), path.join(dir, 'policies'), { recursive: true });
      const hcl = Object.entries(vars)
        .map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : v}`)
        .join(', ');

      // Act
      const rendered = spawnSync('terraform', ['console'], {
        cwd: dir,
        env: terraformEnv(process.env, {}, cliConfig),
        input: `jsonencode(jsondecode(templatefile("policies/${file}", { ${hcl} })))\n`,
        encoding: 'utf8',
      });

      // Assess
      expect(rendered.status).toBe(0);
      expect(JSON.parse(JSON.parse(rendered.stdout.trim()) as string)).toEqual(JSON.parse(renderTemplate(file, vars)));
    },
    60_000,
  );
});
