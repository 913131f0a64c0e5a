// Cluster-wide etcd settings: the image (read as a version), the bootstrap token, tuning flags and ports.
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { etcdVersionChangeId, stepsFor } from '../planSteps.ts';
import { probeNeed } from '../probes.ts';
import { code, deploy, etcdctl, etcdHealthy, swarmService } from '../runbook.ts';
import { describeStep } from '../steps.ts';
import { parseRetention } from '../../topology/etcdFlags.ts';
import { ETCD_34_DOWNGRADE_PATCH, ETCD_36_NEEDS_35_PATCH, etcdUpgrade, etcdVersion, formatEtcdVersion, imageRepository } from '../versions.ts';

/**
 * etcd upgrades one minor version at a time, member by member (deploy rolls them: planSteps.ts), and never
 * downgrades a minor by restarting. etcdUpgrade (versions.ts) says which kind of step an image change is.
 */
// Long (~95 lines) as a table is: one return per kind of upgrade, each with its own procedure text.
export const etcdVersionStep: Classifier = (comparison) => {
  const [from, to] = [comparison.before.model.etcd.image, comparison.after.model.etcd.image];
  const upgrade = etcdUpgrade(from, to);
  if (upgrade === 'same') return [];
  const id = etcdVersionChangeId(comparison);
  const what = `etcd image ${from} → ${to}`;
  const rolling = [snapshotFirst(comparison), ...stepsFor(comparison, id).map(describeStep)];
  if (upgrade === 'unreadable') {
    return [
      care(
        id,
        what,
        `cannot read a version from the tag of ${!etcdVersion(from) ? from : to} (expected one like v3.5.5): check by hand that it is the same minor version or the next one, never a skipped or an older minor`,
        rolling,
      ),
    ];
  }
  const [was, is] = [etcdVersion(from)!, etcdVersion(to)!];
  const [a, b] = [formatEtcdVersion(was), formatEtcdVersion(is)];
  switch (upgrade) {
    case 'repository': {
      const probes = [probeNeed(comparison.after.topology.etcd.healthcheck, to), probeNeed(comparison.after.topology.etcd.proxy.healthcheck, to)].filter((need) => need !== undefined);
      return [
        care(
          id,
          what,
          `the same etcd ${b} from another repository (${imageRepository(from)} → ${imageRepository(to)}): another build may lack the etcd binary on its PATH or what the healthchecks run${probes.length > 0 ? ` (${[...new Set(probes.map((need) => need.program))].join(', ')})` : ''}`,
          [`${code(`docker run --rm ${to} etcd --version`)} prints ${b}`, ...[...new Map(probes.map((need) => [need.program, need.check])).values()], ...rolling],
        ),
      ];
    }
    case 'patch':
      return [
        safe(
          id,
          what,
          `a patch ${is.patch > was.patch ? 'upgrade' : 'downgrade'} within etcd ${was.major}.${was.minor}: one storage format, so members may run either; every member and the proxy restart once on the new image`,
        ),
      ];
    case 'minor':
      return [
        care(
          id,
          what,
          `one minor version step (${a} → ${b}): etcd supports it one member at a time while the cluster runs mixed versions; it switches its cluster version once every member runs ${was.major}.${is.minor}${
            was.major === 3 && was.minor === 5 && was.patch < 32
              ? `; etcd's guide now also asks for 3.5.32 first, for its v2 store checks (${code('etcdutl check v2store')} over the WAL too), which look for data written through the v2 API — none here unless someone enabled it by hand (the generator never renders --enable-v2)`
              : ''
          }`,
          rolling,
        ),
      ];
    case 'minor-after-patch': {
      const patched = `${imageRepository(from)}:v${was.major}.${was.minor}.${ETCD_36_NEEDS_35_PATCH}`;
      return [
        destructive(
          id,
          what,
          `etcd ${is.major}.${is.minor} takes over a rolling ${was.major}.${was.minor} cluster only when every member runs ${was.major}.${was.minor}.${ETCD_36_NEEDS_35_PATCH} or later (etcd's upgrade guide; below it, members once added as learners and promoted — how deploy grows and replaces members — can come back on ${is.major}.${is.minor} as zombie members, and etcd knows no safe workaround), and the members run ${a}: a ${b} member may not join them`,
          [
            `first upgrade to ${patched} or later in a change of its own (a patch upgrade: safe, rolled one member at a time), deployed and healthy`,
            `then ${to} in the next change`,
          ],
        ),
      ];
    }
    case 'skip': {
      const skipped = is.major === was.major ? Array.from({ length: is.minor - was.minor - 1 }, (_, i) => `${was.major}.${was.minor + i + 1}`) : [`every minor after ${was.major}.${was.minor}`];
      return [
        destructive(
          id,
          what,
          `skips etcd ${skipped.join(', ')}: etcd upgrades one minor version at a time, and members that skip one may not read the data or join the cluster`,
          [`upgrade through each minor version in its own change (${a} → ${was.major}.${was.minor + 1}.x → …), each deployed and healthy before the next`],
        ),
      ];
    }
    case 'downgrade':
      if (was.major === 3 && was.minor === 5 && is.minor === 4) {
        return [
          destructive(
            id,
            what,
            `a minor version downgrade (${a} → ${b}): etcd 3.5 has no downgrade command, and 3.4 members join a 3.5 cluster only from 3.4.${ETCD_34_DOWNGRADE_PATCH} on, started with --next-cluster-version-compatible — a flag the generator cannot render${is.patch < ETCD_34_DOWNGRADE_PATCH ? `, and ${b} is older than 3.4.${ETCD_34_DOWNGRADE_PATCH}` : ''}`,
            [
              `stay on ${was.major}.${was.minor}: nothing in this topology needs 3.4`,
              `if 3.4 is a must, it is a new cluster and an outage: stop Milvus, ${snapshotCommand(comparison)}, restore it with ${code('etcdutl snapshot restore')} into the data dirs of a new 3.4 cluster, and deploy that`,
            ],
          ),
        ];
      }
      return [
        destructive(
          id,
          what,
          `a minor version downgrade (${a} → ${b}): members of the older minor refuse data written at the newer cluster version; etcd downgrades only through ${code('etcdctl downgrade enable')} (3.6 and later), one minor at a time`,
          [`${etcdctl(comparison.before.model, `downgrade validate ${is.major}.${is.minor}`)}, then ${code(`downgrade enable ${is.major}.${is.minor}`)}`, ...rolling],
        ),
      ];
  }
};

