// Rendered trees on disk: read them, compare them, and replace them atomically.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedTree } from './pipeline.ts';

export async function readTree(directory: string): Promise<RenderedTree> {
  const tree: RenderedTree = new Map();
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(directory, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else tree.set(child, await readFile(path.join(directory, child), 'utf8'));
    }
  };
  await walk('');
  return tree;
}

export interface TreeDifference {
  changed: { file: string; firstDifferentLine: number }[];
  missing: string[];
  stray: string[];
}

export function compareTrees(expected: RenderedTree, actual: RenderedTree): TreeDifference {
  const changed: TreeDifference['changed'] = [];
  const missing: string[] = [];
  for (const [file, text] of expected) {
    const found = actual.get(file);
    if (found === undefined) missing.push(file);
    else if (found !== text) changed.push({ file, firstDifferentLine: firstDifferentLine(text, found) });
  }
  const stray = [...actual.keys()].filter((file) => !expected.has(file));
  return { changed, missing: missing.sort(), stray: stray.sort() };
}

export const isSame = (difference: TreeDifference) =>
  difference.changed.length + difference.missing.length + difference.stray.length === 0;

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let line = 0;
  while (line < left.length && line < right.length && left[line] === right[line]) line++;
  return line + 1;
}

/**
 * Writes the tree into a sibling temporary directory, then swaps it in with renames, so a reader (or a failed
 * run) sees the old folder or the new one, never half of each.
 */
export async function replaceDirectory(target: string, tree: RenderedTree): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  const base = path.basename(target);
  const staging = path.join(parent, `.${base}.tmp-${process.pid}`);
  const previous = path.join(parent, `.${base}.old-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging, { recursive: true });
    for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
      const destination = path.join(staging, file);
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, text, { mode: file.endsWith('.sh') ? 0o755 : 0o644 });
    }
    const existed = await stat(target).then(() => true, () => false);
    if (existed) await rename(target, previous);
    try {
      await rename(staging, target);
    } catch (error) {
      if (existed) await rename(previous, target);
      throw error;
    }
    if (existed) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
