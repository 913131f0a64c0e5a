// runCommand starts every child in a session of its own, so that a timeout kills its whole process group. On Linux
// with autogroup scheduling (kernel.sched_autogroup_enabled=1, Debian's default) a new session is also a new
// scheduling group, and a group starts at nice 0 whatever its first process's nice: the groups then share the CPU
// equally. A caller running at low priority (`nice -n 10`) therefore lost its priority in every command it ran: the
// test suite's niced background build of Prometheus (`go install` through runCommand; since replaced by a lane of its
// own) took half of the two cores from the build of etcd and MinIO that everything waited on (cold CI run of 2026-12-07
// 22:55, `/proc/<pid>/autogroup`).
// So a niced caller's nice is given to its child's group too; at nice 0 nothing is written.
import { writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';

/**
 * Gives the child's scheduling group the caller's nice (best effort: no autogroup, no /proc, nothing to do). At once
 * after spawn and before anything is written to the child's stdin.
 */
export function keepCallerPriority(childPid: number | undefined): void {
  const nice = getPriority();
  if (childPid === undefined || nice <= 0) return;
  try {
    writeFileSync(`/proc/${childPid}/autogroup`, String(nice));
  } catch {
    // The child is gone already, or this kernel has no autogroup scheduling: plain nice is all there is.
  }
}
