import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  renderSources
} from "./chunk-77VI3QG6.js";
import {
  ENVIRONMENT_FILES,
  ENVIRONMENT_FOLDERS,
  SCHEMA_FILE,
  assertReplaceable,
  readTree,
  renderTree,
  replaceDirectory
} from "./chunk-TL6JWHVR.js";
import "./chunk-VGCQJTHM.js";
import "./chunk-BGKEIBXC.js";
import "./chunk-L6EL3X6N.js";
import "./chunk-7RFT6GXS.js";
import "./chunk-C6KIAFBQ.js";
import "./chunk-MQ2ZPAUY.js";
import {
  RENDERED_DIR,
  assertEnvironmentName,
  assertRepositoryRoot,
  listEnvironments,
  misnamedEnvironmentFiles,
  readEnvironment,
  readTopologyFile
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";
import "./chunk-JODZXVQZ.js";
import {
  EXIT
} from "./chunk-F2OZ5ZEY.js";

// generator/commands/render.ts
import path from "node:path";
async function renderCommand(options, io) {
  if (options.topology === void 0 !== (options.out === void 0)) throw new UsageError("--topology and --out go together");
  if (options.topology !== void 0 && options.environments.length > 0) throw new UsageError("--env cannot be combined with --topology");
  return options.topology !== void 0 ? renderOneFile(options.topology, options.out, io) : renderRepository(options.environments, io);
}
async function renderRepository(only, io) {
  for (const environment of only) assertEnvironmentName(environment);
  await assertRepositoryRoot(io.cwd);
  const environments = only.length > 0 ? [...new Set(only)].sort() : await listEnvironments(io.cwd);
  const sources = await Promise.all(environments.map((environment) => readEnvironment(io.cwd, environment)));
  const rendered = await renderSources(sources, io, await misnamedEnvironmentFiles(io.cwd));
  if (!rendered) return EXIT.failed;
  const target = path.join(io.cwd, RENDERED_DIR);
  await assertReplaceable(target, RENDERED_DIR, () => true);
  let tree = renderTree(rendered);
  if (only.length > 0) {
    const kept = [...await readTree(target)].filter(([file]) => file !== SCHEMA_FILE && !environments.some((env) => file.startsWith(`${env}/`)));
    tree = new Map([...kept, ...tree]);
  }
  await replaceDirectory(target, tree, RENDERED_DIR);
  io.out(`rendered ${environments.map((env) => `${RENDERED_DIR}/${env}/`).join(", ")} and ${RENDERED_DIR}/${SCHEMA_FILE}`);
  return EXIT.ok;
}
async function renderOneFile(topologyFile, out, io) {
  const source = await readTopologyFile(path.resolve(io.cwd, topologyFile), { option: "--topology", shown: topologyFile });
  const rendered = await renderSources([{ ...source, file: topologyFile }], io);
  if (!rendered) return EXIT.failed;
  const target = path.resolve(io.cwd, out);
  await assertReplaceable(target, out, (name, kind) => kind === "a file" && ENVIRONMENT_FILES.includes(name) || kind === "a folder" && ENVIRONMENT_FOLDERS.includes(name));
  const files = rendered[0].files;
  await replaceDirectory(target, new Map([...files].map(([name, text]) => [name, text])), out);
  io.out(`rendered ${topologyFile} into ${out}/ (${[...files.keys()].join(", ")})`);
  return EXIT.ok;
}
export {
  renderCommand
};
