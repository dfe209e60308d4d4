import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { applyTransition } from '../../lambda-src/io/jobs-table';
import { toEnvironment } from '../../contracts/functions/job-sweep';
import { claimPublish, markNotified } from '../../lambda-src/jobs/publish-claim';
import { recordJobState } from '../../lambda-src/jobs/job-state-record';
import { claimUpload, recordSubmitted } from '../../lambda-src/jobs/submission-claim';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { jobStateChange } from '../fixtures/mediaconvert-events';
import { parseJobStateEvent } from '../../lambda-src/jobs/job-event';
import { createJobsTable } from '../support/aws/jobs-table';
import { describeWithTools } from '../support/tiers';

const TABLE = 'vod-sweep-jobs';
const MINUTE = 60_000;
const originalEnv = process.env;

// The sweep against moto's DynamoDB: records written by the real transitions, read through the real index.
describeWithTools('job-sweep handler', ['moto'], () => {
  let moto: MotoServer;
  let client: DynamoDBClient;
  let handler: typeof import('../../lambda-src/functions/job-sweep').handler;
  let logLines: Record<string, unknown>[];
  const signal = () => AbortSignal.timeout(10_000);
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE);

  /** A claim taken `minutes` ago, through the real transition. */
  async function claimed(assetId: string, minutes: number): Promise<void> {
    const holder = { table: TABLE, assetId, claimId: `req/${assetId}`, now: minutesAgo(minutes) };
    await applyTransition(
      client,
      claimUpload({ ...holder, source: `s3://src/${assetId}.mp4`, pipeline: 'vod-sweep', clientRequestToken: 't' }),
      signal(),
    );
  }

  beforeAll(async () => {
    moto = await startMoto();
    client = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await createJobsTable(client, TABLE);
    process.env = {
      ...originalEnv,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_ENDPOINT_URL_DYNAMODB: moto.url,
      ...toEnvironment({
        pipeline: 'vod-sweep',
        jobsTable: TABLE,
        stuckSubmissionSeconds: 600,
        overdueJobMinutes: 240,
        unnotifiedOutcomeSeconds: 600,
      }),
    };
    ({ handler } = await import('../../lambda-src/functions/job-sweep'));
  });

  afterAll(async () => {
    client.destroy();
    await moto.stop();
    process.env = originalEnv;
  });

  beforeEach(() => {
    logLines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      logLines.push(JSON.parse(String(line)) as Record<string, unknown>);
      return true;
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('counts the stuck claim and the overdue job, and emits the counts as embedded metrics', async () => {
    // Prepare
    await claimed('fresh-claim', 2);
    await claimed('stuck-claim', 20);
    await claimed('overdue-job', 300);
    await applyTransition(
      client,
      recordSubmitted({ table: TABLE, assetId: 'overdue-job', claimId: 'req/overdue-job', now: minutesAgo(299), jobId: 'job-1' }),
      signal(),
    );
    await claimed('notified-job', 300);
    const complete = parseJobStateEvent(jobStateChange('COMPLETE', {}, { assetId: 'notified-job', jobId: 'job-2' }), 'vod-test');
    if (complete.action !== 'record') throw new Error('fixture is not a recordable event');
    await applyTransition(client, recordJobState({ table: TABLE, now: minutesAgo(100), change: complete.event }), signal());
    const publisher = { table: TABLE, assetId: 'notified-job', now: minutesAgo(100), publishClaimId: 'p/1' };
    await applyTransition(client, claimPublish({ ...publisher, jobId: 'job-2', status: 'COMPLETE' }), signal());
    await applyTransition(client, markNotified(publisher), signal());

    // Act
    const result = await handler({ 'detail-type': 'Scheduled Event' }, { awsRequestId: 'sweep-1' });

    // Assess
    expect(result).toEqual({ examined: 2, stuckSubmissions: 1, overdueJobs: 1, unnotifiedOutcomes: 0 });
    const metrics = logLines.find((line) => '_aws' in line);
    expect(metrics).toEqual(
      expect.objectContaining({
        Pipeline: 'vod-sweep',
        StuckSubmissions: 1,
        OverdueJobs: 1,
        UnnotifiedOutcomes: 0,
        _aws: expect.any(Object),
      }),
    );
    expect(logLines.filter((line) => line.level === 'WARN').map((line) => [line.assetId, line.metric])).toEqual([
      ['overdue-job', 'overdueJobs'],
      ['stuck-claim', 'stuckSubmissions'],
    ]);
  });
});
