import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  renderAlertRules,
  renderNginxConf,
  renderPrometheusConfig
} from "./chunk-VGCQJTHM.js";
import {
  code
} from "./chunk-L6EL3X6N.js";
import {
  ERASURE_VARIABLES,
  MINIO_WITHOUT_CURL,
  buildModel,
  erasureSettings,
  formatPath,
  imageTag,
  pinnedHost,
  probeProgram
} from "./chunk-K5CMLZDE.js";
import {
  DEFAULT_MONITORING,
  parseRetention
} from "./chunk-JODZXVQZ.js";

// generator/plan/change.ts
var CHANGE_CLASSES = ["destructive", "care", "safe"];
var changeId = (kind, subject) => `${kind}:${subject}`;
var safe = (id, what, why) => ({ id, class: "safe", what, why, acknowledged: false });
var care = (id, what, why, procedure) => ({
  id,
  class: "care",
  what,
  why,
  procedure,
  acknowledged: false
});
var destructive = (id, what, why, procedure) => ({
  id,
  class: "destructive",
  what,
  why,
  ...procedure ? { procedure } : {},
  acknowledged: false
});
var blocks = (change) => change.class === "destructive" && !change.acknowledged;

// generator/plan/runbook.ts
var swarmService = (model, service) => `${model.stack}_${service}`;
function etcdctlCommand(model, args, members = model.etcd.members.map((member) => member.name)) {
  const endpoints = members.map((name) => `http://${name}:${model.etcd.clientPort}`).join(",");
  return `docker run --rm --network ${model.network.name} ${model.etcd.image} etcdctl --endpoints=${endpoints} ${args}`;
}
var etcdctl = (model, args, members) => code(etcdctlCommand(model, args, members));
var etcdHealthy = (model, members) => `${etcdctl(model, "endpoint health --cluster", members)} reports every member healthy`;
var deploy = (environment) => code(`npx milvus-swarm deploy --env ${environment}`);
var verify = (environment) => code(`npx milvus-swarm verify --env ${environment}`);
var plural = (count, word, words = `${word}s`) => `${count} ${count === 1 ? word : words}`;
var ordinal = (n) => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th";
  return `${n}${suffix}`;
};
var listOf = (names3) => names3.length <= 1 ? names3[0] ?? "" : `${names3.slice(0, -1).join(", ")} and ${names3[names3.length - 1]}`;

// generator/plan/classifiers/backup.ts
var backupCommand = (environment) => code(`npx milvus-swarm backup --env ${environment}`);
var listCommand = (environment) => code(`npx milvus-swarm backup list --env ${environment}`);
var s3Location = (s3) => `${s3.endpoint.replace(/\/$/, "")}/${s3.bucket}${s3.prefix ? `/${s3.prefix}` : ""}`;
var both = (before, after) => before && after ? [before, after] : void 0;
var backupToggled = ({ environment, before, after }) => {
  const [from, to] = [before.topology.backup, after.topology.backup];
  const bucket = after.topology.milvus.bucket;
  if (!from && to) {
    return [
      care(
        changeId("backup-enable", bucket),
        `recovery points every "${to.schedule}", ${plural(to.keep, "point")} kept, a ${to.windowDays}-day window`,
        `deploy turns on versioning for ${bucket} (S3 can suspend versioning later, never remove it) with a lifecycle rule that keeps overwritten and deleted objects ${plural(to.windowDays, "day")}: every segment Milvus compacts away or drops stays on the drives that long`,
        [
          `check the MinIO drives' free space: \`npm run bench:backup\` measures what versioning keeps for Milvus's write pattern`,
          `${deploy(environment)}: versioning and the lifecycle rule are set`,
          `${backupCommand(environment)} makes the first point; ${listCommand(environment)} shows it`
        ]
      )
    ];
  }
  if (from && !to) {
    return [
      care(
        changeId("backup-disable", before.topology.milvus.bucket),
        "recovery points no longer made",
        `the points already made stay where they are and nothing prunes them; ${before.topology.milvus.bucket} stays versioned (S3 can only suspend versioning) and keeps expiring old versions after ${plural(from.windowDays, "day")}`,
        [`${listCommand(environment)} before the merge: note the points you still want, and delete the others from their targets by hand`, `${deploy(environment)}`]
      )
    ];
  }
  return [];
};
var backupWindowChanged = ({ environment, before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides || sides[0].windowDays === sides[1].windowDays) return [];
  const [from, to] = [sides[0].windowDays, sides[1].windowDays];
  const id = changeId("backup-window", from);
  const what = `recovery window ${plural(from, "day")} \u2192 ${plural(to, "day")}`;
  if (to > from) {
    return [safe(id, what, `MinIO keeps overwritten and deleted objects longer (more disk); versions already expired stay gone, so the longer reach builds up over ${plural(to - from, "day")}`)];
  }
  return [
    care(id, what, `once deploy sets the shorter lifecycle rule, MinIO's scanner expires versions older than ${plural(to, "day")}: points older than that can bring back etcd but no longer the bucket`, [
      `${listCommand(environment)}: points older than ${plural(to, "day")} lose their bucket state`,
      `${deploy(environment)}`
    ])
  ];
};
var backupKeepChanged = ({ environment, before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides || sides[0].keep === sides[1].keep) return [];
  const [from, to] = [sides[0].keep, sides[1].keep];
  const id = changeId("backup-keep", from);
  const what = `recovery points kept ${from} \u2192 ${to}`;
  if (to > from) return [safe(id, what, "pruning keeps more points from now on; nothing is deleted")];
  return [
    care(id, what, `the next backup prunes the oldest points until ${plural(to, "point")} remain: ${plural(from - to, "point")} are deleted from every target`, [
      `${listCommand(environment)}: copy any point you want to keep elsewhere first`,
      `${deploy(environment)}`
    ])
  ];
};
var backupScheduleChanged = ({ before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides || sides[0].schedule === sides[1].schedule) return [];
  return [safe(changeId("backup-schedule", before.topology.stack), `backup schedule "${sides[0].schedule}" \u2192 "${sides[1].schedule}"`, "only when recovery points are made changes; nothing restarts")];
};
var backupTargetsChanged = ({ environment, before, after }) => {
  const sides = both(before.topology.backup, after.topology.backup);
  if (!sides) return [];
  const [from, to] = [sides[0].targets, sides[1].targets];
  const changes = [];
  const moved = (kind, old, next) => care(
    changeId("backup-target", kind),
    next === void 0 ? `recovery points no longer written to ${old}` : `recovery points move from ${old} to ${next}`,
    `the points already in ${old} are no longer listed, pruned or restored from${next === void 0 ? "" : `: new points go to ${next}`}`,
    [
      next === void 0 ? `keep or delete the points in ${old} by hand` : `copy the point folders from ${old} to ${next} to keep them restorable`,
      `${deploy(environment)}; ${listCommand(environment)} shows the points found`
    ]
  );
  if (from.directory !== void 0 && from.directory !== to.directory) changes.push(moved("directory", from.directory, to.directory));
  if (from.directory === void 0 && to.directory !== void 0) {
    changes.push(safe(changeId("backup-target", "directory"), `recovery points also written to ${to.directory}`, "a new target: the next point goes there too"));
  }
  if (from.s3 && (!to.s3 || s3Location(from.s3) !== s3Location(to.s3))) changes.push(moved("s3", s3Location(from.s3), to.s3 && s3Location(to.s3)));
  if (!from.s3 && to.s3) changes.push(safe(changeId("backup-target", "s3"), `recovery points also written to ${s3Location(to.s3)}`, "a new target: the next point goes there too"));
  if (from.s3 && to.s3 && s3Location(from.s3) === s3Location(to.s3)) {
    const renamed = ["accessKeyVariable", "secretKeyVariable", "region"].filter((field) => from.s3[field] !== to.s3[field]);
    if (renamed.length > 0) {
      changes.push(
        safe(
          changeId("backup-credentials", "s3"),
          `S3 target ${renamed.map((field) => `${field} ${from.s3[field]} \u2192 ${to.s3[field]}`).join(", ")}`,
          `the runner that makes points must provide ${code(to.s3.accessKeyVariable)} and ${code(to.s3.secretKeyVariable)}; nothing in the cluster changes`
        )
      );
    }
  }
  return changes;
};

// generator/plan/classifiers/buckets.ts
var bucketsAdded = ({ environment, before, after }) => after.topology.minio.buckets.filter((bucket) => !before.topology.minio.buckets.some((existing) => existing.name === bucket.name)).map(
  (bucket) => safe(
    changeId("bucket-add", bucket.name),
    `new bucket ${bucket.name} (${bucket.policy})`,
    `${deploy(environment)} creates it with its policy (its buckets phase); nothing restarts`
  )
);
var bucketsRemoved = ({ before, after }) => before.topology.minio.buckets.filter((bucket) => !after.topology.minio.buckets.some((kept) => kept.name === bucket.name)).map(
  (bucket) => safe(
    changeId("bucket-remove", bucket.name),
    `bucket ${bucket.name} no longer listed`,
    `nothing deletes a bucket: it stays in MinIO with its objects and verify stops checking it; delete it with ${code(`mc rb --force ALIAS/${bucket.name}`)} if that is what you mean`
  )
);
var ANONYMOUS = {
  private: { read: false, write: false },
  download: { read: true, write: false },
  upload: { read: false, write: true },
  public: { read: true, write: true }
};
var bucketPoliciesChanged = ({ environment, before, after }) => after.topology.minio.buckets.flatMap((bucket) => {
  const previous = before.topology.minio.buckets.find((existing) => existing.name === bucket.name);
  if (!previous || previous.policy === bucket.policy) return [];
  const [was, is] = [ANONYMOUS[previous.policy], ANONYMOUS[bucket.policy]];
  const gained = [...is.read && !was.read ? ["read"] : [], ...is.write && !was.write ? ["overwrite and delete"] : []];
  const id = changeId("bucket-policy", bucket.name);
  const what = `bucket ${bucket.name} policy ${previous.policy} \u2192 ${bucket.policy}`;
  if (gained.length === 0) {
    return [safe(id, what, `anonymous access narrows: deploy sets the policy (its buckets phase), and anonymous clients of ${bucket.name} lose access`)];
  }
  return [
    care(id, what, `anonymous access widens: anyone who reaches the load balancer may ${gained.join(" and ")} objects in ${bucket.name} (Milvus signs its requests and needs none of it)`, [
      `confirm that nobody outside should be kept from doing that`,
      `${deploy(environment)} sets the policy (its buckets phase)`
    ])
  ];
});

// generator/plan/machines.ts
function machineOf(revision, host) {
  if (host === void 0) return {};
  const hostsByNodeId = new Map(revision.topology.hosts.flatMap((entry) => entry.nodeId ? [[entry.nodeId, entry.name]] : []));
  return { host, nodeId: revision.topology.hosts.find((entry) => entry.name === host)?.nodeId, hostsByNodeId };
}
function sameMachine(before, after) {
  if (before.host === void 0 || after.host === void 0) return before.host === after.host;
  if (before.nodeId !== void 0 && before.nodeId === after.nodeId) return true;
  const elsewhere = (id, hosts, host) => id !== void 0 && (hosts?.get(id) ?? host) !== host;
  if (elsewhere(after.nodeId, before.hostsByNodeId, after.host) || elsewhere(before.nodeId, after.hostsByNodeId, before.host)) return false;
  return before.host === after.host;
}
var machineName = (machine) => machine.host ?? "any node";

// generator/plan/etcdMembership.ts
var names = (revision) => revision.topology.etcd.members.map((member) => member.name);
function etcdMembership({ before, after }) {
  const [was, is] = [names(before), names(after)];
  const kept = was.filter((name) => is.includes(name));
  const hostOf = (revision, name) => revision.topology.etcd.members.find((member) => member.name === name)?.host;
  const moved = kept.map((name) => ({ name, from: machineOf(before, hostOf(before, name)), to: machineOf(after, hostOf(after, name)) })).filter((move) => !sameMachine(move.from, move.to));
  return { added: is.filter((name) => !was.includes(name)), removed: was.filter((name) => !is.includes(name)), moved, kept };
}
var quorum = (members) => Math.floor(members / 2) + 1;
function etcdMember(revision, name) {
  const member = revision.model.etcd.members.find((entry) => entry.name === name);
  const initialClusterState = revision.topology.etcd.members.find((entry) => entry.name === name).initialClusterState;
  return { ...member, initialClusterState };
}

// generator/plan/steps.ts
var CHECKS = {
  etcdStatus: "etcd-members:endpoint-status",
  etcdMemberList: "etcd-members:member-list",
  swarmServices: "swarm:services",
  minioHealth: "minio:cluster-health",
  minioDrives: "minio:nodes-drives",
  /** The member is listed (as a learner, not started yet). */
  memberListed: (member) => `etcd-member:${member}:listed`,
  /** The learner has caught up with the leader: etcd accepts its promotion only then. */
  memberSynced: (member) => `etcd-member:${member}:synced`,
  memberVoting: (member) => `etcd-member:${member}:voting`,
  memberGone: (member) => `etcd-member:${member}:gone`,
  leaderIsNot: (member) => `etcd-member:${member}:not-leader`,
  poolDecommissioned: (pool) => `minio-pool:${pool}:decommissioned`
};
var listOf2 = (names3) => names3.length <= 1 ? names3[0] ?? "" : `${names3.slice(0, -1).join(", ")} and ${names3[names3.length - 1]}`;
function describeStep(step) {
  const what = stepWords(step);
  const gate = step.acknowledgement ? ` (runs only with ${code(step.acknowledgement)} under ${code("acknowledge:")})` : "";
  return `${what}${gate}${step.command ? `: ${code(step.command)}` : ""}`;
}
function stepWords(step) {
  switch (step.kind) {
    case "etcd-member-add":
      return `add ${step.member} as a learner (no vote, so quorum is untouched)`;
    case "etcd-member-start":
      return `start ${step.member}${step.host ? ` on ${step.host}` : ""} on an empty ${step.dataDir} with --initial-cluster-state existing and --initial-cluster listing ${listOf2(step.initialCluster.map((entry) => entry.split("=")[0]))}`;
    case "etcd-member-promote":
      return `promote ${step.member} to a voting member once it has caught up with the leader (etcd refuses before)`;
    case "etcd-move-leader":
      return `if ${step.awayFrom} leads, move leadership to the most caught-up other voting member`;
    case "etcd-member-remove":
      return `remove ${step.member} from the cluster (its process exits; the quorum shrinks with the cluster)`;
    case "etcd-data-dir-empty":
      return `empty ${step.dataDir}${step.host ? ` on ${step.host}` : ""}: ${step.member}'s copy of the data, which the other members hold too`;
    case "etcd-member-restart":
      return `restart ${step.member} on its rendered spec`;
    case "etcd-members-roll":
      return `restart ${listOf2(step.members)} one at a time on the rendered spec, each once every member answers with one leader: an unhealthy member first, followers next, the leader last after moving leadership away`;
    case "service-remove":
      return `remove the service${step.services.length === 1 ? "" : "s"} ${listOf2(step.services)}`;
    case "minio-pool-add":
      return `restart every MinIO node (${listOf2(step.nodes)}) together on the command line with pool ${step.pool}: S3 pauses until all are up`;
    case "minio-pool-decommission":
      return `decommission pool ${step.pool} (${listOf2(step.nodes)}): start, then poll its status until it is complete; its objects move to the other pools`;
    case "stack-deploy":
      return `deploy the rendered stack${step.etcdMembers === "together" ? `, every etcd member at once${step.reason ? ` (${step.reason})` : ""}` : ""}`;
  }
}

