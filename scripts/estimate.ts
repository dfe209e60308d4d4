/**
 * npm run estimate -- --minutes 10 --height 720 --fps 30 [--portrait] [--hdr] [--env prod]
 * Prints the plan the pipeline would submit for such a source and what it costs.
 */
import { parsePipelineConfig } from '../stacks/config';
import { ENVIRONMENTS } from '../stacks/environments';
import { ESTIMATE_USAGE, EstimateUsageError, basisOf, formatEstimate, parseEstimateArgs } from './lib/estimate';

/** The config defaults: any environment's shape with nothing set but what the schema requires. */
const DEFAULTS_INPUT = { environment: 'defaults', backend: { type: 'local' } } as const;

function main(argv: readonly string[]): number {
  try {
    const options = parseEstimateArgs(argv);
    const name = options.env;
    if (name !== undefined && ENVIRONMENTS[name] === undefined) {
      throw new EstimateUsageError(`--env ${name}: no such environment; use one of ${Object.keys(ENVIRONMENTS).join(', ')}`);
    }
    const config = parsePipelineConfig(name === undefined ? DEFAULTS_INPUT : ENVIRONMENTS[name], name ?? 'defaults');
    process.stdout.write(`${formatEstimate(options, basisOf(config, name))}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof EstimateUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${ESTIMATE_USAGE}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
