// Stack-wide settings: the stack and network names, the swarm's service discovery and publishing, the healthchecks.
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier } from '../comparison.ts';
import { probeNeed } from '../probes.ts';
import { code, deploy, verify } from '../runbook.ts';

/** Swarm names every service `<stack>_<service>`: a new stack name is a second copy of everything, on the same disks. */
export const stackRenamed: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.stack, after.topology.stack];
  if (from === to) return [];
  return [
    destructive(
      changeId('stack-rename', from),
      `stack ${from} → ${to}`,
      `${code(`docker stack deploy ${to}`)} creates new services beside ${from}'s: two etcd clusters and two MinIO pools on the same host directories (each corrupts the other's data), and the new proxies cannot publish the ports the old ones hold`,
      [
        `stop Milvus, then back up: ${code('etcdctl snapshot save')} and ${code('mc mirror')} of the buckets`,
        `${code(`docker stack rm ${from}`)}, and wait until ${code(before.model.network.name)} is gone (stack rm returns before it is)`,
        `${deploy(environment)}: the members and nodes of ${to} start on the same data dirs`,
        `attach Milvus to ${code(after.model.network.name)} and start it; ${verify(environment)}`,
      ],
    ),
  ];
};

/** Moving every service to another overlay network restarts them all in one deploy and strands what joined the old one. */
export const networkRenamed: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.network.name, after.topology.network.name];
  if (from === to) return [];
  return [
    destructive(
      changeId('network-rename', from),
      `network ${before.model.network.name} → ${after.model.network.name}`,
      `swarm moves every service to the new network in the same deploy: all etcd members and MinIO nodes restart at once (both clusters lose quorum until they are back), and Milvus, attached to ${before.model.network.name}, loses etcd and MinIO until it is moved too; deploy does not roll the etcd members for it (its stack-deploy step says so): a member moved alone could not reach its peers on the old network, and the health wait between members would never pass`,
      [
        'stop Milvus',
        `${deploy(environment)}: every service moves to ${code(after.model.network.name)}, the etcd members all at once`,
        `attach Milvus to ${code(after.model.network.name)} (its compose file's external network) and start it; ${verify(environment)}`,
        `${code(`docker network rm ${before.model.network.name}`)} once nothing uses it`,
      ],
    ),
  ];
};

/** Swarm never updates an existing network: docker stack deploy skips networks that exist (docker/cli createNetworks). */
export const networkAttachableChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.network.attachable, after.topology.network.attachable];
  if (from === to) return [];
  const consequence = to
    ? ''
    : "; once applied, the runbook's etcdctl checks and verify can no longer run a one-off container on it";
  return [
    care(
      changeId('network-attachable', before.topology.network.name),
      `network ${before.model.network.name}: attachable ${from} → ${to}`,
      `an existing overlay network cannot be changed: deploy keeps it as it is, so this takes effect only when the stack is removed and deployed again (an outage)${consequence}`,
      [
        `stop Milvus, then ${code(`docker stack rm ${before.topology.stack}`)} and wait until ${code(before.model.network.name)} is gone`,
        `${deploy(environment)}: the network is created with attachable: ${to}`,
        `start Milvus; ${verify(environment)}`,
      ],
    ),
  ];
};

/** The endpoint spec is part of what makes a task outdated in swarm: every task of every service is replaced. */
export const endpointModeChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.swarm.endpointMode, after.topology.swarm.endpointMode];
  if (from === to) return [];
  return [
    care(
      changeId('endpoint-mode', before.topology.stack),
      `service discovery ${from} → ${to}`,
      `every service is replaced in one deploy, so all etcd members and all MinIO nodes restart together (both clusters pause); ${to === 'dnsrr' ? 'service names then resolve to task addresses, and swarm refuses dnsrr with ingress-published ports' : 'service names then resolve to one virtual IP, which needs IPVS in the kernel'}`,
      [
        'deploy when Milvus can pause for the restart',
        `${deploy(environment)}, then ${verify(environment)}`,
      ],
    ),
  ];
};

