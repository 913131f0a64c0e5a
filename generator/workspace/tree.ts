// Rendered trees on disk: read them, compare them, and replace them atomically. Nothing here follows a symbolic link,
// reads anything but a regular file, or loops without a bound: the folders are the user's (--out) or the repository's,
// and either may hold anything.
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedTree } from './pipeline.ts';
import { UsageError } from '../usageError.ts';

/** The generator writes two levels (rendered/<env>/<file>) and a few MiB; these bounds are far above that. */
export const TREE_LIMITS = { depth: 8, entries: 10_000, fileBytes: 64 * 1024 * 1024 } as const;

/** Most new parent folders `--out` may create (`--out a/b/c` in an empty folder creates two). */
export const MAX_NEW_PARENTS = 16;

/** What an entry is when it is not a regular file, in the words of a problem line. */
export type OtherEntry = 'a symbolic link' | 'a folder' | 'a pipe' | 'a socket' | 'a character device' | 'a block device' | 'folders nested deeper than 8' | 'a file over 64 MiB';

export interface DiskTree {
  /** Regular files, by path relative to the folder. */
  files: RenderedTree;
  /** Regular files with the owner's executable bit. */
  executable: Set<string>;
  /** Everything else, never read or followed (a folder beyond the depth bound ends in "/"). */
  others: Map<string, OtherEntry>;
}

/** The mode the writer gives a file, and so the one `check` expects: git records only the executable bit. */
export const fileMode = (file: string): number => (file.endsWith('.sh') ? 0o755 : 0o644);

const kindOf = (entry: { isSymbolicLink(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): OtherEntry | undefined => {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isDirectory()) return 'a folder';
  if (entry.isFIFO()) return 'a pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return undefined;
};

/** A folder's entries, bounded by TREE_LIMITS; a missing folder is an empty tree. */
export async function readDiskTree(directory: string): Promise<DiskTree> {
  const tree: DiskTree = { files: new Map(), executable: new Set(), others: new Map() };
  let count = 0;
  const walk = async (relative: string, depth: number): Promise<void> => {
    const entries = await readdir(path.join(directory, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++count > TREE_LIMITS.entries) throw new Error(`${directory} holds more than ${TREE_LIMITS.entries} entries: not a folder the generator wrote`);
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (depth + 1 >= TREE_LIMITS.depth) tree.others.set(`${child}/`, 'folders nested deeper than 8');
        else await walk(child, depth + 1);
        continue;
      }
      const other = kindOf(entry);
      if (other) {
        tree.others.set(child, other);
        continue;
      }
      const read = await readRegularFile(path.join(directory, child));
      if (typeof read === 'string') tree.others.set(child, read);
      else {
        tree.files.set(child, read.text);
        if (read.executable) tree.executable.add(child);
      }
    }
  };
  await walk('', 0);
  return tree;
}

/** The regular files of a folder (what the generator could have written); anything else is left out. */
export async function readTree(directory: string): Promise<RenderedTree> {
  return (await readDiskTree(directory)).files;
}

/** Opens without following a link (O_NOFOLLOW) and reads only a regular file, up to the size bound. */
async function readRegularFile(file: string): Promise<{ text: string; executable: boolean } | OtherEntry> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return 'a symbolic link';
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return kindOf(info) ?? 'a socket';
    if (info.size > TREE_LIMITS.fileBytes) return 'a file over 64 MiB';
    return { text: (await handle.readFile()).toString('utf8'), executable: (info.mode & 0o100) !== 0 };
  } finally {
    await handle.close();
  }
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

/** lstat's answer, or undefined for a path that does not exist. */
async function entryAt(target: string) {
  return lstat(target).catch((error: NodeJS.ErrnoException) => {
    // ENOTDIR: a parent is a file; the caller walks up to it and says so.
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new UsageError(`${target}: ${error.message}`);
  });
}

