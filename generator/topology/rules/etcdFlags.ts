import { MAX_DURATION_HOURS, parseRetention } from '../etcdFlags.ts';
import { error } from '../problems.ts';
import type { Rule } from './rule.ts';

/** The schema checked the form; this checks that the form means what the mode says (etcdFlags.ts has etcd's rules). */
export const etcdCompactionRetention: Rule = {
  name: 'etcd-compaction-retention',
  why: 'etcd reads the retention by the compaction mode: revisions in revision mode, hours or a duration in periodic mode',
  check(topology) {
    const { autoCompactionMode: mode, autoCompactionRetention: text } = topology.etcd;
    const retention = parseRetention(text);
    const at = ['etcd', 'autoCompactionRetention'];
    if (!retention) return [];
    if (mode === 'revision' && retention.kind === 'duration') {
      return [error(at, `in revision mode the retention is a number of revisions, got "${text}": write a whole number such as 1000, or set autoCompactionMode: periodic`)];
    }
    if (mode === 'periodic') {
      const hours = retention.kind === 'whole' ? retention.value : retention.hours;
      if (hours > MAX_DURATION_HOURS) return [error(at, `${text}${retention.kind === 'whole' ? ' hours' : ''} is longer than etcd can count (at most ${MAX_DURATION_HOURS}h)`)];
    }
    return [];
  },
};
