/**
 * `npm run policy:check -- <stack dir>...`: refuses a synthesized stack that could run code of
 * someone else's choosing during a credentialed plan (scripts/lib/policy-check.ts). plan:ci runs
 * the same check before every `terraform init`.
 *
 * Exit codes: 0 every stack passes; 1 a violation (each printed with its address); 2 an error.
 */
import { PolicyCheckError, assertStackPolicy } from './lib/policy-check';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: npm run policy:check -- <cdktf.out/stacks/STACK>...\n');
  process.exit(2);
}
let failed = false;
for (const dir of dirs) {
  try {
    assertStackPolicy(dir);
    process.stdout.write(`${dir}: passes the policy check.\n`);
  } catch (error) {
    if (!(error instanceof PolicyCheckError)) {
      process.stderr.write(`${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error.message}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
