// Which storage driver the harness's engines use: overlay2 where the kernel can mount an overlay on the file system
// that holds the data root, vfs everywhere else.
//
// Why not vfs always: vfs has no copy-on-write, so every container it creates starts with a full copy of its image's
// root file system (MinIO's 115 MB for each task, etcd's 57 MB for each one-off etcdctl), and the staging drills
// create well over a thousand. On the 2-core machines a cold `npm test` is bound by CPU, and Docker's machinery was
// 41 % of it (test/README.md). overlay2 mounts the image's layer instead of copying it.
//
// Why not overlay2 always: an overlay cannot sit on an overlay (a data root inside a container, say), and some file
// systems lack what overlayfs needs. A throw-away overlay mount beside the data root answers for this machine; dockerd
// itself would only fail to start.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../../generator/docker/cli.ts';

export type StorageDriver = 'overlay2' | 'vfs';

const answers = new Map<string, Promise<StorageDriver>>();

/** The driver for an engine whose data root is inside `parent` (created if missing); asked once per folder. */
export function storageDriverFor(parent: string): Promise<StorageDriver> {
  let answer = answers.get(parent);
  if (!answer) {
    answer = overlayMounts(parent).then((mounts) => (mounts ? 'overlay2' : 'vfs'));
    answers.set(parent, answer);
  }
  return answer;
}

/** Mounts an overlay of one lower folder in a scratch folder under `parent`, reads through it, and cleans up. */
async function overlayMounts(parent: string): Promise<boolean> {
  await mkdir(parent, { recursive: true });
  const scratch = await mkdtemp(path.join(parent, '.overlay-probe-'));
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((name) => path.join(scratch, name)) as [string, string, string, string];
  try {
    for (const dir of [lower, upper, work, merged]) await mkdir(dir);
    await writeFile(path.join(lower, 'probe'), 'overlay\n');
    const mounted = await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged], { timeoutMs: 10_000 });
    if (mounted.code !== 0) return false;
    const read = await readFile(path.join(merged, 'probe'), 'utf8').catch(() => '');
    await runCommand('umount', [merged], { timeoutMs: 10_000 });
    return read === 'overlay\n';
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
