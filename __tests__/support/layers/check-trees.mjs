// The layer check of `npm run lint:layers` (dependency-cruiser, the project's config, output type
// `err`) on several small trees in one process: each `depcruise` start loads TypeScript and the
// cruiser anew, about 2 CPU-seconds. Usage: node check-trees.mjs <config> <tree-dir>...; prints
// [{ status, report }] as JSON, one per tree, where status is the CLI's exit code.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { readdirSync } from 'node:fs';

const [config, ...trees] = process.argv.slice(2);
const options = await extractDepcruiseOptions(config);
const results = [];
for (const tree of trees) {
  // Paths in the rules (and the tsconfig's name) are relative to the working directory, as when `npm run lint` runs at the root.
  process.chdir(tree);
  const folders = readdirSync(tree).filter((name) => name !== 'node_modules' && name !== 'tsconfig.json');
  const tsConfig = extractTSConfig(options.tsConfig.fileName);
  const { output, exitCode } = await cruise(folders, { ...options, outputType: 'err' }, {}, { tsConfig });
  results.push({ status: exitCode, report: output });
}
process.stdout.write(JSON.stringify(results));
