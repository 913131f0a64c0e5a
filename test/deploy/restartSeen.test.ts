// A member's health wait starts when its new task runs: only after the slot was seen below its replicas (stop-first),
// never on the old task a look may still count before swarm's updater acts; and a slot that goes down again after
// that makes the early answer stale.
import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../generator/deploy/operations/convergence.ts';
import { watchRestart } from '../../generator/deploy/operations/restartSeen.ts';

const member = (running: number, updateState = 'updating'): ServiceState[] => [
  { name: 'milvus_etcd1', id: 'a', image: 'etcd:v3.5.5', mode: 'replicated', desired: 1, running, settled: 0, updateState, constraints: [] },
  { name: 'milvus_etcd2', id: 'b', image: 'etcd:v3.5.5', mode: 'replicated', desired: 1, running: 1, settled: 1, constraints: [] },
];

function watched(service = 'milvus_etcd1') {
  const events: string[] = [];
  const watch = watchRestart(service, { back: () => events.push('back'), downAgain: () => events.push('down again') });
  return { events, look: (running: number, updateState?: string) => watch.look(member(running, updateState)) };
}

describe('a restarted member seen back', () => {
  it('down, then running: back once, at the look that sees it run again', () => {
    const { events, look } = watched();
    look(1);
    look(0);
    look(0);
    expect(events).toEqual([]);
    look(1);
    expect(events).toEqual(['back']);
    look(1, 'completed');
    expect(events).toEqual(['back']);
  });

  it('down again after it came back (the new task exited, swarm started another): stale, once, and never back again', () => {
    const { events, look } = watched();
    for (const running of [0, 1, 0, 1, 0, 1]) look(running);
    expect(events).toEqual(['back', 'down again']);
  });

  it('running at every look (the old task before the update acted, or a restart between two looks): never back, so the wait runs after the settle', () => {
    const { events, look } = watched();
    for (const running of [1, 1, 1]) look(running);
    expect(events).toEqual([]);
  });

  it('another service going down and up says nothing about this one', () => {
    const { events, look } = watched('milvus_etcd3');
    look(0);
    look(1);
    expect(events).toEqual([]);
  });
});
