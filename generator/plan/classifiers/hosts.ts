// The host inventory: names, addresses and roles feed the README and prepare-hosts.sh; node ids feed placement.
import { pinnedHost } from '../../model/placement.ts';
import { care, changeId, destructive, safe, type Change } from '../change.ts';
import type { Classifier } from '../comparison.ts';
import { code, deploy, listOf } from '../runbook.ts';

const README_ONLY = 'README and prepare-hosts.sh only: placement follows the services\' host: fields, and nothing restarts';

export const hostInventoryChanged: Classifier = ({ before, after }) => {
  const [was, is] = [before.topology.hosts, after.topology.hosts];
  const changes: Change[] = [];
  for (const host of is) {
    const previous = was.find((entry) => entry.name === host.name);
    if (!previous) {
      changes.push(safe(changeId('host', host.name), `new host ${host.name} (${host.ip})`, README_ONLY));
      continue;
    }
    const details = [
      ...(previous.ip !== host.ip ? [`IP ${previous.ip} → ${host.ip}`] : []),
      ...(previous.roles.join(',') !== host.roles.join(',') ? [`roles ${previous.roles.join(', ') || '—'} → ${host.roles.join(', ') || '—'}`] : []),
    ];
    if (details.length > 0) changes.push(safe(changeId('host', host.name), `host ${host.name}: ${details.join('; ')}`, README_ONLY));
  }
  for (const host of was.filter((entry) => !is.some((kept) => kept.name === entry.name))) {
    changes.push(safe(changeId('host', host.name), `host ${host.name} (${host.ip}) no longer listed`, README_ONLY));
  }
  return changes;
};

export const managersChanged: Classifier = ({ before, after }) => {
  const [was, is] = [before.topology.managers, after.topology.managers];
  const why = 'README only: the proxies run on whichever nodes swarm has as managers (node.role == manager)';
  const label = (manager: { ip: string; name?: string }) => (manager.name ? `${manager.name} (${manager.ip})` : manager.ip);
  return [
    ...is.flatMap((manager): Change[] => {
      const previous = was.find((entry) => entry.ip === manager.ip);
      if (!previous) return [safe(changeId('manager', manager.ip), `new manager ${label(manager)}`, why)];
      if (previous.name !== manager.name) return [safe(changeId('manager', manager.ip), `manager ${label(previous)} → ${label(manager)}`, why)];
      return [];
    }),
    ...was.filter((entry) => !is.some((kept) => kept.ip === entry.ip)).map((manager) => safe(changeId('manager', manager.ip), `manager ${label(manager)} no longer listed`, why)),
  ];
};

/**
 * Placement pins by node id when the topology knows it. A new id is the same machine when the node re-joined the
 * swarm, and another machine otherwise: only `docker node inspect` can tell, and the data does not follow. An id
 * another host had is that host's machine for certain (two hosts swapping ids): what is pinned here would start on
 * the data dirs the other host's services hold.
 */
export const hostNodeIdsChanged: Classifier = ({ environment, after, before }) =>
  after.topology.hosts.flatMap((host): Change[] => {
    const previous = before.topology.hosts.find((entry) => entry.name === host.name);
    if (!previous || previous.nodeId === host.nodeId) return [];
    const pinned = after.model.services.filter((service) => pinnedHost(service.placement) === host.name && service.stateful).map((service) => service.name);
    const id = changeId('node-id', host.name);
    const what = `host ${host.name}: node id ${previous.nodeId ?? '(none)'} → ${host.nodeId ?? '(none)'}`;
    if (pinned.length === 0) return [safe(id, what, 'README only: no service is pinned to this host')];
    const are = pinned.length === 1 ? 'is' : 'are';
    if (host.nodeId === undefined) {
      return [safe(id, what, `${listOf(pinned)} ${are} placed by node.hostname == ${host.name} instead: the same machine; ${pinned.length === 1 ? 'it restarts' : 'they restart'} once`)];
    }
    const owner = before.topology.hosts.find((entry) => entry.nodeId === host.nodeId && entry.name !== host.name);
    if (owner) {
      const theirs = before.model.services.filter((service) => pinnedHost(service.placement) === owner.name && service.stateful);
      const dirs = theirs.flatMap((service) => service.mounts.map((mount) => `${service.name}'s ${mount.source}`));
      return [
        destructive(
          id,
          what,
          `${host.nodeId} is the node ${owner.name} had: ${listOf(pinned)} would start on that machine, on ${dirs.length > 0 ? listOf(dirs) : `${owner.name}'s data dirs`}${
            theirs.length > 0 ? ` — each on the other's data, if ${owner.name} takes this host's id in turn` : ''
          }; the plan replaces every member that moves (its own changes say how), and deploy's preflight refuses this unacknowledged`,
          [
            `if the ids were typed wrong: ${code(`docker node inspect ${host.nodeId} --format '{{ .Description.Hostname }}'`)} names the machine; put each host's own id back`,
            `if the machines really swap roles, move the services in steps of their own (each member or node is replaced where it lands), never by swapping node ids`,
          ],
        ),
      ];
    }
    return [
      care(
        id,
        what,
        `${listOf(pinned)} ${are} placed by node.id == ${host.nodeId} now: if that node is not the machine holding ${pinned.length === 1 ? 'its' : 'their'} data (a node that re-joined the swarm is; another machine is not), ${pinned.length === 1 ? 'it starts' : 'they start'} there with empty data dirs`,
        [`${code(`docker node inspect ${host.nodeId} --format '{{ .Description.Hostname }}'`)} prints ${host.name}`, `${deploy(environment)}: ${listOf(pinned)} restart once`],
      ),
    ];
  });

/**
 * A host with node labels is placed by them: changed labels move the constraints of every service pinned there.
 * deploy puts the new labels on the node before the stack changes, so the same machine keeps the data; labels that
 * also sit on another node would let a service start there, on empty dirs (deploy's preflight refuses that).
 */
export const hostLabelsChanged: Classifier = ({ environment, after, before }) =>
  after.topology.hosts.flatMap((host): Change[] => {
    const previous = before.topology.hosts.find((entry) => entry.name === host.name);
    const format = (labels: Record<string, string>) => Object.entries(labels).map(([key, value]) => `${key}=${value}`).sort().join(', ') || '(none)';
    if (!previous || format(previous.labels) === format(host.labels)) return [];
    const pinned = after.model.services.filter((service) => pinnedHost(service.placement) === host.name).map((service) => service.name);
    const id = changeId('node-labels', host.name);
    const what = `host ${host.name}: node labels ${format(previous.labels)} → ${format(host.labels)}`;
    if (pinned.length === 0) return [safe(id, what, 'deploy puts the labels on the node; no service is pinned to this host')];
    return [
      care(
        id,
        what,
        `${listOf(pinned)} ${pinned.length === 1 ? 'is' : 'are'} placed by the new constraints and restart${pinned.length === 1 ? 's' : ''} once; deploy labels the node first, so ${pinned.length === 1 ? 'it stays' : 'they stay'} on the machine holding the data`,
        [`${code(`docker node ls --filter node.label=${Object.keys(host.labels)[0] ?? 'KEY'}`)} lists no other node with these labels (preflight refuses otherwise)`, `${deploy(environment)}`],
      ),
    ];
  });
