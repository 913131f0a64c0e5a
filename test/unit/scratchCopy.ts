// Scratch copies of the repository's inputs, for tests that run commands which write: each test gets its own copy,
// removed after it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { repoRoot } from './support.ts';

/** Returns a function that copies `folders` of the repository into a fresh temporary directory, removed after each test. */
export function scratchCopies(prefix: string, folders: readonly string[]): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(directory);
    for (const folder of folders) cpSync(path.join(repoRoot, folder), path.join(directory, folder), { recursive: true });
    return directory;
  };
}
