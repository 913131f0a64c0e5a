// Co-tenancy (issue 14): the runbook's `milvus` stack also runs Milvus itself (milvus_milvus-proxy), deployed from
// another compose file. A stand-in for it — a service and a config deployed into the same stack namespace from a
// file of its own — keeps running, unrestarted, through a deploy that rolls every etcd member one at a time, removes a
// service the topology no longer has (the etcd proxy renamed) and prunes the config a template change replaced, and
// through the repository's deploy that changes all of it back. A poller watches the members meanwhile: never two down.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docker } from '../../../generator/docker/cli.ts';
import { dockerOk } from '../support/docker.ts';
import { renderedMembers } from '../../../generator/deploy/operations/stackFiles.ts';
import { runningSpecs } from '../../../generator/deploy/operations/runningSpecs.ts';
import { processDocker } from '../../../generator/docker/runner.ts';
import { REPO_ROOT } from '../harness/paths.ts';
import { STAGING } from '../harness/staging.ts';
import { scratchRepository, type Scratch } from '../support/scratch.ts';
import { deployFromRepository } from '../support/stack.ts';
import { clean, log, ready, staging, verifyUntil, type Staging } from './support.ts';

const FOREIGN = 'milvus-proxy';
const FOREIGN_CONFIG = 'milvus_conf';
let context: Staging;
let foreignDir = '';
let changed: Scratch;

const foreignStack = (helperImage: string) => `version: "3.8"
services:
  ${FOREIGN}:
    image: ${helperImage}
    command: [sleep, "86400"]
    networks: [milvus-cluster-net]
    configs: [{ source: ${FOREIGN_CONFIG}, target: /milvus.yaml }]
    deploy: { replicas: 1, placement: { constraints: [node.role == manager] } }
networks:
  milvus-cluster-net: { external: true, name: milvus_milvus-cluster-net }
configs:
  ${FOREIGN_CONFIG}: { file: ./milvus.yaml }
`;

/**
 * What must not change for the other team's service: its spec, the record an update leaves (swarm keeps the spec
 * before any `docker service update` as PreviousSpec, ours or anyone's, and its UpdateStatus), its one running task
 * and its config. Not its Version.Index alone: swarm's manager also bumps it on its own writes (its allocator's, for
 * one). A full CI run at load 13–19 saw 4322 → 4364 with the same task and config, and the same file run alone kept
 * it; that assertion could not say whether anyone had updated the service. The spec and the update record can, so
 * they are what is asserted; the version is logged beside, for the record.
 */
async function foreignState() {
  const name = `${context.model.stack}_${FOREIGN}`;
  const [inspected] = JSON.parse(await dockerOk(['service', 'inspect', name], { timeoutMs: 15_000 })) as { Version: { Index: number }; Spec: unknown; PreviousSpec?: unknown; UpdateStatus?: unknown }[];
  const tasks = (await dockerOk(['service', 'ps', '--quiet', '--no-trunc', '--filter', 'desired-state=running', name], { timeoutMs: 15_000 })).trim().split('\n').filter(Boolean);
  const configs = (await dockerOk(['config', 'ls', '--format', '{{.Name}}'], { timeoutMs: 15_000 })).split('\n').filter((entry) => entry === `${context.model.stack}_${FOREIGN_CONFIG}`);
  return {
    spec: JSON.stringify(inspected!.Spec),
    lastUpdate: JSON.stringify({ previousSpec: inspected!.PreviousSpec ?? null, updateStatus: inspected!.UpdateStatus ?? null }),
    tasks,
    configs,
    version: inspected!.Version.Index,
  };
}

/** foreignState without the version (see there), logging both versions. */
async function expectForeignUntouched(before: Awaited<ReturnType<typeof foreignState>>): Promise<void> {
  const { version, ...now } = await foreignState();
  log(`the foreign service's Version.Index: ${before.version} before, ${version} after (swarm may bump it with no update)`);
  const { version: _ignored, ...then } = before;
  expect(now).toEqual(then);
}

const specsIn = async (root: string) => new Map(renderedMembers(await readFile(path.join(root, 'rendered', STAGING, 'stack.yaml'), 'utf8')).map((member) => [member.name, member.spec]));
async function runningMemberSpecs(): Promise<Map<string, string | undefined>> {
  const running = await runningSpecs(processDocker, context.model.stack, 15_000);
  if (!running.ok) throw new Error(running.error);
  return new Map(context.model.etcd.members.map((member) => [member.name, running.value.get(member.name)]));
}

