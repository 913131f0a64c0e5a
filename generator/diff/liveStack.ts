// What runs, as diff reads it from a swarm manager: the services of the stack's namespace (or named like its
// services), the networks by id, the nodes with their labels and where each service's tasks run, the secret names.
// Every call is read-only, bounded, and made at once.
import { dockerJson, dockerLines, type Fact } from '../docker/calls.ts';
import type { DockerRunner } from '../docker/runner.ts';
import { nodeList, secretNames, type SwarmNode } from '../docker/swarm.ts';
import type { ServiceInspect } from './serviceShape.ts';

export interface LiveStack {
  services: ServiceInspect[];
  /** Network id → name (`docker service inspect` names networks by id). */
  networks: Map<string, string>;
  nodes: SwarmNode[];
  secrets: string[];
  /** Service name (milvus_etcd1) → the hostnames of the nodes its running tasks are on. */
  taskNodes: Map<string, string[]>;
}

const CALL_MS = 20_000;

const fromFact = <T>(fact: Fact<T>, what: string): T => {
  if (!fact.ok) throw new Error(`${what}: ${fact.error}: run diff on a manager of the environment's swarm (DOCKER_HOST, --credentials FILE)`);
  return fact.value;
};

export async function readLiveStack(runner: DockerRunner, stack: string): Promise<LiveStack> {
  const [byLabel, byName, networkLines, nodes, secrets] = await Promise.all([
    dockerLines(runner, ['service', 'ls', '--quiet', '--filter', `label=com.docker.stack.namespace=${stack}`], { timeoutMs: CALL_MS }),
    // A service created by hand (`docker service create --name milvus_etcd1`) carries no namespace label.
    dockerLines(runner, ['service', 'ls', '--format', '{{.ID}} {{.Name}}', '--filter', `name=${stack}_`], { timeoutMs: CALL_MS }),
    dockerLines(runner, ['network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}}'], { timeoutMs: CALL_MS }),
    nodeList(runner, CALL_MS),
    secretNames(runner),
  ]);
  const named = fromFact(byName, 'docker service ls')
    .map((line) => line.split(' '))
    .filter(([, name]) => name?.startsWith(`${stack}_`))
    .map(([id]) => id!);
  const ids = [...new Set([...fromFact(byLabel, 'docker service ls'), ...named])];
  const services = ids.length === 0 ? [] : fromFact(await dockerJson<ServiceInspect[]>(runner, ['service', 'inspect', ...ids], { timeoutMs: CALL_MS }), 'docker service inspect');
  const taskNodes = new Map<string, string[]>();
  if (services.length > 0) {
    const tasks = fromFact(
      await dockerLines(runner, ['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.Name}} {{.Node}} {{.CurrentState}}', ...services.map((service) => service.ID)], { timeoutMs: CALL_MS }),
      'docker service ps',
    );
    for (const line of tasks) {
      const [task, node, state] = line.split(' ');
      if (!task || !node || !state?.startsWith('Running')) continue;
      const service = task.slice(0, task.lastIndexOf('.'));
      taskNodes.set(service, [...new Set([...(taskNodes.get(service) ?? []), node])].sort());
    }
  }
  return {
    services,
    networks: new Map(fromFact(networkLines, 'docker network ls').map((line) => line.split(' ') as [string, string])),
    nodes: fromFact(nodes, 'docker node ls'),
    secrets: fromFact(secrets, 'docker secret ls'),
    taskNodes,
  };
}