// generator/plan/etcdSteps.ts
var names2 = (revision) => revision.topology.etcd.members.map((member) => member.name);
var membershipChangeIds = {
  added: (member) => `etcd-member-add:${member}`,
  removed: (member) => `etcd-member-remove:${member}`,
  moved: (member) => `etcd-member-host:${member}`,
  reusedDataDir: (member) => `etcd-data-dir-reuse:${member}`
};
function dataDirHolders(comparison) {
  const { before, after } = comparison;
  const { added, removed, moved } = etcdMembership(comparison);
  const movers = moved.map((move) => move.name);
  const holders = /* @__PURE__ */ new Map();
  for (const name of [...added, ...movers]) {
    const member = etcdMember(after, name);
    const holder = names2(before).filter((other) => other !== name).map((other) => etcdMember(before, other)).find((other) => other.dataDir === member.dataDir && sameMachine(machineOf(before, other.host), machineOf(after, member.host)));
    if (!holder) continue;
    const fate = removed.includes(holder.name) ? "removed" : movers.includes(holder.name) ? "moved" : "stays";
    holders.set(name, { member: holder.name, fate, ...holder.host ? { host: holder.host } : {}, dataDir: holder.dataDir });
  }
  return holders;
}
function etcdMembershipSteps(comparison) {
  const { before, after } = comparison;
  const membership = etcdMembership(comparison);
  if (membership.added.length + membership.removed.length + membership.moved.length === 0) return [];
  const model = before.model;
  const holders = dataDirHolders(comparison);
  const listed = new Map(model.etcd.members.map((member) => [member.name, member.peerUrl]));
  const voting = new Set(names2(before));
  const steps = [];
  const votingMembers = () => [...listed.keys()].filter((name) => voting.has(name));
  const movers = membership.moved.map((move) => move.name);
  const ownChanges = (name) => [membership.added.includes(name) ? membershipChangeIds.added(name) : membershipChangeIds.moved(name)];
  const join = (name, changes) => {
    const member = etcdMember(after, name);
    const through = votingMembers();
    steps.push({
      id: `etcd-member-add:${name}`,
      kind: "etcd-member-add",
      member: name,
      peerUrl: member.peerUrl,
      learner: true,
      through,
      changes,
      verifyAfter: [CHECKS.memberListed(name)],
      command: etcdctlCommand(model, `member add ${name} --peer-urls=${member.peerUrl} --learner`, through)
    });
    listed.set(name, member.peerUrl);
    steps.push({
      id: `etcd-member-start:${name}`,
      kind: "etcd-member-start",
      member: name,
      ...member.host ? { host: member.host } : {},
      dataDir: member.dataDir,
      initialCluster: [...listed].map(([other, url]) => `${other}=${url}`),
      initialClusterState: "existing",
      changes,
      verifyAfter: [CHECKS.memberSynced(name)]
    });
    steps.push({
      id: `etcd-member-promote:${name}`,
      kind: "etcd-member-promote",
      member: name,
      changes,
      verifyAfter: [CHECKS.memberVoting(name), CHECKS.etcdStatus],
      command: etcdctlCommand(model, `member promote <id of ${name}>`, votingMembers())
    });
    voting.add(name);
  };
  const leave = (name, changes, removeService) => {
    steps.push({ id: `etcd-move-leader:${name}`, kind: "etcd-move-leader", awayFrom: name, changes, verifyAfter: [CHECKS.leaderIsNot(name)] });
    const others = votingMembers().filter((other) => other !== name);
    steps.push({
      id: `etcd-member-remove:${name}`,
      kind: "etcd-member-remove",
      member: name,
      through: others,
      changes,
      verifyAfter: [CHECKS.memberGone(name), CHECKS.etcdStatus],
      command: etcdctlCommand(model, `member remove <id of ${name}>`, others)
    });
    listed.delete(name);
    voting.delete(name);
    if (removeService) {
      const service = `${model.stack}_${name}`;
      steps.push({ id: `service-remove:${service}`, kind: "service-remove", services: [service], changes, verifyAfter: [CHECKS.swarmServices], command: `docker service rm ${service}` });
    }
  };
  const left = /* @__PURE__ */ new Set();
  const joined = /* @__PURE__ */ new Set();
  const joinOnHeldDir = (name) => {
    const holder = holders.get(name);
    const changes = [...ownChanges(name), membershipChangeIds.reusedDataDir(name)];
    joined.add(name);
    steps.push({
      id: `etcd-data-dir-empty:${holder.member}`,
      kind: "etcd-data-dir-empty",
      member: holder.member,
      ...holder.host ? { host: holder.host } : {},
      dataDir: holder.dataDir,
      changes,
      verifyAfter: [],
      acknowledgement: membershipChangeIds.reusedDataDir(name)
    });
    join(name, changes);
  };
  const ready = (name) => !joined.has(name) && left.has(holders.get(name).member) && (!movers.includes(name) || left.has(name));
  const waiting = (holder) => [...holders].filter(([, entry]) => entry.member === holder).map(([joiner]) => joiner);
  const release = (name) => {
    left.add(name);
    for (const joiner of [...waiting(name), ...holders.has(name) ? [name] : []]) if (ready(joiner)) joinOnHeldDir(joiner);
  };
  for (const name of membership.added.filter((added) => !holders.has(added))) join(name, ownChanges(name));
  for (const name of movers) {
    leave(name, ownChanges(name), false);
    release(name);
    if (!holders.has(name)) join(name, ownChanges(name));
  }
  for (const name of membership.removed) {
    leave(name, [membershipChangeIds.removed(name), ...waiting(name).flatMap((joiner) => [...ownChanges(joiner), membershipChangeIds.reusedDataDir(joiner)])], true);
    release(name);
  }
  for (const name of holders.keys()) if (!joined.has(name)) joinOnHeldDir(name);
  const members = names2(after);
  steps.push({
    id: `etcd-members-roll:${members.join(",")}`,
    kind: "etcd-members-roll",
    members,
    changes: [...new Set(steps.flatMap((step) => step.changes))],
    verifyAfter: [CHECKS.etcdStatus, CHECKS.etcdMemberList]
  });
  return steps;
}
function quorumSpan(beforeMembers, steps) {
  const voting = new Set(beforeMembers);
  const tolerance = (down = 0) => voting.size - down - quorum(voting.size);
  const initial = { tolerated: tolerance(), voting: voting.size, started: voting.size };
  const between = [];
  let restarting;
  for (const step of steps) {
    if (step.kind === "etcd-member-promote") voting.add(step.member);
    if (step.kind === "etcd-member-remove") voting.delete(step.member);
    between.push({ step, tolerated: tolerance(), voting: voting.size });
    const during = step.kind === "etcd-members-roll" ? { tolerated: tolerance(1), voting: voting.size, started: voting.size - 1 } : step.kind === "stack-deploy" && step.etcdMembers === "together" ? { tolerated: -quorum(voting.size), voting: voting.size, started: 0 } : void 0;
    if (during && (!restarting || during.tolerated < restarting.tolerated)) restarting = during;
  }
  let span = initial;
  const lowest = between.reduce((low, moment) => Math.min(low, moment.tolerated), initial.tolerated);
  if (lowest < initial.tolerated) {
    const start = between.findIndex((moment) => moment.tolerated === lowest);
    const end = between.findIndex((moment, index) => index > start && moment.tolerated > lowest);
    const at = between[start];
    span = { tolerated: lowest, voting: at.voting, started: at.voting, from: at.step, ...end === -1 ? {} : { until: between[end].step } };
  }
  return restarting && restarting.tolerated < span.tolerated ? restarting : span;
}
function describeQuorumSpan(span) {
  if (span.tolerated >= 1) return `${span.tolerated === 1 ? "one failure is" : `${span.tolerated} failures are`} tolerated at every step`;
  const count = `${span.started} of ${span.voting} voting members run`;
  if (span.tolerated < 0) return `at one step ${count}, fewer than the quorum of ${quorum(span.voting)}: etcd stops taking writes`;
  const where = span.from ? `from ${stepMoment(span.from)}${span.until ? ` until ${stepMoment(span.until)}` : " on"}, ` : "while each member restarts, ";
  return `${where}${count}: quorum holds, but no failure is tolerated`;
}
function stepMoment(step) {
  switch (step.kind) {
    case "etcd-member-remove":
      return `the removal of ${step.member}`;
    case "etcd-member-promote":
      return `${step.member} is promoted`;
    default:
      return step.id;
  }
}

// generator/plan/minioPoolMatch.ts
function poolLabel(pool) {
  const names3 = pool.nodes.map((node) => node.name);
  return names3.length === 1 ? names3[0] : `${names3[0]}..${names3[names3.length - 1]}`;
}
var nodeNames = (pool) => pool.nodes.map((node) => node.name);
function sharedDrives(before, was, after, is) {
  let shared = 0;
  for (const old of was.nodes) {
    for (const now of is.nodes) {
      if (!sameMachine(machineOf(before, old.host), machineOf(after, now.host))) continue;
      shared += old.drives.filter((drive) => now.drives.some((other) => other.source === drive.source)).length;
    }
  }
  return shared;
}
function matchPools({ before, after }) {
  const was = before.model.minio.pools.map((pool, index) => ({ index, pool }));
  const is = after.model.minio.pools.map((pool, index) => ({ index, pool }));
  const candidates = was.flatMap(
    (old) => is.map((now) => {
      const names3 = nodeNames(old.pool).filter((name) => nodeNames(now.pool).includes(name)).length;
      return { old, now, score: names3 * 1e6 + sharedDrives(before, old.pool, after, now.pool) };
    })
  ).filter((candidate) => candidate.score > 0).sort((a, b) => b.score - a.score || a.old.index - b.old.index || a.now.index - b.now.index);
  const kept = [];
  for (const { old, now } of candidates) {
    if (kept.some((match) => match.was === old || match.is === now)) continue;
    kept.push({ was: old, is: now });
  }
  kept.sort((a, b) => a.was.index - b.was.index);
  const order = kept.map((match) => match.is.index);
  return {
    kept,
    added: is.filter((ref) => !kept.some((match) => match.is === ref)),
    removed: was.filter((ref) => !kept.some((match) => match.was === ref)),
    reordered: order.some((index, position) => position > 0 && index < order[position - 1])
  };
}

// generator/plan/versions.ts
function etcdVersion(image) {
  const tag = imageTag(image);
  if (tag === void 0 || image.includes("@")) return void 0;
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(tag);
  if (!match) return void 0;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}
var formatEtcdVersion = (version) => `v${version.major}.${version.minor}.${version.patch}`;
function imageRepository(image) {
  const withoutDigest = image.split("@")[0];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}
function compareReleaseTags(before, after) {
  const scheme = (tag) => tag.replace(/\d+/g, "#");
  const numbers = (tag) => (tag.match(/\d+/g) ?? []).map(Number);
  if (scheme(before) !== scheme(after)) return void 0;
  const [a, b] = [numbers(before), numbers(after)];
  if (a.length === 0) return void 0;
  for (let index = 0; index < a.length; index++) {
    if (a[index] !== b[index]) return a[index] < b[index] ? -1 : 1;
  }
  return 0;
}
var ETCD_36_NEEDS_35_PATCH = 26;
var ETCD_34_DOWNGRADE_PATCH = 32;
function etcdUpgrade(from, to) {
  if (from === to) return "same";
  const [was, is] = [etcdVersion(from), etcdVersion(to)];
  if (!was || !is) return "unreadable";
  const minorStep = is.major !== was.major ? Number.POSITIVE_INFINITY * Math.sign(is.major - was.major) : is.minor - was.minor;
  if (minorStep === 0) return imageRepository(from) !== imageRepository(to) ? "repository" : "patch";
  if (minorStep === 1) return was.major === 3 && was.minor === 5 && was.patch < ETCD_36_NEEDS_35_PATCH ? "minor-after-patch" : "minor";
  return minorStep > 1 ? "skip" : "downgrade";
}

// generator/plan/planSteps.ts
var computed = /* @__PURE__ */ new WeakMap();
function planSteps(comparison) {
  let steps = computed.get(comparison);
  if (!steps) {
    steps = computeSteps(comparison);
    computed.set(comparison, steps);
  }
  return steps;
}
var stepsFor = (comparison, changeId2) => planSteps(comparison).filter((step) => step.changes.includes(changeId2));
var etcdVersionChangeId = (comparison) => {
  const to = comparison.after.model.etcd.image;
  return `etcd-version:${imageTag(to) ?? to}`;
};
function computeSteps(comparison) {
  const { before, after } = comparison;
  const stack = before.model.stack;
  const steps = [...etcdMembershipSteps(comparison)];
  const upgrade = etcdUpgrade(before.model.etcd.image, after.model.etcd.image);
  if (upgrade === "minor" || upgrade === "unreadable" || upgrade === "repository") {
    const id = etcdVersionChangeId(comparison);
    const roll = steps.find((step) => step.kind === "etcd-members-roll");
    if (roll) roll.changes.push(id);
    else {
      const members = after.model.etcd.members.map((member) => member.name);
      steps.push({ id: `etcd-members-roll:${members.join(",")}`, kind: "etcd-members-roll", members, changes: [id], verifyAfter: [CHECKS.etcdStatus, CHECKS.etcdMemberList] });
    }
  }
  const pools = matchPools(comparison);
  for (const { pool } of pools.removed) {
    const id = `minio-pool-remove:${poolLabel(pool)}`;
    steps.push({
      id: `minio-pool-decommission:${poolLabel(pool)}`,
      kind: "minio-pool-decommission",
      pool: pool.serverArgument,
      nodes: nodeNames(pool),
      changes: [id],
      verifyAfter: [CHECKS.poolDecommissioned(pool.serverArgument), CHECKS.minioHealth],
      command: `mc admin decommission start ALIAS/ ${pool.serverArgument}`,
      acknowledgement: id
    });
  }
  const allNodes = after.model.minio.pools.flatMap(nodeNames);
  for (const { pool } of pools.added) {
    const id = `minio-pool-add:${poolLabel(pool)}`;
    steps.push({
      id,
      kind: "minio-pool-add",
      pool: pool.serverArgument,
      nodes: allNodes,
      changes: [id],
      verifyAfter: [CHECKS.minioHealth, CHECKS.minioDrives],
      acknowledgement: id
    });
  }
  const networkMoves = before.topology.network.name !== after.topology.network.name;
  if (steps.length > 0 || networkMoves) {
    steps.push({
      id: `stack-deploy:${stack}`,
      kind: "stack-deploy",
      stack: after.model.stack,
      etcdMembers: networkMoves ? "together" : "rolling",
      ...networkMoves ? { reason: `a member moved to ${after.model.network.name} alone cannot reach its peers on ${before.model.network.name}` } : {},
      changes: [.../* @__PURE__ */ new Set([...steps.flatMap((step) => step.changes), ...networkMoves ? [`network-rename:${before.topology.network.name}`] : []])],
      verifyAfter: [CHECKS.swarmServices, CHECKS.etcdStatus, CHECKS.minioHealth]
    });
  }
  for (const { pool } of pools.removed) {
    const services = nodeNames(pool).map((name) => `${stack}_${name}`);
    steps.push({
      id: `service-remove:${poolLabel(pool)}`,
      kind: "service-remove",
      services,
      changes: [`minio-pool-remove:${poolLabel(pool)}`],
      verifyAfter: [CHECKS.swarmServices, CHECKS.minioHealth],
      command: `docker service rm ${services.join(" ")}`
    });
  }
  return steps;
}

// generator/plan/probes.ts
function probeNeed(setting, image) {
  const program = setting.probe === "etcdctl" ? "etcdctl" : setting.probe === "none" ? void 0 : probeProgram(setting.command);
  if (program === void 0) return void 0;
  return { program, check: `${code(`docker run --rm --entrypoint ${program} ${image} --help`)} must not say "executable file not found"` };
}

