/**
 * ffprobe of bytes that are not a committed fixture, for Probe answers when the stand-in
 * transcodes (a user's own upload through `npm run local:up`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FfprobeOutput, MediaFixtureEntry } from '../media-fixtures';

/** The manifest entry ffprobe would have written for these bytes (ffprobe null when it cannot read them). */
export function liveProbeEntry(bytes: Uint8Array): MediaFixtureEntry {
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-probe-'));
  try {
    const file = path.join(dir, 'input');
    writeFileSync(file, bytes);
    const result = spawnSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', file], { encoding: 'utf8' });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (result.status !== 0) return { sha256, size: bytes.length, ffprobe: null, ffprobeError: result.stderr };
    return { sha256, size: bytes.length, ffprobe: JSON.parse(result.stdout) as FfprobeOutput };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
