import { App } from 'cdktf';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../stacks/app';
import { EnvironmentOverrides } from '../../stacks/environment-loader';
import { loadEmbeddedEnvironments } from '../../stacks/environments';

/** Synthesizes the whole app into `outdir`, as `npm run synth` does, with the given overrides. */
export function synthApp(outdir: string, overrides: EnvironmentOverrides = {}): string[] {
  const app = new App({ outdir });
  buildApp(app, loadEmbeddedEnvironments(overrides));
  app.synth();
  return readdirSync(path.join(outdir, 'stacks')).sort();
}
