/**
 * The reviewed change set: what a pull request's plan will do, as addresses, actions and hashes
 * of the planned values, never the values. The PR's plan job writes it; the deploy job on main
 * plans main's own synth and applies only when that plan's change set is the same.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChangeJson, PlanJson } from './plan-json';

/** Version of the change-set file format. */
export const CHANGE_SET_VERSION = 1;

const ChangeEntrySchema = z.strictObject({
  /** `aws_s3_bucket.x`, or `output.x` for an output. */
  address: z.string().min(1),
  actions: z.array(z.enum(['no-op', 'create', 'read', 'update', 'delete', 'forget'])).min(1),
  /** sha256 of the change's before, after and after_unknown (canonical JSON). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The file the plan job uploads and the deploy job compares against (`<stack>.changes.json`). */
export const ChangeSetSchema = z.strictObject({
  version: z.literal(CHANGE_SET_VERSION),
  stack: z.string().min(1),
  /** sha256 of the plan's `configuration` block: tells "same code" from "same changes". */
  configurationSha256: z.string().regex(/^[0-9a-f]{64}$/),
  changes: z.array(ChangeEntrySchema),
});
export type ChangeSet = z.infer<typeof ChangeSetSchema>;
export type ChangeEntry = z.infer<typeof ChangeEntrySchema>;

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function changeHash(change: ChangeJson): string {
  return sha256(canonicalJson({ before: change.before, after: change.after, after_unknown: change.after_unknown }));
}

const doesSomething = (actions: readonly string[]) => actions.some((a) => a !== 'no-op' && a !== 'read');

/**
 * The change set of one stack's plan JSON (`terraform show -json`): every managed resource
 * and output that changes, sorted by address. Data reads and no-ops are left out.
 */
export function changeSetOf(stack: string, plan: PlanJson & { readonly configuration?: unknown }): ChangeSet {
  const resources = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== 'data' && doesSomething(rc.change.actions))
    .map((rc) => ({ address: rc.address, actions: [...rc.change.actions], sha256: changeHash(rc.change) }));
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => doesSomething(change.actions))
    .map(([name, change]) => ({ address: `output.${name}`, actions: [...change.actions], sha256: changeHash(change) }));
  return {
    version: CHANGE_SET_VERSION,
    stack,
    configurationSha256: sha256(canonicalJson(plan.configuration ?? null)),
    changes: [...resources, ...outputs].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
  };
}

/** One way the plan made at deploy time differs from the reviewed one. */
export interface ChangeSetDifference {
  readonly address: string;
  readonly kind: 'not-reviewed' | 'missing' | 'actions' | 'values' | 'stack';
  readonly detail: string;
}

/** Every difference between the reviewed change set and the one planned at deploy time; empty when they match. */
export function compareChangeSets(reviewed: ChangeSet, planned: ChangeSet): ChangeSetDifference[] {
  if (reviewed.stack !== planned.stack) {
    return [{ address: planned.stack, kind: 'stack', detail: `the reviewed change set is of stack ${reviewed.stack}` }];
  }
  const before = new Map(reviewed.changes.map((c) => [c.address, c]));
  const differences: ChangeSetDifference[] = [];
  for (const change of planned.changes) {
    const seen = before.get(change.address);
    before.delete(change.address);
    if (seen === undefined) {
      differences.push({
        address: change.address,
        kind: 'not-reviewed',
        detail: `would ${change.actions.join('+')}; the review showed no change`,
      });
    } else if (seen.actions.join('+') !== change.actions.join('+')) {
      differences.push({
        address: change.address,
        kind: 'actions',
        detail: `would ${change.actions.join('+')}; the review showed ${seen.actions.join('+')}`,
      });
    } else if (seen.sha256 !== change.sha256) {
      differences.push({ address: change.address, kind: 'values', detail: `${change.actions.join('+')} with other values than reviewed` });
    }
  }
  for (const missing of before.values()) {
    differences.push({
      address: missing.address,
      kind: 'missing',
      detail: `the review showed ${missing.actions.join('+')}; this plan does not`,
    });
  }
  return differences;
}

/** The message that stops a deploy: what differs, and what to do. */
export function renderDifferences(stack: string, differences: readonly ChangeSetDifference[], sameConfiguration: boolean): string {
  const lines = differences.map((d) => `  - ${d.address}: ${d.detail}`);
  return [
    `${stack}: the plan of main differs from the plan reviewed on the pull request; nothing was applied.`,
    ...lines,
    sameConfiguration
      ? 'The configuration is the same, so the state or the account changed since the review (another apply, drift).'
      : 'The configuration differs from the reviewed one (main moved after the PR was planned).',
    'Re-run the plan workflow on an up-to-date pull request, review the new plan, and merge (or re-run this deploy once the PR plan matches).',
  ].join('\n');
}
