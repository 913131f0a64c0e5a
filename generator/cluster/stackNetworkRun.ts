// A one-off container on the stack's attachable overlay network (etcdctl, as the runbook runs it), with the one
// answer of docker's that is not about the container: "network <id> not found" for a network that exists. A node
// leaves an overlay network when its last task on it stops, and a container that attaches in that second is refused.
// Reproduced on the staging swarm (a service's only task on a manager removed, then `docker run --network` there:
// refused once, about a second after the removal, then served); seen in deploy when it removed a renamed proxy and its
// next etcdctl container, on the same manager, was refused before the roll.
import type { DockerResult, DockerRunner } from '../docker/runner.ts';

/**
 * docker's refusal while the node (re)joins the network, the network named by its id. Engine 20.10 says it as it is;
 * engines from 28 on wrap it: "failed to set up container networking: network <id> not found".
 */
const NETWORK_NOT_FOUND = /Error response from daemon: (?:failed to set up container networking: )?network \S+ not found/i;
export const REATTACH_TRIES = 4;
const REATTACH_PAUSE_MS = 1_000;
const INSPECT_MS = 5_000;

export interface StackNetworkRun {
  network: string;
  /** `docker run … --network <network> …`. */
  args: readonly string[];
  /** Each try's deadline, asked before the try (verify's budget shrinks as it goes). */
  timeoutMs: () => number;
}

/**
 * Runs the container; when docker refuses it with "network … not found" while the network exists, waits a second and
 * tries again (REATTACH_TRIES in all). The network really missing (no stack) is answered at once, as docker said it.
 */
export async function runOnStackNetwork(runner: DockerRunner, run: StackNetworkRun, pauseMs = REATTACH_PAUSE_MS): Promise<DockerResult & { tries: number }> {
  for (let tries = 1; ; tries++) {
    const result = await runner(run.args, { timeoutMs: run.timeoutMs() });
    if (tries >= REATTACH_TRIES || result.code !== 125 || !NETWORK_NOT_FOUND.test(result.stderr)) return { ...result, tries };
    // Within the caller's time: verify's budget may be nearly spent, and docker's own answer is then the better one.
    if (run.timeoutMs() <= pauseMs + INSPECT_MS) return { ...result, tries };
    const exists = await runner(['network', 'inspect', '--format', '{{.Id}}', run.network], { timeoutMs: Math.min(INSPECT_MS, run.timeoutMs()) });
    if (exists.code !== 0) return { ...result, tries };
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
