// deploy as a list of phases: the runner (runPhases) owns the report's phase, timings, progress log and stopping;
// runDeploy runs the real phases against a scripted swarm, in order, and stops where the second rolling step fails.
import { describe, expect, it } from 'vitest';
import type { DockerResult } from '../../generator/docker/runner.ts';
import { runDeploy } from '../../generator/deploy/deploy.ts';
import type { DeployReport } from '../../generator/deploy/runner/contract.ts';
import { DEPLOY_PHASES } from '../../generator/deploy/phases/index.ts';
import { minioServing } from '../../generator/deploy/phases/minioServing.ts';
import { failureBudgetLines, formatStopPoint, slowestPhases } from '../../generator/deploy/report.ts';
import { runPhases } from '../../generator/deploy/runner/runPhases.ts';
import { passed, stepPhase, stopped, type DeployContext, type Phase } from '../../generator/deploy/runner/contract.ts';
import type { Step } from '../../generator/plan/steps.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { renderSource } from '../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../generator/workspace/repository.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { frozenModel, frozenRepositories, frozenText } from '../frozen.ts';
import { topologyModel } from './support.ts';
import { failed, fixture, ok, scriptedDocker } from './support.ts';

const repository = frozenRepositories('milvus-swarm-phases-');

function emptyReport(): DeployReport {
  return { environment: 'local', stack: 'milvus', ok: false, phase: 'topology', topologyProblems: [], problems: [], notes: [], rows: [], failures: [], timings: [], phaseTimes: [] };
}

/** A clock that advances 1 ms per look, so every timing is exact. */
function steppingClock() {
  let ms = 0;
  return () => ms++;
}

describe('runPhases', () => {
  const ran: string[] = [];
  const phase = (name: string, stage: Phase['stage'], ok = true): Phase => ({
    name,
    stage,
    run: async () => {
      ran.push(name);
      return ok ? passed({ notes: [`${name} done`] }) : stopped([`${name} failed`], { notes: [`${name} half done`], stopped: { state: `${name} left things half done`, resume: 'npx milvus-swarm deploy --env local' } });
    },
  });
  const context = (log: string[]) => ({ environment: 'local', log: (line: string) => log.push(line) }) as unknown as DeployContext;

  it('runs every phase in order, logs each stage once, and times each stage', async () => {
    ran.length = 0;
    const log: string[] = [];
    const report = await runPhases([phase('a', 'preflight'), phase('b', 'prepare'), phase('c', 'prepare'), phase('d', 'deploy')], context(log), emptyReport(), steppingClock());
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    expect(log).toEqual(['deploy local: preflight', 'deploy local: prepare', 'deploy local: deploy', 'deploy local: done']);
    expect(report).toMatchObject({ ok: true, phase: 'done', notes: ['a done', 'b done', 'c done', 'd done'], problems: [] });
    expect(report.timings.map((timing) => timing.phase)).toEqual(['topology', 'preflight', 'prepare', 'deploy']);
    // Each phase timed on its own (the stepping clock ticks once inside each run).
    expect(report.phaseTimes).toEqual(['a', 'b', 'c', 'd'].map((name) => ({ name, ms: 1 })));
    expect(report.stopped).toBeUndefined();
  });

  it('names the slowest phases, slowest first, leaving out those under half a second', () => {
    const report = { ...emptyReport(), phaseTimes: [ { name: 'preflight', ms: 400 }, { name: 'rollingMembers', ms: 26_400 }, { name: 'converge', ms: 8_130 }, { name: 'buckets', ms: 500 } ] };
    expect(slowestPhases(report)).toBe('slowest phases: rollingMembers 26.4 s, converge 8.1 s, buckets 0.5 s');
    expect(slowestPhases(report, 1)).toBe('slowest phases: rollingMembers 26.4 s');
    expect(slowestPhases({ ...report, phaseTimes: [{ name: 'preflight', ms: 499 }] })).toBe('');
  });

  it('stops at the first failing phase (2 of 4): later phases never run, its stage is where it failed', async () => {
    ran.length = 0;
    const log: string[] = [];
    const report = await runPhases([phase('a', 'preflight'), phase('b', 'prepare', false), phase('c', 'prepare'), phase('d', 'deploy')], context(log), emptyReport(), steppingClock());
    expect(ran).toEqual(['a', 'b']);
    expect(log).toEqual(['deploy local: preflight', 'deploy local: prepare']);
    expect(report).toMatchObject({ ok: false, phase: 'prepare', notes: ['a done', 'b half done'], problems: ['b failed'] });
    expect(report.timings.map((timing) => timing.phase)).toEqual(['topology', 'preflight', 'prepare']);
    expect(report.stopped).toEqual({ phase: 'b', state: 'b left things half done', resume: 'npx milvus-swarm deploy --env local' });
    expect(formatStopPoint(report)).toEqual(['stopped in b: b left things half done', 'to resume once the cause is fixed: npx milvus-swarm deploy --env local']);
  });
});

