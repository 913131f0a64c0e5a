// MinIO's root credentials for verify: from the environment (MINIO_ROOT_USER / MINIO_ROOT_PASSWORD), action inputs,
// or a KEY=value file such as the one the e2e harness writes (~/.cache/milvus-swarm/local.env). Never from the
// repository, and never printed: every reason verify prints goes through redact().

export const USER_VARIABLE = 'MINIO_ROOT_USER';
export const PASSWORD_VARIABLE = 'MINIO_ROOT_PASSWORD';

export interface MinioCredentials {
  accessKey: string;
  secretKey: string;
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

/**
 * The credentials from these sources, earliest first: an explicitly named file beats the inherited environment,
 * because naming it is the more deliberate act. Missing is a value, not an exception.
 */
export function credentialsFrom(...sources: Record<string, string | undefined>[]): MinioCredentials | undefined {
  const pick = (name: string) => sources.map((source) => source[name]).find((value) => value !== undefined && value !== '');
  const accessKey = pick(USER_VARIABLE);
  const secretKey = pick(PASSWORD_VARIABLE);
  return accessKey !== undefined && secretKey !== undefined ? { accessKey, secretKey } : undefined;
}

export const MISSING_CREDENTIALS = `${USER_VARIABLE} and ${PASSWORD_VARIABLE} are not set: export them (the swarm secrets' values) or pass --env-file FILE`;

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
