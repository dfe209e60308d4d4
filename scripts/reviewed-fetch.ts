/**
 * `npm run reviewed:fetch -- --out <dir> <stack>...`: on main, finds the pull request this commit
 * merged and downloads each stack's reviewed change set from that PR's plan run, only after the
 * run's provenance is verified (scripts/lib/provenance.ts). Writes `<dir>/<stack>.changes.json`
 * and `<dir>/provenance.json`. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_REPOSITORY_ID,
 * GITHUB_SHA and GITHUB_API_URL, which GitHub Actions sets.
 *
 * Exit codes: 0 found and verified; 1 no verified reviewed plan (the message says why and what to do); 2 an error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ProvenanceError, changeSetFileName, fetchReviewedChangeSets, gitHubClient } from './lib/provenance';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: run this in GitHub Actions, or set it yourself.`);
  return value;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string', default: 'reviewed' } } });
  if (positionals.length === 0) throw new Error('usage: npm run reviewed:fetch -- --out <dir> <stack>... (e.g. vod-dev vod-prod)');
  const repositoryId = Number(required('GITHUB_REPOSITORY_ID'));
  if (!Number.isInteger(repositoryId)) throw new Error('GITHUB_REPOSITORY_ID must be the numeric repository id.');
  const found = await fetchReviewedChangeSets({
    client: gitHubClient(process.env.GITHUB_API_URL ?? 'https://api.github.com', required('GITHUB_TOKEN')),
    repository: required('GITHUB_REPOSITORY'),
    repositoryId,
    mergeSha: required('GITHUB_SHA'),
    stacks: positionals,
  });
  mkdirSync(values.out, { recursive: true });
  for (const changeSet of found.changeSets) {
    writeFileSync(path.join(values.out, changeSetFileName(changeSet.stack)), `${JSON.stringify(changeSet, null, 1)}\n`);
  }
  const provenance = { pullRequest: found.pullRequest, headSha: found.headSha, runId: found.runId, artifactIds: found.artifactIds };
  writeFileSync(path.join(values.out, 'provenance.json'), `${JSON.stringify(provenance, null, 1)}\n`);
  process.stdout.write(
    `Reviewed plan of PR #${found.pullRequest} (head ${found.headSha}), run ${found.runId}: ${found.changeSets
      .map((c) => `${c.stack} ${c.changes.length} changes`)
      .join(', ')}.\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ProvenanceError ? 1 : 2);
  },
);
