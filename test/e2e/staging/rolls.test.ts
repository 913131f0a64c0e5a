// What Milvus sees of etcd while etcd changes under it (issue 24): Milvus's own etcd client (clientv3 built as Milvus
// builds it, on the endpoints rendered milvus.yaml gives Milvus: the members) writes one key after another throughout,
// and every acknowledged write is read back afterwards.
// - A change every member needs (a tuning flag): deploy rolls the three members one at a time. Printed: the deploy's
//   wall time, each member's step, the client's failed requests and longest gap.
// - A member's host stopped (its engine: the machine is down), the leader's, so the worst case — an election — is
//   what the client rides through. Printed: failed requests, the longest gap, lost writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdCluster, leaderOf as leaderStatus } from '../../../generator/cluster/etcdCluster.ts';
import { docker } from '../../../generator/docker/cli.ts';
import { ensureEtcdClient, runEtcdClient, type WriterFigures } from '../bench/etcdClientTool.ts';
import { envFile, REPO_ROOT } from '../harness/paths.ts';
import { leaderOf, managerEnv, managerRunner, nodeAction, STAGING } from '../harness/staging.ts';
import { scratchRepository, type Scratch } from '../support/scratch.ts';
import { deployFromRepository } from '../support/stack.ts';
import { clean, log, ready, staging, verifyUntil, type Staging } from './support.ts';

let context: Staging;
let binary = '';

beforeAll(async () => {
  context = await staging();
  binary = await ensureEtcdClient();
  await ready(context);
});

/** Milvus's client writing from a container on the stack's network (on the first manager) until stopped. */
function milvusWriter(name: string) {
  const site = { network: context.model.network.name, image: context.model.etcd.image, env: managerEnv(leaderOf(context.nodes)) };
  const started = performance.now();
  const figures = runEtcdClient<WriterFigures>(
    binary,
    site,
    ['-mode', 'writer', '-endpoints', context.model.milvus.etcdEndpoints.join(','), '-seconds', '600', '-prefix', `milvus-swarm-${name}/`],
    700_000,
    ['--name', `milvus-swarm-${name}`],
  );
  return {
    /** SIGTERM: the writer stops, reads every acknowledged key back and prints its figures. */
    async stop(): Promise<WriterFigures & { seconds: number }> {
      await docker(['kill', '--signal', 'TERM', `milvus-swarm-${name}`], { timeoutMs: 30_000, env: site.env });
      return { ...(await figures), seconds: (performance.now() - started) / 1000 };
    },
  };
}

const describeWriter = (figures: WriterFigures & { seconds: number }) =>
  `${figures.acknowledged} of ${figures.attempts} writes acknowledged in ${figures.seconds.toFixed(0)} s, ${figures.failed} failed${figures.failures?.length ? ` (${figures.failures.join('; ')})` : ''}, longest gap ${figures.longestGapMs} ms (at ${(figures.longestGapAtMs / 1000).toFixed(1)} s), ${figures.lost} acknowledged writes lost${figures.readBackError ? ` (read back: ${figures.readBackError})` : ''}`;

describe('etcd under Milvus\'s client', () => {
  let tuned: Scratch | undefined;
  afterAll(async () => {
    await tuned?.remove();
  });

  it('a change every member needs: three members rolled one at a time, and the client loses nothing', async () => {
    tuned = await scratchRepository();
    await tuned.edit(`environments/${STAGING}.yaml`, (text) => text.replace('  clusterToken: milvus-etcd-staging\n', '  clusterToken: milvus-etcd-staging\n  snapshotCount: 40000\n'));
    await tuned.render(STAGING);
    for (const [what, root] of [['rolled to snapshot-count 40000', tuned.root], ['rolled back to the repository\'s topology', REPO_ROOT]] as const) {
      const writer = milvusWriter(`roll-${Date.now()}`);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const run = await deployFromRepository(context.model, root, '--env-file', envFile(STAGING));
      const figures = await writer.stop();
      // Each member's step, leadership moves, and the verdict with the time of each stage (preflight, prepare, deploy, converge).
      const steps = run.stderr.split('\n').filter((line) => /^rolled etcd member|^leadership|^host preparation|^deploy staging: /.test(line));
      log(`etcd roll, ${what}: deploy exit ${run.code} in ${(run.elapsedMs / 1000).toFixed(1)} s; Milvus's client: ${describeWriter(figures)}`);
      for (const line of steps) log(`  ${line}`);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.match(/^rolled etcd member etcd\d alone /gm)).toHaveLength(2);
      // Every data directory is mounted by a task running on its host: no preparation job (a container per host).
      expect(run.stderr).toContain('host preparation: no job on stg-etcd1, stg-etcd2, stg-etcd3, stg-minio1, stg-minio2, stg-minio3, stg-minio4: their 11 data directories are mounted by tasks running there');
      expect(figures.lost, describeWriter(figures)).toBe(0);
      expect(figures.acknowledged).toBeGreaterThan(0);
    }
    await verifyUntil('verify clean after the rolls', clean, 150_000);
  });

  it('the leader\'s host stopped under the client: writes go on after one election, none acknowledged is lost', async () => {
    const cluster = etcdCluster(managerRunner(leaderOf(context.nodes)), context.model);
    const statuses = await cluster.statuses(context.model.etcd.members.map((member) => member.name));
    const leader = leaderStatus(statuses);
    const member = context.model.etcd.members.find((entry) => leader && cluster.endpoint(entry.name) === leader.endpoint);
    expect(member, `no leader among ${JSON.stringify(statuses)}`).toBeDefined();
    const host = member!.host!;
    const writer = milvusWriter(`failover-${Date.now()}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const stoppedAt = performance.now();
      log(await nodeAction('stop', host));
      log(`  ${host} (leader ${member!.name}) stopped in ${((performance.now() - stoppedAt) / 1000).toFixed(1)} s`);
      await new Promise((resolve) => setTimeout(resolve, 20_000));
    } finally {
      log(await nodeAction('start', host));
    }
    await verifyUntil('verify clean with the host back', clean, 180_000);
    const figures = await writer.stop();
    log(`etcd failover, ${member!.name}'s host ${host} stopped for 20 s: Milvus's client: ${describeWriter(figures)}`);
    expect(figures.lost, describeWriter(figures)).toBe(0);
    expect(figures.readBackError ?? '').toBe('');
    expect(figures.acknowledged).toBeGreaterThan(100);
  });
});
