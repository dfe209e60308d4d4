import type { JobStateChange } from '../lambda-src/jobs/job-event';
import {
  NOTIFICATION_SCHEMA_VERSION,
  buildMessageAttributes,
  buildNotification,
  buildPublishInput,
  fitNotification,
  fitRecordOutputs,
  JobNotification,
  PublishedJobNotification,
  RECORD_OUTPUTS_MAX_BYTES,
  mediaConvertConsoleUrl,
  notificationSubject,
  publishInputBytes,
  SNS_PUBLISH_MAX_BYTES,
} from '../lambda-src/delivery/notification';
import { NotificationTooLargeError } from '../contracts/errors';
import type { MappedOutputs } from '../lambda-src/delivery/outputs';

const CONTEXT = { region: 'us-west-2', pipeline: 'vod-dev' };
const TOPIC_ARN = 'arn:aws:sns:us-west-2:111122223333:vod-dev-job-notifications';

const change = (overrides: Partial<JobStateChange> = {}): JobStateChange => ({
  jobId: '1536964333549-opn151',
  status: 'COMPLETE',
  timestamp: 1536964380391,
  queue: 'arn:aws:mediaconvert:us-west-2:111122223333:queues/Default',
  assetId: 'my-trip-3f2a9c0d1e4b',
  source: 's3://vod-dev-source/uploads/my-trip.mp4',
  pipeline: 'vod-dev',
  outputGroupDetails: [],
  outputGroupDetailsMissing: false,
  warnings: [],
  ...overrides,
});

const MAPPED: MappedOutputs = {
  hls: { master: 'https://d1.cloudfront.net/a/hls/x.m3u8', variants: ['https://d1.cloudfront.net/a/hls/x_720p.m3u8'] },
  mp4: ['https://d1.cloudfront.net/a/mp4/x_1080p.mp4'],
  thumbnails: { urls: ['https://d1.cloudfront.net/a/thumbnails/x_thumb.0000000.jpg'], count: 1 },
  poster: 'https://d1.cloudfront.net/a/thumbnails/x_poster.0000000.jpg',
  durationMs: 180_041,
  skipped: [{ path: 's3://elsewhere/x.mp4', reason: 'other-bucket' }],
};

describe('mediaConvertConsoleUrl', () => {
  it('links the job summary in the region of the job', () => {
    expect(mediaConvertConsoleUrl('eu-west-1', '1536964333549-opn151')).toBe(
      'https://eu-west-1.console.aws.amazon.com/mediaconvert/home?region=eu-west-1#/jobs/summary/1536964333549-opn151',
    );
  });
});

