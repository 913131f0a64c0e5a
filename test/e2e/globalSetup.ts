// The e2e project's global setup: bring the local stack up through the same code as `npm run e2e:up`, and print
// the suite's wall time at the end. A stack that was up before the suite stays up; one the suite brings up starts on
// empty data directories and is taken down again with them (with what e2e:up started), unless
// MILVUS_SWARM_E2E_KEEP=1. A run's data is its own: the CI run of 13:47 on 2026-12-07 inherited an etcd half restored
// by the run before it (a restore that stopped on an engine fault), and five act tests found etcd3 out of its cluster.
import { docker } from '../../generator/docker/cli.ts';
import { e2eDown, e2eUp, formatMs, purgeDataDirectories } from './harness/lifecycle.ts';
import { loadModel } from './harness/topology.ts';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

export default async function setup(): Promise<() => Promise<void>> {
  const started = performance.now();
  const model = await loadModel();
  const before = await docker(['service', 'ls', '--quiet', '--filter', `label=com.docker.stack.namespace=${model.stack}`], { timeoutMs: 10_000 });
  const wasUp = before.code === 0 && before.stdout.trim() !== '';
  log(`up (${wasUp ? `stack ${model.stack} already deployed` : `stack ${model.stack} not deployed`})`);
  const keep = wasUp || process.env.MILVUS_SWARM_E2E_KEEP === '1';
  // Only when the stack is known to be absent: a look that timed out on a busy engine says nothing about it.
  const knownAbsent = (before.code === 0 && before.stdout.trim() === '') || /Cannot connect to the Docker daemon|not a swarm manager/i.test(before.stderr);
  if (knownAbsent) {
    const purged = await purgeDataDirectories(model);
    log(`up  data dirs: start empty (${purged.directories} deleted, and ${purged.setAside} that restores had set aside)`);
  }
  // vitest calls no teardown when setup throws: a failed `up` takes down what it started here, itself.
  const up = await e2eUp({ log: (line) => log(`up  ${line}`) }).catch(async (error: unknown) => {
    if (!keep) await e2eDown({ log: (line) => log(`down (up failed)  ${line}`), purge: true }).catch((down: unknown) => log(`down failed too: ${String(down)}`));
    throw error;
  });
  const testsStarted = performance.now();
  log(`up done in ${formatMs(up.totalMs)}; running the tests`);

  return async () => {
    const testsMs = performance.now() - testsStarted;
    let downMs = 0;
    if (!keep) {
      const down = await e2eDown({ log: (line) => log(`down  ${line}`), purge: true });
      downMs = down.totalMs;
    } else {
      log(`down skipped: ${wasUp ? 'the stack was up before the suite' : 'MILVUS_SWARM_E2E_KEEP=1'}; npm run e2e:down removes it`);
    }
    const wall = performance.now() - started;
    log(`suite wall time ${formatMs(Math.round(wall))} (up ${formatMs(up.totalMs)}, tests ${formatMs(Math.round(testsMs))}, down ${formatMs(downMs)})`);
  };
}
