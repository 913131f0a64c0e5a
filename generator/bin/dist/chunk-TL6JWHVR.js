import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  BUDGET_METRICS,
  JOBS,
  MINIO_CLUSTER_METRICS_PATH,
  MINIO_NODE_METRICS_PATH,
  alertGroups,
  promString,
  renderAlertRules,
  renderNginxConf,
  renderPrometheusConfig,
  selector,
  swarmService
} from "./chunk-VGCQJTHM.js";
import {
  renderTopologySchema
} from "./chunk-BGKEIBXC.js";
import {
  code,
  table
} from "./chunk-L6EL3X6N.js";
import {
  renderStack
} from "./chunk-7RFT6GXS.js";
import {
  swarmConstraints
} from "./chunk-C6KIAFBQ.js";
import {
  commentText,
  generatedHeader,
  shellQuote,
  toYaml
} from "./chunk-MQ2ZPAUY.js";
import {
  HASH_LENGTH,
  NGINX_CONFIG_KEY,
  buildModel,
  hashedConfigName,
  pinnedHost,
  validateTopology
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";

// generator/render/alertmanagerConfig.ts
var WEBHOOK_RECEIVER = "webhook";
function renderAlertmanagerConfig(model) {
  const config = {
    route: {
      receiver: WEBHOOK_RECEIVER,
      // One notification per alert and environment: an etcd member down and MinIO's budget are separate messages.
      group_by: ["alertname", "environment"],
      group_wait: seconds(model.monitoring.notifications.groupWaitSeconds),
      group_interval: seconds(model.monitoring.notifications.groupIntervalSeconds),
      repeat_interval: seconds(model.monitoring.notifications.repeatIntervalMinutes * 60)
    },
    // A lost quorum explains its members' and sets' smaller alerts: while it fires they stay quiet.
    inhibit_rules: [
      { source_matchers: ['alertname="EtcdInsufficientMembers"'], target_matchers: ['alertname=~"EtcdFailureBudgetExhausted|EtcdNoLeader|EtcdFailedProposals"'], equal: ["environment"] },
      { source_matchers: ['alertname="MinioWriteQuorumLost"'], target_matchers: ['alertname="MinioFailureBudgetExhausted"'], equal: ["environment", "pool", "set"] }
    ],
    receivers: [{ name: WEBHOOK_RECEIVER, webhook_configs: [{ url_file: model.monitoring.webhookUrlFile, send_resolved: true }] }]
  };
  const where = model.monitoring.alertmanager ? `# The stack's Alertmanager reads the URL from the swarm secret ${model.monitoring.secrets.webhookUrl}.
` : `# For an Alertmanager you run: put the webhook URL in ${model.monitoring.webhookUrlFile} (one line, nothing else).
`;
  return `${generatedHeader("#", model.source)}${where}${toYaml(config, ["group_by", "source_matchers", "target_matchers", "equal"])}`;
}
function seconds(value) {
  if (value > 0 && value % 3600 === 0) return `${value / 3600}h`;
  if (value > 0 && value % 60 === 0) return `${value / 60}m`;
  return `${value}s`;
}

// generator/render/configName.ts
import { createHash } from "node:crypto";
function nginxConfigName(stack, nginxConf) {
  return hashedConfigName(stack, "nginx_conf", contentHash(nginxConf));
}
function monitoringConfigName(stack, kind, text) {
  return hashedConfigName(stack, kind, contentHash(text));
}
function contentHash(text) {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, HASH_LENGTH);
}
function isStackFileConfigName(stack, name) {
  return ["nginx_conf", "prom_conf", "prom_rules", "am_conf"].some((kind) => hasKind(stack, kind, name));
}
function hasKind(stack, kind, name) {
  const prefix = `${stack}_${kind}_`;
  return name.startsWith(prefix) && new RegExp(`^[0-9a-f]{${HASH_LENGTH}}$`).test(name.slice(prefix.length));
}

// generator/render/createSecrets.ts
var secretVariable = (key) => key.toUpperCase();
function renderCreateSecrets(model) {
  return [
    "#!/usr/bin/env bash",
    generatedHeader("#", model.source).trimEnd(),
    "#",
    `# Creates the external swarm secrets of environment ${shellQuote(model.environment)} that do not exist yet, from the`,
    "# environment variables named below (never from a file in this repository). Run it on a swarm manager. A secret",
    "# that exists is left alone: swarm secrets cannot change (to rotate one, give it a new name in the topology).",
    "#",
    "# Usage: create-secrets.sh [--dry-run]",
    "set -euo pipefail",
    "",
    "dry_run=0",
    `usage() { sed -n 's/^# Usage: //p' "$0"; }`,
    'case "${1:-}" in',
    "  '') ;;",
    "  -n|--dry-run) dry_run=1 ;;",
    "  -h|--help) usage; exit 0 ;;",
    '  *) echo "create-secrets.sh: unknown option $1" >&2; usage >&2; exit 2 ;;',
    "esac",
    "if ! docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -qx true; then",
    '  echo "create-secrets.sh: docker here is not a swarm manager (or cannot be reached): run it on a manager" >&2',
    "  exit 1",
    "fi",
    "",
    "# ensure_secret NAME VARIABLE: create NAME from the value of VARIABLE unless it exists. The value goes to docker",
    "# on stdin, never on a command line or the output.",
    "ensure_secret() {",
    "  local name=$1 variable=$2",
    '  if docker secret inspect "$name" >/dev/null 2>&1; then',
    '    echo "ok     $name"',
    '  elif [ -z "${!variable:-}" ]; then',
    '    echo "create-secrets.sh: $variable is not set: export the value of secret $name first" >&2',
    "    exit 2",
    "  else",
    '    echo "create $name (from \\$$variable)"',
    `    [ "$dry_run" = 1 ] || printf '%s' "\${!variable}" | docker secret create "$name" - >/dev/null`,
    "  fi",
    "}",
    "",
    ...model.secrets.map((secret) => `ensure_secret ${shellQuote(secret.name)} ${secretVariable(secret.key)}`),
    ""
  ].join("\n");
}

