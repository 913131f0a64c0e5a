import path from 'node:path';
import { renderTree } from '../workspace/pipeline.ts';
import { assertRepositoryRoot, listEnvironments, misnamedEnvironmentFiles, readEnvironment, RENDERED_DIR } from '../workspace/repository.ts';
import { compareTrees, isSame, readTree } from '../workspace/tree.ts';
import { EXIT, type CommandIO } from './io.ts';
import { renderSources } from './renderAll.ts';

/** Renders in memory and compares with the committed rendered/: changed, missing and stray files all count. */
export async function checkCommand(io: CommandIO): Promise<number> {
  await assertRepositoryRoot(io.cwd);
  const environments = await listEnvironments(io.cwd);
  const rendered = await renderSources(await Promise.all(environments.map((env) => readEnvironment(io.cwd, env))), io, await misnamedEnvironmentFiles(io.cwd));
  if (!rendered) return EXIT.failed;
  const difference = compareTrees(renderTree(rendered), await readTree(path.join(io.cwd, RENDERED_DIR)));
  if (isSame(difference)) {
    io.out(`${RENDERED_DIR}/ matches the generator (${environments.length} environments)`);
    return EXIT.ok;
  }
  for (const { file, firstDifferentLine } of difference.changed) io.err(`changed: ${RENDERED_DIR}/${file} (first difference at line ${firstDifferentLine})`);
  for (const file of difference.missing) io.err(`missing: ${RENDERED_DIR}/${file}`);
  for (const file of difference.stray) io.err(`stray: ${RENDERED_DIR}/${file} (the generator does not produce it)`);
  const count = difference.changed.length + difference.missing.length + difference.stray.length;
  io.err(`${count === 1 ? '1 file differs' : `${count} files differ`} from what the generator renders: run \`npx milvus-swarm render\` and commit ${RENDERED_DIR}/`);
  return EXIT.failed;
}
