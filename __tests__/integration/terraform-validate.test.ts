import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { synthApp } from '../../scripts/lib/synth';
import { buildApp } from '../../stacks/app';
import { loadEnvironments } from '../../stacks/environment-loader';
import { ENVIRONMENTS } from '../../stacks/environments';
import { terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { describeWithTools } from '../support/tiers';

interface ValidateReport {
  readonly valid: boolean;
  readonly diagnostics: { severity: string; summary: string; detail?: string }[];
}

const PUBLIC_KEY_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const STACKS = ['state', 'vod-dev', 'vod-prod', 'vod-local'];
/**
 * Every optional part on: content analysis (off in every embedded environment), an alarm e-mail,
 * production, a custom domain with a hosted zone, signed playback, WAF, tight upload limits and the customer-managed key.
 */
const ALL_ON = 'vod-allon';

/** Synthesizes the dev environment with every optional part switched on, as stack `vod-allon`. */
function synthAllOn(outdir: string): void {
  const app = new App({ outdir });
  const input = {
    ...ENVIRONMENTS.dev!,
    environment: 'allon',
    production: true,
    encryption: { kmsKey: 'customer' as const },
    contentAnalysis: { enabled: true },
    monitoring: { alarmEmail: 'oncall@example.com' },
    delivery: {
      domain: { names: ['video.example.com', 'media.example.com'], hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      signedPlayback: { publicKeys: [{ id: 'signer-2026', pem: PUBLIC_KEY_PEM }] },
      waf: { rateLimitPer5Minutes: 2_000 },
    },
    limits: { maxSourceBytes: 10 * 1024 ** 3, maxSourceMinutes: 120, maxEstimatedCostUsd: 10 },
  };
  buildApp(app, loadEnvironments({ LAMBDA_PACKAGING: 'zip' }, { allon: input }));
  app.synth();
}

// Real `terraform validate` with hashicorp/aws 5.100.0 from the offline mirror. Lambda
// packaging is `zip` here: the mirror holds only the AWS provider, so a stack that uses
// data.archive_file (hashicorp/archive) could not even `init` offline. The archive path
// is covered by the synth assertions in node-function.test.ts.
describeWithTools('terraform validate', ['terraform', 'mirror'], () => {
  let outdir: string;
  let stacks: string[];
  const reports = new Map<string, ValidateReport>();

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(os.tmpdir(), 'vod-validate-'));
    const cliConfig = writeTerraformCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform'));
    stacks = synthApp(outdir, { LAMBDA_PACKAGING: 'zip' });
    synthAllOn(path.join(outdir, 'all-on'));
    const dirOf = (stack: string) => (stack === ALL_ON ? path.join(outdir, 'all-on', 'stacks', stack) : path.join(outdir, 'stacks', stack));
    // One init at a time: Terraform's plugin cache is not safe for concurrent installs.
    for (const stack of [...STACKS, ALL_ON]) {
      await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], dirOf(stack), cliConfig);
    }
    // Each validate spends ~2 s loading the provider schema: run those side by side.
    await Promise.all(
      [...STACKS, ALL_ON].map(async (stack) => {
        const result = await terraformOrThrow(['validate', '-json', '-no-color'], dirOf(stack), cliConfig);
        reports.set(stack, JSON.parse(result.stdout) as ValidateReport);
      }),
    );
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the state stack and one stack per environment', () => {
    expect(stacks).toEqual([...STACKS].sort());
  });

  it('validates content analysis too: vod-allon has its rule, topic, role and function', () => {
    // Act
    const synthesized = JSON.parse(readFileSync(path.join(outdir, 'all-on', 'stacks', ALL_ON, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const ids = Object.entries(synthesized.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));

    // Assess
    for (const type of [
      'aws_cloudwatch_event_rule',
      'aws_sns_topic',
      'aws_iam_role',
      'aws_lambda_function',
      'aws_sns_topic_subscription',
    ]) {
      expect(ids.filter((id) => id.startsWith(`${type}.ContentAnalysis`))).not.toEqual([]);
    }
  });

  it('validates the customer-managed key too: vod-allon has one key, and the buckets, table, topics, queues and log groups use it', () => {
    // Act
    const synthesized = JSON.parse(readFileSync(path.join(outdir, 'all-on', 'stacks', ALL_ON, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const [keyId, ...others] = Object.keys(synthesized.resource.aws_kms_key ?? {});
    const keyArn = `\${aws_kms_key.${keyId}.arn}`;
    const users = (type: string, attribute: (block: Record<string, unknown>) => unknown) =>
      Object.values(synthesized.resource[type] ?? {}).map(attribute);

    // Assess
    expect(others).toEqual([]);
    expect(new Set(users('aws_sns_topic', (t) => t.kms_master_key_id))).toEqual(new Set([keyArn]));
    expect(new Set(users('aws_sqs_queue', (q) => q.kms_master_key_id))).toEqual(new Set([keyArn]));
    expect(new Set(users('aws_cloudwatch_log_group', (g) => g.kms_key_id))).toEqual(new Set([keyArn]));
    expect(users('aws_dynamodb_table', (t) => (t.server_side_encryption as Record<string, unknown>).kms_key_arn)).toEqual([keyArn]);
    expect(reports.get(ALL_ON)?.valid).toBe(true);
  });

  it('validates the delivery options too: vod-allon has a us-east-1 certificate, DNS records, a key group and a web ACL', () => {
    // Act
    const synthesized = JSON.parse(readFileSync(path.join(outdir, 'all-on', 'stacks', ALL_ON, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      provider: { aws: { alias?: string; region: string }[] };
    };

    // Assess
    for (const type of [
      'aws_acm_certificate',
      'aws_acm_certificate_validation',
      'aws_route53_record',
      'aws_cloudfront_key_group',
      'aws_wafv2_web_acl',
    ]) {
      expect(Object.keys(synthesized.resource[type] ?? {})).not.toEqual([]);
    }
    expect(synthesized.provider.aws).toContainEqual(expect.objectContaining({ alias: 'us-east-1', region: 'us-east-1' }));
    const [distribution] = Object.values(synthesized.resource.aws_cloudfront_distribution!);
    expect(distribution?.viewer_certificate).toEqual(
      expect.objectContaining({ minimum_protocol_version: 'TLSv1.2_2021', ssl_support_method: 'sni-only' }),
    );
  });

  it.each([...STACKS, ALL_ON])('validates stack %s with the real AWS provider, offline', (stack) => {
    const report = reports.get(stack);

    expect(report?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report?.valid).toBe(true);
  });
});
