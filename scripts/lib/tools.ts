import { execFileSync } from 'node:child_process';
import { MissingToolError, findProviderMirror, requireTerraform } from './terraform';

/** Python with moto's server module: the local AWS emulator. */
export function requireMoto(python = process.env.PYTHON ?? 'python3'): string {
  try {
    execFileSync(python, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new MissingToolError('python3', 'install Python 3.9+ (e.g. `apt-get install python3`) or set PYTHON to its path.');
  }
  try {
    return execFileSync(python, ['-c', 'import moto, flask; print(moto.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    throw new MissingToolError('moto', `install the emulator with \`${python} -m pip install "moto[server]==5.2.1"\`.`);
  }
}

/** A program on PATH that answers `-version`; `hint` says how to install it. */
function requireProgram(name: string, hint: string): void {
  try {
    execFileSync(name, ['-version'], { stdio: 'ignore' });
  } catch {
    throw new MissingToolError(name, hint);
  }
}

/** Debian's ffmpeg (ffmpeg and ffprobe): the MediaConvert stand-in transcodes with it. */
export function requireFfmpeg(): void {
  requireProgram('ffmpeg', 'install it with `apt-get install -y ffmpeg` (Debian).');
  requireProgram('ffprobe', 'install it with `apt-get install -y ffmpeg` (Debian).');
}

/** The Chromium browser the player test drives: CHROMIUM, or Debian's `chromium` found on PATH (an absolute path: playwright needs one). */
export function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || 'chromium';
  } catch {
    return 'chromium';
  }
}

/** Debian's headless-capable Chromium. */
export function requireChromium(): void {
  try {
    execFileSync(chromiumPath(), ['--version'], { stdio: 'ignore' });
  } catch {
    throw new MissingToolError('chromium', 'install it with `apt-get install -y chromium` (Debian), or set CHROMIUM to its path.');
  }
}

/** What a tier needs; each check throws MissingToolError with an install hint. */
export const TOOL_CHECKS = {
  terraform: () => void requireTerraform(),
  mirror: () => void findProviderMirror(),
  moto: () => void requireMoto(),
  ffmpeg: () => requireFfmpeg(),
  chromium: () => requireChromium(),
} as const;

/**
 * Runs the checks. Returns undefined when all tools are there, else the reason to skip.
 * Under CI=true a missing tool is an error, so a CI run can never pass by skipping.
 */
export function missingTools(checks: ReadonlyArray<keyof typeof TOOL_CHECKS>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const problems: string[] = [];
  for (const check of checks) {
    try {
      TOOL_CHECKS[check]();
    } catch (error) {
      if (!(error instanceof MissingToolError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length === 0) return undefined;
  if (env.CI === 'true') throw new Error(`CI=true and required tools are missing:\n${problems.join('\n')}`);
  return problems.join('; ');
}
