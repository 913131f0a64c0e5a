import { error, type Problem } from '../problems.ts';
import { printable } from '../text.ts';
import { walkValues } from '../values.ts';
import type { Rule } from './rule.ts';

/** Anything that looks like a credential belongs in a swarm secret, never in a reviewed, rendered file. */
const CREDENTIAL_NAME = /(USER|PASSWORD|SECRET|ACCESS_KEY|TOKEN)/;
/** Whole words of a variable name that say "secret" (`MINIO_KMS_KES_API_KEY`, `…_BIND_PASSWD`, `…_PRIVATE_KEY`). */
const CREDENTIAL_WORDS = new Set(['PASS', 'PASSWD', 'PWD', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'SECRETS']);
const CREDENTIAL_PAIRS = new Set(['API_KEY', 'PRIVATE_KEY', 'AUTH_KEY']);

export function looksLikeCredentialName(name: string): boolean {
  if (CREDENTIAL_NAME.test(name)) return true;
  const words = name.split('_');
  // A name ending in KEY is the key itself (MINIO_KMS_SECRET_KEY); KEY_NAME, KEY_FILE and the like say where it is.
  if (words[words.length - 1] === 'KEY') return true;
  return words.some((word, index) => CREDENTIAL_WORDS.has(word) || CREDENTIAL_PAIRS.has(`${word}_${words[index + 1] ?? ''}`));
}

/** `scheme://user:password@` — a URL carrying a password, anywhere in a value. */
const URL_WITH_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s:]*):[^/?#@\s]*@/i;

export const noCredentialsInTopology: Rule = {
  name: 'no-credentials-in-topology',
  why: 'topology files and rendered/ are committed; credentials come from swarm secrets only',
  check(topology) {
    const byName: Problem[] = Object.keys(topology.minio.env)
      .filter(looksLikeCredentialName)
      .map((name) => ({
        ...error(['minio', 'env', name], `${name} looks like a credential: topology files are committed; use minio.rootUserSecret / rootPasswordSecret (swarm secrets)`),
        atKey: true,
      }));
    const inUrls: Problem[] = [...walkValues(topology)].flatMap(({ path, value }) => {
      const match = typeof value === 'string' ? URL_WITH_PASSWORD.exec(value) : null;
      if (!match) return [];
      // The password is never printed back: the problem line ends up in CI logs.
      return [error(path, `"${printable(`${match[1]}${match[2]}`)}:***@" holds a user and password: topology files are committed; credentials come from swarm secrets only`)];
    });
    return [...byName, ...inUrls];
  },
};

/** The four MinIO credentials, each from its own swarm secret, in the order the topology lists them. */
const MINIO_SECRETS = [
  ['rootUserSecret', 'the root user'],
  ['rootPasswordSecret', 'the root password'],
  ['verifyUserSecret', "verify's user"],
  ['verifyPasswordSecret', "verify's password"],
] as const;

/**
 * One secret as two credentials would make one value both (the root user its own password, verify's user root
 * itself), and anyone who knows one knows the other.
 */
export const minioSecretsDistinct: Rule = {
  name: 'minio-secrets-distinct',
  why: "MinIO's root user and password and verify's user and password come from four different swarm secrets",
  check(topology) {
    return MINIO_SECRETS.flatMap(([field, what], index) => {
      const name = topology.minio[field];
      const earlier = MINIO_SECRETS.slice(0, index).find(([other]) => topology.minio[other] === name);
      if (!earlier) return [];
      if (field === 'rootPasswordSecret') {
        return [error(['minio', field], `the root password and the root user are both the secret "${name}": MinIO would read one value as both; create two secrets`)];
      }
      return [error(['minio', field], `${what} and ${earlier[1]} are both the secret "${name}": one value would be both credentials; give each its own secret`)];
    });
  },
};
