/**
 * The living local pipeline: S3 notifications (watched) run the deployed submit function,
 * MediaConvert events (posted by the stand-in to the local bus) run whatever the deployed rules
 * target, schedules fire, and each function runs from the zip terraform deployed with the
 * emulator's endpoints and credentials. Prints one live line per step of each upload.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { deriveAssetId } from '../../../lambda-src/jobs/keys';
import { DeployedFunction, InvocationResult, invokeAsync, loadDeployedFunctions } from './functions';
import { LocalEventBus, startSchedules } from './event-bus';
import { SeenUpload, watchUploads } from './s3-notifications';

export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** The player page for an asset, when the stack publishes one. */
export type PlayerUrlOf = (assetId: string) => string | undefined;

export interface LocalRuntime {
  /** Settles when no invocation is running or waiting for a retry. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A short line for the terminal: `key → job id → state → url`. */
function line(parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== '').join(' → ');
}

export async function startLocalRuntime(args: {
  stackDir: string;
  workDir: string;
  region: string;
  accountId: string;
  motoUrl: string;
  mediaconvertUrl: string;
  distributionUrl: string;
  outputs: Record<string, string>;
  bus: LocalEventBus;
  playerUrl: PlayerUrlOf;
  log: (line: string) => void;
}): Promise<LocalRuntime> {
  const config = { region: args.region, endpoint: args.motoUrl, credentials: EMULATOR_CREDENTIALS };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const lambda = new LambdaClient(config);
  const events = new EventBridgeClient(config);
  const dynamodb = new DynamoDBClient(config);
  const names = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? [])
    .map((f) => f.FunctionName ?? '')
    .filter((name) => name.startsWith(`${args.outputs.pipeline_id}-`));
  const functions = await loadDeployedFunctions({ stackDir: args.stackDir, workDir: args.workDir, lambda, names });
  const byArn = new Map<string, DeployedFunction>([...functions.values()].map((f) => [f.arn, f]));
  const runtimeEnv = {
    AWS_REGION: args.region,
    AWS_DEFAULT_REGION: args.region,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: args.motoUrl,
    AWS_ENDPOINT_URL_MEDIACONVERT: args.mediaconvertUrl,
    // URLs in records and notifications point at the local distribution stand-in.
    DISTRIBUTION_DOMAIN: args.distributionUrl,
  };

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
    return promise;
  };
  const keyOfSource = new Map<string, string>();
  const record = async (assetId: string): Promise<Record<string, unknown> | undefined> => {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: args.outputs.jobs_table, Key: { assetId: { S: assetId } } }));
    return Item ? unmarshall(Item) : undefined;
  };
  const report = (fn: DeployedFunction, result: InvocationResult, attempt: number): void => {
    if (result.ok) return;
    args.log(`${fn.name} failed (attempt ${attempt + 1} of ${fn.retryAttempts + 1}): ${result.error?.name}: ${result.error?.message}`);
    for (const log of result.logs.slice(-5)) args.log(`  ${log.slice(0, 400)}`);
  };
  const invoke = (arn: string, event: Record<string, unknown>): Promise<InvocationResult | undefined> => {
    const fn = byArn.get(arn) ?? [...functions.values()].find((f) => arn.endsWith(`:function:${f.name}`));
    if (!fn) {
      args.log(`no local function for ${arn}; skipped`);
      return Promise.resolve(undefined);
    }
    return track(invokeAsync(fn, event, runtimeEnv, { onResult: (result, attempt) => report(fn, result, attempt) }));
  };

  const onUpload = (arn: string, event: Record<string, unknown>, upload: SeenUpload): void => {
    const assetId = deriveAssetId({ bucket: upload.bucket, key: upload.key, ...(upload.versionId ? { versionId: upload.versionId } : {}) });
    keyOfSource.set(assetId, upload.key);
    args.log(line([upload.key, `uploaded (${(upload.size / 1e6).toFixed(1)} MB)`]));
    void invoke(arn, event).then(async (result) => {
      if (!result) return;
      const item = await record(assetId).catch(() => undefined);
      args.log(
        line([
          upload.key,
          item?.jobId as string | undefined,
          String(item?.status ?? (result.ok ? 'not recorded' : 'FAILED')),
          item?.error ? JSON.stringify(item.error) : undefined,
        ]),
      );
    });
  };

  args.bus.setDeliver((arn, event) => {
    const detail = (event.detail ?? {}) as Record<string, unknown>;
    const metadata = (detail.userMetadata ?? {}) as Record<string, string>;
    const assetId = metadata.assetId ?? '';
    const key = keyOfSource.get(assetId) ?? metadata.source ?? assetId;
    void invoke(arn, event).then(async () => {
      const status = String(detail.status);
      if (!['COMPLETE', 'ERROR', 'CANCELED'].includes(status)) return;
      const item = await record(assetId).catch(() => undefined);
      const outputs = (item?.outputs ?? {}) as { hls?: { master?: string } };
      const reason = item?.error ? (item.error as { message?: string }).message : undefined;
      args.log(
        line([
          key,
          String(detail.jobId),
          String(item?.status ?? status),
          outputs.hls?.master ?? reason,
          status === 'COMPLETE' ? args.playerUrl(assetId) : undefined,
        ]),
      );
    });
  });

  const stopWatching = watchUploads({
    s3,
    bucket: args.outputs.source_bucket!,
    region: args.region,
    deliver: onUpload,
    onError: (error) => args.log(`watching ${args.outputs.source_bucket ?? ''} failed: ${error.message}`),
  });
  const stopSchedules = await startSchedules({
    events,
    deliver: (arn, event) => void invoke(arn, event),
    onError: (error) => args.log(`schedule failed: ${error.message}`),
    region: args.region,
    accountId: args.accountId,
  });

  return {
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close: async () => {
      stopWatching();
      stopSchedules();
      await Promise.allSettled([...inFlight]);
      for (const client of [s3, lambda, events, dynamodb]) client.destroy();
    },
  };
}

/** Logs a status line for job events the rule does not forward (STATUS_UPDATE percent), keyed like the others. */
export function progressLine(event: Record<string, unknown>): string | undefined {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  const metadata = (detail.userMetadata ?? {}) as Record<string, string>;
  const progress = detail.jobProgress as { jobPercentComplete?: number } | undefined;
  if (detail.status === 'STATUS_UPDATE' && progress?.jobPercentComplete !== undefined)
    return progress.jobPercentComplete % 25 < 2
      ? line([metadata.source?.replace(/^s3:\/\/[^/]+\//, ''), String(detail.jobId), `PROGRESSING ${progress.jobPercentComplete}%`])
      : undefined;
  if (detail.status === 'PROGRESSING') return line([metadata.source?.replace(/^s3:\/\/[^/]+\//, ''), String(detail.jobId), 'PROGRESSING']);
  return undefined;
}
