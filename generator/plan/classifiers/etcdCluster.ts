// Cluster-wide etcd settings: the image (read as a version), the bootstrap token, tuning flags and ports.
import { imageTag } from '../../topology/rules/images.ts';
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier, Comparison } from '../comparison.ts';
import { code, deploy, etcdctl, etcdHealthy, swarmService } from '../runbook.ts';
import { etcdVersion, formatEtcdVersion, imageRepository } from '../versions.ts';

/**
 * etcd upgrades one minor version at a time, member by member, and never downgrades a minor by restarting. One
 * function over about 65 lines because it is one decision (unreadable, patch, one minor, skip, downgrade) read top to
 * bottom; issue 11 rewrites the downgrade and 3.5 → 3.6 branches, so it is left whole until then.
 */
export const etcdVersionStep: Classifier = (comparison) => {
  const [from, to] = [comparison.before.model.etcd.image, comparison.after.model.etcd.image];
  if (from === to) return [];
  const id = changeId('etcd-version', imageTag(to) ?? to);
  const what = `etcd image ${from} → ${to}`;
  const [was, is] = [etcdVersion(from), etcdVersion(to)];
  if (!was || !is) {
    return [
      care(
        id,
        what,
        `cannot read a version from the tag of ${!was ? from : to} (expected one like v3.5.5): check by hand that it is the same minor version or the next one, never a skipped or an older minor`,
        rollingUpgrade(comparison),
      ),
    ];
  }
  const [a, b] = [formatEtcdVersion(was), formatEtcdVersion(is)];
  const minorStep = is.major !== was.major ? Number.POSITIVE_INFINITY * Math.sign(is.major - was.major) : is.minor - was.minor;
  if (minorStep === 0) {
    if (imageRepository(from) !== imageRepository(to)) {
      return [
        care(
          id,
          what,
          `the same etcd ${b} from another repository (${imageRepository(from)} → ${imageRepository(to)}): another build may lack the etcd binary on its PATH or the health probe`,
          [`${code(`docker run --rm ${to} etcd --version`)} prints ${b}`, ...rollingUpgrade(comparison)],
        ),
      ];
    }
    return [
      safe(
        id,
        what,
        `a patch ${is.patch > was.patch ? 'upgrade' : 'downgrade'} within etcd ${was.major}.${was.minor}: one storage format, so members may run either; every member and the proxy restart once on the new image`,
      ),
    ];
  }
  if (minorStep === 1) {
    return [
      care(
        id,
        what,
        `one minor version step (${a} → ${b}): etcd supports it one member at a time while the cluster runs mixed versions; it switches its cluster version once every member runs ${was.major}.${is.minor}`,
        [`read etcd's upgrade guide for ${was.major}.${was.minor} → ${is.major}.${is.minor}: it asks for the latest ${was.major}.${was.minor} patch release first`, ...rollingUpgrade(comparison)],
      ),
    ];
  }
  if (minorStep > 1) {
    const skipped = is.major === was.major ? Array.from({ length: minorStep - 1 }, (_, i) => `${was.major}.${was.minor + i + 1}`) : [`every minor after ${was.major}.${was.minor}`];
    return [
      destructive(
        id,
        what,
        `skips etcd ${skipped.join(', ')}: etcd upgrades one minor version at a time, and members that skip one may not read the data or join the cluster`,
        [`upgrade through each minor version in its own change (${a} → ${was.major}.${was.minor + 1}.x → …), each deployed and healthy before the next`],
      ),
    ];
  }
  return [
    destructive(
      id,
      what,
      `a minor version downgrade (${a} → ${b}): members of the older minor refuse data written at the newer cluster version; etcd downgrades only through ${code('etcdctl downgrade enable')} (3.6 and later), one minor at a time`,
      [`${etcdctl(comparison.before.model, `downgrade validate ${is.major}.${is.minor}`)}, then ${code(`downgrade enable ${is.major}.${is.minor}`)}`, ...rollingUpgrade(comparison)],
    ),
  ];
};

/** Swarm would restart every member at once; a version change goes member by member with `docker service update`. */
function rollingUpgrade({ environment, before, after }: Comparison): string[] {
  const members = before.topology.etcd.members.map((member) => member.name);
  return [
    `before: ${etcdHealthy(before.model)}, and save a snapshot: ${code(`docker run --rm --network ${before.model.network.name} -v "$PWD:/backup" ${before.model.etcd.image} etcdctl --endpoints=http://${members[0]}:${before.model.etcd.clientPort} snapshot save /backup/etcd-before-upgrade.db`)}`,
    ...members.map(
      (name, index) =>
        `${index === 0 ? '' : 'then '}${code(`docker service update --image ${after.model.etcd.image} ${swarmService(before.model, name)}`)}, and wait until every member is healthy again`,
    ),
    `${deploy(environment)}: the members already run ${after.model.etcd.image}; the proxy follows`,
  ];
}

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
  ['autoCompactionMode', 'auto-compaction-mode'],
  ['autoCompactionRetention', 'auto-compaction-retention'],
  ['quotaBackendBytes', 'quota-backend-bytes'],
  ['snapshotCount', 'snapshot-count'],
] as const;

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
      'a port inside the stack network: members listen on and advertise it, and the proxy follows (its --endpoints); Milvus uses the proxy, whose ports do not change; every member restarts once',
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
