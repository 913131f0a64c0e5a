// verify: the etcd and MinIO checks of one environment, run side by side within one time budget, as rows.
import { randomBytes } from 'node:crypto';
import type { ClusterModel } from '../model/types.ts';
import { redact, type MinioCredentials } from '../cluster/credentials.ts';
import { Budget } from '../cluster/deadline.ts';
import type { DockerRunner } from '../docker/runner.ts';
import type { Endpoints } from '../cluster/endpoints.ts';
import { locateProxies, type EndpointKey } from '../cluster/proxyLocations.ts';
import { memberCheckTarget, startMemberChecks } from './etcdInNetwork.ts';
import { checkSwarmServices } from './swarmServices.ts';
import { checkEtcdThroughProxy } from './etcdProxy.ts';
import { checkMinio } from './minioChecks.ts';
import { withNextStep } from './nextSteps.ts';
import { judgeProxyAddresses } from './proxyAddresses.ts';
import { minioProxyAddresses } from '../cluster/proxyAddresses.ts';
import { etcdBudgetRow, minioBudgetRow } from './failureBudgetChecks.ts';
import { checkRecoveryPoints, RECOVERY_POINT_ROW, type RecoveryPointsInput } from './recoveryPoints.ts';
import { fail, pass, summarise, timed, type Row, type Summary } from './rows.ts';

/** Everything, including a dead member's or node's deadline, fits in this: the "within 20 s", with margin. */
export const VERIFY_BUDGET_MS = 18_000;

export interface VerifyOptions {
  model: ClusterModel;
  /** The topology's endpoints with the operator's overrides; host-mode proxies are then looked up where they run. */
  endpoints: Endpoints;
  /** Endpoints the operator named (--*-endpoint): never moved. */
  overridden?: readonly EndpointKey[];
  credentials: MinioCredentials | undefined;
  runner: DockerRunner;
  budgetMs?: number;
  now?: () => Date;
  /** The topology's backup: section and its targets: the recovery-point row (absent without one). */
  recoveryPoints?: RecoveryPointsInput;
}

export interface VerifyReport {
  environment: string;
  /** Where verify reached the proxies. */
  endpoints: Endpoints;
  /** How they were found, when not as the topology says (proxyLocations.ts). */
  notes: string[];
  rows: Row[];
  summary: Summary;
  elapsedMs: number;
}

export async function runVerify(options: VerifyOptions): Promise<VerifyReport> {
  const { model } = options;
  const started = performance.now();
  const budget = new Budget(options.budgetMs ?? VERIFY_BUDGET_MS);
  const runId = `milvus-swarm-verify-${randomBytes(4).toString('hex')}`;
  // Host-mode ports answer only where a proxy task runs: ask swarm which nodes those are.
  const located = await locateProxies(options.runner, model, options.endpoints, options.overridden ?? [], budget.call(5_000));
  const endpoints = located.endpoints;

  const members = startMemberChecks({
    runner: options.runner,
    ...memberCheckTarget(model),
    budget,
    runId,
  });
  const etcd = checkEtcdThroughProxy({ endpoint: endpoints.etcd, environment: model.environment, budget, now: options.now, whileWritten: members.readProbe });
  const minio = checkMinio({ model, endpoints, credentials: options.credentials, budget, now: options.now });
  // dnsrr only: whether nginx still has every MinIO node's current address (proxyAddresses.ts says why it may not).
  const addresses =
    model.swarm.endpointMode === 'dnsrr'
      ? timed({ id: 'minio:load-balancer-addresses', check: 'minio: load balancer addresses' }, async () => {
          const found = await minioProxyAddresses(options.runner, model, budget.call(10_000));
          if (!found.ok) return fail(found.error);
          return found.value.kind === 'not-applicable' ? pass('vip: names resolve to virtual IPs') : judgeProxyAddresses(found.value, model.stack);
        })
      : undefined;
  // How many more failures each cluster survives now (failureBudget.ts): etcd from the member checks above, MinIO
  // from its storageinfo.
  const etcdBudget = etcdBudgetRow(model, members.facts);
  const minioBudget = minioBudgetRow(model, endpoints.s3, options.credentials, budget, minio.then((rows) => rows.find((row) => row.id === 'minio:cluster-health')));
  const services = timed({ id: 'swarm:services', check: 'swarm: services' }, () => checkSwarmServices(options.runner, model, budget.call(10_000)));
  const recoveryPoints = options.recoveryPoints;
  const pointsRow = recoveryPoints ? timed(RECOVERY_POINT_ROW, () => checkRecoveryPoints(recoveryPoints, model.environment, budget.call(10_000), (options.now ?? (() => new Date()))())) : undefined;
  const [proxy, statusRow, listRow, backendRow, minioRows, addressesRow, servicesRow, recoveryRow, etcdBudgetResult, minioBudgetResult] = await Promise.all([
    etcd,
    members.statusRow,
    members.listRow,
    members.backendRow,
    minio,
    addresses,
    services,
    pointsRow,
    etcdBudget,
    minioBudget,
  ]);
  const etcdRows = [proxy.put, statusRow, listRow, backendRow, ...proxy.whileWritten, ...(proxy.delete ? [proxy.delete] : [])];

  // The secret key is never printed; the access key is an identity (and masking a common word such as "minio"
  // would garble every reason), so only the action masks it too (core.setSecret), as GitHub's log filter.
  const secrets = [options.credentials?.secretKey];
  const rows = [servicesRow, ...etcdRows, ...minioRows, ...(addressesRow ? [addressesRow] : []), etcdBudgetResult, minioBudgetResult, ...(recoveryRow ? [recoveryRow] : [])].map((row) => withNextStep({ ...row, reason: redact(row.reason, secrets) }, model));
  return { environment: model.environment, endpoints, notes: located.notes, rows, summary: summarise(rows), elapsedMs: Math.round(performance.now() - started) };
}
