#!/usr/bin/env bash
# npm run lint:workflows: the workflows through the official actionlint (pinned), with shellcheck for run: scripts.
# Installs what is missing: actionlint with `go install`, shellcheck from Debian's packages (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

version=v1.7.12
gobin="$(go env GOBIN 2>/dev/null || true)"
gobin="${gobin:-$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin}"

has_version() { [ -x "$1" ] && "$1" -version 2>/dev/null | head -n 1 | grep -qxE "v?${version#v}"; }

if has_version "$(command -v actionlint || true)"; then
  actionlint=$(command -v actionlint)
elif has_version "$gobin/actionlint"; then
  actionlint=$gobin/actionlint
else
  command -v go >/dev/null || { echo "lint:workflows: go is needed to install actionlint $version (https://go.dev/dl)" >&2; exit 1; }
  echo "lint:workflows: installing actionlint $version" >&2
  go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  actionlint=$gobin/actionlint
fi

# Without shellcheck actionlint silently skips the run: scripts; a check that cannot fail is no check.
if ! command -v shellcheck >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "lint:workflows: installing shellcheck" >&2
    apt-get install -y -qq shellcheck >/dev/null || { apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null; }
  else
    echo "lint:workflows: shellcheck is missing: sudo apt-get install -y shellcheck" >&2
    exit 1
  fi
fi

exec "$actionlint" -no-color -shellcheck "$(command -v shellcheck)" "$@"
