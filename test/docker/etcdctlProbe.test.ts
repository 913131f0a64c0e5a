// A deploy's etcdctl calls through one probe container (cluster/etcdctlProbe.ts), with a scripted docker: the faults
// here (a probe that cannot start, one that is gone mid-deploy) are docker's answers, named as such. The real probe
// runs in every deploy of the e2e and staging suites.
import { describe, expect, it } from 'vitest';
import { etcdctlProbe, probeExecArgs, probeRunArgs } from '../../generator/cluster/etcdctlProbe.ts';
import { failed, ok, scriptedDocker } from '../deploy/support.ts';

const target = { network: 'milvus_milvus-cluster-net', image: 'etcd:v3.5.5', stack: 'milvus' };
const STATUS = '[{"Endpoint":"etcd1:2379"}]';

describe('etcdctl through a probe container', () => {
  it('one container for every call, each a docker exec, removed on close; etcdctl\'s own failure is its answer', async () => {
    const docker = scriptedDocker([
      ['run --detach', ok('c0ffee')],
      ['exec', (args) => (args.includes('status') ? ok(STATUS) : failed('Error: context deadline exceeded'))],
      ['rm --force', ok('')],
    ]);
    const probe = etcdctlProbe(docker, target);
    expect(await probe.call(['etcd1:2379'], ['endpoint', 'status'], 5_000)).toMatchObject({ code: 0, stdout: STATUS });
    expect(await probe.call(['etcd1:2379'], ['member', 'list'], 5_000)).toMatchObject({ code: 1, stderr: 'Error: context deadline exceeded' });
    await probe.close();
    const name = /--name (\S+)/.exec(docker.calls[0]!)![1]!;
    expect(docker.calls).toEqual([
      probeRunArgs(target, name).join(' '),
      probeExecArgs(name, ['etcd1:2379'], ['endpoint', 'status']).join(' '),
      probeExecArgs(name, ['etcd1:2379'], ['member', 'list']).join(' '),
      `rm --force ${name}`,
    ]);
    // etcd itself keeps the container up (the image has no shell, no sleep), on localhost only.
    expect(docker.calls[0]).toMatch(/--entrypoint etcd etcd:v3\.5\.5 --name=\S+ --data-dir=\/tmp\/milvus-swarm-etcdctl --listen-client-urls=http:\/\/127\.0\.0\.1:32379 /);
  });

  it('a probe that cannot start: every call runs in a one-off container, as before, and the failed start is cleaned up', async () => {
    const docker = scriptedDocker([
      ['run --detach', failed('docker: Error response from daemon: pull access denied for etcd, repository does not exist.', 125)],
      ['rm --force', ok('')],
      ['run --rm', ok(STATUS)],
    ]);
    const probe = etcdctlProbe(docker, target);
    expect(await probe.call(['etcd1:2379'], ['endpoint', 'status'], 5_000)).toMatchObject({ code: 0, stdout: STATUS });
    expect(await probe.call(['etcd1:2379'], ['endpoint', 'status'], 5_000)).toMatchObject({ code: 0, stdout: STATUS });
    expect(docker.calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['run --detach', 'rm --force', 'run --rm', 'run --rm']);
    expect(docker.calls.at(-1)).toMatch(/^run --rm --name milvus-swarm-step-[0-9a-f]{8} --label io\.milvus-swarm\.verify=milvus --network milvus_milvus-cluster-net --entrypoint etcdctl etcd:v3\.5\.5 --endpoints=etcd1:2379 /);
  });

  it('a probe gone mid-deploy (docker refuses the exec): that call and the rest run in one-off containers', async () => {
    const docker = scriptedDocker([
      ['run --detach', ok('c0ffee')],
      ['exec', failed('Error response from daemon: Container c0ffee is not running')],
      ['rm --force', ok('')],
      ['run --rm', ok(STATUS)],
    ]);
    const probe = etcdctlProbe(docker, target);
    expect(await probe.call(['etcd1:2379'], ['endpoint', 'status'], 5_000)).toMatchObject({ code: 0, stdout: STATUS });
    expect(await probe.call(['etcd1:2379'], ['endpoint', 'status'], 5_000)).toMatchObject({ code: 0, stdout: STATUS });
    expect(docker.calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual(['run --detach', 'exec milvus-swarm-step-probe-' + /probe-([0-9a-f]{8})/.exec(docker.calls[0]!)![1], 'run --rm', 'run --rm']);
  });

  it('a deploy that asks etcd nothing starts no probe and removes none', async () => {
    const docker = scriptedDocker([]);
    await etcdctlProbe(docker, target).close();
    expect(docker.calls).toEqual([]);
  });
});
