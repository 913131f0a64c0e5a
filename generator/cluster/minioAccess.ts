// What every client of Milvus's MinIO needs to know of it, whoever signs: the health path that says whether writes
// would succeed, and the region requests are signed with.
import type { ClusterModel } from '../model/types.ts';

/** 200 with write quorum, 503 without (MinIO's own cluster check; /minio/health/live answers 200 even while starting). */
export const HEALTH_PATH = '/minio/health/cluster';

/** MinIO signs with its region (MINIO_REGION / MINIO_SITE_REGION, else us-east-1); naming it saves a lookup per bucket. */
export function regionOf(model: ClusterModel): string {
  const environment = model.services.find((service) => service.role === 'minio-node')?.environment ?? {};
  return environment.MINIO_SITE_REGION ?? environment.MINIO_REGION ?? 'us-east-1';
}