// generator/plan/classifiers/etcdCluster.ts
var etcdVersionStep = (comparison) => {
  const [from, to] = [comparison.before.model.etcd.image, comparison.after.model.etcd.image];
  const upgrade = etcdUpgrade(from, to);
  if (upgrade === "same") return [];
  const id = etcdVersionChangeId(comparison);
  const what = `etcd image ${from} \u2192 ${to}`;
  const rolling = [snapshotFirst(comparison), ...stepsFor(comparison, id).map(describeStep)];
  if (upgrade === "unreadable") {
    return [
      care(
        id,
        what,
        `cannot read a version from the tag of ${!etcdVersion(from) ? from : to} (expected one like v3.5.5): check by hand that it is the same minor version or the next one, never a skipped or an older minor`,
        rolling
      )
    ];
  }
  const [was, is] = [etcdVersion(from), etcdVersion(to)];
  const [a, b] = [formatEtcdVersion(was), formatEtcdVersion(is)];
  switch (upgrade) {
    case "repository": {
      const probes = [probeNeed(comparison.after.topology.etcd.healthcheck, to), probeNeed(comparison.after.topology.etcd.proxy.healthcheck, to)].filter((need) => need !== void 0);
      return [
        care(
          id,
          what,
          `the same etcd ${b} from another repository (${imageRepository(from)} \u2192 ${imageRepository(to)}): another build may lack the etcd binary on its PATH or what the healthchecks run${probes.length > 0 ? ` (${[...new Set(probes.map((need) => need.program))].join(", ")})` : ""}`,
          [`${code(`docker run --rm ${to} etcd --version`)} prints ${b}`, ...[...new Map(probes.map((need) => [need.program, need.check])).values()], ...rolling]
        )
      ];
    }
    case "patch":
      return [
        safe(
          id,
          what,
          `a patch ${is.patch > was.patch ? "upgrade" : "downgrade"} within etcd ${was.major}.${was.minor}: one storage format, so members may run either; every member and the proxy restart once on the new image`
        )
      ];
    case "minor":
      return [
        care(
          id,
          what,
          `one minor version step (${a} \u2192 ${b}): etcd supports it one member at a time while the cluster runs mixed versions; it switches its cluster version once every member runs ${was.major}.${is.minor}${was.major === 3 && was.minor === 5 && was.patch < 32 ? `; etcd's guide now also asks for 3.5.32 first, for its v2 store checks (${code("etcdutl check v2store")} over the WAL too), which look for data written through the v2 API \u2014 none here unless someone enabled it by hand (the generator never renders --enable-v2)` : ""}`,
          rolling
        )
      ];
    case "minor-after-patch": {
      const patched = `${imageRepository(from)}:v${was.major}.${was.minor}.${ETCD_36_NEEDS_35_PATCH}`;
      return [
        destructive(
          id,
          what,
          `etcd ${is.major}.${is.minor} takes over a rolling ${was.major}.${was.minor} cluster only when every member runs ${was.major}.${was.minor}.${ETCD_36_NEEDS_35_PATCH} or later (etcd's upgrade guide; below it, members once added as learners and promoted \u2014 how deploy grows and replaces members \u2014 can come back on ${is.major}.${is.minor} as zombie members, and etcd knows no safe workaround), and the members run ${a}: a ${b} member may not join them`,
          [
            `first upgrade to ${patched} or later in a change of its own (a patch upgrade: safe, rolled one member at a time), deployed and healthy`,
            `then ${to} in the next change`
          ]
        )
      ];
    }
    case "skip": {
      const skipped = is.major === was.major ? Array.from({ length: is.minor - was.minor - 1 }, (_, i) => `${was.major}.${was.minor + i + 1}`) : [`every minor after ${was.major}.${was.minor}`];
      return [
        destructive(
          id,
          what,
          `skips etcd ${skipped.join(", ")}: etcd upgrades one minor version at a time, and members that skip one may not read the data or join the cluster`,
          [`upgrade through each minor version in its own change (${a} \u2192 ${was.major}.${was.minor + 1}.x \u2192 \u2026), each deployed and healthy before the next`]
        )
      ];
    }
    case "downgrade":
      if (was.major === 3 && was.minor === 5 && is.minor === 4) {
        return [
          destructive(
            id,
            what,
            `a minor version downgrade (${a} \u2192 ${b}): etcd 3.5 has no downgrade command, and 3.4 members join a 3.5 cluster only from 3.4.${ETCD_34_DOWNGRADE_PATCH} on, started with --next-cluster-version-compatible \u2014 a flag the generator cannot render${is.patch < ETCD_34_DOWNGRADE_PATCH ? `, and ${b} is older than 3.4.${ETCD_34_DOWNGRADE_PATCH}` : ""}`,
            [
              `stay on ${was.major}.${was.minor}: nothing in this topology needs 3.4`,
              `if 3.4 is a must, it is a new cluster and an outage: stop Milvus, ${snapshotCommand(comparison)}, restore it with ${code("etcdutl snapshot restore")} into the data dirs of a new 3.4 cluster, and deploy that`
            ]
          )
        ];
      }
      return [
        destructive(
          id,
          what,
          `a minor version downgrade (${a} \u2192 ${b}): members of the older minor refuse data written at the newer cluster version; etcd downgrades only through ${code("etcdctl downgrade enable")} (3.6 and later), one minor at a time`,
          [`${etcdctl(comparison.before.model, `downgrade validate ${is.major}.${is.minor}`)}, then ${code(`downgrade enable ${is.major}.${is.minor}`)}`, ...rolling]
        )
      ];
  }
};
function snapshotCommand({ before }) {
  const first = before.topology.etcd.members[0].name;
  return code(
    `docker run --rm --network ${before.model.network.name} -v "$PWD:/backup" ${before.model.etcd.image} etcdctl --endpoints=http://${first}:${before.model.etcd.clientPort} snapshot save /backup/etcd-before-upgrade.db`
  );
}
var snapshotFirst = (comparison) => `before: ${etcdHealthy(comparison.before.model)}, and save a snapshot: ${snapshotCommand(comparison)}`;
var etcdClusterTokenChanged = ({ before, after }) => {
  const [from, to] = [before.topology.etcd.clusterToken, after.topology.etcd.clusterToken];
  if (from === to) return [];
  return [
    safe(
      changeId("etcd-cluster-token", from),
      `etcd cluster token ${from} \u2192 ${to}`,
      `no effect on the running cluster: etcd reads --initial-cluster-token only when a member bootstraps an empty data dir, so the cluster keeps ${from} (members added later join by ${code("member add")}, which does not use it); every member restarts once`
    )
  ];
};
var TUNING_FLAGS = [
  ["quotaBackendBytes", "quota-backend-bytes"],
  ["snapshotCount", "snapshot-count"]
];
function compactionHistory(mode, text) {
  const retention = parseRetention(text);
  if (!retention) return void 0;
  if (mode === "periodic") return { unit: "hours", amount: retention.kind === "whole" ? retention.value : retention.hours };
  return { unit: "revisions", amount: retention.kind === "whole" ? retention.value : retention.hours * 36e11 };
}
var describeHistory = (history) => history.unit === "revisions" ? `the last ${history.amount} revisions` : `${history.amount} ${history.amount === 1 ? "hour" : "hours"}${history.amount >= 48 ? ` (~${Math.round(history.amount / 24)} days)` : ""} of history`;
var etcdCompactionChanged = ({ before, after }) => {
  const [was, is] = [before.topology.etcd, after.topology.etcd];
  if (was.autoCompactionMode === is.autoCompactionMode && was.autoCompactionRetention === is.autoCompactionRetention) return [];
  const flags = (etcd) => `--auto-compaction-mode ${etcd.autoCompactionMode} --auto-compaction-retention ${etcd.autoCompactionRetention}`;
  const id = changeId("etcd-flag", was.autoCompactionMode === is.autoCompactionMode ? "auto-compaction-retention" : "auto-compaction-mode");
  const what = `etcd ${flags(was)} \u2192 ${flags(is)}`;
  const [from, to] = [compactionHistory(was.autoCompactionMode, was.autoCompactionRetention), compactionHistory(is.autoCompactionMode, is.autoCompactionRetention)];
  if (from && to && from.unit === to.unit && to.amount <= from.amount) {
    return [safe(id, what, `the members keep ${describeHistory(to)} instead of ${describeHistory(from)}: less history, a smaller database; every member restarts once with it, one at a time (deploy rolls them)`)];
  }
  const quota = after.topology.etcd.quotaBackendBytes;
  return [
    care(
      id,
      what,
      `the members keep ${to ? describeHistory(to) : is.autoCompactionRetention} instead of ${from ? describeHistory(from) : was.autoCompactionRetention}${is.autoCompactionMode === "periodic" && /^\d+$/.test(is.autoCompactionRetention) ? ` (in periodic mode a bare number is hours)` : ""}: the database grows with the history it keeps, and once it reaches the quota (${quota} bytes) etcd raises the NOSPACE alarm and refuses every write (Milvus stops)`,
      [
        `${etcdctl(before.model, "endpoint status --cluster -w table")}: note every DB SIZE; to keep about the same history, write the retention in the new unit (a duration such as ${code("1h")} in periodic mode)`,
        "deploy; every member restarts once, one at a time (deploy rolls them)",
        `watch DB SIZE for a retention period: it must level off well below ${quota} bytes; if not, shorten the retention (${code("etcdctl compact <revision>")} and ${code("etcdctl defrag --cluster")} free space meanwhile)`
      ]
    )
  ];
};
var etcdTuningChanged = ({ before, after }) => TUNING_FLAGS.flatMap(([field, flag]) => {
  const [from, to] = [before.topology.etcd[field], after.topology.etcd[field]];
  if (from === to) return [];
  const id = changeId("etcd-flag", flag);
  const what = `etcd --${flag} ${from} \u2192 ${to}`;
  if (field === "quotaBackendBytes" && Number(to) < Number(from)) {
    return [
      care(
        id,
        what,
        "a lower backend quota: a member whose database is already larger raises the NOSPACE alarm and etcd refuses every write (Milvus stops)",
        [
          `${etcdctl(before.model, "endpoint status --cluster -w table")}: every DB SIZE is well below ${to} bytes`,
          `if not: compact and defragment first (${code("etcdctl compact <revision>")}, ${code("etcdctl defrag --cluster")})`,
          "deploy; every member restarts once, one at a time (deploy rolls them)"
        ]
      )
    ];
  }
  return [safe(id, what, "a tuning flag the members read at start: every member restarts once with it, one at a time (deploy rolls them), and no data changes")];
});
var etcdClientPortChanged = ({ before, after }) => {
  const [from, to] = [before.topology.etcd.clientPort, after.topology.etcd.clientPort];
  if (from === to) return [];
  return [
    safe(
      changeId("etcd-client-port", from),
      `etcd client port ${from} \u2192 ${to}`,
      "a port inside the stack network: members listen on and advertise it, and the proxy follows (its --endpoints), whose ports do not change; every member restarts once"
    )
  ];
};
var etcdPeerPortChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.etcd.peerPort, after.topology.etcd.peerPort];
  if (from === to) return [];
  return [
    destructive(
      changeId("etcd-peer-port", from),
      `etcd peer port ${from} \u2192 ${to}`,
      `the membership keeps every member's peer URL at :${from}: after the deploy restarts all members listening on :${to}, each dials the others at the old URL, no quorum forms, and etcd stops until the change is reverted`,
      [
        ...after.model.etcd.members.map(
          (member) => `${etcdctl(before.model, `member update <id of ${member.name}> --peer-urls=${member.peerUrl}`)}, then restart ${member.name} alone on :${to} (${code(`docker service update --args \u2026 ${swarmService(before.model, member.name)}`)} with its command from the rendered stack.yaml), and wait until it is healthy`
        ),
        `${deploy(environment)}: every member already listens on :${to}`
      ]
    )
  ];
};