beforeAll(async () => {
  context = await staging();
  await ready(context);
  foreignDir = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-foreign-'));
  await writeFile(path.join(foreignDir, 'milvus.yaml'), 'etcd:\n  endpoints: [etcd-proxy:23790]\n');
  await writeFile(path.join(foreignDir, 'milvus-proxy.yaml'), foreignStack(context.model.swarm.helperImage));
  // A service of that name left by another file would be updated, not created, and its update still running when a
  // test takes its "before" (the takeover drill's Milvus stand-in did that once): created fresh, and settled.
  const leftover = await docker(['service', 'rm', `${context.model.stack}_${FOREIGN}`], { timeoutMs: 30_000 });
  if (leftover.code === 0) await until(async () => (await docker(['service', 'ps', '--quiet', `${context.model.stack}_${FOREIGN}`], { timeoutMs: 15_000 })).code !== 0);
  await dockerOk(['stack', 'deploy', '--compose-file', path.join(foreignDir, 'milvus-proxy.yaml'), '--resolve-image', 'never', context.model.stack], { timeoutMs: 120_000, cwd: foreignDir });
  await until(async () => {
    const state = await foreignState();
    return state.tasks.length === 1 && !state.lastUpdate.includes('"State":"updating"');
  });
  changed = await scratchRepository();
  await changed.edit(`environments/${STAGING}.yaml`, (text) =>
    text
      .replace('  clusterToken: milvus-etcd-staging\n', '  clusterToken: milvus-etcd-staging\n  snapshotCount: 40000\n')
      .replace('    name: etcd-proxy\n', '    name: etcd-gateway\n'),
  );
  await changed.edit('conf/nginx/nginx.conf.hbs', (text) => `# co-tenancy drill: a new template, so the old config is pruned\n${text}`);
  await changed.render(STAGING);
});

afterAll(async () => {
  await changed?.remove();
  await docker(['service', 'rm', `${context.model.stack}_${FOREIGN}`], { timeoutMs: 60_000 });
  // The config is in use until the service's task is gone.
  await until(async () => {
    const removed = await docker(['config', 'rm', `${context.model.stack}_${FOREIGN_CONFIG}`], { timeoutMs: 15_000 });
    return removed.code === 0 || /not found/i.test(removed.stderr);
  });
  if (foreignDir) await rm(foreignDir, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the foreign service did not get there within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Deploys while sampling the members' replicas every 250 ms: the most members down at one moment, and who. */
async function deployWatchingMembers(cwd: string, ...flags: string[]) {
  const names = new Set(context.model.etcd.members.map((member) => `${context.model.stack}_${member.name}`));
  let watching = true;
  let maxDown = 0;
  const downTogether: string[][] = [];
  const watcher = (async () => {
    while (watching) {
      const listed = await docker(['service', 'ls', '--format', '{{.Name}} {{.Replicas}}', '--filter', `label=com.docker.stack.namespace=${context.model.stack}`], { timeoutMs: 10_000 });
      if (listed.code === 0) {
        const down = listed.stdout.split('\n').map((line) => line.trim().split(' ')).filter(([name, replicas]) => names.has(name!) && replicas?.startsWith('0/')).map(([name]) => name!);
        maxDown = Math.max(maxDown, down.length);
        if (down.length > 1) downTogether.push(down);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const result = await deployFromRepository(context.model, cwd, ...flags);
  watching = false;
  await watcher;
  return { result, maxDown, downTogether };
}

describe('co-tenancy: another team\'s service in the same stack namespace', () => {
  it('rolls every etcd member alone, removes the renamed proxy and the replaced config, and leaves the foreign service and config alone', async () => {
    const before = await foreignState();
    const oldConfig = parse(await readFile(path.join(REPO_ROOT, 'rendered', STAGING, 'stack.yaml'), 'utf8')).configs.nginx_conf.name as string;
    const wanted = await specsIn(changed.root);
    const run = await deployWatchingMembers(changed.root);
    log(`rolling + removal + prune with a co-tenant: ${run.result.stderr.trim().split('\n').at(-1)} (process ${(run.result.elapsedMs / 1000).toFixed(1)} s), most members down at once: ${run.maxDown}`);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.downTogether).toEqual([]);
    expect(run.maxDown).toBe(1);
    // Followers first, the leader last after leadership moved away (which member leads is the cluster's choice).
    expect(run.result.stderr.match(/^rolled etcd member etcd\d alone /gm)).toHaveLength(2);
    expect(run.result.stderr).toMatch(/^rolled etcd member etcd\d last, with the whole stack$/m);
    expect(run.result.stderr).toMatch(new RegExp(`^removed ${context.model.stack}_etcd-proxy: the topology no longer has it$`, 'm'));
    expect(run.result.stderr).toMatch(new RegExp(`^removed unused config ${oldConfig}$`, 'm'));
    expect(await runningMemberSpecs()).toEqual(wanted);
    await expectForeignUntouched(before);
  });

  it('the repository\'s deploy changes it all back (members together, --all-members-at-once), and the foreign service is still untouched', async () => {
    const before = await foreignState();
    const run = await deployWatchingMembers(REPO_ROOT, '--all-members-at-once');
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.result.stderr).toMatch(new RegExp(`^removed ${context.model.stack}_etcd-gateway: the topology no longer has it$`, 'm'));
    expect(await runningMemberSpecs()).toEqual(await specsIn(REPO_ROOT));
    await expectForeignUntouched(before);
    await ready(context);
    // Members restarted together elect a leader; one may answer seconds after the others (seen: etcd1 'context
    // deadline exceeded' right after the deploy, quorum holding). Clean within a bound, as after the other drills.
    await verifyUntil('verify clean after the members restarted together', clean, 90_000);
  });
});
