import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ChangeJson,
  KNOWN_AFTER_APPLY,
  PlanAction,
  PlanJson,
  ResourceChangeJson,
  SENSITIVE,
  attributeChanges,
  changeKind,
  protectionViolations,
  renderPlanSummary,
  reviewFlags,
  summarizePlan,
  unreviewedDestruction,
} from '../scripts/lib/plan-summary';

const LADDER_BEFORE = JSON.stringify({ rungs: [{ name: '1080p', maxBitrate: 6_000_000 }], mp4Rung: '1080p' });
const LADDER_AFTER = JSON.stringify({ rungs: [{ name: '1080p', maxBitrate: 5_000_000 }], mp4Rung: '1080p' });

function resource(address: string, actions: PlanAction[], change: Omit<ChangeJson, 'actions'> = {}, actionReason?: string) {
  return {
    address,
    mode: 'managed' as const,
    type: address.split('.')[0]!,
    change: { actions, ...change },
    ...(actionReason ? { action_reason: actionReason } : {}),
  };
}

describe('changeKind', () => {
  it.each<[PlanAction[], string | undefined]>([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['no-op'], undefined],
    [['read'], undefined],
    [['forget'], undefined],
  ])('classifies %j as %s', (actions, kind) => {
    expect(changeKind(actions)).toBe(kind);
  });
});

describe('attributeChanges', () => {
  it.each<[string, ChangeJson, { path: string; before: string; after: string }[]]>([
    [
      'a scalar update',
      { actions: ['update'], before: { timeout: 60 }, after: { timeout: 90 } },
      [{ path: 'timeout', before: '60', after: '90' }],
    ],
    [
      'a value in a one-element block, without [0]',
      {
        actions: ['update'],
        before: { environment: [{ variables: { STAGE: 'a' } }] },
        after: { environment: [{ variables: { STAGE: 'b' } }] },
      },
      [{ path: 'environment.variables.STAGE', before: '"a"', after: '"b"' }],
    ],
    [
      'a change inside a JSON document held in a string',
      {
        actions: ['update'],
        before: { environment: [{ variables: { ENCODING_LADDER: LADDER_BEFORE } }] },
        after: { environment: [{ variables: { ENCODING_LADDER: LADDER_AFTER } }] },
      },
      [{ path: 'environment.variables.ENCODING_LADDER › rungs.maxBitrate', before: '6000000', after: '5000000' }],
    ],
    [
      'an unknown value as known after apply',
      { actions: ['update'], before: { policy: '{"a":1}' }, after: {}, after_unknown: { policy: true } },
      [{ path: 'policy', before: '"{\\"a\\":1}"', after: KNOWN_AFTER_APPLY }],
    ],
    [
      'a sensitive value on both sides, masked',
      {
        actions: ['update'],
        before: { environment: [{ variables: { TOKEN: 'old-secret-1' } }] },
        after: { environment: [{ variables: { TOKEN: 'new-secret-2' } }] },
        before_sensitive: { environment: [{ variables: { TOKEN: true } }] },
        after_sensitive: { environment: [{ variables: { TOKEN: true } }] },
      },
      [{ path: 'environment.variables.TOKEN', before: SENSITIVE, after: SENSITIVE }],
    ],
    [
      'a whole sensitive block, masked without looking inside',
      {
        actions: ['update'],
        before: { secret: { key: 'k1', value: '{"x":"hidden-1"}' } },
        after: { secret: { key: 'k2', value: '{"x":"hidden-2"}' } },
        before_sensitive: { secret: true },
        after_sensitive: { secret: true },
      },
      [{ path: 'secret', before: SENSITIVE, after: SENSITIVE }],
    ],
    [
      'an equal sensitive value as no change',
      {
        actions: ['update'],
        before: { password: 'same', size: 1 },
        after: { password: 'same', size: 2 },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
      },
      [{ path: 'size', before: '1', after: '2' }],
    ],
    [
      'an added and a removed attribute',
      { actions: ['update'], before: { tags: { a: '1' } }, after: { tags: { b: '2' } } },
      [
        { path: 'tags.a', before: '"1"', after: '(none)' },
        { path: 'tags.b', before: '(none)', after: '"2"' },
      ],
    ],
  ])('reports %s', (_name, change, expected) => {
    // Act
    const changes = attributeChanges(change);

    // Assess
    expect(changes.map(({ path, before, after }) => ({ path, before, after }))).toEqual(expected);
  });

  it('marks the paths that force a replacement', () => {
    const [rename] = attributeChanges({
      actions: ['delete', 'create'],
      before: { bucket: 'old-name' },
      after: { bucket: 'new-name' },
      replace_paths: [['bucket']],
    });

    expect(rename).toEqual({ path: 'bucket', before: '"old-name"', after: '"new-name"', forcesReplacement: true });
  });

  it('cuts very long values with an ellipsis', () => {
    const [change] = attributeChanges({ actions: ['update'], before: { code: 'a'.repeat(500) }, after: { code: 'b'.repeat(500) } });

    expect(change!.before.length).toBeLessThanOrEqual(160);
    expect(change!.before.endsWith('…')).toBe(true);
  });
});

