import { describe, expect, it } from 'vitest';
import type { Fact } from '../../generator/docker/calls.ts';
import { parseNames, parseNodeList, parseSwarmInfo, type SwarmNode } from '../../generator/docker/swarm.ts';
import { pinnedHostsReady, preflightProblems, renderedIsCurrent, secretsExist, thisNodeIsManager } from '../../generator/deploy/operations/preflightChecks.ts';
import { fixture, frozenModel } from './support.ts';

const value = <T>(v: T): Fact<T> => ({ ok: true, value: v });
const noDrift = { changed: [], missing: [], stray: [] };

/** The production hosts as a swarm would list them (ids from the topology, all Ready and Active). */
async function productionNodes(): Promise<SwarmNode[]> {
  const model = frozenModel('production');
  return model.hosts.map((host) => ({ id: host.nodeId!, hostname: host.name, status: 'Ready', availability: 'Active', managerStatus: '', self: false, labels: {} }));
}

describe('parsing docker output (captured from a real engine)', () => {
  it('reads swarm info, nodes and secret names', () => {
    expect(parseSwarmInfo(fixture('swarm-info.json'))).toEqual({ nodeId: '2uii89rul3n8pbh07po3phncm', localNodeState: 'active', controlAvailable: true, error: '' });
    expect(parseNodeList(fixture('node-ls.jsonl'))).toEqual([
      { id: '2uii89rul3n8pbh07po3phncm', hostname: 'vm', status: 'Ready', availability: 'Active', managerStatus: 'Leader', self: true, labels: {} },
    ]);
    expect(parseNames(fixture('secret-ls.jsonl'))).toEqual(['milvus_minio_root_password', 'milvus_minio_root_user', 'milvus_minio_verify_password', 'milvus_minio_verify_user']);
  });

  it('reads a node outside any swarm', () => {
    expect(parseSwarmInfo('{"NodeID":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":""}').localNodeState).toBe('inactive');
  });
});

describe('this node is a manager', () => {
  it('passes on a manager', () => {
    expect(thisNodeIsManager(value(parseSwarmInfo(fixture('swarm-info.json'))))).toEqual([]);
  });

  it('says what to do on a worker, outside a swarm, or without a daemon', () => {
    expect(thisNodeIsManager(value({ nodeId: 'x', localNodeState: 'active', controlAvailable: false, error: '' }))).toEqual([
      'this node is a swarm worker: run deploy on a manager (`docker node ls` on a manager lists them)',
    ]);
    expect(thisNodeIsManager(value({ nodeId: '', localNodeState: 'inactive', controlAvailable: false, error: '' }))[0]).toMatch(/swarm state is "inactive": run deploy on a manager/);
    expect(thisNodeIsManager({ ok: false, error: 'docker info: Cannot connect to the Docker daemon' })[0]).toMatch(/^cannot ask the Docker daemon/);
  });
});

