import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  renderTopologySchema
} from "./chunk-BGKEIBXC.js";
import "./chunk-JODZXVQZ.js";
import {
  EXIT
} from "./chunk-F2OZ5ZEY.js";

// generator/commands/schema.ts
async function schemaCommand(io) {
  io.out(renderTopologySchema().trimEnd());
  return EXIT.ok;
}
export {
  schemaCommand
};
