import { ConditionalCheckFailedException, DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { JobStateChange } from '../../lambda-src/jobs/job-event';
import {
  JobRecord,
  OPEN_RECORDS_INDEX,
  claimPublish,
  claimUpload,
  decideRefusedClaim,
  decideRefusedHolderWrite,
  decideRefusedJobState,
  decideRefusedPublishClaim,
  markNotified,
  newClaimId,
  recordFailed,
  recordJobState,
  recordSubmitted,
  refusedRecord,
  releasePublish,
  releaseRetryable,
  retakeClaim,
  retakePublish,
  statusesBefore,
} from '../../lambda-src/jobs/job-record';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { createJobsTable, readRecord, writeRecord } from '../support/aws/jobs-table';
import { describeWithTools } from '../support/tiers';

const TABLE = 'vod-test-jobs';
const NOW = new Date('2026-11-25T10:00:00.000Z');
const T = NOW.getTime();
const TTL_MS = 60_000;
const ME = newClaimId('req-1', 'me');
const SAME_EVENT = newClaimId('req-1', 'earlier');
const OTHER = newClaimId('req-2', 'other');
const THIRD = newClaimId('req-3', 'third');
const SOURCE = 's3://vod-test-source/uploads/clip.mp4';
const OUTPUTS = { hls: { master: 'https://d1.cloudfront.net/a/hls/clip.m3u8', variants: [] }, mp4: [] };

const change = (status: JobStateChange['status'], overrides: Partial<JobStateChange> = {}): JobStateChange => ({
  jobId: 'job-1',
  status,
  timestamp: T - 5_000,
  queue: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
  assetId: 'asset',
  source: SOURCE,
  pipeline: 'vod-test',
  outputGroupDetails: [],
  outputGroupDetailsMissing: false,
  warnings: [],
  ...overrides,
});

/** Records as the transitions leave them (assetId is filled in per case). */
const claimed = (claimId: string, claimedAt = T - 1_000): JobRecord => ({
  assetId: 'asset',
  status: 'SUBMITTING',
  source: SOURCE,
  pipeline: 'vod-test',
  clientRequestToken: 'token',
  claimId,
  claimedAt,
  claims: 1,
  openShard: 'open',
  openSince: claimedAt,
  updatedAt: new Date(claimedAt).toISOString(),
});
const retryable = (claimId = OTHER): JobRecord => ({
  ...claimed(claimId),
  status: 'RETRYABLE',
  error: { name: 'TimeoutError', message: 'timed out' },
});
const submitted = (claimId = ME): JobRecord => ({ ...claimed(claimId), status: 'SUBMITTED', jobId: 'job-1', submittedAt: 'earlier' });
const progressing = (): JobRecord => ({ ...submitted(), status: 'PROGRESSING' });
const completed = (extra: Partial<JobRecord> = {}): JobRecord => ({
  ...submitted(),
  status: 'COMPLETE',
  completedAt: 'earlier',
  outputs: OUTPUTS,
  ...extra,
});
const failure = { name: 'InternalServerErrorException', message: 'boom' };
const iso = NOW.toISOString();
const holder = { table: TABLE, assetId: 'asset', now: NOW, claimId: ME };
const publisher = { table: TABLE, assetId: 'asset', now: NOW, jobId: 'job-1', status: 'COMPLETE' as const, publishClaimId: ME };

type Case = [string, JobRecord | undefined, UpdateItemCommandInput, boolean, JobRecord | undefined];

// Each transition evaluated by the emulator's DynamoDB: the condition, the update and the refusal's ALL_OLD are real.
const TRANSITIONS: Case[] = [
  [
    'claimUpload claims an upload with no record',
    undefined,
    claimUpload({ ...holder, source: SOURCE, pipeline: 'vod-test', clientRequestToken: 'token' }),
    true,
    { ...claimed(ME, T) },
  ],
  [
    'claimUpload refuses an upload that has a record',
    claimed(OTHER),
    claimUpload({ ...holder, source: SOURCE, pipeline: 'vod-test', clientRequestToken: 'token' }),
    false,
    claimed(OTHER),
  ],
  [
    'retakeClaim takes a released claim over, keeping when it was first opened',
    retryable(),
    retakeClaim({ ...holder, observed: { status: 'RETRYABLE', claimId: OTHER } }),
    true,
    { ...retryable(), status: 'SUBMITTING', claimId: ME, claimedAt: T, claims: 2, updatedAt: iso },
  ],
  [
    'retakeClaim refuses when another invocation retook the claim first',
    claimed(THIRD),
    retakeClaim({ ...holder, observed: { status: 'RETRYABLE', claimId: OTHER } }),
    false,
    claimed(THIRD),
  ],
  [
    'recordSubmitted records the job of the claim holder',
    claimed(ME),
    recordSubmitted({ ...holder, jobId: 'job-1' }),
    true,
    { ...claimed(ME), status: 'SUBMITTED', jobId: 'job-1', submittedAt: iso, updatedAt: iso },
  ],
  [
    'recordSubmitted keeps what the attempt planned',
    claimed(ME),
    recordSubmitted({
      ...holder,
      jobId: 'job-1',
      plan: { plan: 'probe', estimatedCost: { usd: 0.12, tier: 'BASIC', pricesAsOf: '2026' } },
    }),
    true,
    {
      ...claimed(ME),
      status: 'SUBMITTED',
      jobId: 'job-1',
      plan: 'probe',
      estimatedCost: { usd: 0.12, tier: 'BASIC', pricesAsOf: '2026' },
      submittedAt: iso,
      updatedAt: iso,
    },
  ],
  [
    'recordSubmitted clears the error of an earlier attempt',
    { ...retryable(), status: 'SUBMITTING', claimId: ME },
    recordSubmitted({ ...holder, jobId: 'job-1' }),
    true,
    { ...claimed(ME), status: 'SUBMITTED', jobId: 'job-1', submittedAt: iso, updatedAt: iso },
  ],
  [
    'recordSubmitted refuses a writer whose claim was taken over',
    claimed(OTHER),
    recordSubmitted({ ...holder, jobId: 'job-1' }),
    false,
    claimed(OTHER),
  ],
  [
    'recordSubmitted refuses a record the job events already moved on',
    { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
    recordSubmitted({ ...holder, jobId: 'job-1' }),
    false,
    { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
  ],
  [
    'releaseRetryable releases the claim with the error',
    claimed(ME),
    releaseRetryable({ ...holder, error: failure }),
    true,
    { ...claimed(ME), status: 'RETRYABLE', error: failure, updatedAt: iso },
  ],
  [
    'releaseRetryable keeps the id of a job it created but could not record',
    claimed(ME),
    releaseRetryable({ ...holder, error: failure, jobId: 'job-1' }),
    true,
    { ...claimed(ME), status: 'RETRYABLE', error: failure, jobId: 'job-1', updatedAt: iso },
  ],
  [
    'recordFailed records the rejection and closes the record',
    claimed(ME),
    recordFailed({ ...holder, error: failure }),
    true,
    { ...claimed(ME), status: 'FAILED', error: failure, updatedAt: iso, openShard: undefined, openSince: undefined },
  ],
  [
    'recordJobState records the job on a claim whose holder never learnt its id',
    claimed(ME),
    recordJobState({ table: TABLE, now: NOW, change: change('PROGRESSING') }),
    true,
    { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1', updatedAt: iso },
  ],
  [
    'recordJobState creates the record when the event comes first, open since the event',
    undefined,
    recordJobState({ table: TABLE, now: NOW, change: change('PROGRESSING') }),
    true,
    {
      assetId: 'asset',
      status: 'PROGRESSING',
      jobId: 'job-1',
      pipeline: 'vod-test',
      source: SOURCE,
      openShard: 'open',
      openSince: T - 5_000,
      updatedAt: iso,
    },
  ],
  [
    'recordJobState records COMPLETE with its time, outputs and duration',
    submitted(),
    recordJobState({ table: TABLE, now: NOW, change: change('COMPLETE'), outputs: OUTPUTS, durationMs: 30_000 }),
    true,
    {
      ...submitted(),
      status: 'COMPLETE',
      completedAt: new Date(T - 5_000).toISOString(),
      outputs: OUTPUTS,
      durationMs: 30_000,
      updatedAt: iso,
    },
  ],
  [
    'recordJobState records ERROR with the code and message',
    submitted(),
    recordJobState({ table: TABLE, now: NOW, change: change('ERROR', { errorCode: 1040, errorMessage: 'Unsupported input' }) }),
    true,
    {
      ...submitted(),
      status: 'ERROR',
      completedAt: new Date(T - 5_000).toISOString(),
      error: { code: 1040, message: 'Unsupported input' },
      updatedAt: iso,
    },
  ],
  [
    'recordJobState stores the warnings of a terminal state',
    submitted(),
    recordJobState({ table: TABLE, now: NOW, change: change('CANCELED', { warnings: [{ code: 240000, count: 1 }] }) }),
    true,
    {
      ...submitted(),
      status: 'CANCELED',
      completedAt: new Date(T - 5_000).toISOString(),
      warnings: [{ code: 240000, count: 1 }],
      updatedAt: iso,
    },
  ],
  [
    'recordJobState leaves the warnings of a progress state out',
    submitted(),
    recordJobState({ table: TABLE, now: NOW, change: change('PROGRESSING', { warnings: [{ code: 240000, count: 1 }] }) }),
    true,
    { ...submitted(), status: 'PROGRESSING', updatedAt: iso },
  ],
  [
    'recordJobState reopens a FAILED record when its job exists after all',
    { ...claimed(ME), status: 'FAILED', error: failure, openShard: undefined, openSince: undefined },
    recordJobState({ table: TABLE, now: NOW, change: change('PROGRESSING') }),
    true,
    { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1', error: failure, openSince: T - 5_000, updatedAt: iso },
  ],
  [
    'recordJobState refuses a late PROGRESSING after COMPLETE',
    completed(),
    recordJobState({ table: TABLE, now: NOW, change: change('PROGRESSING') }),
    false,
    completed(),
  ],
  [
    'recordJobState refuses a repeated terminal state',
    completed(),
    recordJobState({ table: TABLE, now: NOW, change: change('COMPLETE') }),
    false,
    completed(),
  ],
  [
    'recordJobState refuses the events of a second job of the same upload',
    progressing(),
    recordJobState({ table: TABLE, now: NOW, change: change('COMPLETE', { jobId: 'job-2' }) }),
    false,
    progressing(),
  ],
  [
    'claimPublish claims an unnotified terminal state',
    completed(),
    claimPublish(publisher),
    true,
    completed({ publishClaimId: ME, publishClaimedAt: T }),
  ],
  [
    'claimPublish refuses while another invocation holds the publish',
    completed({ publishClaimId: OTHER, publishClaimedAt: T - 1_000 }),
    claimPublish(publisher),
    false,
    completed({ publishClaimId: OTHER, publishClaimedAt: T - 1_000 }),
  ],
  [
    'claimPublish refuses a notified state',
    completed({ notifiedAt: 'earlier' }),
    claimPublish(publisher),
    false,
    completed({ notifiedAt: 'earlier' }),
  ],
  ['claimPublish refuses a state that is not the one to publish', progressing(), claimPublish(publisher), false, progressing()],
  [
    'retakePublish takes over the exact publish claim it saw',
    completed({ publishClaimId: OTHER, publishClaimedAt: T - 120_000 }),
    retakePublish({ ...publisher, observedPublishClaimId: OTHER }),
    true,
    completed({ publishClaimId: ME, publishClaimedAt: T }),
  ],
  [
    'markNotified marks the publish claim holder notified and closes the record',
    completed({ publishClaimId: ME, publishClaimedAt: T - 1_000 }),
    markNotified({ table: TABLE, assetId: 'asset', now: NOW, publishClaimId: ME }),
    true,
    completed({
      publishClaimId: ME,
      publishClaimedAt: T - 1_000,
      notifiedAt: iso,
      updatedAt: iso,
      openShard: undefined,
      openSince: undefined,
    }),
  ],
  [
    'markNotified refuses a writer that does not hold the publish claim',
    completed({ publishClaimId: OTHER, publishClaimedAt: T - 1_000 }),
    markNotified({ table: TABLE, assetId: 'asset', now: NOW, publishClaimId: ME }),
    false,
    completed({ publishClaimId: OTHER, publishClaimedAt: T - 1_000 }),
  ],
  [
    'releasePublish gives the publish claim up after a failed publish',
    completed({ publishClaimId: ME, publishClaimedAt: T - 1_000 }),
    releasePublish({ table: TABLE, assetId: 'asset', now: NOW, publishClaimId: ME }),
    true,
    completed({ updatedAt: iso }),
  ],
  [
    'releasePublish refuses once notified',
    completed({ publishClaimId: ME, publishClaimedAt: T - 1_000, notifiedAt: 'earlier' }),
    releasePublish({ table: TABLE, assetId: 'asset', now: NOW, publishClaimId: ME }),
    false,
    completed({ publishClaimId: ME, publishClaimedAt: T - 1_000, notifiedAt: 'earlier' }),
  ],
];

/** Drops undefined fields, as the stored record has them absent. */
const stored = (record: JobRecord | undefined): JobRecord | undefined =>
  record === undefined ? undefined : (JSON.parse(JSON.stringify(record)) as JobRecord);

describeWithTools('jobs-table transitions, evaluated by the emulator', ['moto'], () => {
  let moto: MotoServer;
  let client: DynamoDBClient;
  let counter = 0;

  beforeAll(async () => {
    moto = await startMoto();
    client = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await createJobsTable(client, TABLE);
  });

  afterAll(async () => {
    client.destroy();
    await moto.stop();
  });

  /** Runs a transition on a fresh asset holding `current`; the refusal's ALL_OLD item comes back too. */
  async function apply(current: JobRecord | undefined, input: UpdateItemCommandInput) {
    counter += 1;
    const assetId = `asset-${counter}`;
    if (current !== undefined) await writeRecord(client, TABLE, { ...current, assetId });
    try {
      await client.send(new UpdateItemCommand({ ...input, Key: { assetId: { S: assetId } } }));
      return { allowed: true, after: await readRecord(client, TABLE, assetId), assetId };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, after: await readRecord(client, TABLE, assetId), refused: refusedRecord(error.Item), assetId };
    }
  }

  it.each(TRANSITIONS)('%s', async (_name, current, input, allowed, expected) => {
    // Act
    const result = await apply(current, input);

    // Assess
    expect(result.allowed).toBe(allowed);
    expect(result.after).toEqual(stored(expected === undefined ? undefined : { ...expected, assetId: result.assetId }));
    if (!allowed && current !== undefined) expect(result.refused).toEqual(stored({ ...current, assetId: result.assetId }));
  });

  it('keeps only open records in the open-records index', async () => {
    // Prepare
    const open = await apply(claimed(ME), releaseRetryable({ ...holder, error: failure }));
    const closed = await apply(
      completed({ publishClaimId: ME }),
      markNotified({ table: TABLE, assetId: 'x', now: NOW, publishClaimId: ME }),
    );

    // Act
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: OPEN_RECORDS_INDEX.name,
        KeyConditionExpression: '#shard = :open',
        ExpressionAttributeNames: { '#shard': OPEN_RECORDS_INDEX.partitionKey },
        ExpressionAttributeValues: { ':open': { S: OPEN_RECORDS_INDEX.partition } },
      }),
    );

    // Assess
    const assetIds = Items.map((item) => unmarshall(item).assetId as string);
    expect(assetIds).toContain(open.assetId);
    expect(assetIds).not.toContain(closed.assetId);
  });
});

describe('job record decisions', () => {
  const me = { claimId: ME, now: NOW, claimTtlMs: TTL_MS };

  it.each<[string, JobRecord | undefined, ReturnType<typeof decideRefusedClaim>]>([
    ['no record: claim it', undefined, { action: 'claim' }],
    ['our own claim (the answer was lost): proceed', claimed(ME), { action: 'proceed' }],
    ['a released claim: retake', retryable(), { action: 'retake', reason: 'released', observed: { status: 'RETRYABLE', claimId: OTHER } }],
    [
      'a claim older than the TTL: retake',
      claimed(OTHER, T - TTL_MS - 1),
      { action: 'retake', reason: 'stale', observed: { status: 'SUBMITTING', claimId: OTHER } },
    ],
    [
      'a fresh claim of an earlier attempt of this event: retake',
      claimed(SAME_EVENT),
      { action: 'retake', reason: 'same-event', observed: { status: 'SUBMITTING', claimId: SAME_EVENT } },
    ],
    [
      'a released claim with the job it created: retake and find that job',
      { ...retryable(), jobId: 'job-1' },
      { action: 'retake', reason: 'released', observed: { status: 'RETRYABLE', claimId: OTHER }, jobId: 'job-1' },
    ],
    ['a fresh claim of another delivery: duplicate in flight', claimed(OTHER, T - TTL_MS), { action: 'duplicate', reason: 'in-flight' }],
    ['a FAILED record: duplicate', { ...claimed(OTHER), status: 'FAILED' }, { action: 'duplicate', reason: 'failed' }],
    ['a SUBMITTED record: duplicate', submitted(OTHER), { action: 'duplicate', reason: 'has-job' }],
    [
      'a record the job events moved on: duplicate',
      { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
      { action: 'duplicate', reason: 'has-job' },
    ],
  ])('decideRefusedClaim: %s', (_name, record, expected) => {
    expect(decideRefusedClaim(record, me)).toEqual(expected);
  });

  it.each<[string, JobRecord | undefined, Parameters<typeof decideRefusedHolderWrite>[2], ReturnType<typeof decideRefusedHolderWrite>]>([
    ['our SUBMITTED write was applied', { ...submitted(ME) }, { status: 'SUBMITTED', jobId: 'job-1' }, { action: 'applied' }],
    ['our RETRYABLE write was applied', { ...retryable(ME) }, { status: 'RETRYABLE' }, { action: 'applied' }],
    [
      'the job events recorded our job first',
      { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
      { status: 'SUBMITTED', jobId: 'job-1' },
      { action: 'job-recorded', jobId: 'job-1', sameJob: true },
    ],
    [
      'the job events recorded the job whose CreateJob answer we lost',
      { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
      { status: 'RETRYABLE' },
      { action: 'job-recorded', jobId: 'job-1', sameJob: true },
    ],
    [
      'the job events recorded another job than ours',
      { ...claimed(ME), status: 'COMPLETE', jobId: 'job-0' },
      { status: 'SUBMITTED', jobId: 'job-1' },
      { action: 'job-recorded', jobId: 'job-0', sameJob: false },
    ],
    [
      'our SUBMITTED write was applied before a release that lost its answers',
      { ...submitted(ME) },
      { status: 'RETRYABLE' },
      { action: 'job-recorded', jobId: 'job-1', sameJob: true },
    ],
    ['another invocation retook the claim', claimed(OTHER), { status: 'SUBMITTED', jobId: 'job-1' }, { action: 'superseded' }],
    ['the record vanished', undefined, { status: 'FAILED' }, { action: 'conflict' }],
  ])('decideRefusedHolderWrite: %s', (_name, record, intended, expected) => {
    expect(decideRefusedHolderWrite(record, { claimId: ME }, intended)).toEqual(expected);
  });

  it.each<[string, JobRecord | undefined, JobStateChange, ReturnType<typeof decideRefusedJobState>]>([
    ['a recorded but unnotified terminal state: publish', completed(), change('COMPLETE'), { action: 'publish' }],
    ['a notified terminal state: stale', completed({ notifiedAt: 'x' }), change('COMPLETE'), { action: 'stale' }],
    ['a late PROGRESSING: stale', completed(), change('PROGRESSING'), { action: 'stale' }],
    [
      'an event of a second job: foreign',
      progressing(),
      change('COMPLETE', { jobId: 'job-2' }),
      { action: 'foreign-job', recordedJobId: 'job-1' },
    ],
  ])('decideRefusedJobState: %s', (_name, record, event, expected) => {
    expect(decideRefusedJobState(record, event)).toEqual(expected);
  });

  const publishing = { publishClaimId: ME, jobId: 'job-1', status: 'COMPLETE' as const, now: NOW, claimTtlMs: TTL_MS };
  it.each<[string, JobRecord | undefined, ReturnType<typeof decideRefusedPublishClaim>]>([
    ['our own publish claim: proceed', completed({ publishClaimId: ME, publishClaimedAt: T }), { action: 'proceed' }],
    ['released meanwhile: claim again', completed(), { action: 'claim' }],
    ['already notified', completed({ notifiedAt: 'x', publishClaimId: OTHER }), { action: 'notified' }],
    [
      'a stale publish claim: retake',
      completed({ publishClaimId: OTHER, publishClaimedAt: T - TTL_MS - 1 }),
      { action: 'retake', reason: 'stale', observedPublishClaimId: OTHER },
    ],
    [
      'an earlier attempt of this event: retake',
      completed({ publishClaimId: SAME_EVENT, publishClaimedAt: T }),
      { action: 'retake', reason: 'same-event', observedPublishClaimId: SAME_EVENT },
    ],
    ['a concurrent duplicate is publishing: in flight', completed({ publishClaimId: OTHER, publishClaimedAt: T }), { action: 'in-flight' }],
    ['the record moved to another job', { ...completed(), jobId: 'job-2' }, { action: 'moved-on' }],
  ])('decideRefusedPublishClaim: %s', (_name, record, expected) => {
    expect(decideRefusedPublishClaim(record, publishing)).toEqual(expected);
  });

  it.each([
    ['PROGRESSING', ['SUBMITTING', 'RETRYABLE', 'SUBMITTED', 'FAILED']],
    ['COMPLETE', ['SUBMITTING', 'RETRYABLE', 'SUBMITTED', 'FAILED', 'PROGRESSING']],
  ] as const)('a %s event replaces only lower ranks', (status, expected) => {
    expect(statusesBefore(status)).toEqual(expected);
  });
});