/**
 * Whether `target` may be replaced by a rendered folder: a missing path (its parents are created, at most
 * MAX_NEW_PARENTS of them, one at a time), or a real, writable folder whose entries `allowed` accepts. Anything else
 * is a UsageError naming what is there; nothing is changed before that is known.
 */
export async function assertReplaceable(target: string, shown: string, allowed: (entry: string, kind: OtherEntry | 'a file') => boolean): Promise<void> {
  const found = await entryAt(target);
  if (found === undefined) {
    await createParents(target, shown);
    return;
  }
  const kind = kindOf(found);
  if (kind === 'a symbolic link') throw new UsageError(`${shown} is a symbolic link: milvus-swarm neither follows nor replaces one; use a real folder`);
  if (kind !== 'a folder') throw new UsageError(`${shown} is ${kind ?? 'a file'}, not a folder: choose a missing path or a folder the generator wrote`);
  // Root may write anywhere: the mode bits, not access(2), say whether the folder is meant to change.
  if ((found.mode & 0o222) === 0) throw new UsageError(`${shown} is read-only: make it writable or choose another folder`);
  const entries = await readdir(target, { withFileTypes: true });
  const foreign = entries
    .slice(0, TREE_LIMITS.entries)
    .map((entry) => ({ name: entry.name, kind: kindOf(entry) ?? ('a file' as const) }))
    .filter((entry) => !allowed(entry.name, entry.kind))
    .map((entry) => (entry.kind === 'a file' ? entry.name : `${entry.name} (${entry.kind})`));
  if (foreign.length > 0) {
    throw new UsageError(`${shown} holds files the generator does not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}): choose an empty or a rendered folder`);
  }
}

/** The missing parents of `target`, outermost first; each must be a folder once it exists. Never `mkdir -p`: Node's loops on /proc. */
async function createParents(target: string, shown: string): Promise<void> {
  const missing: string[] = [];
  let parent = path.dirname(path.resolve(target));
  let shownParent = path.dirname(shown);
  for (;;) {
    const found = await entryAt(parent);
    if (found !== undefined) {
      // An existing ancestor may be a link to a folder (/var/run → /run): follow it here, never at the target.
      const resolved = found.isSymbolicLink() ? await stat(parent).catch(() => undefined) : found;
      if (!resolved?.isDirectory()) throw new UsageError(`${shown}: ${shownParent} is ${resolved ? kindOf(resolved) ?? 'a file' : 'a dangling symbolic link'}, not a folder`);
      break;
    }
    shownParent = path.dirname(shownParent);
    missing.unshift(parent);
    if (missing.length > MAX_NEW_PARENTS) throw new UsageError(`${shown}: would create more than ${MAX_NEW_PARENTS} folders; create the parent folder first`);
    parent = path.dirname(parent);
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new UsageError(`${shown}: cannot create a folder in ${path.dirname(folder)}: ${error.code ?? error.message}`);
    });
  }
}

/**
 * Writes the tree into a sibling temporary directory, then swaps it in with renames, so a reader (or a failed
 * run) sees the old folder or the new one, never half of each. The caller has checked the target (assertReplaceable).
 */
export async function replaceDirectory(target: string, tree: RenderedTree, shown = target): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  const base = path.basename(target);
  const staging = path.join(parent, `.${base}.tmp-${process.pid}`);
  const previous = path.join(parent, `.${base}.old-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`${shown}: cannot create a folder in ${parent}: ${error.code ?? error.message}`);
    });
    for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
      const segments = file.split('/');
      // Folders inside our own fresh staging folder, one level at a time (the tree is two levels deep).
      for (let depth = 1; depth < segments.length; depth++) {
        await mkdir(path.join(staging, ...segments.slice(0, depth))).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
      }
      // `wx`: create, never open an existing file or follow a link planted in the staging folder.
      const handle = await open(path.join(staging, ...segments), 'wx', fileMode(file));
      try {
        await handle.writeFile(text);
        await handle.chmod(fileMode(file));
      } finally {
        await handle.close();
      }
    }
    const existed = (await entryAt(target)) !== undefined;
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
