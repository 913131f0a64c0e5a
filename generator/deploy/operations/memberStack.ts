// The stack file that starts one joining etcd member: the rendered file with only that member's service, its
// command line saying what etcd checks at a join — `--initial-cluster` listing exactly the members the cluster lists
// at that moment (etcd refuses a join whose list differs in count or URLs) and `--initial-cluster-state existing`.
// The rendered file lists the final membership, which is right only once the last member is in; etcd ignores both
// flags once the data dir exists, so the later roll onto the rendered spec changes nothing but the spec. Without the
// spec label, the roll sees this service as differing and restarts it on the rendered file.
import { parse, stringify } from 'yaml';
import { SPEC_LABEL } from '../../render/stack.ts';

interface ComposeService {
  command?: string[];
  deploy?: { labels?: Record<string, string> };
}

interface Compose {
  services: Record<string, ComposeService>;
  configs?: Record<string, { file?: string }>;
  secrets?: Record<string, unknown>;
  [key: string]: unknown;
}

export function joiningMemberStack(stackText: string, member: string, initialCluster: readonly string[]): string {
  const compose = parse(stackText) as Compose;
  const service = compose.services[member];
  if (!service) throw new Error(`the rendered stack file has no service ${member}: render again`);
  const replaced = new Map([
    ['--initial-cluster', initialCluster.join(',')],
    ['--initial-cluster-state', 'existing'],
  ]);
  const rendered = service.command ?? [];
  service.command = rendered.map((flag) => {
    const name = flag.split('=')[0]!;
    return replaced.has(name) ? `${name}=${replaced.get(name)}` : flag;
  });
  // The last member to join lists the final membership: its command is the rendered one, and it keeps the label
  // (no restart in the roll). Any other joins on a command of its own, which the roll then replaces.
  if (service.deploy?.labels && service.command.join('\n') !== rendered.join('\n')) delete service.deploy.labels[SPEC_LABEL];
  compose.services = { [member]: service };
  // Only what a member uses: none of the stack's configs or secrets (their files are the other services').
  delete compose.configs;
  delete compose.secrets;
  return stringify(compose, { lineWidth: 0 });
}

/** The rendered service's placement constraints, to tell where a member's service must run. */
export function renderedConstraints(stackText: string, service: string): string[] {
  const compose = parse(stackText) as { services: Record<string, { deploy?: { placement?: { constraints?: string[] } } }> };
  return compose.services[service]?.deploy?.placement?.constraints ?? [];
}
