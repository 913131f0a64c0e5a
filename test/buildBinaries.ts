// `npm test`'s binaries step: etcd 3.5.5 and MinIO built into the cache if they are not there (test/e2e/harness/
// binaries.ts), before the staging swarm and the lane beside it both need them (test/run.ts). Milvus's etcd client
// (the staging rolls drill) is built right after etcd, beside MinIO's longer build: it then finds every package it
// needs in Go's build cache (test/e2e/bench/etcdClientTool.ts).
import { existsSync } from 'node:fs';
import { ensureEtcdClient, etcdClientPath } from './e2e/bench/etcdClientTool.ts';
import { buildReportLine, ensureEtcdBinaries, ensureMinioBinary, timed } from './e2e/harness/binaries.ts';

const clientCached = existsSync(await etcdClientPath());
const [etcdAndClient, minio] = await Promise.all([
  ensureEtcdBinaries().then(async (etcd) => [etcd, await timed("Milvus's etcd client", clientCached, ensureEtcdClient)]),
  ensureMinioBinary(),
]);
process.stdout.write(`binaries: ${buildReportLine([...etcdAndClient, minio.report])}\n`);
