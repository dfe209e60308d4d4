import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PIPELINE_HANDLERS } from '../contracts/functions/handlers';

const FUNCTIONS_DIR = path.resolve(__dirname, '..', 'lambda-src', 'functions');

describe('the list of the package handlers', () => {
  it('names exactly the folders of lambda-src/functions, each with an index.ts', () => {
    // Act
    const folders = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    // Assess
    expect([...PIPELINE_HANDLERS].sort()).toEqual(folders);
    for (const name of PIPELINE_HANDLERS) expect(existsSync(path.join(FUNCTIONS_DIR, name, 'index.ts'))).toBe(true);
  });
});