describe('plan steps as phases', () => {
  it('a failure names the step and its place: step 2 of 4 stops the rest, with the way on and back', async () => {
    const step = (member: string): Step => ({ id: `etcd-member-add:${member}`, kind: 'etcd-member-add', member, peerUrl: `http://${member}:2380`, learner: true, through: [], changes: [], verifyAfter: [] });
    const ran: string[] = [];
    const steps = ['etcd4', 'etcd5', 'etcd6', 'etcd7'].map(step);
    const phases = steps.map((entry, index) =>
      stepPhase(entry, index + 1, steps.length, async () => {
        ran.push(entry.id);
        if (index !== 1) return passed();
        return stopped(['etcd5 never caught up with the leader'], {
          stopped: { state: 'etcd4 is a voting member; etcd5 is listed as a learner and not promoted', resume: 'npx milvus-swarm deploy --env local', revert: 'etcdctl member remove <id of etcd5>' },
        });
      }),
    );
    const report = await runPhases(phases, { environment: 'local', log: () => undefined } as unknown as DeployContext, emptyReport(), steppingClock());
    expect(ran).toEqual(['etcd-member-add:etcd4', 'etcd-member-add:etcd5']);
    expect(report).toMatchObject({ ok: false, phase: 'deploy', problems: ['etcd5 never caught up with the leader'] });
    expect(report.stopped).toEqual({
      phase: 'etcd-member-add:etcd5',
      step: { id: 'etcd-member-add:etcd5', number: 2, of: 4 },
      state: 'etcd4 is a voting member; etcd5 is listed as a learner and not promoted',
      resume: 'npx milvus-swarm deploy --env local',
      revert: 'etcdctl member remove <id of etcd5>',
    });
    expect(formatStopPoint(report)).toEqual([
      'stopped in etcd-member-add:etcd5, step 2 of 4 (etcd-member-add:etcd5): etcd4 is a voting member; etcd5 is listed as a learner and not promoted',
      'to resume once the cause is fixed: npx milvus-swarm deploy --env local',
      'to revert it: etcdctl member remove <id of etcd5>',
    ]);
  });
});

describe('the deploy phases', () => {
  it('run in this order', () => {
    expect(DEPLOY_PHASES.map((phase) => `${phase.stage}: ${phase.name}`)).toEqual([
      'preflight: preflight',
      'preflight: failure budget before',
      'preflight: recovery point',
      'prepare: node labels',
      'prepare: host preparation',
      'prepare: monitoring files',
      'deploy: plan steps',
      'deploy: orphan removal',
      'deploy: hand-set images',
      'deploy: minio nodes before their load balancer',
      'deploy: rolling etcd members',
      'deploy: stack deploy',
      'converge: converge',
      'converge: proxy refresh',
      'converge: minio serving',
      'converge: monitoring reload',
      'converge: plan steps after the stack',
      'converge: buckets',
      'converge: verify user',
      'converge: failure budget after',
      'converge: recovery window',
      'converge: prune',
      'converge: record',
    ]);
  });
});

/**
 * A healthy one-node swarm running the local stack, as docker answers: every service at its replicas for long,
 * every etcd member on an older spec (so all three restart, in two rolling steps and the final deploy). `stack deploy`
 * answers in turn from `stackDeploys`.
 */
