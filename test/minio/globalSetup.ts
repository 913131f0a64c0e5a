// The unit project's global setup: MinIO RELEASE.2023-03-20 built once (cached in ~/.cache/milvus-swarm/), before
// any test file starts one as a process (test/minio/minioProcess.ts); a clean machine builds it here, minutes once.
import { ensureMinioBinary } from '../e2e/harness/binaries.ts';

export default async function setup(): Promise<void> {
  const { report } = await ensureMinioBinary();
  if (report.built) console.log(`built ${report.name} in ${(report.ms / 1000).toFixed(0)} s`);
}
