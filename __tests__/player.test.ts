import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Player } from '../stacks/constructs/player';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { PLAYER_CSP, writePlayerFiles } from '../stacks/lib/player-bundle';
import { playerUrl } from '../stacks/lib/player-paths';
import { parsePipelineConfig } from '../stacks/config';
import { Template } from '../testing';

// The bundle is built once: esbuild takes about a second for hls.js.
const template = Template.synth(
  (scope) => new Player(scope, 'Player', { bucket: new SecureBucket(scope, 'Output', { bucketName: 'output' }) }),
);
const objects = Object.values(template.resources('aws_s3_object')) as {
  key: string;
  source: string;
  source_hash: string;
  content_type: string;
}[];
/** The page's file published under `key`, and the bytes it uploads. */
const file = (key: string) => writePlayerFiles().find((f) => `player/${f.name}` === key)!;

describe('Player', () => {
  it('publishes the page, its script and its stylesheet under player/ in the served bucket', () => {
    expect(objects.map((f) => [f.key, f.content_type]).sort()).toEqual([
      ['player/index.html', 'text/html; charset=utf-8'],
      ['player/player.css', 'text/css; charset=utf-8'],
      ['player/player.js', 'text/javascript; charset=utf-8'],
    ]);
  });

  it('bundles the hls.js version package.json pins into the script, at synth', () => {
    // Prepare
    const pinned = (
      JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    ).dependencies['hls.js'];
    // Assess
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(file('player/player.js').content).toContain(`"${pinned}"`);
  });

  it('the page allows only its own origin: no inline script or style, no other hosts, no workers', () => {
    // Assess
    const html = file('player/index.html').content;
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PLAYER_CSP}" />`);
    expect(PLAYER_CSP).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self';/);
    expect(PLAYER_CSP).not.toMatch(/unsafe-|https?:|\*/);
    expect(html).not.toMatch(/<script>|<style>|style="/);
  });

  it('uploads each file from disk with its hash as the update trigger, keeping the 600 KB script out of every plan', () => {
    for (const object of objects) {
      // Assess: an asset path, not the bytes; the trigger is the bytes' SHA-256.
      const { content, sha256 } = file(object.key);
      expect(object).not.toHaveProperty('content');
      expect(object.source).toMatch(new RegExp(`^assets/.+/${object.key.replace('player/', '').replace('.', '\\.')}$`));
      expect(object.source_hash).toBe(sha256);
      expect(
        createHash('sha256')
          .update(readFileSync(file(object.key).path))
          .digest('hex'),
      ).toBe(sha256);
      expect(content.length).toBeGreaterThan(0);
    }
  });

  it('is on by default and off with player.enabled = false', () => {
    // Prepare
    const base = { environment: 'dev', region: 'us-east-1', backend: { type: 'local' } };
    // Act, Assess
    expect(parsePipelineConfig(base, 'test').player.enabled).toBe(true);
    expect(parsePipelineConfig({ ...base, player: { enabled: false } }, 'test').player.enabled).toBe(false);
  });

  it.each([
    ['https://d1.cloudfront.net', 'clip-0123456789ab', 'https://d1.cloudfront.net/player/index.html?asset=clip-0123456789ab'],
    ['http://127.0.0.1:8080/', 'a-b-0123456789ab', 'http://127.0.0.1:8080/player/index.html?asset=a-b-0123456789ab'],
  ])('the player URL on %s for %s is %s', (origin, assetId, expected) => {
    expect(playerUrl(origin, assetId)).toBe(expected);
  });
});
