import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SWEEP_METRICS } from '../contracts/functions/job-sweep';
import { buildAnalysisNotification } from '../lambda-src/analysis/analysis-record';
import { buildNotification } from '../lambda-src/delivery/notification';
import type { JobStateChange } from '../lambda-src/jobs/job-event';
import { renderConfigurationPage, renderMetricsTable, METRICS_TABLE_MARKERS } from '../scripts/lib/docs-pages';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const DOCS = readdirSync(path.join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const PAGES = ['README.md', 'CONTRIBUTING.md', ...DOCS];

/** The page without fenced code blocks (whose `#` lines are comments and whose brackets are code) and HTML comments. */
const prose = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/<!--[\s\S]*?-->/g, '');

const headingsOf = (markdown: string) => [...prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => m[1]!);

/** GitHub's anchor for a heading: markup dropped, lower case, punctuation and symbols removed, spaces as hyphens. */
function slugOf(heading: string): string {
  const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Relative link targets of a page (no scheme, no mail), outside code. */
function relativeLinksOf(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The first cells of the table that follows `marker` in `markdown`, unquoted. */
function tableKeysAfter(markdown: string, marker: string): string[] {
  const start = markdown.indexOf(marker);
  expect(start).toBeGreaterThan(-1);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(first + 2);
  const end = rows.findIndex((line) => !line.startsWith('|'));
  return rows.slice(0, end === -1 ? undefined : end).map((row) => /^\|\s*`([^`]+)`/.exec(row)?.[1] ?? row);
}

describe('the README', () => {
  it('is at most 10 KB', () => {
    expect(Buffer.byteLength(read('README.md'), 'utf8')).toBeLessThanOrEqual(10 * 1024);
  });

  it.each(DOCS)('links %s', (page) => {
    expect(relativeLinksOf(read('README.md')).map((target) => target.split('#')[0])).toContain(page);
  });

  it('links CONTRIBUTING.md', () => {
    expect(relativeLinksOf(read('README.md')).map((target) => target.split('#')[0])).toContain('CONTRIBUTING.md');
  });
});

describe.each(PAGES)('%s', (page) => {
  const markdown = read(page);

  it('has no two headings with the same text or anchor', () => {
    const headings = headingsOf(markdown);
    expect(headings.filter((h, i) => headings.indexOf(h) !== i)).toEqual([]);
    const slugs = headings.map(slugOf);
    expect(slugs.filter((s, i) => slugs.indexOf(s) !== i)).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const named = [
      ...prose(markdown).matchAll(/`((?:contracts|lambda-src|stacks|scripts|testing|examples|__tests__|docs)\/[\w./-]+)`/g),
    ].map((m) => m[1]!);
    expect(named.filter((file) => !existsSync(path.join(ROOT, file)))).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    const broken = relativeLinksOf(markdown).filter((target) => {
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), decodeURIComponent(file));
      if (!existsSync(resolved)) return true;
      if (anchor === undefined || !resolved.endsWith('.md')) return false;
      return !headingsOf(readFileSync(resolved, 'utf8')).map(slugOf).includes(anchor);
    });
    expect(broken).toEqual([]);
  });
});

describe('the generated pages', () => {
  it('docs/configuration.md is what `npm run docs:config` makes of the schema', () => {
    expect(read('docs/configuration.md')).toBe(renderConfigurationPage());
  });

  it('docs/configuration.md describes every field, defaults included', () => {
    // Prepare
    const page = read('docs/configuration.md');

    // Assess
    expect(page).toContain('| `transcoding.ladder.rungs[].qvbrQualityLevel` | integer | (required) | ≥ 1, ≤ 10 |');
    expect(page).toContain('| `monitoring.overdueJobMinutes` | integer | `240` |');
    expect(page).toContain('delivery.priceClass: Invalid option');
  });

  it("docs/operating.md's metrics table is what `npm run docs:metrics` makes of the catalog", () => {
    const page = read('docs/operating.md');
    const start = page.indexOf(METRICS_TABLE_MARKERS.start) + METRICS_TABLE_MARKERS.start.length;
    expect(page.slice(start, page.indexOf(METRICS_TABLE_MARKERS.end, start)).trim()).toBe(renderMetricsTable());
  });

  it.each(Object.values(SWEEP_METRICS))("docs/operating.md names the sweep's metric %s", (metric) => {
    expect(read('docs/operating.md')).toContain(`\`${metric}\``);
  });
});

describe('docs/using-the-package.md', () => {
  const sources = [
    ...readdirSync(path.join(ROOT, 'stacks', 'constructs')).map((f) => `stacks/constructs/${f}`),
    'stacks/video-pipeline-stack.ts',
    'stacks/state-backend-stack.ts',
  ];
  const constructs = sources.flatMap((file) =>
    [...read(file).matchAll(/^export interface (\w+)Props \{\n([\s\S]*?)^\}/gm)].map((m) => ({
      name: m[1]!,
      props: [...m[2]!.matchAll(/^ {2}readonly (\w+)\??:/gm)].map((p) => p[1]!),
    })),
  );
  const page = read('docs/using-the-package.md');

  it('finds the constructs', () => {
    expect(constructs.map((c) => c.name)).toEqual(expect.arrayContaining(['SecureBucket', 'Ingest', 'VideoPipelineStack']));
  });

  it.each(constructs.map((c) => [c.name, c.props] as const))('names %s and every one of its props in its row', (name, props) => {
    const row = page.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    expect(props.filter((prop) => !row!.includes(`\`${prop}\``))).toEqual([]);
  });
});

describe('docs/how-it-works.md', () => {
  const page = read('docs/how-it-works.md');

  it('lists every field of the job notification the job-events function builds', () => {
    // Prepare
    const change: JobStateChange = {
      jobId: '1536964333549-opn151',
      status: 'ERROR',
      timestamp: 1536964380391,
      queue: 'arn:aws:mediaconvert:us-west-2:111122223333:queues/Default',
      assetId: 'my-trip-3f2a9c0d1e4b',
      pipeline: 'vod-dev',
      outputGroupDetails: [],
      outputGroupDetailsMissing: false,
      warnings: [],
    };

    // Act
    const notification = buildNotification(change, undefined, { region: 'us-west-2', pipeline: 'vod-dev' });

    // Assess
    expect(tableKeysAfter(page, 'The fields, each always present (null when not applicable)').sort()).toEqual(
      Object.keys(notification).sort(),
    );
  });

  it('lists every field of the analysis notification the content-analysis function builds', () => {
    // Act
    const notification = buildAnalysisNotification({
      pipeline: 'vod-dev',
      assetId: 'my-trip-3f2a9c0d1e4b',
      outputBucket: 'vod-dev-output',
      now: new Date(0),
      analysis: { status: 'SUCCEEDED', jobId: '1536964333549-opn151', labelsKey: 'a/analysis/labels.json', labelCount: 1, updatedAt: '' },
    });

    // Assess
    expect(tableKeysAfter(page, 'The fields, each always present;').sort()).toEqual(Object.keys(notification).sort());
  });
});
