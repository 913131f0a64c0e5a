// npm run e2e:down [-- --env local|staging] [--purge | --keep-data]
// local: remove the stack, its secrets, configs and network; stop what e2e:up started; --purge also deletes the data
// directories. staging: stop and remove the ten engines, their namespaces, the bridge and its FORWARD rule, and each
// host's /mnt/data unless --keep-data.
import { parseArgs } from 'node:util';
import { formatMs, e2eDown } from '../harness/lifecycle.ts';
import { STAGING, stagingDown } from '../harness/staging.ts';

const log = (line: string) => process.stdout.write(`e2e:down  ${line}\n`);
try {
  const { values } = parseArgs({
    options: { env: { type: 'string', default: 'local' }, purge: { type: 'boolean', default: false }, 'keep-data': { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.env !== 'local' && values.env !== STAGING) throw new Error(`--env ${values.env}: expected local or ${STAGING}`);
  const result = values.env === STAGING ? await stagingDown({ log, keepData: values['keep-data'] }) : await e2eDown({ log, purge: values.purge });
  log(`${'total'.padEnd(10)} ${formatMs(result.totalMs).padStart(8)}`);
} catch (error) {
  process.stderr.write(`e2e:down  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