function snapshotCommand({ before }: Comparison): string {
  const first = before.topology.etcd.members[0]!.name;
  return code(
    `docker run --rm --network ${before.model.network.name} -v "$PWD:/backup" ${before.model.etcd.image} etcdctl --endpoints=http://${first}:${before.model.etcd.clientPort} snapshot save /backup/etcd-before-upgrade.db`,
  );
}

/** Before a version change, by hand: every member healthy and a snapshot to go back to. */
const snapshotFirst = (comparison: Comparison): string => `before: ${etcdHealthy(comparison.before.model)}, and save a snapshot: ${snapshotCommand(comparison)}`;

/** --initial-cluster-token is read only when a member bootstraps an empty data dir. */
export const etcdClusterTokenChanged: Classifier = ({ before, after }) => {
  const [from, to] = [before.topology.etcd.clusterToken, after.topology.etcd.clusterToken];
  if (from === to) return [];
  return [
    safe(
      changeId('etcd-cluster-token', from),
      `etcd cluster token ${from} → ${to}`,
      `no effect on the running cluster: etcd reads --initial-cluster-token only when a member bootstraps an empty data dir, so the cluster keeps ${from} (members added later join by ${code('member add')}, which does not use it); every member restarts once`,
    ),
  ];
};

const TUNING_FLAGS = [
  ['quotaBackendBytes', 'quota-backend-bytes'],
  ['snapshotCount', 'snapshot-count'],
] as const;

/** What the members keep between compactions, in the unit the mode gives the retention (etcdFlags.ts). */
type History = { unit: 'revisions'; amount: number } | { unit: 'hours'; amount: number };

function compactionHistory(mode: 'revision' | 'periodic', text: string): History | undefined {
  const retention = parseRetention(text);
  if (!retention) return undefined;
  if (mode === 'periodic') return { unit: 'hours', amount: retention.kind === 'whole' ? retention.value : retention.hours };
  // A duration in revision mode is a count of nanoseconds as revisions (the rule etcd-compaction-retention refuses it).
  return { unit: 'revisions', amount: retention.kind === 'whole' ? retention.value : retention.hours * 3.6e12 };
}

const describeHistory = (history: History): string =>
  history.unit === 'revisions' ? `the last ${history.amount} revisions` : `${history.amount} ${history.amount === 1 ? 'hour' : 'hours'}${history.amount >= 48 ? ` (~${Math.round(history.amount / 24)} days)` : ''} of history`;

/**
 * Auto-compaction decides how much history the members keep, and so how large the database grows towards the quota:
 * more history (another unit, or a longer retention) can fill it, and at the quota etcd raises NOSPACE and refuses
 * every write. In periodic mode a bare number is hours (etcd 3.5 server/embed/etcd.go): "1000" revisions become
 * 1000 hours, ~41 days.
 */
