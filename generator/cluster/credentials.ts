// MinIO credentials, from the environment, action inputs, or a KEY=value file such as the one the e2e harness writes
// (~/.cache/milvus-swarm/local.env). Never from the repository, and never printed: every reason verify prints goes
// through redact(). verify signs in as its own user (MINIO_VERIFY_USER / MINIO_VERIFY_PASSWORD: the values of the
// swarm secrets minio.verifyUserSecret / verifyPasswordSecret, a user deploy creates with least privilege); the root
// credentials (MINIO_ROOT_USER / MINIO_ROOT_PASSWORD) only when verify's are not given, and then its row warns.
// Deploy needs both pairs: root to create verify's user, and verify's values to create it with.

export const USER_VARIABLE = 'MINIO_ROOT_USER';
export const PASSWORD_VARIABLE = 'MINIO_ROOT_PASSWORD';
export const VERIFY_USER_VARIABLE = 'MINIO_VERIFY_USER';
export const VERIFY_PASSWORD_VARIABLE = 'MINIO_VERIFY_PASSWORD';

/** Whose credentials: verify's own user, or MinIO's root user. */
export type MinioUser = 'verify' | 'root';

export interface MinioCredentials {
  accessKey: string;
  secretKey: string;
  /** Whose they are, when known: it decides the advice a refusal gets, and root's use is warned about. */
  user?: MinioUser;
}

/**
 * `KEY=value` lines, as docker's --env-file and systemd's EnvironmentFile read them: blank lines and `#` comments
 * are skipped, an `export ` prefix is allowed, one pair of matching quotes around the value is removed.
 */
export function parseEnvFile(text: string): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) {
      // The line may hold a secret: name the line, never show it.
      problems.push(`line ${index + 1}: expected KEY=value`);
      return;
    }
    let value = match[2]!;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    values[match[1]!] = value;
  });
  return { values, problems };
}

type Sources = Record<string, string | undefined>[];

/** The pair of variables from these sources, earliest first; undefined unless both have a value. */
function pair(sources: Sources, userVariable: string, passwordVariable: string, user: MinioUser): MinioCredentials | undefined {
  const pick = (name: string) => sources.map((source) => source[name]).find((value) => value !== undefined && value !== '');
  const accessKey = pick(userVariable);
  const secretKey = pick(passwordVariable);
  return accessKey !== undefined && secretKey !== undefined ? { accessKey, secretKey, user } : undefined;
}

/**
 * What verify signs in with: verify's own user when both its values are given, else root's. Sources come earliest
 * first: an explicitly named file beats the inherited environment, because naming it is the more deliberate act, so
 * the first source holding a whole pair decides (a file with root's pair beats verify's in the environment). Missing
 * is a value, not an exception.
 */
export function credentialsFrom(...sources: Sources): MinioCredentials | undefined {
  for (const source of sources) {
    const found = verifyUserCredentialsFrom(source) ?? rootCredentialsFrom(source);
    if (found) return found;
  }
  return verifyUserCredentialsFrom(...sources) ?? rootCredentialsFrom(...sources);
}

/** MINIO_ROOT_USER / MINIO_ROOT_PASSWORD: what deploy creates verify's user with. */
export const rootCredentialsFrom = (...sources: Sources): MinioCredentials | undefined => pair(sources, USER_VARIABLE, PASSWORD_VARIABLE, 'root');

/** MINIO_VERIFY_USER / MINIO_VERIFY_PASSWORD: verify's own user. */
export const verifyUserCredentialsFrom = (...sources: Sources): MinioCredentials | undefined => pair(sources, VERIFY_USER_VARIABLE, VERIFY_PASSWORD_VARIABLE, 'verify');

/** backup and restore sign in as root: a point lists every version of Milvus's bucket, a restore copies and hides objects. */
export const MISSING_ROOT_CREDENTIALS = `${USER_VARIABLE} and ${PASSWORD_VARIABLE} (MinIO's root user: a recovery point lists every version of Milvus's bucket, a restore copies objects back) are not set: export them (the swarm secrets' values) or pass --credentials FILE`;

export const MISSING_CREDENTIALS = `${VERIFY_USER_VARIABLE} and ${VERIFY_PASSWORD_VARIABLE} (verify's own MinIO user) are not set: export them (the swarm secrets' values) or pass --credentials FILE`;

/** The variables and swarm secrets a refused signature points at. */
export function credentialsHint(secrets: { rootUser: string; rootPassword: string; verifyUser: string; verifyPassword: string }, user: MinioUser | undefined): string {
  return user === 'verify'
    ? `${VERIFY_USER_VARIABLE}/PASSWORD must be the values of the swarm secrets ${secrets.verifyUser}/${secrets.verifyPassword}, and deploy must have created that user (its verify-user step)`
    : `${USER_VARIABLE}/PASSWORD must be the values of the swarm secrets ${secrets.rootUser}/${secrets.rootPassword}`;
}

/** Replaces every occurrence of a secret (and of its URL-encoded form) with ***. Short values are left alone. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  const forms = secrets
    .filter((secret): secret is string => secret !== undefined && secret.length >= 3)
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .sort((a, b) => b.length - a.length);
  for (const form of forms) result = result.split(form).join('***');
  return result;
}
