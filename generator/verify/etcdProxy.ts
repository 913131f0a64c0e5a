// etcd through the gRPC proxy's published port, as Milvus reaches it: put a unique key, read it back, (let the
// in-network checks read it from every member), delete it and confirm it is gone. The key is removed even when a
// later step fails, and it is put under a lease so that it goes away by itself even when no delete can: a put that
// timed out while quorum was lost was applied once quorum returned, after the cleanup had failed (seen in the drills:
// a probe key left for good).
//
// npm etcd3 quirks (DESIGN §5): dialTimeout does nothing, so every call carries a gRPC deadline and is raced against
// a timer too; its default fault handling retries three times, so it is replaced by no-op policies (one attempt per
// call: we report, we do not heal); memberList needs an argument; close() always, or the process stays alive.
import { randomBytes } from 'node:crypto';
import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import { DeadlineError, withDeadline, type Budget } from '../cluster/deadline.ts';
import { formatHostPort, type HostPort } from '../cluster/endpoints.ts';
import { grpcReason } from './nextSteps.ts';
import { staleProbes, sweptNote } from './probeSweep.ts';
import { fail, pass, timed, type Row } from './rows.ts';

export const PROBE_PREFIX = '/milvus-swarm/verify/';
export const ETCD_CALL_DEADLINE_MS = 5_000;
/** The probe key's lease: longer than a whole verify run (VERIFY_BUDGET_MS), short enough to leave nothing behind. */
export const PROBE_LEASE_SECONDS = 60;

export interface Probe {
  key: string;
  value: string;
}

/** A key nobody else writes: the environment, the time and 8 random bytes. */
export function probeKey(environment: string, now: Date, random: Buffer = randomBytes(8)): string {
  return `${PROBE_PREFIX}${environment}/${now.toISOString().replace(/[:.]/g, '-')}-${random.toString('hex')}`;
}

export interface EtcdProxyCheck {
  endpoint: HostPort;
  environment: string;
  budget: Budget;
  /** Runs while the probe key exists (undefined when it could not be written): the probe reads from each member. */
  whileWritten: (probe: Probe | undefined) => Promise<Row[]>;
  now?: () => Date;
}

export interface EtcdProxyRows {
  put: Row;
  whileWritten: Row[];
  /** Absent when nothing was written (the key is still removed, silently, in case a timed-out put landed). */
  delete?: Row;
}

export async function checkEtcdThroughProxy(check: EtcdProxyCheck): Promise<EtcdProxyRows> {
  const where = formatHostPort(check.endpoint);
  const client = new Etcd3({ hosts: `http://${where}`, faultHandling: { host: () => noop, global: noop } });
  const probe: Probe = { key: probeKey(check.environment, (check.now ?? (() => new Date()))()), value: randomBytes(16).toString('hex') };
  const call = <T>(what: string, work: (deadline: { deadline: number }) => Promise<T>): Promise<T> => {
    const ms = check.budget.call(ETCD_CALL_DEADLINE_MS);
    const label = `etcd ${what} through ${where}`;
    // gRPC's own deadline and our timer race; whichever fires, the row says the same thing.
    return withDeadline(label, ms, () =>
      work({ deadline: Date.now() + ms }).catch((error: unknown) => {
        if (!(error instanceof Error)) throw error;
        throw /DEADLINE_EXCEEDED/.test(error.message) ? new DeadlineError(label, ms) : new Error(`${label}: ${grpcReason(error.message)}`);
      }),
    );
  };
  let attempted = false;
  let gone = false;
  try {
    let written: Probe | undefined;
    const putRow = await timed({ id: 'etcd-proxy:put-get', check: 'etcd proxy: put and get', endpoint: 'etcd' }, async () => {
      // Granting needs quorum too: when it fails, nothing is put at all. No keep-alive: the lease is meant to expire.
      const lease = await call('lease grant', (options) => client.lease(PROBE_LEASE_SECONDS, { autoKeepAlive: false, ...options }).grant());
      attempted = true;
      await call('put', (options) => client.put(probe.key).value(probe.value).lease(lease).options(options).exec());
      const read = await call('get', (options) => client.get(probe.key).options(options).string());
      if (read !== probe.value) return fail(`wrote ${probe.key} through ${where} but read back ${read === null ? 'nothing' : 'another value'}: the proxy serves stale data`);
      written = probe;
      return pass(`put and read back ${probe.key} through ${where}`);
    });
    const memberRows = await check.whileWritten(written);
    // Nothing was written (or it cannot be told): no delete row, only the silent cleanup below.
    if (!written) return { put: putRow, whileWritten: memberRows };
    const deleteRow = await timed({ id: 'etcd-proxy:delete', check: 'etcd proxy: delete', endpoint: 'etcd' }, async () => {
      await call('delete', (options) => client.delete().key(probe.key).options(options).exec());
      const after = await call('get', (options) => client.get(probe.key).options(options).string());
      if (after !== null) return fail(`deleted ${probe.key} through ${where} but it is still there`);
      gone = true;
      // Leftovers of earlier runs (each is leased, so only a key put without one could outlive it; a cheap check).
      const prefix = `${PROBE_PREFIX}${check.environment}/`;
      const keys = await call('range', (options) => client.getAll().prefix(prefix).options(options).keys());
      const stale = staleProbes(keys, (check.now ?? (() => new Date()))().getTime());
      for (const key of stale) await call('delete', (options) => client.delete().key(key).options(options).exec());
      return pass(`deleted the probe key; a read confirms it is gone${sweptNote(stale.length, 'probe key')}`);
    });
    return { put: putRow, whileWritten: memberRows, delete: deleteRow };
  } finally {
    // A put that timed out may still have been applied: remove the key whenever it might exist.
    if (attempted && !gone) {
      const ms = check.budget.call(3_000, 500);
      await withDeadline('etcd cleanup', ms, () => client.delete().key(probe.key).options({ deadline: Date.now() + ms }).exec()).catch(() => undefined);
    }
    client.close();
  }
}
