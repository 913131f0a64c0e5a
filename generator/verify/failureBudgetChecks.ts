// The failure budget's reads (failureBudget.ts judges them): verify's two rows, and the before/after lines deploy
// prints. etcd's facts come from the member checks verify already runs (endpoint status, member list) or, for
// deploy, from one etcdctl call each on the stack's network; MinIO's from its admin API's storageinfo through the
// load balancer, signed as verify's user (admin:StorageInfo, model/verifyPolicy.ts) or, in deploy, as root.
import type { MinioCredentials } from '../cluster/credentials.ts';
import { DeadlineError, withDeadline, type Budget } from '../cluster/deadline.ts';
import type { EtcdCluster } from '../cluster/etcdCluster.ts';
import type { EndpointStatus, Member } from '../cluster/etcdctlJson.ts';
import { formatHostPort, type HostPort } from '../cluster/endpoints.ts';
import { regionOf } from '../cluster/minioAccess.ts';
import { MinioAdmin, MinioAdminError } from '../minio/admin.ts';
import type { ClusterModel } from '../model/types.ts';
import { describeEtcdBudget, describeMinioBudget, etcdBudget, judgeEtcdBudget, judgeMinioBudget, minioBudget, type ErasureSetBudget } from './failureBudget.ts';
import { fail, timed, warn, type Row } from './rows.ts';

export const ETCD_BUDGET_ROW = { id: 'failure-budget:etcd', check: 'failure budget: etcd' } as const;
export const MINIO_BUDGET_ROW = { id: 'failure-budget:minio', check: 'failure budget: minio', endpoint: 's3' } as const;

const STORAGE_INFO_DEADLINE_MS = 5_000;

/** verify's etcd row, from what its endpoint status and member list saw. */
export function etcdBudgetRow(model: ClusterModel, facts: Promise<{ members?: Member[]; statuses?: EndpointStatus[] }>): Promise<Row> {
  return timed(ETCD_BUDGET_ROW, async () => {
    const { members, statuses } = await facts;
    if (!statuses) return fail('not counted: etcdctl endpoint status did not run (see its row)');
    return judgeEtcdBudget(etcdBudget(model, members, statuses));
  });
}

/**
 * verify's MinIO row: storageinfo through the load balancer. `health` is the cluster-health row: storageinfo that does
 * not answer in time while MinIO answers its health is MinIO waiting on a node it cannot reach (a warning: verify
 * again); while MinIO answers nothing it is a failure like every other row's.
 */
export function minioBudgetRow(model: ClusterModel, s3: HostPort, credentials: MinioCredentials | undefined, budget: Budget, health: Promise<Row | undefined>): Promise<Row> {
  return timed(MINIO_BUDGET_ROW, async () => {
    if (!credentials) return fail('not counted: no MinIO credentials (see the minio: credentials row)');
    const read = await readStorageBudget(model, s3, credentials, budget.call(STORAGE_INFO_DEADLINE_MS));
    if (read.ok) return judgeMinioBudget(read.sets);
    const answers = (await health)?.status === 'pass';
    return read.slow && answers ? warn(`not counted: ${read.problem}`) : fail(`not counted: ${read.problem}`);
  });
}

type StorageBudget = { ok: true; sets: ErasureSetBudget[] } | { ok: false; problem: string; slow?: boolean };

async function readStorageBudget(model: ClusterModel, s3: HostPort, credentials: MinioCredentials, timeoutMs: number): Promise<StorageBudget> {
  const admin = new MinioAdmin({ endpoint: `http://${formatHostPort(s3)}`, credentials, region: regionOf(model), timeoutMs });
  try {
    const info = await withDeadline('minio storageinfo', timeoutMs, () => admin.storageInfo());
    return minioBudget(model, info);
  } catch (error) {
    // The node asked waits on each peer; one that just went away holds the answer until MinIO's peer call gives up
    // (seen: over 10 s on the local stack), after which MinIO marks it offline and answers at once.
    if (error instanceof DeadlineError) return { ok: false, slow: true, problem: `${error.message} — MinIO waits on a node it cannot reach yet; verify again in a minute` };
    if (error instanceof MinioAdminError && error.code === 'AccessDenied') {
      return { ok: false, problem: `storageinfo: AccessDenied — verify's user lacks admin:StorageInfo: deploy sets its policy ${model.minio.verifyPolicy.name} from the topology (run deploy)` };
    }
    return { ok: false, problem: error instanceof MinioAdminError ? error.message : `storageinfo: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** deploy's line before and after a change: `etcd: …; MinIO pool 1 set 1: …`, each part or why it was not counted. */
export async function failureBudgetLine(model: ClusterModel, etcd: EtcdCluster, s3: HostPort | undefined, root: MinioCredentials | undefined): Promise<string> {
  const names = model.etcd.members.map((member) => member.name);
  const [members, statuses, storage] = await Promise.all([
    etcd.members(names),
    etcd.statuses(names),
    s3 && root ? readStorageBudget(model, s3, root, STORAGE_INFO_DEADLINE_MS) : Promise.resolve(undefined),
  ]);
  const etcdPart = describeEtcdBudget(etcdBudget(model, members.ok ? members.value : undefined, statuses));
  const minioPart = !storage ? 'MinIO: not counted (no root credentials)' : storage.ok ? describeMinioBudget(storage.sets) : `MinIO: not counted (${storage.problem})`;
  return `${etcdPart}; ${minioPart}`;
}
