#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx milvus-swarm` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
