import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);

// generator/render/swarmPlacement.ts
function swarmConstraints(placement) {
  switch (placement.kind) {
    case "host":
      if (placement.labels && Object.keys(placement.labels).length > 0) {
        return Object.entries(placement.labels).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `node.labels.${key} == ${value}`);
      }
      return [placement.nodeId ? `node.id == ${placement.nodeId}` : `node.hostname == ${placement.host}`];
    case "managers":
      return ["node.role == manager"];
    case "any":
      return [];
  }
}

export {
  swarmConstraints
};
