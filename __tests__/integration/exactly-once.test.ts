/**
 * The pipeline's promise under faults: one job per upload, one notification per outcome.
 * The bundled handlers run as Lambda runs them asynchronously (their own execution
 * environments, killed at the timeout, retried after one and two minutes, then dead-lettered)
 * against moto and the MediaConvert stand-in, with faults injected at the network by the proxy.
 * Every test asserts the end state: jobs per upload, records, dead letters, messages published.
 */
import type { JobRecord } from '../../lambda-src/jobs/job-record';
import { deriveAssetId } from '../../lambda-src/jobs/keys';
import { bundleLambda } from '../../stacks/lib/lambda-bundle';
import {
  ASSET_ID,
  DISTRIBUTION_DOMAIN,
  JOB_ID,
  OUTPUT_BUCKET,
  REGION,
  completeEvent,
  hlsGroup,
  jobStateChange,
} from '../fixtures/mediaconvert-events';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Event, s3Record } from '../fixtures/s3-events';
import { writeRecord } from '../support/aws/jobs-table';
import { AsyncLambda, AsyncLambdaOptions, harnessKillAfterMs } from '../support/faults/async-lambda';
import { createJob, publish, searchJobs, setsAttribute, until, writesStatus } from '../support/faults/matchers';
import type { CallMatcher, FaultAction, ProxiedCall } from '../support/faults/proxy';
import { functionRolePolicies } from '../support/iam/function-roles';
import { neverExercised, simulateCalls } from '../support/iam/recorded-simulation';
import { TEST_ENVIRONMENT } from '../support/pipeline';
import { FaultRig, RigTiming, startFaultRig } from '../support/faults/rig';
import { describeWithTools } from '../support/tiers';
import path from 'node:path';

/**
 * A 20 s function with 2 s SDK attempts: short enough that a hang costs seconds, long enough that a
 * busy 2-core machine never turns a normal call into a timeout (the outcome must not depend on load).
 */
const TIMING: RigTiming = { timeoutMs: 20_000, requestTimeoutMs: 2_000 };
const MINUTE = 60_000;
/** An outage that lasts through the first invocation and heals before Lambda's first retry. */
const FIRST_INVOCATION_MS = 30_000;

