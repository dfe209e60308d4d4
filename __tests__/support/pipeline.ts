import { Testing } from 'cdktf';
import { PipelineConfigInput, parsePipelineConfig } from '../../stacks/config';
import { VideoPipelineStack } from '../../stacks/video-pipeline-stack';
import { Template } from '../../testing';

/**
 * The smallest valid environment of the tests: an S3 backend (`acme-tfstate`, key prefix `vod`),
 * `zip` packaging (no archive provider), every other field at its default. Pipeline id `vod-test`.
 */
export const TEST_ENVIRONMENT = {
  environment: 'test',
  backend: { type: 's3', bucket: 'acme-tfstate', region: 'us-east-1', keyPrefix: 'vod' },
  lambda: { packaging: 'zip' },
} as const satisfies PipelineConfigInput;

/** A synthesized pipeline stack: the stack (for references through its exposed fields) and its parsed JSON. */
export interface SynthesizedPipeline {
  readonly stack: VideoPipelineStack;
  readonly template: Template;
}

/** Synthesizes one whole pipeline stack (`vod-test`) from the config the test names. */
export function synthPipeline(config: PipelineConfigInput): SynthesizedPipeline {
  const stack = new VideoPipelineStack(Testing.app(), 'vod-test', { config: parsePipelineConfig(config, 'test') });
  return { stack, template: Template.parse(Testing.synth(stack)) };
}
