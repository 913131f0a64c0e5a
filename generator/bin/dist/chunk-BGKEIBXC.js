import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  external_exports,
  topologySchema
} from "./chunk-JODZXVQZ.js";

// generator/render/schemaJson.ts
function renderTopologySchema() {
  const schema = external_exports.toJSONSchema(topologySchema, { target: "draft-7", io: "input", unrepresentable: "throw" });
  return `${JSON.stringify(schema, null, 2)}
`;
}

export {
  renderTopologySchema
};
