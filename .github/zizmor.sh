#!/usr/bin/env bash
# npm run lint:zizmor: the workflows and actions through zizmor (GitHub Actions security checks), at its default
# persona. zizmor is pinned and installed from PyPI into a virtual environment cached under ~/.cache/milvus-swarm/;
# an interrupted install is never taken for a cached one (the marker file is written last).
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.32.0
venv="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-swarm/zizmor-$version"

if [ ! -f "$venv/.installed" ]; then
  command -v python3 >/dev/null || { echo "lint:zizmor: python3 is needed to install zizmor $version (Debian: apt-get install python3-venv)" >&2; exit 1; }
  echo "lint:zizmor: installing zizmor $version into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "zizmor==$version"
  "$venv/bin/zizmor" --version | grep -qx "zizmor $version"
  touch "$venv/.installed"
fi

# --offline: the audits that ask GitHub's API (impostor commits, known-vulnerable actions) need a token and the
# network; the pins themselves are checked by test/unit/hostile/workflows.test.ts against the actions' own tags.
if [ $# -eq 0 ]; then set -- .github/workflows .github/actions; fi
exec "$venv/bin/zizmor" --offline --no-progress --color=never "$@"
