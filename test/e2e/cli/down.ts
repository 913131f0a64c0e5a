// npm run e2e:down [-- --purge] — remove the stack, its secrets, configs and network; stop what e2e:up started.
// --purge also deletes the data directories, so the next e2e:up starts from empty drives.
import { parseArgs } from 'node:util';
import { formatMs, e2eDown } from '../harness/lifecycle.ts';

const log = (line: string) => process.stdout.write(`e2e:down  ${line}\n`);
try {
  const { values } = parseArgs({ options: { purge: { type: 'boolean', default: false } }, strict: true });
  const result = await e2eDown({ log, purge: values.purge });
  log(`${'total'.padEnd(10)} ${formatMs(result.totalMs).padStart(8)}`);
} catch (error) {
  process.stderr.write(`e2e:down  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