function scriptedSwarm(model: ClusterModel, stackDeploys: DockerResult[], deployedText?: string, silentMembers: readonly string[] = []) {
  const services = model.services.map((service) => ({ name: `${model.stack}_${service.name}`, id: `id${service.name.replace(/-/g, '')}`, image: service.image, replicas: service.replicas, role: service.role }));
  const tasks = services.map((service) => ({
    ID: `task${service.id}`,
    ServiceID: service.id,
    CreatedAt: service.name.endsWith('minio-proxy') ? '2020-01-02T00:00:00Z' : '2020-01-01T00:00:00Z',
    DesiredState: 'running',
    Status: { State: 'running', Timestamp: '2020-01-01T00:00:01Z', ContainerStatus: { ContainerID: '' } },
  }));
  const inspectById = (ids: readonly string[]) =>
    ids.map((id) => tasks.find((task) => task.ID === id) ?? { ID: id, ServiceID: '', CreatedAt: '', DesiredState: 'shutdown', Status: { State: 'complete', Timestamp: '2020-01-01T00:00:00Z' } });
  let deploys = 0;
  const etcd = scriptedEtcd(silentMembers);
  const namespace = `label=com.docker.stack.namespace=${model.stack}`;
  return scriptedDocker([
    ['info', ok(fixture('swarm-info.json'))],
    ['node ls', ok(fixture('node-ls.jsonl'))],
    ['node inspect', ok(JSON.stringify([{ ID: '2uii89rul3n8pbh07po3phncm', Spec: { Labels: {} } }]))],
    ['secret ls', ok(fixture('secret-ls.jsonl'))],
    ['config ls --quiet', ok(deployedText ? 'record1' : '')],
    [
      'config inspect',
      ok(
        JSON.stringify([
          {
            Spec: {
              Name: 'milvus_topology_000000000000',
              Labels: { 'io.milvus-swarm.record': 'deployed-topology', 'io.milvus-swarm.stack': 'milvus', 'io.milvus-swarm.environment': 'local', 'io.milvus-swarm.deployed-at': '2020-01-01T00:00:00.000Z' },
              Data: Buffer.from(deployedText ?? '').toString('base64'),
            },
          },
        ]),
      ),
    ],
    ['config ls', ok('')],
    ['config create', ok('')],
    ['service create', ok('')],
    ['service rm', ok('')],
    ['service ls --quiet --filter label=io.milvus-swarm.prepare', ok('')],
    [`service ls --quiet --filter ${namespace}`, ok(services.map((service) => service.id).join('\n'))],
    [`service ls --filter ${namespace} --filter label=io.milvus-swarm.role`, ok(services.map((service) => service.name).join('\n'))],
    ['service ls --format {{.ID}} {{.Name}}', ok(services.map((service) => `${service.id} ${service.name}`).join('\n'))],
    ['network ls', ok('')],
    ['service ps --filter desired-state=running --format', ok('')],
    ['service ls --format {{json .}}', ok(services.map((service) => JSON.stringify({ ID: service.id, Replicas: `${service.replicas}/${service.replicas}` })).join('\n'))],
    ['service inspect --format', ok(model.etcd.members.map((member) => `${model.stack}_${member.name} 000000000000`).join('\n'))],
    [
      'service inspect',
      ok(
        JSON.stringify(
          services.map((service) => ({
            ID: service.id,
            // Deployed by milvus-swarm: its role label (a service without one would be a takeover).
            Spec: { Name: service.name, Labels: { 'io.milvus-swarm.role': service.role }, TaskTemplate: { ContainerSpec: { Image: service.image }, Placement: {} }, Mode: { Replicated: { Replicas: service.replicas } } },
          })),
        ),
      ),
    ],
    ['service ps --quiet --no-trunc --filter', ok(tasks.map((task) => task.ID).join('\n'))],
    ['service ps --quiet --no-trunc', ok('jobtask')],
    ['service ps --no-trunc --filter desired-state=running --format {{.ID}} {{.Name}}', ok(services.map((service) => `task${service.id} ${service.name}.1`).join('\n'))],
    ['inspect', (args) => ok(JSON.stringify(inspectById(args.slice(1))))],
    // etcdctl in the deploy's probe container (cluster/etcdctlProbe.ts): started once, each call a docker exec.
    ['run --detach', ok('probe')],
    ['exec', (args) => etcd.answer(args)],
    ['rm --force', ok('')],
    ['run', (args) => etcd.answer(args)],
    ['stack deploy', () => stackDeploys[deploys++] ?? ok('')],
  ]);
}

