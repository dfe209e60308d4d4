/**
 * Pure functions that turn `terraform show -json <planfile>` into a review summary:
 * counts per stack, destructive changes first, changed attributes with their values
 * (sensitive values masked, unknown values marked), and flags for security and cost review.
 * Built from plan-json (the input), plan-diff and plan-review-rules; plan-render prints it.
 * No I/O here: the CLIs in scripts/ read files and run terraform.
 */
import { ABSENT, AttributeChange, KNOWN_AFTER_APPLY, SENSITIVE, attributeChanges, display } from './plan-diff';
import { ChangeJson, ChangeKind, DestructiveKind, PlanJson, changeKind, effectiveResourceChanges, isDestructive } from './plan-json';
import { REVIEW_RULES, ReviewFlag, ReviewRule, reviewFlags } from './plan-review-rules';

/** One resource in the summary. */
export interface ResourceSummary {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** Terraform's reason, e.g. `replace_because_cannot_update`. */
  readonly reason?: string;
  /** Top-level attribute names of `changes` (empty for create and delete). */
  readonly attributes: readonly string[];
  readonly changes: readonly AttributeChange[];
  readonly flags: readonly ReviewFlag[];
}

/** One changed output. */
export interface OutputSummary {
  readonly name: string;
  readonly kind: ChangeKind;
  readonly before: string;
  readonly after: string;
}

/** Everything the markdown shows for one stack. */
export interface StackSummary {
  readonly stack: string;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Destructive first (replace, delete), then update, then create; by address within each. */
  readonly resources: readonly ResourceSummary[];
  readonly outputs: readonly OutputSummary[];
}

const KIND_ORDER: Readonly<Record<ChangeKind, number>> = { replace: 0, delete: 1, update: 2, create: 3 };

/** The attribute a leaf path belongs to (`environment` for `environment.variables.X`). */
function topLevelName(path: string): string {
  return path.split(/[.[ ]/)[0]!;
}

/**
 * A replacement forced only by values unknown until another change applies (a bucket
 * policy whose bucket is being renamed): listed after the replacements that cause it.
 */
function isConsequence(r: ResourceSummary): boolean {
  const forcing = r.changes.filter((c) => c.forcesReplacement);
  return forcing.length > 0 && forcing.every((c) => c.after === KNOWN_AFTER_APPLY);
}

function outputSide(value: unknown, sensitive: unknown, unknown: unknown): string {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return KNOWN_AFTER_APPLY;
  return display(value);
}

/** Summarizes one stack's plan JSON. */
export function summarizePlan(stack: string, plan: PlanJson, rules: readonly ReviewRule[] = REVIEW_RULES): StackSummary {
  const resources = effectiveResourceChanges(plan).map((rc): ResourceSummary => {
    const kind = changeKind(rc.change.actions)!;
    const all = kind === 'update' || kind === 'replace' ? attributeChanges(rc.change) : [];
    // A new object gets new computed values (id, arn…): on a replacement only what forces it or is known is news.
    const changes = kind === 'replace' ? all.filter((c) => c.forcesReplacement || c.after !== KNOWN_AFTER_APPLY) : all;
    return {
      address: rc.address,
      type: rc.type,
      kind,
      ...(rc.action_reason ? { reason: rc.action_reason } : {}),
      attributes: [...new Set(changes.map((c) => topLevelName(c.path)))].sort(),
      changes,
      flags: reviewFlags(rc.type, kind, changes, rules),
    };
  });
  resources.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      Number(isConsequence(a)) - Number(isConsequence(b)) ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
  );
  const counts = { create: 0, update: 0, delete: 0, replace: 0 };
  for (const r of resources) counts[r.kind] += 1;
  const outputs = Object.entries(plan.output_changes ?? {})
    .map(([name, change]) => ({ name, change, kind: changeKind(change.actions) }))
    .filter((o): o is { name: string; change: ChangeJson; kind: ChangeKind } => o.kind !== undefined)
    .map(({ name, change, kind }) => ({
      name,
      kind,
      before: kind === 'create' ? ABSENT : outputSide(change.before, change.before_sensitive, undefined),
      after: kind === 'delete' ? ABSENT : outputSide(change.after, change.after_sensitive, change.after_unknown),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  return { stack, counts, resources, outputs };
}

/** A destroy or replace in a stack that must not lose resources. */
export interface ProtectionViolation {
  readonly stack: string;
  readonly address: string;
  readonly kind: DestructiveKind;
}

/** Every delete and replace in the protected stacks; non-empty means the check fails. */
export function protectionViolations(summaries: readonly StackSummary[], protectedStacks: readonly string[]): ProtectionViolation[] {
  return summaries
    .filter((s) => protectedStacks.includes(s.stack))
    .flatMap((s) => s.resources.filter(isDestructive).map((r) => ({ stack: s.stack, address: r.address, kind: r.kind })));
}

/**
 * Destroys and replacements in `current` (a plan made at deploy time) that the reviewed
 * plan of the same stack did not show. Non-empty means state moved since the review in a
 * way nobody looked at: deploy stops.
 */
export function unreviewedDestruction(reviewed: StackSummary, current: StackSummary): ProtectionViolation[] {
  const seen = new Set(reviewed.resources.filter(isDestructive).map((r) => `${r.kind} ${r.address}`));
  return protectionViolations([current], [current.stack]).filter((v) => !seen.has(`${v.kind} ${v.address}`));
}
