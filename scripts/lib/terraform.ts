import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';

/** The provider version @cdktf/provider-aws 20.1.0 is generated for. */
export const AWS_PROVIDER_VERSION = '5.100.0';
const AWS_PROVIDER_DIR = path.join('registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION);

/** A tool the local tiers need is not installed. */
export class MissingToolError extends Error {
  constructor(
    readonly tool: string,
    hint: string,
  ) {
    super(`${tool} is not available: ${hint}`);
    this.name = 'MissingToolError';
  }
}

function terraformPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[os.arch()] ?? os.arch();
  return `${os.platform()}_${arch}`;
}

function holdsAwsProvider(mirror: string): boolean {
  const dir = path.join(mirror, AWS_PROVIDER_DIR, terraformPlatform());
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(`terraform-provider-aws_v${AWS_PROVIDER_VERSION}`));
}

/** Breadth-first search below `root` for a directory that holds the unpacked mirror layout. */
function searchMirror(root: string, maxDepth: number): string | undefined {
  const skip = new Set(['proc', 'sys', 'dev', 'node_modules', '.git', 'run', 'lost+found']);
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth += 1) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.isDirectory() || skip.has(entry.name)) continue;
        const child = path.join(dir, entry.name);
        if (entry.name === 'registry.terraform.io' && holdsAwsProvider(dir)) return dir;
        next.push(child);
      }
    }
    level = next;
  }
  return undefined;
}

/** Where a disk search's result is kept, so the disk is searched once per checkout, not per test process. */
const MIRROR_CACHE_FILE = path.join(PROJECT_ROOT, '.local', 'terraform', 'provider-mirror.path');
let discoveredMirror: string | undefined;

/**
 * Where the offline hashicorp/aws provider mirror is: `TF_PROVIDER_MIRROR` if set, else
 * Terraform's standard plugin directories, else a bounded search of the disk. Discovered once:
 * memoized in the process and remembered in `.local/terraform/` (checked again before use).
 * @throws MissingToolError when no mirror holds hashicorp/aws 5.100.0.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_PROVIDER_MIRROR) return checkedMirror(env.TF_PROVIDER_MIRROR);
  if (discoveredMirror !== undefined) return discoveredMirror;
  const remembered = existsSync(MIRROR_CACHE_FILE) ? readFileSync(MIRROR_CACHE_FILE, 'utf8').trim() : '';
  if (remembered !== '' && holdsAwsProvider(remembered)) return (discoveredMirror = remembered);
  discoveredMirror = discoverMirror(env);
  mkdirSync(path.dirname(MIRROR_CACHE_FILE), { recursive: true });
  writeFileSync(MIRROR_CACHE_FILE, `${discoveredMirror}\n`);
  return discoveredMirror;
}

function checkedMirror(fromEnv: string): string {
  if (!holdsAwsProvider(fromEnv)) {
    throw new MissingToolError(
      'hashicorp/aws mirror',
      `TF_PROVIDER_MIRROR=${fromEnv} has no ${AWS_PROVIDER_DIR}/${terraformPlatform()}/terraform-provider-aws_v${AWS_PROVIDER_VERSION}*.`,
    );
  }
  return fromEnv;
}

/** Terraform's standard plugin directories first, then a bounded breadth-first search of the disk. */
function discoverMirror(env: NodeJS.ProcessEnv): string {
  const standard = [
    path.join(os.homedir(), '.terraform.d', 'plugins'),
    path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'terraform', 'plugins'),
    path.join(path.sep, 'usr', 'local', 'share', 'terraform', 'plugins'),
    path.join(path.sep, 'usr', 'share', 'terraform', 'plugins'),
  ];
  const found = standard.find(holdsAwsProvider) ?? searchMirror(path.parse(process.cwd()).root, 3);
  if (found === undefined) {
    throw new MissingToolError(
      'hashicorp/aws mirror',
      `no filesystem mirror with hashicorp/aws ${AWS_PROVIDER_VERSION} found. Set TF_PROVIDER_MIRROR to a directory laid out as ${AWS_PROVIDER_DIR}/${terraformPlatform()}/ (see "terraform providers mirror").`,
    );
  }
  return found;
}

/**
 * Writes a Terraform CLI config that installs hashicorp/aws only from the mirror (no
 * download), with a shared plugin cache so each init links instead of copying.
 * @returns the config file's path, for TF_CLI_CONFIG_FILE.
 */
export function writeTerraformCliConfig(dir: string, mirror: string = findProviderMirror()): string {
  mkdirSync(path.join(dir, 'plugin-cache'), { recursive: true });
  const file = path.join(dir, 'terraform.tfrc');
  writeFileSync(
    file,
    [
      `plugin_cache_dir = ${JSON.stringify(path.join(dir, 'plugin-cache'))}`,
      'provider_installation {',
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ["registry.terraform.io/hashicorp/aws"]`,
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

/** @throws MissingToolError when `terraform` is not on PATH. */
export function requireTerraform(): string {
  try {
    return execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '' } });
  } catch {
    throw new MissingToolError(
      'terraform',
      'install Terraform >= 1.10 (https://developer.hashicorp.com/terraform/install) and put it on PATH.',
    );
  }
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The Go garbage collector's target for terraform and its providers, unless GOGC is set already.
 * A plan of the local stack starts three AWS provider processes, each with a large heap of schemas:
 * at 400 the plan used 29 % less CPU than at Go's default 100 (12.6 against 17.7 CPU-s, three
 * runs each) for a peak of 622 MB instead of 456 MB.
 */
export const TERRAFORM_GOGC = '400';

/** The environment terraform runs in: no prompts, colour or update checks, the CLI config ('' keeps terraform's own). */
export function terraformEnv(base: NodeJS.ProcessEnv, extraEnv: NodeJS.ProcessEnv, cliConfig: string): NodeJS.ProcessEnv {
  return {
    GOGC: TERRAFORM_GOGC,
    ...base,
    ...extraEnv,
    ...(cliConfig ? { TF_CLI_CONFIG_FILE: cliConfig } : {}),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
}

/**
 * Runs terraform in `cwd` with the project's CLI config ('' keeps terraform's own), in {@link terraformEnv}.
 * @param onLine called with each line of stdout as it arrives, e.g. to show progress.
 */
export function runTerraform(
  args: string[],
  cwd: string,
  cliConfig: string,
  extraEnv: NodeJS.ProcessEnv = {},
  onLine?: (line: string) => void,
): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], {
      cwd,
      env: terraformEnv(process.env, extraEnv, cliConfig),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (onLine === undefined) return;
      const lines = (pending + d.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Like {@link runTerraform}, but throws with terraform's output unless it exits 0. */
export async function terraformOrThrow(
  args: string[],
  cwd: string,
  cliConfig: string,
  extraEnv: NodeJS.ProcessEnv = {},
  onLine?: (line: string) => void,
): Promise<TerraformResult> {
  const result = await runTerraform(args, cwd, cliConfig, extraEnv, onLine);
  if (result.code !== 0) {
    throw new Error(`terraform ${args.join(' ')} failed in ${cwd} (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  }
  return result;
}

/**
 * The CLI config the scripts run terraform with: TF_CLI_CONFIG_FILE when set; else one
 * written into `dir` for the offline mirror when a mirror is found; else '' (terraform's
 * default, the public registry, as on a CI runner).
 */
export function resolveCliConfig(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_CLI_CONFIG_FILE) return env.TF_CLI_CONFIG_FILE;
  try {
    return writeTerraformCliConfig(dir, findProviderMirror(env));
  } catch (error) {
    if (error instanceof MissingToolError) return '';
    throw error;
  }
}