/**
 * etcdctl's answers from the fixtures (etcd2 leads), except that `move-leader` moves leadership as etcd does: the
 * rolling phase moves it away from the leader before restarting it, and waits until the members name the new one.
 */
function scriptedEtcd(silent: readonly string[] = []) {
  const decimal = (text: string) => text.replace(/("member_id":|"leader":)\s*(\d+)/g, '$1"$2"');
  const entries = JSON.parse(decimal(fixture('../../verify/fixtures/endpoint-status-healthy.json'))) as { Status: { leader: string } }[];
  let leader = entries[0]!.Status.leader;
  const moves: string[] = [];
  return {
    moves,
    answer(args: readonly string[]): DockerResult {
      const moveAt = args.indexOf('move-leader');
      if (moveAt !== -1) {
        leader = BigInt(`0x${args[moveAt + 1]}`).toString();
        moves.push(leader);
        return ok('');
      }
      if (!args.includes('status')) return ok(fixture('../../verify/fixtures/member-list.json'));
      const answering = entries.filter((entry) => !silent.includes((entry as unknown as { Endpoint: string }).Endpoint.split(':')[0]!));
      return ok(JSON.stringify(answering.map((entry) => ({ ...entry, Status: { ...entry.Status, leader } }))).replace(/"(\d{16,})"/g, '$1'));
    },
  };
}

/**
 * The real phases, with one named stand-in: no MinIO answers behind a scripted swarm, so 'minio serving' (tested
 * against a real MinIO in test/deploy/minioServing.test.ts) passes without asking. Everything else runs as deploy runs it.
 */
const SCRIPTED_PHASES = DEPLOY_PHASES.map((phase) =>
  phase === minioServing ? { ...phase, run: async () => passed({ notes: ['(stand-in) MinIO serving: no MinIO behind the scripted swarm'] }) } : phase,
);

