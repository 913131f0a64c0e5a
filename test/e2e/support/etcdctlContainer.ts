// The runbook's etcd checks run etcdctl "from a temporary container on the overlay network": a container of the
// stack's etcd image attached to the stack's attachable network, kept for one test file, removed afterwards.
import { randomBytes } from 'node:crypto';
import { docker, dockerOk } from '../../../generator/docker/cli.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';

export interface EtcdctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface EtcdctlContainer {
  name: string;
  /** `etcdctl --endpoints=ENDPOINT ARGS…` inside the container, with etcdctl's own timeouts and an outer one. */
  etcdctl(endpoint: string, args: string[]): Promise<EtcdctlResult>;
  remove(): Promise<void>;
}

export async function startEtcdctlContainer(model: ClusterModel): Promise<EtcdctlContainer> {
  const name = `milvus-e2e-etcdctl-${randomBytes(3).toString('hex')}`;
  // Removes itself after 10 minutes even if the test process dies before remove().
  await dockerOk(['run', '--detach', '--rm', '--name', name, '--network', model.network.name, '--entrypoint', 'sleep', model.etcd.image, '600'], {
    timeoutMs: 60_000,
  });
  return {
    name,
    async etcdctl(endpoint, args) {
      const result = await docker(['exec', name, 'etcdctl', `--endpoints=${endpoint}`, '--dial-timeout=3s', '--command-timeout=5s', ...args], {
        timeoutMs: 20_000,
      });
      return { code: result.code, stdout: result.stdout, stderr: result.stderr };
    },
    async remove() {
      await docker(['rm', '--force', name], { timeoutMs: 30_000 });
    },
  };
}
