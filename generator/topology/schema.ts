// The topology file format: one YAML file per environment, checked by this zod schema first (shape, types,
// unknown keys) and by ./rules afterwards (relations between fields). The JSON Schema that editors use is
// generated from this file (rendered/topology.schema.json), so descriptions here are the format's documentation.
import { z } from 'zod';
import { RESOLVE_IMAGE } from './resolveImage.ts';
import { RETENTION_PATTERN, retentionFormatProblem } from './etcdFlags.ts';
import { hostPathProblem } from './hostPaths.ts';
import { DNS_LABEL } from './names.ts';
import { cronGaps, parseCron } from './cron.ts';

/** Adds a description to a schema's metadata, keeping what it had (a JSON Schema `pattern`, for instance). */
const describe = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ ...schema.meta(), description }) as T;

/** A refinement with its own message, which zod reports as a `custom` issue at the value. */
const refined = <T extends z.ZodType>(schema: T, problem: (value: z.output<T>) => string | undefined): T =>
  schema.superRefine((value, context) => {
    const message = problem(value as z.output<T>);
    if (message !== undefined) context.addIssue({ code: 'custom', message, input: value });
  }) as T;

/** A DNS label: what swarm service names, MinIO node names and etcd member names must be. */
const dnsLabel = z.string().regex(DNS_LABEL, 'expected a DNS label: lowercase letters, digits and "-", starting with a letter');

const hostName = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'expected a host name as `docker node ls` shows it');

/** Swarm node ids are 25 lowercase base-36 characters (`docker node ls -q`). */
const nodeId = z.string().regex(/^[a-z0-9]{25}$/, 'expected a swarm node id: 25 lowercase letters and digits (docker node ls -q)');

const ipv4 = z.ipv4({ message: 'expected an IPv4 address such as 29.16.21.75' });

const port = z.int().min(1, 'expected a port from 1 to 65535').max(65535, 'expected a port from 1 to 65535');

/**
 * Host paths may carry `{name}`, replaced by the member's or node's name: co-located members need distinct dirs.
 * hostPaths.ts says what is accepted (a safe character set, one normal form); the pattern is its JSON Schema form.
 */
const hostPath = refined(z.string(), hostPathProblem).meta({
  pattern: '^(?:/(?!\\.\\.?(?:/|$))[A-Za-z0-9._{}-]+)+$',
});

const imageRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'expected an image reference such as etcd:v3.5.5');

/** swarmkit: at most 64 of [A-Za-z0-9_.-], starting and ending with a letter or digit. */
const secretName = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$/, 'expected a swarm secret name (up to 64 letters, digits, "_", "-", ".", starting and ending with a letter or digit)');

/** Milvus's etcd.rootPath and minio.rootPath: prefixes of etcd keys and S3 object names. */
const KEY_PREFIX = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
const keyPrefix = refined(z.string(), (value) =>
  KEY_PREFIX.test(value) && !value.split('/').some((segment) => segment === '.' || segment === '..')
    ? undefined
    : 'expected a key prefix of letters, digits, ".", "_" and "-", in segments joined by "/", such as by-dev',
).meta({ pattern: KEY_PREFIX.source });

/** Free-form in the runbook's tables (zk1, etcd1, minio1), printed in rendered/<env>/README.md: words, not markup. */
const role = z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected a role of letters, digits, ".", "_" and "-" such as zk1 or etcd1');

/**
 * Proxies are stateless load balancers: one per node is the most that helps, and swarms this project targets have
 * tens of nodes. A count beyond 64 is a typo (2000 for 2) that would have swarm schedule thousands of tasks.
 */
export const MAX_REPLICAS = 64;
const replicas = z.int().min(1, 'expected at least 1 replica').max(MAX_REPLICAS, `expected at most ${MAX_REPLICAS} replicas`);

/** deploy.yml's job ends after 30 minutes; an hour leaves room by hand. Node's timers overflow past 24.8 days. */
export const MAX_DEPLOY_TIMEOUT_SECONDS = 3600;

