import { error, type Problem, type TopologyPath } from '../problems.ts';
import type { HealthcheckSetting, Topology } from '../schema.ts';
import type { Rule } from './rule.ts';

type Who = 'etcd-member' | 'etcd-proxy' | 'minio-node' | 'minio-proxy';

const settings = (topology: Topology): [HealthcheckSetting, TopologyPath, Who][] => [
  [topology.etcd.healthcheck, ['etcd', 'healthcheck'], 'etcd-member'],
  [topology.etcd.proxy.healthcheck, ['etcd', 'proxy', 'healthcheck'], 'etcd-proxy'],
  [topology.minio.healthcheck, ['minio', 'healthcheck'], 'minio-node'],
  [topology.minio.proxy.healthcheck, ['minio', 'proxy', 'healthcheck'], 'minio-proxy'],
];

/**
 * Swarm publishes a task's DNS name only once its healthcheck passes: an etcd member probed with etcdctl (which
 * needs quorum) never lets its peers find it, and the cluster never forms (seen: milvus-io/milvus#26692). etcdctl is
 * in etcd images only; http and exec need the command to run, none and etcdctl take none.
 */
export const healthchecksFit: Rule = {
  name: 'healthchecks-fit',
  why: 'a probe that needs quorum deadlocks etcd, and one an image cannot run keeps its tasks unhealthy',
  check(topology) {
    return settings(topology).flatMap(([setting, at, who]): Problem[] => {
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
      return problems;
    });
  },
};
