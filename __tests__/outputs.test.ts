import type { OutputGroupDetail } from '../lambda-src/jobs/job-event';
import { POSTER_NAME_MODIFIER, THUMBNAIL_NAME_MODIFIER } from '../contracts/storage-layout';
import {
  expandFrameCaptureKeys,
  mapOutputsToUrls,
  parseFrameCaptureKey,
  parseS3Uri,
  pickOutputUrls,
  toDistributionUrl,
} from '../lambda-src/delivery/outputs';

const BUCKET = 'vod-test-output';
const DOMAIN = 'd111111abcdef8.cloudfront.net';
const LOCATION = { outputBucket: BUCKET, distributionDomain: DOMAIN };
const CDN = `https://${DOMAIN}`;

const hls = (base: string, bucket = BUCKET): OutputGroupDetail => ({
  type: 'HLS_GROUP',
  playlistFilePaths: [`s3://${bucket}/a1/hls/${base}.m3u8`],
  outputDetails: ['1080p', '720p'].map((rung) => ({
    outputFilePaths: [`s3://${bucket}/a1/hls/${base}_${rung}.m3u8`],
    durationInMs: 60_000,
  })),
});
const files = (...paths: string[]): OutputGroupDetail => ({
  type: 'FILE_GROUP',
  playlistFilePaths: [],
  outputDetails: paths.map((path) => ({ outputFilePaths: [path] })),
});

describe('toDistributionUrl', () => {
  it.each([
    ['a1/hls/clip.m3u8', `${CDN}/a1/hls/clip.m3u8`],
    ['a1/hls/My Trip.m3u8', `${CDN}/a1/hls/My%20Trip.m3u8`],
    ['a1/hls/take #1.m3u8', `${CDN}/a1/hls/take%20%231.m3u8`],
    ['a1/mp4/50% off?.mp4', `${CDN}/a1/mp4/50%25%20off%3F.mp4`],
    ['a1/mp4/café+crème.mp4', `${CDN}/a1/mp4/caf%C3%A9%2Bcr%C3%A8me.mp4`],
  ])('maps key %s to %s, encoding each segment and keeping the slashes', (key, expected) => {
    expect(toDistributionUrl(DOMAIN, key)).toBe(expected);
  });

  it('uses a whole loopback origin (the local distribution stand-in) as given', () => {
    expect(toDistributionUrl('http://127.0.0.1:8443', 'a1/hls/My Trip.m3u8')).toBe('http://127.0.0.1:8443/a1/hls/My%20Trip.m3u8');
  });
});

describe('parseS3Uri', () => {
  it.each([
    ['s3://bucket/a/b.mp4', { bucket: 'bucket', key: 'a/b.mp4' }],
    ['s3://bucket/', undefined],
    ['https://bucket/a.mp4', undefined],
    ['s3://bucket', undefined],
  ])('parses %s', (path, expected) => {
    expect(parseS3Uri(path)).toEqual(expected);
  });
});

describe('parseFrameCaptureKey', () => {
  it.each([
    [
      'a1/thumbnails/x_thumb.0000011.jpg',
      THUMBNAIL_NAME_MODIFIER,
      { prefix: 'a1/thumbnails/x_thumb', sequence: '0000011', extension: '.jpg' },
    ],
    [
      'a1/thumbnails/my_thumb_video_thumb.0000000.jpg',
      THUMBNAIL_NAME_MODIFIER,
      { prefix: 'a1/thumbnails/my_thumb_video_thumb', sequence: '0000000', extension: '.jpg' },
    ],
    ['a1/thumbnails/x_poster.0000000.jpg', THUMBNAIL_NAME_MODIFIER, undefined],
    ['a1/thumbnails/x_thumb.11.jpg', THUMBNAIL_NAME_MODIFIER, undefined],
    [
      'a1/thumbnails/x_poster.0000000.jpg',
      POSTER_NAME_MODIFIER,
      { prefix: 'a1/thumbnails/x_poster', sequence: '0000000', extension: '.jpg' },
    ],
  ])('splits %s for modifier %s', (key, modifier, expected) => {
    expect(parseFrameCaptureKey(key, modifier)).toEqual(expected);
  });
});