const placementTarget = describe(
  z.enum(['managers', 'any']),
  'Where the replicas of a stateless proxy may run: `managers` (node.role == manager, as the runbook does) or `any` node.',
);

/** What runs as a service's healthcheck: `http` appends the service's own URL to the command, `exec` runs it as is. */
const probeKind = describe(
  z.enum(['none', 'etcdctl', 'http', 'exec']),
  'none: no healthcheck (swarm publishes the task at once); etcdctl: `etcdctl endpoint health` against the service itself (etcd images ship etcdctl); http: the command followed by the service\'s health URL, expecting exit 0; exec: the command as is.',
);

const CURL_PROBE = ['curl', '-fsS', '-o', '/dev/null', '--max-time', '3'];

/**
 * A healthcheck may use only what the image ships: the upstream etcd image is distroless (etcd, etcdctl, etcdutl),
 * MinIO images after RELEASE.2023-11-01 have no curl (`mc ready local` is MinIO's own probe), Debian-based nginx has
 * curl. The defaults below work on the images the runbook names.
 */
const healthcheck = (defaultValue: { probe: z.output<typeof probeKind>; command?: string[] }, description: string) =>
  describe(
    z.strictObject({
      probe: probeKind,
      command: describe(z.array(z.string().min(1)).min(1, 'expected a command such as [curl, -fsS, -o, /dev/null]'), 'For http and exec: the command, one list item per argument.').optional(),
    }),
    description,
  ).default(defaultValue);

const labelKey = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/, 'expected a node label key: letters, digits, ".", "_", "-"');

const host = z.strictObject({
  name: describe(hostName, 'The node\'s hostname, as `docker node ls` shows it.'),
  ip: describe(ipv4, 'The node\'s address, for the tables in rendered/<env>/README.md.'),
  nodeId: describe(nodeId, 'The swarm node id; when known, placement pins to it instead of the hostname.').optional(),
  roles: describe(z.array(role), 'Free-form role labels, as in the runbook\'s tables (zk1, etcd1, minio1...).').default([]),
  labels: describe(
    z.record(labelKey, z.string().regex(/^[A-Za-z0-9._\/-]{1,128}$/, 'expected a label value: letters, digits, ".", "_", "-", "/"')),
    'Swarm node labels of this host (the runbook labels etcd hosts zk1..3, MinIO hosts minio1..4). deploy puts them on the node; services pinned to this host are placed by them (`node.labels.KEY == VALUE`) instead of by node id or hostname.',
  ).default({}),
});

const manager = z.strictObject({
  ip: describe(ipv4, 'A manager node\'s address: the proxies run on managers and clients reach them here.'),
  name: describe(hostName, 'The manager\'s hostname, when known.').optional(),
});

const etcdMember = z.strictObject({
  name: describe(dnsLabel, 'Member name: the swarm service name, the etcd --name and the host name peers use.'),
  host: describe(hostName, 'The host this member is pinned to (its data lives there). Omit only where co-location is allowed.').optional(),
  initialClusterState: describe(
    z.enum(['new', 'existing']),
    '`new` for members of the first bootstrap (ignored once the data dir exists); `existing` for a member added later with `etcdctl member add`.',
  ).default('new'),
});

const etcdProxy = z.strictObject({
  name: dnsLabel.default('etcd-proxy'),
  replicas: replicas.default(2),
  placement: placementTarget.default('managers'),
  listenPort: describe(port, 'Port the gRPC proxy listens on inside its container.').default(23790),
  publishedPort: describe(port, 'Port clients outside the swarm use (the runbook publishes 2379).').default(2379),
  healthcheck: healthcheck({ probe: 'etcdctl' }, 'The gRPC proxy\'s healthcheck; etcdctl asks a member through the proxy (healthy = it can serve).'),
});

