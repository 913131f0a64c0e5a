import path from 'node:path';
import { renderTree } from '../workspace/pipeline.ts';
import { assertRepositoryRoot, listEnvironments, misnamedEnvironmentFiles, readEnvironment, RENDERED_DIR } from '../workspace/repository.ts';
import { compareTrees, fileMode, readDiskTree } from '../workspace/tree.ts';
import { EXIT, type CommandIO } from './io.ts';
import { renderSources } from './renderAll.ts';

/** Renders in memory and compares with the committed rendered/: changed, missing and stray files all count. */
export async function checkCommand(io: CommandIO): Promise<number> {
  await assertRepositoryRoot(io.cwd);
  const environments = await listEnvironments(io.cwd);
  const rendered = await renderSources(await Promise.all(environments.map((env) => readEnvironment(io.cwd, env))), io, await misnamedEnvironmentFiles(io.cwd));
  if (!rendered) return EXIT.failed;
  const expected = renderTree(rendered);
  const disk = await readDiskTree(path.join(io.cwd, RENDERED_DIR));
  const difference = compareTrees(expected, disk.files);
  // What is not a regular file is never read: a link or a pipe where a file belongs is a change, elsewhere stray.
  const irregular = [...disk.others].filter(([file]) => expected.has(file));
  const strayOthers = [...disk.others].filter(([file]) => !expected.has(file));
  const missing = difference.missing.filter((file) => !disk.others.has(file));
  // git records the executable bit: prepare-hosts.sh losing it (or stack.yaml gaining it) is drift.
  const modes = [...expected.keys()].filter((file) => disk.files.has(file) && disk.executable.has(file) !== ((fileMode(file) & 0o100) !== 0));

  const lines = [
    ...difference.changed.map(({ file, firstDifferentLine }) => `changed: ${RENDERED_DIR}/${file} (first difference at line ${firstDifferentLine})`),
    ...irregular.map(([file, kind]) => `changed: ${RENDERED_DIR}/${file} (${kind}, not a file)`),
    ...missing.map((file) => `missing: ${RENDERED_DIR}/${file}`),
    ...[...difference.stray.map((file) => [file, 'the generator does not produce it']), ...strayOthers.map(([file, kind]) => [file, `${kind}; the generator does not produce it`])]
      .sort(([a], [b]) => a!.localeCompare(b!))
      .map(([file, why]) => `stray: ${RENDERED_DIR}/${file} (${why})`),
    ...modes.map((file) =>
      disk.executable.has(file)
        ? `mode: ${RENDERED_DIR}/${file} is executable (the generator writes it 0${fileMode(file).toString(8)}; git records the bit)`
        : `mode: ${RENDERED_DIR}/${file} is not executable (the generator writes it 0${fileMode(file).toString(8)}; git records the bit)`,
    ),
  ];
  if (lines.length === 0) {
    io.out(`${RENDERED_DIR}/ matches the generator (${environments.length} environments)`);
    return EXIT.ok;
  }
  for (const line of lines) io.err(line);
  const count = new Set(lines.map((line) => line.split(' ')[1])).size;
  io.err(`${count === 1 ? '1 file differs' : `${count} files differ`} from what the generator renders: run \`npx milvus-swarm render\` and commit ${RENDERED_DIR}/`);
  return EXIT.failed;
}