describe('expandFrameCaptureKeys', () => {
  it('derives every 0-based, 7-digit image key from the last one', () => {
    // Act
    const expanded = expandFrameCaptureKeys('a1/thumbnails/x_thumb.0000011.jpg', THUMBNAIL_NAME_MODIFIER);

    // Assess
    expect(expanded?.count).toBe(12);
    expect(expanded?.keys).toHaveLength(12);
    expect(expanded?.keys[0]).toBe('a1/thumbnails/x_thumb.0000000.jpg');
    expect(expanded?.keys[11]).toBe('a1/thumbnails/x_thumb.0000011.jpg');
  });

  it('lists at most max keys but reports the real count', () => {
    expect(expandFrameCaptureKeys('x_thumb.0009999.jpg', THUMBNAIL_NAME_MODIFIER, 3)).toEqual({
      count: 10_000,
      keys: ['x_thumb.0000000.jpg', 'x_thumb.0000001.jpg', 'x_thumb.0000002.jpg'],
    });
  });
});

describe('mapOutputsToUrls', () => {
  it('maps a CMAF group (the HDR ladder) by its HLS master, the DASH manifest beside it left out', () => {
    // Prepare
    const cmaf: OutputGroupDetail = {
      type: 'CMAF_GROUP',
      playlistFilePaths: [`s3://${BUCKET}/a1/hls/clip.mpd`, `s3://${BUCKET}/a1/hls/clip.m3u8`],
      outputDetails: ['480p', 'hdr432p'].map((rung) => ({
        outputFilePaths: [`s3://${BUCKET}/a1/hls/clip_${rung}.m3u8`],
        durationInMs: 1_000,
      })),
    };
    // Act
    const mapped = mapOutputsToUrls([cmaf], LOCATION);
    // Assess
    expect(mapped.hls).toEqual({
      master: `${CDN}/a1/hls/clip.m3u8`,
      variants: [`${CDN}/a1/hls/clip_480p.m3u8`, `${CDN}/a1/hls/clip_hdr432p.m3u8`],
    });
    expect(mapped.skipped).toEqual([{ path: `s3://${BUCKET}/a1/hls/clip.mpd`, reason: 'duplicate-output' }]);
  });

  it('maps the HLS master playlist and its variants', () => {
    // Act
    const mapped = mapOutputsToUrls([hls('clip')], LOCATION);

    // Assess
    expect(mapped.hls).toEqual({
      master: `${CDN}/a1/hls/clip.m3u8`,
      variants: [`${CDN}/a1/hls/clip_1080p.m3u8`, `${CDN}/a1/hls/clip_720p.m3u8`],
    });
    expect(mapped.skipped).toEqual([]);
  });

  it('maps MP4 renditions, every thumbnail and the poster of the file groups', () => {
    // Prepare
    const groups = [
      files(`s3://${BUCKET}/a1/mp4/clip_1080p.mp4`),
      files(
        `s3://${BUCKET}/a1/thumbnails/x${THUMBNAIL_NAME_MODIFIER}.0000011.jpg`,
        `s3://${BUCKET}/a1/thumbnails/x${POSTER_NAME_MODIFIER}.0000000.jpg`,
      ),
    ];

    // Act
    const mapped = mapOutputsToUrls(groups, LOCATION);

    // Assess
    expect(mapped.mp4).toEqual([`${CDN}/a1/mp4/clip_1080p.mp4`]);
    expect(mapped.thumbnails?.count).toBe(12);
    expect(mapped.thumbnails?.urls).toEqual(
      Array.from({ length: 12 }, (_, i) => `${CDN}/a1/thumbnails/x_thumb.${String(i).padStart(7, '0')}.jpg`),
    );
    expect(mapped.thumbnails).not.toHaveProperty('truncated');
    expect(mapped.poster).toBe(`${CDN}/a1/thumbnails/x_poster.0000000.jpg`);
    expect(mapped.skipped).toEqual([]);
  });

  it.each([
    ['0000000', 'x_thumb.0000000.jpg'],
    ['0000011', 'x_thumb.0000002.jpg'],
    ['0000199', 'x_thumb.0000040.jpg'],
  ])('takes the poster from the thumbnails when the job made no poster output: last %s gives %s', (last, poster) => {
    const mapped = mapOutputsToUrls([files(`s3://${BUCKET}/a1/thumbnails/x${THUMBNAIL_NAME_MODIFIER}.${last}.jpg`)], LOCATION);

    expect(mapped.poster).toBe(`${CDN}/a1/thumbnails/${poster}`);
  });

  it('encodes a base name with a space and a # in every URL', () => {
    // Act
    const mapped = mapOutputsToUrls([hls('My Trip #1'), files(`s3://${BUCKET}/a1/thumbnails/My Trip #1_thumb.0000001.jpg`)], LOCATION);

    // Assess
    expect(mapped.hls?.master).toBe(`${CDN}/a1/hls/My%20Trip%20%231.m3u8`);
    expect(mapped.hls?.variants[0]).toBe(`${CDN}/a1/hls/My%20Trip%20%231_1080p.m3u8`);
    expect(mapped.thumbnails?.urls).toEqual([
      `${CDN}/a1/thumbnails/My%20Trip%20%231_thumb.0000000.jpg`,
      `${CDN}/a1/thumbnails/My%20Trip%20%231_thumb.0000001.jpg`,
    ]);
  });

  it('takes durationMs as the longest output duration', () => {
    // Prepare
    const groups: OutputGroupDetail[] = [
      hls('clip'),
      {
        type: 'FILE_GROUP',
        playlistFilePaths: [],
        outputDetails: [{ outputFilePaths: [`s3://${BUCKET}/a1/mp4/clip.mp4`], durationInMs: 60_041 }],
      },
    ];

    // Act
    const mapped = mapOutputsToUrls(groups, LOCATION);

    // Assess
    expect(mapped.durationMs).toBe(60_041);
  });

  it('takes durationMs from the video outputs, not from frame captures that report longer', () => {
    // Prepare: MediaConvert can report a frame-capture output longer than the video.
    const groups: OutputGroupDetail[] = [
      {
        type: 'FILE_GROUP',
        playlistFilePaths: [],
        outputDetails: [
          { outputFilePaths: [`s3://${BUCKET}/a1/mp4/clip_720p.mp4`], durationInMs: 180_041 },
          { outputFilePaths: [`s3://${BUCKET}/a1/thumbnails/clip_thumb.0000036.jpg`], durationInMs: 185_000 },
        ],
      },
    ];

    // Act
    const mapped = mapOutputsToUrls(groups, LOCATION);

    // Assess
    expect(mapped.durationMs).toBe(180_041);
  });

  it('lists the real size of every HLS variant and MP4 from videoDetails, not of frame captures', () => {
    // Prepare
    const size = (widthInPx: number, heightInPx: number) => ({ videoDetails: { widthInPx, heightInPx } });
    const groups: OutputGroupDetail[] = [
      {
        type: 'HLS_GROUP',
        playlistFilePaths: [`s3://${BUCKET}/a1/hls/clip.m3u8`],
        outputDetails: [{ outputFilePaths: [`s3://${BUCKET}/a1/hls/clip_720p.m3u8`], ...size(720, 1280) }],
      },
      {
        type: 'FILE_GROUP',
        playlistFilePaths: [],
        outputDetails: [
          { outputFilePaths: [`s3://${BUCKET}/a1/mp4/clip_720p.mp4`], ...size(720, 1280) },
          { outputFilePaths: [`s3://${BUCKET}/a1/thumbnails/clip_thumb.0000001.jpg`], ...size(360, 640) },
        ],
      },
    ];

    // Act
    const mapped = mapOutputsToUrls(groups, LOCATION);

    // Assess
    expect(mapped.renditions).toEqual([
      { url: `${CDN}/a1/hls/clip_720p.m3u8`, width: 720, height: 1280 },
      { url: `${CDN}/a1/mp4/clip_720p.mp4`, width: 720, height: 1280 },
    ]);
  });

  it('leaves durationMs out when no output reports one', () => {
    expect(mapOutputsToUrls([files(`s3://${BUCKET}/a1/mp4/clip.mp4`)], LOCATION)).not.toHaveProperty('durationMs');
  });

  it('caps the thumbnail URLs and marks the list truncated', () => {
    // Act
    const mapped = mapOutputsToUrls([files(`s3://${BUCKET}/a1/thumbnails/x_thumb.0009999.jpg`)], { ...LOCATION, maxThumbnailUrls: 5 });

    // Assess
    expect(mapped.thumbnails).toEqual({
      urls: expect.any(Array),
      count: 10_000,
      truncated: true,
      prefix: `https://${DOMAIN}/a1/thumbnails/`,
    });
    expect(mapped.thumbnails?.urls).toHaveLength(5);
  });

  it.each([
    ['a file in another bucket', [files('s3://someone-else/a1/mp4/clip.mp4')], 'other-bucket'],
    ['a path that is not an s3 URI', [files('https://example.com/clip.mp4')], 'not-s3-uri'],
    [
      'a DASH group',
      [{ type: 'DASH_ISO_GROUP', playlistFilePaths: [`s3://${BUCKET}/a1/dash/clip.mpd`], outputDetails: [] }],
      'unsupported-group',
    ],
    ['an unknown file type', [files(`s3://${BUCKET}/a1/mp4/clip.m4a`)], 'unrecognized-file'],
    ['a frame capture of another modifier', [files(`s3://${BUCKET}/a1/thumbnails/x_sprite.0000003.jpg`)], 'unrecognized-file'],
    ['an HLS group without a master playlist', [{ ...hls('clip'), playlistFilePaths: [] }], 'no-master-playlist'],
    ['a second HLS group', [hls('clip'), hls('other')], 'duplicate-output'],
    [
      'a second thumbnail output',
      [files(`s3://${BUCKET}/a1/t/x_thumb.0000001.jpg`, `s3://${BUCKET}/a1/t/y_thumb.0000001.jpg`)],
      'duplicate-output',
    ],
  ] as [string, OutputGroupDetail[], string][])('reports %s in skipped instead of mapping it', (_case, groups, reason) => {
    // Act
    const mapped = mapOutputsToUrls(groups, LOCATION);

    // Assess
    expect(mapped.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ reason })]));
    expect(JSON.stringify(pickOutputUrls(mapped))).not.toMatch(/someone-else|example\.com|\.mpd|\.m4a|_sprite|other|y_thumb/);
  });

  it('skips the variants too when the master playlist is in another bucket', () => {
    // Act
    const mapped = mapOutputsToUrls([{ ...hls('clip'), playlistFilePaths: ['s3://someone-else/a1/hls/clip.m3u8'] }], LOCATION);

    // Assess
    expect(mapped.hls).toBeUndefined();
    expect(mapped.skipped.map((s) => s.reason)).toEqual(['other-bucket', 'no-master-playlist', 'no-master-playlist']);
  });

  it('maps nothing, and skips nothing, for no output groups', () => {
    expect(mapOutputsToUrls([], LOCATION)).toEqual({ mp4: [], skipped: [] });
  });
});

describe('pickOutputUrls', () => {
  it('keeps only the URLs', () => {
    // Prepare
    const mapped = mapOutputsToUrls([hls('clip'), files('s3://elsewhere/x.mp4')], LOCATION);

    // Act
    const urls = pickOutputUrls(mapped);

    // Assess
    expect(Object.keys(urls).sort()).toEqual(['hls', 'mp4']);
  });
});
