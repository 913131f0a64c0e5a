// The processes project's global setup: etcd, etcdctl, etcdutl and MinIO built and cached (a clean machine builds
// them here, once; see test/e2e/harness/binaries.ts), so each test file only starts processes.
import { ensureBinaries } from '../e2e/harness/binaries.ts';

export default async function setup(): Promise<void> {
  const { reports } = await ensureBinaries();
  for (const report of reports.filter((entry) => entry.built)) process.stdout.write(`[processes] built ${report.name} in ${Math.round(report.ms / 1000)} s\n`);
}
