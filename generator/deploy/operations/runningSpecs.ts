// Which spec each running service of the stack runs: the spec label the rendered stack file gives each service (a hash
// of what restarts it), read from swarm. A service whose label differs from the rendered one restarts on deploy.
import { dockerValue, type DockerValue } from '../../docker/calls.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import { SPEC_LABEL } from '../../render/stack.ts';
import { stackServiceIds } from './convergence.ts';

/** The spec label of each of the stack's running services, by its name in the stack file. */
export async function runningSpecs(runner: DockerRunner, stack: string, timeoutMs: number): Promise<DockerValue<Map<string, string | undefined>>> {
  const ids = await stackServiceIds(stack, timeoutMs, runner);
  if (!ids.ok) return ids;
  if (ids.value.length === 0) return { ok: true, value: new Map() };
  return dockerValue(runner, ['service', 'inspect', '--format', `{{.Spec.Name}} {{index .Spec.Labels "${SPEC_LABEL}"}}`, ...ids.value], (stdout) => parseSpecs(stack, stdout), { timeoutMs });
}

function parseSpecs(stack: string, stdout: string): Map<string, string | undefined> {
  const specs = new Map<string, string | undefined>();
  for (const line of stdout.split('\n')) {
    const [name, ...rest] = line.trim().split(' ');
    const spec = rest.join(' ');
    // `index` of a missing label prints "<no value>".
    if (name?.startsWith(`${stack}_`)) specs.set(name.slice(stack.length + 1), /^[0-9a-f]+$/.test(spec) ? spec : undefined);
  }
  return specs;
}

