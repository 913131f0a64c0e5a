// How a snapshot on the manager reaches the members' nodes without ssh: it is put into Milvus's bucket under the
// reserved prefix (never counted, listed or restored as Milvus's data), and each member's host job fetches it over
// the stack's network with a presigned URL — a signature valid for minutes for that one object, not a credential —
// signed for the name MinIO's load balancer has inside the network. Afterwards the object and its version are
// destroyed: the bucket is versioned, and a plain delete would keep a copy of etcd for the whole window.
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Client } from 'minio';
import type { MinioCredentials } from '../cluster/credentials.ts';
import { anonymousCanRead } from '../cluster/bucketPolicy.ts';
import { RESERVED_PREFIX } from './bucketCut.ts';

/** Long enough for the slowest node to start its job and fetch 8 GiB; short enough to be useless afterwards. */
export const TRANSFER_URL_SECONDS = 15 * 60;

export interface SnapshotTransferTarget {
  /** Milvus's MinIO as this process reaches it. */
  client: Client;
  credentials: MinioCredentials;
  bucket: string;
  /** MinIO's load balancer as containers on the stack's network reach it (Milvus's own address). */
  inNetwork: { host: string; port: number };
}

export interface StagedSnapshot {
  /** A URL a container on the stack's network can GET. */
  url: string;
  key: string;
  /** Destroys the staged object's version (best effort: the caller notes a failure). */
  remove(): Promise<void>;
}

export const stagedKey = (restoreId: string): string => `${RESERVED_PREFIX}restore/${restoreId}/etcd.db`;

/**
 * Why the snapshot must not be staged in Milvus's bucket, or undefined: a bucket policy that lets anyone read the
 * staged object (a `download` or `public` bucket, or a custom one opening the prefix) would hand all of etcd to
 * whoever asks during the restore. Asked before anything changes (swarmMembers.ts check).
 */
export async function stagingExposure(target: Pick<SnapshotTransferTarget, 'client' | 'bucket'>): Promise<string | undefined> {
  const text = await target.client.getBucketPolicy(target.bucket).catch((error: { code?: string }) => {
    if (error.code === 'NoSuchBucketPolicy') return '';
    throw error;
  });
  if (!anonymousCanRead(target.bucket, text, stagedKey('any'))) return undefined;
  return `the policy of ${target.bucket} lets anyone read ${RESERVED_PREFIX}restore/, where the restore stages etcd's snapshot for the members' nodes: make the bucket private for the restore (deploy sets the topology's policy back), or restore etcd into a directory with --etcd-data-dir`;
}

export async function stageSnapshot(target: SnapshotTransferTarget, file: string, restoreId: string): Promise<StagedSnapshot> {
  const key = stagedKey(restoreId);
  const { size } = await stat(file);
  const put = await target.client.putObject(target.bucket, key, createReadStream(file), size);
  // Only signing happens here (the region is given, so the client asks nothing): the Host it signs is the in-network name.
  const signer = new Client({ endPoint: target.inNetwork.host, port: target.inNetwork.port, useSSL: false, accessKey: target.credentials.accessKey, secretKey: target.credentials.secretKey, region: 'us-east-1' });
  const url = await signer.presignedGetObject(target.bucket, key, TRANSFER_URL_SECONDS);
  return {
    url,
    key,
    // Destroying this version on purpose: it is our copy of etcd, not Milvus's data.
    remove: () => target.client.removeObject(target.bucket, key, put.versionId ? { versionId: put.versionId } : {}),
  };
}
