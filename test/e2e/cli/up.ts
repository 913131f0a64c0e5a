// npm run e2e:up — build what is missing, start the engine and swarm, deploy rendered/local/stack.yaml, wait.
import { formatMs, e2eUp } from '../harness/lifecycle.ts';
import { LOCAL_ENV_FILE } from '../harness/paths.ts';

const log = (line: string) => process.stdout.write(`e2e:up  ${line}\n`);
try {
  const result = await e2eUp({ log });
  log(`${'total'.padEnd(10)} ${formatMs(result.totalMs).padStart(8)}  stack ${result.model.stack} up; credentials in ${LOCAL_ENV_FILE} (mode 600)`);
} catch (error) {
  process.stderr.write(`e2e:up  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