// generator/render/dashboards.ts
function dashboards(model) {
  return { etcd: etcdDashboard(model), minio: minioDashboard(model) };
}
function etcdDashboard(model) {
  const etcd = selector(model, JOBS.etcd);
  const env = `{environment=${promString(model.environment)}}`;
  const members = model.monitoring.etcdMembers.length;
  return {
    uid: `milvus-swarm-${model.environment}-etcd`,
    title: `etcd \u2014 ${model.environment} (stack ${model.stack})`,
    panels: [
      stat("Failure budget", "none", `Members that may still fail before etcd loses quorum (${model.monitoring.etcdQuorum} of ${members} needed).`, [q(`${BUDGET_METRICS.etcdBudget}${env}`, "members")], 0),
      stat("Members answering with a leader", "none", `Of ${members} members.`, [q(`${BUDGET_METRICS.etcdAnswering}${env}`, "answering")]),
      stat("Leader", "none", "1 on the member that leads.", [q(`etcd_server_is_leader${etcd}`, "{{member}}")]),
      timeseries("Has a leader", "none", "0: the member sees no leader and serves nothing.", [q(`etcd_server_has_leader${etcd}`, "{{member}} ({{host}})")]),
      timeseries("Leader changes (1 h)", "none", "Elections stall writes; more than a few an hour means restarts, slow disks or a flaky network.", [
        q(`increase(etcd_server_leader_changes_seen_total${etcd}[1h])`, "{{member}}")
      ]),
      timeseries("Proposals", "ops", "Committed, applied and failed proposals per second; pending ones waiting for a commit.", [
        q(`rate(etcd_server_proposals_committed_total${etcd}[5m])`, "committed {{member}}"),
        q(`rate(etcd_server_proposals_applied_total${etcd}[5m])`, "applied {{member}}"),
        q(`rate(etcd_server_proposals_failed_total${etcd}[5m])`, "failed {{member}}"),
        q(`etcd_server_proposals_pending${etcd}`, "pending {{member}}")
      ]),
      timeseries("WAL fsync p99", "s", "Over 0.5 s heartbeats are missed (EtcdSlowFsync).", [
        q(`histogram_quantile(0.99, sum by (le, member) (rate(etcd_disk_wal_fsync_duration_seconds_bucket${etcd}[5m])))`, "{{member}}")
      ]),
      timeseries("Backend commit p99", "s", "Over 0.25 s the disk is too slow (EtcdSlowCommit).", [
        q(`histogram_quantile(0.99, sum by (le, member) (rate(etcd_disk_backend_commit_duration_seconds_bucket${etcd}[5m])))`, "{{member}}")
      ]),
      timeseries("Database size and quota", "bytes", "The file, the part in use (the rest is freed by defrag) and the quota where etcd refuses writes.", [
        q(`etcd_mvcc_db_total_size_in_bytes${etcd}`, "file {{member}}"),
        q(`etcd_mvcc_db_total_size_in_use_in_bytes${etcd}`, "in use {{member}}"),
        q(`max(etcd_server_quota_backend_bytes${etcd})`, "quota")
      ]),
      timeseries("gRPC proxy replicas answering", "none", `Of ${model.monitoring.etcdProxy.replicas} (${model.monitoring.etcdProxy.service}): Milvus reaches etcd through them.`, [
        q(`count(up${selector(model, JOBS.etcdProxy)} == 1)`, "answering")
      ]),
      timeseries("Client requests", "reqps", "gRPC requests the members handle, by method.", [q(`sum by (grpc_method) (rate(grpc_server_handled_total${etcd}[5m]))`, "{{grpc_method}}")])
    ]
  };
}
function minioDashboard(model) {
  const node = selector(model, JOBS.minioNode);
  const cluster = selector(model, JOBS.minioCluster);
  const env = `{environment=${promString(model.environment)}}`;
  const clusterWide = (metric) => `max(${metric}${cluster})`;
  return {
    uid: `milvus-swarm-${model.environment}-minio`,
    title: `MinIO \u2014 ${model.environment} (stack ${model.stack})`,
    panels: [
      stat("Failure budget: writes", "none", "Drives each erasure set may still lose before uploads fail.", [q(`${BUDGET_METRICS.setWriteBudget}${env}`, "pool {{pool}} set {{set}}")], 0),
      stat("Failure budget: reads", "none", "Drives each erasure set may still lose before its objects cannot be read.", [q(`${BUDGET_METRICS.setReadBudget}${env}`, "pool {{pool}} set {{set}}")], 0),
      stat("Nodes answering", "none", `Of ${model.monitoring.minioNodes.length}, as Prometheus sees them.`, [q(`sum(up${node})`, "answering")]),
      timeseries("Nodes and drives offline (MinIO's view)", "none", "MinIO refreshes these once a minute.", [
        q(clusterWide("minio_cluster_nodes_offline_total"), "nodes offline"),
        q(clusterWide("minio_cluster_disk_offline_total"), "drives offline"),
        q(clusterWide("minio_cluster_disk_online_total"), "drives online")
      ]),
      timeseries("Drives offline per node", "none", "As each node reports its own drives; a node that does not answer counts all of its drives.", [
        q(`${BUDGET_METRICS.nodeDrivesOffline}${env}`, "{{node}} ({{host}})")
      ]),
      timeseries("Usable capacity", "bytes", "After parity: what objects can fill.", [
        q(clusterWide("minio_cluster_capacity_usable_total_bytes"), "usable"),
        q(clusterWide("minio_cluster_capacity_usable_free_bytes"), "usable free")
      ]),
      // Per-drive figures come from the cluster endpoint (labelled by server), the same from every node that answers.
      timeseries("Drive space used", "bytes", "Used space of each drive.", [q(`max by (server, disk) (minio_node_disk_used_bytes${cluster})`, "{{server}} {{disk}}")]),
      timeseries("S3 requests", "reqps", `Requests MinIO answered (Milvus's through ${model.monitoring.minioProxy.service}), by API.`, [
        q(`sum by (api) (rate(minio_s3_requests_total${node}[5m]))`, "{{api}}")
      ]),
      timeseries("S3 errors", "reqps", "4xx and 5xx answers; 5xx means quorum lost or nodes restarting (MinioS3ServerErrors).", [
        q(`sum(rate(minio_s3_requests_4xx_errors_total${node}[5m]))`, "4xx"),
        q(`sum(rate(minio_s3_requests_5xx_errors_total${node}[5m]))`, "5xx")
      ]),
      timeseries("S3 traffic", "Bps", "Bytes received and sent.", [
        q(`sum(rate(minio_s3_traffic_received_bytes${node}[5m]))`, "received"),
        q(`sum(rate(minio_s3_traffic_sent_bytes${node}[5m]))`, "sent")
      ])
    ]
  };
}
var q = (expr, legend) => ({ expr, legend });
var stat = (title, unit, description, queries, redAtOrBelow) => ({
  title,
  type: "stat",
  unit,
  description,
  queries,
  ...redAtOrBelow !== void 0 ? { redAtOrBelow } : {}
});
var timeseries = (title, unit, description, queries) => ({ title, type: "timeseries", unit, description, queries });
var DATASOURCE = { type: "prometheus", uid: "${datasource}" };
function renderDashboard(dashboard) {
  let y = 0;
  let statX = 0;
  let seriesIndex = 0;
  const stats = dashboard.panels.filter((panel) => panel.type === "stat");
  const panels = dashboard.panels.map((panel, index) => {
    let gridPos;
    if (panel.type === "stat") {
      gridPos = { x: statX, y: 0, w: 6, h: 4 };
      statX += 6;
    } else {
      y = (stats.length > 0 ? 4 : 0) + Math.floor(seriesIndex / 2) * 8;
      gridPos = { x: seriesIndex % 2 * 12, y, w: 12, h: 8 };
      seriesIndex++;
    }
    return {
      id: index + 1,
      type: panel.type,
      title: panel.title,
      description: panel.description,
      datasource: DATASOURCE,
      gridPos,
      fieldConfig: {
        defaults: {
          unit: panel.unit,
          ...panel.redAtOrBelow !== void 0 ? { thresholds: { mode: "absolute", steps: [{ color: "red", value: null }, { color: "green", value: panel.redAtOrBelow + 1 }] } } : {}
        },
        overrides: []
      },
      options: panel.type === "stat" ? { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "background" } : { legend: { displayMode: "list", placement: "bottom" } },
      targets: panel.queries.map((query, queryIndex) => ({ datasource: DATASOURCE, expr: query.expr, legendFormat: query.legend, refId: String.fromCharCode(65 + queryIndex) }))
    };
  });
  const model = {
    uid: dashboard.uid,
    title: dashboard.title,
    description: "Generated by milvus-swarm from the topology. Do not edit: change the topology and run `npx milvus-swarm render`.",
    tags: ["milvus-swarm"],
    editable: false,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "30s",
    templating: { list: [{ name: "datasource", label: "Prometheus", type: "datasource", query: "prometheus", current: {}, hide: 0 }] },
    panels
  };
  return `${JSON.stringify(model, null, 2)}
`;
}

