// Reading the repository: environments/*.yaml and the templates under conf/.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Templates } from '../render/index.ts';
import { didYouMean } from '../topology/didYouMean.ts';
import { UsageError } from '../usageError.ts';
import { MAX_TOPOLOGY_BYTES } from '../topology/load.ts';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName, quoted } from '../topology/names.ts';
import type { LocatedProblem } from '../topology/problems.ts';
import type { TopologySource } from './pipeline.ts';

export const ENVIRONMENTS_DIR = 'environments';
export const RENDERED_DIR = 'rendered';

/** Every template a renderer reads, by its path in the repository. */
export const TEMPLATE_FILES: Readonly<Record<keyof Templates, string>> = { nginxConf: 'conf/nginx/nginx.conf.hbs' };


export async function assertRepositoryRoot(root: string): Promise<void> {
  const found = await stat(path.join(root, ENVIRONMENTS_DIR)).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new UsageError(`no ${ENVIRONMENTS_DIR}/ folder in ${root}: run from the milvus-swarm repository root (or use --topology FILE --out DIR)`);
  }
}

/** The environments: environments/NAME.yaml for every NAME that is an environment name. */
export async function listEnvironments(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, ENVIRONMENTS_DIR));
  return names
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .filter(isEnvironmentName)
    .sort();
}

/**
 * YAML files in environments/ that listEnvironments does not take (`Staging.yaml`, `staging.yml`): each is a problem,
 * so a misnamed environment is reported instead of silently never rendered or deployed. Other files are left alone.
 */
export async function misnamedEnvironmentFiles(root: string): Promise<LocatedProblem[]> {
  const names = await readdir(path.join(root, ENVIRONMENTS_DIR));
  return names
    .filter((name) => /\.ya?ml$/i.test(name) && !(name.endsWith('.yaml') && isEnvironmentName(name.slice(0, -'.yaml'.length))))
    .sort()
    .map((name) => {
      const base = name.replace(/\.ya?ml$/i, '');
      const fixed = base.toLowerCase();
      const rename = isEnvironmentName(fixed) ? `rename the file to ${ENVIRONMENTS_DIR}/${fixed}.yaml` : 'rename the file';
      const message = !name.endsWith('.yaml')
        ? `environment files end in .yaml: ${rename}`
        : `${quoted(base)} is not an environment name${isEnvironmentName(fixed) ? '' : ` (${ENVIRONMENT_NAME_RULE})`}: ${rename}`;
      return { file: `${ENVIRONMENTS_DIR}/${name}`, line: 1, column: 1, severity: 'error' as const, path: [], message };
    });
}

/** An --env value (or the actions' `environment` input) that is not an environment name: a usage error, before any I/O. */
export function assertEnvironmentName(environment: string, option = '--env'): void {
  if (!isEnvironmentName(environment)) throw new UsageError(`${option} ${quoted(environment)}: ${ENVIRONMENT_NAME_RULE}`);
}

export async function readEnvironment(root: string, environment: string): Promise<TopologySource> {
  assertEnvironmentName(environment);
  const file = `${ENVIRONMENTS_DIR}/${environment}.yaml`;
  const text = await readTopologyText(path.join(root, file)).catch(async () => {
    const known = await listEnvironments(root).catch(() => []);
    const listed = known.length > 0 ? `; the environments are ${known.join(', ')}${suggestion(environment, known)}` : '';
    throw new UsageError(`unknown environment "${environment}": ${file} does not exist${listed}`);
  });
  return { environment, file, text };
}

/** A unique name the input begins (`prod` → production), else the closest by spelling. */
function suggestion(input: string, known: readonly string[]): string {
  const prefixed = known.filter((name) => name.startsWith(input.toLowerCase()));
  return prefixed.length === 1 ? ` (did you mean "${prefixed[0]}"?)` : didYouMean(input, known);
}

/**
 * A topology file anywhere; its name (without .yaml or .yml) names the environment, which must be an environment
 * name when `option` says which argument gave the file (`--topology`, `--to`).
 */
export async function readTopologyFile(file: string, naming?: { option: string; shown: string }): Promise<TopologySource> {
  const environment = path.basename(file).replace(/\.ya?ml$/, '');
  if (naming && !isEnvironmentName(environment)) {
    throw new UsageError(`${naming.option} ${printableArgument(naming.shown)}: the file name gives the environment name ${quoted(environment)}, but ${ENVIRONMENT_NAME_RULE}: rename the file`);
  }
  const text = await readTopologyText(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${printableArgument(file)}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  return { environment, file, text };
}

/** Reads one repository file by its relative path: from a folder, or from a git revision (plan --base). */
export type RepositoryReader = (file: string) => Promise<string>;

export const readFromDirectory =
  (root: string): RepositoryReader =>
  (file) =>
    readFile(path.join(root, file), 'utf8');

/**
 * Templates ship with the generator, so by default they are found next to it, not in the current directory: the
 * folder above generator/, whether this runs from the source (generator/workspace/) or the bundle (generator/bin/dist/).
 */
const PACKAGE_ROOT = (() => {
  const parts = import.meta.dirname.split(path.sep);
  const at = parts.lastIndexOf('generator');
  return at > 0 ? parts.slice(0, at).join(path.sep) || path.sep : path.resolve(import.meta.dirname, '..', '..');
})();

/**
 * The one reader of templates: the generator's own by default; deploy reads the repository it deploys, plan reads
 * both sides of a change.
 */
export async function readTemplates(read: RepositoryReader = readFromDirectory(PACKAGE_ROOT)): Promise<Templates> {
  return { nginxConf: await read(TEMPLATE_FILES.nginxConf) };
}

/** A path as given on the command line, in a message: as it is, unless it holds something unprintable. */
const printableArgument = (value: string): string => (quoted(value) === JSON.stringify(value) && !/["\\]/.test(value) ? value : quoted(value));

/**
 * At most one byte more than a topology may hold, so the size check refuses a large file without reading it all, and
 * a device (`/dev/zero`) or a pipe is never read forever.
 */
export async function readTopologyText(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_TOPOLOGY_BYTES + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled).toString('utf8');
  } finally {
    await handle.close();
  }
}

