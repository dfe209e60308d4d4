/// <reference lib="dom" />
/**
 * See it play: the committed playback fixtures go through the living local pipeline
 * (`npm run local:up`, then `npm run upload -- <file> --env local --json`), and headless Chromium
 * plays each on the published player page. Each output is checked with ffprobe and every playlist
 * is parsed with m3u8-parser. One local:up is shared by all fixtures.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Parser } from 'm3u8-parser';
import { Browser, chromium, Page } from 'playwright-core';
import { chromiumPath } from '../../scripts/lib/tools';
import { describeWithTools } from '../support/tiers';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'media', 'playback');
/** Screenshots, one per fixture (gitignored). */
const SCREENSHOTS = path.join(ROOT, 'test-output', 'playback');

interface Outcome {
  assetId: string;
  jobId: string | null;
  status: string;
  playback: { hls: string | null; mp4: string | null };
  poster: string | null;
  player: string | null;
}

interface Fixture {
  readonly file: string;
  /** The shape the top rendition must have. */
  readonly portrait: boolean;
  readonly audio: boolean;
  readonly fps: number;
}

const FIXTURE_TABLE: readonly Fixture[] = [
  { file: 'landscape-1080p.mp4', portrait: false, audio: true, fps: 30 },
  { file: 'phone-portrait.mov', portrait: true, audio: true, fps: 30 },
  { file: 'silent-720p.mp4', portrait: false, audio: false, fps: 30 },
  { file: '720p60.mp4', portrait: false, audio: true, fps: 60 },
];

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
}

function ffprobe(
  bytes: Buffer,
  name: string,
  extra: string[] = ['-show_streams'],
): { streams?: ProbedStream[]; frames?: { key_frame: number; pts_time?: string; best_effort_timestamp_time?: string }[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'playback-'));
  try {
    writeFileSync(path.join(dir, name), bytes);
    return JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...extra, path.join(dir, name)], { encoding: 'utf8' }),
    ) as ReturnType<typeof ffprobe>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parsePlaylist(text: string): Record<string, unknown> {
  const parser = new Parser();
  parser.push(text);
  parser.end();
  return parser.manifest;
}

const rate = (text = '0/1'): number => {
  const [n, d] = text.split('/').map(Number);
  return (n ?? 0) / (d || 1);
};

