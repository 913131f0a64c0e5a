// Topology → ClusterModel: every derived name, URL, flag, mount and constraint is decided here, once.
import { expandName, UNPINNED } from '../topology/stateful.ts';
import type { Topology } from '../topology/schema.ts';
import { etcdMemberHealthcheck, etcdProxyHealthcheck, minioNodeHealthcheck, minioProxyHealthcheck } from './healthchecks.ts';
import type { ClusterModel, HostPreparation, MinioPoolModel, Placement, PublishedPort, Service } from './types.ts';

/** Where a member's data dir and a MinIO node's drives appear inside their containers. */
export const ETCD_DATA_DIR = '/var/lib/etcd';
export const minioDriveTarget = (index: number) => `/data${index + 1}`;
export const NGINX_CONF_TARGET = '/etc/nginx/nginx.conf';
export const NGINX_CONFIG_KEY = 'nginx_conf';
const SECRET_TARGET_DIR = '/run/secrets';

export function buildModel(environment: string, source: string, topology: Topology): ClusterModel {
  const { etcd, minio, swarm } = topology;
  const hostsByName = new Map(topology.hosts.map((host) => [host.name, host]));

  const pinned = (host: string | undefined): Placement => {
    if (host === undefined) return { kind: 'any' };
    const nodeId = hostsByName.get(host)?.nodeId;
    return nodeId ? { kind: 'host', host, nodeId } : { kind: 'host', host };
  };
  const spread = (target: 'managers' | 'any'): Placement => ({ kind: target });
  const publish = (port: number, target: number, purpose: string): PublishedPort => ({ target, published: port, purpose });

  const etcdMembers = etcd.members.map((member) => ({
    name: member.name,
    host: member.host,
    clientUrl: `http://${member.name}:${etcd.clientPort}`,
    peerUrl: `http://${member.name}:${etcd.peerPort}`,
    dataDir: expandName(etcd.dataDir, member.name),
    initialClusterState: member.initialClusterState,
  }));
  // Every member lists the whole cluster. A member added later joins only once `etcdctl member add` has run for
  // every new member (plan prints that procedure); once a data dir exists etcd ignores the flag.
  const initialCluster = etcdMembers.map((member) => `${member.name}=${member.peerUrl}`).join(',');
  const proxyEndpoint = `${etcd.proxy.name}:${etcd.proxy.listenPort}`;

  const etcdMemberServices: Service[] = etcdMembers.map((member) => ({
    name: member.name,
    role: 'etcd-member',
    image: etcd.image,
    entrypoint: ['etcd'],
    command: [
      `--name=${member.name}`,
      `--data-dir=${ETCD_DATA_DIR}`,
      `--listen-client-urls=http://0.0.0.0:${etcd.clientPort}`,
      `--advertise-client-urls=${member.clientUrl}`,
      `--listen-peer-urls=http://0.0.0.0:${etcd.peerPort}`,
      `--initial-advertise-peer-urls=${member.peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-token=${etcd.clusterToken}`,
      `--initial-cluster-state=${member.initialClusterState}`,
      // Milvus's recommended settings, as flags only: etcd 3.5 exits when a setting comes as flag and ETCD_* env.
      `--auto-compaction-mode=${etcd.autoCompactionMode}`,
      `--auto-compaction-retention=${etcd.autoCompactionRetention}`,
      `--quota-backend-bytes=${etcd.quotaBackendBytes}`,
      `--snapshot-count=${etcd.snapshotCount}`,
    ],
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
    healthcheck: etcdMemberHealthcheck(topology.healthProbe, etcd.peerPort),
  }));

  const etcdProxyService: Service = {
    name: etcd.proxy.name,
    role: 'etcd-proxy',
    image: etcd.image,
    entrypoint: ['etcd'],
    command: [
      'grpc-proxy',
      'start',
      `--endpoints=${etcdMembers.map((member) => `${member.name}:${etcd.clientPort}`).join(',')}`,
      `--listen-addr=0.0.0.0:${etcd.proxy.listenPort}`,
      // Without it the proxy's member list is one fake member and its /proxy/health dials 127.0.0.1.
      `--advertise-client-url=${proxyEndpoint}`,
    ],
    environment: {},
    mounts: [],
    secrets: [],
    configs: [],
    ports: [publish(etcd.proxy.publishedPort, etcd.proxy.listenPort, 'etcd gRPC (proxy)')],
    placement: spread(etcd.proxy.placement),
    replicas: etcd.proxy.replicas,
    stateful: false,
    healthcheck: etcdProxyHealthcheck(topology.healthProbe, etcd.proxy.listenPort),
  };

  const secrets = [
    { key: 'minio_root_user', name: minio.rootUserSecret },
    { key: 'minio_root_password', name: minio.rootPasswordSecret },
  ];

  const minioPools: MinioPoolModel[] = topology.minio.pools.map((pool) => {
    const nodes = pool.nodes.map((node) => ({
      name: node.name,
      host: node.host,
      drives: (node.drives ?? pool.drives).map((drive, index) => ({ source: expandName(drive, node.name), target: minioDriveTarget(index) })),
    }));
    const drivesPerNode = nodes[0]!.drives.length;
    return { nodes, drivesPerNode, serverArgument: ellipsisArgument(nodes.map((node) => node.name), minio.apiPort, drivesPerNode) };
  });

  const minioNodeServices: Service[] = minioPools.flatMap((pool) =>
    pool.nodes.map((node) => ({
      name: node.name,
      role: 'minio-node' as const,
      image: minio.image,
      entrypoint: ['minio'],
      command: ['server', '--address', `:${minio.apiPort}`, '--console-address', `:${minio.consolePort}`, ...minioPools.map((p) => p.serverArgument)],
      // MinIO finds which endpoint is itself by resolving names; its own name must resolve to its own address.
      hostname: node.name,
      environment: {
        ...minio.env,
        MINIO_ROOT_USER_FILE: `${SECRET_TARGET_DIR}/minio_root_user`,
        MINIO_ROOT_PASSWORD_FILE: `${SECRET_TARGET_DIR}/minio_root_password`,
        MINIO_BROWSER_REDIRECT_URL: minio.consoleUrl,
      },
      mounts: node.drives,
      secrets: secrets.map((secret) => ({ key: secret.key, target: secret.key })),
      configs: [],
      ports: [],
      placement: pinned(node.host),
      replicas: 1,
      stateful: true,
      healthcheck: minioNodeHealthcheck(topology.healthProbe, minio.apiPort),
    })),
  );

  const minioProxyService: Service = {
    name: minio.proxy.name,
    role: 'minio-proxy',
    image: minio.proxy.image,
    entrypoint: ['nginx'],
    command: ['-g', 'daemon off;', '-c', NGINX_CONF_TARGET],
    environment: {},
    mounts: [],
    secrets: [],
    configs: [{ key: NGINX_CONFIG_KEY, target: NGINX_CONF_TARGET }],
    ports: [publish(minio.proxy.s3Port, minio.proxy.s3Port, 'S3 API (nginx → MinIO)'), publish(minio.proxy.consolePort, minio.proxy.consolePort, 'MinIO console (nginx)')],
    placement: spread(minio.proxy.placement),
    replicas: minio.proxy.replicas,
    stateful: false,
    healthcheck: minioProxyHealthcheck(topology.healthProbe, minio.proxy.s3Port),
  };

  return {
    environment,
    source,
    stack: topology.stack,
    network: { key: topology.network.name, name: `${topology.stack}_${topology.network.name}`, attachable: topology.network.attachable },
    swarm: { endpointMode: swarm.endpointMode, publishMode: swarm.publishMode, deployTimeoutSeconds: swarm.deployTimeoutSeconds, resolveImage: swarm.resolveImage },
    hosts: topology.hosts,
    managers: topology.managers,
    etcd: {
      image: etcd.image,
      clientPort: etcd.clientPort,
      peerPort: etcd.peerPort,
      members: etcdMembers,
      proxy: { ...etcd.proxy, endpoint: proxyEndpoint },
    },
    minio: {
      image: minio.image,
      apiPort: minio.apiPort,
      consolePort: minio.consolePort,
      pools: minioPools,
      proxy: minio.proxy,
      buckets: minio.buckets,
      secrets: { rootUser: minio.rootUserSecret, rootPassword: minio.rootPasswordSecret },
      consoleUrl: minio.consoleUrl,
    },
    milvus: {
      etcdEndpoints: [proxyEndpoint],
      etcdRootPath: topology.milvus.etcdRootPath,
      minioAddress: minio.proxy.name,
      minioPort: minio.proxy.s3Port,
      bucketName: topology.milvus.bucket,
      useSSL: false,
      minioRootPath: topology.milvus.minioRootPath,
    },
    services: [...etcdMemberServices, etcdProxyService, ...minioNodeServices, minioProxyService],
    secrets,
    hostPreparation: hostPreparation(topology, etcdMembers, minioPools),
  };
}

