// The staging project's global setup: the ten-engine staging swarm up through the same code as
// `npm run e2e:up -- --env staging`, and down again afterwards unless it was up before (or MILVUS_SWARM_E2E_KEEP=1).
import { formatMs } from '../harness/lifecycle.ts';
import { stagingDown, stagingIsUp, stagingUp } from '../harness/staging.ts';

const log = (line: string) => process.stdout.write(`[staging] ${line}\n`);

export default async function setup(): Promise<() => Promise<void>> {
  const started = performance.now();
  const wasUp = await stagingIsUp();
  log(`up (${wasUp ? 'the staging swarm is running' : 'no staging swarm yet'})`);
  const keep = wasUp || process.env.MILVUS_SWARM_E2E_KEEP === '1';
  // vitest calls no teardown when setup throws: a failed `up` takes down what it started here, itself.
  const up = await stagingUp({ log: (line) => log(`up  ${line}`) }).catch(async (error: unknown) => {
    if (!keep) await stagingDown({ log: (line) => log(`down (up failed)  ${line}`) }).catch((down: unknown) => log(`down failed too: ${String(down)}`));
    throw error;
  });
  const testsStarted = performance.now();
  log(`up done in ${formatMs(up.totalMs)}; running the tests`);
  return async () => {
    const testsMs = performance.now() - testsStarted;
    let downMs = 0;
    if (!keep) downMs = (await stagingDown({ log: (line) => log(`down  ${line}`) })).totalMs;
    else log(`down skipped: ${wasUp ? 'the swarm was up before the suite' : 'MILVUS_SWARM_E2E_KEEP=1'}; npm run e2e:down -- --env staging removes it`);
    log(`suite wall time ${formatMs(Math.round(performance.now() - started))} (up ${formatMs(up.totalMs)}, tests ${formatMs(Math.round(testsMs))}, down ${formatMs(downMs)})`);
  };
}
