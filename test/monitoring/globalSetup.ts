// The monitoring project's global setup: promtool built and cached (test/e2e/harness/prometheusBinaries.ts). Under
// `npm test` the build started in the background at the first step, so this usually finds it done or waits for the
// rest of it (the build's lock); run alone, it builds promtool itself (minutes, once per machine).
import { ensurePromtool } from '../e2e/harness/prometheusBinaries.ts';

export default async function setup(): Promise<void> {
  const { report } = await ensurePromtool();
  process.stdout.write(`[monitoring] promtool ${report.built ? `built in ${Math.round(report.ms / 1000)} s` : `ready after ${Math.round(report.ms / 1000)} s`}\n`);
}
