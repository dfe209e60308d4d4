import { InvalidS3EventError } from '../contracts/errors';
import { decodeS3Key, isS3TestEvent, parseS3Event } from '../lambda-src/jobs/s3-event';
import { s3Event, s3Record } from './fixtures/s3-events';

describe('decodeS3Key', () => {
  it.each([
    ['My+Trip+%282024%29+%231%2Bfinal.MP4', 'My Trip (2024) #1+final.MP4'],
    ['a%2Bb.mp4', 'a+b.mp4'],
    ['100%25+done.mp4', '100% done.mp4'],
    ['caf%C3%A9.mov', 'café.mov'],
    ['nested/deep/er/clip.v2.final.mkv', 'nested/deep/er/clip.v2.final.mkv'],
  ])('decodes %s to %s', (raw, expected) => {
    expect(decodeS3Key(raw)).toBe(expected);
  });

  it('throws URIError on a malformed escape', () => {
    expect(() => decodeS3Key('bad%zz.mp4')).toThrow(URIError);
  });
});

describe('isS3TestEvent', () => {
  it('recognises the event S3 sends when a configuration is saved', () => {
    expect(isS3TestEvent({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' })).toBe(true);
    expect(isS3TestEvent(s3Event([s3Record({ key: 'a.mp4' })]))).toBe(false);
  });
});

describe('parseS3Event', () => {
  it.each([
    ['a folder placeholder', { key: 'uploads/', size: 0 }, 'folder-placeholder'],
    ['a zero-byte object', { key: 'empty.mp4', size: 0 }, 'empty-object'],
    ['a non-video key', { key: 'notes.txt' }, 'not-a-video'],
    ['a malformed escape', { key: 'bad%zz.mp4' }, 'undecodable-key'],
    ['a delete event', { key: 'a.mp4', eventName: 'ObjectRemoved:Delete' }, 'not-object-created'],
  ])('skips %s', (_case, record, reason) => {
    // Act
    const [plan] = parseS3Event(s3Event([s3Record(record)]));

    // Assess
    expect(plan).toEqual(expect.objectContaining({ action: 'skip', reason }));
  });

  it('skips a record without bucket or key as malformed instead of throwing', () => {
    const [plan] = parseS3Event({ Records: [{ eventName: 'ObjectCreated:Put', s3: {} }] });

    expect(plan).toEqual(expect.objectContaining({ action: 'skip', reason: 'malformed-record' }));
  });

  it.each(['ObjectCreated:Put', 'ObjectCreated:Post', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload'])(
    'submits a video created by %s',
    (eventName) => {
      const [plan] = parseS3Event(s3Event([s3Record({ key: 'clip.mp4', eventName })]));

      expect(plan).toEqual(expect.objectContaining({ action: 'submit' }));
    },
  );

  it('decodes the key and keeps the upload identity', () => {
    // Act
    const [plan] = parseS3Event(
      s3Event([s3Record({ key: 'uploads/My+Trip+%282024%29+%231%2Bfinal.MP4', versionId: 'v1', eTag: 'e', sequencer: '0A', size: 42 })]),
    );

    // Assess
    expect(plan).toEqual({
      action: 'submit',
      upload: {
        bucket: 'source-bucket',
        key: 'uploads/My Trip (2024) #1+final.MP4',
        size: 42,
        eventName: 'ObjectCreated:Put',
        versionId: 'v1',
        eTag: 'e',
        sequencer: '0A',
      },
    });
  });

  it('plans each record of a multi-record event on its own', () => {
    const plans = parseS3Event(s3Event([s3Record({ key: 'a.mp4' }), s3Record({ key: 'b.txt' }), s3Record({ key: 'c.mov' })]));

    expect(plans.map((p) => p.action)).toEqual(['submit', 'skip', 'submit']);
  });

  it('yields nothing for the S3 test event', () => {
    expect(parseS3Event({ Service: 'Amazon S3', Event: 's3:TestEvent' })).toEqual([]);
  });

  it('throws InvalidS3EventError for a payload that is not an S3 event', () => {
    expect(() => parseS3Event({ hello: 'world' })).toThrow(InvalidS3EventError);
    expect(() => parseS3Event({ hello: 'world' })).toThrow(/no Records array/);
  });
});
