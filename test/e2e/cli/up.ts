// npm run e2e:up [-- --env local|staging] — build what is missing, start the engine(s) and swarm, deploy, wait.
// local (the default): the rendered local stack on this machine's one-node swarm. staging: ten engines shaped like
// production (harness/staging.ts), the stack deployed by `milvus-swarm deploy`.
import { parseArgs } from 'node:util';
import { formatMs, e2eUp } from '../harness/lifecycle.ts';
import { envFile } from '../harness/paths.ts';
import { STAGING, stagingUp } from '../harness/staging.ts';

const log = (line: string) => process.stdout.write(`e2e:up  ${line}\n`);
try {
  const { values } = parseArgs({ options: { env: { type: 'string', default: 'local' } }, strict: true });
  if (values.env !== 'local' && values.env !== STAGING) throw new Error(`--env ${values.env}: expected local or ${STAGING}`);
  const result = values.env === STAGING ? await stagingUp({ log }) : await e2eUp({ log });
  log(`${'total'.padEnd(10)} ${formatMs(result.totalMs).padStart(8)}  stack ${result.model.stack} up; ${values.env === STAGING ? 'DOCKER_HOST and ' : ''}credentials in ${envFile(values.env)} (mode 600)`);
} catch (error) {
  process.stderr.write(`e2e:up  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
