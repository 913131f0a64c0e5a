// MinIO credentials of a test stack, root and verify's own user's: generated here, given to swarm as the secrets the
// topology names, and kept only in ~/.cache/milvus-swarm/<env>.env (mode 600) for deploy, `verify --env <env>` and the
// tests — beside DOCKER_HOST when the stack lives on the staging swarm's engines. Never printed, never in the
// repository.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docker } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { envFile, LOCAL_ENV_FILE } from './paths.ts';

export interface MinioCredentials {
  user: string;
  password: string;
  /** verify's own MinIO user (deploy creates it from these). */
  verifyUser: string;
  verifyPassword: string;
}

/** The variable names deploy and `verify` read, in the order local.env lists them. */
export const ENV_NAMES = { user: 'MINIO_ROOT_USER', password: 'MINIO_ROOT_PASSWORD', verifyUser: 'MINIO_VERIFY_USER', verifyPassword: 'MINIO_VERIFY_PASSWORD' } as const;

/** Which secret (by the model's stack-local key) holds which credential. */
const SECRET_VALUE: Record<string, keyof MinioCredentials> = {
  minio_root_user: 'user',
  minio_root_password: 'password',
  minio_verify_user: 'verifyUser',
  minio_verify_password: 'verifyPassword',
};

export function generateCredentials(): MinioCredentials {
  return { user: `milvus-e2e-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url'), ...generateVerifyCredentials() };
}

const generateVerifyCredentials = () => ({ verifyUser: `milvus-e2e-verify-${randomBytes(4).toString('hex')}`, verifyPassword: randomBytes(24).toString('base64url') });

/** The file's credentials; verify's may be missing from a file written before verify had its own user. */
export async function readLocalEnv(file = LOCAL_ENV_FILE): Promise<MinioCredentials | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const values = new Map(
    text
      .split('\n')
      .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const user = values.get(ENV_NAMES.user);
  const password = values.get(ENV_NAMES.password);
  if (!user || !password) return undefined;
  return { user, password, verifyUser: values.get(ENV_NAMES.verifyUser) ?? '', verifyPassword: values.get(ENV_NAMES.verifyPassword) ?? '' };
}

/** The key the test runner signs recovery points with (generator/backup/pointKey.ts), kept beside the credentials. */
export const POINT_KEY_NAME = 'MILVUS_SWARM_POINT_KEY';

async function pointKeyIn(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return new RegExp(`^${POINT_KEY_NAME}=(.+)$`, 'm').exec(text)?.[1];
}

export async function writeLocalEnv(credentials: MinioCredentials, file = LOCAL_ENV_FILE, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  const lines = [
    ...Object.entries(extra).map(([name, value]) => `${name}=${value}`),
    ...(Object.keys(ENV_NAMES) as (keyof MinioCredentials)[]).map((key) => `${ENV_NAMES[key]}=${credentials[key]}`),
    `${POINT_KEY_NAME}=${(await pointKeyIn(file)) ?? randomBytes(32).toString('hex')}`,
  ];
  // Created with mode 600 (not chmod-ed afterwards), so the values are never readable by others, even briefly.
  await writeFile(temporary, `${lines.join('\n')}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

export async function removeLocalEnv(file = LOCAL_ENV_FILE): Promise<boolean> {
  const existed = (await readFile(file, 'utf8').catch(() => undefined)) !== undefined;
  await rm(file, { force: true });
  return existed;
}

/** Where the stack's credentials live and which engine holds its secrets (DOCKER_HOST in `env`, else the default). */
export interface SecretsTarget {
  file: string;
  env: NodeJS.ProcessEnv;
  /** Written into the file before the credentials (the staging swarm's DOCKER_HOST). */
  extra?: Record<string, string>;
}

export const targetFor = (model: ClusterModel): SecretsTarget => ({ file: envFile(model.environment), env: process.env });

export async function existingSecrets(names: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Set<string>> {
  const result = await docker(['secret', 'ls', '--format', '{{.Name}}'], { timeoutMs: 20_000, env });
  if (result.code !== 0) throw new Error(`docker secret ls: ${firstLines(result.stderr, 3)}`);
  const all = new Set(result.stdout.split('\n').filter((line) => line !== ''));
  return new Set(names.filter((name) => all.has(name)));
}

export interface SecretsReport {
  created: string[];
  /** true when local.env already held the credentials (the secrets, if missing, were made from them). */
  reusedCredentials: boolean;
}

/**
 * Makes sure every secret the model names exists and local.env holds its value. Existing secrets and credentials
 * are reused, so a second e2e:up changes nothing. Secrets whose values are lost (local.env deleted) cannot be read
 * back from swarm: that is an error with the way out.
 */
export async function ensureSecrets(model: ClusterModel, target: SecretsTarget = targetFor(model)): Promise<{ credentials: MinioCredentials; report: SecretsReport }> {
  const names = model.secrets.map((secret) => secret.name);
  const existing = await existingSecrets(names, target.env);
  let credentials = await readLocalEnv(target.file);
  const reusedCredentials = credentials !== undefined;
  if (!credentials) {
    if (existing.size > 0) {
      throw new Error(`secrets ${[...existing].join(', ')} exist but ${target.file} with their values does not: run npm run e2e:down -- --env ${model.environment}, then e2e:up again`);
    }
    credentials = generateCredentials();
    await writeLocalEnv(credentials, target.file, target.extra);
  } else if (!credentials.verifyUser || !credentials.verifyPassword) {
    // A file from before verify had its own user: add its values, unless its secrets exist without them.
    const verifySecrets = model.secrets.filter((secret) => SECRET_VALUE[secret.key]?.startsWith('verify')).map((secret) => secret.name);
    const orphaned = verifySecrets.filter((name) => existing.has(name));
    if (orphaned.length > 0) throw new Error(`secrets ${orphaned.join(', ')} exist but ${target.file} lacks their values: run npm run e2e:down -- --env ${model.environment}, then e2e:up again`);
    credentials = { ...credentials, ...generateVerifyCredentials() };
    await writeLocalEnv(credentials, target.file, target.extra);
  }
  // A file from before recovery points were signed: add the key (the points it signs live only as long as the tests).
  if (!(await pointKeyIn(target.file))) await appendFile(target.file, `${POINT_KEY_NAME}=${randomBytes(32).toString('hex')}\n`);
  const created: string[] = [];
  for (const secret of model.secrets) {
    if (existing.has(secret.name)) continue;
    const which = SECRET_VALUE[secret.key];
    if (!which) throw new Error(`the model names a secret "${secret.key}" the harness does not know how to fill`);
    const result = await docker(['secret', 'create', '--label', `io.milvus-swarm.environment=${model.environment}`, secret.name, '-'], {
      timeoutMs: 20_000,
      input: credentials[which],
      env: target.env,
    });
    if (result.code !== 0) throw new Error(`docker secret create ${secret.name}: ${firstLines(result.stderr, 3)}`);
    created.push(secret.name);
  }
  return { credentials, report: { created, reusedCredentials } };
}

export async function removeSecrets(model: ClusterModel, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const existing = await existingSecrets(model.secrets.map((secret) => secret.name), env);
  if (existing.size === 0) return [];
  const result = await docker(['secret', 'rm', ...existing], { timeoutMs: 20_000, env });
  if (result.code !== 0) throw new Error(`docker secret rm: ${firstLines(result.stderr, 3)}`);
  return [...existing];
}
