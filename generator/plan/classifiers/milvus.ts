// Where Milvus keeps its data: its etcd root path, its bucket and its MinIO root path. Moving any of them leaves
// everything Milvus wrote behind, so Milvus starts from nothing (the data is still there, but invisible to it).
// And where Milvus finds etcd: its endpoints.
import { code, deploy, verify } from '../runbook.ts';
import { care, changeId, destructive } from '../change.ts';
import type { Classifier } from '../comparison.ts';

const applyAndStart = (environment: string) => `apply rendered/${environment}/milvus.yaml to Milvus's config and start Milvus`;

export const milvusBucketChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.milvus.bucket, after.topology.milvus.bucket];
  if (from === to) return [];
  return [
    destructive(
      changeId('milvus-bucket', from),
      `Milvus's bucket ${from} → ${to}`,
      `Milvus's metadata in etcd points at segment files in ${from}: in ${to} it finds none of them, so its collections fail to load`,
      ['stop Milvus', `copy the data: ${code(`mc mirror ALIAS/${from} ALIAS/${to}`)}`, applyAndStart(environment)],
    ),
  ];
};

export const milvusEtcdRootPathChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.milvus.etcdRootPath, after.topology.milvus.etcdRootPath];
  if (from === to) return [];
  return [
    destructive(
      changeId('milvus-etcd-root-path', from),
      `Milvus's etcd root path ${from} → ${to}`,
      `Milvus keeps its collections, schemas and segment lists under ${from} in etcd: under ${to} it starts empty and every collection is gone from its view (the keys stay under ${from})`,
      ['stop Milvus', `move its metadata with a Milvus backup and restore (milvus-backup), or copy every key under ${from}/ to ${to}/`, applyAndStart(environment)],
    ),
  ];
};

export const milvusMinioRootPathChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.topology.milvus.minioRootPath, after.topology.milvus.minioRootPath];
  if (from === to) return [];
  const bucket = after.topology.milvus.bucket;
  return [
    destructive(
      changeId('milvus-minio-root-path', from),
      `Milvus's MinIO root path ${from} → ${to}`,
      `Milvus's segment files live under ${bucket}/${from}: under ${to} it finds none of them, so its collections fail to load`,
      ['stop Milvus', `copy the files: ${code(`mc mirror ALIAS/${bucket}/${from} ALIAS/${bucket}/${to}`)}`, applyAndStart(environment)],
    ),
  ];
};

/**
 * The etcd endpoints Milvus is given (rendered milvus.yaml): the members themselves by default, so adding, moving,
 * renaming or re-porting a member changes them, as does choosing the proxy instead. Milvus reads them only at start,
 * and its client keeps working on the listed members that still answer (clientv3 fails over among its endpoints):
 * nothing stops, but Milvus must be given the new list before the old members it names are gone.
 */
export const milvusEtcdEndpointsChanged: Classifier = ({ environment, before, after }) => {
  const [from, to] = [before.model.milvus.etcdEndpoints, after.model.milvus.etcdEndpoints];
  // The same endpoints in another order are the same to Milvus's client (it balances over all of them).
  if ([...from].sort().join(',') === [...to].sort().join(',')) return [];
  const kept = from.filter((endpoint) => to.includes(endpoint));
  return [
    care(
      changeId('milvus-etcd-endpoints', after.topology.stack),
      `Milvus's etcd endpoints ${from.join(', ')} → ${to.join(', ')}`,
      kept.length > 0
        ? `Milvus reads etcd.endpoints only at start: until it restarts it uses ${kept.join(', ')} of its old list, which keep answering (its client fails over among them)`
        : `none of Milvus's current endpoints stays: after the deploy, Milvus reaches etcd only once it runs with the new list`,
      [
        deploy(environment),
        `set etcd.endpoints in Milvus's config from rendered/${environment}/milvus.yaml and restart Milvus (its components one at a time)`,
        verify(environment),
      ],
    ),
  ];
};
