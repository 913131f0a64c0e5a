// The MinIO cluster's part of the model: pools in MinIO's ellipsis notation, one service per node, the nginx load
// balancer, the buckets, the root credentials as external secrets, and verify's own user (its secrets and policy).
import { poolLayouts } from '../topology/erasure.ts';
import type { Topology } from '../topology/schema.ts';
import { expandName } from '../topology/stateful.ts';
import { healthcheckFor, minioNodeProbe, minioProxyProbe, UPSTREAM_WAIT_SECONDS } from './healthchecks.ts';
import { canWaitForPeers, healthyWhileWaiting, waitForPeers } from './minioPeerWait.ts';
import { untilNamesResolve } from './nameWait.ts';
import { minioNodeSysctls, proxySysctls } from './proxyNetwork.ts';
import { pinnedPlacement, spreadPlacement } from './placement.ts';
import type { ClusterModel, MinioPoolModel, Service } from './types.ts';
import { verifyPolicy } from './verifyPolicy.ts';

/** Where a node's drives and nginx's config appear inside their containers. */
export const minioDriveTarget = (index: number) => `/data${index + 1}`;
export const NGINX_CONF_TARGET = '/etc/nginx/nginx.conf';
export const NGINX_CONFIG_KEY = 'nginx_conf';
const SECRET_TARGET_DIR = '/run/secrets';

export type MinioModel = ClusterModel['minio'];

export function minioModel(topology: Topology): MinioModel {
  const { minio } = topology;
  return {
    image: minio.image,
    apiPort: minio.apiPort,
    consolePort: minio.consolePort,
    pools: withLayouts(minio.pools.map((pool) => poolModel(pool, minio.apiPort)), minio.env),
    proxy: minio.proxy,
    buckets: minio.buckets,
    secrets: { rootUser: minio.rootUserSecret, rootPassword: minio.rootPasswordSecret, verifyUser: minio.verifyUserSecret, verifyPassword: minio.verifyPasswordSecret },
    verifyPolicy: verifyPolicy(topology),
    consoleUrl: minio.consoleUrl,
  };
}

/** MinIO lays pools out together: the parity comes from the environment or the first pool (topology/erasure.ts). */
function withLayouts(pools: MinioPoolModel[], env: Record<string, string>): MinioPoolModel[] {
  const layouts = poolLayouts(pools.map((pool) => ({ nodes: pool.nodes.length, drivesPerNode: pool.drivesPerNode })), env);
  return pools.map((pool, index) => (layouts[index] ? { ...pool, layout: layouts[index] } : pool));
}

function poolModel(pool: Topology['minio']['pools'][number], apiPort: number): MinioPoolModel {
  const nodes = pool.nodes.map((node) => ({
    name: node.name,
    host: node.host,
    drives: (node.drives ?? pool.drives).map((drive, index) => ({ source: expandName(drive, node.name), target: minioDriveTarget(index) })),
  }));
  const drivesPerNode = nodes[0]!.drives.length;
  return { nodes, drivesPerNode, serverArgument: ellipsisArgument(nodes.map((node) => node.name), apiPort, drivesPerNode) };
}

/** `http://minio{1...4}:9000/data{1...2}`; the rules guarantee one prefix and consecutive numbers. */
function ellipsisArgument(nodeNames: string[], apiPort: number, drivesPerNode: number): string {
  const [, prefix, first] = /^(.*?)(\d+)$/.exec(nodeNames[0]!)!;
  const last = /(\d+)$/.exec(nodeNames[nodeNames.length - 1]!)![1]!;
  const hostPart = nodeNames.length === 1 ? nodeNames[0]! : `${prefix}{${first}...${last}}`;
  const drivePart = drivesPerNode === 1 ? minioDriveTarget(0) : `/data{1...${drivesPerNode}}`;
  return `http://${hostPart}:${apiPort}${drivePart}`;
}

/**
 * External swarm secrets, by stack-local key and swarm name: the root user and password (every node mounts them) and
 * verify's user and password (deploy creates that user from their values). A key upper-cased is the environment
 * variable that holds its value for create-secrets.sh, deploy and verify (MINIO_ROOT_USER, MINIO_VERIFY_USER, …).
 */
export function minioSecrets(model: MinioModel): ClusterModel['secrets'] {
  return [
    { key: 'minio_root_user', name: model.secrets.rootUser, holds: 'MinIO root user' },
    { key: 'minio_root_password', name: model.secrets.rootPassword, holds: 'MinIO root password' },
    { key: 'minio_verify_user', name: model.secrets.verifyUser, holds: "access key of verify's MinIO user" },
    { key: 'minio_verify_password', name: model.secrets.verifyPassword, holds: "secret key of verify's MinIO user" },
  ];
}