describe('buildNotification', () => {
  it('describes a COMPLETE job with its output URLs and duration', () => {
    // Act
    const notification = buildNotification(change(), MAPPED, CONTEXT);

    // Assess
    expect(notification).toEqual({
      version: NOTIFICATION_SCHEMA_VERSION,
      detail: 'full',
      pipeline: 'vod-dev',
      status: 'COMPLETE',
      jobId: '1536964333549-opn151',
      assetId: 'my-trip-3f2a9c0d1e4b',
      source: 's3://vod-dev-source/uploads/my-trip.mp4',
      outputs: { hls: MAPPED.hls, mp4: MAPPED.mp4, thumbnails: MAPPED.thumbnails, poster: MAPPED.poster },
      durationMs: 180_041,
      error: null,
      consoleUrl: 'https://us-west-2.console.aws.amazon.com/mediaconvert/home?region=us-west-2#/jobs/summary/1536964333549-opn151',
      timestamp: '2018-09-14T22:33:00.391Z',
      warnings: [],
      sourceProfile: null,
    });
  });

  it('gives a COMPLETE job without output groups empty outputs and a null duration', () => {
    // Act
    const notification = buildNotification(change({ outputGroupDetailsMissing: true }), { mp4: [], skipped: [] }, CONTEXT);

    // Assess
    expect(notification.outputs).toEqual({ mp4: [] });
    expect(notification.durationMs).toBeNull();
  });

  it.each([
    ['a numeric code and a message', { errorCode: 1040, errorMessage: 'Unsupported input' }, { code: 1040, message: 'Unsupported input' }],
    ['a string code', { errorCode: 'E_INPUT', errorMessage: 'Bad input' }, { code: 'E_INPUT', message: 'Bad input' }],
    ['no message', { errorCode: 3450 }, { code: 3450, message: null }],
    ['neither code nor message', {}, { code: null, message: null }],
  ])('reports an ERROR with %s', (_case, fields, expected) => {
    // Act
    const notification = buildNotification(change({ status: 'ERROR', ...fields }), undefined, CONTEXT);

    // Assess
    expect(notification.error).toEqual(expected);
    expect(notification.outputs).toBeNull();
    expect(notification.durationMs).toBeNull();
  });

  it.each(['CANCELED', 'ERROR', 'PROGRESSING'] as const)('has null outputs for %s even when URLs are passed', (status) => {
    expect(buildNotification(change({ status }), MAPPED, CONTEXT).outputs).toBeNull();
  });

  it('keeps every field in the JSON, with null for what does not apply', () => {
    // Act
    const json = JSON.parse(JSON.stringify(buildNotification(change({ status: 'CANCELED', source: undefined }), undefined, CONTEXT)));

    // Assess
    expect(Object.keys(json).sort()).toEqual([
      'assetId',
      'consoleUrl',
      'detail',
      'durationMs',
      'error',
      'jobId',
      'outputs',
      'pipeline',
      'source',
      'sourceProfile',
      'status',
      'timestamp',
      'version',
      'warnings',
    ]);
    expect(json).toEqual(expect.objectContaining({ source: null, outputs: null, durationMs: null, error: null }));
  });
});

describe('buildNotification warnings and rendition sizes', () => {
  it("carries the job's warnings without a new schema version", () => {
    const notification = buildNotification(change({ warnings: [{ code: 240000, count: 3 }] }), MAPPED, CONTEXT);

    expect(notification).toEqual(expect.objectContaining({ version: '1', warnings: [{ code: 240000, count: 3 }] }));
  });

  it('carries the source summary the submit side put in the job metadata', () => {
    const sourceProfile = {
      width: 1080,
      height: 1920,
      durationMs: 2000,
      fps: 30,
      audio: true,
      hdr: null,
      interlaced: false,
      rotation: 90,
    } as const;

    expect(buildNotification(change({ sourceProfile }), MAPPED, CONTEXT).sourceProfile).toEqual(sourceProfile);
  });

  it('carries the real rendition sizes in outputs', () => {
    const renditions = [{ url: 'https://d1.cloudfront.net/a/hls/x_720p.m3u8', width: 720, height: 1280 }];

    expect(buildNotification(change(), { ...MAPPED, renditions }, CONTEXT).outputs?.renditions).toEqual(renditions);
  });
});

describe('notificationSubject', () => {
  it.each([
    [{ pipeline: 'vod-dev', status: 'COMPLETE', assetId: 'my-trip-3f2a9c0d1e4b' }, '[vod-dev] COMPLETE my-trip-3f2a9c0d1e4b'],
    [{ pipeline: 'vod-dev', status: 'ERROR', assetId: 'caf\u00e9\nclip' }, '[vod-dev] ERROR caf??clip'],
  ] as const)('renders %j as %s', (notification, expected) => {
    expect(notificationSubject(notification)).toBe(expected);
  });

  it('cuts a long subject to 100 characters ending in ...', () => {
    // Act
    const subject = notificationSubject({ pipeline: 'vod-dev', status: 'COMPLETE', assetId: 'a'.repeat(200) });

    // Assess
    expect(subject).toHaveLength(100);
    expect(subject).toMatch(/^\[vod-dev\] COMPLETE a+\.\.\.$/);
  });
});

describe('buildMessageAttributes', () => {
  it('exposes status and pipeline as String attributes for subscription filters', () => {
    expect(buildMessageAttributes({ pipeline: 'vod-dev', status: 'ERROR' })).toEqual({
      status: { DataType: 'String', StringValue: 'ERROR' },
      pipeline: { DataType: 'String', StringValue: 'vod-dev' },
    });
  });
});

