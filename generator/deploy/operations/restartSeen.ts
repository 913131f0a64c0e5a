// The moment a restarted member's new task runs, read from convergence's looks: deploy's health wait for every member
// (etcdHealth.ts) starts then instead of after the settle, so the 5 s the task must run and etcd's catch-up overlap.
// The new task is known only by the slot going down first: stop-first (render/stack.ts) stops the old task before the
// new one starts, and until swarm's updater acts a look still counts the old task as running, whose health proves
// nothing about the restart. A slot that goes down again afterwards (the new task exited, swarm started another)
// makes any answer about the first new task stale.
import type { ServiceState } from './convergence.ts';

export interface RestartWatch {
  /** Give it every look's services. */
  look(services: readonly ServiceState[]): void;
}

export interface RestartEvents {
  /** The service was seen below its replicas, then at them: its new task runs. Called once. */
  back(): void;
  /** After `back`, seen below its replicas again: what was asked of the task that came back is stale. Called once. */
  downAgain(): void;
}

export function watchRestart(service: string, events: RestartEvents): RestartWatch {
  let stage: 'before' | 'down' | 'back' | 'stale' = 'before';
  return {
    look(services) {
      const state = services.find((candidate) => candidate.name === service);
      if (!state || stage === 'stale') return;
      const below = state.running < state.desired;
      if (below && stage === 'back') {
        stage = 'stale';
        events.downAgain();
      } else if (below) stage = 'down';
      else if (stage === 'down') {
        stage = 'back';
        events.back();
      }
    },
  };
}