// generator/plan/classifiers/etcdMembers.ts
var EXISTING = code("--initial-cluster-state existing");
var quorumWords = (comparison) => describeQuorumSpan(quorumSpan(comparison.before.topology.etcd.members.map((member) => member.name), planSteps(comparison)));
var stepProcedure = (comparison, id, byHand = []) => [...stepsFor(comparison, id).map(describeStep), ...byHand];
var etcdMembersAdded = (comparison) => {
  const { after, before } = comparison;
  const { added } = etcdMembership(comparison);
  const holders = dataDirHolders(comparison);
  const [from, to] = [before.topology.etcd.members.length, after.topology.etcd.members.length];
  return added.map((name, index) => {
    const member = etcdMember(after, name);
    const previous = added[index - 1];
    const id = changeId("etcd-member-add", name);
    const predecessor = holders.get(name)?.member;
    return care(
      id,
      `add etcd member ${name} on ${machineName({ host: member.host })} (${from} \u2192 ${to} members; ${ordinal(index + 1)} of ${added.length} new${previous ? `, after ${previous}` : ""})`,
      `a member joins a running cluster only after ${code("etcdctl member add")} and a start with ${EXISTING} on an empty data dir; deploy adds new members one member at a time, in order, each as a learner (no vote until it has caught up and is promoted)${predecessor ? `, ${name} only once ${predecessor} ${holders.get(name).fate === "moved" ? "has moved away" : "is removed"} and its data dir emptied` : ""}, and restarts the running members (their --initial-cluster changes) only once every new member is in: ${quorumWords(comparison)}`,
      stepProcedure(comparison, id)
    );
  });
};
var etcdDataDirReused = (comparison) => [...dataDirHolders(comparison)].map(([name, holder]) => {
  const member = etcdMember(comparison.after, name);
  const host = machineName({ host: member.host });
  const moving = etcdMembership(comparison).moved.find((move) => move.name === name);
  const joins = moving ? `moves from ${machineName(moving.from)} to ${host}` : "joins";
  const id = membershipChangeIds.reusedDataDir(name);
  if (holder.fate === "stays") {
    return destructive(
      id,
      `etcd member ${name} ${joins} on ${member.dataDir} on ${host}, the data dir ${holder.member} runs on until it restarts on its new path`,
      `${name} must start on an empty data dir, and ${holder.member} keeps running on ${holder.dataDir} until the members restart at the end of the change: no order frees the dir before ${name} starts, and starting it there would set aside a running member's data`,
      [`split it: first change etcd.dataDir alone (its own review and deploy), then add ${name}`]
    );
  }
  const leaves = holder.fate === "moved" ? `which moves to ${machineName({ host: etcdMember(comparison.after, holder.member).host })} in the same change` : "which leaves";
  return destructive(
    id,
    `etcd member ${name} ${joins} on ${member.dataDir} on ${host}, the data dir of ${holder.member}, ${leaves}`,
    `${name} must start on an empty data dir, so deploy empties ${member.dataDir} between the removal of ${holder.member} and the start of ${name} (never while ${holder.member} runs on it): it deletes ${holder.member}'s copy of the data (the other members hold it too), and deploy never deletes data unacknowledged`,
    [
      `acknowledge it, and deploy empties the dir at its step (etcd-data-dir-empty:${holder.member}), after ${holder.member} has left the cluster`,
      `or keep ${holder.member}'s data: put ${name} on another host, or use {name} in etcd.dataDir so that each member has its own dir \u2014 then ${name} joins without waiting for ${holder.member} to leave`
    ]
  );
});
var etcdMemberBootstrapsAlone = (comparison) => {
  const { added, moved } = etcdMembership(comparison);
  const joining = [...added, ...moved.map((move) => move.name)];
  return joining.filter((name) => etcdMember(comparison.after, name).initialClusterState === "new").map(
    (name) => destructive(
      changeId("etcd-member-bootstrap", name),
      `etcd member ${name} joins the running cluster with initialClusterState: new`,
      `${name} starts on an empty data dir, where --initial-cluster-state new makes etcd bootstrap a cluster instead of joining: it never joins the running one, and members started together that way can form a second cluster with the same token`,
      [`set initialClusterState: existing on ${name}`, `then deploy: it adds ${name} as a learner, starts it on an empty data dir and promotes it once caught up (the plan's steps)`]
    )
  );
};
var etcdMembersRemoved = (comparison) => {
  const { before } = comparison;
  const { removed } = etcdMembership(comparison);
  const reused = new Set([...dataDirHolders(comparison).values()].map((holder) => holder.member));
  const [from, to] = [before.topology.etcd.members.length, comparison.after.topology.etcd.members.length];
  return removed.map((name) => {
    const member = etcdMember(before, name);
    const id = changeId("etcd-member-remove", name);
    return care(
      id,
      `remove etcd member ${name} from ${machineName({ host: member.host })} (${from} \u2192 ${to} members)`,
      `etcd keeps counting a member until ${code("etcdctl member remove")}: stopped first, it is a missing vote in every quorum; removed first, the quorum shrinks with the cluster \u2014 deploy moves leadership away from it, removes it, then its service, one member at a time: ${quorumWords(comparison)}`,
      stepProcedure(comparison, id, reused.has(name) ? [] : [`its data dir ${member.dataDir} stays on ${machineName({ host: member.host })}: delete it by hand once the cluster is healthy`])
    );
  });
};
var etcdMemberHostsMoved = (comparison) => {
  const { before } = comparison;
  const holders = dataDirHolders(comparison);
  const reused = new Set([...holders.values()].map((holder) => holder.member));
  return etcdMembership(comparison).moved.map(({ name, from, to }) => {
    const old = etcdMember(before, name);
    const id = changeId("etcd-member-host", name);
    const holder = holders.get(name);
    const lands = holder ? `on ${machineName(to)} ${holder.member}'s data dir must be emptied first (${membershipChangeIds.reusedDataDir(name)})` : `on ${machineName(to)} it starts empty`;
    return care(
      id,
      `etcd member ${name} moves from ${machineName(from)} to ${machineName(to)}`,
      `its data dir stays on ${machineName(from)}; ${lands}, so it is replaced as a member: removed, added again as a learner and started with ${EXISTING} (it resyncs from the leader), then promoted \u2014 the same name cannot be listed twice, so it leaves before it joins: ${quorumWords(comparison)}; to keep every failure tolerance throughout, give it a new name as it moves (a new member joins before the old one leaves)`,
      stepProcedure(comparison, id, reused.has(name) ? [] : [`delete ${old.dataDir} on ${machineName(from)} by hand once the cluster is healthy`])
    );
  });
};
var etcdQuorumHoldsInOneStep = (comparison) => {
  const { removed, added, moved } = etcdMembership(comparison);
  const members = comparison.before.topology.etcd.members.length;
  const leaving = [...removed, ...moved.map((move) => move.name)];
  const staying = members - leaving.length;
  if (leaving.length > 0 && staying < quorum(members)) {
    return [
      destructive(
        changeId("etcd-quorum-loss", leaving.join(",")),
        `${listOf(leaving)} leave the ${members}-member etcd cluster in one deploy`,
        `removing more etcd members than keeps quorum in one step: if the deploy stops them before each is removed, ${staying} of ${members} members run, fewer than the quorum of ${quorum(members)}; the cluster stops taking writes and can no longer remove members (recovery needs --force-new-cluster from one member's data)`,
        [`split this into steps that each remove or move at most ${members - quorum(members)} of the ${members} members, each deployed and healthy before the next`]
      )
    ];
  }
  const joining = [...added, ...moved.map((move) => move.name)];
  const size = staying + joining.length;
  if (joining.length > 0 && staying < quorum(size)) {
    return [
      destructive(
        changeId("etcd-quorum-loss", joining.join(",")),
        `${listOf(joining)} join ${plural(staying, "running etcd member")} in one deploy (${size} members)`,
        `until the new members start, ${staying} of ${size} members run, fewer than the quorum of ${quorum(size)}: etcd refuses the last member add (--strict-reconfig-check), and forcing it stops the cluster`,
        [`grow by at most ${Math.max(0, staying - 1)} members per step (e.g. 3 \u2192 5 \u2192 7), each deployed and healthy before the next`]
      )
    ];
  }
  return [];
};
var etcdDataDirsChanged = (comparison) => {
  const { environment, before, after } = comparison;
  const { kept, moved } = etcdMembership(comparison);
  const changed = kept.filter((name) => !moved.some((move) => move.name === name)).filter((name) => etcdMember(before, name).dataDir !== etcdMember(after, name).dataDir);
  const members = before.topology.etcd.members.length;
  const scope = changed.length >= quorum(members) ? `with ${listOf(changed)} on new paths at once, no quorum keeps its data: the cluster comes back empty or not at all, and Milvus loses all its metadata` : `the other members keep quorum and the data, but ${changed.length === 1 ? "it" : "each"} must be replaced as a member to rejoin`;
  return changed.map((name) => {
    const [old, now] = [etcdMember(before, name), etcdMember(after, name)];
    const host = machineName({ host: now.host });
    return destructive(
      changeId("etcd-data-dir", name),
      `etcd member ${name}: data dir ${old.dataDir} \u2192 ${now.dataDir} on ${host}`,
      `the data path of a running member changes: ${name} restarts on an empty directory and its data stays behind; ${scope}`,
      [
        `to keep the data, copy it before the member starts on the new path: ${code(`docker service scale ${swarmService(before.model, name)}=0`)}, on ${host} ${code(`cp -a ${old.dataDir}/. ${now.dataDir}/`)}, then ${deploy(environment)}${changed.length >= quorum(members) ? " (etcd is down while a majority is scaled to 0)" : ""}`,
        `or replace it as a member, one at a time: ${code(`etcdctl member remove`)}, ${code(`member add ${name} --peer-urls=${now.peerUrl}`)}, initialClusterState: existing, deploy`,
        `delete ${old.dataDir} on ${host} once the cluster is healthy`
      ]
    );
  });
};
var etcdMemberStateChanged = (comparison) => {
  const { kept, moved } = etcdMembership(comparison);
  return kept.filter((name) => !moved.some((move) => move.name === name)).filter((name) => etcdMember(comparison.before, name).initialClusterState !== etcdMember(comparison.after, name).initialClusterState).map(
    (name) => safe(
      changeId("etcd-member-state", name),
      `etcd member ${name}: initialClusterState ${etcdMember(comparison.before, name).initialClusterState} \u2192 ${etcdMember(comparison.after, name).initialClusterState}`,
      "etcd reads --initial-cluster-state only when its data dir is empty: the running member ignores it and restarts once"
    )
  );
};
var etcdMemberOrderChanged = (comparison) => {
  const { kept } = etcdMembership(comparison);
  const afterOrder = comparison.after.topology.etcd.members.map((member) => member.name).filter((name) => kept.includes(name));
  if (afterOrder.join(",") === kept.join(",")) return [];
  return [
    safe(
      changeId("etcd-member-order", comparison.before.topology.stack),
      `etcd members reordered: ${kept.join(", ")} \u2192 ${afterOrder.join(", ")}`,
      "only the order of --initial-cluster (read at bootstrap) and of the proxy's --endpoints changes; every member restarts once"
    )
  ];
};

// generator/plan/classifiers/hosts.ts
var README_ONLY = "README and prepare-hosts.sh only: placement follows the services' host: fields, and nothing restarts";
var hostInventoryChanged = ({ before, after }) => {
  const [was, is] = [before.topology.hosts, after.topology.hosts];
  const changes = [];
  for (const host of is) {
    const previous = was.find((entry) => entry.name === host.name);
    if (!previous) {
      changes.push(safe(changeId("host", host.name), `new host ${host.name} (${host.ip})`, README_ONLY));
      continue;
    }
    const details = [
      ...previous.ip !== host.ip ? [`IP ${previous.ip} \u2192 ${host.ip}`] : [],
      ...previous.roles.join(",") !== host.roles.join(",") ? [`roles ${previous.roles.join(", ") || "\u2014"} \u2192 ${host.roles.join(", ") || "\u2014"}`] : []
    ];
    if (details.length > 0) changes.push(safe(changeId("host", host.name), `host ${host.name}: ${details.join("; ")}`, README_ONLY));
  }
  for (const host of was.filter((entry) => !is.some((kept) => kept.name === entry.name))) {
    changes.push(safe(changeId("host", host.name), `host ${host.name} (${host.ip}) no longer listed`, README_ONLY));
  }
  return changes;
};
var managersChanged = ({ before, after }) => {
  const [was, is] = [before.topology.managers, after.topology.managers];
  const why = "README only: the proxies run on whichever nodes swarm has as managers (node.role == manager)";
  const label = (manager) => manager.name ? `${manager.name} (${manager.ip})` : manager.ip;
  return [
    ...is.flatMap((manager) => {
      const previous = was.find((entry) => entry.ip === manager.ip);
      if (!previous) return [safe(changeId("manager", manager.ip), `new manager ${label(manager)}`, why)];
      if (previous.name !== manager.name) return [safe(changeId("manager", manager.ip), `manager ${label(previous)} \u2192 ${label(manager)}`, why)];
      return [];
    }),
    ...was.filter((entry) => !is.some((kept) => kept.ip === entry.ip)).map((manager) => safe(changeId("manager", manager.ip), `manager ${label(manager)} no longer listed`, why))
  ];
};
var hostNodeIdsChanged = ({ environment, after, before }) => after.topology.hosts.flatMap((host) => {
  const previous = before.topology.hosts.find((entry) => entry.name === host.name);
  if (!previous || previous.nodeId === host.nodeId) return [];
  const pinned = after.model.services.filter((service) => pinnedHost(service.placement) === host.name && service.stateful).map((service) => service.name);
  const id = changeId("node-id", host.name);
  const what = `host ${host.name}: node id ${previous.nodeId ?? "(none)"} \u2192 ${host.nodeId ?? "(none)"}`;
  if (pinned.length === 0) return [safe(id, what, "README only: no service is pinned to this host")];
  const are = pinned.length === 1 ? "is" : "are";
  if (host.nodeId === void 0) {
    return [safe(id, what, `${listOf(pinned)} ${are} placed by node.hostname == ${host.name} instead: the same machine; ${pinned.length === 1 ? "it restarts" : "they restart"} once`)];
  }
  const owner = before.topology.hosts.find((entry) => entry.nodeId === host.nodeId && entry.name !== host.name);
  if (owner) {
    const theirs = before.model.services.filter((service) => pinnedHost(service.placement) === owner.name && service.stateful);
    const dirs = theirs.flatMap((service) => service.mounts.map((mount) => `${service.name}'s ${mount.source}`));
    return [
      destructive(
        id,
        what,
        `${host.nodeId} is the node ${owner.name} had: ${listOf(pinned)} would start on that machine, on ${dirs.length > 0 ? listOf(dirs) : `${owner.name}'s data dirs`}${theirs.length > 0 ? ` \u2014 each on the other's data, if ${owner.name} takes this host's id in turn` : ""}; the plan replaces every member that moves (its own changes say how), and deploy's preflight refuses this unacknowledged`,
        [
          `if the ids were typed wrong: ${code(`docker node inspect ${host.nodeId} --format '{{ .Description.Hostname }}'`)} names the machine; put each host's own id back`,
          `if the machines really swap roles, move the services in steps of their own (each member or node is replaced where it lands), never by swapping node ids`
        ]
      )
    ];
  }
  return [
    care(
      id,
      what,
      `${listOf(pinned)} ${are} placed by node.id == ${host.nodeId} now: if that node is not the machine holding ${pinned.length === 1 ? "its" : "their"} data (a node that re-joined the swarm is; another machine is not), ${pinned.length === 1 ? "it starts" : "they start"} there with empty data dirs`,
      [`${code(`docker node inspect ${host.nodeId} --format '{{ .Description.Hostname }}'`)} prints ${host.name}`, `${deploy(environment)}: ${listOf(pinned)} restart once`]
    )
  ];
});
var hostLabelsChanged = ({ environment, after, before }) => after.topology.hosts.flatMap((host) => {
  const previous = before.topology.hosts.find((entry) => entry.name === host.name);
  const format = (labels) => Object.entries(labels).map(([key, value]) => `${key}=${value}`).sort().join(", ") || "(none)";
  if (!previous || format(previous.labels) === format(host.labels)) return [];
  const pinned = after.model.services.filter((service) => pinnedHost(service.placement) === host.name).map((service) => service.name);
  const id = changeId("node-labels", host.name);
  const what = `host ${host.name}: node labels ${format(previous.labels)} \u2192 ${format(host.labels)}`;
  if (pinned.length === 0) return [safe(id, what, "deploy puts the labels on the node; no service is pinned to this host")];
  return [
    care(
      id,
      what,
      `${listOf(pinned)} ${pinned.length === 1 ? "is" : "are"} placed by the new constraints and restart${pinned.length === 1 ? "s" : ""} once; deploy labels the node first, so ${pinned.length === 1 ? "it stays" : "they stay"} on the machine holding the data`,
      [`${code(`docker node ls --filter node.label=${Object.keys(host.labels)[0] ?? "KEY"}`)} lists no other node with these labels (preflight refuses otherwise)`, `${deploy(environment)}`]
    )
  ];
});

// generator/plan/classifiers/milvus.ts
var applyAndStart = (environment) => `apply rendered/${environment}/milvus.yaml to Milvus's config and start Milvus`;
var milvusBucketChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.milvus.bucket, after.topology.milvus.bucket];
  if (from === to) return [];
  return [
    destructive(
      changeId("milvus-bucket", from),
      `Milvus's bucket ${from} \u2192 ${to}`,
      `Milvus's metadata in etcd points at segment files in ${from}: in ${to} it finds none of them, so its collections fail to load`,
      ["stop Milvus", `copy the data: ${code(`mc mirror ALIAS/${from} ALIAS/${to}`)}`, applyAndStart(environment)]
    )
  ];
};
var milvusEtcdRootPathChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.milvus.etcdRootPath, after.topology.milvus.etcdRootPath];
  if (from === to) return [];
  return [
    destructive(
      changeId("milvus-etcd-root-path", from),
      `Milvus's etcd root path ${from} \u2192 ${to}`,
      `Milvus keeps its collections, schemas and segment lists under ${from} in etcd: under ${to} it starts empty and every collection is gone from its view (the keys stay under ${from})`,
      ["stop Milvus", `move its metadata with a Milvus backup and restore (milvus-backup), or copy every key under ${from}/ to ${to}/`, applyAndStart(environment)]
    )
  ];
};
var milvusMinioRootPathChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.milvus.minioRootPath, after.topology.milvus.minioRootPath];
  if (from === to) return [];
  const bucket = after.topology.milvus.bucket;
  return [
    destructive(
      changeId("milvus-minio-root-path", from),
      `Milvus's MinIO root path ${from} \u2192 ${to}`,
      `Milvus's segment files live under ${bucket}/${from}: under ${to} it finds none of them, so its collections fail to load`,
      ["stop Milvus", `copy the files: ${code(`mc mirror ALIAS/${bucket}/${from} ALIAS/${bucket}/${to}`)}`, applyAndStart(environment)]
    )
  ];
};
var milvusEtcdEndpointsChanged = ({ environment, before, after }) => {
  const [from, to] = [before.model.milvus.etcdEndpoints, after.model.milvus.etcdEndpoints];
  if ([...from].sort().join(",") === [...to].sort().join(",")) return [];
  const kept = from.filter((endpoint) => to.includes(endpoint));
  return [
    care(
      changeId("milvus-etcd-endpoints", after.topology.stack),
      `Milvus's etcd endpoints ${from.join(", ")} \u2192 ${to.join(", ")}`,
      kept.length > 0 ? `Milvus reads etcd.endpoints only at start: until it restarts it uses ${kept.join(", ")} of its old list, which keep answering (its client fails over among them)` : `none of Milvus's current endpoints stays: after the deploy, Milvus reaches etcd only once it runs with the new list`,
      [
        deploy(environment),
        `set etcd.endpoints in Milvus's config from rendered/${environment}/milvus.yaml and restart Milvus (its components one at a time)`,
        verify(environment)
      ]
    )
  ];
};

