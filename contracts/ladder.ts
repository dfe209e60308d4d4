// zod/mini keeps the submit bundle small (classic zod adds ~450 KB); it composes with classic zod in stacks/config.ts.
import * as z from 'zod/mini';
import { InvalidLadderError, formatZodIssues } from './errors';

/** AAC bitrates MediaConvert accepts for stereo AAC-LC that suit an HLS ladder. */
export const AAC_BITRATES = [64_000, 96_000, 128_000, 160_000, 192_000] as const;

const int = (min: number, max: number, label = '') =>
  z.number().check(z.int(), z.minimum(min, `${label}must be at least ${min}`), z.maximum(max, `${label}must be at most ${max}`));

const evenDimension = () =>
  int(32, 8192).check(z.refine((n) => n % 2 === 0, 'must be even (H.264 with 4:2:0 chroma needs even dimensions)'));

/** One rendition of the HLS ladder, encoded as H.264 QVBR. */
export const LadderRungSchema = z.strictObject({
  name: z
    .string()
    .check(
      z.regex(/^[a-z0-9]{1,16}$/, 'use 1-16 lowercase letters or digits, e.g. "720p"'),
      z.describe('Short name, used as the output NameModifier (`_<name>`) and in URLs.'),
    ),
  width: evenDimension().check(z.describe('Width in pixels of a landscape source (even); portrait sources get it as their height.')),
  height: evenDimension().check(z.describe('Height in pixels of a landscape source (even).')),
  qvbrQualityLevel: int(1, 10).check(z.describe('QVBR quality level, 1 (lowest) to 10.')),
  maxBitrate: int(1_000, 1_152_000_000).check(z.describe('Peak bitrate in bits per second (MediaConvert accepts 1,000..1,152,000,000).')),
});

/**
 * The encoding ladder: the renditions and the packaging choices that go with them.
 * It is configuration: declared in the stack config, passed to the submit function
 * as JSON, and validated on both sides.
 */
export const EncodingLadderSchema = z
  .strictObject({
    rungs: z
      .array(LadderRungSchema)
      .check(
        z.minLength(1, 'declare at least one rung'),
        z.maxLength(10, 'use at most 10 rungs'),
        z.describe('The renditions of the HLS ladder, 1 to 10, each encoded as H.264 QVBR; names must be unique.'),
      ),
    mp4Rung: z.optional(z.string()).check(z.describe('Rung encoded again as the progressive-download MP4. Unset: the first rung.')),
    segmentLengthSeconds: z
      ._default(int(1, 60), 6)
      .check(z.describe("HLS segment length in seconds; Apple's authoring spec recommends 6.")),
    gopSeconds: z._default(int(1, 10), 2).check(z.describe('Closed GOP length in seconds; an IDR frame at least every 2 s.')),
    audioBitrate: z
      ._default(
        z.number().check(z.refine((n) => (AAC_BITRATES as readonly number[]).includes(n), `must be one of ${AAC_BITRATES.join(', ')}`)),
        128_000,
      )
      .check(z.describe(`Stereo AAC-LC bitrate in bits per second, at 48 kHz: one of ${AAC_BITRATES.join(', ')}.`)),
    thumbnailIntervalSeconds: z
      ._default(int(1, 3600), 5)
      .check(z.describe('One thumbnail every N seconds (the interval grows for long videos, within `maxThumbnails`).')),
    maxThumbnails: z._default(int(1, 10_000), 200).check(z.describe('Upper bound of thumbnails per job (MediaConvert MaxCaptures).')),
    thumbnailLongSidePx: z
      ._default(evenDimension().check(z.maximum(1920, 'must be at most 1920')), 640)
      .check(z.describe("Long side of thumbnails and poster in pixels; the short side follows the source's shape.")),
    thumbnailQuality: z._default(int(1, 100), 80).check(z.describe('JPEG quality of thumbnails and poster, 1..100.')),
  })
  .check(
    z.superRefine((ladder, ctx) => {
      const seen = new Set<string>();
      ladder.rungs.forEach((rung, index) => {
        if (seen.has(rung.name)) {
          ctx.addIssue({
            code: 'custom',
            input: rung.name,
            path: ['rungs', index, 'name'],
            message: `duplicate rung name "${rung.name}"; rung names must be unique`,
          });
        }
        seen.add(rung.name);
      });
      if (ladder.mp4Rung !== undefined && !seen.has(ladder.mp4Rung)) {
        ctx.addIssue({
          code: 'custom',
          input: ladder.mp4Rung,
          path: ['mp4Rung'],
          message: `"${ladder.mp4Rung}" is not a rung; use one of ${[...seen].join(', ')}`,
        });
      }
    }),
  );

export type LadderRung = z.infer<typeof LadderRungSchema>;
export type EncodingLadder = z.output<typeof EncodingLadderSchema>;
export type EncodingLadderInput = z.input<typeof EncodingLadderSchema>;

/**
 * Sizes from Apple's HLS Authoring Specification for Apple Devices, with the QVBR levels
 * of AWS's MediaConvert QVBR guidance. Peaks (at 30 fps; the planner scales them with the rate)
 * step by at most 2x (Apple: adjacent variants 1.5-2x apart), and the bottom rung is Apple's
 * weak-network 416x234 (about 145 kb/s average, 64 kb/s HE-AAC audio).
 */
export const DEFAULT_RUNGS: readonly LadderRung[] = [
  { name: '1080p', width: 1920, height: 1080, qvbrQualityLevel: 9, maxBitrate: 6_000_000 },
  { name: '720p', width: 1280, height: 720, qvbrQualityLevel: 8, maxBitrate: 3_000_000 },
  { name: '480p', width: 854, height: 480, qvbrQualityLevel: 7, maxBitrate: 1_500_000 },
  { name: '360p', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 800_000 },
  { name: '234p', width: 416, height: 234, qvbrQualityLevel: 6, maxBitrate: 400_000 },
];

/** The rung encoded as MP4: `mp4Rung`, or the first rung. */
export function selectMp4Rung(ladder: EncodingLadder): LadderRung {
  const rung = ladder.rungs.find((r) => r.name === (ladder.mp4Rung ?? ladder.rungs[0]?.name));
  if (rung === undefined) {
    throw new InvalidLadderError(`mp4Rung "${ladder.mp4Rung}" is not one of the ladder's rungs`);
  }
  return rung;
}

/** Compact JSON for the ENCODING_LADDER environment variable (a readable plan diff). */
export function serializeLadder(ladder: EncodingLadder): string {
  return JSON.stringify(ladder);
}

/**
 * Parses and validates the ladder's JSON at cold start, so a bad deploy fails on
 * the first invocation with the offending field, not inside MediaConvert.
 */
export function parseLadder(json: string | undefined): EncodingLadder {
  if (json === undefined || json.trim() === '') {
    throw new InvalidLadderError('the ladder is empty; it is set from transcoding.ladder in the stack config');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new InvalidLadderError('the ladder is not valid JSON; it is set from transcoding.ladder in the stack config', { cause });
  }
  const result = EncodingLadderSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidLadderError(`the ladder is invalid:\n${formatZodIssues(result.error)}`, { cause: result.error });
  }
  return result.data;
}
