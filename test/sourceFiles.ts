// The repository's own TypeScript sources, for the tests that read the code itself (test/unit/layers.test.ts,
// test/unit/functionLength.test.ts): generator/ and every action, without node_modules or the bundles.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '..');

/** Repository-relative paths of the .ts files under generator/ and .github/actions/, sorted. */
export function sourceFiles(root = REPOSITORY_ROOT): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(path.join(root, directory))) {
      const relative = path.posix.join(directory, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(path.join(root, relative)).isDirectory()) walk(relative);
      else if (name.endsWith('.ts')) files.push(relative);
    }
  };
  walk('generator');
  walk('.github/actions');
  return files.sort();
}
