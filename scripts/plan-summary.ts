/**
 * `npm run plan:summary -- [--protect <stack>]... [--reviewed <plan.json>] [--out <file>] <stack>.plan.json...`:
 * turns `terraform show -json` output into the markdown review summary and prints it.
 * The stack name is the file name without `.plan.json`.
 *
 *   --protect <stack>     exit 1 when this stack's plan destroys or replaces anything
 *   --reviewed <file>     the reviewed plan of the (one) stack: exit 1 when the plan destroys
 *                         or replaces something the reviewed plan did not (deploy's check)
 *
 * Exit 1 for either check, 2 on an error.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readPlanFiles } from './lib/plan-ci';
import { protectionViolations, unreviewedDestruction } from './lib/plan-summary';
import { renderPlanSummary } from './lib/plan-render';

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      protect: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      reviewed: { type: 'string' },
    },
  });
  if (positionals.length === 0)
    throw new Error('usage: npm run plan:summary -- [--protect <stack>]... [--out <file>] <stack>.plan.json...');
  const summaries = readPlanFiles(positionals);
  const markdown = renderPlanSummary(summaries, { protectedStacks: values.protect });
  if (values.out) writeFileSync(values.out, markdown);
  process.stdout.write(markdown);
  const violations = protectionViolations(summaries, values.protect);
  for (const v of violations) process.stderr.write(`Protected stack ${v.stack} would ${v.kind} ${v.address}.\n`);
  const unreviewed = values.reviewed === undefined ? [] : unreviewedDestruction(readPlanFiles([values.reviewed])[0]!, summaries[0]!);
  for (const v of unreviewed)
    process.stderr.write(
      `${v.stack} would ${v.kind} ${v.address}, which the reviewed plan (${values.reviewed}) did not show: plan again on a PR.\n`,
    );
  return violations.length > 0 || unreviewed.length > 0 ? 1 : 0;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
