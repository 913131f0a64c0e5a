// When `docker stack deploy` asks a registry for each image's digest (its --resolve-image): the topology's
// swarm.resolveImage, deploy's flag. A module of its own so the command line knows the choices without the schema.
export const RESOLVE_IMAGE = ['always', 'changed', 'never'] as const;
export type ResolveImage = (typeof RESOLVE_IMAGE)[number];
export const isResolveImage = (value: string): value is ResolveImage => (RESOLVE_IMAGE as readonly string[]).includes(value);
