// The step service-remove: services the new stack file no longer runs (a drained pool's nodes, a member that left),
// removed once the rest serves without them.
import { dockerDo, dockerLines } from '../../docker/calls.ts';
import { stepStopped } from '../moves/stopPoints.ts';
import { passed } from '../runner/contract.ts';
import type { StepRunner } from './types.ts';

export const runServiceRemove: StepRunner<'service-remove'> = async (step, context) => {
  const existing = await dockerLines(context.runner, ['service', 'ls', '--format', '{{.Name}}', ...step.services.flatMap((service) => ['--filter', `name=${service}`])]);
  if (!existing.ok) return stepStopped(context, `cannot list services: ${existing.reason}`, 'nothing changed in this step');
  const present = step.services.filter((service) => existing.value.includes(service));
  if (present.length === 0) return passed({ notes: [`${step.services.join(', ')} already removed`] });
  const removed = await dockerDo(context.runner, ['service', 'rm', ...present], { timeoutMs: 60_000 });
  if (!removed.ok) return stepStopped(context, `docker service rm ${present.join(' ')}: ${removed.reason}`, `${present.join(', ')} may still run`);
  return passed({ notes: [`removed the service${present.length === 1 ? '' : 's'} ${present.join(', ')}`] });
};
