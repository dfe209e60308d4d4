import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The package root: the nearest directory above this file that holds a package.json. In this
 * repository that is the checkout (lambda-src/, node_modules/, .local/ live there); in an
 * installed copy it is `node_modules/cdktf-video-pipeline` (dist/ lives there).
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}; the package is incomplete.`);
  }
}

export const PROJECT_ROOT = findPackageRoot(__dirname);
