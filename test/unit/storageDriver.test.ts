// The harness's choice of storage driver (test/e2e/harness/storageDriver.ts), on this machine's real kernel: overlay2
// beside a data root on an ordinary file system, vfs beside one that is itself an overlay (as inside a container),
// where dockerd's overlay2 would refuse to start.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../generator/docker/cli.ts';
import { storageDriverFor } from '../e2e/harness/storageDriver.ts';

const scratch = await mkdtemp(path.join(tmpdir(), 'storage-driver-'));
const mounts: string[] = [];

afterAll(async () => {
  for (const mount of mounts.reverse()) await runCommand('umount', [mount], { timeoutMs: 10_000 });
  await rm(scratch, { recursive: true, force: true });
});

describe('the storage driver of the harness engines', () => {
  it('is overlay2 beside a data root on this machine’s own file system, and the probe leaves nothing behind', async () => {
    const parent = path.join(scratch, 'plain');
    expect(await storageDriverFor(parent)).toBe('overlay2');
    expect(await readdir(parent)).toEqual([]);
  });

  it('is vfs beside a data root that is itself on an overlay (an overlay cannot hold an overlay’s upper folder)', async () => {
    const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((name) => path.join(scratch, 'outer', name)) as [string, string, string, string];
    for (const dir of [lower, upper, work, merged]) await mkdir(dir, { recursive: true });
    const mounted = await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged], { timeoutMs: 10_000 });
    expect(mounted.code, `mount of the outer overlay: ${mounted.stderr}`).toBe(0);
    mounts.push(merged);
    expect(await storageDriverFor(path.join(merged, 'engines'))).toBe('vfs');
  });
});