// generator/plan/classifiers/minio.ts
var MINIO_RELEASE_READ = "RELEASE.2023-03-20T20-16-18Z";
var minioReleaseChanged = ({ environment, before, after }) => {
  const [from, to] = [before.model.minio.image, after.model.minio.image];
  if (from === to) return [];
  const [fromTag, toTag] = [imageTag(from), imageTag(to)];
  const order = fromTag !== void 0 && toTag !== void 0 && imageRepository(from) === imageRepository(to) && !from.includes("@") && !to.includes("@") ? compareReleaseTags(fromTag, toTag) : void 0;
  const id = changeId("minio-version", toTag ?? to);
  const what = `MinIO image ${from} \u2192 ${to}`;
  if (order === 1) {
    return [
      destructive(
        id,
        what,
        "an older MinIO release: MinIO does not support downgrades, and an older release may not read the metadata a newer one wrote (xl.meta, format.json); every node restarts on it at once",
        [`back up every bucket (${code("mc mirror")}) and confirm in the release notes that ${to} reads what ${from} wrote`, `${deploy(environment)}, then ${verify(environment)}`]
      )
    ];
  }
  const probe = probeNeed(after.topology.minio.healthcheck, to);
  return [
    care(
      id,
      what,
      `${order === void 0 ? `cannot tell whether ${to} is newer than ${from}; ` : ""}every MinIO node must run one release and there is no rolling upgrade: all nodes restart together on the new image (S3 pauses), and there is no way back (MinIO does not support downgrades)${probe ? `; the nodes' healthcheck runs ${probe.program} inside the new image (MinIO images from ${MINIO_WITHOUT_CURL} on have no curl): without it the nodes never turn healthy and swarm never publishes them` : ""}`,
      [
        `read the release notes between ${fromTag ?? from} and ${toTag ?? to}`,
        ...probe ? [`${probe.check}, or set minio.healthcheck to a probe the image ships ({probe: exec, command: [mc, ready, local]})`] : [],
        `before: ${code("mc admin info ALIAS")} shows every drive online and nothing healing`,
        `${deploy(environment)} when S3 can pause: all nodes restart together`,
        `${code("mc admin info ALIAS")} shows ${toTag ?? to} on every node; ${verify(environment)}`
      ]
    )
  ];
};
var SECRETS = [
  ["root-user", "rootUserSecret", "root user"],
  ["root-password", "rootPasswordSecret", "root password"]
];
var minioSecretsChanged = ({ environment, before, after }) => SECRETS.flatMap(([subject, field, what]) => {
  const [from, to] = [before.topology.minio[field], after.topology.minio[field]];
  if (from === to) return [];
  return [
    care(
      changeId("minio-secret", subject),
      `MinIO ${what} secret ${from} \u2192 ${to}`,
      `every MinIO node restarts together on the new secret; deploy fails while ${to} does not exist, and if its value differs the ${what} changes: Milvus and every mc alias must switch in the same deploy`,
      [
        `create it first: ${code(`printf %s "$VALUE" | docker secret create ${to} -`)}`,
        `if the value differs, give Milvus the new credentials (minio.accessKeyID / secretAccessKey) for the moment of the deploy`,
        `${deploy(environment)}, then ${verify(environment)}`,
        `${code(`docker secret rm ${from}`)} once no service uses it`
      ]
    )
  ];
});
var VERIFY_SECRETS = [
  ["verify-user", "verifyUserSecret", "verify's user"],
  ["verify-password", "verifyPasswordSecret", "verify's password"]
];
var minioVerifySecretsChanged = ({ environment, before, after }) => VERIFY_SECRETS.flatMap(([subject, field, what]) => {
  const [from, to] = [before.topology.minio[field], after.topology.minio[field]];
  if (from === to) return [];
  return [
    care(
      changeId("minio-secret", subject),
      `MinIO ${what} secret ${from} \u2192 ${to}`,
      `no MinIO node restarts (none mounts it); deploy fails while ${to} does not exist, and sets verify's user from the values the runner is given: they must be ${to}'s`,
      [
        `create it first: ${code(`printf %s "$VALUE" | docker secret create ${to} -`)}`,
        `set the environment's GitHub secrets ${code("MINIO_VERIFY_USER")} / ${code("MINIO_VERIFY_PASSWORD")} to the new secrets' values`,
        `${deploy(environment)} (a new access key is a new user; the one it replaces loses verify's policy), then ${verify(environment)}`,
        `${code(`docker secret rm ${from}`)}`
      ]
    )
  ];
});
var minioEnvChanged = (comparison) => {
  const { environment, before, after } = comparison;
  const [was, is] = [before.topology.minio.env, after.topology.minio.env];
  const names3 = [.../* @__PURE__ */ new Set([...Object.keys(was), ...Object.keys(is)])].sort();
  return names3.flatMap((name) => {
    if (was[name] === is[name]) return [];
    const what = was[name] === void 0 ? `MinIO ${name}=${is[name]} added` : is[name] === void 0 ? `MinIO ${name} removed (was ${was[name]})` : `MinIO ${name} ${was[name]} \u2192 ${is[name]}`;
    const erasure = erasureEnvChange(comparison, name, what);
    if (erasure) return [erasure];
    const note = name === "MINIO_CI_CD" && is[name] === void 0 ? "; without it, distributed MinIO refuses drives on the root disk" : name === "MINIO_CI_CD" ? "; CI/CD mode lets MinIO use drives on the root disk, meant for test machines only" : "";
    return [
      care(
        changeId("minio-env", name),
        what,
        `every MinIO node restarts together with the new environment (S3 pauses)${note}`,
        [
          `read what ${name} does in the documentation of ${after.model.minio.image}`,
          ...name === "MINIO_CI_CD" && is[name] === void 0 ? ["check that no drive directory is on a root disk (df on each host)"] : [],
          `${deploy(environment)} when S3 can pause, then ${verify(environment)}`
        ]
      )
    ];
  });
};
function erasureEnvChange(comparison, name, what) {
  const { environment, before, after } = comparison;
  const id = changeId("minio-env", name);
  const kept = matchPools(comparison).kept;
  const restart = `${deploy(environment)} when S3 can pause, then ${verify(environment)}`;
  if (name === ERASURE_VARIABLES.setDriveCount) {
    const changed = kept.filter(({ was, is }) => was.pool.layout && is.pool.layout && was.pool.layout.setSize !== is.pool.layout.setSize);
    if (changed.length === 0) {
      return care(id, what, `every pool keeps the erasure sets its drives were formatted with, so MinIO accepts it; a pool added later is split by it; every MinIO node restarts together (S3 pauses)`, [restart]);
    }
    const pools = changed.map(({ was, is }) => `${poolLabel(was.pool)} (sets of ${was.pool.layout.setSize} \u2192 ${is.pool.layout.setSize})`);
    const set = after.topology.minio.env[name];
    return destructive(
      id,
      `${what}: ${listOf(pools)}`,
      set ? `a pool's set size is written in the format.json of its drives when it is created: with ${name} set, MinIO ${MINIO_RELEASE_READ} compares it and every node refuses to start ("already formatted with ${changed[0].was.pool.layout.setSize} drives per erasure set. This cannot be changed to ${changed[0].is.pool.layout.setSize}, please revert your ${name} setting", cmd/format-erasure.go)` : `a pool's set size is written in the format.json of its drives when it is created: without ${name} MinIO no longer compares it, keeps the formatted sets of ${changed[0].was.pool.layout.setSize}, and takes the default parity for sets of ${changed[0].is.pool.layout.setSize} (EC:${changed[0].is.pool.layout.parity}) \u2014 a parity the formatted sets were not laid out for`,
      [`keep ${name}${envValue(before, name) ? `=${envValue(before, name)}` : " unset"} while ${listOf(changed.map(({ was: ref }) => poolLabel(ref.pool)))} exist${changed.length === 1 ? "s" : ""}: a pool's set size never changes; a new layout is a new pool (add it, deploy, decommission the old one)`]
    );
  }
  if (name === ERASURE_VARIABLES.standard || name === ERASURE_VARIABLES.rrs) {
    const first = (revision) => revision.model.minio.pools[0]?.layout;
    const parity = (revision) => name === ERASURE_VARIABLES.standard ? first(revision)?.parity : erasureSettings(revision.topology.minio.env).settings.rrsParity ?? 1;
    const [from, to] = [parity(before), parity(after)];
    const which = name === ERASURE_VARIABLES.standard ? "STANDARD (every object Milvus writes)" : "REDUCED_REDUNDANCY (only objects written with that class; Milvus writes STANDARD)";
    const effect = from === void 0 || to === void 0 || from === to ? `the ${which} parity stays EC:${to ?? from}` : `new objects of the ${which} class are written with EC:${to} instead of EC:${from}${to < from ? `: each survives ${to} lost drives of its set instead of ${from}` : `: each takes more space, and survives ${to} lost drives of its set`}; objects already written keep the parity they were written with (each object's xl.meta records it)`;
    return care(id, what, `${effect}; every MinIO node restarts together with the new environment (S3 pauses)`, [
      `${code("mc admin info ALIAS")}: every drive online before the restart`,
      restart
    ]);
  }
  return void 0;
}
var envValue = (revision, name) => revision.topology.minio.env[name];
var minioApiPortChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.minio.apiPort, after.topology.minio.apiPort];
  if (from === to) return [];
  return [
    care(
      changeId("minio-api-port", from),
      `MinIO API port ${from} \u2192 ${to} (${code(after.model.minio.pools[0].serverArgument)})`,
      "MinIO nodes find each other by their endpoints: every node restarts together with the new ones and the proxies follow (S3 pauses); the published S3 port does not change",
      [`${deploy(environment)} when S3 can pause`, `${code("mc admin info ALIAS")} shows every node online; ${verify(environment)}`]
    )
  ];
};
var minioConsolePortChanged = ({ before, after }) => {
  const [from, to] = [before.topology.minio.consolePort, after.topology.minio.consolePort];
  if (from === to) return [];
  return [
    safe(
      changeId("minio-console-port", from),
      `MinIO console port ${from} \u2192 ${to} (inside the stack network)`,
      "nodes restart together once and the proxy follows; the published console port does not change"
    )
  ];
};
var minioConsoleUrlChanged = ({ before, after }) => {
  const [from, to] = [before.topology.minio.consoleUrl, after.topology.minio.consoleUrl];
  if (from === to) return [];
  return [
    safe(
      changeId("minio-console-url", before.topology.stack),
      `MinIO console URL ${from} \u2192 ${to}`,
      "where the console sends browsers (MINIO_BROWSER_REDIRECT_URL): nodes restart together once, no data changes"
    )
  ];
};

