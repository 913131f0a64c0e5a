// Placement by node labels (issue 14): deploy labels the nodes the topology names, and preflight refuses a declared
// label found on a node the topology does not intend.
import { describe, expect, it } from 'vitest';
import { parseNodeLabels, type SwarmNode } from '../../generator/docker/swarm.ts';
import { labelUpdates, strayLabels } from '../../generator/deploy/operations/nodeLabelling.ts';
import { nodeOfHost } from '../../generator/docker/swarm.ts';
import { preflightProblems } from '../../generator/deploy/operations/preflightChecks.ts';
import { fixture, topologyModel } from './support.ts';
import { frozenText } from '../frozen.ts';

// The frozen production copy, with the runbook's labels on the etcd hosts.
const labelled = frozenText('production')
  .replace('roles: [zk1, etcd1] }', 'roles: [zk1, etcd1], labels: { zk1: "true" } }')
  .replace('roles: [zk2, etcd2] }', 'roles: [zk2, etcd2], labels: { zk2: "true" } }');
const model = topologyModel(labelled, 'production');
const node = (id: string, hostname: string, labels: Record<string, string> = {}): SwarmNode => ({ id, hostname, status: 'Ready', availability: 'Active', managerStatus: '', self: false, labels });
const nodes = () => model.hosts.map((host) => node(host.nodeId!, host.name));

describe('node labels', () => {
  it('reads each node\'s labels from a real `docker node inspect` (the staging swarm\'s etcd host)', () => {
    const labels = parseNodeLabels(fixture('node-inspect.json'));
    expect([...labels.values()]).toEqual([{ zk1: 'true' }]);
    expect([...labels.keys()][0]).toMatch(/^[a-z0-9]{25}$/);
  });

  it('finds a host\'s node by id, else by its one hostname', () => {
    expect(nodeOfHost({ name: 'h', nodeId: 'id2' }, [node('id1', 'h'), node('id2', 'other')])?.id).toBe('id2');
    expect(nodeOfHost({ name: 'h' }, [node('id1', 'h'), node('id2', 'other')])?.id).toBe('id1');
    expect(nodeOfHost({ name: 'h' }, [node('id1', 'h'), node('id2', 'h')])).toBeUndefined();
  });

  it('adds only the labels a node lacks or holds with another value', () => {
    const current = nodes();
    current[1]!.labels = { zk2: 'false', unrelated: 'x' };
    expect(labelUpdates(model, current).map((update) => [update.host, update.node.id, update.add])).toEqual([
      ['gp22aitppapcsve', 'feat9cenkv7h5itauklaueqp6', ['zk1=true']],
      ['gp22aitppap92xg', 'lwzi92s62589xhej0y4o40xkk', ['zk2=true']],
    ]);
    current[0]!.labels = { zk1: 'true' };
    current[1]!.labels = { zk2: 'true' };
    expect(labelUpdates(model, current)).toEqual([]);
  });

  it('refuses a declared label on a node the topology does not give it to, before anything changes', () => {
    const current = nodes();
    current[5]!.labels = { zk1: 'true' };
    expect(strayLabels(model, current)).toEqual([
      'node gp22aitppap7keb (qmq7uiblozdfkuwptvddppeoo) carries the label zk1=true, which production.yaml gives only to host gp22aitppapcsve: services placed by it could start there on empty data dirs — `docker node update --label-rm zk1 qmq7uiblozdfkuwptvddppeoo`, or correct the topology',
    ]);
    const facts = { swarm: { ok: true as const, value: { nodeId: 'x', localNodeState: 'active', controlAvailable: true, error: '' } }, nodes: { ok: true as const, value: current }, secrets: { ok: true as const, value: model.secrets.map((secret) => secret.name) }, drift: { changed: [], missing: [], stray: [] } };
    expect(preflightProblems(model, facts)).toEqual(strayLabels(model, current));
  });
});
