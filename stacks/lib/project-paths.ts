import path from 'node:path';

/** The repository root: lambda-src/, node_modules/ and .local/ live here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
