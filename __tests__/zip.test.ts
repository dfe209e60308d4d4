import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeterministicZip } from '../stacks/lib/zip';

describe('createDeterministicZip', () => {
  const entries = [
    { name: 'index.js', data: Buffer.from('exports.handler = async () => "ok";\n') },
    { name: 'lib/util.js', data: Buffer.from('module.exports = 42;\n'.repeat(100)) },
  ];

  it('produces the same bytes for the same entries, whatever their order', () => {
    expect(createDeterministicZip(entries).equals(createDeterministicZip([...entries].reverse()))).toBe(true);
  });

  it('changes when a file changes', () => {
    const changed = [entries[0]!, { name: 'lib/util.js', data: Buffer.from('module.exports = 43;\n') }];

    expect(createDeterministicZip(changed).equals(createDeterministicZip(entries))).toBe(false);
  });

  it('is a valid archive that a standard unzip tool extracts byte for byte', () => {
    // Prepare
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-test-'));
    const zipFile = path.join(dir, 'code.zip');
    writeFileSync(zipFile, createDeterministicZip(entries));

    try {
      // Act: Python's zipfile checks the CRCs while extracting.
      execFileSync('python3', ['-m', 'zipfile', '-t', zipFile]);
      execFileSync('python3', ['-m', 'zipfile', '-e', zipFile, path.join(dir, 'out')]);

      // Assess
      for (const entry of entries) expect(readFileSync(path.join(dir, 'out', entry.name)).equals(entry.data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
