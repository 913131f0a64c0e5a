// The DNS-label rule, in one place: swarm service, network and stack names in the schema, and environment names
// wherever one comes in (a file in environments/, --env, a --topology file's name, the actions' `environment`
// input). An environment name becomes a folder under rendered/, a swarm label, a runner label and a word in
// prepare-hosts.sh and nginx.conf: the rule keeps it a plain word in all of them.
import { printable } from './text.ts';

export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const ENVIRONMENT_NAME_RULE =
  'an environment name is a DNS label: lowercase letters, digits and "-", starting with a letter, not ending with "-", at most 63 characters';

export const isEnvironmentName = (name: string): boolean => DNS_LABEL.test(name);

/** `"../../x"` as a message shows it: JSON-quoted, with anything unprintable escaped. */
export const quoted = (value: string): string => printable(JSON.stringify(value));
