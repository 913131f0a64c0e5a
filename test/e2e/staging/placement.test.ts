// Issue 14's acceptance on the staging swarm: verify is green; every task runs on the host the topology names, each
// etcd member's and MinIO node's data lies in its own host's /mnt/data; the proxies run on managers, one per node, with
// host-mode ports bound only there; the nodes carry the topology's labels; the etcd image has no shell.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerFailure } from '../../../generator/docker/cli.ts';
import { dockerOk } from '../support/docker.ts';
import { pinnedHost } from '../../../generator/model/placement.ts';
import { nodePaths } from '../harness/swarmNodes.ts';
import { STAGING } from '../harness/staging.ts';
import { nodesRunning, notPassing, ready, staging, verifyStaging, type Staging } from './support.ts';

let context: Staging;
beforeAll(async () => {
  context = await staging();
  await ready(context);
});

/** The folder behind a host's /mnt/data (its own mount namespace binds it there). */
const mntOf = (host: string) => nodePaths(STAGING, host).mnt;

const refused = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

describe('the staging swarm (production\'s shape, ten engines)', () => {
  it('verify --env staging --env-file staging.env is green', async () => {
    const run = await verifyStaging();
    expect(notPassing(run)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.rows.map((row) => row.check)).toContain('swarm: services');
  });

  it('runs every pinned service on the host the topology names', async () => {
    for (const service of context.model.services.filter((candidate) => pinnedHost(candidate.placement))) {
      expect({ service: service.name, nodes: await nodesRunning(context.model, service.name) }).toEqual({ service: service.name, nodes: [pinnedHost(service.placement)] });
    }
  });

  it('keeps each member\'s and node\'s data in its own host\'s /mnt/data, and nowhere else', async () => {
    const hosts = context.nodes.map((node) => node.name);
    const etcdHosts = context.model.etcd.members.map((member) => member.host!).sort();
    const etcdHolders = hosts.filter((host) => existsSync(path.join(mntOf(host), 'etcd', 'member', 'snap'))).sort();
    expect(etcdHolders).toEqual(etcdHosts);
    const minioHosts = context.model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.host!)).sort();
    for (const drive of ['disk1', 'disk2']) {
      const holders = hosts.filter((host) => existsSync(path.join(mntOf(host), drive, '.minio.sys', 'format.json')));
      expect({ drive, holders: holders.sort() }).toEqual({ drive, holders: minioHosts });
    }
  });

  it('runs the proxies on managers, one task per node, with their ports bound only where a task runs', async () => {
    const managers = context.model.managers.map((manager) => manager.name!);
    for (const proxy of [context.model.etcd.proxy, context.model.minio.proxy]) {
      const nodes = await nodesRunning(context.model, proxy.name);
      expect(nodes).toHaveLength(proxy.replicas);
      expect(new Set(nodes).size).toBe(nodes.length);
      for (const node of nodes) expect(managers).toContain(node);
    }
    const port = context.model.minio.proxy.s3Port;
    const running = await nodesRunning(context.model, context.model.minio.proxy.name);
    for (const manager of context.model.managers) {
      const health = await fetch(`http://${manager.ip}:${port}/.nginx/health`, { signal: AbortSignal.timeout(3_000) }).then((response) => response.status).catch(() => 0);
      if (running.includes(manager.name!)) expect({ manager: manager.name, health }).toEqual({ manager: manager.name, health: 200 });
      else expect({ manager: manager.name, refused: await refused(manager.ip, port) }).toEqual({ manager: manager.name, refused: true });
    }
  });

  it('puts the topology\'s labels on the nodes it names (deploy did), and on no other', async () => {
    for (const node of context.nodes) {
      const labels = JSON.parse(await dockerOk(['node', 'inspect', node.name, '--format', '{{json .Spec.Labels}}'], { timeoutMs: 15_000 }));
      const host = context.model.hosts.find((candidate) => candidate.name === node.name);
      expect({ node: node.name, labels }).toEqual({ node: node.name, labels: host?.labels ?? {} });
    }
  });

  it('runs the etcd image as upstream ships it: no shell', async () => {
    const shell = await docker(['run', '--rm', '--entrypoint', 'sh', context.model.etcd.image, '-c', 'true'], { timeoutMs: 60_000 });
    expect(shell.code).not.toBe(0);
    expect(dockerFailure(shell)).toMatch(/"sh": executable file not found/);
  });
});
