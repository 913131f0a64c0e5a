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
