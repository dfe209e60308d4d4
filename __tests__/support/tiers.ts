import { missingTools, TOOL_CHECKS } from '../../scripts/lib/tools';

/**
 * `describe` when the tools are there; otherwise a loud "skipped: <reason>" and a skipped
 * block. Under CI=true a missing tool throws instead, so CI cannot pass by skipping.
 */
export function describeWithTools(name: string, tools: ReadonlyArray<keyof typeof TOOL_CHECKS>, body: () => void): void {
  const reason = missingTools(tools);
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  process.stderr.write(`\n*** ${name}: skipped: ${reason}\n\n`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}