export const etcdCompactionChanged: Classifier = ({ before, after }) => {
  const [was, is] = [before.topology.etcd, after.topology.etcd];
  if (was.autoCompactionMode === is.autoCompactionMode && was.autoCompactionRetention === is.autoCompactionRetention) return [];
  const flags = (etcd: typeof was) => `--auto-compaction-mode ${etcd.autoCompactionMode} --auto-compaction-retention ${etcd.autoCompactionRetention}`;
  const id = changeId('etcd-flag', was.autoCompactionMode === is.autoCompactionMode ? 'auto-compaction-retention' : 'auto-compaction-mode');
  const what = `etcd ${flags(was)} → ${flags(is)}`;
  const [from, to] = [compactionHistory(was.autoCompactionMode, was.autoCompactionRetention), compactionHistory(is.autoCompactionMode, is.autoCompactionRetention)];
  if (from && to && from.unit === to.unit && to.amount <= from.amount) {
    return [safe(id, what, `the members keep ${describeHistory(to)} instead of ${describeHistory(from)}: less history, a smaller database; every member restarts once with it, one at a time (deploy rolls them)`)];
  }
  const quota = after.topology.etcd.quotaBackendBytes;
  return [
    care(
      id,
      what,
      `the members keep ${to ? describeHistory(to) : is.autoCompactionRetention} instead of ${from ? describeHistory(from) : was.autoCompactionRetention}${
        is.autoCompactionMode === 'periodic' && /^\d+$/.test(is.autoCompactionRetention) ? ` (in periodic mode a bare number is hours)` : ''
      }: the database grows with the history it keeps, and once it reaches the quota (${quota} bytes) etcd raises the NOSPACE alarm and refuses every write (Milvus stops)`,
      [
        `${etcdctl(before.model, 'endpoint status --cluster -w table')}: note every DB SIZE; to keep about the same history, write the retention in the new unit (a duration such as ${code('1h')} in periodic mode)`,
        'deploy; every member restarts once, one at a time (deploy rolls them)',
        `watch DB SIZE for a retention period: it must level off well below ${quota} bytes; if not, shorten the retention (${code('etcdctl compact <revision>')} and ${code('etcdctl defrag --cluster')} free space meanwhile)`,
      ],
    ),
  ];
};

/** Tuning flags apply on restart; only a lower quota can stop writes (etcd's NOSPACE alarm). */
export const etcdTuningChanged: Classifier = ({ before, after }) =>
  TUNING_FLAGS.flatMap(([field, flag]): Change[] => {
    const [from, to] = [before.topology.etcd[field], after.topology.etcd[field]];
    if (from === to) return [];
    const id = changeId('etcd-flag', flag);
    const what = `etcd --${flag} ${from} → ${to}`;
    if (field === 'quotaBackendBytes' && Number(to) < Number(from)) {
      return [
        care(
          id,
          what,
          'a lower backend quota: a member whose database is already larger raises the NOSPACE alarm and etcd refuses every write (Milvus stops)',
          [
            `${etcdctl(before.model, 'endpoint status --cluster -w table')}: every DB SIZE is well below ${to} bytes`,
            `if not: compact and defragment first (${code('etcdctl compact <revision>')}, ${code('etcdctl defrag --cluster')})`,
            'deploy; every member restarts once, one at a time (deploy rolls them)',
          ],
        ),
      ];
    }
    return [safe(id, what, 'a tuning flag the members read at start: every member restarts once with it, one at a time (deploy rolls them), and no data changes')];
  });

/** The client port is inside the overlay network; clients outside use the proxy's published port. */
export const etcdClientPortChanged: Classifier = ({ before, after }) => {
  const [from, to] = [before.topology.etcd.clientPort, after.topology.etcd.clientPort];
  if (from === to) return [];
  return [
    safe(
      changeId('etcd-client-port', from),
      `etcd client port ${from} → ${to}`,
      'a port inside the stack network: members listen on and advertise it, and the proxy follows (its --endpoints), whose ports do not change; every member restarts once',
    ),
  ];
};

/** etcd keeps each member's peer URL in the membership and ignores --initial-advertise-peer-urls once it has data. */
export const etcdPeerPortChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.etcd.peerPort, after.topology.etcd.peerPort];
  if (from === to) return [];
  return [
    destructive(
      changeId('etcd-peer-port', from),
      `etcd peer port ${from} → ${to}`,
      `the membership keeps every member's peer URL at :${from}: after the deploy restarts all members listening on :${to}, each dials the others at the old URL, no quorum forms, and etcd stops until the change is reverted`,
      [
        ...after.model.etcd.members.map(
          (member) =>
            `${etcdctl(before.model, `member update <id of ${member.name}> --peer-urls=${member.peerUrl}`)}, then restart ${member.name} alone on :${to} (${code(`docker service update --args … ${swarmService(before.model, member.name)}`)} with its command from the rendered stack.yaml), and wait until it is healthy`,
        ),
        `${deploy(environment)}: every member already listens on :${to}`,
      ],
    ),
  ];
};
