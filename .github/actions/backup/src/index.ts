// The bundle's entry point (dist/index.js): run the action.
import { run } from './main.ts';

await run();