describeWithTools(
  'see it play: uploads through local:up play in headless Chromium',
  ['terraform', 'mirror', 'moto', 'ffmpeg', 'chromium'],
  () => {
    let localUp: ChildProcess | undefined;
    let browser: Browser;
    const outcomes = new Map<string, Outcome>();
    const timings: Record<string, number> = {};

    beforeAll(async () => {
      try {
        await startAndUpload();
      } catch (error) {
        // The whole story goes to a file; the test report gets its start.
        mkdirSync(path.dirname(SCREENSHOTS), { recursive: true });
        writeFileSync(path.join(path.dirname(SCREENSHOTS), 'playback-setup-error.log'), String((error as Error).stack ?? error));
        throw new Error(
          `playback setup failed (full log: test-output/playback-setup-error.log): ${String((error as Error).message).slice(0, 3000)}`,
        );
      }
    });

    async function startAndUpload(): Promise<void> {
      // Prepare: one local:up for every fixture, its JSON document on stdout.
      const started = Date.now();
      localUp = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/local.ts', 'up'], {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      localUp.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await new Promise<void>((resolve, reject) => {
        let stdout = '';
        localUp!.stdout!.on('data', (d: Buffer) => {
          stdout += d.toString();
          try {
            JSON.parse(stdout);
            resolve();
          } catch {
            // not complete yet
          }
        });
        localUp!.once('exit', (code) => reject(new Error(`local:up exited with ${code}:\n${log.slice(-20_000)}`)));
      });
      timings.localUpMs = Date.now() - started;

      // Act: every fixture through `npm run upload` (the stand-in transcodes one job at a time).
      for (const fixture of FIXTURE_TABLE) {
        const begun = Date.now();
        const result = await run('npm', ['run', '-s', 'upload', '--', path.join(FIXTURES, fixture.file), '--env', 'local', '--json']);
        timings[fixture.file] = Date.now() - begun;
        const last = result.stdout.trim().split('\n').pop() ?? '';
        if (result.code !== 0) throw new Error(`upload of ${fixture.file} exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
        outcomes.set(fixture.file, JSON.parse(last) as Outcome);
      }
      browser = await chromium.launch({
        executablePath: chromiumPath(),
        args: ['--autoplay-policy=no-user-gesture-required', '--no-sandbox'],
      });
      mkdirSync(SCREENSHOTS, { recursive: true });
    }

    afterAll(async () => {
      await browser?.close();
      if (localUp?.pid !== undefined && localUp.exitCode === null) {
        const exited = new Promise((resolve) => localUp!.once('exit', resolve));
        process.kill(-localUp.pid, 'SIGTERM');
        await exited;
      }
      process.stderr.write(`playback e2e timings (ms): ${JSON.stringify(timings)}\n`);
    });

    describe.each(FIXTURE_TABLE)('$file', (fixture) => {
      let page: Page;
      const outcome = (): Outcome => outcomes.get(fixture.file)!;

      beforeAll(async () => {
        page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
      });
      afterAll(async () => {
        await page?.close();
      });

      it('npm run upload ends COMPLETE and prints HLS, MP4, poster and player URLs on the local distribution', () => {
        expect(outcome()).toMatchObject({ status: 'COMPLETE', assetId: expect.any(String), jobId: expect.any(String) });
        for (const url of [outcome().playback.hls, outcome().playback.mp4, outcome().poster, outcome().player])
          expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      });

      it('plays in the player page: starts, advances 3 s with no fatal hls.js error, at the top rendition size, every variant, and from the middle', async () => {
        // Act: open the page and play.
        const started = Date.now();
        await page.goto(outcome().player!);
        await page.waitForFunction(() => (window as unknown as { vodPlayer: { levels: unknown[] } }).vodPlayer.levels.length > 0, null, {
          timeout: 60_000,
        });
        const levels = await page.evaluate(
          () => (window as unknown as { vodPlayer: { levels: { width: number; height: number }[] } }).vodPlayer.levels,
        );
        const top = levels.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
        const topIndex = levels.indexOf(levels.find((l) => l.width === top.width && l.height === top.height)!);
        await page.evaluate((index) => {
          const player = (window as unknown as { vodPlayer: { hls: { currentLevel: number } } }).vodPlayer;
          player.hls.currentLevel = index;
          void document.querySelector('video')!.play();
        }, topIndex);
        await page.waitForFunction(() => document.querySelector('video')!.currentTime >= 3, null, { timeout: 60_000 });
        const size = await page.evaluate(() => [document.querySelector('video')!.videoWidth, document.querySelector('video')!.videoHeight]);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${fixture.file}.png`) });

        // Assess: playing, no fatal error, the top rendition's size and orientation.
        expect(size).toEqual([top.width, top.height]);
        expect(top.height > top.width).toBe(fixture.portrait);

        // Every variant loads and plays when forced.
        for (const [index, level] of levels.entries()) {
          await page.evaluate((i) => {
            const video = document.querySelector('video')!;
            (window as unknown as { vodPlayer: { hls: { currentLevel: number } } }).vodPlayer.hls.currentLevel = i;
            video.currentTime = 0;
            void video.play();
          }, index);
          await page.waitForFunction(
            ([w, h]) => {
              const video = document.querySelector('video')!;
              return video.videoWidth === w && video.videoHeight === h && video.currentTime > 0.5;
            },
            [level.width, level.height],
            { timeout: 60_000 },
          );
        }

        // Seeking to the middle plays on from there.
        const middle = await page.evaluate(async () => {
          const video = document.querySelector('video')!;
          const target = video.duration / 2;
          video.currentTime = target;
          await new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
          void video.play();
          return target;
        });
        await page.waitForFunction((from) => document.querySelector('video')!.currentTime >= from + 0.5, middle, { timeout: 60_000 });
        const state = await page.evaluate(() => {
          const player = (window as unknown as { vodPlayer: { fatal: string | null; errors: { fatal: boolean }[]; poster?: string } })
            .vodPlayer;
          return { fatal: player.fatal, fatalErrors: player.errors.filter((e) => e.fatal).length, poster: player.poster };
        });
        expect(state).toEqual({ fatal: null, fatalErrors: 0, poster: expect.stringMatching(/_thumb\.\d{7}\.jpg$/) });
        timings[`${fixture.file} in the browser`] = Date.now() - started;
      });

      it('shows scrubbing previews: the storyboard track loads its cues, every tile they point at exists and holds its cells, and hovering the seek bar shows one', async () => {
        // Prepare: the page of the test above; its storyboard track loaded.
        type Player = { storyboard: { url: string; cues: number; error?: true } | null; preview: Record<string, unknown> | null };
        await page.waitForFunction(() => (window as unknown as { vodPlayer: Player }).vodPlayer.storyboard !== null, null, {
          timeout: 60_000,
        });
        const loaded = await page.evaluate(() => {
          const video = document.querySelector('video')!;
          const track = Array.from(video.textTracks).find((t) => t.label === 'storyboard');
          return {
            storyboard: (window as unknown as { vodPlayer: Player }).vodPlayer.storyboard!,
            duration: video.duration,
            cues: Array.from(track?.cues ?? []).map((c) => ({ start: c.startTime, end: c.endTime, text: (c as VTTCue).text })),
          };
        });
        const regions = loaded.cues.map((cue) => {
          const [, tile, x, y, w, h] = /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(cue.text.trim()) ?? [];
          return {
            tile: new URL(tile ?? 'missing', loaded.storyboard.url).toString(),
            x: Number(x),
            y: Number(y),
            w: Number(w),
            h: Number(h),
          };
        });

        // Assess: cues from 0 to the end of the video, contiguous, each a cell of an existing tile image.
        expect(loaded.storyboard.error).toBeUndefined();
        expect(loaded.cues.length).toBeGreaterThan(0);
        expect(loaded.cues[0]!.start).toBe(0);
        loaded.cues.slice(1).forEach((cue, i) => expect(cue.start).toBeCloseTo(loaded.cues[i]!.end, 3));
        expect(Math.abs(loaded.cues.at(-1)!.end - loaded.duration)).toBeLessThan(0.5);
        expect(regions[0]!.h > regions[0]!.w).toBe(fixture.portrait);
        for (const tile of new Set(regions.map((r) => r.tile))) {
          const image = ffprobe(await fetchBytes(tile), 'tile.jpg').streams![0]!;
          expect(image.codec_name).toBe('mjpeg');
          for (const region of regions.filter((r) => r.tile === tile)) {
            expect(region.x + region.w).toBeLessThanOrEqual(image.width!);
            expect(region.y + region.h).toBeLessThanOrEqual(image.height!);
          }
        }

        // Act: hover the middle of the seek bar.
        const bar = (await page.locator('#scrubber').boundingBox())!;
        await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
        await page.waitForFunction(() => (window as unknown as { vodPlayer: Player }).vodPlayer.preview?.loaded === true, null, {
          timeout: 30_000,
        });

        // Assess: the preview shows the cue's cell of its tile, loaded from the same origin.
        const shown = await page.evaluate(() => {
          const preview = document.getElementById('preview')!;
          return {
            hidden: preview.hidden,
            background: getComputedStyle(preview).backgroundImage,
            preview: (window as unknown as { vodPlayer: Player }).vodPlayer.preview as { image: string; x: number; y: number },
          };
        });
        expect(shown.hidden).toBe(false);
        expect(shown.background).toContain(shown.preview.image);
        expect(regions).toContainEqual(expect.objectContaining({ tile: shown.preview.image, x: shown.preview.x, y: shown.preview.y }));
        await page.screenshot({ path: path.join(SCREENSHOTS, `${fixture.file}-scrubbing.png`) });
      });

      it('every playlist parses with m3u8-parser, and every output matches its playlist under ffprobe (codec, profile, size, frame rate, key frames, segment durations)', async () => {
        // Prepare
        const masterUrl = outcome().playback.hls!;
        const master = parsePlaylist(await fetchText(masterUrl)) as unknown as {
          playlists: { uri: string; attributes: Record<string, unknown> }[];
          iFramePlaylists?: { uri: string }[];
        };
        // Assess: the master lists every variant with its attributes.
        expect(master.playlists.length).toBeGreaterThan(0);
        for (const variant of master.playlists) {
          // m3u8-parser keeps some numbers as strings: compare numbers.
          const attributes = variant.attributes as { CODECS: string; RESOLUTION: { width: number; height: number } } & Record<
            string,
            unknown
          >;
          expect(Number(attributes.BANDWIDTH)).toBeGreaterThanOrEqual(Number(attributes['AVERAGE-BANDWIDTH']));
          expect(Number(attributes['AVERAGE-BANDWIDTH'])).toBeGreaterThan(0);
          expect(attributes.CODECS).toMatch(fixture.audio ? /^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/ : /^avc1\.64[0-9a-f]{4}$/);
          // Apple's table: variants of 540 lines or fewer run at 30 fps at most; above, the source's rate.
          const variantFps = Math.min(fixture.fps, Math.min(attributes.RESOLUTION.width, attributes.RESOLUTION.height) <= 540 ? 30 : 60);
          expect(Number(attributes['FRAME-RATE'])).toBeCloseTo(variantFps, 1);
          const variantUrl = new URL(variant.uri, masterUrl).toString();
          const playlist = parsePlaylist(await fetchText(variantUrl)) as unknown as {
            targetDuration: number;
            endList: boolean;
            segments: { uri: string; duration: number }[];
          };
          expect(playlist.endList).toBe(true);
          for (const segment of playlist.segments) expect(segment.duration).toBeLessThanOrEqual(playlist.targetDuration);
          const bytes = await fetchBytes(new URL(playlist.segments[0]!.uri, variantUrl).toString());
          const video = ffprobe(bytes, 'segment.ts').streams!.find((s) => s.codec_type === 'video')!;
          expect([video.codec_name, video.profile, video.width, video.height]).toEqual([
            'h264',
            'High',
            attributes.RESOLUTION.width,
            attributes.RESOLUTION.height,
          ]);
          expect(video.level).toBeLessThanOrEqual(fixture.fps > 30 ? 42 : 41);
          expect(rate(video.r_frame_rate)).toBeCloseTo(variantFps, 1);
          // Key frames at most every 2 s (the ladder's GOP), so every segment starts on one.
          const frames = ffprobe(bytes, 'segment.ts', [
            '-select_streams',
            'v',
            '-show_frames',
            '-show_entries',
            'frame=key_frame,best_effort_timestamp_time',
          ]).frames!;
          const keyTimes = frames.filter((f) => f.key_frame === 1).map((f) => Number(f.best_effort_timestamp_time));
          expect(frames[0]!.key_frame).toBe(1);
          for (let i = 1; i < keyTimes.length; i += 1) expect(keyTimes[i]! - keyTimes[i - 1]!).toBeLessThanOrEqual(2.01);
        }
        // An I-frame playlist per variant (the job asks for them), byte ranges over the same segments.
        expect(master.iFramePlaylists?.length).toBe(master.playlists.length);
        for (const iframe of master.iFramePlaylists ?? []) {
          const playlist = parsePlaylist(await fetchText(new URL(iframe.uri, masterUrl).toString())) as unknown as {
            segments: { byterange?: unknown }[];
          };
          expect(playlist.segments.length).toBeGreaterThan(0);
          expect(playlist.segments.every((s) => s.byterange !== undefined)).toBe(true);
        }
        // The MP4 downloads progressively (moov first) and is H.264 High.
        const mp4 = await fetchBytes(outcome().playback.mp4!);
        expect(mp4.indexOf('moov')).toBeLessThan(mp4.indexOf('mdat'));
        expect(ffprobe(mp4, 'out.mp4').streams!.find((s) => s.codec_type === 'video')).toMatchObject({
          codec_name: 'h264',
          profile: 'High',
        });
      });
    });
  },
);
