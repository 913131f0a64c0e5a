// The shell loop both entrypoints that wait for swarm's DNS use (the load balancer's, model/minio.ts, and a MinIO
// node's, minioPeerWait.ts): until every name passes `resolves`, polling every 0.5 s, at most `seconds` for all of them;
// past that it says which name was missing and goes on. One line of `;`-joined commands: the stack file writes the
// entrypoint as a flow list.
export interface NameWait {
  names: readonly string[];
  /** A shell condition on "$name" that holds once the name resolves. */
  resolves: string;
  seconds: number;
  /** Who speaks in the message (nginx-start), and what starts anyway (nginx). */
  who: string;
  what: string;
}

export function untilNamesResolve(wait: NameWait): string {
  return [
    'tries=0',
    `for name in ${wait.names.join(' ')}; do until ${wait.resolves}; do tries=$((tries + 1))`,
    `if [ "$tries" -ge ${wait.seconds * 2} ]; then echo "${wait.who}: $name does not resolve after ${wait.seconds} s; starting ${wait.what} anyway" >&2; break; fi`,
    'sleep 0.5; done; done',
  ].join('; ');
}
