// Where backup and restore reach the running environment, as values the commands fill: the etcd tools and a member
// endpoint, Milvus's MinIO, the stores of the topology's targets, and how etcd's members get the snapshot's data.
// For endpoints given on the command line (a member or cluster you can reach) the local etcd tools are used; for the
// swarm itself, SwarmSites: one-off containers of the etcd image on the stack's network for snapshots
// (swarmEtcd.ts), host jobs with etcdutl on each member's node for restores (swarmMembers.ts).
import { Client } from 'minio';
import type { DockerRunner } from '../docker/runner.ts';
import type { ClusterModel } from '../model/types.ts';
import type { BackupS3Target } from '../topology/schema.ts';
import { UsageError } from '../usageError.ts';
import type { HostPort } from '../cluster/endpoints.ts';
import type { MinioCredentials } from '../cluster/credentials.ts';
import { localTool, type ToolRunner } from './etcdSnapshot.ts';
import type { EtcdAccess } from './recoveryPoint.ts';
import type { EtcdMembersRestorer } from './restore.ts';
import type { SnapshotTransferTarget } from './snapshotTransfer.ts';
import { directoryStore, s3Store, type PointStore } from './stores.ts';
import { swarmEtcdAccess, toolInContainer } from './swarmEtcd.ts';
import { swarmMembers } from './swarmMembers.ts';

/** The swarm's side of backup and restore. */
export interface SwarmSites {
  /** etcdctl and etcdutl that reach a healthy member from the stack's network and see `workDir` at the same path. */
  etcdAccess(model: ClusterModel, workDir: string): Promise<EtcdAccess>;
  /** etcdutl alone (checking a snapshot), which needs no member: a restore of a lost etcd has none. */
  etcdutl(model: ClusterModel, workDir: string): ToolRunner;
  /** Restores every member's data dir on its own node, then starts all members together and waits for a leader. */
  etcdMembers(model: ClusterModel, workDir: string, transfer: SnapshotTransferTarget, log?: (line: string) => void): EtcdMembersRestorer;
}

/** The swarm the docker CLI reaches (run on a manager: the work directory is bind-mounted into the containers). */
export function dockerSwarm(runner: DockerRunner): SwarmSites {
  return {
    etcdAccess: (model, workDir) => swarmEtcdAccess(runner, model, workDir),
    etcdutl: (model, workDir) => toolInContainer('etcdutl', { runner, model, workDir, network: false }),
    etcdMembers: (model, workDir, transfer, log) => swarmMembers({ runner, model, workDir, transfer, ...(log ? { log } : {}) }),
  };
}

/** etcdctl / etcdutl on this machine: MILVUS_SWARM_ETCDCTL and MILVUS_SWARM_ETCDUTL, else the ones on PATH. */
export function localEtcdTools(env: NodeJS.ProcessEnv): { etcdctl: ToolRunner; etcdutl: ToolRunner } {
  return { etcdctl: localTool(env.MILVUS_SWARM_ETCDCTL || 'etcdctl', env), etcdutl: localTool(env.MILVUS_SWARM_ETCDUTL || 'etcdutl', env) };
}

export function minioClient(endpoint: HostPort, credentials: MinioCredentials): Client {
  return new Client({ endPoint: endpoint.host, port: endpoint.port, useSSL: false, accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: 'us-east-1' });
}

/**
 * The topology's targets as stores, the directory first (restores read from the first store that has the point).
 * The S3 target's keys come from the variables it names, looked up in these sources, earliest first.
 */
export function storesOf(targets: { directory?: string; s3?: BackupS3Target }, ...sources: Record<string, string | undefined>[]): PointStore[] {
  const stores: PointStore[] = [];
  if (targets.directory) stores.push(directoryStore(targets.directory));
  if (targets.s3) {
    const s3 = targets.s3;
    const pick = (name: string) => sources.map((source) => source[name]).find((value) => value !== undefined && value !== '');
    const [accessKey, secretKey] = [pick(s3.accessKeyVariable), pick(s3.secretKeyVariable)];
    if (accessKey === undefined || secretKey === undefined) {
      throw new UsageError(`the S3 target needs ${s3.accessKeyVariable} and ${s3.secretKeyVariable} (backup.targets.s3 names them): export them or put them in the --credentials file`);
    }
    const url = new URL(s3.endpoint);
    const client = new Client({
      endPoint: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      useSSL: url.protocol === 'https:',
      accessKey,
      secretKey,
      region: s3.region,
    });
    stores.push(s3Store(client, { bucket: s3.bucket, prefix: s3.prefix, endpoint: `${url.protocol}//${url.host}` }));
  }
  return stores;
}
