// The bundle's entry (generator/bin/dist/cli.js, run by bin/milvus-swarm): the CLI on this process's arguments.
import { main } from '../cli.ts';

// A reader that stops early (`| head`) is no failure: stop writing, as cat and git do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
