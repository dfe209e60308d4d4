/**
 * Finds the change set reviewed on the pull request that a commit on main merged, and downloads
 * it only from a run whose provenance checks out: the plan workflow's file, a `pull_request`
 * event, a head repository that is this repository, and the merged PR's head commit. An
 * artifact is downloaded by its id, after its own run, commit and repository are checked too;
 * an artifact of any other run is never downloaded.
 */
import { ChangeSet, ChangeSetSchema } from './change-set';
import { readZip } from './unzip';

/** The workflow file whose pull_request runs produce reviewed change sets. */
export const PLAN_WORKFLOW_PATH = '.github/workflows/plan.yml';

/** Name of the artifact holding one stack's reviewed change set (`<stack>.changes.json` inside). */
export const changeSetArtifactName = (stack: string): string => `reviewed-changes-${stack}`;

/** The file of a stack's change set, in the artifact and in the output directory. */
export const changeSetFileName = (stack: string): string => `${stack}.changes.json`;

/** The fields of a GitHub workflow run that provenance rests on. */
export interface WorkflowRun {
  readonly id: number;
  readonly path: string;
  readonly event: string;
  readonly head_sha: string;
  readonly head_repository?: { readonly id: number; readonly full_name?: string } | null;
  readonly status?: string | null;
  readonly conclusion?: string | null;
}

/** The fields of a GitHub artifact that provenance rests on. */
export interface Artifact {
  readonly id: number;
  readonly name: string;
  readonly expired: boolean;
  readonly workflow_run?: { readonly id?: number; readonly head_sha?: string; readonly head_repository_id?: number } | null;
}

/** What a trustworthy plan run must show. */
export interface ExpectedProvenance {
  /** `owner/name` of this repository. */
  readonly repository: string;
  /** Its numeric id (GITHUB_REPOSITORY_ID): names can be reused, ids cannot. */
  readonly repositoryId: number;
  /** Head commit of the merged pull request. */
  readonly headSha: string;
}

/** No reviewed change set with verified provenance exists for this commit; the message says what to do. */
export class ProvenanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvenanceError';
  }
}

/** `.github/workflows/plan.yml`, also when the API gives `owner/repo/.github/workflows/plan.yml@ref`. */
function workflowFile(path: string, repository: string): string | undefined {
  const withoutRef = path.replace(/@[^@]*$/, '');
  if (withoutRef.startsWith('.github/')) return withoutRef;
  const prefix = `${repository}/`;
  return withoutRef.startsWith(prefix) ? withoutRef.slice(prefix.length) : undefined;
}

/** Why a run cannot be trusted as the reviewed plan; empty when it can. */
export function runProvenanceProblems(run: WorkflowRun, expected: ExpectedProvenance): string[] {
  const problems: string[] = [];
  const file = workflowFile(run.path, expected.repository);
  if (file !== PLAN_WORKFLOW_PATH) problems.push(`workflow ${run.path} is not ${PLAN_WORKFLOW_PATH}`);
  if (run.event !== 'pull_request') problems.push(`event ${run.event} is not pull_request`);
  if (run.head_repository?.id !== expected.repositoryId) {
    problems.push(`head repository ${run.head_repository?.full_name ?? run.head_repository?.id ?? '(none)'} is not this repository`);
  }
  if (run.head_sha !== expected.headSha) problems.push(`head commit ${run.head_sha} is not the merged PR's head ${expected.headSha}`);
  if (run.conclusion !== 'success') problems.push(`conclusion ${run.conclusion ?? run.status ?? '(none)'} is not success`);
  return problems;
}

/** Why an artifact cannot be trusted as `name` of `run`; empty when it can. */
export function artifactProvenanceProblems(artifact: Artifact, run: WorkflowRun, expected: ExpectedProvenance, name: string): string[] {
  const problems: string[] = [];
  if (artifact.name !== name) problems.push(`name ${artifact.name} is not ${name}`);
  if (artifact.expired) problems.push('it expired');
  if (artifact.workflow_run?.id !== run.id) problems.push(`it was made by run ${artifact.workflow_run?.id ?? '(unknown)'}, not ${run.id}`);
  if (artifact.workflow_run?.head_sha !== expected.headSha)
    problems.push(`its commit ${artifact.workflow_run?.head_sha ?? '(unknown)'} differs`);
  if (artifact.workflow_run?.head_repository_id !== expected.repositoryId) problems.push('its head repository is not this repository');
  return problems;
}

/** The GitHub REST calls this module makes. */
export interface GitHubClient {
  getJson(path: string): Promise<unknown>;
  /** Follows one redirect to the storage URL without sending the token there. */
  getBytes(path: string): Promise<Buffer>;
}

