// Reading the repository: environments/*.yaml and the templates under conf/.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Templates } from '../render/index.ts';
import { UsageError } from '../usageError.ts';
import type { TopologySource } from './pipeline.ts';

export const ENVIRONMENTS_DIR = 'environments';
export const RENDERED_DIR = 'rendered';

/** Every template a renderer reads, by its path in the repository. */
export const TEMPLATE_FILES: Readonly<Record<keyof Templates, string>> = { nginxConf: 'conf/nginx/nginx.conf.hbs' };


/** Environment names are file names; the same rule as service names keeps them safe as folder names. */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;

export async function assertRepositoryRoot(root: string): Promise<void> {
  const found = await stat(path.join(root, ENVIRONMENTS_DIR)).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new UsageError(`no ${ENVIRONMENTS_DIR}/ folder in ${root}: run from the milvus-swarm repository root (or use --topology FILE --out DIR)`);
  }
}

export async function listEnvironments(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, ENVIRONMENTS_DIR));
  return names
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .filter((name) => ENVIRONMENT_NAME.test(name))
    .sort();
}

export async function readEnvironment(root: string, environment: string): Promise<TopologySource> {
  const file = `${ENVIRONMENTS_DIR}/${environment}.yaml`;
  const text = await readFile(path.join(root, file), 'utf8').catch(() => {
    throw new UsageError(`unknown environment "${environment}": ${file} does not exist`);
  });
  return { environment, file, text };
}

export async function readTopologyFile(file: string): Promise<TopologySource> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const environment = path.basename(file).replace(/\.ya?ml$/, '');
  return { environment, file, text };
}

/** Reads one repository file by its relative path: from a folder, or from a git revision (plan --base). */
export type RepositoryReader = (file: string) => Promise<string>;

export const readFromDirectory =
  (root: string): RepositoryReader =>
  (file) =>
    readFile(path.join(root, file), 'utf8');

/** Templates ship with the generator, so by default they are found next to it, not in the current directory. */
const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * The one reader of templates: the generator's own by default; deploy reads the repository it deploys, plan reads
 * both sides of a change.
 */
export async function readTemplates(read: RepositoryReader = readFromDirectory(PACKAGE_ROOT)): Promise<Templates> {
  return { nginxConf: await read(TEMPLATE_FILES.nginxConf) };
}