// generator/plan/classifiers/minioPools.ts
function keptNodes(comparison) {
  return matchPools(comparison).kept.flatMap(
    ({ was, is }) => was.pool.nodes.flatMap((node) => {
      const now = is.pool.nodes.find((candidate) => candidate.name === node.name);
      if (!now) return [];
      return [{ pool: was.pool, was: node, is: now, from: machineOf(comparison.before, node.host), to: machineOf(comparison.after, now.host) }];
    })
  );
}
var movedNodes = (comparison) => keptNodes(comparison).filter((node) => !sameMachine(node.from, node.to));
function drivesChanged(node) {
  if (node.was.drives.length !== node.is.drives.length) return [];
  return node.was.drives.flatMap((drive, index) => drive.source !== node.is.drives[index].source ? [index] : []);
}
function drivesReordered(node) {
  const sorted = (drives) => drives.map((drive) => drive.source).sort().join("\n");
  return drivesChanged(node).length > 0 && sorted(node.was.drives) === sorted(node.is.drives);
}
function emptyDrives(node) {
  if (!sameMachine(node.from, node.to)) return node.pool.drivesPerNode;
  return drivesReordered(node) ? 0 : drivesChanged(node).length;
}
function poolDamage(comparison, pool) {
  const affected = keptNodes(comparison).filter((node) => node.pool === pool && emptyDrives(node) > 0);
  const { layout } = pool;
  const perNodeInSet = layout ? Math.max(1, layout.setSize / Math.min(pool.nodes.length, layout.setSize)) : pool.drivesPerNode;
  return {
    pool,
    ...layout ? { layout } : {},
    nodes: affected.map((node) => node.was.name),
    emptyDrives: affected.reduce((sum, node) => sum + emptyDrives(node), 0),
    emptyPerSet: affected.reduce((sum, node) => sum + Math.min(emptyDrives(node), perNodeInSet), 0)
  };
}
function emptyDriveImpact(damage) {
  const { pool, layout, emptyDrives: empty, emptyPerSet } = damage;
  const total = pool.nodes.length * pool.drivesPerNode;
  const come = empty === 1 ? "comes" : "come";
  const where = `${plural(empty, "drive")} of ${total} in pool ${poolLabel(pool)} ${come} back empty`;
  if (!layout) return where;
  if (emptyPerSet > layout.parity) return `${where} at once, more than its parity of ${layout.parity} per erasure set: objects are lost`;
  const spare = layout.parity - emptyPerSet;
  return `${where}, within its parity of ${layout.parity}: MinIO heals ${empty === 1 ? "it" : "them"} from the others, ${spare === 0 ? "but until the heal ends no redundancy is left (one more lost drive loses objects)" : `and until the heal ends the set survives ${plural(spare, "more lost drive")} instead of ${layout.parity}`}`;
}
var stepProcedure2 = (comparison, id) => stepsFor(comparison, id).map(describeStep);
var minioPoolsAdded = (comparison) => {
  const { environment, after } = comparison;
  const allNodes = after.model.minio.pools.flatMap(nodeNames);
  return matchPools(comparison).added.map(({ pool }) => {
    const hosts = [...new Set(pool.nodes.map((node) => machineName({ host: node.host })))];
    const id = changeId("minio-pool-add", poolLabel(pool));
    return care(
      id,
      `add MinIO pool ${poolLabel(pool)}: ${listOf(nodeNames(pool))} (${pool.nodes.length} nodes \xD7 ${pool.drivesPerNode} drives, ${code(pool.serverArgument)})`,
      `whole pools can be added, but MinIO reads its pools only at start, so all nodes restart: every node of every pool gets the new server command line, and S3 pauses until all ${allNodes.length} nodes are up`,
      [
        `deploy's host preparation creates the drive dirs of ${listOf(nodeNames(pool))} on ${listOf(hosts)} (each drive on its own disk, not the root disk), or run rendered/${environment}/prepare-hosts.sh there`,
        ...stepProcedure2(comparison, id),
        `new objects go to the pool with the most free space; existing objects stay where they are unless you run ${code("mc admin rebalance start ALIAS")}`
      ]
    );
  });
};
var minioPoolsRemoved = (comparison) => {
  const pools = matchPools(comparison);
  return pools.removed.map(({ pool }) => {
    const id = changeId("minio-pool-remove", poolLabel(pool));
    if (pools.kept.length === 0) {
      const added = pools.added.map((ref) => poolLabel(ref.pool));
      return destructive(
        id,
        `remove MinIO pool ${poolLabel(pool)}: ${listOf(nodeNames(pool))} (${code(pool.serverArgument)})${added.length > 0 ? `, replaced by ${listOf(added)} in the same change` : ""}`,
        `no pool stays to take its objects: MinIO ${MINIO_RELEASE_READ} refuses to decommission the only pool (StartDecommission returns "invalid argument" with one pool, cmd/erasure-server-pool-decom.go), and ${added.length > 0 ? `the new nodes would start on a command line naming only ${listOf(added)}: a second, empty deployment beside the data` : "without a pool the cluster has nowhere to keep anything"}`,
        [
          `split it: first add the new pool beside ${poolLabel(pool)} (both under minio.pools), deploy \u2014 every node restarts on both pools`,
          `then remove ${poolLabel(pool)} in a change of its own: deploy decommissions it into the new pool, then restarts the others without it`
        ]
      );
    }
    return care(
      id,
      `remove MinIO pool ${poolLabel(pool)}: ${listOf(nodeNames(pool))} (${code(pool.serverArgument)})`,
      `deploy decommissions it first \u2014 MinIO moves every object on it to the other pools, which need the free space \u2014 then restarts every remaining node on the command line without it (S3 pauses meanwhile) and removes its services; it runs only when acknowledged, since a full pool takes hours to drain (a MinIO release before RELEASE.2023-05-18T00-05-36Z refuses to start without a pool it still lists as active, so the order matters)`,
      stepProcedure2(comparison, id)
    );
  });
};
var MINIO_ACCEPTS_POOL_ORDER = "RELEASE.2023-05-18T00-05-36Z";
var minioPoolsReordered = (comparison) => {
  const pools = matchPools(comparison);
  if (!pools.reordered) return [];
  const { environment, before, after } = comparison;
  const order = (revision) => revision.model.minio.pools.map(poolLabel).join(", ");
  const tag = imageTag(after.model.minio.image);
  const accepts = tag !== void 0 && (compareReleaseTags(MINIO_ACCEPTS_POOL_ORDER, tag) ?? 1) <= 0;
  const id = changeId("minio-pool-order", before.topology.stack);
  const what = `MinIO pools reordered: ${order(before)} \u2192 ${order(after)}`;
  if (accepts) {
    return [
      care(
        id,
        what,
        `no pool changes: MinIO ${tag} finds each pool by its command line, wherever it stands (pool.bin); but the server command line changes, so every node restarts together and S3 pauses until all are up`,
        [`${deploy(environment)} when S3 can pause, or keep the deployed order: nothing is gained by the new one`]
      )
    ];
  }
  return [
    destructive(
      id,
      what,
      `MinIO releases before ${MINIO_ACCEPTS_POOL_ORDER} remember each pool's position and refuse to start when one moves ("pool order change detected for \u2026, expected position is \u2026"), and ${tag ? `the tag ${tag}` : after.model.minio.image} does not say a later release: every node would stop`,
      ["keep the pools in their deployed order in the topology: nothing is gained by another"]
    )
  ];
};
var keepLayoutProcedure = (environment) => [
  "to grow: leave this pool as it is and add a new pool (another entry under minio.pools)",
  `to replace it: add the new pool, decommission this one (${code("mc admin decommission start")}), and remove it in a later change`,
  `${deploy(environment)} only once the topology keeps this pool's nodes and drives as they are`
];
function renamedInPlace(comparison, was, is) {
  if (was.nodes.length !== is.nodes.length) return false;
  return was.nodes.every((node, index) => {
    const now = is.nodes[index];
    return node.name !== now.name && sameMachine(machineOf(comparison.before, node.host), machineOf(comparison.after, now.host)) && node.drives.map((drive) => drive.source).join("\n") === now.drives.map((drive) => drive.source).join("\n");
  });
}
var minioPoolNodesChanged = (comparison) => matchPools(comparison).kept.filter(({ was, is }) => nodeNames(was.pool).join(",") !== nodeNames(is.pool).join(",")).map(({ was, is }) => {
  const id = changeId("minio-pool-nodes", poolLabel(was.pool));
  const what = (how2) => `MinIO pool ${poolLabel(was.pool)}: ${code(was.pool.serverArgument)} \u2192 ${code(is.pool.serverArgument)} (${how2})`;
  if (renamedInPlace(comparison, was.pool, is.pool)) {
    return care(
      id,
      what("every node renamed, each on its machine with its drives"),
      `MinIO ${MINIO_RELEASE_READ} finds its drives by the UUIDs in their format.json, not by endpoint names: each endpoint finds the drive its slot expects, so the pool keeps its data; the pool list it remembers (pool.bin) takes the new command line as an update, not an error (cmd/erasure-server-pool-decom.go, poolMeta.validate) \u2014 unless a decommission is running, when MinIO refuses any change of the command line; deploy removes the old services before it creates the new ones, so every node restarts together (S3 pauses)`,
      [
        `before: no decommission is running (${code("mc admin decommission status ALIAS")}), every drive online (${code("mc admin info ALIAS")})`,
        `${deploy(comparison.environment)} when S3 can pause`,
        `${code("mc admin info ALIAS")} shows the renamed nodes with every drive online; Milvus reaches MinIO through the load balancer, whose upstreams follow`
      ]
    );
  }
  const grown = was.pool.nodes.length !== is.pool.nodes.length;
  const how = grown ? `${was.pool.nodes.length} \u2192 ${is.pool.nodes.length} nodes` : [...nodeNames(was.pool)].sort().join(",") === [...nodeNames(is.pool)].sort().join(",") ? "the same nodes in another order" : "nodes renamed";
  return destructive(
    id,
    what(how),
    `changing an existing MinIO pool's nodes: a pool's layout is fixed when it is created, and its nodes in their order decide which drive holds which part of every object; ${grown ? `MinIO refuses drives whose format.json counts another number of drives ("already being used in another erasure deployment", cmd/format-erasure.go), so every node stops` : `a drive found at another position than its format.json names is refused ("unexpected drive ordering", cmd/erasure-sets.go) and stays offline`}`,
    keepLayoutProcedure(comparison.environment)
  );
});
var minioPoolDriveCountChanged = (comparison) => matchPools(comparison).kept.filter(({ was, is }) => was.pool.drivesPerNode !== is.pool.drivesPerNode).map(
  ({ was, is }) => destructive(
    changeId("minio-pool-drives", poolLabel(was.pool)),
    `MinIO pool ${poolLabel(was.pool)}: ${was.pool.drivesPerNode} \u2192 ${is.pool.drivesPerNode} drives per node`,
    `changing an existing MinIO pool's drive count: the drives per node fix the pool's erasure sets when it is created, so MinIO refuses to start with another count`,
    keepLayoutProcedure(comparison.environment)
  )
);
var minioRedundancyLost = (comparison) => matchPools(comparison).kept.flatMap(({ was }) => {
  const damage = poolDamage(comparison, was.pool);
  const { layout } = damage;
  if (!layout || damage.nodes.length < 2 || damage.emptyPerSet < layout.parity) return [];
  const perNodeInSet = Math.max(1, layout.setSize / Math.min(was.pool.nodes.length, layout.setSize));
  const perChange = Math.max(1, Math.floor((layout.parity - 1) / perNodeInSet));
  const groups = Array.from({ length: Math.ceil(damage.nodes.length / perChange) }, (_, index) => damage.nodes.slice(index * perChange, (index + 1) * perChange));
  const split = groups.map((group, index) => `${listOf(group)} in ${index === 0 ? "one change" : index === 1 ? "the next" : `a ${ordinal(index + 1)}`}`).join(", then ");
  return [
    destructive(
      changeId("minio-redundancy", damage.nodes.join(",")),
      `${listOf(damage.nodes)} of MinIO pool ${poolLabel(was.pool)} come back with empty drives in one deploy`,
      damage.emptyPerSet > layout.parity ? `${emptyDriveImpact(damage)}: no erasure set can rebuild them` : `${emptyDriveImpact(damage)}: ${damage.emptyPerSet} empty drives in an erasure set is exactly its parity, so no redundancy is left until the heal ends`,
      [
        `split it so that each deploy leaves a spare: ${split}, each deployed and healed (${code("mc admin heal -r ALIAS")} until it is done, ${code("mc admin info ALIAS")} shows every drive online) before the next`
      ]
    )
  ];
});
var minioNodeHostsMoved = (comparison) => movedNodes(comparison).map((node) => {
  const service = swarmService(comparison.before.model, node.was.name);
  const dirs = node.was.drives.map((drive) => drive.source);
  const held = comparison.before.model.minio.pools.flatMap((pool) => pool.nodes).filter((other) => other.name !== node.was.name && sameMachine(machineOf(comparison.before, other.host), node.to)).filter((other) => other.drives.some((drive) => node.is.drives.some((mine) => mine.source === drive.source))).map((other) => other.name);
  const lands = held.length > 0 ? `on ${machineName(node.to)} it starts on ${listOf(held)}'s drives, which MinIO refuses in another slot than the one their format.json names ("unexpected drive ordering", cmd/erasure-sets.go): they stay offline, and ${listOf(held)} ${held.length === 1 ? "loses its drives" : "lose their drives"} too` : `on ${machineName(node.to)} it starts with empty drives; ${emptyDriveImpact(poolDamage(comparison, node.pool))}`;
  return destructive(
    changeId("minio-node-host", node.was.name),
    `MinIO node ${node.was.name} moves from ${machineName(node.from)} to ${machineName(node.to)}`,
    `its drives (${dirs.join(", ")}) stay on ${machineName(node.from)}: ${lands}`,
    [
      `to keep the data: ${code(`docker service scale ${service}=0`)}, copy ${listOf(dirs)} from ${machineName(node.from)} to ${listOf(node.is.drives.map((drive) => drive.source))} on ${machineName(node.to)} (${code("rsync -a")}), then ${deploy(comparison.environment)}`,
      `or let MinIO heal it: ${deploy(comparison.environment)}, then ${code("mc admin heal -r ALIAS")} until it is done`,
      `${code("mc admin info ALIAS")} shows every drive online`
    ]
  );
});
var minioNodeDrivePathsChanged = (comparison) => keptNodes(comparison).filter((node) => sameMachine(node.from, node.to) && drivesChanged(node).length > 0).map((node) => {
  const changed = drivesChanged(node);
  const pairs2 = changed.map((index) => `${node.was.drives[index].target}: ${node.was.drives[index].source} \u2192 ${node.is.drives[index].source}`);
  const reordered = drivesReordered(node);
  const host = machineName(node.to);
  return destructive(
    changeId("minio-drive-paths", node.was.name),
    `MinIO node ${node.was.name} on ${host}: ${pairs2.join("; ")}`,
    reordered ? `changing the drive order of an existing MinIO pool: the same directories mount in other slots of ${node.was.name}, and MinIO reads each drive's format.json and refuses a drive found in another slot than the one it was formatted for ("unexpected drive ordering \u2026 refusing to use the drive", cmd/erasure-sets.go): no object is lost, but these drives stay offline \u2014 every node swapped stops the pool \u2014 until the order is restored` : `a data path of a running node changes: ${node.was.name} starts with an empty drive where its share of every object was, and the old directory stays behind; ${emptyDriveImpact(poolDamage(comparison, node.pool))}`,
    reordered ? ["keep the drives in their deployed order in the topology: the order is part of the pool's layout"] : [
      `to keep the data: ${code(`docker service scale ${swarmService(comparison.before.model, node.was.name)}=0`)}, on ${host} put each old directory's contents at its new path (${changed.map((index) => `${node.was.drives[index].source} \u2192 ${node.is.drives[index].source}`).join(", ")}), then ${deploy(comparison.environment)}`,
      `or let MinIO heal it: ${deploy(comparison.environment)}, then ${code("mc admin heal -r ALIAS")} until it is done`,
      `${code("mc admin info ALIAS")} shows every drive online`
    ]
  );
});

// generator/plan/classifiers/proxies.ts
function proxies(revision) {
  const { etcd, minio } = revision.topology;
  return [
    { name: etcd.proxy.name, replicas: etcd.proxy.replicas, placement: etcd.proxy.placement, milvusSetting: "etcd.endpoints", milvusAddress: `${etcd.proxy.name}:${etcd.proxy.listenPort}` },
    { name: minio.proxy.name, replicas: minio.proxy.replicas, placement: minio.proxy.placement, milvusSetting: "minio.address", milvusAddress: minio.proxy.name }
  ];
}
var pairs = (before, after) => proxies(before).map((was, index) => ({ was, is: proxies(after)[index] }));
var proxyRenamed = ({ environment, before, after }) => {
  const swarmName = (service) => code(`${before.model.stack}_${service}`);
  return pairs(before, after).filter(({ was, is }) => was.name !== is.name).map(
    ({ was, is }) => care(
      changeId("proxy-rename", was.name),
      `proxy service ${was.name} \u2192 ${is.name}`,
      `Milvus reaches it as ${code(was.milvusAddress)} (${was.milvusSetting} in rendered milvus.yaml): deploy removes ${swarmName(was.name)} by its milvus-swarm label (a service it rendered and the topology no longer has; never --prune, which would also remove services another team deployed into the stack) before the stack creates ${swarmName(is.name)}, and Milvus cannot reach it until it uses ${code(is.milvusAddress)}`,
      [
        `${deploy(environment)}`,
        `right after, set ${is.milvusSetting} in Milvus's config from rendered/${environment}/milvus.yaml and restart Milvus`,
        verify(environment)
      ]
    )
  );
};
var proxyReplicasChanged = ({ before, after }) => pairs(before, after).filter(({ was, is }) => was.replicas !== is.replicas).map(
  ({ was, is }) => safe(
    changeId("proxy-replicas", is.name),
    `${is.name} replicas ${was.replicas} \u2192 ${is.replicas}`,
    `stateless: swarm starts or stops proxy tasks and nothing else restarts${is.replicas === 1 ? "; with one replica, restarting it interrupts its clients" : ""}`
  )
);
var proxyPlacementChanged = ({ environment, before, after }) => pairs(before, after).filter(({ was, is }) => was.placement !== is.placement).map(({ was, is }) => {
  const id = changeId("proxy-placement", is.name);
  const what = `${is.name} placement ${was.placement} \u2192 ${is.placement}`;
  if (after.topology.swarm.publishMode === "ingress") {
    return safe(id, what, "stateless: swarm moves the tasks one at a time, and the routing mesh answers on every node wherever they run");
  }
  return care(id, what, "clients move: in host publish mode the proxy answers only on the nodes running one of its tasks", [
    `${deploy(environment)}`,
    `${code(`docker service ps ${after.topology.stack}_${is.name}`)} shows where the tasks run: point the clients outside the swarm at those nodes`
  ]);
});
var etcdProxyListenPortChanged = ({ before, after }) => {
  const [from, to] = [before.topology.etcd.proxy.listenPort, after.topology.etcd.proxy.listenPort];
  if (from === to) return [];
  const name = after.topology.etcd.proxy.name;
  const milvus = after.topology.milvus.etcdEndpoints === "proxy" ? "; Milvus's etcd endpoints change with it (their own line says what to do)" : "; Milvus lists the members, not the proxy";
  return [safe(changeId("etcd-proxy-port", from), `${name} listen port ${from} \u2192 ${to}`, `a port inside the stack network: the proxy restarts on it, one replica at a time, and the published port does not change${milvus}`)];
};
function publishedPorts(revision) {
  const { etcd, minio } = revision.topology;
  return [
    { service: etcd.proxy.name, purpose: "etcd gRPC", port: etcd.proxy.publishedPort },
    { service: minio.proxy.name, purpose: "S3 API", port: minio.proxy.s3Port },
    { service: minio.proxy.name, purpose: "MinIO console", port: minio.proxy.consolePort }
  ];
}
var publishedPortsChanged = ({ environment, before, after }) => {
  const now = publishedPorts(after);
  return publishedPorts(before).flatMap((was, index) => {
    const is = now[index];
    if (was.port === is.port) return [];
    const milvus = was.purpose === "S3 API" ? "; Milvus connects to this port too (minio.port in rendered milvus.yaml)" : "";
    const consoleUrl = was.purpose === "MinIO console" && after.topology.minio.consoleUrl.includes(`:${was.port}`) ? `; minio.consoleUrl still names :${was.port}` : "";
    return [
      care(
        changeId("published-port", was.port),
        `${is.service} ${is.purpose} port ${was.port} \u2192 ${is.port}`,
        `clients move: whatever reaches ${is.purpose} on :${was.port} must use :${is.port}, and the old port closes as the proxies update${milvus}${consoleUrl}`,
        [
          `tell the clients of :${was.port} outside the swarm the new port, and check nothing else on the ${after.topology.swarm.publishMode === "ingress" ? "swarm" : "proxy nodes"} uses :${is.port}`,
          `${deploy(environment)}`,
          ...milvus ? [`right after, set minio.port in Milvus's config from rendered/${environment}/milvus.yaml and restart Milvus`] : [],
          verify(environment)
        ]
      )
    ];
  });
};
var minioProxyImageChanged = ({ before, after }) => {
  const [from, to] = [before.topology.minio.proxy.image, after.topology.minio.proxy.image];
  if (from === to) return [];
  const order = after.topology.swarm.publishMode === "host" ? "stop-first in host mode: a short gap per replica" : "start-first";
  return [
    safe(
      changeId("proxy-image", after.topology.minio.proxy.name),
      `${after.topology.minio.proxy.name} image ${from} \u2192 ${to}`,
      `stateless: swarm replaces the proxies one replica at a time (${order}) with the same config; a config the new nginx rejects fails its tasks, and swarm rolls back`
    )
  ];
};