/** Ingress publishes on every node through the routing mesh; host mode only where a proxy task runs. */
export const publishModeChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.swarm.publishMode, after.topology.swarm.publishMode];
  if (from === to) return [];
  const ports = after.model.services.flatMap((service) => service.ports.map((port) => port.published));
  return [
    care(
      changeId('publish-mode', before.topology.stack),
      `published ports ${ports.join(', ')}: ${from} → ${to} mode`,
      to === 'host'
        ? 'clients move: in host mode a port answers only on the nodes running a proxy task, no longer on every node of the swarm, and the proxies update stop-first (a gap per replica)'
        : 'clients may move: in ingress mode every node of the swarm answers on these ports, so nothing else may use them on any node',
      [
        `find every client of ports ${ports.join(', ')} outside the swarm (Milvus outside it, the MinIO console's users) and the addresses they use`,
        `${deploy(environment)}`,
        to === 'host' ? 'point those clients at the nodes running the proxies (the managers)' : 'clients may use any node of the swarm again',
        verify(environment),
      ],
    ),
  ];
};

/**
 * A probe the image does not ship keeps its tasks unhealthy: swarm rolls them back and never publishes their DNS
 * names. A new healthcheck restarts the service (members one at a time; MinIO nodes together).
 */
export const healthchecksChanged: Classifier = ({ environment, before, after }) => {
  const settings = (topology: typeof before.topology) => ({
    'etcd members': [topology.etcd.healthcheck, topology.etcd.image],
    'etcd proxy': [topology.etcd.proxy.healthcheck, topology.etcd.image],
    'MinIO nodes': [topology.minio.healthcheck, topology.minio.image],
    'MinIO load balancer': [topology.minio.proxy.healthcheck, topology.minio.proxy.image],
  }) as const;
  const [was, is] = [settings(before.topology), settings(after.topology)];
  const describeProbe = (setting: (typeof was)['etcd members'][0]) => (setting.command ? `${setting.probe} ${code(setting.command.join(' '))}` : setting.probe);
  return (Object.keys(is) as (keyof typeof is)[]).flatMap((which): Change[] => {
    const [from, to] = [was[which][0], is[which][0]];
    if (JSON.stringify(from) === JSON.stringify(to)) return [];
    const image = is[which][1];
    const need = probeNeed(to, image);
    const tool = need?.program;
    return [
      care(
        changeId('healthcheck', which.toLowerCase().replaceAll(' ', '-')),
        `${which} healthcheck ${describeProbe(from)} → ${describeProbe(to)}`,
        `the services restart with the new healthcheck; if ${tool ? code(tool) : 'the probe'} is missing from ${image}, their tasks never turn healthy, swarm never publishes their DNS names and rolls them back`,
        [
          ...(need ? [`check ${image} ships it (a distroless image has no shell to ask): ${need.check}`] : []),
          `${deploy(environment)}${which === 'MinIO nodes' ? ' when Milvus can pause for the restart' : ''}`,
        ],
      ),
    ];
  });
};

/** Settings only the generator and deploy read: nothing that runs changes. */
export const swarmSettingsChanged: Classifier = ({ before, after }) => {
  const changes: Change[] = [];
  const [was, is] = [before.topology.swarm, after.topology.swarm];
  if (was.allowColocation !== is.allowColocation) {
    changes.push(
      safe(
        changeId('colocation', before.topology.stack),
        `swarm.allowColocation ${was.allowColocation} → ${is.allowColocation}`,
        'a validation switch: it decides which topologies are accepted, not what runs',
      ),
    );
  }
  if (was.deployTimeoutSeconds !== is.deployTimeoutSeconds) {
    changes.push(
      safe(
        changeId('deploy-timeout', before.topology.stack),
        `deploy timeout ${was.deployTimeoutSeconds}s → ${is.deployTimeoutSeconds}s`,
        "how long deploy waits for convergence: nothing that runs changes",
      ),
    );
  }
  if (was.resolveImage !== is.resolveImage) {
    changes.push(
      safe(
        changeId('resolve-image', before.topology.stack),
        `deploy --resolve-image ${was.resolveImage} → ${is.resolveImage}`,
        is.resolveImage === 'never'
          ? 'deploy stops asking the registry for image digests: the nodes use the images they have under these tags'
          : 'deploy asks the registry for image digests: when a digest is found the services are pinned to it once, a rolling restart like an image update',
      ),
    );
  }
  if (was.helperImage !== is.helperImage) {
    changes.push(
      safe(
        changeId('helper-image', before.topology.stack),
        `deploy's helper image ${code(was.helperImage)} → ${code(is.helperImage)}`,
        "deploy's short host-preparation jobs run it (mkdir of the data dirs), and the network anchor's idle task on every node, which is replaced start-first (the node stays in the stack network): no etcd, MinIO or proxy task restarts; every node must be able to pull it",
      ),
    );
  }
  return changes;
};
