import { execFile } from 'node:child_process';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ChangeSet, changeSetOf } from '../scripts/lib/change-set';
import type { PlanJson } from '../scripts/lib/plan-json';
import {
  Artifact,
  ProvenanceError,
  WorkflowRun,
  fetchReviewedChangeSets,
  gitHubClient,
  runProvenanceProblems,
} from '../scripts/lib/provenance';
import { createDeterministicZip } from '../stacks/lib/zip';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const run = promisify(execFile);
const REPO = 'acme/vod';
const REPO_ID = 111;
const FORK_ID = 999;
const MERGE_SHA = 'a'.repeat(40);
const HEAD_SHA = 'b'.repeat(40);
const TOKEN = 'ghs_test_token';
const reviewedPlan = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'plans', 'ladder.plan.json'), 'utf8'),
) as PlanJson;

const genuineRun: WorkflowRun = {
  id: 500,
  path: '.github/workflows/plan.yml',
  event: 'pull_request',
  head_sha: HEAD_SHA,
  head_repository: { id: REPO_ID, full_name: REPO },
  status: 'completed',
  conclusion: 'success',
};
/** Runs an attacker can make exist, each newer than the genuine one, each with a planted artifact. */
const FORGED: ReadonlyArray<readonly [string, WorkflowRun]> = [
  ['a PR that edited ci.yml to upload the artifact', { ...genuineRun, id: 601, path: '.github/workflows/ci.yml' }],
  ["a fork's pull_request run", { ...genuineRun, id: 602, head_repository: { id: FORK_ID, full_name: 'mallory/vod' } }],
  ['a run of another event', { ...genuineRun, id: 603, event: 'workflow_dispatch' }],
  ['a run of another commit', { ...genuineRun, id: 604, head_sha: 'c'.repeat(40) }],
  ['a failed plan run', { ...genuineRun, id: 605, conclusion: 'failure' }],
];

function artifactOf(runOf: WorkflowRun, id: number, stack: string): Artifact {
  return {
    id,
    name: `reviewed-changes-${stack}`,
    expired: false,
    workflow_run: { id: runOf.id, head_sha: runOf.head_sha, head_repository_id: runOf.head_repository?.id ?? 0 },
  };
}

/** A stand-in for the GitHub REST API over real HTTP: PRs, runs, artifacts, and zip downloads behind a redirect. */
interface FakeGitHub {
  readonly url: string;
  /** Artifact ids whose zip was downloaded, and the headers of each blob request. */
  readonly downloads: { id: number; headers: IncomingHttpHeaders }[];
  runs: WorkflowRun[];
  artifacts: Map<number, Artifact[]>;
  zips: Map<number, Buffer>;
  close(): Promise<void>;
}

