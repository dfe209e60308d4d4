/**
 * `npm run plan:summary -- [--protect <stack>]... [--out <file>] <stack>.plan.json...`:
 * turns `terraform show -json` output into the markdown review summary and prints it.
 * The stack name is the file name without `.plan.json`. Exit 1 when a protected stack's
 * plan destroys or replaces anything, 2 on an error.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readPlanFiles } from './lib/plan-ci';
import { protectionViolations, renderPlanSummary } from './lib/plan-summary';

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      protect: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
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
  return violations.length > 0 ? 1 : 0;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
