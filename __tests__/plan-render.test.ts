import { KNOWN_AFTER_APPLY, SENSITIVE } from '../scripts/lib/plan-diff';
import { PlanJson } from '../scripts/lib/plan-json';
import { renderPlanSummary } from '../scripts/lib/plan-render';
import { protectionViolations, summarizePlan } from '../scripts/lib/plan-summary';
import { LADDER_AFTER, LADDER_BEFORE, resource } from './support/plan-json';

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
