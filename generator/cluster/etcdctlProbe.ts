// One container on the stack's network for all of a deploy's etcdctl calls, each a `docker exec`, instead of a one-off
// container per call. A one-off container is created (the image's whole root copied on a vfs engine), attached to the
// overlay network (an attachment the managers allocate), started and removed: about a second of a busy manager's
// time, 2 s under CI's load, and a deploy makes dozens (236 in one CI run's staging drills, one after another). An
// exec into a running container costs a fraction of that.
//
// The etcd image has no shell and no sleep (distroless upstream), so what keeps the container up is etcd itself: a
// single-node etcd of its own, bound to 127.0.0.1 inside the container, that nothing outside can reach and nothing
// asks. etcdctl then runs beside it against the members by service name, as the one-off container did.
//
// Never worse than before: when the probe cannot be started, or stops answering (`docker exec` refused: the container
// is gone or not running), that call and the rest of the deploy use one-off containers again (stackNetworkRun.ts).
import { randomBytes } from 'node:crypto';
import type { DockerResult, DockerRunner } from '../docker/runner.ts';
import { etcdctlArguments, etcdctlRun, stackNetworkContainer, type EtcdctlTarget } from './etcdctl.ts';
import { runOnStackNetwork } from './stackNetworkRun.ts';

const START_MS = 30_000;
const REMOVE_MS = 15_000;
/** docker's answers when the probe itself is the problem, not etcd: exec into a container that is gone or stopped. */
const PROBE_GONE = /^(Error response from daemon: .*(No such container|is not running|is paused|is restarting)|Error: No such container)/im;

export type EtcdctlCall = (endpoints: readonly string[], command: readonly string[], timeoutMs: number) => Promise<DockerResult & { tries: number }>;

export interface EtcdctlProbe {
  call: EtcdctlCall;
  /** Removes the container (best effort); calls after this run one-off containers. */
  close(): Promise<void>;
}

/** The probe's `docker run -d`: the etcd image's own etcd, on localhost only, as the container's process. */
export function probeRunArgs(target: EtcdctlTarget, name: string): string[] {
  const here = 'http://127.0.0.1';
  return [
    'run',
    '--detach',
    ...stackNetworkContainer(target, name, 'etcd'),
    `--name=${name}`,
    '--data-dir=/tmp/milvus-swarm-etcdctl',
    `--listen-client-urls=${here}:32379`,
    `--advertise-client-urls=${here}:32379`,
    `--listen-peer-urls=${here}:32380`,
    `--initial-advertise-peer-urls=${here}:32380`,
    `--initial-cluster=${name}=${here}:32380`,
    '--log-level=error',
  ];
}

/** The etcdctl command line inside the probe: the one-off container's, after `--entrypoint etcdctl IMAGE`. */
export function probeExecArgs(name: string, endpoints: readonly string[], command: readonly string[]): string[] {
  return ['exec', name, 'etcdctl', ...etcdctlArguments(endpoints, command)];
}

/** A one-off container per call: what every call did before, and what a probe that failed falls back to. */
export function oneOffCalls(runner: DockerRunner, target: EtcdctlTarget, prefix: string): EtcdctlCall {
  return (endpoints, command, timeoutMs) => runOnStackNetwork(runner, { network: target.network, args: etcdctlRun(target, `${prefix}-${randomBytes(4).toString('hex')}`, endpoints, command).args, timeoutMs: () => timeoutMs });
}

/** The probe is started by the first call (a deploy that asks etcd nothing starts none). */
export function etcdctlProbe(runner: DockerRunner, target: EtcdctlTarget, prefix = 'milvus-swarm-step'): EtcdctlProbe {
  const oneOff = oneOffCalls(runner, target, prefix);
  const name = `${prefix}-probe-${randomBytes(4).toString('hex')}`;
  let started: Promise<boolean> | undefined;
  let usable = true;
  let created = false;
  const start = async (timeoutMs: number): Promise<boolean> => {
    created = true;
    const run = await runOnStackNetwork(runner, { network: target.network, args: probeRunArgs(target, name), timeoutMs: () => Math.min(START_MS, timeoutMs) });
    if (run.code === 0 && !run.timedOut) return true;
    // A start that timed out on our side may still have made it.
    await runner(['rm', '--force', name], { timeoutMs: REMOVE_MS }).catch(() => undefined);
    return false;
  };
  return {
    async call(endpoints, command, timeoutMs) {
      if (usable) {
        // Within the first caller's time: its deadline is the whole call's, start included.
        started ??= start(timeoutMs);
        if (await started) {
          const result = await runner(probeExecArgs(name, endpoints, command), { timeoutMs });
          if (result.code === 0 || !PROBE_GONE.test(result.stderr)) return { ...result, tries: 1 };
        }
        usable = false;
      }
      return oneOff(endpoints, command, timeoutMs);
    },
    async close() {
      usable = false;
      // A start still under way would otherwise leave its container behind.
      if (started) await started.catch(() => false);
      if (created) await runner(['rm', '--force', name], { timeoutMs: REMOVE_MS }).catch(() => undefined);
    },
  };
}
