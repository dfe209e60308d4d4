import { S3Client } from '@aws-sdk/client-s3';
import { distributionHeaders, startLocalDistribution } from '../scripts/lib/local-distribution';
import { rateMinutes } from '../scripts/lib/local-runtime/event-bus';
import { matchesEventPattern } from '../scripts/lib/local-runtime/event-pattern';
import { eventKey, filterAccepts, objectCreatedEvent } from '../scripts/lib/local-runtime/s3-notifications';
import { jobStateChangePattern } from '../contracts/functions/job-events';
import { parseS3Event } from '../lambda-src/jobs/s3-event';
import { QUEUE_ARN, jobStateChange } from './fixtures/mediaconvert-events';

describe('local runtime: EventBridge patterns', () => {
  const pattern = jobStateChangePattern('vod-test', QUEUE_ARN);
  it.each([
    ['COMPLETE of this pipeline', jobStateChange('COMPLETE'), true],
    ['PROGRESSING of this pipeline', jobStateChange('PROGRESSING'), true],
    ['STATUS_UPDATE (not forwarded)', jobStateChange('STATUS_UPDATE'), false],
    ["another pipeline's COMPLETE", jobStateChange('COMPLETE', {}, { pipeline: 'vod-other' }), false],
    ['another source', { ...jobStateChange('COMPLETE'), source: 'aws.s3' }, false],
    ['a job of another queue', jobStateChange('COMPLETE', {}, { queue: `${QUEUE_ARN}-other` }), false],
  ])('the deployed job-state pattern matches %s: %p', (_name, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it.each([
    [{ a: [{ prefix: 'vod-' }] }, { a: 'vod-dev' }, true],
    [{ a: [{ 'anything-but': ['x'] }] }, { a: 'y' }, true],
    [{ a: [{ exists: false }] }, {}, true],
    [{ a: [{ exists: true }] }, {}, false],
  ])('operator pattern %j against %j is %p', (p, event, expected) => {
    expect(matchesEventPattern(p, event)).toBe(expected);
  });

  it.each([
    ['rate(5 minutes)', 5],
    ['rate(1 hour)', 60],
    ['cron(0 12 * * ? *)', undefined],
  ])('schedule %s fires every %p minutes', (expression, minutes) => {
    expect(rateMinutes(expression)).toBe(minutes);
  });
});

describe('local runtime: S3 notifications', () => {
  it.each([
    ['uploads/My Trip (2024) #1+final.MP4', 'uploads/My+Trip+%282024%29+%231%2Bfinal.MP4'],
    ['clip.mp4', 'clip.mp4'],
  ])('key %s appears in the event URL-form-encoded as %s', (key, encoded) => {
    expect(eventKey(key)).toBe(encoded);
  });

  it.each([
    [[{ Name: 'suffix' as const, Value: '.mp4' }], 'a/b.mp4', true],
    [[{ Name: 'suffix' as const, Value: '.mp4' }], 'a/b.MP4', false],
    [[{ Name: 'prefix' as const, Value: 'uploads/' }], 'other/b.mp4', false],
  ])('filter rules %j accept %s: %p', (rules, key, expected) => {
    expect(filterAccepts({ LambdaFunctionArn: 'arn', Events: [], Filter: { Key: { FilterRules: rules } } }, key)).toBe(expected);
  });

  it('the event it builds is one the submit function parses back to the same upload', () => {
    // Act
    const event = objectCreatedEvent(
      { bucket: 'src', key: 'uploads/My Trip.mov', versionId: 'v1', eTag: '"abc-1"', size: 42 },
      'cfg',
      'us-east-1',
    );
    const parsed = parseS3Event(event);
    // Assess
    expect(parsed).toEqual([
      expect.objectContaining({
        action: 'submit',
        upload: expect.objectContaining({
          bucket: 'src',
          key: 'uploads/My Trip.mov',
          versionId: 'v1',
          eventName: 'ObjectCreated:CompleteMultipartUpload',
        }),
      }),
    ]);
  });
});

describe('local distribution: the headers CloudFront is configured to send', () => {
  it('answers a player on another origin with CORS, and always with the security headers', () => {
    // Act
    const headers = distributionHeaders(['*'], 'https://player.example.com', false);
    // Assess
    expect(headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Content-Length, Content-Range, ETag',
      'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
  });

  it('gives no CORS grant to an origin that is not allowed, and echoes an allowed one with Vary', () => {
    expect(distributionHeaders(['https://a.example'], 'https://b.example', false)['access-control-allow-origin']).toBeUndefined();
    expect(distributionHeaders(['https://a.example'], 'https://a.example', true)).toMatchObject({
      'access-control-allow-origin': 'https://a.example',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      vary: 'Origin',
    });
  });

  it('keeps an idle viewer connection open for a minute, so a viewer that paused for seconds never reuses a closing one', async () => {
    // Prepare: a served route needs no bucket.
    const distribution = await startLocalDistribution({
      s3: new S3Client({ region: 'us-east-1' }),
      bucket: 'unused',
      allowedOrigins: ['*'],
      routes: (path) => (path === '/player/' ? { body: Buffer.from('<!doctype html>'), contentType: 'text/html' } : undefined),
    });
    try {
      // Act
      const response = await fetch(`${distribution.url}/player/`);
      await response.text();
      // Assess: Node's default of 5 s made a test that ran ffprobe between requests fail with "other side closed".
      expect(response.headers.get('keep-alive')).toBe('timeout=60');
    } finally {
      await distribution.close();
    }
  });
});