describe('buildPublishInput', () => {
  it('publishes the notification as JSON with its subject and attributes', () => {
    // Prepare
    const notification = buildNotification(change(), MAPPED, CONTEXT);

    // Act
    const input = buildPublishInput(TOPIC_ARN, notification);

    // Assess
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(input.Subject).toBe('[vod-dev] COMPLETE my-trip-3f2a9c0d1e4b');
    expect(JSON.parse(input.Message ?? '')).toEqual(notification);
    expect(input.MessageAttributes?.status?.StringValue).toBe('COMPLETE');
  });
});

describe('fitNotification', () => {
  const THUMBS = 'https://d1.cloudfront.net/my-trip-3f2a9c0d1e4b/thumbnails/';
  const FIT = { recordTable: 'vod-dev-jobs' };
  /** A COMPLETE notification listing `count` thumbnails, with `source` ending in `padding`. */
  const withThumbnails = (count: number, padding = '') =>
    buildNotification(
      change({ source: `s3://vod-dev-source/${padding}` }),
      {
        ...MAPPED,
        thumbnails: { urls: Array.from({ length: count }, (_, i) => `${THUMBS}x_thumb.${String(i).padStart(7, '0')}.jpg`), count },
      },
      CONTEXT,
    );
  /** What SNS counts (UTF-8 bytes), measured without the size check of buildPublishInput. */
  const bytes = (notification: PublishedJobNotification) =>
    publishInputBytes({
      Message: JSON.stringify(notification),
      Subject: notificationSubject(notification),
      MessageAttributes: buildMessageAttributes(notification),
    });
  /**
   * A notification of exactly `target` bytes: 3,000 thumbnails and a source key padded with as many
   * `char` (1 to 4 UTF-8 bytes) as fit, then ASCII to the byte.
   */
  const sized = (target: number, char = 'x') => {
    const missing = target - bytes(withThumbnails(3_000));
    const charBytes = Buffer.byteLength(char, 'utf8');
    return withThumbnails(3_000, char.repeat(Math.floor(missing / charBytes)) + 'x'.repeat(missing % charBytes));
  };
  const full = (notification: PublishedJobNotification): JobNotification => {
    if (notification.detail !== 'full') throw new Error('expected the full notification');
    return notification;
  };
  const KEYS = [
    ['ASCII', 'x'],
    ['two-byte', 'é'],
    ['four-byte', '🎬'],
  ];

  it.each(KEYS)('leaves a notification of exactly 256 KB unchanged (%s keys)', (_case, char) => {
    // Prepare: 262,144 bytes are fewer characters when the key is multi-byte
    const atLimit = sized(SNS_PUBLISH_MAX_BYTES, char);

    // Act
    const fitted = fitNotification(atLimit, FIT);

    // Assess
    expect(bytes(atLimit)).toBe(SNS_PUBLISH_MAX_BYTES);
    expect(fitted).toBe(atLimit);
  });

  it.each(KEYS)(
    'cuts the thumbnail list of a notification one byte over, keeping the count and the folder URL (%s keys)',
    (_case, char) => {
      // Prepare
      const overLimit = sized(SNS_PUBLISH_MAX_BYTES + 1, char);

      // Act
      const fitted = full(fitNotification(overLimit, FIT));

      // Assess
      const thumbnails = fitted.outputs!.thumbnails!;
      expect(bytes(overLimit)).toBe(SNS_PUBLISH_MAX_BYTES + 1);
      expect(bytes(fitted)).toBeLessThanOrEqual(SNS_PUBLISH_MAX_BYTES);
      expect(thumbnails).toEqual(expect.objectContaining({ count: 3_000, truncated: true, prefix: THUMBS }));
      expect(thumbnails.urls).toEqual(overLimit.outputs!.thumbnails!.urls.slice(0, thumbnails.urls.length));
      // As many as fit: one more URL would not.
      const oneMore = {
        ...fitted,
        outputs: {
          ...fitted.outputs!,
          thumbnails: { ...thumbnails, urls: overLimit.outputs!.thumbnails!.urls.slice(0, thumbnails.urls.length + 1) },
        },
      };
      expect(bytes(oneMore)).toBeGreaterThan(SNS_PUBLISH_MAX_BYTES);
    },
  );

  it('refuses to build a Publish request over the limit', () => {
    expect(() => buildPublishInput(TOPIC_ARN, sized(SNS_PUBLISH_MAX_BYTES + 1))).toThrow(NotificationTooLargeError);
  });

  it.each([
    ['ASCII', 'x', SNS_PUBLISH_MAX_BYTES],
    ['four-byte', '🎬', SNS_PUBLISH_MAX_BYTES / 4],
  ])(
    'degrades to the minimal notification when even no thumbnail URL fits (%s keys), which a Publish request accepts',
    (_case, char, characters) => {
      // Prepare: the source key alone is 256 KB in UTF-8
      const tooLarge = withThumbnails(10, (char as string).repeat(characters as number));

      // Act
      const fitted = fitNotification(tooLarge, FIT);

      // Assess
      expect(fitted).toEqual({
        version: NOTIFICATION_SCHEMA_VERSION,
        detail: 'minimal',
        pipeline: 'vod-dev',
        status: 'COMPLETE',
        jobId: '1536964333549-opn151',
        assetId: 'my-trip-3f2a9c0d1e4b',
        masterPlaylist: 'https://d1.cloudfront.net/a/hls/x.m3u8',
        counts: { hlsVariants: 1, mp4: 1, renditions: 0, thumbnails: 10 },
        record: { table: 'vod-dev-jobs', assetId: 'my-trip-3f2a9c0d1e4b' },
        error: null,
        consoleUrl: tooLarge.consoleUrl,
        timestamp: tooLarge.timestamp,
      });
      expect(() => buildPublishInput(TOPIC_ARN, fitted)).not.toThrow();
    },
  );

  it('degrades an oversized ERROR notification, keeping its code and the start of its message', () => {
    // Prepare
    const error = buildNotification(change({ status: 'ERROR', errorCode: 1040, errorMessage: 'é'.repeat(200_000) }), undefined, CONTEXT);

    // Act
    const fitted = fitNotification(error, FIT);

    // Assess
    expect(fitted).toEqual(
      expect.objectContaining({
        detail: 'minimal',
        status: 'ERROR',
        counts: null,
        masterPlaylist: null,
        error: { code: 1040, message: 'é'.repeat(1_000) },
      }),
    );
    expect(bytes(fitted)).toBeLessThan(SNS_PUBLISH_MAX_BYTES);
  });
});

