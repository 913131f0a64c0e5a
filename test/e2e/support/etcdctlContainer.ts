// The runbook's etcd checks run etcdctl "from a temporary container on the overlay network". The upstream etcd image
// is distroless (no shell, no sleep), so there is no container to keep and exec into: each etcdctl command runs in
// a one-off container of the stack's etcd image attached to the stack's attachable network, removed when it exits.
import { randomBytes } from 'node:crypto';
import { docker } from '../../../generator/docker/cli.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { runOnStackNetwork } from '../../../generator/cluster/stackNetworkRun.ts';

export interface EtcdctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface EtcdctlContainer {
  /** The containers' name prefix (each command gets its own container). */
  name: string;
  /** `etcdctl --endpoints=ENDPOINT ARGS…` in a one-off container, with etcdctl's own timeouts and an outer one. */
  etcdctl(endpoint: string, args: string[]): Promise<EtcdctlResult>;
  /** Removes any container a killed command left behind. */
  remove(): Promise<void>;
}

export async function startEtcdctlContainer(model: ClusterModel, env: NodeJS.ProcessEnv = process.env): Promise<EtcdctlContainer> {
  const name = `milvus-e2e-etcdctl-${randomBytes(3).toString('hex')}`;
  let count = 0;
  return {
    name,
    async etcdctl(endpoint, args) {
      // The node may be re-attaching the network for a second after a removed service's task left it (stackNetworkRun.ts).
      const result = await runOnStackNetwork((dockerArgs, options) => docker(dockerArgs, { ...options, env }), {
        network: model.network.name,
        args: ['run', '--rm', '--name', `${name}-${++count}`, '--network', model.network.name, '--entrypoint', 'etcdctl', model.etcd.image, `--endpoints=${endpoint}`, '--dial-timeout=3s', '--command-timeout=5s', ...args],
        timeoutMs: () => 60_000,
      });
      return { code: result.code, stdout: result.stdout, stderr: result.stderr };
    },
    async remove() {
      const left = await docker(['container', 'ls', '--all', '--quiet', '--filter', `name=${name}-`], { timeoutMs: 15_000, env });
      const ids = left.stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await docker(['rm', '--force', ...ids], { timeoutMs: 30_000, env });
    },
  };
}
