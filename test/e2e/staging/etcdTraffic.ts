// A client writing and reading keys through every manager's published etcd proxy port while a drill changes etcd
// under it (membership.test.ts, takeover.test.ts): round trips, failures with when they happened, the longest gap
// between successes, and the failures grouped into bursts (one election, or one proxy task restarting, each).
import { Etcd3 } from 'etcd3';
import type { Staging } from './support.ts';

export interface EtcdTrafficResult {
  ok: number;
  failures: { at: number; error: string }[];
  /** Failures less than 2 s apart are one burst. */
  bursts: { count: number; ms: number }[];
  /** Rounded to the millisecond. */
  longestGapMs: number;
}

/** A client through every manager's proxy port (a manager without a proxy task refuses; the client moves on). */
export const etcdThroughProxies = (context: Staging) =>
  new Etcd3({ hosts: context.model.managers.map((manager) => `http://${manager.ip}:${context.model.etcd.proxy.publishedPort}`), defaultCallOptions: (call) => (call.isStream ? {} : { deadline: Date.now() + 3_000 }) });

/** Starts writing `${keyPrefix}/N` (50 keys in turn) and reading each back, every 50 ms; stop() ends it and counts. */
export function etcdTraffic(context: Staging, keyPrefix: string): { stop(): Promise<EtcdTrafficResult> } {
  const client = etcdThroughProxies(context);
  let running = true;
  let ok = 0;
  const failures: { at: number; error: string }[] = [];
  let longestGapMs = 0;
  let lastOk = performance.now();
  const loop = (async () => {
    for (let index = 0; running; index++) {
      const key = `${keyPrefix}/${index % 50}`;
      try {
        await client.put(key).value(String(index));
        const read = await client.get(key).string();
        if (read !== String(index)) throw new Error(`read ${read} after writing ${index}`);
        ok++;
        longestGapMs = Math.max(longestGapMs, performance.now() - lastOk);
        lastOk = performance.now();
      } catch (error) {
        failures.push({ at: performance.now(), error: error instanceof Error ? error.message : String(error) });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      client.close();
      return { ok, failures, bursts: burstsOf(failures), longestGapMs: Math.round(longestGapMs) };
    },
  };
}

function burstsOf(failures: readonly { at: number }[]): { count: number; ms: number }[] {
  const bursts: { count: number; ms: number }[] = [];
  let start = -Infinity;
  let last = -Infinity;
  for (const failure of failures) {
    if (failure.at - last > 2_000) {
      bursts.push({ count: 0, ms: 0 });
      start = failure.at;
    }
    const burst = bursts.at(-1)!;
    burst.count++;
    burst.ms = failure.at - start;
    last = failure.at;
  }
  return bursts;
}
