/**
 * Pure functions that turn `terraform show -json <planfile>` into a review summary:
 * counts per stack, destructive changes first, changed attributes with their values
 * (sensitive values masked, unknown values marked), and flags for security and cost review.
 * No I/O here: the CLIs in scripts/ read files and run terraform.
 */
import { SUBMIT_JOB_VARIABLES } from '../../contracts/functions/submit-job';

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

/** Shown instead of any value Terraform marks sensitive. */
export const SENSITIVE = '(sensitive value)';
/** Shown instead of a value Terraform will only know after apply. */
export const KNOWN_AFTER_APPLY = '(known after apply)';
/** Shown for an attribute that is absent on one side. */
const ABSENT = '(none)';
/** Joins an attribute path and a path inside the JSON document the attribute holds. */
const DOCUMENT_STEP = ' › ';
/** Longest value printed before it is cut with an ellipsis. */
const MAX_VALUE_LENGTH = 160;

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

type Marks = unknown;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The mark below `key`, where `true` on a parent covers every child. */
function childMark(marks: Marks, key: string | number): Marks {
  if (marks === true) return true;
  if (Array.isArray(marks) && typeof key === 'number') return marks[key];
  if (isRecord(marks)) return marks[String(key)];
  return undefined;
}

/** True when any mark at or below this point is `true`. */
function anyMark(marks: Marks): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(anyMark);
  if (isRecord(marks)) return Object.values(marks).some(anyMark);
  return false;
}

/**
 * Top-level attributes whose planned value differs from the prior one, including those
 * that are (partly) unknown until apply. Shared with the emulator-gap check of the e2e tier.
 */