// generator/render/monitoringReadme.ts
function renderMonitoringReadme(model) {
  const { monitoring } = model;
  const sections = [
    `<!-- Generated by milvus-swarm from ${model.source}. Do not edit: change the topology and run \`npx milvus-swarm render\`. -->`,
    `# Monitoring of \`${model.environment}\``,
    runsWhere(model),
    "## What is scraped",
    table(
      ["job", "targets", "path", "labels"],
      [
        [code(JOBS.etcd), monitoring.etcdMembers.map((member) => code(member.address)).join(", "), code("/metrics"), "member, host, service"],
        [code(JOBS.etcdProxy), `every replica of ${code(monitoring.etcdProxy.tasksName)} on port ${monitoring.etcdProxy.port} (DNS)`, code("/metrics"), "service"],
        [code(JOBS.minioNode), monitoring.minioNodes.map((node) => code(node.address)).join(", "), code(MINIO_NODE_METRICS_PATH), "node, host, pool, service"],
        [code(JOBS.minioCluster), "the same nodes", code(MINIO_CLUSTER_METRICS_PATH), "node, host, pool, service"]
      ]
    ),
    `Every ${monitoring.scrapeIntervalSeconds} s; every target also carries ${code(`environment="${model.environment}"`)}. MinIO's endpoints want a bearer token, read from ${code(monitoring.minioTokenFile)}. nginx (${code(swarmService(model, monitoring.minioProxy.service))}) exposes no metrics: S3 errors are counted by MinIO.`,
    "## Failure budget",
    `How many more failures each cluster survives now, as recording rules: etcd ${code("milvus_swarm:etcd_failure_budget")} (members answering with a leader, minus the quorum of ${monitoring.etcdQuorum}); MinIO ${code("milvus_swarm:minio_erasure_set_write_budget")} and ${code("milvus_swarm:minio_erasure_set_read_budget")} per erasure set (drives it may still lose).`,
    table(
      ["pool", "erasure set", "drives", "parity", "may lose (writes / reads)", "nodes (drives in the set)"],
      monitoring.erasureSets.map((set) => [
        String(set.pool),
        String(set.set),
        String(set.drives),
        `EC:${set.parity}`,
        `${set.writeTolerance} / ${set.readTolerance}`,
        set.nodes.map((node) => `${node.node} (${node.drives})`).join(", ")
      ])
    ),
    "## Alerts",
    table(
      ["alert", "severity", "fires when"],
      alertGroups(model).flatMap((group) => group.rules.filter((rule) => rule.kind === "alert").map((rule) => [`[${rule.alert}](#${rule.alert.toLowerCase()})`, rule.severity, rule.when]))
    ),
    ...alertGroups(model).flatMap((group) => group.rules.filter((rule) => rule.kind === "alert").map((rule) => alertSection(rule)))
  ];
  return `${sections.join("\n\n")}
`;
}
function runsWhere(model) {
  const { monitoring } = model;
  if (!monitoring.prometheus) {
    return `No Prometheus runs in the stack: point one you run at these files (the repository's README, "Monitoring"). Files: ${code("prometheus.yml")}, ${code("alerts.yml")}, ${code("alertmanager.yml")}, ${code("dashboard-etcd.json")}, ${code("dashboard-minio.json")}.`;
  }
  const where = (host) => host ? `on ${host}` : "on the swarm's node";
  return [
    `Prometheus runs in the stack as ${code(swarmService(model, "prometheus"))} ${where(monitoring.prometheus.host)}, port ${monitoring.prometheus.port}, keeping ${monitoring.prometheus.retentionDays} days in ${code(monitoring.prometheus.dataDir)}.`,
    monitoring.alertmanager ? `Alertmanager runs as ${code(swarmService(model, "alertmanager"))} ${where(monitoring.alertmanager.host)}, port ${monitoring.alertmanager.port}; it posts every alert to the webhook URL in the swarm secret ${code(monitoring.secrets.webhookUrl)}.` : "No Alertmanager runs in the stack: alerts show in Prometheus only."
  ].join(" ");
}
var afterWords = (seconds2) => seconds2 === 0 ? "the first evaluation" : `${seconds2} s`;
function alertSection(rule) {
  return [
    `### ${rule.alert}`,
    `**${rule.severity}**, after ${afterWords(rule.forSeconds)}${rule.defaultForSeconds === void 0 ? "" : ` (this environment's monitoring.alerts; ${afterWords(rule.defaultForSeconds)} by default)`}. ${rule.description}`,
    `Query: ${code(rule.expr)}`,
    "What to do:",
    rule.runbook.map((step, index) => `${index + 1}. ${step}`).join("\n")
  ].join("\n\n");
}

// generator/render/milvusConfig.ts
function renderMilvusConfig(model) {
  const { milvus } = model;
  const sections = {
    etcd: {
      endpoints: milvus.etcdEndpoints,
      rootPath: milvus.etcdRootPath
    },
    minio: {
      address: milvus.minioAddress,
      port: milvus.minioPort,
      bucketName: milvus.bucketName,
      useSSL: milvus.useSSL,
      rootPath: milvus.minioRootPath
    }
  };
  return generatedHeader("#", model.source) + `# Merge into Milvus's milvus.yaml. Addresses are service names on the ${model.network.name} network, so
# Milvus must run on that network; add minio.accessKeyID/secretAccessKey from your secret store, never here.
` + toYaml(sections);
}

// generator/render/prepareHosts.ts
var functionName = (preparation) => `prepare_${(preparation.host ?? "any_node").replace(/[^A-Za-z0-9_]/g, "_")}`;
function renderPrepareHosts(model) {
  const pinned = model.hostPreparation.filter((preparation) => preparation.host !== void 0);
  const unpinned = model.hostPreparation.find((preparation) => preparation.host === void 0);
  return [
    "#!/usr/bin/env bash",
    generatedHeader("#", model.source).trimEnd(),
    ...options(model, pinned),
    ...ENSURE_DIR,
    ...model.hostPreparation.flatMap(hostFunction),
    ...dispatch(model, pinned, unpinned)
  ].join("\n");
}
function options(model, pinned) {
  const hosts = pinned.length > 0 ? pinned.map((p) => shellQuote(`${p.host} ${p.ip ?? ""}`.trim())).join(" ") : shellQuote("(any node)");
  return [
    "#",
    `# Creates the data directories of environment "${commentText(model.environment)}" on the host it runs on. Idempotent: run it`,
    "# again at any time; it creates what is missing and fixes modes, and never deletes anything.",
    "#",
    "# Usage: prepare-hosts.sh [--dry-run] [HOST]   (HOST defaults to this machine's hostname; --list shows hosts)",
    "set -euo pipefail",
    "",
    "dry_run=0",
    'target=""',
    `usage() { sed -n 's/^# Usage: //p' "$0"; }`,
    "while [ $# -gt 0 ]; do",
    '  case "$1" in',
    "    -n|--dry-run) dry_run=1 ;;",
    `    -l|--list) printf '%s\\n' ${hosts}; exit 0 ;;`,
    "    -h|--help) usage; exit 0 ;;",
    '    -*) echo "prepare-hosts.sh: unknown option $1" >&2; usage >&2; exit 2 ;;',
    "    *) target=$1 ;;",
    "  esac",
    "  shift",
    "done",
    "target=${target:-$(hostname)}",
    ""
  ];
}
var ENSURE_DIR = [
  "# ensure_dir PATH MODE: create PATH with MODE, or fix the mode of an existing one.",
  "ensure_dir() {",
  "  local path=$1 mode=$2",
  '  if [ -d "$path" ]; then',
  '    if [ "$(stat -c %a "$path")" != "${mode#0}" ]; then',
  '      echo "chmod $mode $path"',
  '      [ "$dry_run" = 1 ] || chmod "$mode" "$path"',
  "    else",
  '      echo "ok    $path"',
  "    fi",
  '  elif [ -e "$path" ]; then',
  '    echo "prepare-hosts.sh: $path exists and is not a directory; move it away and run again" >&2',
  "    exit 1",
  "  else",
  '    echo "mkdir $path (mode $mode)"',
  "    # Parents get the default mode; only the data directory itself is restricted.",
  '    [ "$dry_run" = 1 ] || { mkdir -p "$path" && chmod "$mode" "$path"; }',
  "  fi",
  "}",
  ""
];
function hostFunction(preparation) {
  return [
    `${functionName(preparation)}() {`,
    ...preparation.directories.map((directory) => `  ensure_dir ${shellQuote(directory.path)} ${directory.mode} # ${commentText(directory.owner)}`),
    "}",
    ""
  ];
}
function dispatch(model, pinned, unpinned) {
  const cases = pinned.map((preparation) => {
    const names = [preparation.host, ...preparation.ip ? [preparation.ip] : []].map(shellQuote).join("|");
    return `  ${names}) ${functionName(preparation)} ;;`;
  });
  const otherwise = unpinned ? `  *) ${functionName(unpinned)} ;; # members without a host run on any node of this one-node swarm` : `  *) printf '%s\\n' "prepare-hosts.sh: $target is not a data host of environment "${shellQuote(model.environment)}"; run with --list to see them" >&2; exit 1 ;;`;
  return ['case "$target" in', ...cases, otherwise, "esac", ""];
}

// generator/render/readme.ts
function renderReadme(model, nginxConfigName2) {
  const sections = [
    `<!-- Generated by milvus-swarm from ${model.source}. Do not edit: change the topology and run \`npx milvus-swarm render\`. -->`,
    `# Environment \`${model.environment}\`: stack \`${model.stack}\``,
    `Network ${code(model.network.name)} (overlay${model.network.attachable ? ", attachable" : ""}); endpoint mode ${code(model.swarm.endpointMode)}; ports published in ${code(model.swarm.publishMode)} mode${model.swarm.publishMode === "ingress" ? " (taken on every node)" : " (only on nodes running the task)"}.`,
    "## Hosts",
    hostsTable(model),
    "## Services",
    servicesTable(model),
    "## Published ports",
    publishedPortsTable(model),
    "## etcd",
    ...etcdSection(model),
    "## MinIO",
    ...minioSection(model, nginxConfigName2),
    "## Before the first deploy",
    ...beforeFirstDeploySection(model),
    `Milvus reads ${code("milvus.yaml")} in this folder: etcd ${model.milvus.etcdEndpoints.map(code).join(", ")}, MinIO ${code(`${model.milvus.minioAddress}:${model.milvus.minioPort}`)}, bucket ${code(model.milvus.bucketName)}.`
  ];
  return `${sections.join("\n\n")}
`;
}
function servicesTable(model) {
  return table(
    ["service", "image", "replicas", "placement", "data (host \u2192 container)"],
    model.services.map((service) => [
      code(`${model.stack}_${service.name}`),
      code(service.image),
      service.everyNode ? "one per node" : String(service.replicas),
      service.everyNode ? "every node (keeps it in the stack network)" : placementText(service),
      service.mounts.map((mount) => `${code(mount.source)} \u2192 ${code(mount.target)}`).join("<br>") || "\u2014"
    ])
  );
}
function publishedPortsTable(model) {
  return table(
    ["port", "service", "container port", "mode", "what"],
    model.services.flatMap(
      (service) => service.ports.map((port) => [String(port.published), code(service.name), String(port.target), model.swarm.publishMode, port.purpose])
    )
  );
}
function etcdSection(model) {
  return [
    `${model.etcd.members.length} members: quorum ${Math.floor(model.etcd.members.length / 2) + 1}, survives the loss of ${Math.ceil(model.etcd.members.length / 2) - 1}. Clients use the gRPC proxy ${code(model.etcd.proxy.endpoint)} on the network, or port ${model.etcd.proxy.publishedPort} on ${model.swarm.publishMode === "ingress" ? "any node" : "the nodes running it"}.`,
    table(
      ["member", "host", "client URL", "peer URL", "data dir"],
      model.etcd.members.map((member) => [member.name, member.host ?? "(any node)", code(member.clientUrl), code(member.peerUrl), code(member.dataDir)])
    )
  ];
}
function minioSection(model, nginxConfigName2) {
  return [
    table(
      ["pool", "nodes \xD7 drives", "server argument", "erasure sets", "parity", "node loss tolerated (writes / reads)"],
      model.minio.pools.map((pool, index) => {
        const { layout } = pool;
        return [
          String(index + 1),
          `${pool.nodes.length} \xD7 ${pool.drivesPerNode}`,
          code(pool.serverArgument),
          layout ? `${layout.sets} \xD7 ${layout.setSize} drives` : "\u2014",
          layout ? `EC:${layout.parity}` : "\u2014",
          layout ? `${layout.nodeLossForWrites} / ${layout.nodeLossForReads}` : "\u2014"
        ];
      })
    ),
    `The load balancer ${code(model.minio.proxy.name)} (nginx) serves S3 on port ${model.minio.proxy.s3Port} and the console on ${model.minio.proxy.consolePort} (browsers are sent to ${model.minio.consoleUrl}). Its nginx.conf ships as the swarm config ${code(nginxConfigName2)}.`,
    table(
      ["bucket", "anonymous access"],
      model.minio.buckets.map((bucket) => [code(bucket.name), bucket.policy + (bucket.name === model.milvus.bucketName ? " (Milvus's bucket)" : "")])
    ),
    `verify signs in as its own MinIO user (secrets below), which deploy creates with the canned policy ${code(model.minio.verifyPolicy.name)}: only what verify does, and nothing of Milvus's objects outside ${code(model.minio.verifyPolicy.probePrefix)}.`,
    table(
      ["statement", "actions", "on", "only when"],
      model.minio.verifyPolicy.document.Statement.map((statement) => [
        statement.Sid ?? "\u2014",
        statement.Action.map(code).join(", "),
        statement.Resource?.map(code).join(", ") ?? "(MinIO admin API)",
        Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => `${code(key)} ${operator} ${values.map(code).join(", ")}`)).join("; ") || "\u2014"
      ])
    )
  ];
}
function readBy(model, key) {
  const mounting = model.services.filter((service) => service.secrets.some((secret) => secret.key === key));
  if (mounting.length === 0) return "deploy (creates the user); verify";
  if (mounting.every((service) => service.role === "minio-node")) return `every MinIO node (${code(`/run/secrets/${key}`)}); deploy, to create verify's user`;
  return mounting.map((service) => {
    const target = service.secrets.find((secret) => secret.key === key).target;
    return `${service.name} (${code(target.startsWith("/") ? target : `/run/secrets/${target}`)})`;
  }).join(", ");
}
function beforeFirstDeploySection(model) {
  return [
    `Create the secrets (external to the stack, never in this repository) on a manager with ${code("create-secrets.sh")}, from the variables below, or by hand. On GitHub the same values are environment secrets of the same names: deploy gets all four (it creates verify's MinIO user with the root credentials), verify only its own two.`,
    table(
      ["secret", "holds", "value from", "read by"],
      model.secrets.map((secret) => [
        code(secret.name),
        secret.holds,
        code(secretVariable(secret.key)),
        readBy(model, secret.key)
      ])
    ),
    "```sh\n" + model.secrets.map((secret) => `printf '%s' "$VALUE" | docker secret create ${secret.name} -   # ${secret.key.replace(/_/g, " ")}`).join("\n") + "\n```",
    `Prepare the data directories on each data host with ${code("prepare-hosts.sh")} (or let ${code(`npx milvus-swarm deploy --env ${model.environment}`)} do it):`,
    table(
      ["host", "directory", "mode", "for"],
      model.hostPreparation.flatMap(
        (preparation) => preparation.directories.map((directory) => [preparation.host ?? "(any node)", code(directory.path), directory.mode, directory.owner])
      )
    )
  ];
}
function hostsTable(model) {
  const runs = (host) => model.services.filter((service) => pinnedHost(service.placement) === host).map((service) => service.name).join(", ");
  const rows = model.hosts.map((host) => [host.name, host.ip, host.nodeId ?? "\u2014", host.roles.join(", ") || "\u2014", runs(host.name) || "\u2014"]);
  const proxies = model.services.filter((service) => service.placement.kind === "managers").map((service) => `${service.name} \xD7${service.replicas}`);
  const managerRows = model.managers.map((manager) => [manager.name ?? "\u2014", manager.ip, "\u2014", "manager", [...proxies, ...manager.name ? [runs(manager.name)] : []].filter(Boolean).join(", ")]);
  if (rows.length + managerRows.length === 0) {
    return "No host is named: every service runs on the single node of this swarm (co-location allowed).";
  }
  return table(["hostname", "IP", "node id", "roles", "runs"], [...rows, ...managerRows]);
}
function placementText(service) {
  switch (service.placement.kind) {
    case "host":
      return `pinned to ${service.placement.host} (${swarmConstraints(service.placement).map(code).join(", ")})`;
    case "managers":
      return "managers";
    case "any":
      return "any node";
  }
}

