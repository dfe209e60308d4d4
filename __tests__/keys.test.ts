import {
  deriveAssetId,
  deriveClientRequestToken,
  extensionOf,
  isVideoKey,
  slugOfKey,
  truncateMiddle,
  uploadIdentityString,
} from '../lambda-src/jobs/keys';

const upload = { bucket: 'src', key: 'uploads/My Trip (2024) #1+final.MP4', versionId: 'v1' };

describe('isVideoKey', () => {
  it.each([
    ['clip.mp4', true],
    ['clip.MP4', true],
    ['clip.Mov', true],
    ['a/b/c/show.final.m2ts', true],
    ['movie.3gp', true],
    ['notes.txt', false],
    ['archive.mp4.zip', false],
    ['mp4', false],
    ['.mp4', false],
    ['folder.mp4/readme', false],
  ])('%s → %s', (key, expected) => {
    expect(isVideoKey(key)).toBe(expected);
  });
});

describe('extensionOf', () => {
  it.each([
    ['a/b/Clip.MOV', 'mov'],
    ['a.b/clip', ''],
    ['clip.tar.gz', 'gz'],
  ])('%s → "%s"', (key, expected) => {
    expect(extensionOf(key)).toBe(expected);
  });
});

describe('slugOfKey', () => {
  it.each([
    ['uploads/My Trip (2024) #1+final.MP4', 'my-trip-2024-1-final'],
    ['Café Olé.mov', 'cafe-ole'],
    ['日本語.mp4', 'video'],
    ['a/b/c/show.final.cut.mkv', 'show-final-cut'],
    [`${'x'.repeat(100)}.mp4`, 'x'.repeat(40)],
    ['100%25 done.mp4', '100-25-done'],
  ])('%s → %s', (key, expected) => {
    expect(slugOfKey(key)).toBe(expected);
  });
});

describe('deriveAssetId', () => {
  it('is readable and stable for the same upload (a duplicate delivery)', () => {
    // Act
    const first = deriveAssetId(upload);
    const again = deriveAssetId({ ...upload });

    // Assess
    expect(first).toMatch(/^my-trip-2024-1-final-[0-9a-f]{12}$/);
    expect(again).toBe(first);
  });

  it('differs for a re-upload of the same key (new version, or new etag and sequencer)', () => {
    expect(deriveAssetId({ ...upload, versionId: 'v2' })).not.toBe(deriveAssetId(upload));
    const unversioned = { bucket: 'src', key: 'a.mp4', eTag: 'e1', sequencer: '01' };
    expect(deriveAssetId({ ...unversioned, eTag: 'e2', sequencer: '02' })).not.toBe(deriveAssetId(unversioned));
  });

  it('differs for the same file name in different folders', () => {
    expect(deriveAssetId({ ...upload, key: 'other/My Trip (2024) #1+final.MP4' })).not.toBe(deriveAssetId(upload));
  });
});

describe('deriveClientRequestToken', () => {
  it('is 64 ASCII characters, stable per upload, distinct across uploads', () => {
    const token = deriveClientRequestToken({ ...upload, key: `${'ü'.repeat(1024)}.mp4` });

    expect(token).toMatch(/^[\x20-\x7e]{1,64}$/);
    expect(token).toHaveLength(64);
    expect(deriveClientRequestToken(upload)).toBe(deriveClientRequestToken({ ...upload }));
    expect(deriveClientRequestToken(upload)).not.toBe(deriveClientRequestToken({ ...upload, versionId: 'v2' }));
  });
});

describe('uploadIdentityString', () => {
  it('prefers the versionId and falls back to eTag and sequencer', () => {
    expect(uploadIdentityString(upload)).toBe('src/uploads/My Trip (2024) #1+final.MP4#v1');
    expect(uploadIdentityString({ bucket: 'b', key: 'k', eTag: 'e', sequencer: 's' })).toBe('b/k#e:s');
  });
});

describe('truncateMiddle', () => {
  it.each([
    ['short', 10, 'short'],
    ['abcdefghij', 5, 'ab…ij'],
    ['🎬'.repeat(300), 256, `${'🎬'.repeat(128)}…${'🎬'.repeat(127)}`],
  ])('truncates %s to %d characters keeping both ends', (value, max, expected) => {
    const result = truncateMiddle(value, max);

    expect(result).toBe(expected);
    expect([...result].length).toBeLessThanOrEqual(max);
  });
});
