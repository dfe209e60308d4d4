/**
 * The reviewed change set of a plan (scripts/lib/change-set.ts):
 *
 *   npm run plan:changes -- --out <stack>.changes.json <stack>.plan.json
 *       writes the change set of a plan (the PR's plan job uploads only this file)
 *   npm run plan:compare -- --reviewed <stack>.changes.json <stack>.plan.json
 *       exit 0 when the plan's change set equals the reviewed one; exit 1 with what differs
 *
 * The stack is the plan file's name without `.plan.json`. Exit 2 on an error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChangeSetSchema, changeSetOf, compareChangeSets, renderDifferences } from './lib/change-set';
import type { PlanJson } from './lib/plan-json';

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, reviewed: { type: 'string' } },
  });
  const [planFile] = positionals;
  if (planFile === undefined || positionals.length !== 1 || (values.out === undefined) === (values.reviewed === undefined)) {
    throw new Error('usage: plan-changes (--out <changes.json> | --reviewed <changes.json>) <stack>.plan.json');
  }
  const stack = path.basename(planFile).replace(/(\.plan)?\.json$/, '');
  const planned = changeSetOf(stack, JSON.parse(readFileSync(planFile, 'utf8')) as PlanJson);
  if (values.out !== undefined) {
    writeFileSync(values.out, `${JSON.stringify(planned, null, 1)}\n`);
    process.stderr.write(`${stack}: ${planned.changes.length} changes written to ${values.out}.\n`);
    return 0;
  }
  const parsed = ChangeSetSchema.safeParse(JSON.parse(readFileSync(values.reviewed!, 'utf8')));
  if (!parsed.success) throw new Error(`${values.reviewed} is not a change set written by plan:changes.`);
  const differences = compareChangeSets(parsed.data, planned);
  if (differences.length === 0) {
    process.stdout.write(`${stack}: the plan matches the reviewed change set (${planned.changes.length} changes).\n`);
    return 0;
  }
  process.stderr.write(`${renderDifferences(stack, differences, parsed.data.configurationSha256 === planned.configurationSha256)}\n`);
  return 1;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
