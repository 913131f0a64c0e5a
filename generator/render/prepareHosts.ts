// prepare-hosts.sh: the runbook's `mkdir` on every data host, as one idempotent script with a dry run.
import type { ClusterModel, HostPreparation } from '../model/types.ts';
import { commentText, shellQuote as quote } from './quote.ts';
import { generatedHeader } from './yaml.ts';

const functionName = (preparation: HostPreparation) => `prepare_${(preparation.host ?? 'any_node').replace(/[^A-Za-z0-9_]/g, '_')}`;

export function renderPrepareHosts(model: ClusterModel): string {
  const pinned = model.hostPreparation.filter((preparation) => preparation.host !== undefined);
  const unpinned = model.hostPreparation.find((preparation) => preparation.host === undefined);
  return [
    '#!/usr/bin/env bash',
    generatedHeader('#', model.source).trimEnd(),
    ...options(model, pinned),
    ...ENSURE_DIR,
    ...model.hostPreparation.flatMap(hostFunction),
    ...dispatch(model, pinned, unpinned),
  ].join('\n');
}

/** The usage comment and the argument loop: --dry-run, --list (the data hosts), HOST. */
function options(model: ClusterModel, pinned: readonly HostPreparation[]): string[] {
  const hosts = pinned.length > 0 ? pinned.map((p) => quote(`${p.host} ${p.ip ?? ''}`.trim())).join(' ') : quote('(any node)');
  return [
    '#',
    `# Creates the data directories of environment "${commentText(model.environment)}" on the host it runs on. Idempotent: run it`,
    '# again at any time; it creates what is missing and fixes modes, and never deletes anything.',
    '#',
    '# Usage: prepare-hosts.sh [--dry-run] [HOST]   (HOST defaults to this machine\'s hostname; --list shows hosts)',
    'set -euo pipefail',
    '',
    'dry_run=0',
    'target=""',
    'usage() { sed -n \'s/^# Usage: //p\' "$0"; }',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    -n|--dry-run) dry_run=1 ;;',
    `    -l|--list) printf '%s\\n' ${hosts}; exit 0 ;;`,
    '    -h|--help) usage; exit 0 ;;',
    '    -*) echo "prepare-hosts.sh: unknown option $1" >&2; usage >&2; exit 2 ;;',
    '    *) target=$1 ;;',
    '  esac',
    '  shift',
    'done',
    'target=${target:-$(hostname)}',
    '',
  ];
}

const ENSURE_DIR = [
  '# ensure_dir PATH MODE: create PATH with MODE, or fix the mode of an existing one.',
  'ensure_dir() {',
  '  local path=$1 mode=$2',
  '  if [ -d "$path" ]; then',
  '    if [ "$(stat -c %a "$path")" != "${mode#0}" ]; then',
  '      echo "chmod $mode $path"',
  '      [ "$dry_run" = 1 ] || chmod "$mode" "$path"',
  '    else',
  '      echo "ok    $path"',
  '    fi',
  '  elif [ -e "$path" ]; then',
  '    echo "prepare-hosts.sh: $path exists and is not a directory; move it away and run again" >&2',
  '    exit 1',
  '  else',
  '    echo "mkdir $path (mode $mode)"',
  '    # Parents get the default mode; only the data directory itself is restricted.',
  '    [ "$dry_run" = 1 ] || { mkdir -p "$path" && chmod "$mode" "$path"; }',
  '  fi',
  '}',
  '',
];

/** One shell function per host: its directories, each with its mode and owner. */
function hostFunction(preparation: HostPreparation): string[] {
  return [
    `${functionName(preparation)}() {`,
    ...preparation.directories.map((directory) => `  ensure_dir ${quote(directory.path)} ${directory.mode} # ${commentText(directory.owner)}`),
    '}',
    '',
  ];
}

/** Runs the function of the host named (or this machine's), by name or address. */
function dispatch(model: ClusterModel, pinned: readonly HostPreparation[], unpinned: HostPreparation | undefined): string[] {
  const cases = pinned.map((preparation) => {
    const names = [preparation.host!, ...(preparation.ip ? [preparation.ip] : [])].map(quote).join('|');
    return `  ${names}) ${functionName(preparation)} ;;`;
  });
  // The environment's name is a quoted word of its own: the message never runs what it prints.
  const otherwise = unpinned
    ? `  *) ${functionName(unpinned)} ;; # members without a host run on any node of this one-node swarm`
    : `  *) printf '%s\\n' "prepare-hosts.sh: $target is not a data host of environment "${quote(model.environment)}"; run with --list to see them" >&2; exit 1 ;;`;
  return ['case "$target" in', ...cases, otherwise, 'esac', ''];
}
