// The SHA-256 of swarm secrets' values, for a takeover's credential check (takeover.ts): swarm never hands a secret's
// value back, so a one-shot job on a manager mounts them and prints `sha256sum` of each — the digests reach this
// process, the values never leave the job. Read-only: the job is removed whatever happened.
import { hostJobArgs, runJob } from '../docker/jobs.ts';
import type { DockerRunner } from '../docker/runner.ts';
import type { ClusterModel } from '../model/types.ts';
import { digestJobName } from '../topology/swarmNames.ts';

export const DIGEST_LABEL = 'io.milvus-swarm.digest';
const TIMEOUT_MS = 90_000;

/** `sha256sum` lines (`<hex>  /run/secrets/<name>`) as secret name → digest. */
export function parseDigests(output: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\/run\/secrets\/(\S+)$/.exec(line.trim());
    if (match) digests.set(match[2]!, match[1]!);
  }
  return digests;
}

export async function secretDigests(runner: DockerRunner, model: ClusterModel, names: readonly string[]): Promise<{ digests: Map<string, string>; problem?: string }> {
  const unique = [...new Set(names)].sort();
  if (unique.length === 0) return { digests: new Map() };
  const name = digestJobName(model.stack, Date.now().toString(36).slice(-8));
  const args = [
    ...hostJobArgs({ name, label: `${DIGEST_LABEL}=${model.stack}`, constraints: ['node.role == manager'], resolveImage: model.swarm.resolveImage }),
    ...unique.flatMap((secret) => ['--secret', `source=${secret},target=${secret}`]),
    '--entrypoint',
    'sha256sum',
    model.swarm.helperImage,
    ...unique.map((secret) => `/run/secrets/${secret}`),
  ];
  const run = await runJob(runner, name, args, TIMEOUT_MS);
  if (run.state.kind !== 'complete') return { digests: new Map(), problem: `reading the digests of ${unique.join(', ')} (a job of ${model.swarm.helperImage} on a manager): ${run.state.kind === 'failed' ? run.state.error : 'not finished'}` };
  return { digests: parseDigests(run.output) };
}
