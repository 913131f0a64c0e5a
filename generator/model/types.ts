// The normalised view every renderer reads: services, ports, mounts and directories, with nothing left to derive.
import type { ErasureLayout } from '../topology/erasure.ts';
import type { BucketPolicy, Host, PlacementTarget, Topology } from '../topology/schema.ts';

export type ServiceRole = 'etcd-member' | 'etcd-proxy' | 'minio-node' | 'minio-proxy' | 'prometheus' | 'alertmanager' | 'network-anchor';

export interface BindMount {
  source: string;
  target: string;
}

export interface PublishedPort {
  target: number;
  published: number;
  purpose: string;
}

/**
 * What only the swarm target reads (the stack file, deploy, verify's dnsrr check): a second target (Kubernetes
 * manifests) would add its own part beside it instead of changing the rest of the model. allowColocation stays
 * behind: it decides which topologies are valid, not how one is deployed.
 */
export type SwarmSettings = Omit<Topology['swarm'], 'allowColocation'>;

export interface Healthcheck {
  test: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

/**
 * Where a service's tasks may run, in the topology's terms: no platform's syntax. Each target's renderer says it in
 * its own words (render/swarmPlacement.ts writes swarm constraints). A new way to place is a new kind here, and the
 * compiler then names every switch that must learn it.
 */
export type Placement =
  /**
   * Pinned to the topology's host that holds the service's data: by the node labels the topology gives the host
   * (the runbook's way), else by its swarm node id, else by its hostname.
   */
  | { kind: 'host'; host: string; nodeId?: string; labels?: Record<string, string> }
  /** Spread over the swarm's managers (the runbook's proxies). */
  | { kind: 'managers' }
  /** Anywhere: unpinned members of a one-node test swarm, or proxies placed on `any` node. */
  | { kind: 'any' };

export interface Service {
  name: string;
  role: ServiceRole;
  image: string;
  entrypoint: string[];
  command: string[];
  hostname?: string;
  environment: Record<string, string>;
  mounts: BindMount[];
  /** Stack-local keys of secrets and configs, with where they appear in the container. */
  secrets: { key: string; target: string }[];
  configs: { key: string; target: string }[];
  ports: PublishedPort[];
  placement: Placement;
  replicas: number;
  /** One task on every node (swarm's global mode); `replicas` does not apply. */
  everyNode?: boolean;
  /** Holds data on a host directory: stop-first updates, one at a time. */
  stateful: boolean;
  /** undefined: none (the topology's `probe: none`). */
  healthcheck?: Healthcheck;
  /** Kernel settings of the service's own network namespace (the proxies: see model/proxyNetwork.ts). */
  sysctls?: Record<string, string>;
  /** uid:gid the container runs as, when it must differ from the image's (Prometheus's image runs as nobody). */
  user?: string;
}

export interface HostDirectory {
  path: string;
  /** etcd refuses group- or world-readable data dirs in later releases and warns in 3.5. */
  mode: '0700' | '0755';
  owner: string;
}

export interface HostPreparation {
  /** The topology's host name, or undefined for unpinned services (any node of a one-node swarm). */
  host?: string;
  ip?: string;
  directories: HostDirectory[];
}

export interface MinioPoolModel {
  nodes: { name: string; host?: string; drives: BindMount[] }[];
  /** One `server` argument in MinIO's ellipsis notation: http://minio{1...4}:9000/data{1...2}. */
  serverArgument: string;
  drivesPerNode: number;
  /** Erasure sets and parity as MinIO lays the pool out under the nodes' environment; undefined when it refuses it. */
  layout?: ErasureLayout;
}

export interface ClusterModel {
  environment: string;
  /** The topology file, as named in generated headers. */
  source: string;
  stack: string;
  network: { key: string; name: string; attachable: boolean };
  swarm: SwarmSettings;
  hosts: Host[];
  managers: { ip: string; name?: string }[];
  etcd: {
    image: string;
    clientPort: number;
    peerPort: number;
    /** --quota-backend-bytes: verify warns as a member's backend nears it. */
    quotaBackendBytes: number;
    members: { name: string; host?: string; clientUrl: string; peerUrl: string; dataDir: string; initialClusterState: 'new' | 'existing' }[];
    proxy: { name: string; listenPort: number; publishedPort: number; replicas: number; placement: PlacementTarget; endpoint: string };
  };
  minio: {
    image: string;
    apiPort: number;
    consolePort: number;
    pools: MinioPoolModel[];
    proxy: { name: string; image: string; s3Port: number; consolePort: number; replicas: number; placement: PlacementTarget };
    buckets: { name: string; policy: BucketPolicy }[];
    /** Swarm secret names of the root credentials (mounted by every node) and of verify's own user's. */
    secrets: { rootUser: string; rootPassword: string; verifyUser: string; verifyPassword: string };
    /** What verify's MinIO user may do: deploy puts this canned policy on it (deploy/verifyUser.ts). */
    verifyPolicy: { name: string; document: PolicyDocument; probePrefix: string };
    consoleUrl: string;
  };
  milvus: {
    etcdEndpoints: string[];
    etcdRootPath: string;
    minioAddress: string;
    minioPort: number;
    bucketName: string;
    useSSL: boolean;
    minioRootPath: string;
  };
  monitoring: MonitoringModel;
  services: Service[];
  /**
   * External secrets, by stack-local key and swarm name, and what each holds. All must exist before a deploy; the
   * stack declares those its services mount (the root credentials), deploy reads the rest from its environment.
   */
  secrets: { key: string; name: string; holds: string }[];
  hostPreparation: HostPreparation[];
}

/** One erasure set of a MinIO pool, as the alert rules and dashboards count it. */
export interface ErasureSetModel {
  /** 1-based, as operators and MinIO's admin info number them. */
  pool: number;
  set: number;
  drives: number;
  parity: number;
  /** Drives the set may lose and still serve reads (parity) and writes (parity, or one less when data = parity). */
  readTolerance: number;
  writeTolerance: number;
  /** The nodes holding the set's drives, with how many each. */
  nodes: { node: string; drives: number }[];
}

/** What the rendered monitoring files are written from (render/prometheusConfig.ts, alertRules.ts, dashboards.ts). */
export interface MonitoringModel {
  scrapeIntervalSeconds: number;
  /** Alertmanager's routing timers (alertmanager.yml's route). */
  notifications: { groupWaitSeconds: number; groupIntervalSeconds: number; repeatIntervalMinutes: number };
  /** Alerts whose `for:` this environment sets itself (monitoring.alerts), in seconds; the rest keep the rendered default. */
  alertForSeconds: Readonly<Record<string, number>>;
  /** Where Prometheus reads MinIO's bearer token (never the token). */
  minioTokenFile: string;
  runbookBaseUrl?: string;
  /** Swarm secret names (external) of the token and of the webhook URL. */
  secrets: { minioToken: string; webhookUrl: string };
  /** Where Alertmanager reads the webhook URL (never the URL). */
  webhookUrlFile: string;
  /** `host` is the topology's host, or "(any node)" for an unpinned member. */
  etcdMembers: { member: string; host: string; address: string }[];
  etcdQuorum: number;
  etcdQuotaBackendBytes: number;
  /** `tasksName` resolves to every replica's own address (swarm's DNS), so each is scraped. */
  etcdProxy: { service: string; tasksName: string; port: number; replicas: number };
  minioNodes: { node: string; host: string; pool: number; address: string; drives: number }[];
  erasureSets: ErasureSetModel[];
  minioProxy: { service: string; replicas: number };
  /** How far ahead usable capacity must last: backup's recovery window (noncurrent versions kept that long). */
  capacityHorizonDays: number;
  capacityHorizonIsRecoveryWindow: boolean;
  /** Present when the stack runs them. */
  prometheus?: { image: string; host?: string; dataDir: string; port: number; retentionDays: number };
  alertmanager?: { image: string; host?: string; dataDir: string; port: number };
}

/** An IAM policy document, as MinIO stores a canned policy. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  /** Absent on admin:* statements (MinIO's policy grammar). */
  Resource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}
