// The commands a stop point names: exact, so an operator can paste them; and a step's stop, which names them.
import { stopped, type DeployContext, type PhaseResult } from '../runner/contract.ts';

/** Deploy is idempotent: run again, it skips what is done (labels, directories, members already on their spec). */
export const resumeDeploy = (environment: string): string => `npx milvus-swarm deploy --env ${environment}`;

/** Swarm keeps each service's previous spec: one rollback returns the service to it. */
export const rollbackServices = (services: readonly string[]): string | undefined =>
  services.length === 0 ? undefined : services.map((service) => `docker service rollback ${service}`).join(' && ');

/** A step stopped: etcd's state as read now, and run deploy again to go on (every step skips what is done). */
export function stepStopped(context: DeployContext, problem: string, state: string, revert?: string): PhaseResult {
  return stopped([problem], { stopped: { state, resume: resumeDeploy(context.environment), ...(revert ? { revert } : {}) } });
}
