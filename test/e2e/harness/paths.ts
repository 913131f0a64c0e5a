// Where the harness keeps what it builds and what it must remember between runs (outside the repository).
import { homedir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** MILVUS_SWARM_CACHE overrides the default ~/.cache/milvus-swarm (XDG_CACHE_HOME is honoured too). */
export const CACHE_DIR = process.env.MILVUS_SWARM_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'milvus-swarm');

/** The credentials of a running test stack (and DOCKER_HOST for staging), as `KEY=value` lines in the names `verify` reads. Mode 600. */
export const envFile = (environment: string) => path.join(CACHE_DIR, `${environment}.env`);
export const LOCAL_ENV_FILE = envFile('local');

/** What e2e:up started (engine, swarm), so e2e:down stops exactly that and nothing else. */
export const ENGINE_STATE_FILE = path.join(CACHE_DIR, 'engine', 'started.json');
export const DOCKERD_LOG = path.join(CACHE_DIR, 'engine', 'dockerd.log');

export const ENVIRONMENT = 'local';
