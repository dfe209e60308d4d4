import { DEFAULT_UPLOAD_LIMITS, UploadLimits } from '../../contracts/upload-limits';
import { deriveAssetId } from '../../lambda-src/jobs/keys';
import { s3Event, s3Record } from '../fixtures/s3-events';
import { FaultRig, RIG_PIPELINE, startFaultRig } from '../support/faults/rig';
import { describeWithTools } from '../support/tiers';

type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<Record<string, number>>;

const TIMING = { timeoutMs: 30_000, requestTimeoutMs: 1_000 };
const savedEnv = { ...process.env };

// The submit function against moto (table, topic) and the MediaConvert stand-in, whose Probe answers
// with a real 2-second camcorder file: each limit below is set just under what that upload needs.
describeWithTools('upload limits', ['moto'], () => {
  let rig: FaultRig;

  /** A cold start of the submit function with these limits. */
  async function submitWith(limits: UploadLimits): Promise<Handler> {
    Object.assign(process.env, rig.submitEnv(TIMING, limits));
    let handler: Handler | undefined;
    await jest.isolateModulesAsync(async () => {
      handler = (await import('../../lambda-src/functions/submit-job')).handler as Handler;
    });
    return handler!;
  }
  const assetOf = (key: string) =>
    deriveAssetId({ bucket: 'source-bucket', key, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' });
  const recordOf = async (key: string) => (await rig.records()).find((record) => record.assetId === assetOf(key));

  beforeAll(async () => {
    rig = await startFaultRig();
  });

  beforeEach(async () => {
    rig.mediaconvertProxy.reset();
    await rig.takePublished();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await rig.close();
    process.env = savedEnv;
  });

  it.each<[string, Partial<UploadLimits>, { size?: number }, string, RegExp]>([
    [
      'larger than maxSourceBytes',
      { maxSourceBytes: 4_096 },
      { size: 4_097 },
      'SOURCE_TOO_LARGE',
      /is 4097 bytes .*maxSourceBytes is 4096/,
    ],
    [
      'longer than maxSourceMinutes',
      { maxSourceMinutes: 0.03 },
      {},
      'SOURCE_TOO_LONG',
      /is 0\.03 minutes long; limits\.maxSourceMinutes is 0\.03/,
    ],
    [
      'estimated above maxEstimatedCostUsd',
      { maxEstimatedCostUsd: 0.001 },
      {},
      'COST_OVER_LIMIT',
      /estimated at [\d.]+ USD; limits\.maxEstimatedCostUsd is 0\.001/,
    ],
  ])('records an upload %s as FAILED with its reason, announces it, and creates no job', async (_case, limits, upload, reason, message) => {
    // Prepare
    const handler = await submitWith({ ...DEFAULT_UPLOAD_LIMITS, ...limits });
    const key = `limits-${reason}.mp4`;

    // Act
    const result = await handler(s3Event([s3Record({ key, ...upload })]), { awsRequestId: `limits-${reason}` });

    // Assess
    expect(result).toEqual({ submitted: 0, duplicate: 0, failed: 1, skipped: 0 });
    expect(rig.jobsOf(assetOf(key))).toEqual([]);
    const record = await recordOf(key);
    expect(record).toEqual(expect.objectContaining({ status: 'FAILED', error: { name: reason, message: expect.stringMatching(message) } }));
    expect(record).not.toHaveProperty('jobId');
    expect(await rig.takePublished()).toEqual([
      expect.objectContaining({
        pipeline: RIG_PIPELINE,
        status: 'FAILED',
        jobId: null,
        assetId: assetOf(key),
        source: `s3://source-bucket/${key}`,
        error: { code: reason, message: expect.stringMatching(message) },
      }),
    ]);
  });

  it('refuses an upload over the size limit before any Probe', async () => {
    // Prepare
    const handler = await submitWith({ ...DEFAULT_UPLOAD_LIMITS, maxSourceBytes: 100 });

    // Act
    await handler(s3Event([s3Record({ key: 'limits-no-probe.mp4', size: 101 })]));

    // Assess
    expect(rig.mediaconvertProxy.calls).toEqual([]);
  });

  it('submits an upload exactly at every limit it is checked against', async () => {
    // Prepare: the size at its limit, the 2-second source under a one-minute length limit
    const handler = await submitWith({ ...DEFAULT_UPLOAD_LIMITS, maxSourceBytes: 4_096, maxSourceMinutes: 1 });
    const key = 'limits-within.mp4';

    // Act
    const result = await handler(s3Event([s3Record({ key, size: 4_096 })]));

    // Assess
    expect(result).toEqual({ submitted: 1, duplicate: 0, failed: 0, skipped: 0 });
    expect(rig.jobsOf(assetOf(key))).toHaveLength(1);
    expect(await recordOf(key)).toEqual(expect.objectContaining({ status: 'SUBMITTED' }));
    expect(await rig.takePublished()).toEqual([]);
  });
});
