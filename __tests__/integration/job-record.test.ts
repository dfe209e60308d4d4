import { ConditionalCheckFailedException, DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import { JobRecord, refusedRecord } from '../../lambda-src/jobs/job-record';
import { claimUpload, recordFailed, recordSubmitted, releaseRetryable, retakeClaim } from '../../lambda-src/jobs/submission-claim';
import { recordJobState } from '../../lambda-src/jobs/job-state-record';
import { claimPublish, markNotified, releasePublish, retakePublish } from '../../lambda-src/jobs/publish-claim';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { createJobsTable, readRecord, writeRecord } from '../support/aws/jobs-table';
import { describeWithTools } from '../support/tiers';
import {
  TABLE,
  NOW,
  T,
  ME,
  OTHER,
  THIRD,
  SOURCE,
  OUTPUTS,
  change,
  claimed,
  retryable,
  submitted,
  progressing,
  completed,
  failure,
  iso,
  holder,
  publisher,
} from '../support/job-records';

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
