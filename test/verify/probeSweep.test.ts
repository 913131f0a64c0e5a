// verify removes the probes earlier runs left behind, judged by the time in their names, and nothing else.
import { describe, expect, it } from 'vitest';
import { probeKey } from '../../generator/verify/etcdProxy.ts';
import { PROBE_MAX_AGE_MS, probeTime, staleProbes, sweptNote } from '../../generator/verify/probeSweep.ts';

const now = Date.parse('2026-11-30T03:00:00.000Z');

describe('probe sweep', () => {
  it('reads the time verify writes into a probe\'s name', () => {
    expect(probeTime(probeKey('local', new Date(now)))).toBe(now);
    expect(probeTime('milvus-swarm/verify/2026-11-30T02-36-41-239Z-0123456789abcdef')).toBe(Date.parse('2026-11-30T02:36:41.239Z'));
    expect(probeTime('milvus-swarm/verify/not-a-probe')).toBeUndefined();
  });

  it('picks only verify\'s own probes older than the limit', () => {
    const old = `milvus-swarm/verify/2026-11-30T02-54-59-999Z-${'a'.repeat(16)}`;
    const fresh = `milvus-swarm/verify/2026-11-30T02-55-00-001Z-${'b'.repeat(16)}`;
    const foreign = 'milvus-swarm/verify/2020-01-01-someone-else';
    expect(now - Date.parse('2026-11-30T02:54:59.999Z')).toBeGreaterThan(PROBE_MAX_AGE_MS);
    expect(staleProbes([old, fresh, foreign], now)).toEqual([old]);
  });

  it('says what it removed, only when it removed something', () => {
    expect(sweptNote(0, 'probe object')).toBe('');
    expect(sweptNote(2, 'probe object')).toBe('; removed 2 probe objects older than 5 min left by earlier runs');
  });
});
