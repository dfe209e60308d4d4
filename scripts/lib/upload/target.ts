/**
 * Where an upload goes: the environment's source bucket, jobs table, distribution and clients.
 * `local` reads the document `npm run local:up` wrote (its endpoints); any other environment uses
 * the default AWS credential chain and the deployed stack's outputs (`terraform output` in its synth dir).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../stacks/lib/project-paths';
import { pipelineId } from '../../../stacks/config';
import { ENVIRONMENTS, loadEmbeddedEnvironments } from '../../../stacks/environments';
import { LOCAL_DOCUMENT, LocalDocument } from '../local-paths';
import { resolveCliConfig, terraformOrThrow } from '../terraform';
import { UploadUsageError } from './args';

export interface UploadTarget {
  readonly env: string;
  readonly region: string;
  /** The emulator's endpoint (local only); AWS otherwise. */
  readonly endpoint?: string;
  readonly mediaconvertEndpoint?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  readonly sourceBucket: string;
  readonly jobsTable: string;
  /** `https://d1.cloudfront.net` or the local stand-in's origin. */
  readonly distributionOrigin: string;
}

/** The stack outputs of a deployed environment, read with `terraform output` from its synth directory. */
async function deployedOutputs(stack: string): Promise<Record<string, string>> {
  const stackDir = path.join(PROJECT_ROOT, 'cdktf.out', 'stacks', stack);
  if (!existsSync(path.join(stackDir, '.terraform'))) {
    throw new UploadUsageError(
      `the stack ${stack} has no initialised synth directory (${stackDir}); deploy it first with \`npm run deploy -- ${stack}\`.`,
    );
  }
  const { stdout } = await terraformOrThrow(
    ['output', '-json', '-no-color'],
    stackDir,
    resolveCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform')),
  );
  const raw = JSON.parse(stdout) as Record<string, { value: string }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
}

export async function resolveUploadTarget(env: string): Promise<UploadTarget> {
  if (!Object.keys(ENVIRONMENTS).includes(env)) {
    throw new UploadUsageError(`unknown environment "${env}"; known: ${Object.keys(ENVIRONMENTS).join(', ')}`);
  }
  if (env === 'local') {
    if (!existsSync(LOCAL_DOCUMENT))
      throw new UploadUsageError(
        'the local pipeline is not up: start it with `npm run local:up` (it keeps running) and upload from another terminal.',
      );
    const document = JSON.parse(readFileSync(LOCAL_DOCUMENT, 'utf8')) as LocalDocument;
    return {
      env,
      region: document.region,
      endpoint: document.emulator,
      mediaconvertEndpoint: document.mediaconvert,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      sourceBucket: document.outputs.source_bucket!,
      jobsTable: document.outputs.jobs_table!,
      distributionOrigin: document.distribution,
    };
  }
  const config = loadEmbeddedEnvironments({ PIPELINE_ENVIRONMENTS: env })[0]!;
  const outputs = await deployedOutputs(pipelineId(config));
  return {
    env,
    region: config.region,
    sourceBucket: outputs.source_bucket!,
    jobsTable: outputs.jobs_table!,
    distributionOrigin: `https://${outputs.distribution_domain!}`,
  };
}
