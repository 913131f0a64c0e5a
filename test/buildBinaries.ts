// `npm test`'s binaries step: etcd 3.5.5 and MinIO built into the cache if they are not there (test/e2e/harness/
// binaries.ts), before the staging swarm and the lane beside it both need them (test/run.ts).
import { buildReportLine, ensureBinaries } from './e2e/harness/binaries.ts';

const { reports } = await ensureBinaries();
process.stdout.write(`binaries: ${buildReportLine(reports)}\n`);