describe('reviewFlags', () => {
  const change = (path: string) => [{ path, before: '1', after: '2', forcesReplacement: false }];

  it.each<[string, string, 'create' | 'update' | 'delete' | 'replace', string, string[]]>([
    ['an IAM role policy on create', 'aws_iam_role_policy', 'create', 'policy', ['security:IAM policy']],
    ['a bucket policy on delete', 'aws_s3_bucket_policy', 'delete', 'policy', ['security:bucket policy']],
    ['a public-access block update', 'aws_s3_bucket_public_access_block', 'update', 'block_public_acls', ['security:public access']],
    ['an SSE configuration update', 'aws_s3_bucket_server_side_encryption_configuration', 'update', 'rule', ['security:encryption']],
    ['a role trust policy update', 'aws_iam_role', 'update', 'assume_role_policy', ['security:IAM role trust or policies']],
    ['a role tag update (nothing)', 'aws_iam_role', 'update', 'tags.Owner', []],
    [
      'a ladder change',
      'aws_lambda_function',
      'update',
      'environment.variables.ENCODING_LADDER › rungs.maxBitrate',
      ['cost:encoding ladder'],
    ],
    ['an acceleration change', 'aws_lambda_function', 'update', 'environment.variables.ACCELERATION_MODE', ['cost:acceleration']],
    ['a reserved concurrency change', 'aws_lambda_function', 'update', 'reserved_concurrent_executions', ['cost:reserved concurrency']],
    ['a price class change', 'aws_cloudfront_distribution', 'update', 'price_class', ['cost:price class']],
    ['a lifecycle rule change', 'aws_s3_bucket_lifecycle_configuration', 'update', 'rule.expiration.days', ['cost:lifecycle']],
    ['a new Lambda (path rules need an update)', 'aws_lambda_function', 'create', 'reserved_concurrent_executions', []],
    ['a Lambda timeout change (nothing)', 'aws_lambda_function', 'update', 'timeout', []],
  ])('flags %s', (_name, type, kind, path, expected) => {
    const flags = reviewFlags(type, kind, kind === 'update' || kind === 'replace' ? change(path) : []);

    expect(flags.map((f) => `${f.kind}:${f.label}`)).toEqual(expected);
  });
});

