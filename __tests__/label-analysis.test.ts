import type { LabelDetection } from '@aws-sdk/client-rekognition';
import {
  analysisClientRequestToken,
  isPermanentAnalysisError,
  labelsKey,
  parseAnalysisCompletion,
  planAnalysisStart,
  summarizeLabels,
} from '../lambda-src/analysis/label-analysis';
import { JobStateChange, parseJobStateEvent } from '../lambda-src/jobs/job-event';
import { ASSET_ID, JOB_ID, OUTPUT_BUCKET, PIPELINE, completeEvent, jobStateChange, outputPrefix } from './fixtures/mediaconvert-events';

const SETTINGS = {
  minConfidence: 70,
  notificationTopicArn: 'arn:aws:sns:us-west-2:111122223333:vod-test-rekognition',
  notificationRoleArn: 'arn:aws:iam::111122223333:role/vod-test-rekognition',
  outputBucket: OUTPUT_BUCKET,
};

function change(event: Record<string, unknown>): JobStateChange {
  const plan = parseJobStateEvent(event, PIPELINE);
  if (plan.action !== 'record') throw new Error(`fixture event was skipped: ${plan.reason}`);
  return plan.event;
}

/** A COMPLETE event whose FILE_GROUP lists `mp4Paths` instead of the fixture's MP4. */
function completeWith(mp4Paths: string[]): JobStateChange {
  const event = completeEvent('my-trip');
  const detail = event.detail as { outputGroupDetails: { type: string; outputDetails: { outputFilePaths: string[] }[] }[] };
  detail.outputGroupDetails[1] = { type: 'FILE_GROUP', outputDetails: mp4Paths.map((p) => ({ outputFilePaths: [p] })) };
  return change(event);
}

describe('planAnalysisStart', () => {
  it('starts label detection on the MP4 rendition, tagged with the job and idempotent per job', () => {
    // Act
    const plan = planAnalysisStart(change(completeEvent('my-trip')), SETTINGS);

    // Assess
    expect(plan).toEqual({
      action: 'start',
      assetId: ASSET_ID,
      jobId: JOB_ID,
      videoKey: `${ASSET_ID}/mp4/my-trip_1080p.mp4`,
      request: {
        Video: { S3Object: { Bucket: OUTPUT_BUCKET, Name: `${ASSET_ID}/mp4/my-trip_1080p.mp4` } },
        ClientRequestToken: analysisClientRequestToken(JOB_ID),
        JobTag: JOB_ID,
        MinConfidence: 70,
        NotificationChannel: { SNSTopicArn: SETTINGS.notificationTopicArn, RoleArn: SETTINGS.notificationRoleArn },
        Features: ['GENERAL_LABELS'],
      },
    });
  });

  it.each<[string, JobStateChange, string]>([
    ['an ERROR job', change(jobStateChange('ERROR', { errorCode: 1040 })), 'not-complete'],
    ['a COMPLETE job without an MP4 group', completeWith([]), 'no-mp4-output'],
    ['an MP4 in another bucket', completeWith([`s3://elsewhere/${ASSET_ID}/mp4/my-trip_1080p.mp4`]), 'no-mp4-output'],
    ['an MP4 outside the asset folder', completeWith([`s3://${OUTPUT_BUCKET}/other-asset/mp4/my-trip_1080p.mp4`]), 'no-mp4-output'],
    ['a file Rekognition cannot read', completeWith([`${outputPrefix()}/mp4/my-trip_1080p.webm`]), 'no-mp4-output'],
  ])('analyses nothing for %s', (_case, input, reason) => {
    expect(planAnalysisStart(input, SETTINGS)).toEqual(expect.objectContaining({ action: 'skip', reason }));
  });

  it('keeps the token within Rekognition limits (64 characters of [a-zA-Z0-9-_])', () => {
    expect(analysisClientRequestToken('1536964333549-opn151')).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(analysisClientRequestToken('a')).not.toBe(analysisClientRequestToken('b'));
  });
});

