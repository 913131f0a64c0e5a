// Where Milvus keeps its data: its etcd root path, its bucket and its MinIO root path. Moving any of them leaves
// everything Milvus wrote behind, so Milvus starts from nothing (the data is still there, but invisible to it).
import { code } from '../runbook.ts';
import { changeId, destructive } from '../change.ts';
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