// generator/plan/classifiers/stack.ts
var stackRenamed = ({ environment, before, after }) => {
  const [from, to] = [before.topology.stack, after.topology.stack];
  if (from === to) return [];
  return [
    destructive(
      changeId("stack-rename", from),
      `stack ${from} \u2192 ${to}`,
      `${code(`docker stack deploy ${to}`)} creates new services beside ${from}'s: two etcd clusters and two MinIO pools on the same host directories (each corrupts the other's data), and the new proxies cannot publish the ports the old ones hold`,
      [
        `stop Milvus, then back up: ${code("etcdctl snapshot save")} and ${code("mc mirror")} of the buckets`,
        `${code(`docker stack rm ${from}`)}, and wait until ${code(before.model.network.name)} is gone (stack rm returns before it is)`,
        `${deploy(environment)}: the members and nodes of ${to} start on the same data dirs`,
        `attach Milvus to ${code(after.model.network.name)} and start it; ${verify(environment)}`
      ]
    )
  ];
};
var networkRenamed = ({ environment, before, after }) => {
  const [from, to] = [before.topology.network.name, after.topology.network.name];
  if (from === to) return [];
  return [
    destructive(
      changeId("network-rename", from),
      `network ${before.model.network.name} \u2192 ${after.model.network.name}`,
      `swarm moves every service to the new network in the same deploy: all etcd members and MinIO nodes restart at once (both clusters lose quorum until they are back), and Milvus, attached to ${before.model.network.name}, loses etcd and MinIO until it is moved too; deploy does not roll the etcd members for it (its stack-deploy step says so): a member moved alone could not reach its peers on the old network, and the health wait between members would never pass`,
      [
        "stop Milvus",
        `${deploy(environment)}: every service moves to ${code(after.model.network.name)}, the etcd members all at once`,
        `attach Milvus to ${code(after.model.network.name)} (its compose file's external network) and start it; ${verify(environment)}`,
        `${code(`docker network rm ${before.model.network.name}`)} once nothing uses it`
      ]
    )
  ];
};
var networkAttachableChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.network.attachable, after.topology.network.attachable];
  if (from === to) return [];
  const consequence = to ? "" : "; once applied, the runbook's etcdctl checks and verify can no longer run a one-off container on it";
  return [
    care(
      changeId("network-attachable", before.topology.network.name),
      `network ${before.model.network.name}: attachable ${from} \u2192 ${to}`,
      `an existing overlay network cannot be changed: deploy keeps it as it is, so this takes effect only when the stack is removed and deployed again (an outage)${consequence}`,
      [
        `stop Milvus, then ${code(`docker stack rm ${before.topology.stack}`)} and wait until ${code(before.model.network.name)} is gone`,
        `${deploy(environment)}: the network is created with attachable: ${to}`,
        `start Milvus; ${verify(environment)}`
      ]
    )
  ];
};
var endpointModeChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.swarm.endpointMode, after.topology.swarm.endpointMode];
  if (from === to) return [];
  return [
    care(
      changeId("endpoint-mode", before.topology.stack),
      `service discovery ${from} \u2192 ${to}`,
      `every service is replaced in one deploy, so all etcd members and all MinIO nodes restart together (both clusters pause); ${to === "dnsrr" ? "service names then resolve to task addresses, and swarm refuses dnsrr with ingress-published ports" : "service names then resolve to one virtual IP, which needs IPVS in the kernel"}`,
      [
        "deploy when Milvus can pause for the restart",
        `${deploy(environment)}, then ${verify(environment)}`
      ]
    )
  ];
};
var publishModeChanged = ({ environment, before, after }) => {
  const [from, to] = [before.topology.swarm.publishMode, after.topology.swarm.publishMode];
  if (from === to) return [];
  const ports = after.model.services.flatMap((service) => service.ports.map((port) => port.published));
  return [
    care(
      changeId("publish-mode", before.topology.stack),
      `published ports ${ports.join(", ")}: ${from} \u2192 ${to} mode`,
      to === "host" ? "clients move: in host mode a port answers only on the nodes running a proxy task, no longer on every node of the swarm, and the proxies update stop-first (a gap per replica)" : "clients may move: in ingress mode every node of the swarm answers on these ports, so nothing else may use them on any node",
      [
        `find every client of ports ${ports.join(", ")} outside the swarm (Milvus outside it, the MinIO console's users) and the addresses they use`,
        `${deploy(environment)}`,
        to === "host" ? "point those clients at the nodes running the proxies (the managers)" : "clients may use any node of the swarm again",
        verify(environment)
      ]
    )
  ];
};
var healthchecksChanged = ({ environment, before, after }) => {
  const settings2 = (topology) => ({
    "etcd members": [topology.etcd.healthcheck, topology.etcd.image],
    "etcd proxy": [topology.etcd.proxy.healthcheck, topology.etcd.image],
    "MinIO nodes": [topology.minio.healthcheck, topology.minio.image],
    "MinIO load balancer": [topology.minio.proxy.healthcheck, topology.minio.proxy.image]
  });
  const [was, is] = [settings2(before.topology), settings2(after.topology)];
  const describeProbe = (setting) => setting.command ? `${setting.probe} ${code(setting.command.join(" "))}` : setting.probe;
  return Object.keys(is).flatMap((which) => {
    const [from, to] = [was[which][0], is[which][0]];
    if (JSON.stringify(from) === JSON.stringify(to)) return [];
    const image = is[which][1];
    const need = probeNeed(to, image);
    const tool = need?.program;
    return [
      care(
        changeId("healthcheck", which.toLowerCase().replaceAll(" ", "-")),
        `${which} healthcheck ${describeProbe(from)} \u2192 ${describeProbe(to)}`,
        `the services restart with the new healthcheck; if ${tool ? code(tool) : "the probe"} is missing from ${image}, their tasks never turn healthy, swarm never publishes their DNS names and rolls them back`,
        [
          ...need ? [`check ${image} ships it (a distroless image has no shell to ask): ${need.check}`] : [],
          `${deploy(environment)}${which === "MinIO nodes" ? " when Milvus can pause for the restart" : ""}`
        ]
      )
    ];
  });
};
var swarmSettingsChanged = ({ before, after }) => {
  const changes = [];
  const [was, is] = [before.topology.swarm, after.topology.swarm];
  if (was.allowColocation !== is.allowColocation) {
    changes.push(
      safe(
        changeId("colocation", before.topology.stack),
        `swarm.allowColocation ${was.allowColocation} \u2192 ${is.allowColocation}`,
        "a validation switch: it decides which topologies are accepted, not what runs"
      )
    );
  }
  if (was.deployTimeoutSeconds !== is.deployTimeoutSeconds) {
    changes.push(
      safe(
        changeId("deploy-timeout", before.topology.stack),
        `deploy timeout ${was.deployTimeoutSeconds}s \u2192 ${is.deployTimeoutSeconds}s`,
        "how long deploy waits for convergence: nothing that runs changes"
      )
    );
  }
  if (was.resolveImage !== is.resolveImage) {
    changes.push(
      safe(
        changeId("resolve-image", before.topology.stack),
        `deploy --resolve-image ${was.resolveImage} \u2192 ${is.resolveImage}`,
        is.resolveImage === "never" ? "deploy stops asking the registry for image digests: the nodes use the images they have under these tags" : "deploy asks the registry for image digests: when a digest is found the services are pinned to it once, a rolling restart like an image update"
      )
    );
  }
  if (was.helperImage !== is.helperImage) {
    changes.push(
      safe(
        changeId("helper-image", before.topology.stack),
        `deploy's helper image ${code(was.helperImage)} \u2192 ${code(is.helperImage)}`,
        "deploy's short host-preparation jobs run it (mkdir of the data dirs), and the network anchor's idle task on every node, which is replaced start-first (the node stays in the stack network): no etcd, MinIO or proxy task restarts; every node must be able to pull it"
      )
    );
  }
  return changes;
};

// generator/plan/classifiers/monitoring.ts
var WHAT = { prometheus: "Prometheus", alertmanager: "Alertmanager" };
var settings = (side) => side.topology.monitoring ?? DEFAULT_MONITORING;
var createSecret = (environment, name, variable) => `create the swarm secret ${code(name)} on a manager (${code(`rendered/${environment}/create-secrets.sh`)} with ${code(variable)} set, or ${code(`docker secret create ${name} -`)})`;
var serviceChanges = (name) => ({ environment, before, after }) => {
  const [from, to] = [settings(before)[name], settings(after)[name]];
  const what = WHAT[name];
  const service = swarmService(after.model, name);
  const secretStep = (side) => name === "prometheus" ? createSecret(environment, side.minioTokenSecret, "MINIO_METRICS_TOKEN") : createSecret(environment, side.alertmanager.webhookUrlSecret, "ALERTMANAGER_WEBHOOK_URL");
  if (!from && !to) return [];
  if (!from && to) {
    return [
      care(changeId(`${name}-add`, to.host ?? environment), `${what} runs in the stack${to.host ? ` on ${to.host}` : ""}`, `deploy starts ${service} with its data in ${to.dataDir}, port ${to.port}; its secret must exist first`, [
        secretStep(settings(after)),
        `${deploy(environment)}: it creates ${to.dataDir} and starts ${service}`,
        `open port ${to.port} on ${to.host ?? "the node"} and check its targets (Status \u2192 Targets), then ${verify(environment)}`
      ])
    ];
  }
  if (from && !to) {
    const service2 = swarmService(before.model, name);
    return [
      care(changeId(`${name}-remove`, from.host ?? environment), `${what} no longer runs in the stack`, `${service2} leaves the stack file; its data in ${from.dataDir}${from.host ? ` on ${from.host}` : ""} stays until removed by hand`, [
        `${deploy(environment)}, then ${code(`docker service rm ${service2}`)} if it still runs`,
        `delete ${from.dataDir}${from.host ? ` on ${from.host}` : ""} when its history is no longer wanted`
      ])
    ];
  }
  const [was, is] = [from, to];
  const changes = [];
  if (was.host !== is.host || was.dataDir !== is.dataDir) {
    changes.push(
      care(changeId(`${name}-move`, was.host ?? environment), `${what} ${was.host ?? "(any node)"}:${was.dataDir} \u2192 ${is.host ?? "(any node)"}:${is.dataDir}`, `${service} restarts on the new place with an empty data dir: its history stays behind`, [
        `to keep the history, stop ${service} (${code(`docker service scale ${service}=0`)}) and copy ${was.dataDir} to ${is.dataDir} on ${is.host ?? "the node"} first`,
        deploy(environment)
      ])
    );
  }
  if (was.port !== is.port) {
    changes.push(care(changeId(`${name}-port`, was.port), `${what} port ${was.port} \u2192 ${is.port}`, `bookmarks, a Grafana data source or a federation that uses port ${was.port} stop reaching ${service}`, [deploy(environment), `point what uses port ${was.port} at ${is.port}`]));
  }
  if (was.image !== is.image) changes.push(safe(changeId(`${name}-image`, is.image), `${what} image ${was.image} \u2192 ${is.image}`, `${service} restarts on the new image with its data dir; alerts pause while it restarts`));
  if (name === "prometheus" && "retentionDays" in was && "retentionDays" in is && was.retentionDays !== is.retentionDays) {
    changes.push(safe(changeId("prometheus-retention", was.retentionDays), `Prometheus keeps ${was.retentionDays} \u2192 ${is.retentionDays} days`, `${service} restarts; ${is.retentionDays < was.retentionDays ? "samples older than the new retention are deleted" : "older samples are kept from now on"}`));
  }
  if ("webhookUrlSecret" in was && "webhookUrlSecret" in is && was.webhookUrlSecret !== is.webhookUrlSecret) {
    changes.push(care(changeId("alertmanager-webhook-secret", was.webhookUrlSecret), `Alertmanager's webhook URL from secret ${was.webhookUrlSecret} \u2192 ${is.webhookUrlSecret}`, "deploy refuses to start until the new secret exists", [secretStep(settings(after)), deploy(environment)]));
  }
  return changes;
};
var prometheusChanged = serviceChanges("prometheus");
var alertmanagerChanged = serviceChanges("alertmanager");
var monitoringSettingsChanged = ({ environment, before, after }) => {
  const [was, is] = [settings(before), settings(after)];
  const changes = [];
  const inStack = is.prometheus !== void 0;
  if (was.minioTokenSecret !== is.minioTokenSecret && inStack) {
    changes.push(care(changeId("minio-metrics-token-secret", was.minioTokenSecret), `MinIO's metrics token from secret ${was.minioTokenSecret} \u2192 ${is.minioTokenSecret}`, "deploy refuses to start until the new secret exists", [createSecret(environment, is.minioTokenSecret, "MINIO_METRICS_TOKEN"), deploy(environment)]));
  }
  if (was.minioTokenFile !== is.minioTokenFile) {
    changes.push(
      inStack ? safe(changeId("minio-metrics-token-file", was.minioTokenFile), `MinIO's metrics token read from ${is.minioTokenFile}`, "the stack mounts the secret at the new path; Prometheus restarts") : care(changeId("minio-metrics-token-file", was.minioTokenFile), `MinIO's metrics token read from ${is.minioTokenFile}`, "the Prometheus you run reads the token from the new path: until the file is there, every MinIO target is down", [`put the token in ${is.minioTokenFile} on your Prometheus, then load the new rendered/${environment}/monitoring/prometheus.yml`])
    );
  }
  if (was.scrapeIntervalSeconds !== is.scrapeIntervalSeconds) {
    changes.push(safe(changeId("scrape-interval", was.scrapeIntervalSeconds), `scrape and rule interval ${was.scrapeIntervalSeconds} s \u2192 ${is.scrapeIntervalSeconds} s`, "alerts fire correspondingly sooner or later; Prometheus reloads its files, nothing restarts"));
  }
  const [timersWere, timersAre] = [was.notifications, is.notifications];
  if (JSON.stringify(timersWere) !== JSON.stringify(timersAre)) {
    const describeTimers = (timers) => `wait ${timers.groupWaitSeconds} s, interval ${timers.groupIntervalSeconds} s, repeat ${timers.repeatIntervalMinutes} min`;
    changes.push(
      safe(changeId("notification-timers", environment), `Alertmanager's timers ${describeTimers(timersWere)} \u2192 ${describeTimers(timersAre)}`, is.alertmanager ? "only alertmanager.yml changes: deploy writes it and Alertmanager reloads it, nothing restarts" : "only alertmanager.yml changes: load it into the Alertmanager you run")
    );
  }
  for (const name of [.../* @__PURE__ */ new Set([...Object.keys(was.alerts), ...Object.keys(is.alerts)])].sort()) {
    const [from, to] = [was.alerts[name]?.forSeconds, is.alerts[name]?.forSeconds];
    if (from === to) continue;
    const said = (seconds) => seconds === void 0 ? "its default" : `${seconds} s`;
    changes.push(safe(changeId("alert-for", name), `${name} fires after ${said(from)} \u2192 ${said(to)}`, `only alerts.yml changes: ${is.prometheus ? "deploy writes it and Prometheus reloads it, nothing restarts" : "load it into the Prometheus you run"}`));
  }
  if (was.runbookBaseUrl !== is.runbookBaseUrl) {
    changes.push(safe(changeId("runbook-url", environment), `alerts' runbook links ${was.runbookBaseUrl ?? "(repository paths)"} \u2192 ${is.runbookBaseUrl ?? "(repository paths)"}`, "only the alerts' annotations change"));
  }
  return changes;
};
var monitoringFilesChanged = ({ before, after }) => {
  if (!after.topology.monitoring) return [];
  const files = (model) => ({ config: renderPrometheusConfig(withoutSource(model)), rules: renderAlertRules(withoutSource(model)) });
  const [was, is] = [files(before.model), files(after.model)];
  const changed = [...was.config !== is.config ? ["prometheus.yml"] : [], ...was.rules !== is.rules ? ["alerts.yml"] : []];
  if (changed.length === 0) return [];
  const reload = after.model.monitoring.prometheus ? `deploy writes them into ${swarmService(after.model, "prometheus")}'s data dir and reloads it (POST /-/reload): nothing restarts` : `copy them to the Prometheus you run and reload it (${code("curl -X POST http://PROMETHEUS:9090/-/reload")} with --web.enable-lifecycle)`;
  return [safe(changeId("monitoring-files", after.model.stack), `monitoring files change: ${changed.join(", ")}`, `what Prometheus scrapes or alerts on follows the clusters: ${reload}`)];
};
var withoutSource = (model) => ({ ...model, source: "topology" });
var SERVICE_FIELDS = (name) => [`monitoring.${name}`];
var monitoringChecklist = [
  { classify: prometheusChanged, fields: SERVICE_FIELDS("prometheus") },
  { classify: alertmanagerChanged, fields: SERVICE_FIELDS("alertmanager") },
  { classify: monitoringSettingsChanged, fields: ["monitoring.minioTokenSecret", "monitoring.minioTokenFile", "monitoring.scrapeIntervalSeconds", "monitoring.runbookBaseUrl", "monitoring.notifications", "monitoring.alerts"] },
  { classify: monitoringFilesChanged, fields: [] }
];

