import { ConfigError } from '../stacks/config';
import { DEFAULT_STATE_BUCKET, ENVIRONMENTS, loadEnvironments } from '../stacks/environments';

describe('loadEnvironments', () => {
  it('loads dev, prod and local from the embedded config with no variables set', () => {
    // Act
    const environments = loadEnvironments({});

    // Assess
    expect(environments.map((e) => e.environment)).toEqual(['dev', 'prod', 'local']);
    expect(environments[0]!.backend).toEqual({ type: 's3', bucket: DEFAULT_STATE_BUCKET, region: 'us-east-1', keyPrefix: 'vod-pipeline' });
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

  it('fails on an unknown environment name, listing the known ones', () => {
    const load = () => loadEnvironments({ PIPELINE_ENVIRONMENTS: 'staging' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/unknown environment "staging"; known: dev, prod, local/);
  });

  it('keeps prod safe: no force_destroy and a year of logs', () => {
    const [prod] = loadEnvironments({ PIPELINE_ENVIRONMENTS: 'prod' });

    expect(prod!.forceDestroy).toBe(false);
    expect(prod!.logRetentionDays).toBe(365);
    expect(Object.keys(ENVIRONMENTS)).toContain('prod');
  });
});
