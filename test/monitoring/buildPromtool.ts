// Builds promtool, then Prometheus and Alertmanager, into the cache if they are not there
// (test/e2e/harness/prometheusBinaries.ts), printing how long each took. `npm test` starts it in the background at
// its first step, so the builds overlap the steps before the tests that need them instead of adding to them
// (test/run.ts): promtool first (the monitoring project), then the two the staging drills run in the stack
// (test/e2e/staging/monitoring.ts), whose image recipes wait on a build under way (each binary's lock).
// Milvus's etcd client (the staging rolls drill) comes first: a build of seconds, off the staging lane's path.
import { existsSync } from 'node:fs';
import { ensureEtcdClient, etcdClientPath } from '../e2e/bench/etcdClientTool.ts';
import { buildReportLine, timed } from '../e2e/harness/binaries.ts';
import { ensureMonitoringBinaries } from '../e2e/harness/prometheusBinaries.ts';

const client = await timed("Milvus's etcd client", existsSync(await etcdClientPath()), ensureEtcdClient);
const { reports } = await ensureMonitoringBinaries();
process.stdout.write(`${buildReportLine([client, ...reports])}\n`);
