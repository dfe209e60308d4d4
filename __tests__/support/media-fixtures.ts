/**
 * The real media files under __tests__/fixtures/media/ and what ffprobe saw of each
 * (manifest.json, written by scripts/make-media-fixtures.sh). Tests never run ffmpeg.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const MEDIA_FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'media');

/** One stream as `ffprobe -show_streams` prints it (the fields the stand-in maps). */
export interface FfprobeStream {
  readonly index: number;
  readonly codec_type: string;
  readonly codec_name?: string;
  readonly profile?: string;
  readonly width?: number;
  readonly height?: number;
  readonly r_frame_rate?: string;
  readonly avg_frame_rate?: string;
  readonly pix_fmt?: string;
  readonly field_order?: string;
  readonly color_primaries?: string;
  readonly color_transfer?: string;
  readonly color_space?: string;
  readonly sample_aspect_ratio?: string;
  readonly display_aspect_ratio?: string;
  readonly bits_per_raw_sample?: string;
  readonly bit_rate?: string;
  readonly level?: number;
  readonly channels?: number;
  readonly channel_layout?: string;
  readonly sample_rate?: string;
  readonly duration?: string;
  readonly side_data_list?: readonly { readonly side_data_type?: string; readonly rotation?: number }[];
  readonly tags?: Record<string, string>;
}

/** `ffprobe -show_streams -show_format` output of one file. */
export interface FfprobeOutput {
  readonly streams: readonly FfprobeStream[];
  readonly format: {
    readonly format_name: string;
    readonly duration?: string;
    readonly bit_rate?: string;
    readonly size?: string;
    readonly tags?: Record<string, string>;
  };
}

/** One manifest entry: the file's hash and size, and ffprobe's output (null when it could not read it). */
export interface MediaFixtureEntry {
  readonly sha256: string;
  readonly size: number;
  readonly ffprobe: FfprobeOutput | null;
  readonly ffprobeError?: string;
}

/** The fixture files by name. */
export type MediaFixtureName =
  | '1080p60.mp4'
  | '720p90.mp4'
  | 'audio-only.m4a'
  | 'camcorder-1080i.m2ts'
  | 'camera-two-mono-tracks.mov'
  | 'hdr10-pq-768x432.mp4'
  | 'hdv-anamorphic-1440x1080.mp4'
  | 'iphone-hlg-hevc.mov'
  | 'long-60.05s.mp4'
  | 'not-a-video.mp4'
  | 'phone-portrait-rotated.mov'
  | 'phone-vfr-60.mov'
  | 'portrait-720x1280.mp4'
  | 'prores-interlaced-noscan.mov'
  | 'silent-720p.mp4'
  | 'strip-1920x40.mp4'
  | 'surround-5.1.mp4'
  | 'webcam-640x480.mp4';

let manifest: Record<string, MediaFixtureEntry> | undefined;

/** manifest.json's entries by file name. */
export function mediaManifest(): Record<string, MediaFixtureEntry> {
  manifest ??= (
    JSON.parse(readFileSync(path.join(MEDIA_FIXTURE_DIR, 'manifest.json'), 'utf8')) as { files: Record<string, MediaFixtureEntry> }
  ).files;
  return manifest;
}

/** The bytes of a fixture. */
export function readMediaFixture(name: MediaFixtureName): Buffer {
  return readFileSync(path.join(MEDIA_FIXTURE_DIR, name));
}

/** The manifest entry whose sha256 matches `bytes`, with its file name; undefined for unknown bytes. */
export function findFixtureByContent(bytes: Uint8Array): (MediaFixtureEntry & { name: string }) | undefined {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const found = Object.entries(mediaManifest()).find(([, entry]) => entry.sha256 === sha256);
  return found === undefined ? undefined : { name: found[0], ...found[1] };
}

/** A `readRange` over an in-memory file that records every call. */
export function recordingReader(bytes: Uint8Array): {
  readRange: (start: number, end: number) => Promise<Uint8Array>;
  calls: [number, number][];
} {
  const calls: [number, number][] = [];
  return {
    calls,
    readRange: async (start, end) => {
      calls.push([start, end]);
      return bytes.subarray(start, Math.min(end, bytes.length));
    },
  };
}
