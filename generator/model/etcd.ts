// The etcd cluster's part of the model: members (names, URLs, data dirs) and their services, and the gRPC proxy.
import type { Topology } from '../topology/schema.ts';
import { expandName } from '../topology/stateful.ts';
import { etcdMemberProbe, etcdProxyProbe, healthcheckFor } from './healthchecks.ts';
import { proxySysctls } from './proxyNetwork.ts';
import { pinnedPlacement, spreadPlacement } from './placement.ts';
import type { ClusterModel, Service } from './types.ts';

/** Where a member's data dir appears inside its container. */
export const ETCD_DATA_DIR = '/var/lib/etcd';

export type EtcdModel = ClusterModel['etcd'];
type EtcdMember = EtcdModel['members'][number];

export function etcdModel(topology: Topology): EtcdModel {
  const { etcd } = topology;
  return {
    image: etcd.image,
    clientPort: etcd.clientPort,
    peerPort: etcd.peerPort,
    quotaBackendBytes: etcd.quotaBackendBytes,
    members: etcd.members.map((member) => ({
      name: member.name,
      host: member.host,
      clientUrl: `http://${member.name}:${etcd.clientPort}`,
      peerUrl: `http://${member.name}:${etcd.peerPort}`,
      dataDir: expandName(etcd.dataDir, member.name),
      initialClusterState: member.initialClusterState,
    })),
    proxy: { ...etcd.proxy, endpoint: `${etcd.proxy.name}:${etcd.proxy.listenPort}` },
  };
}

/** One service per member, then the proxy. */
export function etcdServices(topology: Topology, model: EtcdModel): Service[] {
  const pinned = pinnedPlacement(topology.hosts);
  // Every member lists the whole cluster. A member added later joins only once `etcdctl member add` has run for
  // every new member (plan prints that procedure); once a data dir exists etcd ignores the flag.
  const initialCluster = model.members.map((member) => `${member.name}=${member.peerUrl}`).join(',');
  const memberService = (member: EtcdMember): Service => ({
    name: member.name,
    role: 'etcd-member',
    image: model.image,
    entrypoint: ['etcd'],
    command: [...memberFlags(topology.etcd, member, initialCluster), ...tuningFlags(topology.etcd)],
    // Its own name must resolve before swarm DNS publishes it: etcd compares its advertised peer URL with --initial-cluster.
    hostname: member.name,
    environment: {},
    mounts: [{ source: member.dataDir, target: ETCD_DATA_DIR }],
    secrets: [],
    configs: [],
    ports: [],
    placement: pinned(member.host),
    replicas: 1,
    stateful: true,
    healthcheck: healthcheckFor(topology.etcd.healthcheck, etcdMemberProbe(model.peerPort, model.clientPort)),
  });
  return [...model.members.map(memberService), proxyService(topology, model)];
}

function memberFlags(etcd: Topology['etcd'], member: EtcdMember, initialCluster: string): string[] {
  return [
    `--name=${member.name}`,
    `--data-dir=${ETCD_DATA_DIR}`,
    `--listen-client-urls=http://0.0.0.0:${etcd.clientPort}`,
    `--advertise-client-urls=${member.clientUrl}`,
    `--listen-peer-urls=http://0.0.0.0:${etcd.peerPort}`,
    `--initial-advertise-peer-urls=${member.peerUrl}`,
    `--initial-cluster=${initialCluster}`,
    `--initial-cluster-token=${etcd.clusterToken}`,
    `--initial-cluster-state=${member.initialClusterState}`,
  ];
}

/** Milvus's recommended settings, as flags only: etcd 3.5 exits when a setting comes as flag and ETCD_* env. */
function tuningFlags(etcd: Topology['etcd']): string[] {
  return [
    `--auto-compaction-mode=${etcd.autoCompactionMode}`,
    `--auto-compaction-retention=${etcd.autoCompactionRetention}`,
    `--quota-backend-bytes=${etcd.quotaBackendBytes}`,
    `--snapshot-count=${etcd.snapshotCount}`,
  ];
}

function proxyService(topology: Topology, model: EtcdModel): Service {
  const { proxy } = model;
  return {
    name: proxy.name,
    role: 'etcd-proxy',
    image: model.image,
    entrypoint: ['etcd'],
    command: [
      'grpc-proxy',
      'start',
      `--endpoints=${model.members.map((member) => `${member.name}:${model.clientPort}`).join(',')}`,
      `--listen-addr=0.0.0.0:${proxy.listenPort}`,
      // Without it the proxy's member list is one fake member and its /proxy/health dials 127.0.0.1.
      `--advertise-client-url=${proxy.endpoint}`,
    ],
    environment: {},
    mounts: [],
    secrets: [],
    configs: [],
    ports: [{ target: proxy.listenPort, published: proxy.publishedPort, purpose: 'etcd gRPC (proxy)' }],
    placement: spreadPlacement(proxy.placement),
    replicas: proxy.replicas,
    stateful: false,
    sysctls: proxySysctls(topology.swarm),
    healthcheck: healthcheckFor(topology.etcd.proxy.healthcheck, etcdProxyProbe(proxy.listenPort)),
  };
}