async function startFakeGitHub(): Promise<FakeGitHub> {
  const fake: Omit<FakeGitHub, 'url' | 'close'> = { downloads: [], runs: [], artifacts: new Map(), zips: new Map() };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://github');
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const blob = /^\/blob\/(\d+)$/.exec(url.pathname);
    if (blob) {
      fake.downloads.push({ id: Number(blob[1]), headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/zip' }).end(fake.zips.get(Number(blob[1])));
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"message":"Bad credentials"}');
    if (url.pathname === `/repos/${REPO}/commits/${MERGE_SHA}/pulls`) {
      return json([{ number: 7, merged_at: '2026-12-01T10:00:00Z', merge_commit_sha: MERGE_SHA, head: { sha: HEAD_SHA } }]);
    }
    if (url.pathname === `/repos/${REPO}/actions/runs`) {
      return json({ workflow_runs: fake.runs.filter((r) => r.head_sha === url.searchParams.get('head_sha') || r.id === 604) });
    }
    const list = new RegExp(`^/repos/${REPO}/actions/runs/(\\d+)/artifacts$`).exec(url.pathname);
    if (list) {
      const name = url.searchParams.get('name');
      return json({ artifacts: (fake.artifacts.get(Number(list[1])) ?? []).filter((a) => name === null || a.name === name) });
    }
    const zip = new RegExp(`^/repos/${REPO}/actions/artifacts/(\\d+)/zip$`).exec(url.pathname);
    if (zip) return void res.writeHead(302, { location: `/blob/${zip[1]}` }).end();
    res.writeHead(404).end('{"message":"Not Found"}');
    return undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The same object the server reads, so a test can change the runs and artifacts it serves.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const zipOf = (changeSet: ChangeSet) =>
  createDeterministicZip([{ name: `${changeSet.stack}.changes.json`, data: Buffer.from(JSON.stringify(changeSet)) }]);

describe('fetching the reviewed change set (provenance)', () => {
  let github: FakeGitHub;
  const genuine = changeSetOf('vod-dev', reviewedPlan);
  const planted: ChangeSet = { ...genuine, changes: [] };

  beforeEach(async () => {
    github = await startFakeGitHub();
    github.runs.push(genuineRun, ...FORGED.map(([, r]) => r));
    github.artifacts.set(genuineRun.id, [artifactOf(genuineRun, 9001, 'vod-dev')]);
    github.zips.set(9001, zipOf(genuine));
    for (const [i, [, forged]] of FORGED.entries()) {
      github.artifacts.set(forged.id, [artifactOf(forged, 9100 + i, 'vod-dev')]);
      github.zips.set(9100 + i, zipOf(planted));
    }
  });
  afterEach(() => github.close());

  const fetchReviewed = () =>
    fetchReviewedChangeSets({
      client: gitHubClient(github.url, TOKEN),
      repository: REPO,
      repositoryId: REPO_ID,
      mergeSha: MERGE_SHA,
      stacks: ['vod-dev'],
    });

  it('downloads only the artifact of the verified plan run, by id, and never sends the token to the storage host', async () => {
    // Act
    const found = await fetchReviewed();

    // Assess
    expect(found).toEqual(expect.objectContaining({ pullRequest: 7, headSha: HEAD_SHA, runId: 500, artifactIds: { 'vod-dev': 9001 } }));
    expect(found.changeSets).toEqual([genuine]);
    expect(github.downloads.map((d) => d.id)).toEqual([9001]);
    expect(github.downloads[0]!.headers.authorization).toBeUndefined();
  });

  it('with only forged runs, stops naming each rejected run and why, and downloads nothing', async () => {
    // Prepare
    github.runs = FORGED.map(([, r]) => r);

    // Act
    const fetching = fetchReviewed();

    // Assess
    await expect(fetching).rejects.toThrow(ProvenanceError);
    await expect(fetching).rejects.toThrow(
      new RegExp(
        [
          'run 605: conclusion failure is not success',
          'run 604: head commit c+ is not the merged PR',
          'run 603: event workflow_dispatch is not pull_request',
          'run 602: head repository mallory/vod is not this repository',
          'run 601: workflow .github/workflows/ci.yml is not .github/workflows/plan.yml',
          'Re-run the plan workflow on the pull request',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(github.downloads).toEqual([]);
  });

  it('refuses an artifact listed under the verified run that another run made', async () => {
    // Prepare
    github.artifacts.set(genuineRun.id, [artifactOf(FORGED[0]![1], 9100, 'vod-dev')]);

    // Act / Assess
    await expect(fetchReviewed()).rejects.toThrow(/Plan run 500 of PR #7 has no valid artifact reviewed-changes-vod-dev/);
    expect(github.downloads).toEqual([]);
  });

  it.each<[string, Partial<WorkflowRun>, RegExp]>([
    ['the API’s long path form', { path: `${REPO}/.github/workflows/plan.yml@refs/pull/7/merge` }, /^$/],
    ['another repository’s plan.yml', { path: 'mallory/vod/.github/workflows/plan.yml@main' }, /is not \.github\/workflows\/plan\.yml/],
    ['no head repository', { head_repository: null }, /head repository \(none\)/],
  ])('run provenance: %s', (_what, change, expected) => {
    const problems = runProvenanceProblems({ ...genuineRun, ...change }, { repository: REPO, repositoryId: REPO_ID, headSha: HEAD_SHA });

    expect(problems.join('; ')).toMatch(expected);
  });

  it('npm run reviewed:fetch writes the verified change set, and exits 1 on forged runs only', async () => {
    // Prepare
    const out = mkdtempSync(path.join(os.tmpdir(), 'vod-reviewed-'));
    const cli = () =>
      run(
        process.execPath,
        [
          path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
          path.join(PROJECT_ROOT, 'scripts', 'reviewed-fetch.ts'),
          '--out',
          out,
          'vod-dev',
        ],
        {
          env: {
            ...process.env,
            GITHUB_API_URL: github.url,
            GITHUB_TOKEN: TOKEN,
            GITHUB_REPOSITORY: REPO,
            GITHUB_REPOSITORY_ID: String(REPO_ID),
            GITHUB_SHA: MERGE_SHA,
          },
        },
      );
    try {
      // Act
      const { stdout } = await cli();
      github.runs = FORGED.map(([, r]) => r);
      const forged = cli();

      // Assess
      expect(stdout).toContain('Reviewed plan of PR #7');
      expect(JSON.parse(readFileSync(path.join(out, 'vod-dev.changes.json'), 'utf8'))).toEqual(genuine);
      expect(JSON.parse(readFileSync(path.join(out, 'provenance.json'), 'utf8'))).toEqual(expect.objectContaining({ runId: 500 }));
      await expect(forged).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('No successful .github/workflows/plan.yml') });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
