// The monitoring project's global setup: promtool built and cached (test/e2e/harness/prometheusBinaries.ts). Under
// `npm test` the monitoring lane's first step built it (test/buildMonitoringBinaries.ts), so this finds it done; run
// alone, it builds promtool itself (minutes, once per machine), or waits on the lock of a build under way.
import { ensurePromtool } from '../e2e/harness/prometheusBinaries.ts';

export default async function setup(): Promise<void> {
  const { report } = await ensurePromtool();
  process.stdout.write(`[monitoring] promtool ${report.built ? `built in ${Math.round(report.ms / 1000)} s` : `ready after ${Math.round(report.ms / 1000)} s`}\n`);
}
