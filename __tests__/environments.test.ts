import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { ConfigError } from '../stacks/config';
import { loadEnvironments as loadDeclaredEnvironments } from '../stacks/environment-loader';
import { DEFAULT_STATE_BUCKET, ENVIRONMENTS, loadEmbeddedEnvironments as loadEnvironments } from '../stacks/environments';

describe('loadEnvironments', () => {
  it('loads dev, prod and local from the embedded config with no variables set', () => {
    // Act
    const environments = loadEnvironments({});

    // Assess
    expect(environments.map((e) => e.environment)).toEqual(['dev', 'prod', 'local']);
    expect(environments[0]!.backend).toEqual({ type: 's3', bucket: DEFAULT_STATE_BUCKET, region: 'us-east-1', keyPrefix: 'vod-pipeline' });
  });

  it('marks only the embedded prod as production', () => {
    expect(loadEnvironments({}).map((e) => [e.environment, e.production])).toEqual([
      ['dev', false],
      ['prod', true],
      ['local', false],
    ]);
  });

  it('overrides the state backend from TF_STATE_BUCKET, TF_STATE_REGION and TF_STATE_KEY_PREFIX', () => {
    // Act
    const [dev] = loadEnvironments({
      PIPELINE_ENVIRONMENTS: 'dev',
      TF_STATE_BUCKET: 'acme-tfstate',
      TF_STATE_REGION: 'eu-west-1',
      TF_STATE_KEY_PREFIX: 'media/vod',
    });

    // Assess
    expect(dev!.backend).toEqual({ type: 's3', bucket: 'acme-tfstate', region: 'eu-west-1', keyPrefix: 'media/vod' });
  });

  it('leaves the local backend of the emulator environment alone', () => {
    const [local] = loadEnvironments({ PIPELINE_ENVIRONMENTS: 'local', TF_STATE_BUCKET: 'acme-tfstate' });

    expect(local!.backend).toEqual({ type: 'local', path: 'terraform.tfstate' });
  });

  it('points the local environment at the emulator given by LOCAL_AWS_ENDPOINT', () => {
    const [local] = loadEnvironments({
      PIPELINE_ENVIRONMENTS: 'local',
      LOCAL_AWS_ENDPOINT: 'http://127.0.0.1:45123',
      LOCAL_MEDIACONVERT_ENDPOINT: 'http://127.0.0.1:45124',
    });

    expect(local!.emulator).toEqual({ endpoint: 'http://127.0.0.1:45123', mediaconvertEndpoint: 'http://127.0.0.1:45124' });
  });

  it('switches Lambda packaging with LAMBDA_PACKAGING', () => {
    const [dev] = loadEnvironments({ PIPELINE_ENVIRONMENTS: 'dev', LAMBDA_PACKAGING: 'zip' });

    expect(dev!.lambda.packaging).toBe('zip');
  });

  it('fails on an invalid override with the field and the environment named', () => {
    expect(() => loadEnvironments({ PIPELINE_ENVIRONMENTS: 'dev', TF_STATE_REGION: 'moon-1' })).toThrow(
      /environment "dev"[\s\S]*backend\.region: must be an AWS region/,
    );
    expect(() => loadEnvironments({ PIPELINE_ENVIRONMENTS: 'dev', LAMBDA_PACKAGING: 'tarball' })).toThrow(/lambda\.packaging/);
  });

  it('fails on an unknown environment name, listing the known environments and stacks', () => {
    const load = () => loadEnvironments({ PIPELINE_ENVIRONMENTS: 'staging' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/"staging" is neither an environment \(dev, prod, local\) nor a stack \(vod-dev, vod-prod, vod-local\)/);
  });

  it('selects by stack name as well as by environment name, in the order given', () => {
    const environments = loadEnvironments({ PIPELINE_ENVIRONMENTS: 'vod-prod, dev' });

    expect(environments.map((e) => e.environment)).toEqual(['prod', 'dev']);
  });

  it('refuses an environment named twice, before cdktf would refuse the duplicate stack', () => {
    expect(() => loadEnvironments({ PIPELINE_ENVIRONMENTS: 'dev,vod-dev' })).toThrow(/"vod-dev" selects environment "dev" a second time/);
  });

  it('reports every invalid field of every environment in one error', () => {
    // Prepare
    const declared = {
      dev: { environment: 'dev', backend: { type: 'local' }, lambda: { timeoutSeconds: 3 } },
      prod: { environment: 'prod', backend: { type: 'local' }, delivery: { priceClass: 'PriceClass_Cheap' }, logRetentionDays: 10 },
    } as const;

    // Act
    const load = () => loadDeclaredEnvironments({ PIPELINE_ENVIRONMENTS: 'dev' }, declared as never);

    // Assess
    expect(load).toThrow(
      /environment "dev":\n {2}- lambda\.timeoutSeconds: must be at least 10[^\n]*\nenvironment "prod":\n {2}- logRetentionDays: .*\n {2}- delivery\.priceClass: Invalid option/,
    );
  });

  it('keeps prod safe: no force_destroy and a year of logs', () => {
    const [prod] = loadEnvironments({ PIPELINE_ENVIRONMENTS: 'prod' });

    expect(prod!.forceDestroy).toBe(false);
    expect(prod!.logRetentionDays).toBe(365);
    expect(Object.keys(ENVIRONMENTS)).toContain('prod');
  });
});

describe('the app command (npm run synth)', () => {
  it('prints a config error once, without a stack trace, and exits 1', () => {
    // Act
    const result = spawnSync(process.execPath, ['scripts/run-app.mjs'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PIPELINE_ENVIRONMENTS: 'dev', TF_STATE_REGION: 'moon-1' },
      encoding: 'utf8',
    });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.match(/Invalid pipeline config/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/environment "dev":\n {2}- backend\.region: must be an AWS region/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
