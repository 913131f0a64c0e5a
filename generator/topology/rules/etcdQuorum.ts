import { error } from '../problems.ts';
import type { Rule } from './rule.ts';

/** An even member count adds a failure point without adding tolerance; fewer than 3 tolerates no failure. */
export const etcdQuorumSize: Rule = {
  name: 'etcd-quorum-size',
  why: 'etcd keeps working while a majority of members is up: 3 survive 1 loss, 5 survive 2',
  check(topology) {
    const count = topology.etcd.members.length;
    if (count >= 3 && count % 2 === 1) return [];
    return [
      error(
        ['etcd', 'members'],
        `expected an odd number of etcd members, at least 3, got ${count}: ${count} ${count === 1 ? 'member survives' : 'members survive'} the loss of ${Math.max(0, Math.ceil(count / 2) - 1)}`,
      ),
    ];
  },
};
