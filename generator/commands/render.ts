import { existsSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_FILES } from '../render/index.ts';
import { renderTree, SCHEMA_FILE } from '../workspace/pipeline.ts';
import {
  assertEnvironmentName,
  assertRepositoryRoot,
  listEnvironments,
  misnamedEnvironmentFiles,
  readEnvironment,
  readTopologyFile,
  RENDERED_DIR,
  UsageError,
} from '../workspace/repository.ts';
import { readTree, replaceDirectory } from '../workspace/tree.ts';
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
  let tree = renderTree(rendered);
  if (only.length > 0) {
    // Keep the other environments' folders as they are; replace only the named ones (and the schema).
    const kept = [...(await readTree(target))].filter(([file]) => file !== SCHEMA_FILE && !environments.some((env) => file.startsWith(`${env}/`)));
    tree = new Map([...kept, ...tree]);
  }
  await replaceDirectory(target, tree);
  io.out(`rendered ${environments.map((env) => `${RENDERED_DIR}/${env}/`).join(', ')} and ${RENDERED_DIR}/${SCHEMA_FILE}`);
  return EXIT.ok;
}

async function renderOneFile(topologyFile: string, out: string, io: CommandIO): Promise<number> {
  const source = await readTopologyFile(path.resolve(io.cwd, topologyFile), { option: '--topology', shown: topologyFile });
  const rendered = await renderSources([{ ...source, file: topologyFile }], io);
  if (!rendered) return EXIT.failed;
  const target = path.resolve(io.cwd, out);
  await refuseForeignDirectory(target, out);
  const files = rendered[0]!.files;
  await replaceDirectory(target, new Map([...files].map(([name, text]) => [name, text])));
  io.out(`rendered ${topologyFile} into ${out}/ (${[...files.keys()].join(', ')})`);
  return EXIT.ok;
}

/** --out replaces the folder: refuse one holding anything the generator did not write (a typo must not eat $HOME). */
async function refuseForeignDirectory(target: string, shown: string): Promise<void> {
  if (!existsSync(target)) return;
  const foreign = [...(await readTree(target)).keys()].filter((file) => !(ENVIRONMENT_FILES as readonly string[]).includes(file));
  if (foreign.length > 0) {
    throw new UsageError(`${shown} holds files the generator does not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}): choose an empty or a rendered folder`);
  }
}
