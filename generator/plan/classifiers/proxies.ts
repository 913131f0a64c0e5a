// The stateless proxies in front of both clusters: etcd's gRPC proxy and MinIO's nginx. Their names and ports are
// what Milvus and outside clients use; their replicas, placement and nginx image are theirs alone.
import { care, changeId, safe, type Change } from '../change.ts';
import type { Classifier, Revision } from '../comparison.ts';
import { code, deploy, verify } from '../runbook.ts';

interface Proxy {
  name: string;
  replicas: number;
  placement: 'managers' | 'any';
  /** The address Milvus is given for it in rendered milvus.yaml. */
  milvusSetting: string;
  milvusAddress: string;
}

function proxies(revision: Revision): Proxy[] {
  const { etcd, minio } = revision.topology;
  return [
    { name: etcd.proxy.name, replicas: etcd.proxy.replicas, placement: etcd.proxy.placement, milvusSetting: 'etcd.endpoints', milvusAddress: `${etcd.proxy.name}:${etcd.proxy.listenPort}` },
    { name: minio.proxy.name, replicas: minio.proxy.replicas, placement: minio.proxy.placement, milvusSetting: 'minio.address', milvusAddress: minio.proxy.name },
  ];
}

/** Pairs the etcd proxy with the etcd proxy and the MinIO proxy with the MinIO proxy, whatever their names. */
const pairs = (before: Revision, after: Revision) => proxies(before).map((was, index) => ({ was, is: proxies(after)[index]! }));

/** Milvus reaches both clusters by the proxies' service names on the overlay network. */
export const proxyRenamed: Classifier = ({ environment, before, after }) => {
  const swarmName = (service: string) => code(`${before.model.stack}_${service}`);
  return pairs(before, after)
    .filter(({ was, is }) => was.name !== is.name)
    .map(({ was, is }) =>
      care(
        changeId('proxy-rename', was.name),
        `proxy service ${was.name} → ${is.name}`,
        `Milvus reaches it as ${code(was.milvusAddress)} (${was.milvusSetting} in rendered milvus.yaml): deploy removes ${swarmName(was.name)} by its milvus-swarm label (a service it rendered and the topology no longer has; never --prune, which would also remove services another team deployed into the stack) before the stack creates ${swarmName(is.name)}, and Milvus cannot reach it until it uses ${code(is.milvusAddress)}`,
        [
          `${deploy(environment)}`,
          `right after, set ${is.milvusSetting} in Milvus's config from rendered/${environment}/milvus.yaml and restart Milvus`,
          verify(environment),
        ],
      ),
    );
};

export const proxyReplicasChanged: Classifier = ({ before, after }) =>
  pairs(before, after)
    .filter(({ was, is }) => was.replicas !== is.replicas)
    .map(({ was, is }) =>
      safe(
        changeId('proxy-replicas', is.name),
        `${is.name} replicas ${was.replicas} → ${is.replicas}`,
        `stateless: swarm starts or stops proxy tasks and nothing else restarts${is.replicas === 1 ? '; with one replica, restarting it interrupts its clients' : ''}`,
      ),
    );

/** Ingress answers on every node wherever the tasks run; host mode only on the nodes running one. */
export const proxyPlacementChanged: Classifier = ({ environment, before, after }) =>
  pairs(before, after)
    .filter(({ was, is }) => was.placement !== is.placement)
    .map(({ was, is }): Change => {
      const id = changeId('proxy-placement', is.name);
      const what = `${is.name} placement ${was.placement} → ${is.placement}`;
      if (after.topology.swarm.publishMode === 'ingress') {
        return safe(id, what, 'stateless: swarm moves the tasks one at a time, and the routing mesh answers on every node wherever they run');
      }
      return care(id, what, 'clients move: in host publish mode the proxy answers only on the nodes running one of its tasks', [
        `${deploy(environment)}`,
        `${code(`docker service ps ${after.topology.stack}_${is.name}`)} shows where the tasks run: point the clients outside the swarm at those nodes`,
      ]);
    });

/**
 * The etcd proxy's listen port is inside the stack network; clients outside use its published port. Milvus uses it only
 * when the topology points Milvus at the proxy, and then its endpoints change with it (milvusEtcdEndpointsChanged).
 */
export const etcdProxyListenPortChanged: Classifier = ({ before, after }) => {
  const [from, to] = [before.topology.etcd.proxy.listenPort, after.topology.etcd.proxy.listenPort];
  if (from === to) return [];
  const name = after.topology.etcd.proxy.name;
  const milvus = after.topology.milvus.etcdEndpoints === 'proxy' ? "; Milvus's etcd endpoints change with it (their own line says what to do)" : '; Milvus lists the members, not the proxy';
  return [safe(changeId('etcd-proxy-port', from), `${name} listen port ${from} → ${to}`, `a port inside the stack network: the proxy restarts on it, one replica at a time, and the published port does not change${milvus}`)];
};

interface PublishedPort {
  service: string;
  purpose: string;
  port: number;
}

function publishedPorts(revision: Revision): PublishedPort[] {
  const { etcd, minio } = revision.topology;
  return [
    { service: etcd.proxy.name, purpose: 'etcd gRPC', port: etcd.proxy.publishedPort },
    { service: minio.proxy.name, purpose: 'S3 API', port: minio.proxy.s3Port },
    { service: minio.proxy.name, purpose: 'MinIO console', port: minio.proxy.consolePort },
  ];
}

/** Published ports are what clients outside the swarm dial: changing one moves every client. */
export const publishedPortsChanged: Classifier = ({ environment, before, after }) => {
  const now = publishedPorts(after);
  return publishedPorts(before).flatMap((was, index): Change[] => {
    const is = now[index]!;
    if (was.port === is.port) return [];
    const milvus = was.purpose === 'S3 API' ? '; Milvus connects to this port too (minio.port in rendered milvus.yaml)' : '';
    const consoleUrl = was.purpose === 'MinIO console' && after.topology.minio.consoleUrl.includes(`:${was.port}`) ? `; minio.consoleUrl still names :${was.port}` : '';
    return [
      care(
        changeId('published-port', was.port),
        `${is.service} ${is.purpose} port ${was.port} → ${is.port}`,
        `clients move: whatever reaches ${is.purpose} on :${was.port} must use :${is.port}, and the old port closes as the proxies update${milvus}${consoleUrl}`,
        [
          `tell the clients of :${was.port} outside the swarm the new port, and check nothing else on the ${after.topology.swarm.publishMode === 'ingress' ? 'swarm' : 'proxy nodes'} uses :${is.port}`,
          `${deploy(environment)}`,
          ...(milvus ? [`right after, set minio.port in Milvus's config from rendered/${environment}/milvus.yaml and restart Milvus`] : []),
          verify(environment),
        ],
      ),
    ];
  });
};

/** nginx holds no state: swarm replaces the proxy tasks one replica at a time. */
export const minioProxyImageChanged: Classifier = ({ before, after }) => {
  const [from, to] = [before.topology.minio.proxy.image, after.topology.minio.proxy.image];
  if (from === to) return [];
  const order = after.topology.swarm.publishMode === 'host' ? 'stop-first in host mode: a short gap per replica' : 'start-first';
  return [
    safe(
      changeId('proxy-image', after.topology.minio.proxy.name),
      `${after.topology.minio.proxy.name} image ${from} → ${to}`,
      `stateless: swarm replaces the proxies one replica at a time (${order}) with the same config; a config the new nginx rejects fails its tasks, and swarm rolls back`,
    ),
  ];
};
