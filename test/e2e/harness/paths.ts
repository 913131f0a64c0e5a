// Where the harness keeps what it builds and what it must remember between runs (outside the repository).
import { homedir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** MILVUS_SWARM_CACHE overrides the default ~/.cache/milvus-swarm (XDG_CACHE_HOME is honoured too). */
export const CACHE_DIR = process.env.MILVUS_SWARM_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'milvus-swarm');

/** The credentials of the running local stack, as `KEY=value` lines in the names `verify` reads. Mode 600. */
export const LOCAL_ENV_FILE = path.join(CACHE_DIR, 'local.env');

/** What e2e:up started (engine, swarm), so e2e:down stops exactly that and nothing else. */
export const ENGINE_STATE_FILE = path.join(CACHE_DIR, 'engine', 'started.json');
export const DOCKERD_LOG = path.join(CACHE_DIR, 'engine', 'dockerd.log');

export const ENVIRONMENT = 'local';
