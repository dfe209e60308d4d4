import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Providers a synthesized stack may use. Anything else (hashicorp/external, hashicorp/http, a
 * community provider) would run code of someone else's choosing with the credentials of the plan
 * or the deploy: refused before `terraform init` downloads it.
 */
export const ALLOWED_PROVIDERS = ['registry.terraform.io/hashicorp/aws', 'registry.terraform.io/hashicorp/archive'] as const;

/** Backends a stack may declare: the state bucket, or a local file (the emulator and the bootstrap). */
export const ALLOWED_BACKENDS = ['s3', 'local'] as const;

/** One reason a synthesized configuration may not be planned with credentials. */
export interface PolicyViolation {
  /** The Terraform address (or configuration path) at fault, e.g. `data.external.x`. */
  readonly address: string;
  readonly message: string;
}

/** A configuration failed the policy check; the message lists every violation with its address. */
export class PolicyCheckError extends Error {
  constructor(
    readonly violations: readonly PolicyViolation[],
    where: string,
  ) {
    super(
      `${where} fails the policy check (nothing was planned):\n${violations.map((v) => `  - ${v.address}: ${v.message}`).join('\n')}\n` +
        'Only hashicorp/aws and hashicorp/archive at exact versions, no external data source, provisioner, module or other backend may reach a credentialed plan.',
    );
    this.name = 'PolicyCheckError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `aws` → `registry.terraform.io/hashicorp/aws`; `hashicorp/aws` likewise; a full address stays. */
export function normalizeProviderSource(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  return parts.join('/');
}

const EXACT_VERSION = /^=?\s*\d+\.\d+\.\d+$/;

/** The provider local name a resource or data source type belongs to (`aws_s3_bucket` → `aws`), or its explicit `provider`. */
function providerOf(type: string, block: unknown): string {
  const explicit = isObject(block) && typeof block.provider === 'string' ? block.provider : undefined;
  return (explicit ?? type).split(/[_.]/)[0]!;
}

/**
 * Checks one synthesized stack (`cdk.tf.json`, parsed): its providers, backend, data sources,
 * provisioners and modules. Pure: the same answer for the same JSON.
 */
export function checkTerraformConfig(config: Json): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const terraform = isObject(config.terraform) ? config.terraform : {};
  const required = isObject(terraform.required_providers) ? terraform.required_providers : {};
  const localNames = new Set<string>();
  for (const [name, spec] of Object.entries(required)) {
    const source = normalizeProviderSource(isObject(spec) && typeof spec.source === 'string' ? spec.source : name);
    const version = isObject(spec) && typeof spec.version === 'string' ? spec.version : '';
    if (!(ALLOWED_PROVIDERS as readonly string[]).includes(source)) {
      violations.push({ address: `terraform.required_providers.${name}`, message: `provider ${source} is not allowed` });
    } else {
      localNames.add(name);
      if (!EXACT_VERSION.test(version.trim())) {
        violations.push({ address: `terraform.required_providers.${name}`, message: `version "${version}" is not an exact pin` });
      }
    }
  }
  for (const name of Object.keys(isObject(config.provider) ? config.provider : {})) {
    if (!localNames.has(name))
      violations.push({ address: `provider.${name}`, message: 'provider is not an allowed, pinned required provider' });
  }
  const backends = Object.keys(isObject(terraform.backend) ? terraform.backend : {});
  for (const backend of backends) {
    if (!(ALLOWED_BACKENDS as readonly string[]).includes(backend)) {
      violations.push({ address: `terraform.backend.${backend}`, message: `backend "${backend}" is not allowed` });
    }
  }
  if (terraform.cloud !== undefined) violations.push({ address: 'terraform.cloud', message: 'a cloud block is not allowed' });
  for (const name of Object.keys(isObject(config.module) ? config.module : {})) {
    violations.push({ address: `module.${name}`, message: 'modules are not allowed (their sources are not checked)' });
  }
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
    ['ephemeral', 'ephemeral.'],
  ] as const) {
    const blocks = isObject(config[kind]) ? config[kind] : {};
    for (const [type, instances] of Object.entries(blocks)) {
      for (const [name, block] of Object.entries(isObject(instances) ? instances : {})) {
        const address = `${prefix}${type}.${name}`;
        if (kind === 'data' && type === 'external') {
          violations.push({ address, message: 'the external data source runs a program during plan' });
          continue;
        }
        if (!localNames.has(providerOf(type, block))) {
          violations.push({ address, message: `belongs to provider "${providerOf(type, block)}", which is not allowed` });
        }
        if (isObject(block) && block.provisioner !== undefined) {
          const kinds = (Array.isArray(block.provisioner) ? block.provisioner : [block.provisioner]).flatMap((p) =>
            isObject(p) ? Object.keys(p) : [],
          );
          violations.push({ address, message: `provisioners are not allowed (${kinds.join(', ') || 'provisioner'})` });
        }
      }
    }
  }
  return violations;
}

/** Providers named in a `.terraform.lock.hcl` (the `provider "<address>"` blocks). */
export function lockFileProviders(text: string): string[] {
  return [...text.matchAll(/^provider\s+"([^"]+)"/gm)].map((m) => m[1]!);
}

/**
 * Checks a synthesized stack directory: `cdk.tf.json`, its `.terraform.lock.hcl` when present, and
 * that no other `*.tf` or `*.tf.json` file (which terraform would load too, overrides included) is there.
 * @throws PolicyCheckError listing every violation with its address.
 */
export function assertStackPolicy(stackDir: string): void {
  const file = path.join(stackDir, 'cdk.tf.json');
  const violations = checkTerraformConfig(JSON.parse(readFileSync(file, 'utf8')) as Json);
  const lockFile = path.join(stackDir, '.terraform.lock.hcl');
  if (existsSync(lockFile)) {
    for (const provider of lockFileProviders(readFileSync(lockFile, 'utf8'))) {
      if (!(ALLOWED_PROVIDERS as readonly string[]).includes(provider)) {
        violations.push({ address: `.terraform.lock.hcl provider "${provider}"`, message: 'provider is not allowed' });
      }
    }
  }
  for (const other of readdirSync(stackDir).filter((f) => /\.tf(\.json)?$/.test(f) && f !== 'cdk.tf.json')) {
    violations.push({ address: other, message: 'terraform would load this file too; only cdk.tf.json is checked, so none may be there' });
  }
  if (violations.length > 0) throw new PolicyCheckError(violations, file);
}
