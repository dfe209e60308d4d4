/**
 * The parts of `terraform show -json <planfile>` (format 1.x) that the plan summary reads, and
 * what a change does to a resource. No I/O here: the CLIs in scripts/ read files and run terraform.
 */

/** One action list of a planned change, as Terraform writes it. */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

/** The `change` object of a resource or output in plan JSON. */
export interface ChangeJson {
  readonly actions: readonly PlanAction[];
  readonly before?: unknown;
  readonly after?: unknown;
  /** Mirrors `after`; `true` where the value is known only after apply. */
  readonly after_unknown?: unknown;
  /** Mirror `before`/`after`; `true` where the value is sensitive. */
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  /** Attribute paths that force a replacement. */
  readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** One entry of `resource_changes`. */
export interface ResourceChangeJson {
  readonly address: string;
  readonly mode?: 'managed' | 'data';
  readonly type: string;
  readonly name?: string;
  readonly change: ChangeJson;
  readonly action_reason?: string;
}

/** The parts of Terraform's plan JSON (format 1.x) that the summary reads. */
export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChangeJson[];
  readonly output_changes?: Readonly<Record<string, ChangeJson>>;
}

/** What a planned change does to a resource. */
export type ChangeKind = 'create' | 'update' | 'delete' | 'replace';

/** The kinds that lose a resource: the one definition of a destructive change. */
export type DestructiveKind = Extract<ChangeKind, 'delete' | 'replace'>;

/** True for a delete or a replacement: what a protected stack must not plan, and what a review must have seen. */
export function isDestructive<T extends { readonly kind: ChangeKind }>(change: T): change is T & { readonly kind: DestructiveKind } {
  return change.kind === 'delete' || change.kind === 'replace';
}

/**
 * The kind of a change from its action list, or undefined for no-op, read and forget.
 * Terraform writes a replacement as ["delete","create"] or ["create","delete"].
 */
export function changeKind(actions: readonly PlanAction[]): ChangeKind | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.length !== 1) return undefined;
  const [action] = actions;
  return action === 'create' || action === 'update' || action === 'delete' ? action : undefined;
}

/** Managed-resource changes that do something (no no-ops, no data reads). */
export function effectiveResourceChanges(plan: PlanJson): ResourceChangeJson[] {
  return (plan.resource_changes ?? []).filter((rc) => rc.mode !== 'data' && changeKind(rc.change.actions) !== undefined);
}