describeWithTools('exactly one job per upload and one notification per outcome, under faults', ['moto'], () => {
  let rig: FaultRig;
  const functions: AsyncLambda[] = [];
  let counter = 0;

  beforeAll(async () => {
    rig = await startFaultRig();
  });

  afterAll(async () => {
    await rig.close();
  });

  // Every call the handlers made in these tests, kept across the proxies' resets for the IAM simulation at the end.
  const handlerCalls: ProxiedCall[] = [];

  afterEach(async () => {
    await Promise.all(functions.splice(0).map((fn) => fn.close()));
    handlerCalls.push(...rig.awsProxy.requests, ...rig.mediaconvertProxy.requests);
    rig.awsProxy.reset();
    rig.mediaconvertProxy.reset();
    await rig.takePublished();
  });

  function submitFunction(options: Partial<AsyncLambdaOptions> & { timing?: RigTiming } = {}): AsyncLambda {
    const timing = options.timing ?? TIMING;
    const fn = new AsyncLambda({
      entry: path.join(bundleLambda('submit-job').directory, 'index.js'),
      env: rig.submitEnv(timing),
      clock: rig.clock,
      timeoutMs: timing.timeoutMs,
      retryAttempts: 2,
      ...options,
    });
    functions.push(fn);
    return fn;
  }

  function jobEventsFunction(options: Partial<AsyncLambdaOptions> = {}): AsyncLambda {
    const fn = new AsyncLambda({
      entry: path.join(bundleLambda('job-events').directory, 'index.js'),
      env: rig.jobEventsEnv(TIMING),
      clock: rig.clock,
      timeoutMs: TIMING.timeoutMs,
      retryAttempts: 2,
      ...options,
    });
    functions.push(fn);
    return fn;
  }

  /** A new upload: its S3 event and the asset id its job and record carry. */
  function newUpload() {
    counter += 1;
    const key = `uploads/clip-${counter}.mp4`;
    return {
      key,
      event: s3Event([s3Record({ key, versionId: 'v1' })]),
      assetId: deriveAssetId({ bucket: 'source-bucket', key, versionId: 'v1' }),
    };
  }

  async function endState(assetId: string) {
    const record = (await rig.records()).find((r) => r.assetId === assetId);
    return { jobs: rig.jobsOf(assetId).length, status: record?.status, jobId: record?.jobId, record };
  }

  const only = (fn: AsyncLambda) => fn.invocations.map((i) => ({ attempt: i.attempt, ok: i.ok }));

  describe('submission', () => {
    const CALLS: ReadonlyArray<[string, CallMatcher, 'aws' | 'mediaconvert']> = [
      ['the claim', writesStatus('SUBMITTING'), 'aws'],
      ['CreateJob', createJob(), 'mediaconvert'],
      ['the SUBMITTED write', writesStatus('SUBMITTED'), 'aws'],
    ];
    const KINDS: ReadonlyArray<FaultAction> = [{ kind: 'throttle' }, { kind: 'server-error' }];

    describe.each(CALLS)('on %s', (_call, match, proxy) => {
      const inject = (action: FaultAction, options: { times?: number; untilMs?: number } = {}) =>
        (proxy === 'aws' ? rig.awsProxy : rig.mediaconvertProxy).inject({
          match: options.untilMs === undefined ? match : until(match, rig.clock, options.untilMs),
          action,
          ...(options.times !== undefined ? { times: options.times } : {}),
        });

      it.each(KINDS)('absorbs a transient $kind within the invocation: one job, no retry', async (action) => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        inject(action, { times: 1 });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(only(fn)).toEqual([{ attempt: 0, ok: true }]);
        expect(fn.deadLetters).toEqual([]);
      });

      it.each(KINDS)('rides out a $kind outage of one invocation with Lambda’s retry: one job', async (action) => {
        // Prepare: every SDK attempt of the first invocation fails.
        const upload = newUpload();
        const fn = submitFunction();
        inject(action, { untilMs: rig.clock.now() + FIRST_INVOCATION_MS });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(fn.invocations.at(-1)).toEqual(expect.objectContaining({ ok: true }));
        expect(fn.deadLetters).toEqual([]);
      });

      it.each(KINDS)('dead-letters the event after a persistent $kind, with at most one job', async (action) => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        inject(action);

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        const state = await endState(upload.assetId);
        expect(state.jobs).toBeLessThanOrEqual(1);
        expect(only(fn)).toEqual([0, 1, 2].map((attempt) => ({ attempt, ok: false })));
        expect(fn.deadLetters).toEqual([expect.objectContaining({ event: upload.event, attempts: 3 })]);
        expect(fn.deadLetters[0]?.error.message).toMatch(new RegExp(upload.key.replace(/[.]/g, '\\.')));
      });
    });

    it('records a job created under a persistent SUBMITTED-write fault by its first state change', async () => {
      // Prepare
      const upload = newUpload();
      const submit = submitFunction();
      const events = jobEventsFunction();
      rig.awsProxy.inject({ match: writesStatus('SUBMITTED'), action: { kind: 'server-error' } });

      // Act
      submit.send(upload.event);
      await submit.drain();
      const [job] = rig.jobsOf(upload.assetId);
      events.send(jobStateChange('PROGRESSING', {}, { jobId: job!.id, assetId: upload.assetId }));
      await events.drain();

      // Assess: one job, found by id on each retry, and recorded by its event.
      expect(rig.jobsOf(upload.assetId)).toHaveLength(1);
      expect(rig.mediaconvertProxy.count('GetJob')).toBe(2);
      expect(submit.deadLetters).toHaveLength(1);
      expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'PROGRESSING', jobId: job!.id }));
    });

    it('never creates a job blind when the lookup fails: the event is dead-lettered, the upload has one job', async () => {
      // Prepare: CreateJob's answers are lost (the job exists), then every SearchJobs fails.
      const upload = newUpload();
      const fn = submitFunction();
      rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'lose-answer' } });
      rig.mediaconvertProxy.inject({ match: searchJobs, action: { kind: 'server-error' } });

      // Act
      fn.send(upload.event);
      await fn.drain();

      // Assess
      expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'RETRYABLE' }));
      expect(rig.mediaconvertProxy.count('SearchJobs')).toBeGreaterThanOrEqual(2);
      expect(fn.deadLetters).toHaveLength(1);
    });

    describe('an applied call whose answer is lost', () => {
      it('on the claim: the retry of the claim is our own, so the upload goes on to one job (it used to vanish)', async () => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        rig.awsProxy.inject({ match: writesStatus('SUBMITTING'), action: { kind: 'lose-answer' }, times: 1 });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(only(fn)).toEqual([{ attempt: 0, ok: true }]);
        expect(fn.invocations[0]?.result).toEqual({ submitted: 1, duplicate: 0, failed: 0, skipped: 0 });
      });

      it('on CreateJob, every attempt: the retry after the token window finds the job instead of creating a second', async () => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'lose-answer' } });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        const state = await endState(upload.assetId);
        expect(state).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED', jobId: rig.jobsOf(upload.assetId)[0]?.id }));
        expect(only(fn)).toEqual([
          { attempt: 0, ok: false },
          { attempt: 1, ok: true },
        ]);
        expect(fn.invocations[1]!.startedAt - fn.invocations[0]!.startedAt).toBeGreaterThanOrEqual(MINUTE);
        expect(rig.mediaconvertProxy.count('SearchJobs')).toBe(1);
      });

      it('on the SUBMITTED write: the repeated write finds its own work done', async () => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        rig.awsProxy.inject({ match: writesStatus('SUBMITTED'), action: { kind: 'lose-answer' }, times: 1 });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(only(fn)).toEqual([{ attempt: 0, ok: true }]);
      });

      it('on the SUBMITTED write, every attempt: the job stands recorded, and the retry ends as a duplicate', async () => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        rig.awsProxy.inject({ match: writesStatus('SUBMITTED'), action: { kind: 'lose-answer' } });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(fn.deadLetters).toEqual([]);
      });
    });

    describe('CreateJob hanging', () => {
      it('is cut by the SDK timeouts inside the function timeout; the retries at +1 and +2 minutes find the job, never a second', async () => {
        // Prepare: CreateJob hangs after creating the job; the lookup hangs too until the third attempt.
        const upload = newUpload();
        const fn = submitFunction();
        rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'hang', apply: true } });
        rig.mediaconvertProxy.inject({ match: until(searchJobs, rig.clock, rig.clock.now() + 2 * MINUTE), action: { kind: 'hang' } });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(fn.invocations.map((i) => ({ attempt: i.attempt, ok: i.ok, timedOut: i.timedOut }))).toEqual([
          { attempt: 0, ok: false, timedOut: false },
          { attempt: 1, ok: false, timedOut: false },
          { attempt: 2, ok: true, timedOut: false },
        ]);
        const [first, second, third] = fn.invocations.map((i) => i.startedAt);
        expect(second! - first!).toBeGreaterThanOrEqual(MINUTE);
        expect(third! - second!).toBeGreaterThanOrEqual(2 * MINUTE);
      });

      it('past a function timeout shorter than the handler believes: Lambda kills it, and the retry finds the job', async () => {
        // Prepare: the handler plans for 200 s (and a 60 s request timeout) but is killed at 15 s, mid-CreateJob (which hangs), before it can record anything.
        const upload = newUpload();
        const fn = submitFunction({ killAfterMs: 15_000, reportedTimeoutMs: 200_000, timing: { ...TIMING, requestTimeoutMs: 60_000 } });
        rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'hang', apply: true }, times: 1 });

        // Act
        fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(fn.invocations.map((i) => ({ attempt: i.attempt, timedOut: i.timedOut, ok: i.ok }))).toEqual([
          { attempt: 0, timedOut: true, ok: false },
          { attempt: 1, timedOut: false, ok: true },
        ]);
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        expect(rig.mediaconvertProxy.count('CreateJob')).toBe(1);
      });
    });

    describe('duplicate deliveries', () => {
      it('during the backoff: the duplicate takes the released claim over and finds the job; the retry is a duplicate', async () => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction();
        rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'lose-answer' } });

        // Act
        const first = fn.send(upload.event);
        const duplicate = fn.send(upload.event, { at: rig.clock.now() + 30_000 });
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        const results = fn.invocations.filter((i) => i.ok).map((i) => [i.requestId, i.result]);
        expect(results).toEqual([
          [duplicate, { submitted: 1, duplicate: 0, failed: 0, skipped: 0 }],
          [first, { submitted: 0, duplicate: 1, failed: 0, skipped: 0 }],
        ]);
        expect(fn.deadLetters).toEqual([]);
      });

      it('during the backoff of a claim that could not be released: the duplicate leaves it to the event’s own retry', async () => {
        // Prepare: a long claim TTL, so the claim is still fresh when the duplicate and the retry come.
        const upload = newUpload();
        const fn = submitFunction({ timing: { ...TIMING, claimTtlSeconds: 600 } });
        rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'lose-answer' } });
        rig.awsProxy.inject({ match: writesStatus('RETRYABLE'), action: { kind: 'server-error' } });

        // Act
        const first = fn.send(upload.event);
        const duplicate = fn.send(upload.event, { at: rig.clock.now() + 30_000 });
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(
          expect.objectContaining({ jobs: 1, status: 'SUBMITTED', record: expect.objectContaining({ claims: 2 }) }),
        );
        expect(fn.invocations.map((i) => [i.requestId, i.attempt, i.ok, i.result])).toEqual([
          [first, 0, false, undefined],
          [duplicate, 0, true, { submitted: 0, duplicate: 1, failed: 0, skipped: 0 }],
          [first, 1, true, { submitted: 1, duplicate: 0, failed: 0, skipped: 0 }],
        ]);
      });

      it('after the token window, when the first delivery is dead-lettered: the duplicate retakes the stale claim and finds the job', async () => {
        // Prepare: no retries; the job is created, its answer lost, and the claim cannot be released.
        const upload = newUpload();
        const fn = submitFunction({ retryAttempts: 0 });
        rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'lose-answer' } });
        rig.awsProxy.inject({ match: writesStatus('RETRYABLE'), action: { kind: 'server-error' } });

        // Act
        fn.send(upload.event);
        // Past the token window (1 min) and the claim TTL (the harness's kill bound).
        fn.send(upload.event, { at: rig.clock.now() + harnessKillAfterMs(TIMING.timeoutMs) + MINUTE });
        await fn.drain();

        // Assess
        expect(fn.deadLetters).toHaveLength(1);
        expect(await endState(upload.assetId)).toEqual(
          expect.objectContaining({ jobs: 1, status: 'SUBMITTED', record: expect.objectContaining({ claims: 2 }) }),
        );
      });

      it('at the same instant: one claim wins, the others are duplicates', async () => {
        // Prepare
        const upload = newUpload();
        const fn = submitFunction({ concurrency: 4 });

        // Act
        for (let i = 0; i < 4; i += 1) fn.send(upload.event);
        await fn.drain();

        // Assess
        expect(await endState(upload.assetId)).toEqual(expect.objectContaining({ jobs: 1, status: 'SUBMITTED' }));
        const results = fn.invocations.map((i) => i.result as { submitted: number; duplicate: number });
        expect(results.reduce((sum, r) => sum + r.submitted, 0)).toBe(1);
        expect(results.reduce((sum, r) => sum + r.duplicate, 0)).toBe(3);
      });
    });
  });

  describe('notification', () => {
    /** A job that is SUBMITTED, as the submit function leaves it. */
    async function submittedJob(): Promise<{ assetId: string; event: Record<string, unknown> }> {
      counter += 1;
      const assetId = `asset-${counter}`;
      const jobId = `${JOB_ID}-${counter}`;
      const record: JobRecord = { assetId, status: 'SUBMITTED', jobId, claimId: 'submit/n', openShard: 'open', openSince: rig.clock.now() };
      await writeRecord(rig.dynamodb, rig.table, record);
      return { assetId, event: completeEvent('clip', { assetId, jobId }) };
    }

    it('publishes concurrent duplicates of a terminal event exactly once', async () => {
      // Prepare
      const job = await submittedJob();
      const fn = jobEventsFunction({ concurrency: 5 });

      // Act
      for (let i = 0; i < 5; i += 1) fn.send(job.event);
      await fn.drain();

      // Assess
      expect(await rig.takePublished()).toHaveLength(1);
      expect((await endState(job.assetId)).record).toEqual(expect.objectContaining({ status: 'COMPLETE', notifiedAt: expect.any(String) }));
      const outcomes = fn.invocations.map((i) => (i.result as { outcome: string }).outcome);
      expect(outcomes.filter((outcome) => outcome === 'notified')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome !== 'notified').every((outcome) => ['duplicate', 'stale'].includes(outcome))).toBe(true);
    });

    it('publishes once when the winner of concurrent duplicates fails to publish: its retry does', async () => {
      // Prepare
      const job = await submittedJob();
      const fn = jobEventsFunction({ concurrency: 3 });
      rig.awsProxy.inject({ match: until(publish, rig.clock, rig.clock.now() + FIRST_INVOCATION_MS), action: { kind: 'server-error' } });

      // Act
      for (let i = 0; i < 3; i += 1) fn.send(job.event);
      await fn.drain();

      // Assess
      expect(await rig.takePublished()).toHaveLength(1);
      expect((await endState(job.assetId)).record?.notifiedAt).toEqual(expect.any(String));
      expect(fn.deadLetters).toEqual([]);
    });

    it.each<[string, CallMatcher, number]>([
      ['the state write', writesStatus('COMPLETE'), 1],
      ['the publish claim', setsAttribute('publishClaimId'), 1],
      ['the publish', publish, 1],
      // After a good publish the retry cannot know it happened: at least once, as documented.
      ['the notified mark', setsAttribute('notifiedAt'), 2],
    ])('retries an outage of %s until the state is published and marked', async (_call, match, messages) => {
      // Prepare: every SDK attempt of the first invocation fails.
      const job = await submittedJob();
      const fn = jobEventsFunction();
      rig.awsProxy.inject({ match: until(match, rig.clock, rig.clock.now() + FIRST_INVOCATION_MS), action: { kind: 'server-error' } });

      // Act
      fn.send(job.event);
      await fn.drain();

      // Assess
      const published = await rig.takePublished();
      expect(published).toHaveLength(messages);
      expect((await endState(job.assetId)).record?.notifiedAt).toEqual(expect.any(String));
      expect(fn.deadLetters).toEqual([]);
    });

    it('writes the storyboard after the record and before the publish, retrying an S3 outage: one object, one message listing it', async () => {
      // Prepare: a COMPLETE event of a job that asked for trick play; S3 fails every attempt of the first invocation.
      const s3 = new S3Client({
        region: REGION,
        endpoint: rig.moto.url,
        forcePathStyle: true,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await s3.send(new CreateBucketCommand({ Bucket: OUTPUT_BUCKET })).catch((error: Error) => {
        if (error.name !== 'BucketAlreadyOwnedByYou') throw error;
      });
      const job = await submittedJob();
      const hls = JSON.parse(JSON.stringify(hlsGroup('clip', ['720p'], 7_000)).replaceAll(`/${ASSET_ID}/`, `/${job.assetId}/`)) as unknown;
      const detail = (job.event as { detail: Record<string, unknown> }).detail;
      const event = jobStateChange(
        'COMPLETE',
        { outputGroupDetails: [hls] },
        {
          assetId: job.assetId,
          jobId: String(detail.jobId),
          metadata: { trickPlay: '2/5x5/240x136' },
        },
      );
      const fn = jobEventsFunction();
      rig.awsProxy.inject({
        match: until({ service: 's3' }, rig.clock, rig.clock.now() + FIRST_INVOCATION_MS),
        action: { kind: 'server-error' },
      });

      // Act
      fn.send(event);
      await fn.drain();

      // Assess
      expect(only(fn)).toEqual([
        { attempt: 0, ok: false },
        { attempt: 1, ok: true },
      ]);
      const storyboard = `https://${DISTRIBUTION_DOMAIN}/${job.assetId}/hls/storyboard.vtt`;
      const published = await rig.takePublished();
      expect(published.map((m) => m.outputs?.storyboard)).toEqual([storyboard]);
      expect((await endState(job.assetId)).record?.outputs?.storyboard).toBe(storyboard);
      const object = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: `${job.assetId}/hls/storyboard.vtt` }));
      const body = await object.Body!.transformToString();
      expect(body).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\nclip_trickplay\.0000000\.jpg#xywh=0,0,240,136\n/);
      expect(body).toContain('00:00:06.000 --> 00:00:07.000\nclip_trickplay.0000000.jpg#xywh=720,0,240,136');
      expect(object.ContentType).toMatch(/^text\/vtt/);
      s3.destroy();
    });

    it('dead-letters the event when SNS throttles persistently, leaving the state unnotified for the redrive', async () => {
      // Prepare
      const job = await submittedJob();
      const fn = jobEventsFunction();
      rig.awsProxy.inject({ match: publish, action: { kind: 'throttle' } });

      // Act
      fn.send(job.event);
      await fn.drain();

      // Assess
      expect(await rig.takePublished()).toEqual([]);
      expect(fn.deadLetters).toHaveLength(1);
      const { record } = await endState(job.assetId);
      expect(record).toEqual(expect.objectContaining({ status: 'COMPLETE', openShard: 'open' }));
      expect(record).not.toHaveProperty('notifiedAt');
      expect(record).not.toHaveProperty('publishClaimId');
    });

    it('publishes at least once when the publish answer is lost: the SDK’s retry publishes again', async () => {
      // Prepare
      const job = await submittedJob();
      const fn = jobEventsFunction();
      rig.awsProxy.inject({ match: publish, action: { kind: 'lose-answer' }, times: 1 });

      // Act
      fn.send(job.event);
      await fn.drain();

      // Assess: SNS has no idempotent publish; subscribers dedupe on (jobId, status).
      const published = await rig.takePublished();
      expect(published).toHaveLength(2);
      expect(published[0]).toEqual(published[1]);
      expect((await endState(job.assetId)).record?.notifiedAt).toEqual(expect.any(String));
    });
  });

  // Least privilege both ways: every call each handler made above is allowed by its role as the stack
  // synthesizes it (the IAM simulator decides), and the role's actions no call needed are printed.
  describe('the functions’ roles (after every test above)', () => {
    // The SDK writes app/<AWS_SDK_UA_APP_ID> into its user agent (Powertools appends its own suffix).
    const appOf = (call: ProxiedCall) =>
      ['submit-job', 'job-events'].find((name) => String(call.headers['user-agent'] ?? '').includes(`app/${name}`));
    // The rig's names are a synthesized vod-test stack's names, in the fixtures' region.
    const policies = functionRolePolicies({ ...TEST_ENVIRONMENT, region: REGION }, '123456789012', REGION);
    const scope = { account: '123456789012', region: REGION, resourceTags: {} };

    it.each(['submit-job', 'job-events'])(
      'the %s role allows every call its handler made',
      async (name) => {
        // Prepare
        // The rig's output bucket has the event fixtures' name; the synthesized stack's is <name>-<account>-<region>.
        const calls = handlerCalls
          .filter((call) => appOf(call) === name)
          .map((call) =>
            call.service === 's3'
              ? { ...call, path: call.path.replace(`/${OUTPUT_BUCKET}/`, `/${OUTPUT_BUCKET}-123456789012-${REGION}/`) }
              : call,
          );
        const policy = policies[name]!;

        // Act
        const result = await simulateCalls(
          calls,
          { arn: `arn:aws:iam::123456789012:role/vod-test-${name}`, account: '123456789012', policies: [policy] },
          scope,
        );

        // Assess
        expect(calls.length).toBeGreaterThan(0);
        expect(result.denied).toEqual([]);
        process.stdout.write(
          `${name}: ${calls.length} calls, actions ${[...result.exercised].sort().join(', ')}; allowed but never exercised: ${neverExercised(policy, result.exercised).join(', ') || 'none'}\n`,
        );
      },
      60_000,
    );

    it('every call came from one of the two functions', () => {
      expect(handlerCalls.filter((call) => appOf(call) === undefined).map((c) => `${c.service} ${c.operation}`)).toEqual([]);
    });
  });
});
