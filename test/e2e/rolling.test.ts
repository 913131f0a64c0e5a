// A change every etcd member reads (here --snapshot-count) restarts the members one at a time: `docker stack deploy`
// alone would update the three member services at once and lose quorum. A poller watches the members' replicas
// during each deploy: never two down at once. Then the repository's deploy with --all-members-at-once (the escape
// hatch for a broken cluster whose fix every member needs) changes them back all together, and says so.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../generator/docker/cli.ts';
import { renderedMembers, runningSpecs } from '../../generator/deploy/rollingMembers.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { processDocker } from '../../generator/docker/runner.ts';
import { REPO_ROOT } from './harness/paths.ts';
import { waitUntilReady } from './harness/readiness.ts';
import { loadModel } from './harness/topology.ts';
import { verifyLocal } from './support/cli.ts';
import { scratchRepository, type Scratch } from './support/scratch.ts';
import { deployFromRepository, restoreByDeploy } from './support/stack.ts';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

let model: ClusterModel;
let changed: Scratch;

const specsIn = async (root: string) => new Map(renderedMembers(await readFile(path.join(root, 'rendered/local/stack.yaml'), 'utf8')).map((member) => [member.name, member.spec]));
async function runningMemberSpecs(): Promise<Map<string, string | undefined>> {
  const running = await runningSpecs(processDocker, model.stack, 15_000);
  if (!running.ok) throw new Error(running.error);
  return new Map(model.etcd.members.map((member) => [member.name, running.value.get(member.name)]));
}

beforeAll(async () => {
  model = await loadModel();
  await waitUntilReady(model, 120_000);
  changed = await scratchRepository();
  await changed.edit('environments/local.yaml', (text) => text.replace('  clusterToken: milvus-etcd-local\n', '  clusterToken: milvus-etcd-local\n  snapshotCount: 40000\n'));
  await changed.render();
});

afterAll(async () => {
  const committed = await specsIn(REPO_ROOT);
  const running = await runningMemberSpecs().catch(() => new Map());
  if ([...committed].some(([name, spec]) => running.get(name) !== spec)) await restoreByDeploy(model);
  await changed?.remove();
});

/** Deploys while sampling the members' replicas every 250 ms: the most members down at one moment, and who. */
async function deployWatchingMembers(cwd: string, ...flags: string[]) {
  const names = new Set(model.etcd.members.map((member) => `${model.stack}_${member.name}`));
  let watching = true;
  let maxDown = 0;
  const downTogether: string[][] = [];
  const watcher = (async () => {
    while (watching) {
      const listed = await docker(['service', 'ls', '--format', '{{.Name}} {{.Replicas}}', '--filter', `label=com.docker.stack.namespace=${model.stack}`], { timeoutMs: 10_000 });
      if (listed.code === 0) {
        const down = listed.stdout.split('\n').map((line) => line.trim().split(' ')).filter(([name, replicas]) => names.has(name!) && replicas?.startsWith('0/')).map(([name]) => name!);
        if (down.length > maxDown) maxDown = down.length;
        if (down.length > 1) downTogether.push(down);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const result = await deployFromRepository(model, cwd, ...flags);
  watching = false;
  await watcher;
  return { result, maxDown, downTogether };
}

describe('etcd members roll one at a time', () => {
  it('a change every member reads: each member restarts alone, never two down at once, verify passes', async () => {
    const before = await runningMemberSpecs();
    const wanted = await specsIn(changed.root);
    expect([...wanted].every(([name, spec]) => before.get(name) !== spec)).toBe(true);
    const run = await deployWatchingMembers(changed.root);
    log(`rolling etcd change: ${run.result.stderr.trim().split('\n').at(-1)} (process ${(run.result.elapsedMs / 1000).toFixed(1)} s), most members down at once: ${run.maxDown}`);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.downTogether).toEqual([]);
    expect(run.result.stderr).toMatch(/^rolled etcd member etcd1 alone \(\d+\.\d s, then every member answered with one leader\)$/m);
    expect(run.result.stderr).toMatch(/^rolled etcd member etcd2 alone /m);
    expect(run.result.stderr).toMatch(/^rolled etcd member etcd3 last, with the whole stack$/m);
    // The poller saw the restarts (a member is 0/1 until its new task is healthy), so "never two" means something.
    expect(run.maxDown).toBe(1);
    expect(await runningMemberSpecs()).toEqual(wanted);
    await waitUntilReady(model, 120_000);
    const verified = await verifyLocal();
    expect(verified.rows.filter((row) => row.status !== 'pass').map((row) => `${row.status} ${row.check}: ${row.reason}`)).toEqual([]);
  });

  it('--all-members-at-once from the repository: no rolling steps, every member changed back, and deploy says so', async () => {
    const run = await deployWatchingMembers(REPO_ROOT, '--all-members-at-once');
    log(`all members at once: ${run.result.stderr.trim().split('\n').at(-1)} (process ${(run.result.elapsedMs / 1000).toFixed(1)} s), most members down at once: ${run.maxDown}`);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.result.stderr).toMatch(/^etcd members etcd1, etcd2, etcd3 restart together \(--all-members-at-once\): quorum is lost until they are back$/m);
    expect(run.result.stderr).not.toMatch(/^rolled etcd member/m);
    expect(await runningMemberSpecs()).toEqual(await specsIn(REPO_ROOT));
    await waitUntilReady(model, 120_000);
    const verified = await verifyLocal();
    expect(verified.rows.filter((row) => row.status !== 'pass').map((row) => `${row.status} ${row.check}: ${row.reason}`)).toEqual([]);
  });
});
