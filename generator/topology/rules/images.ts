import { warning, type TopologyPath } from '../problems.ts';
import { monitoringServices } from './monitoring.ts';
import type { Rule } from './rule.ts';

/** The tag of an image reference, or undefined; a digest-pinned reference counts as pinned. */
export function imageTag(reference: string): string | undefined {
  if (reference.includes('@')) return reference.slice(reference.indexOf('@') + 1);
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : reference.slice(colon + 1);
}

/** `latest` (or no tag) changes under you: a node that pulls later runs another version than its peers. */
export const imagesPinned: Rule = {
  name: 'images-pinned',
  why: 'an unpinned image lets two nodes run different versions after a pull',
  check(topology) {
    const images: [string, TopologyPath][] = [
      [topology.etcd.image, ['etcd', 'image']],
      [topology.minio.image, ['minio', 'image']],
      [topology.minio.proxy.image, ['minio', 'proxy', 'image']],
      [topology.swarm.helperImage, ['swarm', 'helperImage']],
      ...monitoringServices(topology).map((service): [string, TopologyPath] => [service.image, ['monitoring', service.name, 'image']]),
    ];
    return images.flatMap(([reference, at]) => {
      const tag = imageTag(reference);
      if (tag !== undefined && tag !== 'latest') return [];
      return [warning(at, `image "${reference}" is not pinned (${tag === undefined ? 'no tag' : 'latest'}): nodes may run different versions after a pull; pin a version tag or a digest`)];
    });
  },
};
