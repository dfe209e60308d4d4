/**
 * `npm run test:busy`: the whole `npm test` with two busy processes beside it, as on a contributor's
 * 2-core laptop with a browser and an editor open. The suite must pass here too: no test may
 * depend on how fast the machine is. Prints the wall time and exits with the suite's status.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const BUSY_PROCESSES = 2;

function startBusyLoop(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function main(): void {
  const busy = Array.from({ length: BUSY_PROCESSES }, startBusyLoop);
  const stopBusy = () => busy.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', stopBusy);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopBusy();
      process.exit(130);
    });
  }
  const started = Date.now();
  process.stderr.write(`test:busy: ${BUSY_PROCESSES} busy processes running; npm test starts\n`);
  const suite = spawn('npm', ['test'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  suite.once('exit', (code) => {
    stopBusy();
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stderr.write(
      `test:busy: npm test ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s beside ${BUSY_PROCESSES} busy processes\n`,
    );
    process.exitCode = code ?? 1;
  });
}

main();
