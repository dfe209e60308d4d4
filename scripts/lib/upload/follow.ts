/**
 * Follows one upload's record in the jobs table until the job ends, with MediaConvert's percent
 * complete while it runs; the result is what the CLI prints.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** The end of one upload, as `--json` prints it. */
export interface UploadOutcome {
  readonly assetId: string;
  readonly jobId: string | null;
  readonly status: string;
  readonly playback: { readonly hls: string | null; readonly mp4: string | null };
  readonly poster: string | null;
  readonly player: string | null;
  /** Why the job failed, when it did. */
  readonly reason?: string;
}

export const TERMINAL_RECORD_STATES = ['COMPLETE', 'ERROR', 'CANCELED', 'FAILED'];

interface RecordView {
  status?: string;
  jobId?: string;
  outputs?: { hls?: { master?: string }; mp4?: string[]; poster?: string };
  error?: { message?: string | null; code?: unknown; name?: string };
}

/** The outcome of a finished record (pure). */
export function outcomeOf(assetId: string, record: RecordView, player: string | null): UploadOutcome {
  const complete = record.status === 'COMPLETE';
  const reason = record.error
    ? [record.error.code, record.error.name, record.error.message].filter((p) => p !== undefined && p !== null).join(' ')
    : undefined;
  return {
    assetId,
    jobId: record.jobId ?? null,
    status: record.status ?? 'UNKNOWN',
    playback: { hls: record.outputs?.hls?.master ?? null, mp4: record.outputs?.mp4?.[0] ?? null },
    poster: record.outputs?.poster ?? null,
    player: complete ? player : null,
    ...(reason ? { reason } : {}),
  };
}

export async function followRecord(args: {
  dynamodb: DynamoDBClient;
  mediaconvert: MediaConvertClient;
  table: string;
  assetId: string;
  onState: (state: string) => void;
  timeoutMs: number;
  intervalMs?: number;
}): Promise<RecordView> {
  const deadline = Date.now() + args.timeoutMs;
  let last = '';
  for (;;) {
    const { Item } = await args.dynamodb.send(
      new GetItemCommand({ TableName: args.table, Key: { assetId: { S: args.assetId } }, ConsistentRead: true }),
    );
    const record = (Item ? unmarshall(Item) : {}) as RecordView;
    let state = record.status ?? 'WAITING FOR THE SUBMIT FUNCTION';
    if (record.jobId) state = `${record.jobId} ${state}`;
    if (record.jobId && record.status && !TERMINAL_RECORD_STATES.includes(record.status)) {
      const job = await args.mediaconvert.send(new GetJobCommand({ Id: record.jobId })).catch(() => undefined);
      // In steps of 10 %: one line per step, not per update.
      if (job?.Job?.JobPercentComplete !== undefined) state = `${state} ${Math.floor(job.Job.JobPercentComplete / 10) * 10}%`;
    }
    if (state !== last) args.onState(state);
    last = state;
    if (record.status && TERMINAL_RECORD_STATES.includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${Math.round(args.timeoutMs / 1000)} s; the last state was ${state}`);
    await new Promise((r) => setTimeout(r, args.intervalMs ?? 1000));
  }
}