// generator/render/index.ts
var ENVIRONMENT_RENDERERS = [
  { file: "README.md", render: ({ model, nginxConfigName: nginxConfigName2 }) => renderReadme(model, nginxConfigName2) },
  { file: "create-secrets.sh", render: ({ model }) => renderCreateSecrets(model) },
  { file: "milvus.yaml", render: ({ model }) => renderMilvusConfig(model) },
  { file: "nginx.conf", render: ({ nginxConf }) => nginxConf },
  { file: "prepare-hosts.sh", render: ({ model }) => renderPrepareHosts(model) },
  { file: "stack.yaml", render: ({ model, stackConfigs }) => renderStack(model, stackConfigs) },
  // Files for Prometheus and Alertmanager, in the stack or run by the team (README.md, "Monitoring").
  { file: "monitoring/prometheus.yml", render: ({ prometheusConfig }) => prometheusConfig },
  { file: "monitoring/alerts.yml", render: ({ alertRules }) => alertRules },
  { file: "monitoring/alertmanager.yml", render: ({ alertmanagerConfig }) => alertmanagerConfig },
  { file: "monitoring/dashboard-etcd.json", render: ({ model }) => renderDashboard(dashboards(model).etcd) },
  { file: "monitoring/dashboard-minio.json", render: ({ model }) => renderDashboard(dashboards(model).minio) },
  { file: "monitoring/README.md", render: ({ model }) => renderMonitoringReadme(model) }
];
var ENVIRONMENT_FILES = ENVIRONMENT_RENDERERS.map((renderer) => renderer.file);
var ENVIRONMENT_FOLDERS = [...new Set(ENVIRONMENT_FILES.filter((file) => file.includes("/")).map((file) => file.split("/")[0]))];
function renderEnvironment(model, templates) {
  const nginxConf = renderNginxConf(model, templates.nginxConf);
  const prometheusConfig = renderPrometheusConfig(model);
  const alertRules = renderAlertRules(model);
  const alertmanagerConfig = renderAlertmanagerConfig(model);
  const stackConfigs = [{ key: NGINX_CONFIG_KEY, name: nginxConfigName(model.stack, nginxConf), file: "./nginx.conf" }];
  const context = { model, templates, nginxConf, nginxConfigName: stackConfigs[0].name, prometheusConfig, alertRules, alertmanagerConfig, stackConfigs };
  return new Map(ENVIRONMENT_RENDERERS.map((renderer) => [renderer.file, renderer.render(context)]));
}

