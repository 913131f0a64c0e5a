// Reading the repository: environments/*.yaml and the templates under conf/.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Templates } from '../render/index.ts';
import { MAX_TOPOLOGY_BYTES } from '../topology/load.ts';
import type { TopologySource } from './pipeline.ts';

export const ENVIRONMENTS_DIR = 'environments';
export const RENDERED_DIR = 'rendered';
export const NGINX_TEMPLATE = 'conf/nginx/nginx.conf.hbs';

export class UsageError extends Error {}

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
  const text = await readTopologyText(path.join(root, file)).catch(() => {
    throw new UsageError(`unknown environment "${environment}": ${file} does not exist`);
  });
  return { environment, file, text };
}

export async function readTopologyFile(file: string): Promise<TopologySource> {
  const text = await readTopologyText(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const environment = path.basename(file).replace(/\.ya?ml$/, '');
  return { environment, file, text };
}

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

/** Templates ship with the generator, so they are found next to it, not in the current directory. */
export async function readTemplates(): Promise<Templates> {
  const packageRoot = path.resolve(import.meta.dirname, '..', '..');
  return { nginxConf: await readFile(path.join(packageRoot, NGINX_TEMPLATE), 'utf8') };
}