describe('runDeploy', () => {
  const deployWith = async (stackDeploys: DockerResult[]) => {
    const docker = scriptedSwarm(frozenModel('local'), stackDeploys);
    const log: string[] = [];
    const report = await runDeploy({ root: repository(), environment: 'local', runner: docker, log: (line) => log.push(line) }, SCRIPTED_PHASES);
    return { report, log, calls: docker.calls };
  };
  const kinds = (calls: readonly string[]) => calls.map((call) => /^(stack deploy|config create|config rm|service create|node update)/.exec(call)?.[1]).filter(Boolean);

  it('goes through every phase of a rolling change, the leader (etcd2) last after moving leadership, and records the topology last', async () => {
    const { report, log, calls } = await deployWith([]);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, phase: 'done' });
    expect(log.filter((line) => line.startsWith('deploy local: '))).toEqual([
      'deploy local: preflight',
      'deploy local: prepare',
      'deploy local: deploy',
      'deploy local: etcd member etcd1 first, holding back etcd3, etcd2',
      'deploy local: etcd member etcd3 first, holding back etcd2',
      'deploy local: converge',
      'deploy local: done',
    ]);
    // Two jobs prepare the directories, three stack files roll the members, the records come last (the topology, and
    // the stack file deployed, against which the next deploy names hand edits).
    expect(kinds(calls)).toEqual(['service create', 'service create', 'stack deploy', 'stack deploy', 'stack deploy', 'config create', 'config create']);
    // Every etcdctl call of the deploy went through one probe container, removed at the end.
    const probes = calls.filter((call) => call.startsWith('run '));
    expect(probes).toEqual([expect.stringMatching(/^run --detach --rm --name milvus-swarm-step-probe-[0-9a-f]{8} .* --entrypoint etcd etcd:v3\.5\.5 /)]);
    const probe = /--name (\S+)/.exec(probes[0]!)![1]!;
    expect(calls.filter((call) => call.startsWith('exec ')).every((call) => call.startsWith(`exec ${probe} etcdctl --endpoints=`))).toBe(true);
    expect(calls.filter((call) => call.startsWith('exec ')).length).toBeGreaterThan(5);
    expect(calls.at(-1)).toBe(`rm --force ${probe}`);
    expect(report.notes).toContain('rolled etcd member etcd2 last, with the whole stack');
    // etcd2 led: leadership moved to the most caught-up other member before etcd2 restarted with the stack.
    expect(report.notes.filter((note) => note.startsWith('leadership moved'))).toEqual([expect.stringMatching(/^leadership moved from etcd2 to etcd[13]$/)]);
    expect(report.timings.map((timing) => timing.phase)).toEqual(['topology', 'preflight', 'prepare', 'deploy', 'converge']);
    expect(report.rows.map((row) => row.state)).toEqual(report.rows.map(() => 'converged'));
    // The failure budget before and after, from what etcdctl answered (MinIO's needs root's pair, not given here).
    const budget = 'etcd: 3 voting members, 3 answer, tolerates 1 more; MinIO: not counted (no root credentials)';
    expect(report.failureBudget).toEqual({ before: budget, after: budget });
    expect(failureBudgetLines(report)).toEqual([`failure budget before: ${budget}`, `failure budget after: ${budget}`]);
  });

  it('stops when the second rolling step fails: the third member and everything after it untouched, with the way on and back', async () => {
    const refused = failed('Error response from daemon: rpc error: code = Unknown desc = update out of sequence');
    const { report, calls } = await deployWith([ok(''), refused]);
    expect(report).toMatchObject({ ok: false, phase: 'deploy' });
    expect(report.problems).toEqual(['docker stack deploy milvus exited 1: Error response from daemon: rpc error: code = Unknown desc = update out of sequence']);
    expect(report.notes.filter((note) => note.startsWith('rolled'))).toEqual([expect.stringMatching(/^rolled etcd member etcd1 alone in \d+\.\d s \(leadership checked \d+\.\d s, stack deploy \d+\.\d s, restarted and settled \d+\.\d s, every member answering \d+\.\d s\), then every member answered with one leader$/)]);
    // No third stack file, no record of a deploy that did not happen.
    expect(kinds(calls)).toEqual(['service create', 'service create', 'stack deploy', 'stack deploy']);
    expect(report.stopped).toEqual({
      phase: 'rolling etcd members',
      state: 'etcd1 runs the new spec; etcd3 may or may not have been updated; etcd2 still runs the previous spec',
      resume: 'npx milvus-swarm deploy --env local',
      revert: 'docker service rollback milvus_etcd3',
    });
    expect(report.timings.map((timing) => timing.phase)).toEqual(['topology', 'preflight', 'prepare', 'deploy']);
    // The rows are the stack as the first step left it.
    expect(report.rows.length).toBe(frozenModel('local').services.length);
  });
});

describe('a network rename (acknowledged)', () => {
  const renamed = frozenText('local').replace('  name: milvus-cluster-net\n', '  name: milvus-net\n') + '\nacknowledge: [network-rename:milvus-cluster-net]\n';

  /** The frozen repository with environments/local.yaml renamed, and rendered/local/ rendered from it. */
  async function renamedRepository(): Promise<string> {
    const root = repository();
    writeFileSync(path.join(root, 'environments/local.yaml'), renamed);
    const rendered = renderSource({ environment: 'local', file: 'environments/local.yaml', text: renamed }, await readTemplates());
    if (!rendered.ok) throw new Error('the renamed local topology does not render');
    for (const [file, text] of rendered.files) writeFileSync(path.join(root, 'rendered/local', file), text);
    return root;
  }

  it('restarts the etcd members together, as the plan says: one alone on the new network could not reach its peers', async () => {
    expect(renamed).not.toBe(frozenText('local'));
    const docker = scriptedSwarm(topologyModel(renamed, 'local'), [], frozenText('local'));
    const report = await runDeploy({ root: await renamedRepository(), environment: 'local', runner: docker, log: () => undefined }, SCRIPTED_PHASES);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(docker.calls.filter((call) => call.startsWith('stack deploy'))).toHaveLength(1);
    expect(report.notes).toContain(
      'etcd members etcd1, etcd2, etcd3 restart together (the plan: a member moved to milvus_milvus-net alone cannot reach its peers on milvus_milvus-cluster-net): quorum is lost until they are back',
    );
  });
});