describe('parseAnalysisCompletion', () => {
  const message = (fields: Record<string, unknown> = {}) =>
    JSON.stringify({
      JobId: 'rek-1',
      Status: 'SUCCEEDED',
      API: 'StartLabelDetection',
      JobTag: JOB_ID,
      Timestamp: 1_536_964_999_000,
      Video: { S3ObjectName: `${ASSET_ID}/mp4/my-trip_1080p.mp4`, S3Bucket: OUTPUT_BUCKET },
      ...fields,
    });

  it('reads the Rekognition job, the MediaConvert job (JobTag) and the asset (the key folder)', () => {
    expect(parseAnalysisCompletion(message())).toEqual({
      rekognitionJobId: 'rek-1',
      status: 'SUCCEEDED',
      jobId: JOB_ID,
      assetId: ASSET_ID,
      bucket: OUTPUT_BUCKET,
      videoKey: `${ASSET_ID}/mp4/my-trip_1080p.mp4`,
    });
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['no JobTag', message({ JobTag: undefined }), /no JobTag/],
    ['no JobId', message({ JobId: '' }), /no JobId/],
    ['no video', message({ Video: undefined }), /no Video.S3ObjectName/],
    ['a key outside an asset folder', message({ Video: { S3ObjectName: 'loose.mp4', S3Bucket: OUTPUT_BUCKET } }), /not under <assetId>\//],
  ])('refuses a message with %s', (_case, raw, expected) => {
    expect(() => parseAnalysisCompletion(raw)).toThrow(expected);
  });
});

describe('summarizeLabels', () => {
  const label = (name: string, confidence: number, timestamp: number): LabelDetection => ({
    Timestamp: timestamp,
    Label: { Name: name, Confidence: confidence },
  });

  it.each<[string, LabelDetection[], number, { name: string; confidence: number; occurrences: number; firstSeenMs: number }[]]>([
    [
      'groups detections by name, with the highest confidence, the count and the first time',
      [label('Dog', 91.23, 2000), label('Dog', 97.66, 500), label('Beach', 88, 0)],
      10,
      [
        { name: 'Dog', confidence: 97.7, occurrences: 2, firstSeenMs: 500 },
        { name: 'Beach', confidence: 88, occurrences: 1, firstSeenMs: 0 },
      ],
    ],
    [
      'breaks confidence ties by occurrences, then by name',
      [label('Sky', 90, 0), label('Sea', 90, 0), label('Sea', 80, 1000), label('Sand', 90, 0)],
      10,
      [
        { name: 'Sea', confidence: 90, occurrences: 2, firstSeenMs: 0 },
        { name: 'Sand', confidence: 90, occurrences: 1, firstSeenMs: 0 },
        { name: 'Sky', confidence: 90, occurrences: 1, firstSeenMs: 0 },
      ],
    ],
    [
      'keeps only the top N',
      [label('A', 99, 0), label('B', 98, 0), label('C', 97, 0)],
      2,
      [
        { name: 'A', confidence: 99, occurrences: 1, firstSeenMs: 0 },
        { name: 'B', confidence: 98, occurrences: 1, firstSeenMs: 0 },
      ],
    ],
    ['ignores detections without a label name', [{ Timestamp: 0 }, { Timestamp: 0, Label: { Confidence: 99 } }], 10, []],
    ['is empty for a video without labels', [], 10, []],
  ])('%s', (_case, detections, top, expected) => {
    expect(summarizeLabels(detections, top)).toEqual(expected);
  });
});

describe('isPermanentAnalysisError', () => {
  const error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it.each([
    ['VideoTooLargeException', 400, true],
    ['InvalidS3ObjectException', 400, true],
    ['InvalidParameterException', 400, true],
    ['AccessDeniedException', 403, true],
    ['LimitExceededException', 400, false],
    ['ThrottlingException', 400, false],
    ['ProvisionedThroughputExceededException', 400, false],
    ['InternalServerError', 500, false],
  ])('treats %s (%i) as permanent: %s', (name, status, permanent) => {
    expect(isPermanentAnalysisError(error(name, status))).toBe(permanent);
  });
});

describe('labelsKey', () => {
  it('puts the labels next to the outputs, under analysis/', () => {
    expect(labelsKey(ASSET_ID)).toBe(`${ASSET_ID}/analysis/labels.json`);
  });
});
