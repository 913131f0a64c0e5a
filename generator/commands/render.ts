import path from 'node:path';
import { ENVIRONMENT_FILES, ENVIRONMENT_FOLDERS } from '../render/index.ts';
import { renderTree, SCHEMA_FILE } from '../workspace/pipeline.ts';
import { UsageError } from '../usageError.ts';
import { assertEnvironmentName, assertRepositoryRoot, listEnvironments, misnamedEnvironmentFiles, readEnvironment, readTopologyFile, RENDERED_DIR } from '../workspace/repository.ts';
import { assertReplaceable, readTree, replaceDirectory } from '../workspace/tree.ts';
import { EXIT, type CommandIO } from './io.ts';
import { renderSources } from './renderAll.ts';

export interface RenderOptions {
  environments: string[];
  topology?: string;
  out?: string;
}

export async function renderCommand(options: RenderOptions, io: CommandIO): Promise<number> {
  if ((options.topology === undefined) !== (options.out === undefined)) throw new UsageError('--topology and --out go together');
  if (options.topology !== undefined && options.environments.length > 0) throw new UsageError('--env cannot be combined with --topology');
  return options.topology !== undefined ? renderOneFile(options.topology, options.out!, io) : renderRepository(options.environments, io);
}

async function renderRepository(only: string[], io: CommandIO): Promise<number> {
  for (const environment of only) assertEnvironmentName(environment);
  await assertRepositoryRoot(io.cwd);
  const environments = only.length > 0 ? [...new Set(only)].sort() : await listEnvironments(io.cwd);
  const sources = await Promise.all(environments.map((environment) => readEnvironment(io.cwd, environment)));
  const rendered = await renderSources(sources, io, await misnamedEnvironmentFiles(io.cwd));
  if (!rendered) return EXIT.failed;

  const target = path.join(io.cwd, RENDERED_DIR);
  // rendered/ is the generator's own: anything in it may go, but it must be a real, writable folder.
  await assertReplaceable(target, RENDERED_DIR, () => true);
  let tree = renderTree(rendered);
  if (only.length > 0) {
    // Keep the other environments' folders as they are; replace only the named ones (and the schema).
    const kept = [...(await readTree(target))].filter(([file]) => file !== SCHEMA_FILE && !environments.some((env) => file.startsWith(`${env}/`)));
    tree = new Map([...kept, ...tree]);
  }
  await replaceDirectory(target, tree, RENDERED_DIR);
  io.out(`rendered ${environments.map((env) => `${RENDERED_DIR}/${env}/`).join(', ')} and ${RENDERED_DIR}/${SCHEMA_FILE}`);
  return EXIT.ok;
}

async function renderOneFile(topologyFile: string, out: string, io: CommandIO): Promise<number> {
  const source = await readTopologyFile(path.resolve(io.cwd, topologyFile), { option: '--topology', shown: topologyFile });
  const rendered = await renderSources([{ ...source, file: topologyFile }], io);
  if (!rendered) return EXIT.failed;
  const target = path.resolve(io.cwd, out);
  // --out replaces the folder: only a missing path or a folder holding nothing but what the generator writes (a typo
  // must not eat $HOME, a link must not send the files elsewhere, a device must not be replaced).
  await assertReplaceable(target, out, (name, kind) => (kind === 'a file' && (ENVIRONMENT_FILES as readonly string[]).includes(name)) || (kind === 'a folder' && ENVIRONMENT_FOLDERS.includes(name)));
  const files = rendered[0]!.files;
  await replaceDirectory(target, new Map([...files].map(([name, text]) => [name, text])), out);
  io.out(`rendered ${topologyFile} into ${out}/ (${[...files.keys()].join(', ')})`);
  return EXIT.ok;
}
