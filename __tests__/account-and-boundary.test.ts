import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parsePipelineConfig } from '../stacks/config';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { PIPELINE_TAG_KEY } from '../stacks/lib/terraform-settings';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

type Block = Record<string, unknown>;
const BOUNDARY = 'arn:aws:iam::111122223333:policy/vod-pipeline-boundary-test';

describe('account and permissions boundary config', () => {
  it('puts the permissions boundary on every role the stack creates, content analysis included', () => {
    // Act
    const { template } = synthPipeline({
      ...TEST_ENVIRONMENT,
      contentAnalysis: { enabled: true },
      iam: { permissionsBoundaryArn: BOUNDARY },
    });

    // Assess
    const roles = Object.values(template.resources('aws_iam_role'));
    expect(roles.length).toBeGreaterThanOrEqual(6);
    expect(roles.map((r) => r.permissions_boundary)).toEqual(roles.map(() => BOUNDARY));
  });

  it('sets no boundary when none is configured', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    expect(Object.values(template.resources('aws_iam_role')).filter((r) => 'permissions_boundary' in r)).toEqual([]);
  });

  it("renders accountId as the provider's allowed_account_ids, and tags every resource with the pipeline id", () => {
    // Act
    const { template } = synthPipeline({ ...TEST_ENVIRONMENT, accountId: '111122223333' });

    // Assess
    const provider = ((template.json.provider as Block).aws as Block[])[0]!;
    expect(provider.allowed_account_ids).toEqual(['111122223333']);
    expect(provider.default_tags).toEqual([{ tags: expect.objectContaining({ [PIPELINE_TAG_KEY]: 'vod-test' }) }]);
  });

  it('leaves allowed_account_ids out when no accountId is set (synth needs no account)', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    expect(((template.json.provider as Block).aws as Block[])[0]).not.toHaveProperty('allowed_account_ids');
  });

  it.each([
    [{ accountId: '1234' }, /accountId: must be a 12-digit AWS account id/],
    [{ accountId: 123456789012 }, /accountId/],
    [{ iam: { permissionsBoundaryArn: 'vod-boundary' } }, /iam\.permissionsBoundaryArn: must be an IAM policy ARN/],
    [{ iam: { permissionsBoundaryArn: 'arn:aws:iam::111122223333:role/x' } }, /iam\.permissionsBoundaryArn: must be an IAM policy ARN/],
    [{ iam: { boundary: BOUNDARY } }, /iam/],
    [
      { accountId: '444455556666', iam: { permissionsBoundaryArn: BOUNDARY } },
      /iam\.permissionsBoundaryArn: is in account 111122223333, not in this environment's accountId 444455556666/,
    ],
  ])('rejects %j with a clear error', (change, message) => {
    expect(() => parsePipelineConfig({ ...TEST_ENVIRONMENT, ...change }, 'test')).toThrow(ConfigError);
    expect(() => parsePipelineConfig({ ...TEST_ENVIRONMENT, ...change }, 'test')).toThrow(message);
  });

  it('examples/ci-roles scopes by the same tag key the stack writes', () => {
    const roles = readFileSync(path.join(PROJECT_ROOT, 'examples', 'ci-roles', 'main.tf'), 'utf8');

    expect(roles).toContain(`pipeline_tag_key = "${PIPELINE_TAG_KEY}"`);
  });
});