/** `http://minio{1...4}:9000/data{1...2}`; the rules guarantee one prefix and consecutive numbers. */
function ellipsisArgument(nodeNames: string[], apiPort: number, drivesPerNode: number): string {
  const [, prefix, first] = /^(.*?)(\d+)$/.exec(nodeNames[0]!)!;
  const last = /(\d+)$/.exec(nodeNames[nodeNames.length - 1]!)![1]!;
  const hostPart = nodeNames.length === 1 ? nodeNames[0]! : `${prefix}{${first}...${last}}`;
  const drivePart = drivesPerNode === 1 ? minioDriveTarget(0) : `/data{1...${drivesPerNode}}`;
  return `http://${hostPart}:${apiPort}${drivePart}`;
}

function hostPreparation(
  topology: Topology,
  etcdMembers: { name: string; host?: string; dataDir: string }[],
  minioPools: MinioPoolModel[],
): HostPreparation[] {
  const byHost = new Map<string, HostPreparation>();
  const entry = (host: string | undefined) => {
    const key = host ?? UNPINNED;
    let preparation = byHost.get(key);
    if (!preparation) {
      preparation = host === undefined ? { directories: [] } : { host, ip: topology.hosts.find((h) => h.name === host)?.ip, directories: [] };
      byHost.set(key, preparation);
    }
    return preparation;
  };
  for (const member of etcdMembers) entry(member.host).directories.push({ path: member.dataDir, mode: '0700', owner: `etcd member ${member.name}` });
  for (const node of minioPools.flatMap((pool) => pool.nodes)) {
    for (const drive of node.drives) entry(node.host).directories.push({ path: drive.source, mode: '0755', owner: `MinIO node ${node.name}` });
  }
  return [...byHost.values()];
}
