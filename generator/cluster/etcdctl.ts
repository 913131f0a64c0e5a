// etcdctl on the stack's network, as the runbook runs it: a short-lived container of the etcd image on the attachable
// overlay network, against the members by service name. The docker command line and docker's own failures are here;
// what etcdctl's answers mean is each caller's (verify's rows, deploy's steps, a restore's health wait).
import { dockerFailure } from '../docker/cli.ts';

/** etcdctl's own limits inside the container, so it gives up (and says why) before our process deadline. */
export const ETCDCTL_DIAL_TIMEOUT = '2s';
// endpoint status asks the members one after another, each up to the command timeout (a refused connection also
// waits it out): 2 s keeps three dead members under 7 s, and a live member answers status in milliseconds.
export const ETCDCTL_COMMAND_TIMEOUT = '2s';

export const VERIFY_CONTAINER_LABEL = 'io.milvus-swarm.verify';

export interface EtcdctlRun {
  /** The container's name, unique per run, so a container left by a killed client can be removed by name. */
  name: string;
  args: string[];
}

export interface EtcdctlTarget {
  network: string;
  image: string;
  stack: string;
}

/** `docker run` of etcdctl on the stack's network. No shell: the etcd image may have none (distroless). */
export function etcdctlRun(target: EtcdctlTarget, name: string, endpoints: readonly string[], command: readonly string[]): EtcdctlRun {
  return { name, args: ['run', ...stackNetworkContainer(target, name, 'etcdctl'), ...etcdctlArguments(endpoints, command)] };
}

/** After `docker run [--detach]`: a container of the etcd image on the stack's network, removed when it exits, labelled for cleanup. */
export function stackNetworkContainer(target: EtcdctlTarget, name: string, entrypoint: 'etcdctl' | 'etcd'): string[] {
  return ['--rm', '--name', name, '--label', `${VERIFY_CONTAINER_LABEL}=${target.stack}`, '--network', target.network, '--entrypoint', entrypoint, target.image];
}

/** etcdctl's arguments: the members, its own limits (inside our process deadline), the command, JSON out. */
export function etcdctlArguments(endpoints: readonly string[], command: readonly string[]): string[] {
  return [`--endpoints=${endpoints.join(',')}`, `--dial-timeout=${ETCDCTL_DIAL_TIMEOUT}`, `--command-timeout=${ETCDCTL_COMMAND_TIMEOUT}`, ...command, '-w', 'json'];
}

export interface MemberEndpoint {
  name: string;
  /** The topology's host, named beside the member when it does not answer (a host down or cut off). */
  host?: string;
  /** `etcd1:2379`, as the runbook addresses members on the overlay network. */
  endpoint: string;
}

export const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

/**
 * docker's own failures: the container never ran (or never ran etcdctl), so etcdctl's output says nothing about etcd.
 * docker run exits 125 when the daemon refused, 126/127 when the command could not be run; the CLI then ends with
 * "Run 'docker run --help' for more information", which is never the reason: dockerFailure finds the daemon's line.
 */
export function containerProblem(code: number, stderr: string): string | undefined {
  if (!(code >= 125 && code <= 127) && !DOCKER_RUN_HINT.test(stderr)) return undefined;
  const line = dockerFailure({ code, stderr, stdout: '', timedOut: false, elapsedMs: 0 });
  const hint = /network .* not found/i.test(line)
    ? ': is the stack deployed? (docker network ls)'
    : /unable to find image|pull access denied|manifest unknown|no such image/i.test(line)
      ? ': the etcd image is not on this node and cannot be pulled'
      : '';
  return `the etcdctl container did not start: ${line}${hint}`;
}

const DOCKER_RUN_HINT = /Run 'docker run --help'/;

/** etcd prints member and cluster ids in hex (etcdctl -w table, the logs); JSON has them in decimal. */
export function hexId(decimal: string): string {
  try {
    return BigInt(decimal).toString(16);
  } catch {
    return decimal;
  }
}
