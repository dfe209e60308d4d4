import { InvalidJobEventError } from '../contracts/errors';
import { JobEventPlan, JobStateChange, normalizeErrorCode, parseJobStateEvent } from '../lambda-src/jobs/job-event';
import {
  ASSET_ID,
  JOB_ID,
  PIPELINE,
  SOURCE_URI,
  TIMESTAMP,
  completeEvent,
  errorEvent,
  inputInformationEvent,
  jobStateChange,
  statusUpdateEvent,
} from './fixtures/mediaconvert-events';

describe('normalizeErrorCode', () => {
  it.each([
    [1040, 1040],
    ['1040', 1040],
    [' 3450 ', 3450],
    ['E_ACCESS', 'E_ACCESS'],
    ['', undefined],
    [undefined, undefined],
    [null, undefined],
    [Number.NaN, undefined],
  ])('normalizes %p to %p', (input, expected) => {
    expect(normalizeErrorCode(input)).toBe(expected);
  });
});

/** The recorded change of a plan; fails the test with the skip reason otherwise. */
function recorded(plan: JobEventPlan): JobStateChange {
  if (plan.action !== 'record') throw new Error(`expected the event to be recorded, but it was skipped: ${plan.reason} (${plan.detail})`);
  return plan.event;
}

describe('parseJobStateEvent', () => {
  it('records a COMPLETE event with its metadata and output groups', () => {
    // Act
    const change = recorded(parseJobStateEvent(completeEvent(), PIPELINE));

    // Assess
    expect(change).toEqual(
      expect.objectContaining({
        jobId: JOB_ID,
        status: 'COMPLETE',
        timestamp: TIMESTAMP,
        queue: `arn:aws:mediaconvert:us-west-2:111122223333:queues/${PIPELINE}`,
        assetId: ASSET_ID,
        source: SOURCE_URI,
        pipeline: PIPELINE,
        outputGroupDetailsMissing: false,
      }),
    );
    expect(change.outputGroupDetails.map((g) => g.type)).toEqual(['HLS_GROUP', 'FILE_GROUP', 'FILE_GROUP']);
    expect(change.outputGroupDetails[0]?.playlistFilePaths).toEqual([`s3://vod-test-output/${ASSET_ID}/hls/my-trip.m3u8`]);
    expect(change.outputGroupDetails[0]?.outputDetails[0]).toEqual({
      outputFilePaths: [`s3://vod-test-output/${ASSET_ID}/hls/my-trip_1080p.m3u8`],
      durationInMs: 180_041,
      videoDetails: { widthInPx: 1280, heightInPx: 720 },
    });
    expect(change.warnings).toEqual([{ code: 230005, count: 1 }]);
  });

  it.each<[string, unknown, boolean]>([
    ['a summary', '{"width":1080,"height":1920,"durationMs":2000,"fps":30,"audio":true,"hdr":null,"interlaced":false,"rotation":90}', true],
    ['not JSON', '{width', false],
    [
      'a summary with a wrong rotation',
      '{"width":1,"height":1,"durationMs":1,"fps":1,"audio":true,"hdr":null,"interlaced":false,"rotation":45}',
      false,
    ],
    ['absent', undefined, false],
  ])('reads userMetadata.sourceProfile that is %s: kept %s', (_case, value, kept) => {
    // Prepare
    const event = jobStateChange('COMPLETE');
    ((event.detail as Record<string, unknown>).userMetadata as Record<string, unknown>).sourceProfile = value;

    // Act
    const plan = parseJobStateEvent(event, PIPELINE);

    // Assess
    expect(plan.action === 'record' && plan.event.sourceProfile !== undefined).toBe(kept);
  });

  it.each<[string, unknown, unknown[]]>([
    ['absent', undefined, []],
    ['a string code', [{ code: '240000', count: 2 }], [{ code: 240000, count: 2 }]],
    ['entries without a count', [{ code: 240000 }, { code: 230005, count: 1 }], [{ code: 230005, count: 1 }]],
    ['not an array', { code: 1 }, []],
  ])('reads warnings that are %s', (_case, warnings, expected) => {
    const plan = parseJobStateEvent(jobStateChange('COMPLETE', { warnings }), PIPELINE);

    expect(plan.action === 'record' && plan.event.warnings).toEqual(expected);
  });

  it.each(['PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED'])('records the %s status', (status) => {
    // Act
    const plan = parseJobStateEvent(jobStateChange(status), PIPELINE);

    // Assess
    expect(plan).toEqual({ action: 'record', event: expect.objectContaining({ status }) });
  });

  it('keeps output groups only for COMPLETE', () => {
    // Act
    const plan = parseJobStateEvent(jobStateChange('PROGRESSING', { outputGroupDetails: [] }), PIPELINE);

    // Assess
    expect(plan).toEqual({
      action: 'record',
      event: expect.objectContaining({ outputGroupDetails: [], outputGroupDetailsMissing: false }),
    });
  });

  it('flags a COMPLETE event without outputGroupDetails and keeps an empty list', () => {
    // Act
    const plan = parseJobStateEvent(jobStateChange('COMPLETE'), PIPELINE);

    // Assess
    expect(plan).toEqual({ action: 'record', event: expect.objectContaining({ outputGroupDetails: [], outputGroupDetailsMissing: true }) });
  });

  it.each([
    ['a number', 1040, 1040],
    ['a numeric string', '1040', 1040],
    ['a non-numeric string', 'E_INPUT', 'E_INPUT'],
  ])('normalizes an errorCode given as %s', (_case, errorCode, expected) => {
    // Act
    const plan = parseJobStateEvent(errorEvent(errorCode), PIPELINE);

    // Assess
    expect(plan).toEqual({ action: 'record', event: expect.objectContaining({ status: 'ERROR', errorCode: expected }) });
  });

  it('leaves errorMessage undefined when the event has none', () => {
    // Act
    const change = recorded(parseJobStateEvent(errorEvent(1010, null), PIPELINE));

    // Assess
    expect(change.errorCode).toBe(1010);
    expect(change.errorMessage).toBeUndefined();
  });

  it('falls back to the envelope time when detail.timestamp is absent', () => {
    // Act
    const plan = parseJobStateEvent(jobStateChange('PROGRESSING', { timestamp: undefined }), PIPELINE);

    // Assess
    expect(plan).toEqual({ action: 'record', event: expect.objectContaining({ timestamp: Math.floor(TIMESTAMP / 1000) * 1000 }) });
  });

  it.each([
    ['another pipeline', jobStateChange('COMPLETE', {}, { pipeline: 'vod-prod' }), 'other-pipeline', /"vod-prod"/],
    ['a job without pipeline metadata', jobStateChange('COMPLETE', { userMetadata: {} }), 'other-pipeline', /absent/],
    ['a STATUS_UPDATE', statusUpdateEvent(), 'unknown-status', /STATUS_UPDATE/],
    ['a NEW_WARNING', jobStateChange('NEW_WARNING'), 'unknown-status', /NEW_WARNING/],
    ['an INPUT_INFORMATION, which the rule does not forward', inputInformationEvent(), 'unknown-status', /INPUT_INFORMATION/],
    ['a job without assetId', jobStateChange('COMPLETE', { userMetadata: { pipeline: PIPELINE } }), 'missing-asset-id', /assetId/],
    ['an unusable time', { ...jobStateChange('ERROR', { timestamp: 'yesterday' }), time: 'never' }, 'missing-timestamp', /timestamp/],
  ])('skips %s with its reason and the job id', (_case, event, reason, detail) => {
    // Act
    const plan = parseJobStateEvent(event, PIPELINE);

    // Assess
    expect(plan).toEqual({ action: 'skip', reason, jobId: JOB_ID, detail: expect.stringMatching(detail) });
  });

  it('skips an event of another source as not-mediaconvert', () => {
    // Act
    const plan = parseJobStateEvent({ ...jobStateChange('COMPLETE'), source: 'aws.s3', 'detail-type': 'Object Created' }, PIPELINE);

    // Assess
    expect(plan).toEqual(expect.objectContaining({ action: 'skip', reason: 'not-mediaconvert', detail: expect.stringMatching(/aws\.s3/) }));
  });

  it.each([
    ['null', null, /null, not an object/],
    ['a string', 'COMPLETE', /a string, not an object/],
    ['a number', 42, /a number, not an object/],
    ['an array', [jobStateChange('COMPLETE')], /an array, not an object/],
  ])('throws InvalidJobEventError for %s, so it is dead-lettered', (_case, event, message) => {
    expect(() => parseJobStateEvent(event, PIPELINE)).toThrow(InvalidJobEventError);
    expect(() => parseJobStateEvent(event, PIPELINE)).toThrow(message);
  });

  it.each([
    ['no detail', { ...jobStateChange('COMPLETE'), detail: undefined }],
    ['no detail.jobId', jobStateChange('COMPLETE', { jobId: undefined })],
    ['an empty detail.jobId', jobStateChange('COMPLETE', { jobId: '' })],
  ])('throws InvalidJobEventError for a MediaConvert event with %s, so it is dead-lettered', (_case, event) => {
    expect(() => parseJobStateEvent(event, PIPELINE)).toThrow(/has no detail\.jobId/);
  });
});