export function changedAttributeNames(change: ChangeJson): string[] {
  const before = isRecord(change.before) ? change.before : {};
  const after = isRecord(change.after) ? change.after : {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => anyMark(childMark(change.after_unknown, k)) || JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
}

/** One changed leaf value, already rendered for display (sensitive and unknown values masked). */
export interface AttributeChange {
  /** Dotted path; `›` steps into a JSON document held in a string (a policy, the ladder). */
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** This path (or a parent) forces the replacement of the resource. */
  readonly forcesReplacement: boolean;
}

/** null, "", [] and {} (and absent) all mean "not set": the API and the plan write them differently. */
function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

function display(value: unknown): string {
  if (value === undefined) return ABSENT;
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function parseJsonDocument(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' || parent.endsWith(DOCUMENT_STEP) ? `${parent}${key}` : `${parent}.${key}`;
}

interface Side {
  readonly value: unknown;
  readonly sensitive: Marks;
}

/**
 * Walks before and after in step and returns every leaf that differs. Values under a
 * sensitive mark are never rendered (not even parsed); unknown values are marked.
 */
function diffValues(before: Side, after: Side & { readonly unknown: Marks }, path: string, out: AttributeChange[]): void {
  const beforeHidden = before.sensitive === true;
  const afterHidden = after.sensitive === true;
  if (after.unknown === true) {
    out.push({ path, before: beforeHidden ? SENSITIVE : display(before.value), after: KNOWN_AFTER_APPLY, forcesReplacement: false });
    return;
  }
  if (!beforeHidden && !afterHidden) {
    const b = before.value;
    const a = after.value;
    // One-element block lists (`environment`, `versioning_configuration`) read better without "[0]".
    if (Array.isArray(b) && Array.isArray(a) && b.length <= 1 && a.length <= 1 && (b.length === 1 || a.length === 1)) {
      diffValues(
        { value: b[0], sensitive: childMark(before.sensitive, 0) },
        { value: a[0], sensitive: childMark(after.sensitive, 0), unknown: childMark(after.unknown, 0) },
        path,
        out,
      );
      return;
    }
    if ((isRecord(b) && isRecord(a)) || (Array.isArray(b) && Array.isArray(a))) {
      const keys: (string | number)[] = Array.isArray(b)
        ? Array.from({ length: Math.max(b.length, (a as unknown[]).length) }, (_, i) => i)
        : [...new Set([...Object.keys(b), ...Object.keys(a as Record<string, unknown>)])].sort();
      for (const key of keys) {
        diffValues(
          { value: (b as Record<string | number, unknown>)[key], sensitive: childMark(before.sensitive, key) },
          {
            value: (a as Record<string | number, unknown>)[key],
            sensitive: childMark(after.sensitive, key),
            unknown: childMark(after.unknown, key),
          },
          joinPath(path, key),
          out,
        );
      }
      return;
    }
    if (JSON.stringify(b) === JSON.stringify(a) || (isEmpty(b) && isEmpty(a))) return;
    const [bDoc, aDoc] = [parseJsonDocument(b), parseJsonDocument(a)];
    if (bDoc !== undefined && aDoc !== undefined) {
      // A JSON document in a string (IAM policy, ENCODING_LADDER): diff inside it.
      diffValues(
        { value: bDoc, sensitive: undefined },
        { value: aDoc, sensitive: undefined, unknown: undefined },
        `${path}${DOCUMENT_STEP}`,
        out,
      );
      return;
    }
    out.push({ path, before: display(b), after: display(a), forcesReplacement: false });
    return;
  }
  // One side is sensitive: say that it changed, never what it is.
  if (JSON.stringify(before.value) === JSON.stringify(after.value) && beforeHidden === afterHidden) return;
  out.push({
    path,
    before: beforeHidden ? SENSITIVE : display(before.value),
    after: afterHidden ? SENSITIVE : display(after.value),
    forcesReplacement: false,
  });
}

/** Leaf-level changes of one resource change, with replacement-forcing paths marked; unset-to-unset (null, "", [], {}) is no change. */
export function attributeChanges(change: ChangeJson): AttributeChange[] {
  const out: AttributeChange[] = [];
  diffValues(
    { value: change.before ?? {}, sensitive: change.before_sensitive },
    { value: change.after ?? {}, sensitive: change.after_sensitive, unknown: change.after_unknown },
    '',
    out,
  );
  const forcing = (change.replace_paths ?? []).map((p) => p.filter((s): s is string => typeof s === 'string').join('.'));
  return out
    .map((c) => ({ ...c, path: c.path.replace(/^ › | › $/g, '') }))
    .map((c) => ({ ...c, forcesReplacement: forcing.some((f) => f !== '' && (c.path === f || c.path.startsWith(`${f}.`))) }));
}

/** Why a change deserves a second look. */
export type FlagKind = 'security' | 'cost';

/**
 * A review rule. Without `paths` it flags every change of the resource type; with
 * `paths` only updates and replacements that change an attribute under one of them.
 */
export interface ReviewRule {
  readonly kind: FlagKind;
  readonly label: string;
  readonly types: readonly string[];
  readonly paths?: readonly string[];
}

/**
 * What the summary flags. Security: who may do what, who may read, and encryption.
 * Cost: what moves the MediaConvert and CloudFront bill or the storage kept.
 * The Lambda environment variable names come from the submit function's contract (contracts/functions/submit-job.ts).
 */
export const REVIEW_RULES: readonly ReviewRule[] = [
  {
    kind: 'security',
    label: 'IAM policy',
    types: [
      'aws_iam_policy',
      'aws_iam_role_policy',
      'aws_iam_user_policy',
      'aws_iam_group_policy',
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ],
  },
  {
    kind: 'security',
    label: 'IAM role trust or policies',
    types: ['aws_iam_role'],
    paths: ['assume_role_policy', 'inline_policy', 'managed_policy_arns', 'permissions_boundary'],
  },
  { kind: 'security', label: 'bucket policy', types: ['aws_s3_bucket_policy'] },
  { kind: 'security', label: 'bucket policy', types: ['aws_s3_bucket'], paths: ['policy', 'acl', 'grant'] },
  {
    kind: 'security',
    label: 'public access',
    types: [
      'aws_s3_bucket_public_access_block',
      'aws_s3_account_public_access_block',
      'aws_s3_bucket_acl',
      'aws_s3_bucket_ownership_controls',
    ],
  },
  {
    kind: 'security',
    label: 'resource policy',
    types: ['aws_lambda_permission', 'aws_lambda_function_url', 'aws_sqs_queue_policy', 'aws_sns_topic_policy'],
  },
  {
    kind: 'security',
    label: 'encryption',
    types: ['aws_s3_bucket_server_side_encryption_configuration', 'aws_kms_key', 'aws_kms_alias', 'aws_kms_grant'],
  },
  { kind: 'security', label: 'encryption', types: ['aws_sqs_queue'], paths: ['kms_master_key_id', 'sqs_managed_sse_enabled'] },
  { kind: 'security', label: 'encryption', types: ['aws_sns_topic'], paths: ['kms_master_key_id'] },
  { kind: 'security', label: 'encryption', types: ['aws_dynamodb_table'], paths: ['server_side_encryption'] },
  { kind: 'security', label: 'encryption', types: ['aws_lambda_function'], paths: ['kms_key_arn'] },
  { kind: 'security', label: 'encryption', types: ['aws_cloudwatch_log_group'], paths: ['kms_key_id'] },
  {
    kind: 'security',
    label: 'encryption in transit',
    types: ['aws_cloudfront_distribution'],
    paths: ['viewer_certificate', 'default_cache_behavior.viewer_protocol_policy', 'ordered_cache_behavior'],
  },
  {
    kind: 'cost',
    label: 'encoding ladder',
    types: ['aws_lambda_function'],
    paths: [`environment.variables.${SUBMIT_JOB_VARIABLES.ladder.name}`],
  },
  {
    kind: 'cost',
    label: 'acceleration',
    types: ['aws_lambda_function'],
    paths: [
      `environment.variables.${SUBMIT_JOB_VARIABLES.accelerationMode.name}`,
      `environment.variables.${SUBMIT_JOB_VARIABLES.accelerationMinSourceMinutes.name}`,
    ],
  },
  { kind: 'cost', label: 'reserved concurrency', types: ['aws_lambda_function'], paths: ['reserved_concurrent_executions'] },
  { kind: 'cost', label: 'price class', types: ['aws_cloudfront_distribution'], paths: ['price_class'] },
  { kind: 'cost', label: 'lifecycle', types: ['aws_s3_bucket_lifecycle_configuration'] },
  { kind: 'cost', label: 'queue pricing plan', types: ['aws_media_convert_queue'], paths: ['pricing_plan', 'reservation_plan_settings'] },
];

/** A flag raised on one resource by one rule. */
export interface ReviewFlag {
  readonly kind: FlagKind;
  readonly label: string;
  /** Changed attribute paths that raised it; empty for resource-level rules. */
  readonly paths: readonly string[];
}

function underPath(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`) || path.startsWith(`${prefix} › `);
}

/** The flags one resource change raises under `rules`, one per label and kind. */
export function reviewFlags(
  type: string,
  kind: ChangeKind,
  changes: readonly AttributeChange[],
  rules: readonly ReviewRule[] = REVIEW_RULES,
): ReviewFlag[] {
  const flags = new Map<string, ReviewFlag>();
  for (const rule of rules.filter((r) => r.types.includes(type))) {
    const key = `${rule.kind}:${rule.label}`;
    if (rule.paths === undefined) {
      flags.set(key, { kind: rule.kind, label: rule.label, paths: flags.get(key)?.paths ?? [] });
      continue;
    }
    if (kind !== 'update' && kind !== 'replace') continue;
    const hits = changes.map((c) => c.path).filter((p) => rule.paths!.some((prefix) => underPath(p, prefix)));
    if (hits.length > 0) flags.set(key, { kind: rule.kind, label: rule.label, paths: [...(flags.get(key)?.paths ?? []), ...hits] });
  }
  return [...flags.values()];
}

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
  readonly kind: 'delete' | 'replace';
}

/** Every delete and replace in the protected stacks; non-empty means the check fails. */
export function protectionViolations(summaries: readonly StackSummary[], protectedStacks: readonly string[]): ProtectionViolation[] {
  return summaries
    .filter((s) => protectedStacks.includes(s.stack))
    .flatMap((s) =>
      s.resources
        .filter((r): r is ResourceSummary & { kind: 'delete' | 'replace' } => r.kind === 'delete' || r.kind === 'replace')
        .map((r) => ({ stack: s.stack, address: r.address, kind: r.kind })),
    );
}

/** Options of {@link renderPlanSummary}. */
export interface RenderOptions {
  /** Stacks whose destroys and replacements fail the check. @default [] */
  readonly protectedStacks?: readonly string[];
  /** Hard limit (a GitHub comment holds 65,536 characters). @default 60000 */
  readonly maxLength?: number;
  /** Where the full plans are, named in the note when details had to be cut. */
  readonly detailsLocation?: string;
}

const ACTION_LABEL: Readonly<Record<ChangeKind, string>> = {
  replace: '🔴 replace',
  delete: '🔴 destroy',
  update: '🟡 update',
  create: '🟢 create',
};

/** Inline code that survives a markdown table: no backticks, escaped pipes, one line. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

function countsLine(s: StackSummary): string {
  const { create, update, delete: destroy, replace } = s.counts;
  return `${create} to add, ${update} to change, ${destroy} to destroy, ${replace} to replace`;
}

function isDestructive(r: ResourceSummary): boolean {
  return r.kind === 'delete' || r.kind === 'replace';
}

function flagList(resources: readonly ResourceSummary[], kind: FlagKind): string[] {
  return resources.flatMap((r) =>
    r.flags
      .filter((f) => f.kind === kind)
      .map(
        (f) =>
          `- ${code(r.address)} (${r.kind}): **${f.label}**${f.paths.length > 0 ? `: ${[...new Set(f.paths)].map(code).join(', ')}` : ''}`,
      ),
  );
}

function renderStack(s: StackSummary, protectedStacks: readonly string[], withDetails: boolean): string[] {
  const lines: string[] = [`### ${s.stack}: ${countsLine(s)}`, ''];
  if (s.resources.length === 0 && s.outputs.length === 0) return [...lines, 'No changes.', ''];
  const destructive = s.resources.filter(isDestructive);
  if (destructive.length > 0) {
    lines.push(
      protectedStacks.includes(s.stack)
        ? `#### 🛑 Destructive changes in protected stack ${s.stack}`
        : `#### ⚠️ Destructive changes (${destructive.length})`,
      '',
    );
    for (const r of destructive) {
      const forcing = r.changes.filter((c) => c.forcesReplacement).map((c) => `${code(c.path)}: ${code(c.before)} → ${code(c.after)}`);
      lines.push(
        `- **${r.kind === 'delete' ? 'destroy' : 'replace'}** ${code(r.address)}${forcing.length > 0 ? `, forced by ${forcing.join(', ')}` : ''}`,
      );
    }
    lines.push('');
  }
  const security = flagList(s.resources, 'security');
  if (security.length > 0) lines.push('#### 🔐 Security review', '', ...security, '');
  const cost = flagList(s.resources, 'cost');
  if (cost.length > 0) lines.push('#### 💰 Cost review', '', ...cost, '');
  if (s.resources.length > 0) {
    lines.push('#### Changed resources', '', '| action | resource | changed attributes |', '|---|---|---|');
    for (const r of s.resources) {
      const attributes =
        r.kind === 'create' || r.kind === 'delete'
          ? ''
          : r.attributes
              .map((a) =>
                r.changes.some((c) => c.forcesReplacement && c.path.split(/[.[ ]/)[0] === a) ? `${code(a)} (forces replacement)` : code(a),
              )
              .join(', ');
      lines.push(`| ${ACTION_LABEL[r.kind]} | ${code(r.address)} | ${attributes} |`);
    }
    lines.push('');
  }
  if (s.outputs.length > 0) {
    lines.push('#### Outputs', '', '| output | before | after |', '|---|---|---|');
    for (const o of s.outputs) lines.push(`| ${code(o.name)} | ${code(o.before)} | ${code(o.after)} |`);
    lines.push('');
  }
  const detailed = s.resources.filter((r) => r.changes.length > 0);
  if (withDetails && detailed.length > 0) {
    lines.push('<details><summary>Attribute changes</summary>', '');
    for (const r of detailed) {
      lines.push(`**${code(r.address)}** (${r.kind})`, '', '| attribute | before | after |', '|---|---|---|');
      for (const c of r.changes)
        lines.push(`| ${code(c.path)}${c.forcesReplacement ? ' ⚠️' : ''} | ${code(c.before)} | ${code(c.after)} |`);
      lines.push('');
    }
    lines.push('</details>', '');
  }
  return lines;
}

function renderAll(summaries: readonly StackSummary[], protectedStacks: readonly string[], withDetails: boolean): string {
  const destructive = summaries.flatMap((s) => s.resources.filter(isDestructive).map((r) => ({ stack: s.stack, r })));
  const violations = protectionViolations(summaries, protectedStacks);
  const lines: string[] = [`## Terraform plan: ${summaries.map((s) => s.stack).join(', ')}`, ''];
  if (violations.length > 0) {
    lines.push(
      '> [!CAUTION]',
      `> 🛑 **Protected ${[...new Set(violations.map((v) => v.stack))].join(', ')}: this plan destroys or replaces ${violations.length} resource(s).** The check fails: make sure each one is intended, then accept them explicitly (in CI: the ${code('allow-destroy')} label).`,
      '',
    );
  }
  if (destructive.length > 0) {
    lines.push('> [!WARNING]', `> **${destructive.length} destructive change(s)**, listed first in each stack:`);
    for (const { stack, r } of destructive)
      lines.push(`> - ${stack}: **${r.kind === 'delete' ? 'destroy' : 'replace'}** ${code(r.address)}`);
    lines.push('');
  }
  lines.push('| stack | add | change | destroy | replace | security review | cost review |', '|---|---|---|---|---|---|---|');
  for (const s of summaries) {
    const flagged = (kind: FlagKind) => s.resources.filter((r) => r.flags.some((f) => f.kind === kind)).length;
    const { create, update, delete: destroy, replace } = s.counts;
    lines.push(`| ${s.stack} | ${create} | ${update} | ${destroy} | ${replace} | ${flagged('security')} | ${flagged('cost')} |`);
  }
  lines.push('');
  for (const s of summaries) lines.push(...renderStack(s, protectedStacks, withDetails));
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * Renders the summaries as one markdown document (a PR comment). Over `maxLength`
 * the attribute details are dropped first, then the text is cut with a note.
 */
export function renderPlanSummary(summaries: readonly StackSummary[], options: RenderOptions = {}): string {
  const protectedStacks = options.protectedStacks ?? [];
  const maxLength = options.maxLength ?? 60_000;
  const where = options.detailsLocation ?? 'the plan artifacts';
  const full = renderAll(summaries, protectedStacks, true);
  if (full.length <= maxLength) return full;
  const brief = `${renderAll(summaries, protectedStacks, false)}\n_Attribute details left out to fit; see ${where}._\n`;
  if (brief.length <= maxLength) return brief;
  const note = `\n\n_Cut to ${maxLength} characters; see ${where}._\n`;
  return brief.slice(0, maxLength - note.length) + note;
}

/**
 * Destroys and replacements in `current` (a plan made at deploy time) that the reviewed
 * plan of the same stack did not show. Non-empty means state moved since the review in a
 * way nobody looked at: deploy stops.
 */
export function unreviewedDestruction(reviewed: StackSummary, current: StackSummary): ProtectionViolation[] {
  const seen = new Set(reviewed.resources.filter((r) => r.kind === 'delete' || r.kind === 'replace').map((r) => `${r.kind} ${r.address}`));
  return protectionViolations([current], [current.stack]).filter((v) => !seen.has(`${v.kind} ${v.address}`));
}
