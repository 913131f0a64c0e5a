// The rendered stack file, edited for a deploy done in steps: the services held back, the etcd members it renders
// with their spec hashes, each service's spec label, the update settings of MinIO nodes restarting together, and the
// temporary file a step deploys. Pure text in, text out (but writeStepFile, which only writes a temporary file).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ROLE_LABEL, SPEC_LABEL } from '../../render/stack.ts';

interface ComposeService {
  deploy?: { labels?: Record<string, string> };
}

interface Compose {
  services: Record<string, ComposeService>;
  configs?: Record<string, { file?: string; name?: string }>;
  [key: string]: unknown;
}


/** The etcd members of a rendered stack file, in file order, with the spec hash each would run. */
export function renderedMembers(stackText: string): { name: string; spec: string }[] {
  const compose = parse(stackText) as Compose;
  return Object.entries(compose.services)
    .filter(([, service]) => service.deploy?.labels?.[ROLE_LABEL] === 'etcd-member')
    .map(([name, service]) => ({ name, spec: service.deploy?.labels?.[SPEC_LABEL] ?? '' }));
}

/** The rendered stack without the held-back services; config files made absolute, since it is written elsewhere. */
export function stackWithout(stackText: string, heldBack: readonly string[], renderedDir: string): string {
  const compose = parse(stackText) as Compose;
  for (const name of heldBack) delete compose.services[name];
  for (const config of Object.values(compose.configs ?? {})) {
    if (config.file) config.file = path.resolve(renderedDir, config.file);
  }
  return stringify(compose, { lineWidth: 0 });
}

/** The spec label of each of these services in the rendered stack file. */
export function renderedSpecs(stackText: string, services: readonly string[]): Map<string, string | undefined> {
  const compose = parse(stackText) as { services: Record<string, { deploy?: { labels?: Record<string, string> } }> };
  return new Map(services.map((service) => [service, compose.services[service]?.deploy?.labels?.[SPEC_LABEL]]));
}


/**
 * The nodes' update settings for a restart together: swarm judges each service's update alone within its monitor
 * window and rolls it back when its task fails there, but a MinIO node restarting on a new command line answers its
 * healthcheck only once it has resolved its peers, which are restarting too (and a starting task is not in swarm's
 * DNS). So the file deployed apart says `failure_action: continue`: failed tasks are restarted by the restart policy, and
 * convergence of the whole cluster is what the step waits for (bounded by the topology's deploy timeout). The stack
 * deploy that follows sets the rendered update settings again, which restarts no task.
 */
export function togetherUpdate(stackText: string, nodes: readonly string[]): string {
  const compose = parse(stackText) as { services: Record<string, { deploy?: { update_config?: Record<string, unknown> } }> };
  for (const node of nodes) {
    const service = compose.services[node];
    if (!service) continue;
    service.deploy = { ...service.deploy, update_config: { ...service.deploy?.update_config, failure_action: 'continue' } };
  }
  return stringify(compose, { lineWidth: 0 });
}

/** Writes a step's stack file into a fresh temporary folder; the caller removes it with `remove`. */
export async function writeStepFile(text: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-step-'));
  const file = path.join(folder, 'stack.yaml');
  await writeFile(file, text);
  return { file, remove: () => rm(folder, { recursive: true, force: true }) };
}

