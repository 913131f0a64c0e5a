import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  renderSource
} from "./chunk-TL6JWHVR.js";
import {
  countLine,
  formatProblem,
  readTemplates
} from "./chunk-K5CMLZDE.js";

// generator/commands/renderAll.ts
async function renderSources(sources, io, found = []) {
  const templates = await readTemplates();
  const results = sources.map((source) => renderSource(source, templates));
  const problems = [...found, ...results.flatMap((result) => result.ok ? result.warnings : result.problems)];
  for (const problem of problems) io.err(formatProblem(problem));
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0 || found.some((problem) => problem.severity === "error")) {
    io.err(`${countLine(problems)}: nothing was written`);
    return void 0;
  }
  return results;
}

export {
  renderSources
};