describe('summarizePlan', () => {
  const plan: PlanJson = {
    resource_changes: [
      resource('aws_sqs_queue.new', ['create'], { after: { name: 'q' }, after_unknown: { arn: true } }),
      resource('aws_lambda_function.submit', ['update'], {
        before: { environment: [{ variables: { ENCODING_LADDER: LADDER_BEFORE } }] },
        after: { environment: [{ variables: { ENCODING_LADDER: LADDER_AFTER } }] },
      }),
      resource(
        'aws_s3_bucket.source',
        ['delete', 'create'],
        { before: { bucket: 'old' }, after: { bucket: 'new' }, replace_paths: [['bucket']] },
        'replace_because_cannot_update',
      ),
      resource('aws_s3_bucket_policy.old', ['delete'], { before: { policy: '{}' }, after: null }),
      resource('aws_s3_bucket.unchanged', ['no-op'], { before: { bucket: 'x' }, after: { bucket: 'x' } }),
      { ...resource('data.aws_iam_policy_document.d', ['read']), mode: 'data' as const, type: 'aws_iam_policy_document' },
    ],
    output_changes: {
      source_bucket: { actions: ['update'], before: 'old', after: 'new' },
      distribution_domain: { actions: ['create'], after_unknown: true },
      api_token: { actions: ['update'], before: 'tok-1', after: 'tok-2', before_sensitive: true, after_sensitive: true },
      unchanged: { actions: ['no-op'], before: 'x', after: 'x' },
    },
  };

  it('counts adds, changes, destroys and replacements separately', () => {
    expect(summarizePlan('vod-dev', plan).counts).toEqual({ create: 1, update: 1, delete: 1, replace: 1 });
  });

  it('lists destructive changes first, then updates, then creates', () => {
    const summary = summarizePlan('vod-dev', plan);

    expect(summary.resources.map((r) => `${r.kind} ${r.address}`)).toEqual([
      'replace aws_s3_bucket.source',
      'delete aws_s3_bucket_policy.old',
      'update aws_lambda_function.submit',
      'create aws_sqs_queue.new',
    ]);
  });

  it('shows changed outputs, masking sensitive ones and marking unknown ones', () => {
    expect(summarizePlan('vod-dev', plan).outputs).toEqual([
      { name: 'api_token', kind: 'update', before: SENSITIVE, after: SENSITIVE },
      { name: 'distribution_domain', kind: 'create', before: '(none)', after: KNOWN_AFTER_APPLY },
      { name: 'source_bucket', kind: 'update', before: '"old"', after: '"new"' },
    ]);
  });

  it('reports no changes for an empty plan', () => {
    const markdown = renderPlanSummary([summarizePlan('vod-prod', { resource_changes: [] })]);

    expect(markdown).toContain('### vod-prod: 0 to add, 0 to change, 0 to destroy, 0 to replace');
    expect(markdown).toContain('No changes.');
  });
});

