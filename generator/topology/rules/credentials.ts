import { error } from '../problems.ts';
import type { Rule } from './rule.ts';

/** Anything that looks like a credential belongs in a swarm secret, never in a reviewed, rendered file. */
const CREDENTIAL_NAME = /(USER|PASSWORD|SECRET|ACCESS_KEY|TOKEN)/;

export const noCredentialsInTopology: Rule = {
  name: 'no-credentials-in-topology',
  why: 'topology files and rendered/ are committed; credentials come from swarm secrets only',
  check(topology) {
    return Object.keys(topology.minio.env)
      .filter((name) => CREDENTIAL_NAME.test(name))
      .map((name) => ({
        ...error(['minio', 'env', name], `${name} looks like a credential: topology files are committed; use minio.rootUserSecret / rootPasswordSecret (swarm secrets)`),
        atKey: true,
      }));
  },
};

/** One secret as both would make MinIO's root user its password (and anyone who knows one knows the other). */
export const minioSecretsDistinct: Rule = {
  name: 'minio-secrets-distinct',
  why: "MinIO's root user and root password come from two different swarm secrets",
  check(topology) {
    const { rootUserSecret, rootPasswordSecret } = topology.minio;
    if (rootUserSecret !== rootPasswordSecret) return [];
    return [
      error(
        ['minio', 'rootPasswordSecret'],
        `the root password and the root user are both the secret "${rootPasswordSecret}": MinIO would read one value as both; create two secrets`,
      ),
    ];
  },
};
