// An image set by hand (`docker service update --image …`) survives `docker stack deploy --resolve-image never` (or
// `changed`): the CLI keeps a service's running image whenever the stack file's image equals the service's
// com.docker.stack.image label, to keep the digest an earlier deploy pinned — and a hand update does not touch that
// label. Seen on the local swarm: deploy converged with nginx:1.22.1-hand still running. So for each service whose
// running image is not the rendered one, the label goes first (a label changes no task); the stack deploy then sets
// the rendered image, restarting that service as an image change does.
import { dockerDo } from '../../docker/calls.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';

export const STACK_IMAGE_LABEL = 'com.docker.stack.image';

export const handEditedImages: Phase = {
  name: 'hand-set images',
  stage: 'deploy',
  async run(context) {
    const edited = (context.live?.services ?? []).filter((service) => service.state !== 'missing' && service.differences.some((difference) => difference.field === 'image'));
    const notes: string[] = [];
    for (const service of edited) {
      const image = service.differences.find((difference) => difference.field === 'image')!;
      const name = `${context.model.stack}_${service.service}`;
      const dropped = await dockerDo(context.runner, ['service', 'update', '--detach', '--quiet', '--label-rm', STACK_IMAGE_LABEL, name], { timeoutMs: 60_000 });
      if (!dropped.ok) {
        return stopped([`${name} runs ${image.live}, not the rendered ${image.rendered}, and its ${STACK_IMAGE_LABEL} label could not be removed (${dropped.reason}): the stack deploy would keep ${image.live}`], {
          notes,
          stopped: { state: 'no service restarted', resume: resumeDeploy(context.environment) },
        });
      }
      notes.push(`${service.service} runs ${image.live}, set by hand: the stack deploy sets the rendered ${image.rendered} again`);
    }
    return passed({ notes });
  },
};
