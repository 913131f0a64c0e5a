// The executable steps of a plan: one value that `plan` shows and deploy runs (issue 11), so what a reviewer
// approves is what happens. Classifiers of care changes produce them (planSteps.ts orders the whole plan); each
// step says what it does to which member, node or pool, which changes it carries out, what must hold before the
// next step starts, and the command that does the same by hand.
import { code } from '../render/markdown.ts';

/** Checks a step waits for. Row ids of `verify` where one exists; the others are the step runner's own. */
export const CHECKS = {
  etcdStatus: 'etcd-members:endpoint-status',
  etcdMemberList: 'etcd-members:member-list',
  swarmServices: 'swarm:services',
  minioHealth: 'minio:cluster-health',
  minioDrives: 'minio:nodes-drives',
  /** The member is listed (as a learner, not started yet). */
  memberListed: (member: string) => `etcd-member:${member}:listed`,
  /** The learner has caught up with the leader: etcd accepts its promotion only then. */
  memberSynced: (member: string) => `etcd-member:${member}:synced`,
  memberVoting: (member: string) => `etcd-member:${member}:voting`,
  memberGone: (member: string) => `etcd-member:${member}:gone`,
  leaderIsNot: (member: string) => `etcd-member:${member}:not-leader`,
  poolDecommissioned: (pool: string) => `minio-pool:${pool}:decommissioned`,
} as const;

/** How the stack deploy treats etcd members whose spec changes: one at a time (deploy's rolling phase) or all at once. */
export type EtcdMembersRestart = 'rolling' | 'together';

interface StepBase {
  /** `<kind>:<subject>`, unique in a plan: a stopped deploy names it, and a resumed one finds its place by it. */
  id: string;
  /** The ids of the changes this step carries out. */
  changes: string[];
  /** What must pass before the next step starts (CHECKS). */
  verifyAfter: string[];
  /** A change id deploy needs under `acknowledge:` before it runs this step: it deletes data or pauses a cluster. */
  acknowledgement?: string;
  /** The same by hand, as one command line an operator can paste (on a manager). */
  command?: string;
}

export type Step = StepBase &
  (
    | { kind: 'etcd-member-add'; member: string; peerUrl: string; /** No vote until promoted: quorum is untouched. */ learner: true; /** Members asked. */ through: string[] }
    | {
        kind: 'etcd-member-start';
        member: string;
        host?: string;
        dataDir: string;
        /** `name=peerUrl` of every member the cluster lists at this moment, the new one included (etcd checks it). */
        initialCluster: string[];
        initialClusterState: 'existing';
      }
    | { kind: 'etcd-member-promote'; member: string }
    | { kind: 'etcd-move-leader'; /** Leadership moves to another voting member when this one leads (else nothing). */ awayFrom: string }
    | { kind: 'etcd-member-remove'; member: string; through: string[] }
    | { kind: 'etcd-data-dir-empty'; /** Whose data it holds. */ member: string; host?: string; dataDir: string }
    | { kind: 'etcd-member-restart'; member: string }
    | { kind: 'etcd-members-roll'; /** Each restarts on its rendered spec alone, in the order rollingOrder gives at run time. */ members: string[] }
    | { kind: 'service-remove'; services: string[] }
    | { kind: 'minio-pool-add'; pool: string; /** Every MinIO node, restarted together on the new command line. */ nodes: string[] }
    | { kind: 'minio-pool-decommission'; /** The pool's server argument, as MinIO names it. */ pool: string; nodes: string[] }
    | { kind: 'stack-deploy'; stack: string; etcdMembers: EtcdMembersRestart; /** Why members restart together. */ reason?: string }
  );

export type StepKind = Step['kind'];

const listOf = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/** The step in the operator's words, as the plan prints it (its command follows, when it has one). */
export function describeStep(step: Step): string {
  const what = stepWords(step);
  const gate = step.acknowledgement ? ` (runs only with ${code(step.acknowledgement)} under ${code('acknowledge:')})` : '';
  return `${what}${gate}${step.command ? `: ${code(step.command)}` : ''}`;
}

function stepWords(step: Step): string {
  switch (step.kind) {
    case 'etcd-member-add':
      return `add ${step.member} as a learner (no vote, so quorum is untouched)`;
    case 'etcd-member-start':
      return `start ${step.member}${step.host ? ` on ${step.host}` : ''} on an empty ${step.dataDir} with --initial-cluster-state existing and --initial-cluster listing ${listOf(step.initialCluster.map((entry) => entry.split('=')[0]!))}`;
    case 'etcd-member-promote':
      return `promote ${step.member} to a voting member once it has caught up with the leader (etcd refuses before)`;
    case 'etcd-move-leader':
      return `if ${step.awayFrom} leads, move leadership to the most caught-up other voting member`;
    case 'etcd-member-remove':
      return `remove ${step.member} from the cluster (its process exits; the quorum shrinks with the cluster)`;
    case 'etcd-data-dir-empty':
      return `empty ${step.dataDir}${step.host ? ` on ${step.host}` : ''}: ${step.member}'s copy of the data, which the other members hold too`;
    case 'etcd-member-restart':
      return `restart ${step.member} on its rendered spec`;
    case 'etcd-members-roll':
      return `restart ${listOf(step.members)} one at a time on the rendered spec, each once every member answers with one leader: an unhealthy member first, followers next, the leader last after moving leadership away`;
    case 'service-remove':
      return `remove the service${step.services.length === 1 ? '' : 's'} ${listOf(step.services)}`;
    case 'minio-pool-add':
      return `restart every MinIO node (${listOf(step.nodes)}) together on the command line with pool ${step.pool}: S3 pauses until all are up`;
    case 'minio-pool-decommission':
      return `decommission pool ${step.pool} (${listOf(step.nodes)}): start, then poll its status until it is complete; its objects move to the other pools`;
    case 'stack-deploy':
      return `deploy the rendered stack${step.etcdMembers === 'together' ? `, every etcd member at once${step.reason ? ` (${step.reason})` : ''}` : ''}`;
  }
}
