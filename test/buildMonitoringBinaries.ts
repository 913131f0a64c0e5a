// `npm test`'s first step in the monitoring lane (test/run.ts): promtool, Prometheus and Alertmanager built into the
// cache if they are not there (test/e2e/harness/prometheusBinaries.ts), one after another, each with its time.
//
// promtool at normal priority: the monitoring project after this step needs it. Prometheus and Alertmanager at nice 10:
// the staging drills run them (test/e2e/staging/monitoring.ts) about 20 minutes later on a clean machine, and until
// then the two cores are full with the swarms and the other lanes. runCommand gives each `go` command a scheduling
// group of its own with this process's nice (generator/docker/childPriority.ts), so the builds take what the others
// leave. Each binary's lock lets a drill that comes first wait for a build under way instead of starting another.
import { setPriority } from 'node:os';
import { buildReportLine } from './e2e/harness/binaries.ts';
import { ensureMonitoringBinaries, ensurePromtool } from './e2e/harness/prometheusBinaries.ts';

const BACKGROUND_NICE = 10;

const { report: promtool } = await ensurePromtool();
setPriority(BACKGROUND_NICE);
const { reports } = await ensureMonitoringBinaries(['prometheus', 'alertmanager']);
process.stdout.write(`monitoring binaries: ${buildReportLine([promtool, ...reports])}\n`);