/** The secrets every MinIO node mounts: the root credentials only (verify's user is MinIO's business, not the nodes'). */
const NODE_SECRET_KEYS = ['minio_root_user', 'minio_root_password'];

/** One service per node of every pool, then the load balancer. */
export function minioServices(topology: Topology, model: MinioModel): Service[] {
  const pinned = pinnedPlacement(topology.hosts);
  const serverArguments = model.pools.map((pool) => pool.serverArgument);
  const server = ['server', '--address', `:${model.apiPort}`, '--console-address', `:${model.consolePort}`, ...serverArguments];
  const probe = healthcheckFor(topology.minio.healthcheck, minioNodeProbe(model.apiPort));
  // minioPeerWait.ts says why a node waits for its peers' names before MinIO starts.
  const peers = model.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
  const start = canWaitForPeers(probe)
    ? { entrypoint: ['sh', '-c', waitForPeers(peers, model.apiPort), 'minio-start'], command: ['minio', ...server], healthcheck: healthyWhileWaiting(probe) }
    : { entrypoint: ['minio'], command: server, healthcheck: probe };
  const nodeService = (node: MinioPoolModel['nodes'][number]): Service => ({
    name: node.name,
    role: 'minio-node',
    image: model.image,
    entrypoint: start.entrypoint,
    command: start.command,
    // MinIO finds which endpoint is itself by resolving names; its own name must resolve to its own address.
    hostname: node.name,
    environment: {
      ...topology.minio.env,
      MINIO_ROOT_USER_FILE: `${SECRET_TARGET_DIR}/minio_root_user`,
      MINIO_ROOT_PASSWORD_FILE: `${SECRET_TARGET_DIR}/minio_root_password`,
      MINIO_BROWSER_REDIRECT_URL: model.consoleUrl,
    },
    mounts: node.drives,
    secrets: NODE_SECRET_KEYS.map((key) => ({ key, target: key })),
    configs: [],
    ports: [],
    sysctls: minioNodeSysctls(topology.swarm),
    placement: pinned(node.host),
    replicas: 1,
    stateful: true,
    healthcheck: start.healthcheck,
  });
  return [...model.pools.flatMap((pool) => pool.nodes.map(nodeService)), proxyService(topology, model)];
}

/**
 * nginx looks its upstream names up once, at start, and exits when one does not resolve ("host not found in
 * upstream"). In dnsrr mode a MinIO node's name is in swarm's DNS only while its task runs and is healthy, and it
 * reaches the other nodes' DNS through swarm's gossip a moment after the managers see the task running: an nginx
 * started then (a new config deployed right after MinIO nodes restarted: a pool added) exits, and swarm rolls its
 * update back (seen on staging). So the proxy's entrypoint waits until every node's name resolves, polling every
 * 0.5 s, at most UPSTREAM_WAIT_SECONDS for all of them (inside the healthcheck's start period: until nginx runs, its
 * task is starting, not failed), then execs nginx. In vip mode the
 * names resolve as soon as the services exist. `getent`, `sh` and `sleep` are in Debian-based nginx images.
 */
function waitForUpstreams(names: readonly string[]): string {
  return `${untilNamesResolve({ names, resolves: 'getent hosts "$name" >/dev/null', seconds: UPSTREAM_WAIT_SECONDS, who: 'nginx-start', what: 'nginx' })}; exec "$@"`;
}

function proxyService(topology: Topology, model: MinioModel): Service {
  const { proxy } = model;
  return {
    name: proxy.name,
    role: 'minio-proxy',
    image: proxy.image,
    entrypoint: ['sh', '-c', waitForUpstreams(model.pools.flatMap((pool) => pool.nodes.map((node) => node.name))), 'nginx-start'],
    command: ['nginx', '-g', 'daemon off;', '-c', NGINX_CONF_TARGET],
    environment: {},
    mounts: [],
    secrets: [],
    configs: [{ key: NGINX_CONFIG_KEY, target: NGINX_CONF_TARGET }],
    ports: [
      { target: proxy.s3Port, published: proxy.s3Port, purpose: 'S3 API (nginx → MinIO)' },
      { target: proxy.consolePort, published: proxy.consolePort, purpose: 'MinIO console (nginx)' },
    ],
    placement: spreadPlacement(proxy.placement),
    replicas: proxy.replicas,
    stateful: false,
    sysctls: proxySysctls(topology.swarm),
    healthcheck: healthcheckFor(topology.minio.proxy.healthcheck, minioProxyProbe(proxy.s3Port)),
  };
}
