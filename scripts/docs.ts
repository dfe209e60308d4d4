/**
 * npm run docs:config   writes docs/configuration.md from the config schema
 * npm run docs:metrics  rewrites the metrics table in docs/operating.md from the metric catalog
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { renderConfigurationPage, renderMetricsTable, withMetricsTable } from './lib/docs-pages';

export const CONFIGURATION_PAGE = path.join(PROJECT_ROOT, 'docs', 'configuration.md');
export const OPERATING_PAGE = path.join(PROJECT_ROOT, 'docs', 'operating.md');

function main(target: string | undefined): number {
  switch (target) {
    case 'config':
      writeFileSync(CONFIGURATION_PAGE, renderConfigurationPage());
      process.stdout.write(`wrote ${path.relative(PROJECT_ROOT, CONFIGURATION_PAGE)}\n`);
      return 0;
    case 'metrics':
      writeFileSync(OPERATING_PAGE, withMetricsTable(readFileSync(OPERATING_PAGE, 'utf8'), renderMetricsTable()));
      process.stdout.write(`wrote the metrics table of ${path.relative(PROJECT_ROOT, OPERATING_PAGE)}\n`);
      return 0;
    default:
      process.stderr.write('usage: tsx scripts/docs.ts config|metrics\n');
      return 2;
  }
}

process.exitCode = main(process.argv[2]);