describe('fitRecordOutputs', () => {
  const outputs = (thumbnailCount: number, keyPad = 0) => ({
    hls: { master: 'https://d1.cloudfront.net/a/hls/x.m3u8', variants: ['https://d1.cloudfront.net/a/hls/x_720p.m3u8'] },
    mp4: [`https://d1.cloudfront.net/a/mp4/${'%F0%9F%8E%AC'.repeat(keyPad)}.mp4`],
    thumbnails: {
      urls: Array.from(
        { length: thumbnailCount },
        (_, i) => `https://d1.cloudfront.net/a/thumbnails/x_thumb.${String(i).padStart(7, '0')}.jpg`,
      ),
      count: thumbnailCount,
    },
  });
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

  it('keeps outputs that fit a record unchanged', () => {
    const small = outputs(10);
    expect(fitRecordOutputs(small)).toBe(small);
  });

  it('cuts the thumbnails of outputs over the record budget to as many as fit', () => {
    // Act
    const fitted = fitRecordOutputs(outputs(10_000));

    // Assess
    expect(size(fitted)).toBeLessThanOrEqual(RECORD_OUTPUTS_MAX_BYTES);
    expect(fitted.thumbnails).toEqual(expect.objectContaining({ count: 10_000, truncated: true }));
    expect(fitted.thumbnails!.urls.length).toBeGreaterThan(1_000);
  });

  it('keeps only the master playlist when even no thumbnail URL fits, marking the outputs truncated', () => {
    // Act
    const fitted = fitRecordOutputs(outputs(5, 30_000));

    // Assess
    expect(fitted).toEqual({
      hls: { master: 'https://d1.cloudfront.net/a/hls/x.m3u8', variants: [] },
      mp4: [],
      thumbnails: { urls: [], count: 5, truncated: true },
      truncated: true,
    });
  });
});
