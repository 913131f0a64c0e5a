// create-secrets.sh: the README's "Before the first deploy" step as a script. The values come from the environment
// variables verify reads (MINIO_ROOT_USER, MINIO_ROOT_PASSWORD), never from the repository, and are never printed.
import type { ClusterModel } from '../model/types.ts';
import { shellQuote } from './quote.ts';
import { generatedHeader } from './yaml.ts';

/** The variable that holds a secret's value: the stack-local keys are named after them (cluster/credentials.ts). */
export const secretVariable = (key: string): string => key.toUpperCase();

export function renderCreateSecrets(model: ClusterModel): string {
  return [
    '#!/usr/bin/env bash',
    generatedHeader('#', model.source).trimEnd(),
    '#',
    `# Creates the external swarm secrets of environment ${shellQuote(model.environment)} that do not exist yet, from the`,
    '# environment variables named below (never from a file in this repository). Run it on a swarm manager. A secret',
    '# that exists is left alone: swarm secrets cannot change (to rotate one, give it a new name in the topology).',
    '#',
    '# Usage: create-secrets.sh [--dry-run]',
    'set -euo pipefail',
    '',
    'dry_run=0',
    'usage() { sed -n \'s/^# Usage: //p\' "$0"; }',
    'case "${1:-}" in',
    "  '') ;;",
    '  -n|--dry-run) dry_run=1 ;;',
    '  -h|--help) usage; exit 0 ;;',
    '  *) echo "create-secrets.sh: unknown option $1" >&2; usage >&2; exit 2 ;;',
    'esac',
    'if ! docker info --format \'{{.Swarm.ControlAvailable}}\' 2>/dev/null | grep -qx true; then',
    '  echo "create-secrets.sh: docker here is not a swarm manager (or cannot be reached): run it on a manager" >&2',
    '  exit 1',
    'fi',
    '',
    '# ensure_secret NAME VARIABLE: create NAME from the value of VARIABLE unless it exists. The value goes to docker',
    '# on stdin, never on a command line or the output.',
    'ensure_secret() {',
    '  local name=$1 variable=$2',
    '  if docker secret inspect "$name" >/dev/null 2>&1; then',
    '    echo "ok     $name"',
    '  elif [ -z "${!variable:-}" ]; then',
    '    echo "create-secrets.sh: $variable is not set: export the value of secret $name first" >&2',
    '    exit 2',
    '  else',
    '    echo "create $name (from \\$$variable)"',
    '    [ "$dry_run" = 1 ] || printf \'%s\' "${!variable}" | docker secret create "$name" - >/dev/null',
    '  fi',
    '}',
    '',
    ...model.secrets.map((secret) => `ensure_secret ${shellQuote(secret.name)} ${secretVariable(secret.key)}`),
    '',
  ].join('\n');
}
