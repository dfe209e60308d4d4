import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { WorkflowRule, checkWorkflowPolicy } from '../scripts/lib/workflow-policy';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const WORKFLOW_DIR = path.join(PROJECT_ROOT, '.github', 'workflows');
const FILES = readdirSync(WORKFLOW_DIR).filter((f) => f.endsWith('.yml'));
const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

/** A one-job workflow around the given steps (YAML lines, indented for `steps:`). */
const sample = (steps: string, options: { on?: string; permissions?: string } = {}) =>
  `on: ${options.on ?? 'push'}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n${options.permissions ?? '      contents: read'}\n    steps:\n${steps}`;

const BAD: ReadonlyArray<readonly [WorkflowRule, string, string]> = [
  [
    'artifact-provenance',
    'a download of another run’s artifact by run id',
    sample(
      `      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0\n        with:\n          name: reviewed\n          run-id: \${{ inputs.run-id }}\n          github-token: \${{ github.token }}\n`,
    ),
  ],
  [
    'artifact-provenance',
    'the newest artifact of that name anywhere in the repository (the old deploy.yml)',
    sample(
      `      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1\n        with:\n          script: |\n            await github.rest.actions.listArtifactsForRepo({ owner, repo, name });\n`,
    ),
  ],
  ['artifact-provenance', 'gh run download', sample(`      - run: gh run download 123 -n reviewed\n`)],
  [
    'install-scripts',
    'npm ci in a job that can mint an OIDC token',
    sample(`      - run: npm ci --no-audit\n`, { permissions: '      contents: read\n      id-token: write' }),
  ],
  ['pull-request-target', 'the pull_request_target trigger', sample(`      - uses: ${CHECKOUT}\n`, { on: '[pull_request_target]' })],
  ['expression-in-run', 'an expression pasted into a script', sample(`      - run: echo "\${{ github.event.pull_request.title }}"\n`)],
  ['unpinned-action', 'an action pinned to a tag', sample(`      - uses: actions/checkout@v4\n`)],
  ['unpinned-action', 'a docker action without a digest', sample(`      - uses: docker://alpine:3\n`)],
];

describe('workflow security rules', () => {
  it.each(BAD)('%s fails on %s', (rule, _what, text) => {
    // Act
    const findings = checkWorkflowPolicy(text);

    // Assess
    expect(findings.map((f) => f.rule)).toEqual([rule]);
  });

  it.each([
    ['npm ci --ignore-scripts in a job with id-token: write', '      - run: npm ci --ignore-scripts --no-audit\n', '      id-token: write'],
    ['npm ci in a job without id-token', '      - run: npm ci --no-audit\n', '      contents: read'],
    [
      'a download of this run’s own artifact',
      '      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0\n        with:\n          name: synth\n',
      '      contents: read',
    ],
    [
      'an expression passed through env',
      '      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo "$TITLE"\n',
      '      contents: read',
    ],
  ])('accepts %s', (_what, steps, permissions) => {
    expect(checkWorkflowPolicy(sample(steps, { permissions }))).toEqual([]);
  });

  it.each(FILES)('%s keeps every rule', (file) => {
    expect(checkWorkflowPolicy(readFileSync(path.join(WORKFLOW_DIR, file), 'utf8'))).toEqual([]);
  });
});
