// Builds promtool into the cache if it is not there (test/e2e/harness/prometheusBinaries.ts), printing how long it
// took. `npm test` starts it in the background at its first step, so the build overlaps the steps before the
// monitoring tests instead of adding to them (test/run.ts).
import { ensurePromtool } from '../e2e/harness/prometheusBinaries.ts';

const { promtool, report } = await ensurePromtool();
process.stdout.write(`promtool ${report.built ? `built in ${(report.ms / 1000).toFixed(1)} s` : 'cached'}: ${promtool}\n`);