const etcd = z.strictObject({
  image: imageRef,
  dataDir: describe(hostPath, 'Host directory bind-mounted as the member\'s data dir. Use {name} where members share a host.'),
  clusterToken: describe(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "-", "."'), 'etcd --initial-cluster-token.').default('milvus-etcd'),
  clientPort: port.default(2379),
  peerPort: port.default(2380),
  autoCompactionMode: z.enum(['revision', 'periodic']).default('revision'),
  autoCompactionRetention: describe(
    refined(z.string(), retentionFormatProblem).meta({ pattern: RETENTION_PATTERN }),
    'Revisions (revision mode), or hours or a Go duration such as 12h (periodic mode). Milvus recommends "1000" (revisions).',
  ).default('1000'),
  quotaBackendBytes: describe(z.int().min(1), 'Milvus recommends 4 GiB.').default(4294967296),
  snapshotCount: describe(z.int().min(1), 'Milvus recommends 50000.').default(50000),
  members: z.array(etcdMember).min(1, 'expected at least one etcd member'),
  healthcheck: healthcheck(
    { probe: 'none' },
    'The members\' healthcheck. Swarm publishes a member\'s name only once it is healthy, so a probe that needs quorum deadlocks the cluster; the distroless etcd image has no HTTP client for the peer port\'s /version. Quorum is verify\'s job.',
  ),
  proxy: etcdProxy.default(etcdProxy.parse({})),
});

const minioNode = z.strictObject({
  name: describe(dnsLabel, 'Node name: the swarm service name and the host name in MinIO\'s {1...n} server arguments.'),
  host: describe(hostName, 'The host this node is pinned to (its drives live there). Omit only where co-location is allowed.').optional(),
  drives: describe(z.array(hostPath), 'Host drive directories of this node, overriding the pool\'s list.').optional(),
});

const minioPool = z.strictObject({
  drives: describe(z.array(hostPath).min(1, 'expected at least one drive'), 'Host drive directories on every node of the pool. Use {name} where nodes share a host.'),
  nodes: z.array(minioNode).min(1, 'expected at least one node'),
});

const bucket = z.strictObject({
  name: z.string(),
  policy: describe(
    z.enum(['private', 'download', 'upload', 'public']),
    'Anonymous access: private (none), download (read), upload (write), public (read and write: anyone may overwrite Milvus data).',
  ).default('private'),
});

const minioProxy = z.strictObject({
  name: dnsLabel.default('minio-proxy'),
  image: imageRef,
  replicas: replicas.default(2),
  placement: placementTarget.default('managers'),
  s3Port: describe(port, 'Published S3 port of the load balancer.').default(9000),
  consolePort: describe(port, 'Published console port of the load balancer.').default(9090),
  healthcheck: healthcheck({ probe: 'http', command: CURL_PROBE }, 'nginx\'s healthcheck (Debian-based nginx images ship curl).'),
});

const minio = z.strictObject({
  image: imageRef,
  rootUserSecret: describe(secretName, 'Swarm secret (external) holding the root user; mounted and read through MINIO_ROOT_USER_FILE.'),
  rootPasswordSecret: describe(secretName, 'Swarm secret (external) holding the root password; read through MINIO_ROOT_PASSWORD_FILE.'),
  verifyUserSecret: describe(
    secretName,
    'Swarm secret (external) holding the access key of verify\'s own MinIO user (least privilege: the topology\'s buckets, its probe objects, metrics); deploy creates the user from its value (MINIO_VERIFY_USER).',
  ).default('minio_verify_user'),
  verifyPasswordSecret: describe(secretName, 'Swarm secret (external) holding the secret key of verify\'s MinIO user (MINIO_VERIFY_PASSWORD).').default('minio_verify_password'),
  apiPort: port.default(9000),
  consolePort: port.default(9090),
  consoleUrl: describe(
    z.url({ protocol: /^https?$/, hostname: /^[A-Za-z0-9.:[\]-]+$/, message: 'expected an http:// or https:// URL such as http://29.16.21.80:9090' }),
    'The console address browsers use (MINIO_BROWSER_REDIRECT_URL).',
  ),
  env: describe(
    z.record(z.string().regex(/^MINIO_[A-Z0-9_]+$/, 'expected a MINIO_* variable name'), z.string()),
    'Extra MINIO_* environment for every node, reviewed per environment (e.g. MINIO_CI_CD on a one-disk test machine). Never credentials.',
  ).default({}),
  pools: z.array(minioPool).min(1, 'expected at least one pool'),
  healthcheck: healthcheck(
    { probe: 'http', command: CURL_PROBE },
    'The nodes\' healthcheck on /minio/health/live (200 while a node waits for its peers, so it cannot deadlock the pool). Images after RELEASE.2023-11-01 have no curl: use {probe: exec, command: [mc, ready, local]}.',
  ),
  proxy: minioProxy,
  buckets: z.array(bucket).default([]),
});

const milvus = z.strictObject({
  bucket: describe(z.string(), 'minio.bucketName in Milvus\'s config; must be one of minio.buckets.'),
  etcdRootPath: describe(keyPrefix, 'etcd.rootPath in Milvus\'s config.').default('by-dev'),
  minioRootPath: describe(keyPrefix, 'minio.rootPath in Milvus\'s config.').default('files'),
  etcdEndpoints: describe(
    z.enum(['members', 'proxy']),
    'etcd.endpoints in Milvus\'s config. members (default): every member\'s name and client port; Milvus\'s etcd client balances over them and fails over by itself, with no proxy hop. proxy: the etcd gRPC proxy\'s name and port: one address that never changes when members are added, moved or removed, at about half the members\' throughput for writes (README: "Where clients and Milvus connect").',
  ).default('members'),
});

/** docker stack deploy --resolve-image's values: the topology's setting, and the CLI's and the action's override. */

const swarm = z.strictObject({
  endpointMode: describe(
    z.enum(['vip', 'dnsrr']),
    'Service discovery: vip (swarm\'s default, needs IPVS) or dnsrr (DNS round robin; for kernels without IPVS).',
  ).default('vip'),
  publishMode: describe(
    z.enum(['ingress', 'host']),
    'ingress: a published port is taken on every node (routing mesh); host: only on nodes running the task.',
  ).default('ingress'),
  allowColocation: describe(z.boolean(), 'Allow etcd members and MinIO nodes to share a host (a one-node test swarm only).').default(false),
  deployTimeoutSeconds: describe(
    z.int().min(10).max(MAX_DEPLOY_TIMEOUT_SECONDS, `expected at most ${MAX_DEPLOY_TIMEOUT_SECONDS} seconds`),
    'How long deploy waits for every service to converge.',
  ).default(300),
  helperImage: describe(
    imageRef,
    'The image of deploy\'s host-preparation jobs (mkdir of data dirs on each node) and of the network anchor (an idle task on every node that keeps it in the stack network): a small image with a shell and coreutils, pinned, never a service image (the etcd image has no mkdir).',
  ).default('busybox:1.36.1'),
  resolveImage: describe(
    z.enum(RESOLVE_IMAGE),
    'docker stack deploy --resolve-image: always asks the registry for each image\'s digest and pins every node to it; never is for images that exist only on the nodes (a test swarm with imported images): no registry is asked.',
  ).default('always'),
});

/** An environment variable's name: where a credential is read from, never the credential. */
const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name such as BACKUP_S3_ACCESS_KEY');

const backupS3Target = z.strictObject({
  endpoint: describe(
    z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://backup.example.com:9000' }),
    'S3 endpoint of the store that keeps recovery points: another MinIO or S3, not this cluster\'s (a point must outlive the cluster).',
  ),
  bucket: describe(z.string().min(1), 'Bucket that holds recovery points (it must exist; backup never creates it).'),
  prefix: describe(
    z.string().regex(/^([A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$|^$/, 'expected a key prefix such as milvus/production (no leading or trailing "/")'),
    'Folder inside the bucket; points go to PREFIX/ID/.',
  ).default(''),
  region: z.string().min(1).default('us-east-1'),
  accessKeyVariable: describe(variableName, 'Environment variable holding the access key (a runner secret); the key itself never goes in this file.').default('BACKUP_S3_ACCESS_KEY'),
  secretKeyVariable: describe(variableName, 'Environment variable holding the secret key (a runner secret).').default('BACKUP_S3_SECRET_KEY'),
});

const cronExpression = z.string().superRefine((text, context) => {
  const parsed = parseCron(text);
  if (!parsed.ok) context.addIssue({ code: 'custom', message: `expected a cron schedule such as "17 3 * * *": ${parsed.problem}` });
  else if (cronGaps(parsed.schedule).firings === 0) context.addIssue({ code: 'custom', message: 'expected a schedule that fires: no day matches it' });
});

const backup = z.strictObject({
  schedule: describe(cronExpression, 'When the backup workflow makes a recovery point: cron, five fields, in UTC (as GitHub Actions reads `schedule:`).'),
  keep: describe(z.int().min(1, 'expected at least 1 recovery point to keep'), 'Recovery points kept; the oldest beyond this are pruned after each new point.'),
  windowDays: describe(
    z.int().min(1, 'expected a window of at least 1 day (MinIO expires noncurrent versions in whole days)').max(3650, 'expected at most 3650 days'),
    'Recovery window: days MinIO keeps the noncurrent versions of Milvus\'s bucket (deploy enables versioning and sets this lifecycle rule). A point older than this brings etcd back, not the bucket.',
  ),
  targets: describe(
    z.strictObject({
      directory: describe(hostPath, 'Directory on the manager that runs backup; each point is a folder ID/ in it.').optional(),
      s3: backupS3Target.optional(),
    }),
    'Where points are written: a directory on the manager and/or an S3 bucket elsewhere (each point goes to every target).',
  ),
});

/** Where Prometheus and Alertmanager run when the stack runs them: pinned to one manager, as their data lives there. */
const monitoringService = (defaultPort: number, what: string) => ({
  image: imageRef,
  host: describe(
    hostName,
    `The manager ${what} runs on (its data dir lives there): one of managers[].name. Omit only where co-location is allowed (a one-node swarm).`,
  ).optional(),
  dataDir: describe(hostPath, `Host directory bind-mounted as ${what}'s data dir; deploy and prepare-hosts.sh create it on that manager.`),
  port: describe(port, `Port ${what} is published on (host mode, on its manager only).`).default(defaultPort),
});

const prometheusService = z.strictObject({
  ...monitoringService(9092, 'Prometheus'),
  retentionDays: describe(z.int().min(1, 'expected at least 1 day').max(3650, 'expected at most 3650 days'), 'How long Prometheus keeps samples (--storage.tsdb.retention.time).').default(15),
});

const alertmanagerService = z.strictObject({
  ...monitoringService(9093, 'Alertmanager'),
  webhookUrlSecret: describe(
    secretName,
    'Swarm secret (external) holding the webhook URL Alertmanager posts alerts to (a chat bridge); read through url_file, never rendered (ALERTMANAGER_WEBHOOK_URL for create-secrets.sh).',
  ).default('alertmanager_webhook_url'),
});

/** Alertmanager's grouping timers (route group_wait, group_interval, repeat_interval), the same for every alert. */
const notifications = z.strictObject({
  groupWaitSeconds: describe(z.int().min(0).max(3600, 'expected at most 3600 seconds'), 'How long Alertmanager waits for more alerts of a new group before the first notification (group_wait).').default(30),
  groupIntervalSeconds: describe(
    z.int().min(1).max(86400, 'expected at most 86400 seconds'),
    'How long before a group that changed (an alert added, or resolved) is notified again (group_interval): also how late a resolved message can come.',
  ).default(300),
  repeatIntervalMinutes: describe(z.int().min(1).max(10080, 'expected at most 10080 minutes (a week)'), 'How often an unchanged firing group is notified again (repeat_interval).').default(240),
});

const monitoring = z.strictObject({
  scrapeIntervalSeconds: describe(
    z.int().min(5, 'expected at least 5 seconds').max(300, 'expected at most 300 seconds'),
    'How often Prometheus scrapes every target and evaluates the alert rules.',
  ).default(15),
  minioTokenSecret: describe(
    secretName,
    "Swarm secret (external) holding the bearer token MinIO's metrics endpoints want (`mc admin prometheus generate ALIAS` with verify's user; MINIO_METRICS_TOKEN for create-secrets.sh). Mounted by the stack's Prometheus.",
  ).default('minio_metrics_token'),
  minioTokenFile: describe(
    hostPath,
    "Where Prometheus reads that token (authorization.credentials_file): the stack's Prometheus mounts the secret here; a Prometheus you already run needs the token in this file.",
  ).default('/run/secrets/minio_metrics_token'),
  runbookBaseUrl: describe(
    z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://github.com/ORG/REPO/blob/main/' }),
    "Prefix of each alert's runbook_url (the repository's web address at its main branch); without it the URL is the path inside the repository.",
  ).optional(),
  notifications: describe(notifications, "When Alertmanager sends: its routing timers (rendered into alertmanager.yml, for the stack's or your own).").default(notifications.parse({})),
  alerts: describe(
    z.record(
      z.string(),
      z.strictObject({
        forSeconds: describe(
          z.int().min(0).max(86400, 'expected at most 86400 seconds (a day)'),
          "How long the alert's condition must hold before it fires (its `for:`); 0 fires at the first evaluation that sees it.",
        ),
      }),
    ),
    "Per alert, by name (monitoring/README.md lists them): a `for:` of this environment's own instead of the rendered default, for a team that pages sooner or later than it.",
  ).default({}),
  prometheus: describe(prometheusService, 'Run Prometheus as a service of the stack, configured from rendered/<env>/monitoring/. Without it the files are for a Prometheus you already run.').optional(),
  alertmanager: describe(alertmanagerService, "Run Alertmanager as a service of the stack; the stack's Prometheus sends it its alerts.").optional(),
});

export const topologySchema = z
  .strictObject({
    stack: describe(dnsLabel, 'The `docker stack deploy` name; services are named <stack>_<service>.'),
    network: z.strictObject({
      name: dnsLabel,
      attachable: describe(z.boolean(), 'Lets a one-off container join (the runbook\'s etcdctl checks and `verify` need it).').default(true),
    }),
    swarm: swarm.default(swarm.parse({})),
    managers: describe(z.array(manager), 'The swarm managers: the proxies run there.').default([]),
    hosts: describe(z.array(host), 'The nodes that hold data (etcd members, MinIO nodes).').default([]),
    etcd,
    minio,
    milvus,
    monitoring: describe(
      monitoring,
      'Metrics and alerts: rendered/<env>/monitoring/ holds a Prometheus scrape configuration, alert rules, an Alertmanager configuration and dashboards, with or without this section; with `prometheus:` / `alertmanager:` the stack runs them too.',
    ).optional(),
    backup: describe(backup, 'Recovery points: etcd snapshots and the Milvus bucket as of the same moment (milvus-swarm backup / restore). Without this section no points are made and the bucket is not versioned.').optional(),
    acknowledge: describe(
      z.array(z.string().regex(/^[a-z0-9-]+:.+$/, 'expected a change id as printed by `milvus-swarm plan`')),
      'Destructive changes reviewed and accepted, by the change id `plan` prints.',
    ).default([]),
  })
  .meta({
    title: 'milvus-swarm topology',
    description: 'One environment of the etcd and MinIO clusters Milvus depends on, deployed as one Docker Swarm stack.',
  });

export type Topology = z.output<typeof topologySchema>;
export type TopologyInput = z.input<typeof topologySchema>;
export type Host = Topology['hosts'][number];
export type EtcdMember = Topology['etcd']['members'][number];
export type MinioPool = Topology['minio']['pools'][number];
export type MinioNode = MinioPool['nodes'][number];
export type Bucket = Topology['minio']['buckets'][number];
export type BucketPolicy = Bucket['policy'];
export type PlacementTarget = z.output<typeof placementTarget>;
export type HealthcheckSetting = Topology['etcd']['healthcheck'];
export type ProbeKind = z.output<typeof probeKind>;
export type BackupSettings = NonNullable<Topology['backup']>;
export type MonitoringSettings = z.output<typeof monitoring>;
/** The monitoring section's values when the topology has none: the files alone, for a Prometheus the team runs. */
export const DEFAULT_MONITORING: MonitoringSettings = monitoring.parse({});
export type BackupS3Target = NonNullable<BackupSettings['targets']['s3']>;
