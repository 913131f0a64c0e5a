// The commands a stop point names: exact, so an operator can paste them.

/** Deploy is idempotent: run again, it skips what is done (labels, directories, members already on their spec). */
export const resumeDeploy = (environment: string): string => `npx milvus-swarm deploy --env ${environment}`;

/** Swarm keeps each service's previous spec: one rollback returns the service to it. */
export const rollbackServices = (services: readonly string[]): string | undefined =>
  services.length === 0 ? undefined : services.map((service) => `docker service rollback ${service}`).join(' && ');
