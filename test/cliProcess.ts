// The milvus-swarm CLI as a process. `shippedBin` is what `npx milvus-swarm` runs in a clone: bin/milvus-swarm (a
// POSIX sh wrapper) and the committed bundle it starts — the tests that are about the shipped command use it (the
// bundle check in CI keeps it current). `sourceCli` runs generator/cli.ts itself through tsx, for tests about a
// process's behaviour (a read that must not hang, an exit code) that should follow the source as it is edited.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** tsx's ESM loader (vitest's import.meta has no resolve): require.resolve finds the package, its exports map the file. */
const TSX_LOADER = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'index.mjs')).href;

/** generator/bin/milvus-swarm of a repository (this one, or a scratch copy with its own generator/). */
export const shippedBin = (root: string = REPO_ROOT): string => path.join(root, 'generator', 'bin', 'milvus-swarm');

/** `node --import tsx generator/bin/main.ts ARGS…`: the command and its arguments. */
export function sourceCli(args: readonly string[], root: string = REPO_ROOT): { command: string; args: string[] } {
  // tsx's loader by its absolute URL: the process runs in a scratch folder that has no node_modules of its own.
  return { command: process.execPath, args: ['--import', TSX_LOADER, path.join(root, 'generator', 'bin', 'main.ts'), ...args] };
}
