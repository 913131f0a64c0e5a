// Whether nginx still has the MinIO nodes' current addresses in dnsrr mode (generator/verify/proxyAddresses.ts), and
// deploy's restart of a stale proxy (generator/deploy/refreshProxy.ts), with docker output shaped as engine 20.10
// prints it (task fields trimmed to what is read).
import { describe, expect, it } from 'vitest';
import { refreshStaleProxy } from '../../generator/deploy/operations/proxyRestart.ts';
import { judgeProxyAddresses } from '../../generator/verify/proxyAddresses.ts';
import { minioProxyAddresses, staleBackends } from '../../generator/cluster/proxyAddresses.ts';
import { failed, ok, scriptedDocker } from '../deploy/support.ts';
import { frozenModel } from './support.ts';

const at = (time: string) => Date.parse(`2026-11-26T${time}Z`);

describe('staleBackends', () => {
  it('names the backends whose task was created after the oldest proxy looked the names up', () => {
    const backends = [
      { service: 'minio1', createdAt: at('07:51:31.190') },
      { service: 'minio2', createdAt: at('07:57:30.012') },
    ];
    expect(staleBackends([at('07:51:45.100')], backends)).toEqual(['minio2']);
    expect(staleBackends([at('08:03:26.908')], backends)).toEqual([]);
    // Two proxy tasks: the older one decides.
    expect(staleBackends([at('08:03:26.908'), at('07:51:45.100')], backends)).toEqual(['minio2']);
    expect(staleBackends([], backends)).toEqual([]);
  });
});

const SERVICE_PS = 'service ps --no-trunc --filter desired-state=running --format {{.ID}} {{.Name}}';
const task = (id: string, created: string, running: string, container: string) => ({
  ID: id,
  CreatedAt: `2026-11-26T${created}Z`,
  Status: { Timestamp: `2026-11-26T${running}Z`, State: 'running', Message: 'started', ContainerStatus: { ContainerID: container, PID: 1, ExitCode: 0 } },
  DesiredState: 'running',
});
// The proxy's task was created before minio1 became running, but its container started after: a restart waits out
// the restart policy's delay between the two (seen on the local swarm: created 07:51:40.36, started 07:51:45.4).
const PROXY = task('shrhlnim527acy151lrfc9i1h', '07:51:40.360', '07:51:50.100', 'c-proxy');
// minio2's task was replaced after nginx started (scaled 0 → 1: a new task, a new address); minio3's status was
// reported again later (its timestamp moved on) but its task, and so its address, is the one nginx resolved.
const NODES = ['minio1', 'minio2', 'minio3', 'minio4'].map((name, index) =>
  task(`t${index + 1}`, index === 1 ? '07:57:30.012' : '07:51:31.190', index === 1 ? '07:57:35.699' : index === 2 ? '07:58:02.000' : '07:51:43.574', `c-${name}`),
);
const psLines = ['shrhlnim527acy151lrfc9i1h milvus_minio-proxy.1', ...NODES.map((entry, index) => `${entry.ID} milvus_minio${index + 1}.1`)].join('\n');

