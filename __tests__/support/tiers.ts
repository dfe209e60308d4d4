import { missingTools, TOOL_CHECKS } from '../../scripts/lib/tools';

/**
 * The timeout of every test and hook in a tier that drives real tools (terraform, moto, ffmpeg,
 * Chromium). Their slowest step (an apply, a destroy, a transcode) takes a minute or two on an
 * idle 2-core machine and several times that on a loaded one; a hang still ends the run.
 */
export const REAL_TOOLS_TIMEOUT_MS = 20 * 60_000;

/**
 * `describe` when the tools are there; otherwise a loud "skipped: <reason>" and a skipped
 * block. Under CI=true a missing tool throws instead, so CI cannot pass by skipping. Sets
 * REAL_TOOLS_TIMEOUT_MS for the file.
 */
export function describeWithTools(name: string, tools: ReadonlyArray<keyof typeof TOOL_CHECKS>, body: () => void): void {
  jest.setTimeout(REAL_TOOLS_TIMEOUT_MS);
  const reason = missingTools(tools);
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  process.stderr.write(`\n*** ${name}: skipped: ${reason}\n\n`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}