describe('pinned hosts', () => {
  it('passes when every pinned host is a Ready, Active node, matched by node id', async () => {
    expect(pinnedHostsReady(frozenModel('production'), value(await productionNodes()))).toEqual([]);
  });

  it('names a Down and a drained node with the command to run', async () => {
    const nodes = (await productionNodes()).map((node) =>
      node.hostname === 'gp22aitppapcsve' ? { ...node, status: 'Down' } : node.hostname === 'gp22aitppapwc2g' ? { ...node, availability: 'Drain' } : node,
    );
    expect(pinnedHostsReady(frozenModel('production'), value(nodes))).toEqual([
      'host gp22aitppapcsve (etcd1): node gp22aitppapcsve is Down: start its Docker engine or fix its network, then deploy again',
      'host gp22aitppapwc2g (minio1): node gp22aitppapwc2g is Drain: `docker node update --availability active w9qfcpvtfstnxsudcom2wj6ii` once its maintenance is over',
    ]);
  });

  it('matches by id first: a rejoined node (new id, same hostname) is a topology fix', async () => {
    const nodes = (await productionNodes()).map((node) => (node.hostname === 'gp22aitppap92xg' ? { ...node, id: 'newnodeid0000000000000000' } : node));
    expect(pinnedHostsReady(frozenModel('production'), value(nodes))).toEqual([
      'host gp22aitppap92xg (etcd2): no node has id lwzi92s62589xhej0y4o40xkk, but node newnodeid0000000000000000 is named gp22aitppap92xg: correct hosts[].nodeId in environments/production.yaml (the node rejoined the swarm?)',
    ]);
  });

  it('matches by hostname without a node id, and refuses an ambiguous one', async () => {
    const model = frozenModel('production');
    const withoutIds = { ...model, hosts: model.hosts.map(({ nodeId: _, ...host }) => host) };
    const nodes = (await productionNodes()).map((node, index) => ({ ...node, id: `other${index}`.padEnd(25, '0') }));
    expect(pinnedHostsReady(withoutIds, value(nodes))).toEqual([]);
    const twins = [...nodes, { ...nodes[0]!, id: 'twin'.padEnd(25, '0') }];
    expect(pinnedHostsReady(withoutIds, value(twins))[0]).toMatch(/^host gp22aitppapcsve \(etcd1\): 2 nodes are named gp22aitppapcsve .*add hosts\[\]\.nodeId/);
  });

  it('has nothing to check for an unpinned topology (local)', async () => {
    expect(pinnedHostsReady(frozenModel('local'), value([]))).toEqual([]);
  });
});

describe('secrets, drift and the whole preflight', () => {
  it('names a missing secret with the command that creates it', async () => {
    expect(secretsExist(frozenModel('local'), value(['milvus_minio_root_user', 'milvus_minio_verify_user', 'milvus_minio_verify_password']))).toEqual([
      'secret milvus_minio_root_password does not exist: create it with `printf \'%s\' "$VALUE" | docker secret create milvus_minio_root_password -`',
    ]);
  });

  it("needs verify's user's secrets too, which no service mounts (deploy creates that user from their values)", async () => {
    expect(secretsExist(frozenModel('local'), value(['milvus_minio_root_user', 'milvus_minio_root_password']))).toEqual([
      'secret milvus_minio_verify_user does not exist: create it with `printf \'%s\' "$VALUE" | docker secret create milvus_minio_verify_user -`',
      'secret milvus_minio_verify_password does not exist: create it with `printf \'%s\' "$VALUE" | docker secret create milvus_minio_verify_password -`',
    ]);
  });

  it('refuses drift in rendered/<env>/', () => {
    expect(renderedIsCurrent('local', { changed: [{ file: 'stack.yaml', firstDifferentLine: 3 }], missing: ['README.md'], stray: [] })).toEqual([
      'rendered/local/ is not what the generator renders now (stack.yaml changed, README.md missing): run `npx milvus-swarm render --env local` and commit rendered/local/',
    ]);
    expect(renderedIsCurrent('local', noDrift)).toEqual([]);
  });

  it('on a worker says so once, not once per thing it cannot list', async () => {
    const problems = preflightProblems(frozenModel('local'), {
      swarm: value({ nodeId: 'x', localNodeState: 'active', controlAvailable: false, error: '' }),
      nodes: { ok: false, error: 'This node is not a swarm manager.' },
      secrets: { ok: false, error: 'This node is not a swarm manager.' },
      drift: noDrift,
    });
    expect(problems).toHaveLength(1);
  });

  it('passes on a healthy local swarm', async () => {
    const problems = preflightProblems(frozenModel('local'), {
      swarm: value(parseSwarmInfo(fixture('swarm-info.json'))),
      nodes: value(parseNodeList(fixture('node-ls.jsonl'))),
      secrets: value(parseNames(fixture('secret-ls.jsonl'))),
      drift: noDrift,
    });
    expect(problems).toEqual([]);
  });
});