// generator/plan/classifiers/templates.ts
function nginxDirectives(conf) {
  return conf.split("\n").map((line) => line.replace(/(^|\s)#.*$/, "").trim()).filter((line) => line !== "").join("\n").replace(/\s+/g, " ");
}
var nginxTemplateChanged = ({ environment, after, templates }) => {
  if (!templates || templates.before.nginxConf === templates.after.nginxConf) return [];
  const proxy = after.topology.minio.proxy.name;
  const id = changeId("nginx-template", proxy);
  let rendered;
  try {
    rendered = [renderNginxConf(after.model, templates.before.nginxConf), renderNginxConf(after.model, templates.after.nginxConf)];
  } catch (error) {
    return [care(id, "nginx template changed", `the template does not render for ${environment}: ${error.message.split("\n")[0]}`, ["fix conf/nginx/nginx.conf.hbs until `npx milvus-swarm check` passes"])];
  }
  const [was, is] = rendered;
  if (was === is) return [];
  if (nginxDirectives(was) === nginxDirectives(is)) {
    return [safe(id, "nginx template changed: comments or layout only", `${proxy} gets a new config (its name carries the content hash), so its replicas roll over one at a time with the same directives`)];
  }
  const image = after.topology.minio.proxy.image;
  return [
    care(
      id,
      "nginx template changed: directives differ",
      `the MinIO load balancer's config changes: swarm ships it as a new config and replaces ${proxy}'s replicas one at a time; a config nginx rejects keeps the new tasks failing until swarm rolls back`,
      [
        `review the diff of rendered/${environment}/nginx.conf`,
        `check it: ${code(`docker run --rm -v "$PWD/rendered/${environment}/nginx.conf:/etc/nginx/nginx.conf:ro" ${image} nginx -t`)}`,
        `${deploy(environment)}, then ${verify(environment)}`
      ]
    )
  ];
};

// generator/plan/checklist.ts
var ETCD_MEMBERS = ["etcd.members[].name", "etcd.members[].host", "etcd.members[].initialClusterState"];
var BACKUP_TARGETS = ["backup.targets.directory", "backup.targets.s3"];
var MINIO_LAYOUT = ["minio.pools[].drives", "minio.pools[].nodes[].name", "minio.pools[].nodes[].host", "minio.pools[].nodes[].drives"];
var checklist = [
  // The stack as a whole
  { classify: stackRenamed, fields: ["stack"] },
  { classify: networkRenamed, fields: ["network.name"] },
  { classify: networkAttachableChanged, fields: ["network.attachable"] },
  { classify: endpointModeChanged, fields: ["swarm.endpointMode"] },
  { classify: publishModeChanged, fields: ["swarm.publishMode"] },
  { classify: swarmSettingsChanged, fields: ["swarm.allowColocation", "swarm.deployTimeoutSeconds", "swarm.resolveImage", "swarm.helperImage"] },
  { classify: healthchecksChanged, fields: ["etcd.healthcheck", "etcd.proxy.healthcheck", "minio.healthcheck", "minio.proxy.healthcheck"] },
  // Hosts
  { classify: hostInventoryChanged, fields: ["hosts[].name", "hosts[].ip", "hosts[].roles"] },
  { classify: hostNodeIdsChanged, fields: ["hosts[].nodeId"] },
  { classify: hostLabelsChanged, fields: ["hosts[].labels"] },
  { classify: managersChanged, fields: ["managers[].ip", "managers[].name"] },
  // etcd: members leave before others join
  { classify: etcdQuorumHoldsInOneStep, fields: ETCD_MEMBERS },
  { classify: etcdMembersRemoved, fields: ["etcd.members[].name"] },
  { classify: etcdMemberHostsMoved, fields: ["etcd.members[].host"] },
  { classify: etcdMembersAdded, fields: ["etcd.members[].name"] },
  { classify: etcdDataDirReused, fields: ["etcd.members[].name", "etcd.members[].host"] },
  { classify: etcdMemberBootstrapsAlone, fields: ["etcd.members[].initialClusterState"] },
  { classify: etcdDataDirsChanged, fields: ["etcd.dataDir"] },
  { classify: etcdMemberStateChanged, fields: ["etcd.members[].initialClusterState"] },
  { classify: etcdMemberOrderChanged, fields: ["etcd.members[].name"] },
  { classify: etcdVersionStep, fields: ["etcd.image"] },
  { classify: etcdClusterTokenChanged, fields: ["etcd.clusterToken"] },
  { classify: etcdCompactionChanged, fields: ["etcd.autoCompactionMode", "etcd.autoCompactionRetention"] },
  { classify: etcdTuningChanged, fields: ["etcd.quotaBackendBytes", "etcd.snapshotCount"] },
  { classify: etcdClientPortChanged, fields: ["etcd.clientPort"] },
  { classify: etcdPeerPortChanged, fields: ["etcd.peerPort"] },
  // MinIO: pools first, then what every node carries
  { classify: minioPoolsRemoved, fields: MINIO_LAYOUT },
  { classify: minioPoolsReordered, fields: MINIO_LAYOUT },
  { classify: minioPoolNodesChanged, fields: ["minio.pools[].nodes[].name"] },
  { classify: minioPoolDriveCountChanged, fields: ["minio.pools[].drives", "minio.pools[].nodes[].drives"] },
  { classify: minioRedundancyLost, fields: ["minio.pools[].drives", "minio.pools[].nodes[].host", "minio.pools[].nodes[].drives"] },
  { classify: minioNodeHostsMoved, fields: ["minio.pools[].nodes[].host"] },
  { classify: minioNodeDrivePathsChanged, fields: ["minio.pools[].drives", "minio.pools[].nodes[].drives"] },
  { classify: minioPoolsAdded, fields: MINIO_LAYOUT },
  { classify: minioReleaseChanged, fields: ["minio.image"] },
  { classify: minioSecretsChanged, fields: ["minio.rootUserSecret", "minio.rootPasswordSecret"] },
  { classify: minioVerifySecretsChanged, fields: ["minio.verifyUserSecret", "minio.verifyPasswordSecret"] },
  { classify: minioEnvChanged, fields: ["minio.env"] },
  { classify: minioApiPortChanged, fields: ["minio.apiPort"] },
  { classify: minioConsolePortChanged, fields: ["minio.consolePort"] },
  { classify: minioConsoleUrlChanged, fields: ["minio.consoleUrl"] },
  // Proxies, and what clients and Milvus see of them
  { classify: proxyRenamed, fields: ["etcd.proxy.name", "minio.proxy.name"] },
  { classify: etcdProxyListenPortChanged, fields: ["etcd.proxy.listenPort"] },
  { classify: publishedPortsChanged, fields: ["etcd.proxy.publishedPort", "minio.proxy.s3Port", "minio.proxy.consolePort"] },
  { classify: proxyReplicasChanged, fields: ["etcd.proxy.replicas", "minio.proxy.replicas"] },
  { classify: proxyPlacementChanged, fields: ["etcd.proxy.placement", "minio.proxy.placement"] },
  { classify: minioProxyImageChanged, fields: ["minio.proxy.image"] },
  { classify: nginxTemplateChanged, fields: [] },
  // Buckets and Milvus
  { classify: bucketsRemoved, fields: ["minio.buckets[].name"] },
  { classify: bucketsAdded, fields: ["minio.buckets[].name"] },
  { classify: bucketPoliciesChanged, fields: ["minio.buckets[].policy"] },
  { classify: milvusBucketChanged, fields: ["milvus.bucket"] },
  { classify: milvusEtcdRootPathChanged, fields: ["milvus.etcdRootPath"] },
  { classify: milvusMinioRootPathChanged, fields: ["milvus.minioRootPath"] },
  { classify: milvusEtcdEndpointsChanged, fields: ["milvus.etcdEndpoints"] },
  // Recovery points: the section added or removed whole (its path is `backup`, which each field below covers), then its fields
  { classify: backupToggled, fields: ["backup.schedule", "backup.keep", "backup.windowDays", ...BACKUP_TARGETS] },
  { classify: backupWindowChanged, fields: ["backup.windowDays"] },
  { classify: backupKeepChanged, fields: ["backup.keep"] },
  { classify: backupScheduleChanged, fields: ["backup.schedule"] },
  { classify: backupTargetsChanged, fields: BACKUP_TARGETS },
  ...monitoringChecklist
];
var IGNORED_FIELDS = ["acknowledge"];

// generator/plan/classifiers/environment.ts
var inventory = (topology) => `stack ${topology.stack}: ${plural(topology.etcd.members.length, "etcd member")}, ${plural(topology.minio.pools.reduce((sum, pool) => sum + pool.nodes.length, 0), "MinIO node")} in ${plural(topology.minio.pools.length, "pool")}`;
function environmentAdded(environment, after) {
  return safe(
    changeId("environment-added", environment),
    `new environment ${environment} (${inventory(after)})`,
    "nothing runs yet: the first deploy creates it all (its preflight checks hosts and secrets, host preparation makes the data dirs, its buckets phase the buckets)"
  );
}
function environmentRemoved(environment, before) {
  return destructive(
    changeId("environment-removed", environment),
    `environment ${environment} removed (${inventory(before)})`,
    "nothing in the repository describes its stack any more: it keeps running unmanaged (no deploy, no verify), and tearing it down deletes its etcd metadata and MinIO objects",
    [
      `back up first: ${code("etcdctl snapshot save")} through a member, and ${code("mc mirror")} of every bucket`,
      `${code(`docker stack rm ${before.stack}`)} on a manager of that swarm, and wait until its network is gone`,
      "delete the data dirs on its hosts by hand, if meant: nothing here deletes data",
      `to acknowledge, list ${code(changeId("environment-removed", environment))} under acknowledge: in the file in a change before the one that deletes it (the deleted file cannot hold it)`
    ]
  );
}

// generator/plan/fields.ts
function differingFields(before, after, path = []) {
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from(
      { length: Math.max(before.length, after.length) },
      (_, index) => index < before.length && index < after.length ? differingFields(before[index], after[index], [...path, index]) : [[...path, index]]
    ).flat();
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [.../* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => key in before && key in after ? differingFields(before[key], after[key], [...path, key]) : [[...path, key]]);
  }
  return Object.is(before, after) ? [] : [path];
}
var isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
function covers(pattern, path) {
  const wanted = pattern.replace(/\[\]/g, ".[]").split(".").filter((segment) => segment !== "");
  const found = path.map((segment) => typeof segment === "number" ? "[]" : segment);
  const length = Math.min(wanted.length, found.length);
  return wanted.slice(0, length).every((segment, index) => segment === found[index]);
}
var fieldName = formatPath;

// generator/plan/classifiers/unclassified.ts
var unclassifiedFields = (items, ignored) => ({ environment, before, after }) => differingFields(before.topology, after.topology).filter((path) => !ignored.some((pattern) => covers(pattern, path))).filter((path) => !items.some((item) => item.fields.some((pattern) => covers(pattern, path)))).map(
  (path) => care(
    changeId("unclassified", fieldName(path)),
    `${fieldName(path)} changed`,
    "no plan rule knows this field yet: what it does to the running clusters is not classified",
    [`review the diff of rendered/${environment}/ by hand before deploying`, "add a classifier for it to generator/plan/checklist.ts"]
  )
);

// generator/plan/comparison.ts
function compareRevisions(before, after, context) {
  const source = `environments/${context.environment}.yaml`;
  const revision = (topology) => ({ topology, model: buildModel(context.environment, source, topology) });
  return { environment: context.environment, before: revision(before), after: revision(after), templates: context.templates };
}

// generator/plan/plan.ts
function planEnvironment(before, after, context) {
  if (before === void 0 && after === void 0) return [];
  if (before === void 0) return acknowledge([environmentAdded(context.environment, after)], after.acknowledge);
  if (after === void 0) return acknowledge([environmentRemoved(context.environment, before)], before.acknowledge);
  const comparison = compareRevisions(before, after, context);
  const changes = [...checklist.flatMap((item) => item.classify(comparison)), ...unclassifiedFields(checklist, IGNORED_FIELDS)(comparison)].map((change) => {
    const steps = stepsFor(comparison, change.id);
    return steps.length > 0 ? { ...change, steps } : change;
  });
  return bySeverity(acknowledge(changes, after.acknowledge));
}
function planEnvironmentSteps(before, after, context) {
  if (before === void 0 || after === void 0) return [];
  return planSteps(compareRevisions(before, after, context));
}
function acknowledge(changes, acknowledged) {
  return changes.map((change) => ({ ...change, acknowledged: acknowledged.includes(change.id) }));
}
function bySeverity(changes) {
  return [...changes].sort((a, b) => CHANGE_CLASSES.indexOf(a.class) - CHANGE_CLASSES.indexOf(b.class));
}
function unusedAcknowledgements(after, changes) {
  return (after?.acknowledge ?? []).filter((id) => !changes.some((change) => change.id === id) && !DEPLOY_TIME_KINDS.some((kind) => id.startsWith(`${kind}:`)));
}
var DEPLOY_TIME_KINDS = ["takeover"];
var blockingChanges = (changes) => changes.filter(blocks);

export {
  care,
  blocks,
  plural,
  describeStep,
  quorum,
  planEnvironment,
  planEnvironmentSteps,
  unusedAcknowledgements,
  blockingChanges
};
