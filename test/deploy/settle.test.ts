// How long deploy's convergence wait lets a service's tasks run before it counts them settled: a service swarm has
// updated in this deploy was watched by swarm's own update monitor already, so it needs no more than that; a new
// service, or one that swarm is still updating or rolling back, keeps the caller's settle.
import { describe, expect, it } from 'vitest';
import { settleOf } from '../../generator/deploy/operations/convergence.ts';
import { UPDATE_MONITOR_SECONDS } from '../../generator/render/stack.ts';

describe("a service's settle", () => {
  it("an update of this deploy that swarm completed: swarm's monitor, never longer than asked", () => {
    expect(settleOf('completed', 5_000)).toBe(UPDATE_MONITOR_SECONDS * 1000);
    expect(UPDATE_MONITOR_SECONDS * 1000).toBeLessThan(5_000);
    expect(settleOf('completed', 1_000)).toBe(1_000);
  });

  it('no update in this deploy (a new service, or one the deploy left alone): the settle asked for', () => {
    expect(settleOf(undefined, 5_000)).toBe(5_000);
  });

  it('an update still running, paused or rolled back: the settle asked for (and the wait fails on the last two anyway)', () => {
    for (const state of ['updating', 'paused', 'rollback_started', 'rollback_completed']) expect(settleOf(state, 5_000)).toBe(5_000);
  });
});
