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
  compareTrees,
  fileMode,
  readDiskTree,
  renderTree
} from "./chunk-TL6JWHVR.js";
import "./chunk-VGCQJTHM.js";
import "./chunk-BGKEIBXC.js";
import "./chunk-L6EL3X6N.js";
import "./chunk-7RFT6GXS.js";
import "./chunk-C6KIAFBQ.js";
import "./chunk-MQ2ZPAUY.js";
import {
  RENDERED_DIR,
  assertRepositoryRoot,
  listEnvironments,
  misnamedEnvironmentFiles,
  readEnvironment
} from "./chunk-K5CMLZDE.js";
import "./chunk-2LNUBGRU.js";
import "./chunk-JODZXVQZ.js";
import {
  EXIT
} from "./chunk-F2OZ5ZEY.js";

// generator/commands/check.ts
import path from "node:path";
async function checkCommand(io) {
  await assertRepositoryRoot(io.cwd);
  const environments = await listEnvironments(io.cwd);
  const rendered = await renderSources(await Promise.all(environments.map((env) => readEnvironment(io.cwd, env))), io, await misnamedEnvironmentFiles(io.cwd));
  if (!rendered) return EXIT.failed;
  const expected = renderTree(rendered);
  const disk = await readDiskTree(path.join(io.cwd, RENDERED_DIR));
  const difference = compareTrees(expected, disk.files);
  const irregular = [...disk.others].filter(([file]) => expected.has(file));
  const strayOthers = [...disk.others].filter(([file]) => !expected.has(file));
  const missing = difference.missing.filter((file) => !disk.others.has(file));
  const modes = [...expected.keys()].filter((file) => disk.files.has(file) && disk.executable.has(file) !== ((fileMode(file) & 64) !== 0));
  const lines = [
    ...difference.changed.map(({ file, firstDifferentLine }) => `changed: ${RENDERED_DIR}/${file} (first difference at line ${firstDifferentLine})`),
    ...irregular.map(([file, kind]) => `changed: ${RENDERED_DIR}/${file} (${kind}, not a file)`),
    ...missing.map((file) => `missing: ${RENDERED_DIR}/${file}`),
    ...[...difference.stray.map((file) => [file, "the generator does not produce it"]), ...strayOthers.map(([file, kind]) => [file, `${kind}; the generator does not produce it`])].sort(([a], [b]) => a.localeCompare(b)).map(([file, why]) => `stray: ${RENDERED_DIR}/${file} (${why})`),
    ...modes.map(
      (file) => disk.executable.has(file) ? `mode: ${RENDERED_DIR}/${file} is executable (the generator writes it 0${fileMode(file).toString(8)}; git records the bit)` : `mode: ${RENDERED_DIR}/${file} is not executable (the generator writes it 0${fileMode(file).toString(8)}; git records the bit)`
    )
  ];
  if (lines.length === 0) {
    io.out(`${RENDERED_DIR}/ matches the generator (${environments.length} environments)`);
    return EXIT.ok;
  }
  for (const line of lines) io.err(line);
  const count = new Set(lines.map((line) => line.split(" ")[1])).size;
  io.err(`${count === 1 ? "1 file differs" : `${count} files differ`} from what the generator renders: run \`npx milvus-swarm render\` and commit ${RENDERED_DIR}/`);
  return EXIT.failed;
}
export {
  checkCommand
};
