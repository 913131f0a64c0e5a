// npm run e2e:node -- stop|start|isolate|rejoin|add HOST [--ip IP] [--manager]
// One host of the staging swarm, named as the topology names it: its engine stopped (the machine is down) or started
// again, its link cut (a network partition) or restored, or a new host joined for a change that grows the cluster.
import { parseArgs } from 'node:util';
import { nodeAction, type NodeAction } from '../harness/staging.ts';

const ACTIONS: NodeAction[] = ['stop', 'start', 'isolate', 'rejoin', 'add'];
try {
  const { values, positionals } = parseArgs({ options: { ip: { type: 'string' }, manager: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  const [action, host] = positionals;
  if (!ACTIONS.includes(action as NodeAction) || !host || positionals.length !== 2) {
    throw new Error(`usage: npm run e2e:node -- ${ACTIONS.join('|')} HOST [--ip IP] [--manager]`);
  }
  process.stdout.write(`e2e:node  ${await nodeAction(action as NodeAction, host, { ip: values.ip, manager: values.manager })}\n`);
} catch (error) {
  process.stderr.write(`e2e:node  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
