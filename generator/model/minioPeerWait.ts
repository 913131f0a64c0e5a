// A MinIO node starts only once every peer's name resolves.
//
// MinIO caches DNS answers, failures included, and in a container it refreshes that cache every 30 s
// (cmd/common-main.go: rs/dnscache, PersistOnFailure false). Swarm publishes a task's name only once its healthcheck
// passes. When every node restarts together (a pool added, an image bumped, a first deploy), each MinIO looks its
// peers up before their first probe has passed, caches "no such host", and waits for the next refresh. Measured on
// staging: every node logged "lookup minio2 … no such host" at start and initialised 30.0 s later. From another
// container the same names resolved 6 s after the restart.
//
// So the node's entrypoint waits until every peer's name resolves, and then execs MinIO. While it waits, its
// healthcheck passes on a marker file, so that its own name is published for the peers that wait for it: otherwise
// every node would wait for the others. The wait is bounded; past the bound MinIO starts anyway, as it did before.
// 20 s: names were published 2–6 s after a restart on staging; a peer whose host is down never resolves, and a node
// restarting beside it (a crash) waits the bound before serving, so the bound is short.
// Names are resolved with curl, which the healthcheck already needs (exit 6: the host did not resolve; refused or
// timed out means the name is there: a lookup slower than curl's 1 s, an unreachable upstream resolver, ends the
// wait early, as before this wait existed). Images without curl (MinIO after RELEASE.2023-11-01) keep `minio` as their
// entrypoint.
import { untilNamesResolve } from './nameWait.ts';
import type { Healthcheck } from './types.ts';

/** How long, in all, a node waits for its peers' names before MinIO starts anyway. */
export const PEER_WAIT_SECONDS = 20;
/** Exists while the entrypoint waits: the healthcheck passes on it. */
export const PEER_WAIT_MARKER = '/tmp/minio-start.waiting';
const CURL_COULD_NOT_RESOLVE = 6;

/** Whether the node's healthcheck runs curl, so the image has curl for the wait. */
export const canWaitForPeers = (check: Healthcheck | undefined): check is Healthcheck => check !== undefined && check.test[0] === 'CMD' && check.test[1] === 'curl';

/**
 * The entrypoint's script (one line: the stack file writes the entrypoint as a flow list). No word starts with
 * `http://`: the takeover reads drive endpoints from the whole command line.
 */
export function waitForPeers(peers: readonly string[], apiPort: number): string {
  const resolves = `curl -s -o /dev/null --max-time 1 "$name:${apiPort}/minio/health/live"; [ "$?" -ne ${CURL_COULD_NOT_RESOLVE} ]`;
  return [
    // sh as PID 1 ignores SIGTERM unless it traps it: a task stopped while it waits goes at once, not after the grace
    // period. exec resets the trap, so MinIO gets the signal as before.
    "trap 'exit 143' TERM INT",
    `touch ${PEER_WAIT_MARKER}`,
    untilNamesResolve({ names: peers, resolves, seconds: PEER_WAIT_SECONDS, who: 'minio-start', what: 'MinIO' }),
    `rm -f ${PEER_WAIT_MARKER}`,
    'exec "$@"',
  ].join('; ');
}

/** The healthcheck that also passes while the entrypoint waits (the same probe once MinIO runs). */
export function healthyWhileWaiting(check: Healthcheck): Healthcheck {
  const probe = check.test.slice(1).map(shellWord).join(' ');
  return { ...check, test: ['CMD', 'sh', '-c', `${probe} || [ -e ${PEER_WAIT_MARKER} ]`] };
}

const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