// generator/workspace/pipeline.ts
function renderSource(source, templates) {
  const validated = validateTopology(source.file, source.text);
  if (!validated.ok) return { ok: false, environment: source.environment, problems: validated.problems };
  const model = buildModel(source.environment, source.file, validated.topology);
  return {
    ok: true,
    environment: source.environment,
    topology: validated.topology,
    model,
    files: renderEnvironment(model, templates),
    warnings: validated.warnings
  };
}
var SCHEMA_FILE = "topology.schema.json";
function renderTree(results) {
  const tree = /* @__PURE__ */ new Map([[SCHEMA_FILE, renderTopologySchema()]]);
  for (const result of results) {
    for (const name of ENVIRONMENT_FILES) tree.set(`${result.environment}/${name}`, result.files.get(name));
  }
  return tree;
}

// generator/workspace/tree.ts
import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, rename, rm, stat as stat2 } from "node:fs/promises";
import path from "node:path";
var TREE_LIMITS = { depth: 8, entries: 1e4, fileBytes: 64 * 1024 * 1024 };
var MAX_NEW_PARENTS = 16;
var fileMode = (file) => file.endsWith(".sh") ? 493 : 420;
var kindOf = (entry) => {
  if (entry.isSymbolicLink()) return "a symbolic link";
  if (entry.isDirectory()) return "a folder";
  if (entry.isFIFO()) return "a pipe";
  if (entry.isSocket()) return "a socket";
  if (entry.isCharacterDevice()) return "a character device";
  if (entry.isBlockDevice()) return "a block device";
  return void 0;
};
async function readDiskTree(directory) {
  const tree = { files: /* @__PURE__ */ new Map(), executable: /* @__PURE__ */ new Set(), others: /* @__PURE__ */ new Map() };
  let count = 0;
  const walk = async (relative, depth) => {
    const entries = await readdir(path.join(directory, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++count > TREE_LIMITS.entries) throw new Error(`${directory} holds more than ${TREE_LIMITS.entries} entries: not a folder the generator wrote`);
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (depth + 1 >= TREE_LIMITS.depth) tree.others.set(`${child}/`, "folders nested deeper than 8");
        else await walk(child, depth + 1);
        continue;
      }
      const other = kindOf(entry);
      if (other) {
        tree.others.set(child, other);
        continue;
      }
      const read = await readRegularFile(path.join(directory, child));
      if (typeof read === "string") tree.others.set(child, read);
      else {
        tree.files.set(child, read.text);
        if (read.executable) tree.executable.add(child);
      }
    }
  };
  await walk("", 0);
  return tree;
}
async function readTree(directory) {
  return (await readDiskTree(directory)).files;
}
async function readRegularFile(file) {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return "a symbolic link";
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return kindOf(info) ?? "a socket";
    if (info.size > TREE_LIMITS.fileBytes) return "a file over 64 MiB";
    return { text: (await handle.readFile()).toString("utf8"), executable: (info.mode & 64) !== 0 };
  } finally {
    await handle.close();
  }
}
function compareTrees(expected, actual) {
  const changed = [];
  const missing = [];
  for (const [file, text] of expected) {
    const found = actual.get(file);
    if (found === void 0) missing.push(file);
    else if (found !== text) changed.push({ file, firstDifferentLine: firstDifferentLine(text, found) });
  }
  const stray = [...actual.keys()].filter((file) => !expected.has(file));
  return { changed, missing: missing.sort(), stray: stray.sort() };
}
function firstDifferentLine(a, b) {
  const left = a.split("\n");
  const right = b.split("\n");
  let line = 0;
  while (line < left.length && line < right.length && left[line] === right[line]) line++;
  return line + 1;
}
async function entryAt(target) {
  return lstat(target).catch((error) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return void 0;
    throw new UsageError(`${target}: ${error.message}`);
  });
}
async function assertReplaceable(target, shown, allowed) {
  const found = await entryAt(target);
  if (found === void 0) {
    await createParents(target, shown);
    return;
  }
  const kind = kindOf(found);
  if (kind === "a symbolic link") throw new UsageError(`${shown} is a symbolic link: milvus-swarm neither follows nor replaces one; use a real folder`);
  if (kind !== "a folder") throw new UsageError(`${shown} is ${kind ?? "a file"}, not a folder: choose a missing path or a folder the generator wrote`);
  if ((found.mode & 146) === 0) throw new UsageError(`${shown} is read-only: make it writable or choose another folder`);
  const entries = await readdir(target, { withFileTypes: true });
  const foreign = entries.slice(0, TREE_LIMITS.entries).map((entry) => ({ name: entry.name, kind: kindOf(entry) ?? "a file" })).filter((entry) => !allowed(entry.name, entry.kind)).map((entry) => entry.kind === "a file" ? entry.name : `${entry.name} (${entry.kind})`);
  if (foreign.length > 0) {
    throw new UsageError(`${shown} holds files the generator does not write (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", ..." : ""}): choose an empty or a rendered folder`);
  }
}
async function createParents(target, shown) {
  const missing = [];
  let parent = path.dirname(path.resolve(target));
  let shownParent = path.dirname(shown);
  for (; ; ) {
    const found = await entryAt(parent);
    if (found !== void 0) {
      const resolved = found.isSymbolicLink() ? await stat2(parent).catch(() => void 0) : found;
      if (!resolved?.isDirectory()) throw new UsageError(`${shown}: ${shownParent} is ${resolved ? kindOf(resolved) ?? "a file" : "a dangling symbolic link"}, not a folder`);
      break;
    }
    shownParent = path.dirname(shownParent);
    missing.unshift(parent);
    if (missing.length > MAX_NEW_PARENTS) throw new UsageError(`${shown}: would create more than ${MAX_NEW_PARENTS} folders; create the parent folder first`);
    parent = path.dirname(parent);
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error) => {
      if (error.code !== "EEXIST") throw new UsageError(`${shown}: cannot create a folder in ${path.dirname(folder)}: ${error.code ?? error.message}`);
    });
  }
}
async function replaceDirectory(target, tree, shown = target) {
  const parent = path.dirname(path.resolve(target));
  const base = path.basename(target);
  const staging = path.join(parent, `.${base}.tmp-${process.pid}`);
  const previous = path.join(parent, `.${base}.old-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging).catch((error) => {
      throw new UsageError(`${shown}: cannot create a folder in ${parent}: ${error.code ?? error.message}`);
    });
    for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
      const segments = file.split("/");
      for (let depth = 1; depth < segments.length; depth++) {
        await mkdir(path.join(staging, ...segments.slice(0, depth))).catch((error) => {
          if (error.code !== "EEXIST") throw error;
        });
      }
      const handle = await open(path.join(staging, ...segments), "wx", fileMode(file));
      try {
        await handle.writeFile(text);
        await handle.chmod(fileMode(file));
      } finally {
        await handle.close();
      }
    }
    const existed = await entryAt(target) !== void 0;
    if (existed) await rename(target, previous);
    try {
      await rename(staging, target);
    } catch (error) {
      if (existed) await rename(previous, target);
      throw error;
    }
    if (existed) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export {
  monitoringConfigName,
  contentHash,
  isStackFileConfigName,
  ENVIRONMENT_FILES,
  ENVIRONMENT_FOLDERS,
  renderSource,
  SCHEMA_FILE,
  renderTree,
  fileMode,
  readDiskTree,
  readTree,
  compareTrees,
  assertReplaceable,
  replaceDirectory
};
