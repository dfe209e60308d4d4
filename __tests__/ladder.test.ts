import { InvalidLadderError } from '../contracts/errors';
import { DEFAULT_RUNGS, EncodingLadderSchema, parseLadder, selectMp4Rung, serializeLadder } from '../contracts/ladder';

const valid = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });

describe('parseLadder', () => {
  it('round-trips the compact JSON the stack puts in ENCODING_LADDER', () => {
    expect(parseLadder(serializeLadder(valid))).toEqual(valid);
    expect(serializeLadder(valid)).not.toMatch(/\n/);
  });

  it.each([
    ['an empty variable', '', /the ladder is empty/],
    ['text that is not JSON', '{rungs:', /not valid JSON/],
    ['an odd height', JSON.stringify({ rungs: [{ ...DEFAULT_RUNGS[0], height: 1081 }] }), /rungs\.0\.height: must be even/],
    [
      'a QVBR level of 11',
      JSON.stringify({ rungs: [{ ...DEFAULT_RUNGS[0], qvbrQualityLevel: 11 }] }),
      /rungs\.0\.qvbrQualityLevel: must be at most 10/,
    ],
    ['no rungs', JSON.stringify({ rungs: [] }), /rungs: declare at least one rung/],
    ['an unknown mp4Rung', JSON.stringify({ rungs: [...DEFAULT_RUNGS], mp4Rung: '4k' }), /mp4Rung: "4k" is not a rung/],
    [
      'an AAC bitrate MediaConvert does not offer',
      JSON.stringify({ rungs: [...DEFAULT_RUNGS], audioBitrate: 100_000 }),
      /audioBitrate: must be one of/,
    ],
    [
      'a thumbnail quality of 0',
      JSON.stringify({ rungs: [...DEFAULT_RUNGS], thumbnailQuality: 0 }),
      /thumbnailQuality: must be at least 1/,
    ],
  ])('rejects %s at cold start, naming the field', (_case, json, message) => {
    expect(() => parseLadder(json)).toThrow(InvalidLadderError);
    expect(() => parseLadder(json)).toThrow(message);
  });
});

describe('selectMp4Rung', () => {
  it('takes the first rung unless mp4Rung names one', () => {
    expect(selectMp4Rung(valid).name).toBe('1080p');
    expect(selectMp4Rung({ ...valid, mp4Rung: '480p' }).name).toBe('480p');
  });
});
