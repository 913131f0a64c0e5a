import { error, type Problem, type TopologyPath } from '../problems.ts';
import type { HealthcheckSetting, Topology } from '../schema.ts';
import { knownMissing, probeProgram } from '../imageTools.ts';
import type { Rule } from './rule.ts';

type Who = 'etcd-member' | 'etcd-proxy' | 'minio-node' | 'minio-proxy';

/** Each healthcheck with where it stands, whose it is, and the image it runs in. */
const settings = (topology: Topology): [HealthcheckSetting, TopologyPath, Who, [string, TopologyPath]][] => [
  [topology.etcd.healthcheck, ['etcd', 'healthcheck'], 'etcd-member', [topology.etcd.image, ['etcd', 'image']]],
  [topology.etcd.proxy.healthcheck, ['etcd', 'proxy', 'healthcheck'], 'etcd-proxy', [topology.etcd.image, ['etcd', 'image']]],
  [topology.minio.healthcheck, ['minio', 'healthcheck'], 'minio-node', [topology.minio.image, ['minio', 'image']]],
  [topology.minio.proxy.healthcheck, ['minio', 'proxy', 'healthcheck'], 'minio-proxy', [topology.minio.proxy.image, ['minio', 'proxy', 'image']]],
];

const WHOSE: Record<Who, string> = { 'etcd-member': "the etcd members'", 'etcd-proxy': "the etcd proxy's", 'minio-node': "the MinIO nodes'", 'minio-proxy': "the MinIO load balancer's" };

/**
 * Swarm publishes a task's DNS name only once its healthcheck passes: an etcd member probed with etcdctl (which
 * needs quorum) never lets its peers find it, and the cluster never forms (seen: milvus-io/milvus#26692). etcdctl is
 * in etcd images only; http and exec need the command to run, none and etcdctl take none; and the command's program
 * must ship in the image the probe runs in, where we know it does not (topology/imageTools.ts).
 */
export const healthchecksFit: Rule = {
  name: 'healthchecks-fit',
  why: 'a probe that needs quorum deadlocks etcd, and one its image cannot run (no curl in MinIO images from RELEASE.2023-11-01) keeps its tasks unhealthy',
  check(topology) {
    return settings(topology).flatMap(([setting, at, who, [image, imageAt]]): Problem[] => {
      const problems: Problem[] = [];
      const needsCommand = setting.probe === 'http' || setting.probe === 'exec';
      if (needsCommand && !setting.command) problems.push(error([...at, 'probe'], `probe ${setting.probe} needs a command, e.g. command: [curl, -fsS, -o, /dev/null, --max-time, "3"]`));
      if (!needsCommand && setting.command) problems.push(error([...at, 'command'], `probe ${setting.probe} runs no command of yours: remove command, or use probe http or exec`));
      if (setting.probe === 'etcdctl' && who === 'etcd-member') {
        problems.push(
          error(
            [...at, 'probe'],
            'etcdctl needs quorum, and swarm publishes a member\'s name only once it is healthy: the members would never find each other; use probe none (quorum is verify\'s job) or http on the peer port (an image with curl)',
          ),
        );
      }
      if (setting.probe === 'etcdctl' && (who === 'minio-node' || who === 'minio-proxy')) {
        problems.push(error([...at, 'probe'], `etcdctl ships in etcd images only, not in ${who === 'minio-node' ? 'MinIO' : 'nginx'}'s: use http or exec`));
      }
      // The probe runs inside the service's image: a program it is known not to ship never passes (imageTools.ts).
      const program = needsCommand ? probeProgram(setting.command) : undefined;
      const missing = program === undefined ? undefined : knownMissing(image, program);
      if (missing) {
        // Reported at the image: the healthcheck is often the schema's default, not written in the file.
        problems.push(error(imageAt, `${WHOSE[who]} healthcheck runs ${program} inside ${image}, which has none: ${missing}; the tasks would never turn healthy, and swarm would never publish them`));
      }
      return problems;
    });
  },
};
