import { Testing } from 'cdktf';
import { PipelineConfigInput, parsePipelineConfig } from '../../stacks/config';
import { VideoPipelineStack } from '../../stacks/video-pipeline-stack';
import { Template } from '../../testing';

/** Synthesizes one whole pipeline stack from a minimal config plus overrides. */
export function synthPipeline(overrides: Partial<PipelineConfigInput> = {}): Template {
  const config = parsePipelineConfig(
    {
      environment: 'test',
      backend: { type: 's3', bucket: 'acme-tfstate', region: 'us-east-1', keyPrefix: 'vod' },
      lambda: { packaging: 'zip' },
      ...overrides,
    },
    'test',
  );
  const app = Testing.app();
  return Template.parse(Testing.synth(new VideoPipelineStack(app, 'vod-test', { config })));
}