describe('renderPlanSummary', () => {
  const plan: PlanJson = {
    resource_changes: [
      resource('aws_lambda_function.submit', ['update'], {
        before: { environment: [{ variables: { ENCODING_LADDER: LADDER_BEFORE, TOKEN: 'hunter2-before' } }] },
        after: { environment: [{ variables: { ENCODING_LADDER: LADDER_AFTER, TOKEN: 'hunter2-after' } }] },
        before_sensitive: { environment: [{ variables: { TOKEN: true } }] },
        after_sensitive: { environment: [{ variables: { TOKEN: true } }] },
      }),
      resource('aws_s3_bucket.source', ['delete', 'create'], {
        before: { bucket: 'vod-dev-source' },
        after: { bucket: 'vod-dev-uploads' },
        replace_paths: [['bucket']],
      }),
      resource('aws_s3_bucket_policy.source', ['update'], {
        before: { policy: '{"Statement":[]}' },
        after: {},
        after_unknown: { policy: true },
      }),
    ],
  };

  it('puts the destructive change first, in a warning, with what forces it', () => {
    // Act
    const markdown = renderPlanSummary([summarizePlan('vod-dev', plan)]);

    // Assess
    const warning = markdown.indexOf('> [!WARNING]');
    expect(warning).toBeGreaterThan(0);
    expect(warning).toBeLessThan(markdown.indexOf('| stack |'));
    expect(markdown).toContain('> - vod-dev: **replace** `aws_s3_bucket.source`');
    expect(markdown).toContain('- **replace** `aws_s3_bucket.source`, forced by `bucket`: `"vod-dev-source"` → `"vod-dev-uploads"`');
    expect(markdown.indexOf('🔴 replace')).toBeLessThan(markdown.indexOf('🟡 update'));
  });

  it('shows the ladder diff as a cost change and the policy as a security change known after apply', () => {
    const markdown = renderPlanSummary([summarizePlan('vod-dev', plan)]);

    expect(markdown).toContain(
      '- `aws_lambda_function.submit` (update): **encoding ladder**: `environment.variables.ENCODING_LADDER › rungs.maxBitrate`',
    );
    expect(markdown).toContain('| `environment.variables.ENCODING_LADDER › rungs.maxBitrate` | `6000000` | `5000000` |');
    expect(markdown).toContain('- `aws_s3_bucket_policy.source` (update): **bucket policy**');
    expect(markdown).toContain(`| \`policy\` | \`"{\\"Statement\\":[]}"\` | \`${KNOWN_AFTER_APPLY}\` |`);
  });

  it('never prints a sensitive value', () => {
    const markdown = renderPlanSummary([summarizePlan('vod-dev', plan)]);

    expect(markdown).not.toMatch(/hunter2/);
    expect(markdown).toContain(`| \`environment.variables.TOKEN\` | \`${SENSITIVE}\` | \`${SENSITIVE}\` |`);
  });

  it('calls out a protected stack that destroys or replaces anything', () => {
    // Act
    const summaries = [summarizePlan('vod-prod', plan), summarizePlan('vod-dev', plan)];
    const markdown = renderPlanSummary(summaries, { protectedStacks: ['vod-prod'] });

    // Assess
    expect(protectionViolations(summaries, ['vod-prod'])).toEqual([
      { stack: 'vod-prod', address: 'aws_s3_bucket.source', kind: 'replace' },
    ]);
    expect(markdown).toMatch(/> \[!CAUTION\]\n> 🛑 \*\*Protected vod-prod: this plan destroys or replaces 1 resource\(s\)\.\*\*/);
    expect(protectionViolations([summarizePlan('vod-prod', { resource_changes: [plan.resource_changes![0]!] })], ['vod-prod'])).toEqual([]);
  });

  it('drops attribute details, then cuts, to fit a comment', () => {
    const summaries = [summarizePlan('vod-dev', plan)];

    const full = renderPlanSummary(summaries);
    const brief = renderPlanSummary(summaries, { maxLength: full.length - 1, detailsLocation: 'the workflow artifacts' });
    const cut = renderPlanSummary(summaries, { maxLength: 400 });

    expect(full).toContain('<details>');
    expect(brief).not.toContain('<details>');
    expect(brief).toContain('_Attribute details left out to fit; see the workflow artifacts._');
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut).toMatch(/_Cut to 400 characters; see the plan artifacts\._\n$/);
  });
});

describe('unreviewedDestruction', () => {
  const replaceSource = resource('aws_s3_bucket.source', ['delete', 'create'], { before: { bucket: 'a' }, after: { bucket: 'b' } });
  const deleteTable = resource('aws_dynamodb_table.jobs', ['delete'], { before: { name: 'jobs' } });
  const updateLambda = resource('aws_lambda_function.submit', ['update'], { before: { timeout: 60 }, after: { timeout: 90 } });

  it.each<[string, ResourceChangeJson[], ResourceChangeJson[], string[]]>([
    ['the same replacement as reviewed', [replaceSource], [replaceSource], []],
    ['an update where the review showed a replacement', [replaceSource], [updateLambda], []],
    ['a destroy the review did not show', [replaceSource], [replaceSource, deleteTable], ['delete aws_dynamodb_table.jobs']],
    ['a replacement where the review showed an update', [updateLambda], [replaceSource], ['replace aws_s3_bucket.source']],
  ])('finds %s', (_name, reviewed, current, expected) => {
    const found = unreviewedDestruction(
      summarizePlan('vod-prod', { resource_changes: reviewed }),
      summarizePlan('vod-prod', { resource_changes: current }),
    );

    expect(found.map((v) => `${v.kind} ${v.address}`)).toEqual(expected);
  });
});

