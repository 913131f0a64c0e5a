// The failure budget deploy prints before and after a change (verify/failureBudget.ts counts it from what etcd and
// MinIO report): etcd through etcdctl on the stack's network, MinIO's storageinfo through its load balancer signed as
// root. Never a reason to stop: a count that cannot be made says why in the line.
import { endpointsFromModel } from '../../cluster/endpoints.ts';
import { etcdCluster } from '../../cluster/etcdCluster.ts';
import type { EtcdctlCall } from '../../cluster/etcdctlProbe.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import type { MinioCredentials } from '../../cluster/credentials.ts';
import type { DockerRunner } from '../../docker/runner.ts';
import type { ClusterModel } from '../../model/types.ts';
import { failureBudgetLine } from '../../verify/failureBudgetChecks.ts';

const LOCATE_MS = 5_000;

export async function readFailureBudget(runner: DockerRunner, model: ClusterModel, root: MinioCredentials | undefined, call?: EtcdctlCall): Promise<string> {
  // Host-mode ports answer only where a proxy task runs: the same lookup verify makes.
  const located = await locateProxies(runner, model, endpointsFromModel(model), [], LOCATE_MS);
  return failureBudgetLine(model, etcdCluster(runner, model, call), located.endpoints.s3, root);
}
