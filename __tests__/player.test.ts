import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Player, escapeTerraformTemplate } from '../stacks/constructs/player';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { PLAYER_CSP } from '../stacks/lib/player-bundle';
import { playerUrl } from '../stacks/lib/player-paths';
import { parsePipelineConfig } from '../stacks/config';
import { Template } from '../testing';

// The bundle is built once: esbuild takes about a second for hls.js.
const template = Template.synth(
  (scope) => new Player(scope, 'Player', { bucket: new SecureBucket(scope, 'Output', { bucketName: 'output' }) }),
);
const files = Object.values(template.resources('aws_s3_object')) as { key: string; content: string; content_type: string }[];
const file = (key: string) => files.find((f) => f.key === key)!;

describe('Player', () => {
  it('publishes the page, its script and its stylesheet under player/ in the served bucket', () => {
    expect(files.map((f) => [f.key, f.content_type]).sort()).toEqual([
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

  it('escapes the bundle for Terraform, which reads ${ and %{ in strings as templates', () => {
    // Assess
    expect(escapeTerraformTemplate('a ${b} %{c} $d')).toBe('a $${b} %%{c} $d');
    expect(file('player/player.js').content).not.toMatch(/(^|[^$])\$\{/);
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
