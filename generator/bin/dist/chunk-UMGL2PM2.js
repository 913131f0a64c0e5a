import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  printable
} from "./chunk-652HDSDG.js";

// generator/render/quote.ts
var shellQuote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;
var composeLiteral = (value) => value.replace(/\$/g, "$$$$");
function composeLiterals(value) {
  if (typeof value === "string") return composeLiteral(value);
  if (Array.isArray(value)) return value.map((item) => composeLiterals(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, composeLiterals(item)]));
  }
  return value;
}
var commentText = (value) => printable(value);
var nginxQuote = (value) => `"${printable(value).replace(/[\\"]/g, "\\$&")}"`;

export {
  shellQuote,
  composeLiterals,
  commentText,
  nginxQuote
};