// Real plans of the local pipeline on the S3 backend, kept by __tests__/e2e/plan-review.e2e.test.ts
// (UPDATE_PLAN_FIXTURES=1): the first deploy, a ladder change with a sensitive variable, a bucket rename.
const realPlan = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'plans', `${name}.plan.json`), 'utf8')) as PlanJson;
/** The value the e2e test put behind Terraform's sensitive(). */
const SENSITIVE_PROBE = 'e2e-probe-4f1d9c-never-print-me';

describe('summaries of real plans', () => {
  it.each([
    ['create', { create: 53, update: 0, delete: 0, replace: 0 }, 'create'],
    ['ladder', { create: 0, update: 4, delete: 0, replace: 0 }, 'update'],
    ['rename', { create: 0, update: 5, delete: 0, replace: 10 }, 'replace'],
  ])('counts the %s plan and lists its most destructive change first', (name, counts, firstKind) => {
    const summary = summarizePlan('vod-local', realPlan(name));

    expect(summary.counts).toEqual(counts);
    expect(summary.resources[0]!.kind).toBe(firstKind);
  });

  it('shows outputs of a first deploy that are unknown until apply as known after apply', () => {
    const { outputs } = summarizePlan('vod-local', realPlan('create'));

    expect(outputs.find((o) => o.name === 'distribution_domain')).toEqual(
      expect.objectContaining({ kind: 'create', after: KNOWN_AFTER_APPLY }),
    );
  });

  it('shows the ladder change inside ENCODING_LADDER as a cost change and masks the sensitive variable', () => {
    // Prepare
    const plan = realPlan('ladder');

    // Act
    const markdown = renderPlanSummary([summarizePlan('vod-local', plan)]);

    // Assess
    expect(JSON.stringify(plan)).toContain(SENSITIVE_PROBE);
    expect(markdown).not.toContain(SENSITIVE_PROBE);
    expect(markdown).toContain('| `environment.variables.ENCODING_LADDER › rungs[0].maxBitrate` | `6000000` | `5000000` |');
    expect(markdown).toContain(`| \`environment.variables.E2E_API_TOKEN\` | \`(none)\` | \`${SENSITIVE}\` |`);
    expect(markdown).toMatch(
      /#### 💰 Cost review\n\n- `aws_lambda_function\.Ingest_SubmitJob_Function_\w+` \(update\): \*\*encoding ladder\*\*/,
    );
  });

  it('lists the renamed bucket before the replacements it causes, with what forces it', () => {
    const [bucket, ...consequences] = summarizePlan('vod-local', realPlan('rename')).resources.filter((r) => r.kind === 'replace');

    expect(bucket!.changes).toEqual([
      {
        path: 'bucket',
        before: '"vod-local-source-123456789012-us-east-1"',
        after: '"vod-local-uploads-renamed"',
        forcesReplacement: true,
      },
    ]);
    for (const r of consequences) expect(r.changes.filter((c) => c.forcesReplacement).map((c) => c.after)).toEqual([KNOWN_AFTER_APPLY]);
  });

  it("docs/plan-review.md's example comments are rendered from the real plans", () => {
    const page = readFileSync(path.join(__dirname, '..', 'docs', 'plan-review.md'), 'utf8');
    const ladder = renderPlanSummary([summarizePlan('vod-local', realPlan('ladder'))]);
    const rename = renderPlanSummary([summarizePlan('vod-local', realPlan('rename'))], { protectedStacks: ['vod-local'] });

    expect(page).toContain(ladder);
    const renameExcerpt = /<!-- example: rename -->\n([\s\S]*?)<!-- \/example -->/.exec(page)?.[1] ?? '';
    expect(renameExcerpt.split('\n').length).toBeGreaterThan(10);
    for (const line of renameExcerpt.split('\n')) expect(rename.split('\n')).toContain(line);
  });
});
