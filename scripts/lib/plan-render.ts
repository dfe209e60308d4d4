/** Renders plan summaries as one markdown document: the PR comment and the step summary. */
import type { ChangeKind } from './plan-json';
import { isDestructive } from './plan-json';
import type { FlagKind } from './plan-review-rules';
import { ResourceSummary, StackSummary, protectionViolations } from './plan-summary';

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