/** A GitHub REST client over fetch (`apiUrl`: GITHUB_API_URL, e.g. https://api.github.com). */
export function gitHubClient(apiUrl: string, token: string): GitHubClient {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  const url = (path: string) => `${apiUrl.replace(/\/$/, '')}${path}`;
  const fail = async (response: Response, path: string) =>
    new Error(`GitHub API GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return {
    async getJson(path) {
      const response = await fetch(url(path), { headers });
      if (!response.ok) throw await fail(response, path);
      return response.json();
    },
    async getBytes(path) {
      let response = await fetch(url(path), { headers, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        response = await fetch(new URL(location, url(path)));
      }
      if (!response.ok) throw await fail(response, path);
      return Buffer.from(await response.arrayBuffer());
    },
  };
}

/** What {@link fetchReviewedChangeSets} found, for the log and the step summary. */
export interface ReviewedChangeSets {
  readonly pullRequest: number;
  readonly headSha: string;
  readonly runId: number;
  readonly artifactIds: Readonly<Record<string, number>>;
  readonly changeSets: readonly ChangeSet[];
}

interface PullRequest {
  readonly number: number;
  readonly merged_at: string | null;
  readonly merge_commit_sha: string | null;
  readonly head: { readonly sha: string };
}

/**
 * The reviewed change sets of `stacks` for the merge commit `mergeSha` (GITHUB_SHA on main).
 * @throws ProvenanceError when the commit is no PR merge, no verified plan run exists for the PR's
 * head, or a verified run lacks a stack's artifact; the message names what was rejected and why.
 */
export async function fetchReviewedChangeSets(options: {
  readonly client: GitHubClient;
  readonly repository: string;
  readonly repositoryId: number;
  readonly mergeSha: string;
  readonly stacks: readonly string[];
}): Promise<ReviewedChangeSets> {
  const { client, repository, repositoryId, mergeSha } = options;
  const repo = `/repos/${repository}`;
  const pulls = (await client.getJson(`${repo}/commits/${mergeSha}/pulls`)) as PullRequest[];
  const pr = pulls.find((p) => p.merged_at !== null && p.merge_commit_sha === mergeSha);
  if (pr === undefined) {
    throw new ProvenanceError(
      `Commit ${mergeSha} is not the merge of a pull request, so no plan of it was reviewed. Deploys apply only what a PR's plan showed: open a PR, let its plan run, and merge it.`,
    );
  }
  const expected: ExpectedProvenance = { repository, repositoryId, headSha: pr.head.sha };
  const { workflow_runs: runs } = (await client.getJson(
    `${repo}/actions/runs?event=pull_request&head_sha=${pr.head.sha}&per_page=100`,
  )) as { workflow_runs: WorkflowRun[] };
  const rejected: string[] = [];
  const run = [...runs]
    .sort((a, b) => b.id - a.id)
    .find((candidate) => {
      const problems = runProvenanceProblems(candidate, expected);
      if (problems.length > 0) rejected.push(`  - run ${candidate.id}: ${problems.join('; ')}`);
      return problems.length === 0;
    });
  if (run === undefined) {
    throw new ProvenanceError(
      [
        `No successful ${PLAN_WORKFLOW_PATH} pull_request run of this repository planned PR #${pr.number}'s head ${pr.head.sha}.`,
        ...rejected,
        'Re-run the plan workflow on the pull request (a fork PR: push its branch to this repository and open a PR from it), then re-run this deploy.',
      ].join('\n'),
    );
  }
  const artifactIds: Record<string, number> = {};
  const changeSets: ChangeSet[] = [];
  for (const stack of options.stacks) {
    const name = changeSetArtifactName(stack);
    const { artifacts } = (await client.getJson(`${repo}/actions/runs/${run.id}/artifacts?name=${name}&per_page=100`)) as {
      artifacts: Artifact[];
    };
    const verified = [...artifacts]
      .sort((a, b) => b.id - a.id)
      .find((a) => artifactProvenanceProblems(a, run, expected, name).length === 0);
    if (verified === undefined) {
      throw new ProvenanceError(
        `Plan run ${run.id} of PR #${pr.number} has no valid artifact ${name} (it failed before the upload, or the artifact expired). Re-run the plan workflow on the pull request, then re-run this deploy.`,
      );
    }
    const entry = readZip(await client.getBytes(`${repo}/actions/artifacts/${verified.id}/zip`)).find(
      (e) => e.name === `${stack}.changes.json`,
    );
    if (entry === undefined) throw new ProvenanceError(`Artifact ${verified.id} (${name}) holds no ${stack}.changes.json.`);
    const parsed = ChangeSetSchema.safeParse(JSON.parse(entry.data.toString('utf8')));
    if (!parsed.success || parsed.data.stack !== stack) {
      throw new ProvenanceError(`Artifact ${verified.id} (${name}) is not a change set of ${stack}: re-run the plan workflow on the PR.`);
    }
    artifactIds[stack] = verified.id;
    changeSets.push(parsed.data);
  }
  return { pullRequest: pr.number, headSha: pr.head.sha, runId: run.id, artifactIds, changeSets };
}