describe('minioProxyAddresses', () => {
  it('finds minio2 stale when its task was created after nginx started (its container, not its task), and not minio3, whose status merely moved on', async () => {
    const docker = scriptedDocker([
      [SERVICE_PS, ok(psLines)],
      ['inspect', ok(JSON.stringify([...NODES].reverse().concat(PROXY)))],
      ['container inspect --format {{.State.StartedAt}} c-proxy', ok('2026-11-26T07:51:45.408272807Z\n')],
    ]);
    const model = frozenModel('local');
    expect(await minioProxyAddresses(docker, model, 5_000)).toEqual({ ok: true, value: { kind: 'stale', proxy: 'minio-proxy', stale: ['minio2'] } });
    expect(docker.calls[0]).toBe(`${SERVICE_PS} milvus_minio-proxy milvus_minio1 milvus_minio2 milvus_minio3 milvus_minio4`);
    expect(judgeProxyAddresses({ kind: 'stale', proxy: 'minio-proxy', stale: ['minio2'] }, 'milvus')).toEqual({
      status: 'warn',
      reason:
        'minio2 started after minio-proxy looked up the MinIO names (dnsrr): nginx sends it nothing and stalls on the old address until its connect timeout — run deploy (it restarts the proxy) or `docker service update --force milvus_minio-proxy`',
    });
  });

  it('finds it fresh once nginx started after every node', async () => {
    const docker = scriptedDocker([
      [SERVICE_PS, ok(psLines)],
      ['inspect', ok(JSON.stringify([PROXY, ...NODES]))],
      ['container inspect', ok('2026-11-26T08:03:26.908272807Z\n')],
    ]);
    const found = await minioProxyAddresses(docker, frozenModel('local'), 5_000);
    expect(found).toEqual({ ok: true, value: { kind: 'fresh', proxy: 'minio-proxy', backends: 4 } });
    expect(judgeProxyAddresses({ kind: 'fresh', proxy: 'minio-proxy', backends: 4 }, 'milvus').status).toBe('pass');
  });

  it('counts a proxy on another node from its task\'s creation: conservatively earlier', async () => {
    const docker = scriptedDocker([
      [SERVICE_PS, ok(psLines)],
      ['inspect', ok(JSON.stringify([PROXY, ...NODES]))],
      ['container inspect', failed('Error: No such container: c-proxy')],
    ]);
    // Its task was created 07:51:40.36, earlier than its container started: a backend task created in between would
    // count as stale although nginx may have it (conservative). minio2's task, created 07:57:30, is stale either way.
    expect(await minioProxyAddresses(docker, frozenModel('local'), 5_000)).toMatchObject({ ok: true, value: { kind: 'stale', stale: ['minio2'] } });
  });

  it('does not apply with virtual IPs, and asks docker nothing', async () => {
    const docker = scriptedDocker([]);
    expect(await minioProxyAddresses(docker, frozenModel('production'), 5_000)).toEqual({ ok: true, value: { kind: 'not-applicable' } });
    expect(docker.calls).toEqual([]);
  });
});

describe('refreshStaleProxy (deploy)', () => {
  it('leaves a fresh proxy alone', async () => {
    const docker = scriptedDocker([
      [SERVICE_PS, ok(psLines)],
      ['inspect', ok(JSON.stringify([PROXY, ...NODES]))],
      ['container inspect', ok('2026-11-26T08:03:26.908272807Z\n')],
    ]);
    expect(await refreshStaleProxy(docker, frozenModel('local'), 1_000)).toEqual({ notes: [] });
    expect(docker.calls.filter((call) => call.startsWith('service update'))).toEqual([]);
  });

  it('restarts a stale one with a forced update, then waits for the stack again', async () => {
    const docker = scriptedDocker([
      [SERVICE_PS, ok(psLines)],
      ['inspect', ok(JSON.stringify([PROXY, ...NODES]))],
      ['container inspect', ok('2026-11-26T07:51:45.408272807Z\n')],
      ['service update', ok('')],
      // The wait after it: an empty stack ends it at its (tiny) timeout.
      ['service ls', ok('')],
    ]);
    const refreshed = await refreshStaleProxy(docker, frozenModel('local'), 10);
    expect(docker.calls).toContain('service update --force --detach --quiet milvus_minio-proxy');
    expect(refreshed.notes).toEqual(['restarted minio-proxy: minio2 started after it looked up the MinIO names (dnsrr: nginx had their old addresses)']);
    expect(refreshed.converged).toMatchObject({ ok: false, reason: 'no-services' });
  });

  it('says what to run when the restart cannot be asked for', async () => {
    const docker = scriptedDocker([
      [SERVICE_PS, ok(psLines)],
      ['inspect', ok(JSON.stringify([PROXY, ...NODES]))],
      ['container inspect', ok('2026-11-26T07:51:45.408272807Z\n')],
      ['service update', failed('Error response from daemon: rpc error: code = Unknown desc = update out of sequence')],
    ]);
    const refreshed = await refreshStaleProxy(docker, frozenModel('local'), 1_000);
    expect(refreshed.problem).toBe(
      'minio2 started after minio-proxy looked up the MinIO names (dnsrr), and restarting it failed: Error response from daemon: rpc error: code = Unknown desc = update out of sequence: run `docker service update --force milvus_minio-proxy`',
    );
  });
});
